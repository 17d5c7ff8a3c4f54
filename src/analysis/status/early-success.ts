/**
 * A success status written before the job's last fallible step (issue 14, shape 4):
 *
 *     await updateFileOperation(op, { state: 'complete', url });
 *     await new ExportSuccessEmail(props).schedule();   // can fail
 *   } catch (error) {
 *     await updateFileOperation(op, { state: 'error' });  // overwrites `complete`
 *     throw error;                                         // and the queue retries the whole export
 *
 * After the success write, the statements that run next on the normal path (the rest of its
 * block, then of each enclosing block up to the function; not past a loop, whose next iteration
 * is another entity, nor out of a nested callback) are searched for an awaited call whose failure
 * has a consequence: a catch that writes a failed status, or (rethrown or uncaught) a framework
 * that fails and retries the job. Logging, other status writes, the save of the written object,
 * releasing a session, and work whose failure is caught and dropped (`.catch(log)`, a try/catch
 * that neither rethrows nor records, a callee whose whole body is such a try/catch) are what the
 * checklist allows after completion. A write
 * inside an open manual transaction (a commit follows) is undone with the rest: not reported.
 * One bounded walk per completed write; completed writes are few.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, isFunction, isLoop, pushChildren, skipWrappers, containsNode, type FunctionNode } from '../ast.js';
import { catchRecordsFailure, type StatusWriteOf } from './callee-status.js';
import { logCallOf } from '../tasks/logging.js';
import { savedObjects, type StatusUpdate } from './status.js';

/** Fallible work after a success write. */
export interface EarlySuccess {
  /** The awaited call that can still fail. */
  readonly work: TSESTree.CallExpression;
  /** What its failure does: a catch records a failure over the success, or the job framework fails (and retries) the job. */
  readonly outcome: 'overwritten' | 'retried';
}

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];

/**
 * The first awaited call after a completed status write whose failure has a consequence, or
 * undefined. `frameworkRecordsFailure`: an error escaping the function fails the job.
 */
export function fallibleWorkAfterSuccess(
  update: StatusUpdate,
  fn: FunctionNode,
  vocabulary: CompiledVocabulary,
  keys: VisitorKeys,
  frameworkRecordsFailure: boolean,
  /** Whether a call cannot fail: its callee catches everything (`cleanupOldBackups` wrapped whole in a try/catch that logs). */
  cannotFail: (call: TSESTree.CallExpression) => boolean,
  /** The status a node writes, directly or through a helper that forwards its argument (`this.updateFileOperation(op, { state })`). */
  writeOf: StatusWriteOf,
): EarlySuccess | undefined {
  if (update.phase !== 'completed') return undefined;
  // A write through a transaction's session is undone with the rest of the transaction.
  if (update.node.type === AST_NODE_TYPES.CallExpression) {
    const root = rootName(update.node.callee);
    if (root !== undefined && vocabulary.isSessionParameterName(root)) return undefined;
  }
  const candidates: TSESTree.AwaitExpression[] = [];
  let statement: TSESTree.Node = update.node;
  for (;;) {
    const parent: TSESTree.Node | undefined = statement.parent;
    if (!parent || parent === fn) break;
    if (isFunction(parent) || isLoop(parent) || parent.type === AST_NODE_TYPES.CatchClause) {
      // Out of a callback, into the next iteration, or a success written while handling an error: not this check's.
      if (isFunction(parent) || parent.type === AST_NODE_TYPES.CatchClause) return undefined;
      break;
    }
    if (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.SwitchCase) {
      const body = parent.type === AST_NODE_TYPES.BlockStatement ? parent.body : parent.consequent;
      for (const next of body.slice(body.indexOf(statement as TSESTree.Statement) + 1)) collectAwaits(next, keys, candidates);
      // A `finally` runs whatever happened: cleanup, not a step of the job.
      if (parent.parent?.type === AST_NODE_TYPES.TryStatement && parent.parent.finalizer === parent) return undefined;
    }
    statement = parent;
  }
  const written = update.form === 'assignment' ? update.object : undefined;
  for (const candidate of candidates) {
    const call = awaitedCall(candidate);
    if (call && vocabulary.isTransactionCommitMethod(calleeParts(call)?.member)) return undefined;
  }
  for (const candidate of candidates) {
    const call = awaitedCall(candidate);
    if (!call || isAllowedAfterSuccess(call, vocabulary, written, writeOf) || cannotFail(call)) continue;
    const outcome = failureOutcome(candidate, fn, keys, frameworkRecordsFailure, writeOf);
    if (outcome) return { work: call, outcome };
  }
  return undefined;
}

/** `tx` in `tx.job.update(...)`, `queryRunner` in `queryRunner.manager.update(...)`. */
function rootName(callee: TSESTree.Node): string | undefined {
  let current = skipWrappers(callee);
  while (current.type === AST_NODE_TYPES.MemberExpression || current.type === AST_NODE_TYPES.CallExpression) {
    current = skipWrappers(current.type === AST_NODE_TYPES.MemberExpression ? current.object : current.callee);
  }
  return current.type === AST_NODE_TYPES.Identifier ? current.name : undefined;
}

/** The awaits of a statement in source order, not inside nested functions. */
function collectAwaits(root: TSESTree.Node, keys: VisitorKeys, out: TSESTree.AwaitExpression[]): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunction(node)) continue;
    if (node.type === AST_NODE_TYPES.AwaitExpression) out.push(node);
    pushChildren(stack, node, keys);
  }
}

/** The call an `await` waits for: `await f()`, `await a?.b()`, `await new Email(p).schedule()`. */
function awaitedCall(node: TSESTree.AwaitExpression): TSESTree.CallExpression | undefined {
  const inner = skipWrappers(node.argument);
  const call = inner.type === AST_NODE_TYPES.ChainExpression ? inner.expression : inner;
  return call.type === AST_NODE_TYPES.CallExpression ? call : undefined;
}

/** Logging, status writes, the save of the written object, releasing a session, and work whose rejection is handled. */
function isAllowedAfterSuccess(call: TSESTree.CallExpression, vocabulary: CompiledVocabulary, written: string | undefined, writeOf: StatusWriteOf): boolean {
  if (logCallOf(vocabulary, call) || writeOf(call)) return true;
  const parts = calleeParts(call);
  if (!parts) return false;
  if (parts.member === 'catch' || (parts.member === 'then' && call.arguments.length > 1)) return true;
  if (parts.member === 'allSettled' || vocabulary.isEndingMethod(parts.member)) return true;
  if (written !== undefined) {
    const saved = savedObjects(vocabulary, call);
    // `repo.save(job)`, `job.save()`, `em.flush()` (saves everything): the write itself.
    if (saved.includes(written) || saved.includes('*') || (parts.receiver === written && vocabulary.isSaveMethod(parts.member))) return true;
  }
  return false;
}

/**
 * What a failure at `node` leads to: a catch that writes a failed status (`overwritten`), or an
 * exception out of a framework-run job (`retried`); undefined when a catch drops it.
 */
function failureOutcome(
  node: TSESTree.Node,
  fn: FunctionNode,
  keys: VisitorKeys,
  frameworkRecordsFailure: boolean,
  writeOf: StatusWriteOf,
): EarlySuccess['outcome'] | undefined {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.block === child && current.handler) {
      const handler = current.handler;
      if (catchRecordsFailure(handler, keys, writeOf)) return 'overwritten';
      // A catch that does not rethrow handles the failure: a notification whose failure is caught is fine.
      if (!rethrows(handler, keys)) return undefined;
    }
    child = current;
  }
  return frameworkRecordsFailure ? 'retried' : undefined;
}

function rethrows(handler: TSESTree.CatchClause, keys: VisitorKeys): boolean {
  return containsNode(handler.body, keys, (node) => node.type === AST_NODE_TYPES.ThrowStatement);
}
