import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { functionHolder, type CallLike, type FunctionNode } from '../analysis/ast.js';
import { JOB_KIND_TEXT, jobOf, jobsOf } from '../analysis/tasks/jobs.js';
import { getFileFacts } from '../analysis/facts.js';
import { callName, TimeoutCollector } from '../analysis/tasks/timeouts.js';
import { getTypeFacts } from '../analysis/types.js';
import { extendVocabulary, vocabularyFromSettings } from '../model/settings.js';
import { isOutsideServerLifecycle } from '../analysis/tasks/runtime.js';
import { createRule } from './util/create-rule.js';

export type Options = [
  {
    externalCalls?: string[];
    timeoutHelpers?: string[];
  },
];
export type MessageIds = 'missingTimeout';

/** Where a function's report lands: its name (method key, declaration id), else the function. */
function headerOf(fn: FunctionNode): TSESTree.Node {
  const holder = functionHolder(fn);
  if ((holder.type === AST_NODE_TYPES.MethodDefinition || holder.type === AST_NODE_TYPES.PropertyDefinition) && holder.value === fn) {
    return holder.key;
  }
  if (fn.id) return fn.id;
  if (holder.type === AST_NODE_TYPES.VariableDeclarator) return holder.id;
  return fn;
}

export default createRule<Options, MessageIds>({
  name: 'require-background-timeout',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Require a timeout on external work that background tasks wait for',
      recommended: 'strict',
      usesTypeInformation: true,
    },
    messages: {
      missingTimeout: '{{kind}} `{{task}}` waits for `{{call}}` with no timeout.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          externalCalls: {
            type: 'array',
            items: { type: 'string' },
            description: 'More external-work callees (`fn`, `obj.method`, `*glob.*`), e.g. queue or ORM calls, added to settings `externalCalls`.',
          },
          timeoutHelpers: {
            type: 'array',
            items: { type: 'string' },
            description: 'More calls that bound the work around them (`withDeadline`, `*.timeout`), added to settings `timeoutHelpers`.',
          },
        },
      },
    ],
    defaultOptions: [{ externalCalls: [], timeoutHelpers: [] }],
  },
  defaultOptions: [{ externalCalls: [], timeoutHelpers: [] }],
  create(context, [options]) {
    const vocabulary = extendVocabulary(vocabularyFromSettings(context.settings), {
      externalCalls: options.externalCalls ?? [],
      timeoutHelpers: options.timeoutHelpers ?? [],
    });
    // Browser and test code have no background job to leave stuck (../analysis/tasks/runtime.ts).
    if (isOutsideServerLifecycle(context.sourceCode, vocabulary)) return {};
    const facts = getFileFacts(context, vocabulary);
    // Only a job can hang unseen with its work half done: not a listener, a polling timer or a request hook (../analysis/tasks/jobs.ts).
    if (jobsOf(facts).length === 0) return {};
    const collector = new TimeoutCollector(facts, getTypeFacts(context, vocabulary));
    const onCall = (node: CallLike): void => collector.onCall(node);
    return {
      CallExpression: onCall,
      NewExpression: onCall,
      'Program:exit'() {
        for (const { task, call } of collector.untimed()) {
          const job = jobOf(facts, task);
          if (!job) continue;
          context.report({
            node: headerOf(task.fn),
            messageId: 'missingTimeout',
            data: { kind: JOB_KIND_TEXT[job.kind], task: task.label, call: callName(call) },
          });
        }
      },
    };
  },
});
