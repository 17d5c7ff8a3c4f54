/**
 * Failure hooks: where a framework that runs a job calls back after the job has failed for good,
 * and the job's own code records the failed status there instead of in its catch.
 *
 *     class ImportTask extends BaseTask {            // Outline: the worker calls onFailed() on the last attempt
 *       async perform({ id }) {
 *         await setStatus(id, 'running');
 *         try { ... } catch (err) { throw err; }      // rethrown for the queue's retry
 *       }
 *       async onFailed({ id }) { await setStatus(id, 'errored'); }
 *     }
 *
 * The vocabulary names the hooks (`failureHookMethods`, `failureHookDecorators`, the
 * `failureHookEvents` of `@OnWorkerEvent('failed')` / `worker.on('failed', fn)`, and a dispatcher's
 * `failureCallback`: `createRunner(queue, { run, onError })`). A hook counts
 * when it writes a failed status itself (./callee-status.ts), and only for a job whose framework
 * records failures (a thrown error reaches the hook).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeParts, decoratorName, type CallLike, isFunction, owningClass, propertyName, pushChildren, stringValue, type FunctionNode } from '../ast.js';
import type { FileFacts } from '../facts.js';
import { matchDispatcher, type BackgroundTask } from '../tasks/background.js';
import { failureCallbackOf } from '../tasks/registrations.js';
import { summariseFunction } from './callee-status.js';

const fileHooks = new WeakMap<FileFacts, boolean>();

/** Whether a thrown error of this framework-run job reaches a hook that writes a failed status. */
export function failureRecordedByHook(facts: FileFacts, task: BackgroundTask): boolean {
  if (!task.frameworkRecordsFailure) return false;
  // `createRunner(queue, { run, onError })`: the failure callback of the call that registered the job.
  for (const reason of task.reasons) {
    if (reason.kind !== 'dispatcher') continue;
    const call = reason.node as CallLike;
    const dispatcher = matchDispatcher(facts.vocabulary, call);
    const callback = dispatcher && failureCallbackOf(dispatcher, call);
    const fn = callback && facts.resolveFunction(callback);
    if (fn && writesFailure(facts, fn)) return true;
  }
  const cls = owningClass(task.fn);
  if (cls && cls.body.body.some((member) => member.type === AST_NODE_TYPES.MethodDefinition && isFailureHook(facts, member) && isFunction(member.value) && writesFailure(facts, member.value))) return true;
  let answer = fileHooks.get(facts);
  if (answer === undefined) fileHooks.set(facts, (answer = failedListenerWritesFailure(facts)));
  return answer;
}

function isFailureHook(facts: FileFacts, member: TSESTree.MethodDefinition): boolean {
  if (member.static || !isFunction(member.value)) return false;
  const vocabulary = facts.vocabulary;
  if (vocabulary.isFailureHookMethod(propertyName(member.key, member.computed))) return true;
  return member.decorators.some((decorator) => {
    const name = decoratorName(decorator);
    if (vocabulary.isFailureHookDecorator(name)) return true;
    // `@OnWorkerEvent('failed')`, `@OnQueueEvent('failed')`.
    const event = decorator.expression.type === AST_NODE_TYPES.CallExpression ? stringValue(decorator.expression.arguments[0]) : undefined;
    return vocabulary.isJobLifecycleDecorator(name) && vocabulary.isFailureHookEvent(event);
  });
}

/**
 * Whether a catch clause hands its failure to a function of this file that writes the failed
 * status (`catch (e) { await this._handleError(command, e) }`, which writes `FAILED` on the last
 * attempt and re-queues the command otherwise), or is the fallback of such a record: its `try`
 * makes that call (`try { await this._handleError(command, e) } catch (error) { logger.warn(...) }`),
 * so it runs only when recording the failure failed, and writing the failed status again there
 * would fail the same way. Issue 13, round 16: seen in a public backend, OriginTrail/ot-node
 * src/commands/command-executor.js:185 and :207.
 */
export function recordsFailureThroughCallee(facts: FileFacts, clause: TSESTree.CatchClause): boolean {
  const statement = clause.parent;
  if (statement?.type !== AST_NODE_TYPES.TryStatement) return false;
  return callsFailureWriter(facts, clause.body) || callsFailureWriter(facts, statement.block);
}

/** Whether a block calls, outside nested functions, a function of this file that writes a failed status. */
function callsFailureWriter(facts: FileFacts, block: TSESTree.BlockStatement): boolean {
  const stack: TSESTree.Node[] = [...block.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunction(node)) continue;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const fn = facts.resolveFunction(node.callee);
      if (fn && writesFailure(facts, fn)) return true;
    }
    pushChildren(stack, node, facts.sourceCode.visitorKeys);
  }
  return false;
}

function writesFailure(facts: FileFacts, fn: FunctionNode): boolean {
  return summariseFunction(fn, facts.vocabulary, facts.sourceCode.visitorKeys, (callee) => facts.resolveFunction(callee)).writesFailure;
}

/** `worker.on('failed', async (job, err) => setStatus(job.data.id, 'failed'))` somewhere in the file (over the facts' calls, asked rarely). */
function failedListenerWritesFailure(facts: FileFacts): boolean {
  const vocabulary = facts.vocabulary;
  if (!vocabulary.source.failureHookEvents.some((event) => facts.sourceCode.text.includes(event))) return false;
  for (const call of facts.calls) {
    if (call.type !== AST_NODE_TYPES.CallExpression) continue;
    const parts = calleeParts(call);
    if ((parts?.member === 'on' || parts?.member === 'once') && vocabulary.isFailureHookEvent(stringValue(call.arguments[0]))) {
      const listener = call.arguments[1] && facts.resolveFunction(call.arguments[1]);
      if (listener && writesFailure(facts, listener)) return true;
    }
  }
  return false;
}
