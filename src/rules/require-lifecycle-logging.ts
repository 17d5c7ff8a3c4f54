import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { FunctionNode } from '../analysis/ast.js';
import type { BackgroundTask } from '../analysis/tasks/background.js';
import { serverTasks } from '../analysis/tasks/entry-point.js';
import { getFileFacts } from '../analysis/facts.js';
import { functionHeadLoc } from '../analysis/function-head.js';
import { logCallOf } from '../analysis/tasks/logging.js';
import { getTypeFacts } from '../analysis/types.js';
import { isOutsideServerLifecycle } from '../analysis/tasks/runtime.js';
import { vocabularyFromSettings } from '../model/settings.js';
import { createRule } from './util/create-rule.js';

export type Options = [
  {
    startLevels?: string[];
    completionLevels?: string[];
  },
];
export type MessageIds = 'missingLifecycleLogging' | 'missingStartLog' | 'missingCompletionLog';

/** The logging and awaited work of one background task, in source order. */
interface TaskLog {
  firstAwait: TSESTree.Node | undefined;
  lastAwait: TSESTree.Node | undefined;
  readonly logs: { node: TSESTree.CallExpression; level: string }[];
}

export default createRule<Options, MessageIds>({
  name: 'require-lifecycle-logging',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Require background work to log when it starts and when it completes',
      recommended: 'strict',
      usesTypeInformation: true,
    },
    messages: {
      missingLifecycleLogging:
        '{{task}} runs in the background without logging its start or its completion, so nobody can tell whether it ran. Log both through {{logger}} (e.g. `logger.info(`{{task}} started`, { id })` before the work and `... completed` after it).',
      missingStartLog:
        '{{task}} runs in the background without logging its start. Log it through {{logger}} before the first awaited work (line {{line}}), with the id of the work.',
      missingCompletionLog:
        '{{task}} runs in the background without logging its completion. Log it through {{logger}} after the last awaited work (line {{line}}), with the id of the work.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          startLevels: {
            type: 'array',
            items: { type: 'string' },
            description: 'Log methods that count as a start log (`info`, `debug`); empty: any log method.',
          },
          completionLevels: {
            type: 'array',
            items: { type: 'string' },
            description: 'Log methods that count as a completion log; empty: any log method.',
          },
        },
      },
    ],
    defaultOptions: [{ startLevels: [], completionLevels: [] }],
  },
  defaultOptions: [{ startLevels: [], completionLevels: [] }],
  create(context, [options]) {
    const vocabulary = vocabularyFromSettings(context.settings);
    // Browser and test code have no server log to find a task's start and end in (../analysis/tasks/runtime.ts).
    if (isOutsideServerLifecycle(context.sourceCode, vocabulary)) return {};
    const facts = getFileFacts(context, vocabulary);
    // A script's top-level `main()` is the process itself, not background work (./entry-point.ts).
    const { tasks, taskOf } = serverTasks(facts);
    if (tasks.length === 0) return {};
    const types = getTypeFacts(context, vocabulary);
    const startLevels = new Set(options.startLevels ?? []);
    const completionLevels = new Set(options.completionLevels ?? []);
    const byTask = new Map<BackgroundTask, TaskLog>();
    const loggerNames = vocabulary.source.loggers.filter((l) => l !== 'console' || vocabulary.source.consoleIsLifecycleLogger);
    const loggerText = `a logger (${loggerNames.map((l) => `\`${l}\``).join(', ')})`;

    function entry(task: BackgroundTask): TaskLog {
      let log = byTask.get(task);
      if (!log) byTask.set(task, (log = { firstAwait: undefined, lastAwait: undefined, logs: [] }));
      return log;
    }

    function onAwait(node: TSESTree.Node): void {
      const task = taskOf(node);
      if (!task || inHandler(node, task.fn)) return;
      const log = entry(task);
      log.firstAwait ??= node;
      log.lastAwait = node;
    }

    return {
      AwaitExpression: onAwait,
      'ForOfStatement[await=true]': onAwait,
      CallExpression(node) {
        // Type-aware: a logger by its type, asked only for calls inside background tasks.
        const call = logCallOf(vocabulary, node, true) ?? (types && facts.taskOf(node) ? logCallOf(vocabulary, node, true, types) : undefined);
        if (!call) return;
        const task = taskOf(node);
        // A log in `finally` runs on completion too; a log in `catch` is failure logging.
        if (!task || inHandler(node, task.fn, false)) return;
        entry(task).logs.push({ node, level: call.level });
      },
      'Program:exit'() {
        for (const task of tasks) {
          // Closures detached inside a task are logged by the task; synchronous callbacks do no long work.
          if (task.reasons.every((r) => r.kind === 'detached')) continue;
          const log = byTask.get(task);
          if (!log?.firstAwait || !log.lastAwait) continue;
          const first = log.firstAwait.range[0];
          const last = log.lastAwait.range[1];
          const started = log.logs.some((l) => l.node.range[1] <= first && (startLevels.size === 0 || startLevels.has(l.level)));
          const completed = log.logs.some(
            (l) => l.node.range[0] >= last && (completionLevels.size === 0 || completionLevels.has(l.level)),
          );
          if (started && completed) continue;
          const loc = functionHeadLoc(task.fn);
          if (!started && !completed) {
            context.report({ loc, messageId: 'missingLifecycleLogging', data: { task: task.label, logger: loggerText } });
          } else if (!started) {
            context.report({
              loc,
              messageId: 'missingStartLog',
              data: { task: task.label, logger: loggerText, line: String(log.firstAwait.loc.start.line) },
            });
          } else {
            context.report({
              loc,
              messageId: 'missingCompletionLog',
              data: { task: task.label, logger: loggerText, line: String(log.lastAwait.loc.start.line) },
            });
          }
        }
      },
    };
  },
});

/** Whether a node runs in a catch (or, with `finallyToo`, a finally) block of its background function. */
function inHandler(node: TSESTree.Node, root: FunctionNode, finallyToo = true): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && current !== root; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return true;
    if (finallyToo && current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) return true;
    child = current;
  }
  return false;
}
