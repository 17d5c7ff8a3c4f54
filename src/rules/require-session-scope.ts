import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getFileFacts } from '../analysis/facts.js';
import { isFunction } from '../analysis/ast.js';
import {
  openingRegion,
  outerClientUses,
  scopeCallbackAt,
  errorCanSkipEnd,
  sessionEscapes,
  isOpeningRefutedByType,
  mayOpenSessionByName,
  sessionOpeningAt,
  typedSessionOpeningAt,
  usingRegion,
  type SessionEscape,
  type SessionOpening,
} from '../analysis/sessions/scopes.js';
import { manualTransactionAt, manualTransactionMistakes, type ManualMistake, type ManualTransaction } from '../analysis/sessions/transactions.js';
import { getTypeFacts } from '../analysis/types.js';
import type { ReleasedSessionPattern } from '../model/vocabulary.js';
import { extendVocabulary, vocabularyFromSettings } from '../model/settings.js';
import { isOutsideServerLifecycle, isScriptPath } from '../analysis/tasks/runtime.js';
import { runsOnceAtStartup } from '../analysis/tasks/entry-point.js';
import { createRule } from './util/create-rule.js';
import { awaitStatementFix, enclosingExpressionStatement, releaseInFinallyFix } from './util/suggestions.js';

export type Options = [
  {
    sessionScopes?: string[];
    disposableScopes?: string[];
    releasedSessions?: ReleasedSessionPattern[];
    requireTransactionStartInTry?: boolean;
    checkTransactionUse?: boolean;
    reportStoredSessions?: boolean;
  },
];
export type MessageIds =
  | 'unscopedSession'
  | 'unreleasedSession'
  | 'unendedTransaction'
  | 'releasedOutsideFinally'
  | 'leakedSession'
  | 'escapingSession'
  | 'outerClientInScope'
  | 'useAwaitUsing'
  | 'releaseInFinally'
  | 'awaitInScope'
  | 'awaitAllInScope'
  | 'spreadIntoPromiseAll'
  // Manual transactions (TypeORM QueryRunner, pg BEGIN, Knex/Sequelize unmanaged): see ../analysis/sessions/transactions.ts.
  | 'transactionStartOutsideTry'
  | 'workAfterCommit'
  | 'unusedTransaction'
  | 'bypassedTransaction'
  | 'concurrentQueries'
  | 'returnLeavesOpen';

const DEFAULT_OPTIONS = {
  sessionScopes: [],
  disposableScopes: [],
  releasedSessions: [],
  requireTransactionStartInTry: false,
  checkTransactionUse: false,
  reportStoredSessions: false,
};

/** Reports whose harm is a session left open, which the end of a script's process ends too. */
const LEAK_REPORTS: ReadonlySet<MessageIds> = new Set<MessageIds>([
  'unscopedSession',
  'unreleasedSession',
  'unendedTransaction',
  'releasedOutsideFinally',
  'leakedSession',
  'returnLeavesOpen',
]);

export default createRule<Options, MessageIds>({
  name: 'require-session-scope',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require every database session to live in a scope that ends it, and to stay inside that scope',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      unscopedSession: '`{{session}}` from `{{opener}}` has no scope, so nothing closes it when the work fails.',
      unreleasedSession: '`{{session}}` from `{{opener}}` is not released in a `finally`, so an error leaks it.',
      unendedTransaction: 'Transaction `{{session}}` from `{{opener}}` is not rolled back on error, so a failure leaves it open.',
      releasedOutsideFinally: '`{{session}}` is ended on line {{line}}, not in a `finally`: an error before that line leaks it.',
      leakedSession: '`{{opener}}` opens a session that no variable holds, so nothing can end it.',
      escapingSession: '`{{session}}` belongs to {{scope}}, but {{how}}: it can be used after the scope closed it.',
      outerClientInScope: '`{{client}}` inside its own `{{scope}}` callback runs outside the transaction: use `{{session}}`.',
      useAwaitUsing: 'Declare `{{session}}` with `await using`.',
      releaseInFinally: 'Wrap the rest of the block in `try { ... } finally { {{session}}.{{release}}() }`.',
      awaitInScope: 'Await this call, so that it ends before the scope of `{{session}}` does.',
      awaitAllInScope: 'Await every callback: `await Promise.all({{list}}.map(async ...))`.',
      spreadIntoPromiseAll: 'Spread the promises into `{{combinator}}`.',
      transactionStartOutsideTry:
        '`{{start}}` runs before the `try` whose `finally` releases `{{session}}`. Move it into the `try`.',
      workAfterCommit:
        '`{{work}}` runs after `{{commit}}` inside the `try` whose `catch` rolls back. Move it after the `try`.',
      unusedTransaction:
        'Transaction `{{session}}` guards nothing: no query before its commit (line {{line}}) uses it. Run the writes through it.',
      bypassedTransaction:
        '`{{write}}` writes outside transaction `{{session}}` (started line {{line}}). Run it through `{{session}}`.',
      concurrentQueries:
        '`{{session}}` runs {{count}} queries at once in `Promise.all` on one connection. Await them one after another.',
      returnLeavesOpen: 'This `return` leaves transaction `{{session}}` (line {{line}}) open: commit or roll back first.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          sessionScopes: {
            type: 'array',
            items: { type: 'string' },
            description: 'Methods that open a scoped session by callback or as a disposable, added to the defaults.',
          },
          disposableScopes: {
            type: 'array',
            items: { type: 'string' },
            description: 'Methods that return a disposable session that must be declared with `using` / `await using`, added to the defaults.',
          },
          requireTransactionStartInTry: {
            type: 'boolean',
            description:
              'Report a manual transaction started (`startTransaction()`, `query(\'BEGIN\')`) before the `try` whose `finally` releases its runner or client (strict).',
          },
          checkTransactionUse: {
            type: 'boolean',
            description:
              'Also report how a transaction is used (strict): work after the commit inside the `try` that rolls back, a manual transaction no query uses, a write that bypasses it, concurrent queries on one connection, the outer client inside its own transaction callback.',
          },
          reportStoredSessions: {
            type: 'boolean',
            description:
              'Also report a scoped session stored in a field or returned out of its scope (strict): often a decorator or wrapper that hands it on inside the scope.',
          },
          releasedSessions: {
            type: 'array',
            description: 'Sessions that must be ended explicitly, added to the defaults.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['open', 'release'],
              properties: {
                open: { type: 'string', description: 'The method that opens the session (`createQueryRunner`).' },
                on: { type: 'string', description: 'Receiver name glob the method must be called on (`*pool`).' },
                release: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'The methods that end it (`release`).',
                },
                withoutCallback: {
                  type: 'boolean',
                  description: 'Opens a session only when called without a callback (`knex.transaction()`).',
                },
                endedWithSource: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Methods of the opener\'s receiver that end every session it opened (`destroy`).',
                },
              },
            },
          },
        },
      },
    ],
    defaultOptions: [DEFAULT_OPTIONS],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    const vocabulary = extendVocabulary(vocabularyFromSettings(context.settings), {
      sessionScopes: options.sessionScopes ?? [],
      disposableScopes: options.disposableScopes ?? [],
      releasedSessions: options.releasedSessions ?? [],
    });
    const types = getTypeFacts(context, vocabulary);
    const sourceCode = context.sourceCode;
    // Without types, sessions are known by their openers' names: no name in the text, nothing to check.
    if (!types && !mayOpenSessionByName(vocabulary, sourceCode.text)) return {};
    // Browser code has no database session: `authClient.getSession()` is a login (issue 13). A test's
    // transaction or runner dies with its test database (seen in a public backend: nocobase `__tests__`).
    if (isOutsideServerLifecycle(sourceCode, vocabulary, context.filename, context.cwd)) return {};
    const facts = getFileFacts(context, vocabulary);
    const reported = new Set<TSESTree.Node>();
    // A script run by hand (`/bin/`, `/scripts/`) ends its process when it is done: a session it
    // leaks on an error dies with it (seen in a public backend: daily-api bin/addWelcomePosts.ts).
    // What its transactions guard still matters, so only the leak reports are left out.
    const inScript = isScriptPath(context.filename, vocabulary, context.cwd);

    function report(descriptor: TSESLint.ReportDescriptor<MessageIds> & { node: TSESTree.Node }): void {
      if ((inScript || runsOnceAtStartup(descriptor.node, facts)) && LEAK_REPORTS.has(descriptor.messageId)) return;
      if (reported.has(descriptor.node)) return;
      reported.add(descriptor.node);
      context.report(descriptor);
    }

    function checkOpening(opening: SessionOpening): void {
      const session = opening.variable?.name ?? opening.opener;
      const data = { session, opener: opening.opener, release: opening.release?.release[0] ?? 'close' };
      switch (opening.lifetime) {
        case 'leaked':
          report({ node: opening.reportNode, messageId: 'leakedSession', data });
          return;
        case 'unscoped':
          if (opening.release?.withoutCallback) {
            report({ node: opening.reportNode, messageId: 'unendedTransaction', data });
          } else if (opening.endedOutsideFinally) {
            if (!errorCanSkipEnd(opening, vocabulary, sourceCode.visitorKeys)) return;
            report({
              node: opening.reportNode,
              messageId: 'releasedOutsideFinally',
              data: { ...data, line: String(opening.endedOutsideFinally.loc.start.line) },
            });
          } else if (opening.kind === 'disposable') {
            const fix = awaitUsingFix(opening);
            report({
              node: opening.reportNode,
              messageId: 'unscopedSession',
              data,
              suggest: fix ? [{ messageId: 'useAwaitUsing', data: { session }, fix }] : [],
            });
          } else if (usedAsHandle(opening)) {
            const declaration = opening.variable && !opening.stored ? opening.declarator?.parent : undefined;
            const fix = declaration && releaseInFinallyFix(sourceCode, declaration, session, data.release);
            report({
              node: opening.reportNode,
              messageId: 'unreleasedSession',
              data,
              suggest: fix ? [{ messageId: 'releaseInFinally', data: { session, release: data.release }, fix }] : [],
            });
          }
          return;
        case 'scoped':
          if (opening.variable && opening.declarator) {
            const { region, owner } = usingRegion(opening.declarator);
            const keyword = opening.declarator.parent.kind;
            reportEscapes(sessionEscapes(facts, opening.variable, region, owner), session, `its \`${keyword}\` block`);
          }
          return;
        case 'released-in-finally':
          if (opening.variable) {
            const region = openingRegion(opening);
            reportEscapes(sessionEscapes(facts, opening.variable, region, region), session, 'the `finally` that ends it');
          }
          return;
        case 'holds-nothing':
          // A TypeORM SQLite runner shares the driver's one handle: its release() only clears caches.
          return;
        case 'handed-over':
          // Returned or stored on an object: whoever owns it now ends it.
          return;
      }
    }

    /**
     * Whether some use calls a method through the session (`client.query(...)`, `runner.manager.find(...)`).
     * A value only read for its fields (`session.user.id` of an auth `getSession()`, a payment
     * provider's `createSession()` result) is a record, not a connection to release (issue 13).
     */
    function usedAsHandle(opening: SessionOpening): boolean {
      if (!opening.variable) return true;
      return opening.variable.references.some((reference) => {
        let node: TSESTree.Node = reference.identifier;
        while (node.parent?.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) node = node.parent;
        // Handed to a call (`serviceProvider(session)`): someone else uses it as a session.
        if (node === reference.identifier) {
          // `{ session }`, `[tx]` inside the arguments count as handed over too.
          while (
            node.parent?.type === AST_NODE_TYPES.Property ||
            node.parent?.type === AST_NODE_TYPES.ObjectExpression ||
            node.parent?.type === AST_NODE_TYPES.ArrayExpression
          ) {
            node = node.parent;
          }
          const parent = node.parent;
          return (
            (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
            parent.arguments.includes(node as TSESTree.CallExpressionArgument)
          );
        }
        return node.parent?.type === AST_NODE_TYPES.CallExpression && node.parent.callee === node;
      });
    }

    /** Whether the statement that ends the session directly follows the one that opens it. */
    /** `const s = infra.getSessionContext()` -> `await using s = ...`, when that keeps behaviour. */
    function awaitUsingFix(opening: SessionOpening): TSESLint.ReportFixFunction | undefined {
      const declarator = opening.declarator;
      if (!declarator || opening.stored || !opening.variable) return undefined;
      const declaration = declarator.parent;
      if (declaration.declarations.length !== 1 || (declaration.kind !== 'const' && declaration.kind !== 'let')) return undefined;
      if (declaration.parent.type !== AST_NODE_TYPES.BlockStatement) return undefined;
      if (opening.variable.references.some((r) => r.isWrite() && !r.init)) return undefined;
      const fn = declaration.parent.parent;
      if (!isFunction(fn) || !fn.async) return undefined;
      // Replace only the keyword token: the declarator (and its type annotation) stay as written.
      const keyword = sourceCode.getFirstToken(declaration);
      if (!keyword || keyword.value !== declaration.kind) return undefined;
      return (fixer) => fixer.replaceText(keyword, 'await using');
    }

    function reportEscapes(escapes: readonly SessionEscape[], session: string, scope: string): void {
      // One report per piece of detached work, at its first use of the session.
      const anchors = new Set<TSESTree.Node>();
      for (const escape of escapes) {
        // Stored or returned: judged false in every public backend it was seen in (a decorator's
        // injector, a clone run inside the scope, issue 13), so only strict asks for it.
        if ((escape.kind === 'stored' || escape.kind === 'returned') && !options.reportStoredSessions) continue;
        if (escape.anchor) {
          if (anchors.has(escape.anchor)) continue;
          anchors.add(escape.anchor);
        }
        report({
          node: escape.node,
          messageId: 'escapingSession',
          data: { session, scope, how: describeEscape(escape) },
          suggest: escapeSuggestions(escape, session),
        });
      }
    }

    /** The safe edit that keeps detached work inside its scope, as a suggestion. */
    function escapeSuggestions(escape: SessionEscape, session: string): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const remedy = escape.remedy;
      if (!remedy) return awaitSuggestion(escape, session);
      switch (remedy.kind) {
        case 'promise-all': {
          const callee = remedy.call.callee;
          if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return [];
          const list = sourceCode.getText(callee.object);
          return [
            {
              messageId: 'awaitAllInScope',
              data: { list },
              fix: (fixer) => [
                fixer.insertTextBefore(remedy.call, remedy.awaited ? 'Promise.all(' : 'await Promise.all('),
                fixer.replaceText(callee.property, 'map'),
                fixer.insertTextAfter(remedy.call, ')'),
              ],
            },
          ];
        }
        case 'spread':
          return [
            {
              messageId: 'spreadIntoPromiseAll',
              data: { combinator: escape.into.replace('([...])', '') },
              fix: (fixer) => remedy.elements.map((element) => fixer.insertTextBefore(element, '...')),
            },
          ];
      }
    }

    /** A query or call started without `await` inside the scope: awaiting it keeps it inside. */
    function awaitSuggestion(escape: SessionEscape, session: string): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      if (escape.kind !== 'unawaited' && escape.kind !== 'fire-and-forget') return [];
      const statement = enclosingExpressionStatement(escape.node);
      const fix = statement && awaitStatementFix(sourceCode, statement);
      return fix ? [{ messageId: 'awaitInScope', data: { session }, fix }] : [];
    }

    /** The manual-transaction mistakes of `require-session-scope` (SPEC 3.1). */
    function checkManualTransaction(tx: ManualTransaction): void {
      for (const mistake of manualTransactionMistakes(facts, tx)) {
        // A transaction left open by a `return` is a leak on every run of that path: always reported.
        if (mistake.kind === 'startOutsideTry' ? !options.requireTransactionStartInTry : mistake.kind !== 'returnLeavesOpen' && !options.checkTransactionUse) continue;
        report({ node: mistake.node, messageId: mistake.kind === 'startOutsideTry' ? 'transactionStartOutsideTry' : mistake.kind, data: manualData(tx, mistake) });
      }
    }

    return {
      CallExpression(node) {
        const manual = manualTransactionAt(facts, node);
        if (manual) checkManualTransaction(manual);
        const opening = sessionOpeningAt(facts, node);
        if (opening) {
          // Type-aware: named like an opener, but its value has nothing to end (an auth session).
          if (!types || !isOpeningRefutedByType(opening, types)) checkOpening(opening);
          return;
        }
        const typed = types && typedSessionOpeningAt(facts, node, types);
        if (typed) {
          checkOpening(typed);
          return;
        }
        const scope = scopeCallbackAt(facts, node);
        if (!scope?.param) return;
        const scopeText = `the \`${scope.label}\` callback`;
        reportEscapes(sessionEscapes(facts, scope.param, scope.fn, scope.fn), scope.param.name, scopeText);
        if (!options.checkTransactionUse) return;
        for (const use of outerClientUses(facts, scope)) {
          report({
            node: use.node,
            messageId: 'outerClientInScope',
            data: { client: use.client, scope: scope.label, session: scope.param.name },
          });
        }
      },
    };
  },
});

/** The placeholders of a manual-transaction message. */
function manualData(tx: ManualTransaction, mistake: ManualMistake): Record<string, string> {
  const commit = tx.commit ? `${tx.session.name}.${tx.commit.callee.type === 'MemberExpression' && tx.commit.callee.property.type === 'Identifier' ? tx.commit.callee.property.name : 'commit'}()` : 'commit';
  const base = { session: tx.session.name, start: tx.label, commit, line: String((mistake.kind === 'unusedTransaction' && tx.commit ? tx.commit : tx.start).loc.start.line) };
  switch (mistake.kind) {
    case 'workAfterCommit':
      return { ...base, work: mistake.work };
    case 'bypassedTransaction':
      return { ...base, write: mistake.write };
    case 'concurrentQueries':
      return { ...base, count: Number.isFinite(mistake.count) ? String(mistake.count) : 'several' };
    default:
      return base;
  }
}

/** The `{{how}}` part of an escape message. */
function describeEscape(escape: SessionEscape): string {
  switch (escape.kind) {
    case 'stored':
      return `it is stored in \`${escape.into}\``;
    case 'returned':
      return 'it is returned out of the scope';
    case 'deferred':
      return `a callback deferred with \`${escape.into}\` uses it`;
    case 'then':
      return `a \`${escape.into}\` callback that the scope does not await uses it`;
    case 'detached':
      return `an async callback that nobody awaits (${escape.into}) uses it`;
    case 'unawaited':
      return `a query that uses it is started without \`await\` (\`${escape.into}\`)`;
    case 'fire-and-forget':
      return `it is passed to \`${escape.into}\`, which is not awaited`;
    case 'listener':
      return `a listener registered with \`${escape.into}\` inside the scope uses it`;
    case 'unawaited-array':
      return `async callbacks use it whose promises \`${escape.into}\` does not await (an array in the array)`;
  }
}
