import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { skipWrappers, type FunctionNode } from '../analysis/ast.js';
import type { BackgroundTask } from '../analysis/tasks/background.js';
import { serverTasks } from '../analysis/tasks/entry-point.js';
import { getFileFacts } from '../analysis/facts.js';
import { readChain } from '../analysis/tasks/floating.js';
import { functionHeadLoc } from '../analysis/function-head.js';
import { catchHandling } from '../analysis/sessions/catch-handling.js';
import { getTypeFacts } from '../analysis/types.js';
import { loggerExpressionAt, logPassesError } from '../analysis/tasks/logging.js';
import { statusUpdateOfAssignment, statusUpdateOfCall } from '../analysis/status/status.js';
import { catchEndsJob, droppedFailureWrite, insideCatchClause, type DroppedFailureWrite } from '../analysis/tasks/job-failure.js';
import { createRule } from './util/create-rule.js';
import { logErrorFix, logInCatchFix, rethrowInCatchFix } from './util/suggestions.js';

export type Options = [];
export type MessageIds =
  | 'missingTryCatch'
  | 'silentCatch'
  | 'logWithoutError'
  | 'addLogging'
  | 'passError'
  | 'swallowedJobFailure'
  | 'rethrowAfterLogging'
  | 'droppedFailureWrite'
  | 'logFailureWriteError';

export default createRule<Options, MessageIds>({
  name: 'require-background-error-handling',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require background work to catch, log with context, and record its failures',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      missingTryCatch:
        '{{task}} runs in the background and awaits work (line {{line}}) outside any try/catch: a failure there becomes an unhandled rejection that nobody logs or records. Wrap the work in try/catch, log the error with the id of the work, and set a failed status.',
      silentCatch:
        'This catch in {{task}} swallows the error: it neither logs it, rethrows it nor updates a status, so the background failure is invisible. Log it with context (`{{logger}}.error(..., {{error}})`) and set a failed status, or rethrow.',
      logWithoutError:
        'This catch in {{task}} logs the failure without the error object, so its message and stack are lost. Pass `{{error}}` to the log call along with the id of the work.',
      addLogging: 'Log the error with `{{logger}}.error(...)`.',
      passError: 'Pass `{{error}}` to `{{log}}(...)`.',
      swallowedJobFailure:
        'This catch in {{task}} logs the failure but does not rethrow it, so the queue marks the failed job completed. Rethrow `{{error}}` after logging (the job is retried, then failed), or record a failed status.',
      rethrowAfterLogging: 'Rethrow `{{error}}` after logging it.',
      droppedFailureWrite:
        '`{{write}}` records a failure, but its `{{handler}}` {{effect}}. Log the write\'s own error in the handler.',
      logFailureWriteError: 'Log the error of `{{write}}` in the `.catch` handler.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const facts = getFileFacts(context);
    // A script's top-level `main()` is the process itself, not background work (./entry-point.ts).
    const { tasks, taskOf } = serverTasks(facts);
    const vocabulary = facts.vocabulary;
    const sourceCode = context.sourceCode;
    // A failure write in any catch clause still must not lose the failure (SPEC 3.1).
    if (tasks.length === 0) return { CallExpression: (node) => checkFailureWrite(node, false) };
    const types = getTypeFacts(context, vocabulary);
    const firstUncovered = new Map<BackgroundTask, TSESTree.Node>();
    const setsStatus = new Set<BackgroundTask>();

    const covered = new Set<BackgroundTask>();

    function onAwait(node: TSESTree.Node): void {
      // `await work().then(ok).catch(nok)` cannot reject: the chain handles its own failure.
      if (node.type === AST_NODE_TYPES.AwaitExpression && readChain(node.argument).hasRejectionHandler) return;
      const task = taskOf(node);
      if (!task || covered.has(task)) return;
      const coverage = coverageOf(node, task.fn);
      // Setup awaited before a try/catch (`await runner.connect()`) is accepted once the work itself is covered.
      if (coverage === 'covered') covered.add(task);
      else if (coverage === 'uncovered' && !firstUncovered.has(task) && !cannotReject(node)) firstUncovered.set(task, node);
    }

    /** Type-aware: an awaited call whose callee, in any file, catches everything cannot reject. */
    function cannotReject(node: TSESTree.Node): boolean {
      if (!types || node.type !== AST_NODE_TYPES.AwaitExpression) return false;
      const argument = skipWrappers(node.argument);
      return argument.type === AST_NODE_TYPES.CallExpression && types.calleeCatchesEverything(argument) === true;
    }

    function handledByDispatchSites(task: BackgroundTask): boolean {
      return (
        task.dispatchSites.length > 0 &&
        task.dispatchSites.every((site) => site.hasRejectionHandler) &&
        task.reasons.every((reason) => reason.kind === 'fire-and-forget' || reason.kind === 'name')
      );
    }

    function checkCatch(clause: TSESTree.CatchClause, task: BackgroundTask): void {
      const handling = catchHandling(vocabulary, clause, sourceCode.visitorKeys, types);
      if (handling.handled) return;
      const error = clause.param?.type === AST_NODE_TYPES.Identifier ? clause.param.name : 'error';
      const loc = { start: clause.loc.start, end: clause.body.loc.start };
      if (handling.logs.length > 0) {
        if (!handling.logs.some((log) => logPassesError(sourceCode, log, clause))) {
          const log = handling.logs[0]!.node;
          const fix = logErrorFix(sourceCode, clause, log);
          context.report({
            loc,
            messageId: 'logWithoutError',
            data: { task: task.label, error },
            suggest: fix ? [{ messageId: 'passError', data: { error, log: sourceCode.getText(log.callee) }, fix }] : [],
          });
        }
        return;
      }
      const logger = loggerExpressionAt(sourceCode, vocabulary, clause);
      const fix = logInCatchFix(sourceCode, clause, `${logger}.error(\`${task.label} failed\`, ${error});`);
      context.report({
        loc,
        messageId: 'silentCatch',
        data: { task: task.label, logger, error },
        suggest: fix ? [{ messageId: 'addLogging', data: { logger }, fix }] : [],
      });
    }

    /** A processor catch that logs but neither rethrows nor records: the queue marks the job completed. */
    function checkSwallowedJobFailure(clause: TSESTree.CatchClause, task: BackgroundTask): boolean {
      if (!task.frameworkRecordsFailure || !catchEndsJob(vocabulary, clause, task.fn, sourceCode.visitorKeys)) return false;
      const error = clause.param?.type === AST_NODE_TYPES.Identifier ? clause.param.name : undefined;
      const fix = error === undefined ? undefined : rethrowInCatchFix(sourceCode, clause);
      context.report({
        loc: { start: clause.loc.start, end: clause.body.loc.start },
        messageId: 'swallowedJobFailure',
        data: { task: task.label, error: error ?? 'error' },
        suggest: fix ? [{ messageId: 'rethrowAfterLogging', data: { error }, fix }] : [],
      });
      return true;
    }

    /** `.catch(() => null)` / `.catch()` on a failure write, in background code or in a catch clause. */
    function checkFailureWrite(node: TSESTree.CallExpression, inTaskFile: boolean): void {
      const callee = node.callee;
      if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'catch') return;
      const dropped = droppedFailureWrite(vocabulary, node);
      if (dropped && ((inTaskFile && taskOf(node)) || insideCatchClause(node))) reportDroppedFailureWrite(dropped);
    }

    function reportDroppedFailureWrite(dropped: DroppedFailureWrite): void {
      const write = `${sourceCode.getText(dropped.write.callee).replace(/\s+/g, '')}()`;
      const handler = dropped.kind === 'bare' ? '.catch()' : `.catch(${sourceCode.getText(dropped.catchCall.arguments[0]!)})`;
      const effect =
        dropped.kind === 'bare'
          ? 'has no handler, so it handles nothing: a failed write still rejects and replaces the original error'
          : 'discards the write\'s error, so a failed write leaves no failed status and no log';
      const logger = loggerExpressionAt(sourceCode, vocabulary, dropped.catchCall);
      const replacement = `(writeError) => ${logger}.error('${write.replace(/'/g, '')} failed', writeError)`;
      context.report({
        node: dropped.catchCall.callee.type === AST_NODE_TYPES.MemberExpression ? dropped.catchCall.callee.property : dropped.catchCall,
        messageId: 'droppedFailureWrite',
        data: { write, handler, effect },
        suggest: [
          {
            messageId: 'logFailureWriteError',
            data: { write },
            fix: (fixer) =>
              dropped.kind === 'bare'
                ? fixer.replaceTextRange([dropped.catchCall.range[1] - 1, dropped.catchCall.range[1] - 1], replacement)
                : fixer.replaceText(dropped.catchCall.arguments[0]!, replacement),
          },
        ],
      });
    }

    return {
      AwaitExpression: onAwait,
      'ForOfStatement[await=true]': onAwait,
      CatchClause(node) {
        const task = taskOf(node);
        if (!task) return;
        const handling = catchHandling(vocabulary, node, sourceCode.visitorKeys, types);
        // Logged but not rethrown in a queue processor: the job is marked completed.
        if (!handling.handled && handling.logs.length > 0 && checkSwallowedJobFailure(node, task)) return;
        checkCatch(node, task);
      },
      // Only an in-progress status is left stuck when a framework-run job throws: a sweep that writes
      // `error` to other rows, or a terminal `Triggered` at the end, leaves nothing for a catch to end.
      AssignmentExpression(node) {
        if (statusUpdateOfAssignment(vocabulary, node, types)?.phase !== 'in-progress') return;
        const task = taskOf(node);
        if (task) setsStatus.add(task);
      },
      CallExpression(node) {
        checkFailureWrite(node, true);
        if (statusUpdateOfCall(vocabulary, node, types)?.phase !== 'in-progress') return;
        const task = taskOf(node);
        if (task) setsStatus.add(task);
      },
      'Program:exit'() {
        for (const [task, node] of firstUncovered) {
          if (covered.has(task)) continue;
          if (task.frameworkRecordsFailure && !setsStatus.has(task)) continue;
          if (handledByDispatchSites(task)) continue;
          context.report({
            loc: functionHeadLoc(task.fn),
            messageId: 'missingTryCatch',
            data: { task: task.label, line: String(node.loc.start.line) },
          });
        }
      },
    };
  },
});

/**
 * Whether an await lies in the `try` block of a try/catch inside its background function,
 * or in a catch or finally block (error handling, judged by the catch checks).
 */
function coverageOf(node: TSESTree.Node, root: FunctionNode): 'covered' | 'uncovered' | 'handler' {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement) {
      if (current.block === child && current.handler) return 'covered';
      if (current.finalizer === child) return 'handler';
    }
    if (current.type === AST_NODE_TYPES.CatchClause) return 'handler';
    if (current === root) return 'uncovered';
    child = current;
  }
  return 'uncovered';
}

