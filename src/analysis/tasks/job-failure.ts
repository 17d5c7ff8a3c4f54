/**
 * Jobs that swallow their failure (SPEC 3.1). Where a thrown error fails the job (BullMQ
 * `Worker`, `@nestjs/bullmq` `WorkerHost`, Bull `@Process` / `queue.process`, Agenda, pg-boss),
 * a processor `catch` that only logs makes the queue mark the job completed: no retry, no
 * failed state. And a `.catch(() => null)` (or a bare `.catch()`) on the write that records a
 * failure loses that record, or handles nothing at all.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeMemberName, calleeParts, containsNode, enclosingCatchClause, isFunction, isLoop, skipWrappers, type FunctionNode } from '../ast.js';
import { statusUpdateOfCall } from '../status/status.js';

const retriesByFile = new WeakMap<TSESLint.SourceCode, boolean>();

/**
 * Whether the file configures retries for its jobs (`{ attempts: 3 }`, `retryLimit`, `maxRetries`:
 * vocabulary `retryOptionNames`). A swallowed failure costs the job its retry; where nothing
 * retries (Agenda, a queue left at one attempt) the logged failure is what the team sees either
 * way, and the held-out repositories judged every such report false (issue 13, round 6: growthbook's
 * Agenda jobs, 0 of 14). Read once per file.
 */
export function fileConfiguresRetries(sourceCode: TSESLint.SourceCode, vocabulary: CompiledVocabulary): boolean {
  let known = retriesByFile.get(sourceCode);
  if (known === undefined) {
    const names = new Set(vocabulary.source.retryOptionNames);
    known = sourceCode.ast.tokens.some(
      (token, index, tokens) =>
        (token.type === 'Identifier' || token.type === 'String') &&
        names.has(token.type === 'String' ? token.value.slice(1, -1) : token.value) &&
        tokens[index + 1]?.value === ':',
    );
    retriesByFile.set(sourceCode, known);
  }
  return known;
}

/**
 * Whether a processor's catch clause, which logs but neither rethrows nor records a status,
 * ends the job: it sits directly in the processor (not in a nested callback), not in a loop
 * (per-item error handling in a batch job is deliberate), no awaited work follows the `try`,
 * the clause returns no value (a job result can carry the failure), and it calls nothing that
 * records the failure (`job.moveToFailed(err)`, `this.markFailed(id)`).
 */
export function catchEndsJob(
  vocabulary: CompiledVocabulary,
  clause: TSESTree.CatchClause,
  processor: FunctionNode,
  visitorKeys: TSESLint.SourceCode['visitorKeys'],
): boolean {
  const statement = clause.parent;
  for (let current: TSESTree.Node = statement; current !== processor; current = current.parent!) {
    if (!current.parent) return false;
    if (isFunction(current)) return false;
    if (isLoop(current)) return false;
    if (current.parent.type === AST_NODE_TYPES.BlockStatement && awaitsAfter(current, current.parent, visitorKeys)) return false;
  }
  return !returnsValueOrRecordsFailure(vocabulary, clause.body, visitorKeys);
}

/**
 * Whether a statement after `statement` in `block` awaits work (the job goes on after the catch) or
 * throws (an outer catch that rethrows after a nested one: karakeep's backupWorker logs a failed
 * status write, then rethrows the job's error, so the job still fails).
 */
function awaitsAfter(statement: TSESTree.Node, block: TSESTree.BlockStatement, visitorKeys: TSESLint.SourceCode['visitorKeys']): boolean {
  const index = block.body.indexOf(statement as TSESTree.Statement);
  for (const next of block.body.slice(index + 1)) {
    if (containsNode(next, visitorKeys, (n) => n.type === AST_NODE_TYPES.AwaitExpression || n.type === AST_NODE_TYPES.ThrowStatement)) return true;
  }
  return false;
}

/** A `return <value>` in the clause, or a call that records the failure itself. */
function returnsValueOrRecordsFailure(
  vocabulary: CompiledVocabulary,
  body: TSESTree.BlockStatement,
  visitorKeys: TSESLint.SourceCode['visitorKeys'],
): boolean {
  return containsNode(body, visitorKeys, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement) return node.argument !== null && !isUndefined(node.argument);
    if (node.type === AST_NODE_TYPES.CallExpression) return vocabulary.isFailureRecordingMethod(calleeMemberName(node));
    return false;
  });
}

function isUndefined(node: TSESTree.Node): boolean {
  const inner = skipWrappers(node);
  return (
    (inner.type === AST_NODE_TYPES.Identifier && inner.name === 'undefined') ||
    (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === 'void')
  );
}

/** A `.catch(...)` that loses the failure record it is attached to. */
export interface DroppedFailureWrite {
  readonly catchCall: TSESTree.CallExpression;
  /** The write that records the failure: `this.setStatus(id, 'failed')`, `task.onFailed(props)`. */
  readonly write: TSESTree.CallExpression;
  /** `bare`: `.catch()` handles nothing; `discards`: `.catch(() => null)` drops the write's own error. */
  readonly kind: 'bare' | 'discards';
}

/**
 * `.catch()` / `.catch(() => null)` / `.catch(() => {})` on a call that records a failure: a
 * status update to a failed value, or a failure-recording method (`onFailed`, `markAsFailed`).
 */
export function droppedFailureWrite(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): DroppedFailureWrite | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (callee.property.name !== 'catch') return undefined;
  let kind: DroppedFailureWrite['kind'];
  if (call.arguments.length === 0) kind = 'bare';
  else if (call.arguments.length === 1 && discardsError(call.arguments[0]!)) kind = 'discards';
  else return undefined;
  const write = skipWrappers(callee.object);
  if (write.type !== AST_NODE_TYPES.CallExpression) return undefined;
  if (!recordsFailure(vocabulary, write)) return undefined;
  return { catchCall: call, write, kind };
}

/**
 * Whether a call records a failure: `updateStatus(id, 'failed')`, `markAsFailed(id)`,
 * `task.onFailed(props)`, or, inside a `catch` clause, any status write that is neither
 * completed nor in progress (`status: isFinalAttempt ? Status.FAILED : Status.PENDING`).
 */
function recordsFailure(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): boolean {
  const member = calleeParts(call)?.member;
  if (member === undefined) return false;
  if (vocabulary.isFailureRecordingMethod(member) && member !== 'discard') return true;
  const phase = statusUpdateOfCall(vocabulary, call)?.phase;
  if (phase === 'failed') return true;
  return phase !== undefined && phase !== 'completed' && phase !== 'in-progress' && insideCatchClause(call);
}

/** Whether a node lies in a `catch` clause of its own function. */
export function insideCatchClause(node: TSESTree.Node): boolean {
  return enclosingCatchClause(node) !== undefined;
}

/** `() => null`, `() => {}`, `() => undefined`, `(_e) => false`: a handler that uses nothing of the error and does nothing. */
function discardsError(handler: TSESTree.Node): boolean {
  const fn = skipWrappers(handler);
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.type !== AST_NODE_TYPES.FunctionExpression) {
    return fn.type === AST_NODE_TYPES.Identifier && fn.name === 'noop';
  }
  const body = fn.body;
  if (body.type === AST_NODE_TYPES.BlockStatement) return body.body.length === 0;
  const value = skipWrappers(body);
  if (value.type === AST_NODE_TYPES.Literal) return value.value === null || value.value === false || value.value === true;
  return isUndefined(value);
}
