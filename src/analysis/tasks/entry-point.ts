/**
 * Script entry points: `main().catch(...)`, `bootstrap()`, `(async () => { ... })()` at the top
 * level of a module. The process itself is that task (it lives until the promise settles and
 * an unhandled rejection ends it loudly), so it is not background work to log, time out or
 * track; only its missing rejection handler is still a floating promise.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isFunction } from '../ast.js';
import type { BackgroundTask, DispatchSite } from './background.js';
import type { FileFacts } from '../facts.js';

/** Whether a statement runs at the top level of its module (also inside a top-level block: `try { main() } ...`). */
export function isTopLevelStatement(statement: TSESTree.Node): boolean {
  for (let current = statement.parent; current; current = current.parent) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.ClassBody) return false;
  }
  return true;
}

const scriptCache = new WeakMap<TSESTree.Program, boolean>();

/**
 * Whether a module is a script (it exports nothing: no `export`, no `module.exports`/`exports.x`):
 * a process entry point, not a module that others import.
 */
export function isScriptModule(program: TSESTree.Program): boolean {
  let script = scriptCache.get(program);
  if (script === undefined) {
    script = !program.body.some(
      (statement) =>
        statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
        statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
        statement.type === AST_NODE_TYPES.ExportAllDeclaration ||
        statement.type === AST_NODE_TYPES.TSExportAssignment ||
        (statement.type === AST_NODE_TYPES.ExpressionStatement && assignsExports(statement.expression)),
    );
    scriptCache.set(program, script);
  }
  return script;
}

/** `module.exports = ...`, `exports.x = ...`, `module.exports.x = ...`. */
function assignsExports(expression: TSESTree.Expression): boolean {
  if (expression.type !== AST_NODE_TYPES.AssignmentExpression) return false;
  let target: TSESTree.Node = expression.left;
  while (target.type === AST_NODE_TYPES.MemberExpression) {
    const object: TSESTree.Node = target.object;
    if (object.type === AST_NODE_TYPES.Identifier && (object.name === 'exports' || object.name === 'module')) return true;
    target = object;
  }
  return false;
}

/**
 * Whether a statement starts a script's own process work (`main();`, `bootstrap();`, a top-level
 * async IIFE in a module that exports nothing): failing fast and loud is what its author wants, and
 * Node prints the rejection and exits non-zero. A module that others import and that starts work
 * at import time is not such an entry point.
 */
export function isProcessEntryStatement(statement: TSESTree.Node, program: TSESTree.Program): boolean {
  return isTopLevelStatement(statement) && isScriptModule(program);
}

/** Whether a dispatch site is a module's top-level call statement. */
export function isTopLevelDispatch(site: DispatchSite): boolean {
  return site.kind === 'fire-and-forget' && isTopLevelStatement(site.statement);
}

/** Whether a task is background only because the module calls it at its top level (a script's `main`). */
export function isScriptEntryPoint(task: BackgroundTask): boolean {
  return (
    task.reasons.length > 0 &&
    task.reasons.every((reason) => reason.kind === 'fire-and-forget') &&
    task.dispatchSites.length > 0 &&
    task.dispatchSites.every(isTopLevelDispatch)
  );
}

/** The tasks of a file that are background work of a server, without a script's own entry points. */
export interface ServerTasks {
  readonly tasks: readonly BackgroundTask[];
  /** The task containing a node, unless that task is a script's entry point. */
  readonly taskOf: (node: TSESTree.Node) => BackgroundTask | undefined;
}

/** The facts' tasks with script entry points left out, for the rules that judge a task's lifecycle. */
export function serverTasks(facts: Pick<FileFacts, 'tasks' | 'taskOf'>): ServerTasks {
  return {
    tasks: facts.tasks.filter((task) => !isScriptEntryPoint(task)),
    taskOf: (node) => {
      const task = facts.taskOf(node);
      return task && !isScriptEntryPoint(task) ? task : undefined;
    },
  };
}
