import { getFileFacts, type FileFacts } from '../analysis/facts.js';
import { staleSessionUses } from '../analysis/sessions/try-catch.js';
import { getTypeFacts, type TypeFacts } from '../analysis/types.js';
import { extendVocabulary, vocabularyFromSettings } from '../model/settings.js';
import { isOutsideServerLifecycle, usesOnlyNonAbortingDatabases } from '../analysis/tasks/runtime.js';
import { createRule } from './util/create-rule.js';
import { freshSessionFix } from './util/suggestions.js';

export type Options = [
  {
    endingMethods?: string[];
    checkAllDatabases?: boolean;
  },
];
export type MessageIds = 'staleSession' | 'useFreshSession';


export default createRule<Options, MessageIds>({
  name: 'no-stale-session-in-catch',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using the failed `try` block\'s session in its `catch` or `finally` for anything but ending it',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      staleSession: "`{{session}}` is the failed `try`'s session (line {{line}}): this `{{clause}}` may only end it, not use it.",
      useFreshSession: 'Run this statement with a fresh session (`errorSession`) from the same opener.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          endingMethods: {
            type: 'array',
            items: { type: 'string' },
            description: 'More methods that end a session (allowed on a stale session), added to the defaults.',
          },
          checkAllDatabases: {
            type: 'boolean',
            description:
              'Also report in a project whose only databases keep a transaction usable after a failed statement (MySQL, SQLite: `nonAbortingDatabasePackages`): strict.',
          },
        },
      },
    ],
    defaultOptions: [{ endingMethods: [], checkAllDatabases: false }],
  },
  defaultOptions: [{ endingMethods: [], checkAllDatabases: false }],
  create(context, [options]) {
    const vocabulary = extendVocabulary(vocabularyFromSettings(context.settings), {
      endingMethods: options.endingMethods ?? [],
    });
    // Browser and test code hold no production database session.
    if (isOutsideServerLifecycle(context.sourceCode, vocabulary, context.filename, context.cwd)) return {};
    // On MySQL or SQLite a failed statement leaves the transaction usable: the premise of this rule,
    // an aborted transaction, is PostgreSQL's (issue 13, round 9: Swetrix's TypeORM catches).
    if (!options.checkAllDatabases && usesOnlyNonAbortingDatabases(context.filename, vocabulary)) return {};
    // Most files have no `try`: the shared facts are built at the first one, not for every file.
    let facts: FileFacts | undefined;
    let types: TypeFacts | undefined;
    return {
      TryStatement(node) {
        if (!facts) {
          facts = getFileFacts(context, vocabulary);
          types = getTypeFacts(context, vocabulary);
        }
        for (const use of staleSessionUses(facts, node, types)) {
          const fix = use.clause === 'catch' ? freshSessionFix(context.sourceCode, use.node) : undefined;
          context.report({
            node: use.node,
            messageId: 'staleSession',
            data: { session: use.session, line: String(use.tryUse.loc.start.line), clause: use.clause },
            suggest: fix ? [{ messageId: 'useFreshSession', fix }] : [],
          });
        }
      },
    };
  },
});
