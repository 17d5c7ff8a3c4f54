import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { skipWrappers, type FunctionNode } from '../analysis/ast.js';
import type { BackgroundTask } from '../analysis/background.js';
import { isScriptEntryPoint } from '../analysis/entry-point.js';
import { getFileFacts } from '../analysis/facts.js';
import { readChain } from '../analysis/floating.js';
import { functionHeadLoc } from '../analysis/function-head.js';
import { loggerExpressionAt, logCallOf, logPassesError, type LogCall } from '../analysis/logging.js';
import { statusAssignmentObject, statusUpdateOfCall } from '../analysis/status.js';
import { createRule } from './util/create-rule.js';

export type Options = [];
export type MessageIds = 'missingTryCatch' | 'silentCatch' | 'logWithoutError' | 'addLogging';

/** What a catch clause of background code does with its error, collected while it is traversed. */
interface CatchFrame {
  readonly clause: TSESTree.CatchClause;
  readonly task: BackgroundTask;
  readonly logs: LogCall[];
  handled: boolean;
}

export default createRule<Options, MessageIds>({
  name: 'require-background-error-handling',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require background work to catch, log with context, and record its failures',
      recommended: 'recommended',
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
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const facts = getFileFacts(context);
    // A script's top-level `main()` is the process itself, not background work (./entry-point.ts).
    const tasks = facts.tasks.filter((task) => !isScriptEntryPoint(task));
    const taskOf = (node: TSESTree.Node): BackgroundTask | undefined => {
      const task = facts.taskOf(node);
      return task && !isScriptEntryPoint(task) ? task : undefined;
    };
    if (tasks.length === 0) return {};
    const vocabulary = facts.vocabulary;
    const sourceCode = context.sourceCode;
    const catches: CatchFrame[] = [];
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
      else if (coverage === 'uncovered' && !firstUncovered.has(task)) firstUncovered.set(task, node);
    }

    function handledByDispatchSites(task: BackgroundTask): boolean {
      return (
        task.dispatchSites.length > 0 &&
        task.dispatchSites.every((site) => site.hasRejectionHandler) &&
        task.reasons.every((reason) => reason.kind === 'fire-and-forget' || reason.kind === 'name')
      );
    }

    function reportCatch(frame: CatchFrame): void {
      const { clause, task } = frame;
      const error = clause.param?.type === AST_NODE_TYPES.Identifier ? clause.param.name : 'error';
      const loc = { start: clause.loc.start, end: clause.body.loc.start };
      if (frame.logs.length > 0) {
        if (!frame.logs.some((log) => logPassesError(sourceCode, log, clause))) {
          context.report({ loc, messageId: 'logWithoutError', data: { task: task.label, error } });
        }
        return;
      }
      const logger = loggerExpressionAt(sourceCode, vocabulary, clause);
      const empty = clause.body.body.length === 0;
      context.report({
        loc,
        messageId: 'silentCatch',
        data: { task: task.label, logger, error },
        suggest: empty
          ? [
              {
                messageId: 'addLogging',
                data: { logger },
                fix: (fixer) => {
                  const indent = /^\s*/.exec(sourceCode.lines[clause.loc.start.line - 1] ?? '')?.[0] ?? '';
                  const line = `${logger}.error(\`${task.label} failed\`, ${error});`;
                  const hasComments = sourceCode.getCommentsInside(clause.body).length > 0;
                  const fixes = [];
                  if (!clause.param) fixes.push(fixer.insertTextBefore(clause.body, `(${error}) `));
                  fixes.push(
                    hasComments
                      ? fixer.insertTextAfterRange([clause.body.range[0], clause.body.range[0] + 1], `\n${indent}  ${line}`)
                      : fixer.replaceText(clause.body, `{\n${indent}  ${line}\n${indent}}`),
                  );
                  return fixes;
                },
              },
            ]
          : [],
      });
    }

    return {
      AwaitExpression: onAwait,
      'ForOfStatement[await=true]': onAwait,
      CatchClause(node) {
        const task = taskOf(node);
        if (task) catches.push({ clause: node, task, logs: [], handled: false });
      },
      'CatchClause:exit'(node) {
        const frame = catches.at(-1);
        if (frame?.clause !== node) return;
        catches.pop();
        if (!frame.handled) reportCatch(frame);
      },
      ThrowStatement() {
        for (const frame of catches) frame.handled = true;
      },
      AssignmentExpression(node) {
        if (statusAssignmentObject(vocabulary, node) === undefined) return;
        const task = taskOf(node);
        if (task) setsStatus.add(task);
        for (const frame of catches) frame.handled = true;
      },
      CallExpression(node) {
        const log = logCallOf(vocabulary, node);
        if (log) {
          for (const frame of catches) frame.logs.push(log);
          return;
        }
        if (statusUpdateOfCall(vocabulary, node)) {
          const task = taskOf(node);
          if (task) setsStatus.add(task);
          for (const frame of catches) frame.handled = true;
          return;
        }
        // Handing the error on (`reject(err)`, `Sentry.captureException(err)`, `next(err)`) is not silence.
        for (const frame of catches) {
          const param = frame.clause.param;
          if (param?.type !== AST_NODE_TYPES.Identifier) continue;
          if (node.arguments.some((a) => passesIdentifier(a, param.name))) frame.handled = true;
        }
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

/** `err`, `err.message`, `{ cause: err }`, `new Error('x', { cause: err })` as an argument. */
function passesIdentifier(argument: TSESTree.Node, name: string): boolean {
  const inner = skipWrappers(argument);
  if (inner.type === AST_NODE_TYPES.Identifier) return inner.name === name;
  if (inner.type === AST_NODE_TYPES.MemberExpression) return passesIdentifier(inner.object, name);
  if (inner.type === AST_NODE_TYPES.ObjectExpression) {
    return inner.properties.some((p) => p.type === AST_NODE_TYPES.Property && passesIdentifier(p.value, name));
  }
  if (inner.type === AST_NODE_TYPES.NewExpression || inner.type === AST_NODE_TYPES.CallExpression) {
    return inner.arguments.some((a) => passesIdentifier(a, name));
  }
  if (inner.type === AST_NODE_TYPES.TemplateLiteral) return inner.expressions.some((e) => passesIdentifier(e, name));
  return false;
}
