/**
 * Timeouts in background work: which calls are external work (`fetch`, HTTP clients,
 * configured queue or ORM calls), and what bounds them (`AbortSignal.timeout`, a `signal` or
 * `timeout` option, `Promise.race` with a timer, a timeout helper, a job option `timeout`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import type { CalleePattern } from '../../model/names.js';
import { calleeParts, decoratorName, functionHolder, isPromiseCombinator, isValueUsed, objectPropertiesNamed, type CallLike } from '../ast.js';
import { matchDispatcher, type BackgroundTask } from './background.js';
import type { FileFacts } from '../facts.js';
import type { TypeFacts } from '../types.js';

/** A pattern fit where a member `*` stands for any method (`axios.*`). */
function fitsAny(patterns: readonly CalleePattern[], receiver: string | undefined, member: string): boolean {
  return patterns.some(
    (p) => (p.member === '*' || p.member === member) && (p.receiver === undefined ? receiver === undefined : p.receiver(receiver)),
  );
}

/** `fetch`, `axios.get`, `this.httpService.post`: a short name for messages. */
export function callName(call: CallLike): string {
  const parts = calleeParts(call);
  if (!parts) return 'call';
  return parts.receiver && parts.receiver !== 'this' ? `${parts.receiver}.${parts.member}` : parts.member;
}

/** Whether a call is external work a background task should bound (by name, or by its receiver's type). */
export function isExternalCall(vocabulary: CompiledVocabulary, call: CallLike, types: TypeFacts | undefined): boolean {
  const parts = calleeParts(call);
  if (!parts) return false;
  if (fitsAny(vocabulary.externalCalls, parts.receiver, parts.member)) return true;
  return types !== undefined && parts.object !== undefined && types.externalClientTypeName(parts.object) !== undefined;
}

/** Whether an object literal among the arguments carries a timeout option (`{ signal }`, `{ timeout: 5000 }`). */
export function hasTimeoutOption(vocabulary: CompiledVocabulary, args: readonly TSESTree.Node[]): boolean {
  return args.some((argument) => objectPropertiesNamed(argument, (name) => vocabulary.isTimeoutOptionName(name)).length > 0);
}

/**
 * Whether a call is a timeout mechanism for the code around it: a timeout helper
 * (`AbortSignal.timeout`, `pTimeout`, `withTimeout`, rxjs `timeout`), or `Promise.race`.
 * A timer that starts a background task (`setTimeout(async () => ..., ms)`) is not one.
 */
export function isTimeoutMechanism(facts: FileFacts, call: CallLike): boolean {
  if (call.type === AST_NODE_TYPES.CallExpression && isPromiseCombinator(call)) return calleeParts(call)?.member === 'race';
  const parts = calleeParts(call);
  if (!parts || !facts.vocabulary.fits(facts.vocabulary.timeoutHelpers, parts.receiver, parts.member)) return false;
  if (matchDispatcher(facts.vocabulary, call)) {
    return !call.arguments.some((a) => {
      const fn = facts.resolveFunction(a);
      return fn !== undefined && facts.taskRootedAt(fn) !== undefined;
    });
  }
  return true;
}

/** A job option `timeout` where the task is declared or dispatched (`@Process({ timeout })`, `agenda.define(n, { timeout }, fn)`). */
export function taskHasTimeoutOption(vocabulary: CompiledVocabulary, task: BackgroundTask): boolean {
  const holder = functionHolder(task.fn);
  if (holder.type === AST_NODE_TYPES.MethodDefinition || holder.type === AST_NODE_TYPES.PropertyDefinition) {
    for (const decorator of holder.decorators) {
      if (!vocabulary.isBackgroundDecorator(decoratorName(decorator))) continue;
      if (decorator.expression.type === AST_NODE_TYPES.CallExpression && hasTimeoutOption(vocabulary, decorator.expression.arguments)) {
        return true;
      }
    }
  }
  return task.dispatchSites.some((site) => site.kind === 'dispatcher' && hasTimeoutOption(vocabulary, site.call.arguments));
}

/** One background task's external work and timeout evidence, gathered call by call. */
interface TaskTimeouts {
  bounded: boolean;
  unbounded: CallLike | undefined;
}

/** An unbounded external call of a background task. */
export interface UntimedTask {
  readonly task: BackgroundTask;
  /** The first external call that nothing bounds. */
  readonly call: CallLike;
}

/** Collects, call by call during the traversal, the background tasks whose external work has no timeout. */
export class TimeoutCollector {
  private readonly byTask = new Map<BackgroundTask, TaskTimeouts>();

  constructor(
    private readonly facts: FileFacts,
    private readonly types: TypeFacts | undefined,
  ) {}

  /** Feed every call of the file, in traversal order. */
  onCall(call: CallLike): void {
    const task = this.facts.taskOf(call);
    if (!task) return;
    let state = this.byTask.get(task);
    if (!state) {
      state = { bounded: taskHasTimeoutOption(this.facts.vocabulary, task), unbounded: undefined };
      this.byTask.set(task, state);
    }
    if (state.bounded) return;
    if (isTimeoutMechanism(this.facts, call)) {
      state.bounded = true;
      return;
    }
    if (state.unbounded || !isValueUsed(call)) return;
    if (!isExternalCall(this.facts.vocabulary, call, this.types)) return;
    if (hasTimeoutOption(this.facts.vocabulary, call.arguments)) return;
    state.unbounded = call;
  }

  /** The tasks left with unbounded external work, in source order. */
  untimed(): UntimedTask[] {
    const out: UntimedTask[] = [];
    for (const [task, state] of this.byTask) if (!state.bounded && state.unbounded) out.push({ task, call: state.unbounded });
    return out.sort((a, b) => a.task.fn.range[0] - b.task.fn.range[0]);
  }
}
