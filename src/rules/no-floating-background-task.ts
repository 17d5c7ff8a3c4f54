import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction, isFunction, owningClass } from '../analysis/ast.js';
import { isProcessEntryStatement, isTopLevelStatement } from '../analysis/tasks/entry-point.js';
import { getFileFacts } from '../analysis/facts.js';
import { droppedAsyncExecutor, droppedCallbacks, droppedPromise, fileLoggers, readChain, handsOutcomeToCallback, insidePromiseExecutor, type DroppedCallback, type DroppedPromise } from '../analysis/tasks/floating.js';
import { startsJob } from '../analysis/tasks/jobs.js';
import { getTypeFacts } from '../analysis/types.js';
import { extendVocabulary, vocabularyFromSettings } from '../model/settings.js';
import { isOutsideServerLifecycle, isServerCode } from '../analysis/tasks/runtime.js';
import { rejectionIsHeard } from '../analysis/tasks/rejections.js';
import { createRule } from './util/create-rule.js';
import { awaitStatementFix, catchStatementFix } from './util/suggestions.js';

export type Options = [
  {
    requireTracking?: boolean;
    trackers?: string[];
  },
];
export type MessageIds = 'floatingTask' | 'floatingCallback' | 'untrackedTask' | 'addCatch' | 'addAwait';

export default createRule<Options, MessageIds>({
  name: 'no-floating-background-task',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow background promises that nobody awaits, tracks or catches',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      floatingTask: 'The promise of `{{task}}` is neither awaited nor caught, so its rejection is unhandled.',
      floatingCallback: '`{{dispatcher}}` drops the promise of this async callback, so a rejection in it is unhandled.',
      untrackedTask: 'Job `{{task}}` is started here but not tracked: a shutdown loses it.',
      addCatch: 'Append `.catch((error) => {{logger}}.error(...))`.',
      addAwait: 'Await `{{task}}` instead of starting it in the background.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          requireTracking: {
            type: 'boolean',
            description: 'Also report a handled fire-and-forget promise that is not handed to a tracker (strict).',
          },
          trackers: {
            type: 'array',
            items: { type: 'string' },
            description: 'Calls that keep a background promise (`tracker.track`, `*jobs.add`), added to the defaults.',
          },
        },
      },
    ],
    defaultOptions: [{ requireTracking: false, trackers: [] }],
  },
  defaultOptions: [{ requireTracking: false, trackers: [] }],
  create(context, [options]) {
    const vocabulary = extendVocabulary(vocabularyFromSettings(context.settings), { trackers: options.trackers ?? [] });
    // A browser logs an unhandled rejection and goes on; a test runner reports it (../analysis/tasks/runtime.ts).
    if (!isServerCode(context, vocabulary)) return {};
    const facts = getFileFacts(context, vocabulary);
    // Browser and test code have no process shutdown to wait for a tracked task (../analysis/tasks/runtime.ts).
    const requireTracking = options.requireTracking === true && !isOutsideServerLifecycle(context.sourceCode, vocabulary);
    const types = getTypeFacts(context, vocabulary);
    const sourceCode = context.sourceCode;

    /** The logger to suggest at a node: `this.logger` inside a class that uses it, else the file's, else console. */
    function loggerAt(node: TSESTree.Node): string {
      const loggers = fileLoggers(sourceCode, vocabulary);
      const fn = enclosingFunction(node);
      if (loggers.member && fn && owningClass(fn) !== undefined) return loggers.member;
      return loggers.plain ?? 'console';
    }

    function suggestions(dropped: DroppedPromise, logger: string): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const out: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [
        { messageId: 'addCatch', data: { logger }, fix: catchStatementFix(sourceCode, dropped.statement, logger, dropped.name) },
      ];
      const awaitFix = awaitStatementFix(sourceCode, dropped.statement);
      if (awaitFix) out.push({ messageId: 'addAwait', data: { task: dropped.name }, fix: awaitFix });
      return out;
    }

    /** Whether a rejection at a node is heard anyway (../analysis/tasks/rejections.ts). */
    function heard(node: TSESTree.Node): boolean {
      return rejectionIsHeard(node, facts, context.filename, context.cwd);
    }

    /** `new Promise(async ...)` executors, whose own promise the constructor drops. */
    const asyncExecutors: DroppedCallback[] = [];

    /** Chain bases of statements already judged as dropped promises. */
    const droppedBases = new Set<TSESTree.Node>();

    return {
      ExpressionStatement(node) {
        // `retry(async () => ...).catch(log)`: the handler covers the callback's promise too, promise or not.
        const chain = readChain(node.expression);
        if (chain.hasRejectionHandler) droppedBases.add(chain.base);
        const dropped = droppedPromise(node, facts, types);
        if (!dropped) return;
        droppedBases.add(dropped.chain.base);
        // Only tracking asks about a handled promise: without it, a promise whose rejection is heard
        // anyway is settled before asking whether its callee can reject (which may read other files).
        if (!requireTracking && !dropped.chain.hasRejectionHandler && (isProcessEntryStatement(node, facts.vocabulary) || heard(node))) return;
        const handled = dropped.chain.hasRejectionHandler || dropped.calleeCatchesAll;
        if (handled) {
          // A script's top-level `main().catch(...)` is the process itself: nothing outlives it to wait.
          // Inside a `new Promise` executor, or handing its outcome to a callback parameter, the chain
          // settles something its caller holds.
          // Only a job is lost on shutdown: best-effort telemetry, cache or cleanup promises are not (../analysis/tasks/jobs.ts).
          if (
            requireTracking &&
            dropped.chain.base.type === AST_NODE_TYPES.CallExpression &&
            startsJob(facts, dropped.chain.base) &&
            !isTopLevelStatement(node) &&
            !insidePromiseExecutor(node) &&
            !handsOutcomeToCallback(node, sourceCode.visitorKeys)
          ) {
            context.report({ node: node.expression, messageId: 'untrackedTask', data: { task: dropped.name } });
          }
          return;
        }
        // A module's top-level `main();` / async IIFE: failing fast and loud is what its author wants (../analysis/tasks/entry-point.ts).
        if (isProcessEntryStatement(node, facts.vocabulary)) return;
        if (heard(node)) return;
        const logger = loggerAt(node);
        context.report({
          node: node.expression,
          messageId: 'floatingTask',
          data: { task: dropped.name },
          suggest: suggestions(dropped, logger),
        });
      },
      'NewExpression[callee.name="Promise"]'(node: TSESTree.NewExpression) {
        const dropped = droppedAsyncExecutor(node, facts);
        if (dropped) asyncExecutors.push(dropped);
      },
      'Program:exit'() {
        for (const dropped of [...droppedCallbacks(facts, types), ...asyncExecutors]) {
          // One problem, one report: a dropped call already reported (or handled) as a statement.
          if (dropped.calleeCatchesAll || droppedBases.has(dropped.call)) continue;
          // `emitter.once('shutdown', async () => { ...; process.exit(code); })`: the callback itself is a shutdown path.
          if (heard(dropped.call) || (isFunction(dropped.callback) && heard(dropped.callback.body))) continue;
          context.report({
            node: dropped.call,
            messageId: 'floatingCallback',
            data: { dispatcher: dropped.dispatcherName },
          });
        }
      },
    };
  },
});
