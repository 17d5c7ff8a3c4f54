/**
 * "On every path" reasoning about status updates in background functions, over ESLint's
 * code paths (./code-path.ts).
 *
 * While a function is traversed, each of its reachable segments collects an ordered list
 * of events: status writes, points that may throw (calls, `await`, `new`), and the jumps
 * that name an exit (`return`, `break`, `continue`, `throw`, entering a `catch`). ESLint's
 * segments model `throw` statements, but a call in the middle of a `try` block only reaches
 * the `catch` through the first throwable node and the end of the block; the events add the
 * missing edge from every throw point to its handler (or `finally`, or out of the function).
 *
 * At the end of the function, a search starts after each in-progress write and follows
 * events and segments (visited set: linear in the number of segments) until a path either
 * writes another status (any non-in-progress value ends the in-progress state), reaches
 * another in-progress write (that write answers for the rest of the path), comes back to the
 * same write on the next loop iteration (stuck for this iteration's entity), or leaves the
 * function: that exit leaves the entity stuck.
 *
 *     updateStatus('processing') --> work() --throws--> catch { log } --> end of function   (stuck)
 *                                        \--> updateStatus('done')                          (fine)
 *
 * Inline callbacks (a scope callback `transaction(async (m) => ...)`, `Promise.all(xs.map(...))`)
 * hand their effect to the call that runs them: a callback that can leave with an
 * in-progress status makes that call an in-progress write of the outer function.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { BackgroundTask } from '../tasks/background.js';
import { CodePathTracker, SegmentSearch, withCodePathListeners, type CodePath, type CodePathFrame, type Segment } from './code-path.js';
import { isFunction, isWithin, type FunctionNode } from '../ast.js';
import type { FileFacts } from '../facts.js';
import { logCallOf } from '../tasks/logging.js';
import { isExhaustiveChainTail } from './exhaustive-chains.js';
import { calleeStatusSummary, catchRecordsFailure, entityIds, handsOffEntity, HANDED_OFF, statusWriteOf, type StatusWriteOf } from './callee-status.js';
import { savedObjects, statusUpdateOfAssignment, type StatusUpdate } from './status.js';
import type { TypeFacts } from '../types.js';

/** Where an exception thrown at a point goes. */
type ThrowTarget =
  | { readonly kind: 'catch'; readonly tryNode: TSESTree.TryStatement }
  | { readonly kind: 'finally'; readonly tryNode: TSESTree.TryStatement }
  | { readonly kind: 'thrown' };

type MarkNode =
  | TSESTree.ReturnStatement
  | TSESTree.BreakStatement
  | TSESTree.ContinueStatement
  | TSESTree.ThrowStatement
  | TSESTree.CatchClause;

interface SetEvent {
  readonly kind: 'set';
  readonly update: StatusUpdate;
  /** False for an assignment whose object is never saved. */
  valid: boolean;
}
type FlowEvent =
  | SetEvent
  | { readonly kind: 'throw'; readonly target: ThrowTarget; readonly node: TSESTree.Node }
  /** An inline callback that can throw after its own in-progress write. */
  | { readonly kind: 'throw-in-progress'; readonly target: ThrowTarget; readonly node: TSESTree.Node; readonly update: StatusUpdate }
  | { readonly kind: 'mark'; readonly node: MarkNode };

/** How a path that leaves an in-progress status stuck ends. */
export interface StuckExit {
  /** Leaves by an exception (a caller may still record the failure). */
  readonly thrown: boolean;
  /** Comes back to the same write on the next loop iteration. */
  readonly iteration: boolean;
  /** The last jump on the path: `return`, `break`, `continue`, `throw`, the `catch` entered, or a throw point. */
  readonly mark: TSESTree.Node | undefined;
  /** The catch clause the path went through, if any. */
  readonly viaCatch: TSESTree.CatchClause | undefined;
}

/** An in-progress write after which some path leaves the function without another status. */
export interface StuckUpdate {
  readonly update: StatusUpdate;
  readonly task: BackgroundTask;
  /** The function the path leaves. */
  readonly fn: FunctionNode;
  readonly exits: readonly StuckExit[];
}

/** Everything the flow learnt about a file. */
export interface StatusFlowResult {
  /** Status writes in background code (assignments only when their object is saved). */
  readonly updates: readonly { readonly update: StatusUpdate; readonly task: BackgroundTask }[];
  readonly stuck: readonly StuckUpdate[];
  /** Whether every same-file caller of a function awaits it in a try whose catch sets a failed status. */
  callersRecordFailure(fn: FunctionNode): boolean;
  /** The status a node writes, directly or through a helper that forwards its argument (cached helpers' summaries). */
  readonly writeOf: StatusWriteOf;
}

interface TryFrame {
  readonly node: TSESTree.TryStatement;
  position: 'try' | 'catch' | 'finally';
  catchTarget?: ThrowTarget;
  finallyTarget?: ThrowTarget;
}

const THROWN: ThrowTarget = { kind: 'thrown' };

/** The shared data of every code path outside background code (never written: listeners skip it). */
const INACTIVE: FrameData = {
  fn: undefined,
  task: undefined,
  inline: false,
  events: new Map(),
  tries: [],
  catchEntry: new Map(),
  finallyEntry: new Map(),
  sets: [],
  handlerDepth: 0,
  leavingFinally: new Set(),
  leaving: new Set(),
  lastSetStatement: undefined,
  handedIds: undefined,
  deadEdges: undefined,
};

interface FrameData {
  readonly fn: FunctionNode | undefined;
  readonly task: BackgroundTask | undefined;
  /** Runs inside the call it is passed to; its effects belong to that call. */
  readonly inline: boolean;
  readonly events: Map<Segment, FlowEvent[]>;
  readonly tries: TryFrame[];
  readonly catchEntry: Map<TSESTree.TryStatement, Segment[]>;
  readonly finallyEntry: Map<TSESTree.TryStatement, Segment[]>;
  readonly sets: SetEvent[];
  /** Depth of catch and finally blocks: a failure of the error handling itself is not modelled. */
  handlerDepth: number;
  /** The segments a `finally` block runs in when the try or catch leaves by return or throw. */
  readonly leavingFinally: Set<Segment>;
  /** Segments that hold a `return` or `throw` statement. */
  readonly leaving: Set<Segment>;
  /** The statement of the last status write: throw points inside it are the write's own. */
  lastSetStatement: TSESTree.Node | undefined;
  /** The entity ids (source text) of the in-progress writes so far; undefined before the first. */
  handedIds: Set<string> | undefined;
  /** Edges never taken: the implicit `else` of an exhaustive `else if` chain (./exhaustive-chains.ts). */
  deadEdges: Map<Segment, Set<Segment>> | undefined;
}

/** What an inline callback hands to the call that runs it. */
interface CallbackEffect {
  /** An in-progress write it can return with. */
  readonly leavesInProgress: StatusUpdate | undefined;
  /** An in-progress write it can throw after. */
  readonly throwsInProgress: StatusUpdate | undefined;
  /** It writes a status that ends the in-progress state. */
  readonly ends: boolean;
}

type Frame = CodePathFrame<FrameData>;

/**
 * Listeners that run the flow over one file and call `done` at `Program:exit`.
 * Only functions inside background tasks are tracked.
 */
/** With `types` (type-aware mode), status values are also read from their literal types. */
export function statusFlowListeners(
  facts: FileFacts,
  done: (result: StatusFlowResult) => void,
  types?: TypeFacts,
): TSESLint.RuleListener {
  const vocabulary = facts.vocabulary;
  // Direct writes and writes through a helper that forwards its status argument (./forwarded-status.ts).
  const writeOf = statusWriteOf(facts, types);
  const effects = new Map<FunctionNode, CallbackEffect>();
  const updates: { update: StatusUpdate; task: BackgroundTask }[] = [];
  const stuck: StuckUpdate[] = [];
  const savedByTask = new Map<BackgroundTask, Set<string>>();
  /** The segments each `else if` tail without `else` is tested in. */
  const testSegments = new Map<TSESTree.IfStatement, Segment[]>();
  /** Whether a caller's catch writes a failed (or other non-completed) status, per handler. */
  const handlerWrites = new Map<TSESTree.CatchClause, boolean>();

  const tracker = new CodePathTracker<FrameData>({
    start(_codePath: CodePath, node: TSESTree.Node): FrameData {
      const fn = isFunction(node) ? node : undefined;
      const task = fn ? facts.taskOf(fn) : undefined;
      if (!task) return INACTIVE;
      const parent = fn?.parent;
      const inline =
        fn !== undefined &&
        facts.taskRootedAt(fn) === undefined &&
        (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
        parent.arguments.includes(fn as TSESTree.CallExpressionArgument);
      return { fn, task, inline, events: new Map(), tries: [], catchEntry: new Map(), finallyEntry: new Map(), sets: [], handlerDepth: 0, leavingFinally: new Set(), leaving: new Set(), lastSetStatement: undefined, handedIds: undefined, deadEdges: undefined };
    },
    end: finish,
    // Code outside background tasks is never read: no segment bookkeeping for it.
    tracks: (data) => data !== INACTIVE,
  });

  const active = (): Frame | undefined => {
    const frame = tracker.frame;
    return frame?.data.task ? frame : undefined;
  };

  function add(frame: Frame, event: FlowEvent): void {
    for (const segment of frame.current) {
      let list = frame.data.events.get(segment);
      if (!list) frame.data.events.set(segment, (list = []));
      list.push(event);
    }
  }

  function throwTarget(frame: Frame): ThrowTarget {
    const tries = frame.data.tries;
    for (let i = tries.length - 1; i >= 0; i -= 1) {
      const t = tries[i]!;
      if (t.position === 'try' && t.node.handler) return (t.catchTarget ??= { kind: 'catch', tryNode: t.node });
      if (t.position !== 'finally' && t.node.finalizer) return (t.finallyTarget ??= { kind: 'finally', tryNode: t.node });
    }
    return THROWN;
  }

  /** Adds a throw point, allocating its event only when some current segment needs it. */
  function addThrow(frame: Frame, node: TSESTree.Node): void {
    const data = frame.data;
    if (data.handlerDepth > 0) return;
    const statement = data.lastSetStatement;
    if (statement && isWithin(node, statement)) return;
    const target = throwTarget(frame);
    let event: FlowEvent | undefined;
    for (const segment of frame.current) {
      let list = data.events.get(segment);
      if (!list) data.events.set(segment, (list = []));
      const last = list.at(-1);
      // Consecutive throw points to the same target add nothing to the paths.
      if (last?.kind === 'throw' && last.target === target) continue;
      list.push((event ??= { kind: 'throw', target, node }));
    }
  }

  function addSet(frame: Frame, update: StatusUpdate): void {
    const event: SetEvent = { kind: 'set', update, valid: update.form !== 'assignment' };
    frame.data.sets.push(event);
    add(frame, event);
    frame.data.lastSetStatement = statementOf(update.node);
    if (update.phase === 'in-progress') {
      const ids = (frame.data.handedIds ??= new Set());
      for (const id of entityIds(update, facts.sourceCode)) ids.add(id);
    }
  }

  /**
   * A call after an in-progress write whose callee ends the status (./callee-status.ts): on return
   * it counts as a status write; a throw out of it goes to the handler first unless the callee
   * records the failure on every throw itself. A callee whose body is not visible (without types,
   * or a declaration the checker cannot find) that is imported from another file, or a method of an
   * injected service, and is handed the entity's id is assumed to end the status when it returns;
   * its throw still has to be recorded here.
   */
  function calleeEnds(frame: Frame, call: TSESTree.CallExpression): boolean {
    const ids = frame.data.handedIds;
    if (!ids) return false;
    const summary = calleeStatusSummary(facts, call) ?? (handsOffEntity(call, ids, facts) ? HANDED_OFF : undefined);
    if (!summary?.endsOnReturn) return false;
    if (!summary.endsOnThrow) addThrow(frame, call);
    addSet(frame, { node: call, phase: 'other', value: 'callee', form: 'method' });
    return true;
  }

  function onCallExit(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
    const frame = active();
    if (!frame) return;
    const update = node.type === AST_NODE_TYPES.CallExpression ? writeOf(node) : undefined;
    const handler = rejectionHandlerCall(node);
    for (const argument of node.arguments) {
      const effect = isFunction(argument) ? effects.get(argument) : undefined;
      // `.catch(cb)` runs cb only on failure: its writes say nothing about the success path.
      if (!effect || handler) continue;
      if (effect.throwsInProgress) {
        add(frame, { kind: 'throw-in-progress', target: throwTarget(frame), node, update: effect.throwsInProgress });
      }
      if (effect.leavesInProgress) addSet(frame, effect.leavesInProgress);
      else if (effect.ends) addSet(frame, { node: node as TSESTree.CallExpression, phase: 'other', value: 'callback', form: 'method' });
    }
    if (update) {
      updates.push({ update, task: frame.data.task! });
      // The write happens when the whole statement's chain runs and its promise settles
      // (`db.updateTable('jobs').set({ status }).where(...).executeTakeFirst()`, `await prisma.job.update(...)`):
      // a failure before that leaves nothing in progress, so the status counts from there.
      // Only an in-progress write moves: a failing final write is no path that leaves the status stuck for this rule.
      const site = update.phase === 'in-progress' ? writeSite(node as TSESTree.CallExpression) : node;
      if (site === node) addSet(frame, update);
      else pendingSets.set(site, update);
      return;
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const saved = savedObjects(vocabulary, node);
      if (saved.length > 0) {
        let set = savedByTask.get(frame.data.task!);
        if (!set) savedByTask.set(frame.data.task!, (set = new Set()));
        for (const name of saved) set.add(name);
      }
    }
    if (node.type === AST_NODE_TYPES.CallExpression && logCallOf(vocabulary, node)) return;
    if (node.type === AST_NODE_TYPES.CallExpression && !handler && !handledByChain(node) && calleeEnds(frame, node)) return;
    // `work().catch(handler)`: the rejection of `work()` goes to the handler, and the handler is failure handling.
    if (handler || handledByChain(node)) return;
    addThrow(frame, node);
  }

  function mark(node: MarkNode): void {
    const frame = active();
    if (!frame) return;
    add(frame, { kind: 'mark', node });
    if (node.type === AST_NODE_TYPES.ReturnStatement || node.type === AST_NODE_TYPES.ThrowStatement) {
      for (const segment of frame.current) frame.data.leaving.add(segment);
    }
  }

  /** Resolves assignments, searches from each in-progress write, and records the outcome. */
  function finish(frame: Frame): void {
    const data = frame.data;
    if (!data.task || !data.fn || data.sets.length === 0) return;
    const saved = savedByTask.get(data.task);
    for (const set of data.sets) {
      if (set.update.form !== 'assignment') continue;
      set.valid = saved !== undefined && (saved.has('*') || saved.has(set.update.object!));
      if (set.valid) updates.push({ update: set.update, task: data.task });
    }
    const returned = new Set(frame.codePath.returnedSegments);
    for (const entry of data.finallyEntry.values()) {
      if (entry.length >= 2) for (const segment of entry.slice(Math.floor(entry.length / 2))) data.leavingFinally.add(segment);
    }
    const thrown = new Set(frame.codePath.thrownSegments);
    let leavesInProgress: StatusUpdate | undefined;
    let throwsInProgress: StatusUpdate | undefined;
    const origins = new Map<FlowEvent, Segment[]>();
    for (const [segment, list] of data.events) {
      for (const event of list) {
        if ((event.kind === 'set' && event.valid && event.update.phase === 'in-progress') || event.kind === 'throw-in-progress') {
          const segments = origins.get(event);
          if (segments) segments.push(segment);
          else origins.set(event, [segment]);
        }
      }
    }
    for (const [origin, segments] of origins) {
      const update = (origin as SetEvent).update;
      const exits = search(frame, origin, segments, returned, thrown);
      const kept: StuckExit[] = [];
      for (const exit of exits) {
        if (data.inline && !exit.iteration) {
          if (exit.thrown) throwsInProgress ??= update;
          else leavesInProgress ??= update;
        } else {
          kept.push(exit);
        }
      }
      if (kept.length > 0) stuck.push({ update, task: data.task, fn: data.fn, exits: kept });
    }
    if (data.inline) {
      const ends = data.sets.some((s) => s.valid && s.update.phase !== 'in-progress');
      if (leavesInProgress || throwsInProgress || ends) effects.set(data.fn, { leavesInProgress, throwsInProgress, ends });
    }
  }

  function search(
    frame: Frame,
    origin: FlowEvent,
    originSegments: readonly Segment[],
    returned: ReadonlySet<Segment>,
    thrown: ReadonlySet<Segment>,
  ): StuckExit[] {
    interface Carry {
      readonly mark: TSESTree.Node | undefined;
      readonly viaCatch: TSESTree.CatchClause | undefined;
    }
    const data = frame.data;
    const exits: StuckExit[] = [];
    const walker = new SegmentSearch<Carry>();
    const originNode = origin.kind === 'set' || origin.kind === 'throw-in-progress' ? origin.update.node : undefined;
    // `const row = await db.updateTable('jobs').set({ status: 'active' })...returningAll().executeTakeFirst();
    // if (!row) continue;`: when no row matched, nothing was set in progress (a queue claiming its next
    // job, seen in a public backend: colanode's job service), so a path through that branch ends there.
    const claimed = origin.kind === 'set' ? claimedValueName(origin.update) : undefined;

    const jump = (target: ThrowTarget, carry: Carry): void => {
      if (target.kind === 'thrown') {
        exits.push({ thrown: true, iteration: false, ...carry });
        return;
      }
      if (target.kind === 'catch') {
        for (const segment of data.catchEntry.get(target.tryNode) ?? []) walker.enter(segment, carry, carry.viaCatch);
        return;
      }
      const entry = data.finallyEntry.get(target.tryNode) ?? [];
      // ESLint runs a `finally` block as parallel segments: the normal ones, then the leaving ones.
      const leaving = entry.length >= 2 ? entry.slice(Math.floor(entry.length / 2)) : entry;
      for (const segment of leaving) walker.enter(segment, carry, carry.viaCatch);
    };

    if (origin.kind === 'throw-in-progress') {
      // Only the exception path starts here; the call's normal outcome is the next event.
      jump(origin.target, { mark: origin.node, viaCatch: undefined });
    } else {
      for (const segment of originSegments) {
        const list = data.events.get(segment) ?? [];
        walker.resume(segment, list.indexOf(origin) + 1, { mark: undefined, viaCatch: undefined });
      }
    }

    walker.run((segment, from, start) => {
      const list = data.events.get(segment) ?? [];
      let carry = start;
      for (let i = from; i < list.length; i += 1) {
        const event = list[i]!;
        if (claimed !== undefined && event.kind !== 'set' && insideNothingClaimed(event.node, claimed)) return true;
        switch (event.kind) {
          case 'set':
            if (!event.valid) break;
            if (event.update.phase !== 'in-progress') return true;
            if (event.update.node === originNode) exits.push({ thrown: false, iteration: true, ...carry });
            return true;
          case 'throw-in-progress':
            if (event === origin) {
              // Back at the origin on the next iteration.
              exits.push({ thrown: false, iteration: true, ...carry });
              return true;
            }
            jump(event.target, { mark: event.node, viaCatch: carry.viaCatch });
            break;
          case 'throw':
            jump(event.target, { mark: event.node, viaCatch: carry.viaCatch });
            break;
          case 'mark':
            carry =
              event.node.type === AST_NODE_TYPES.CatchClause
                ? { mark: event.node, viaCatch: event.node }
                : { mark: event.node, viaCatch: carry.viaCatch };
            break;
        }
      }
      if (thrown.has(segment)) exits.push({ thrown: true, iteration: false, ...carry });
      if (returned.has(segment)) exits.push({ thrown: false, iteration: false, ...carry });
      // ESLint also enters a leaving `finally` from the first throwable node of a try or catch;
      // throw points are modelled by the events, so only a `return` or `throw` takes that edge here.
      const leaves = data.leaving.has(segment);
      const dead = data.deadEdges?.get(segment);
      for (const next of segment.nextSegments) {
        if (!leaves && data.leavingFinally.has(next)) continue;
        if (dead?.has(next)) continue;
        walker.enter(next, carry, carry.viaCatch);
      }
      return true;
    });
    return exits;
  }

  function callersRecordFailure(fn: FunctionNode): boolean {
    let found = false;
    // The file's calls of `fn`, from the index built once per file (not a pass over every call per function).
    for (const call of facts.functions.callersOf(fn)) {
      // Calls of plain or `this.` functions only (`this.x!()` and `new X()` do not count).
      const callee = call.callee;
      if (
        call.type !== AST_NODE_TYPES.CallExpression ||
        !(callee.type === AST_NODE_TYPES.Identifier || (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.ThisExpression))
      ) {
        continue;
      }
      found = true;
      if (!insideFailureRecordingTry(call)) return false;
    }
    return found;
  }

  function insideFailureRecordingTry(call: TSESTree.Node): boolean {
    let child: TSESTree.Node = call;
    for (let node = call.parent; node && !isFunction(node); node = node.parent) {
      if (node.type === AST_NODE_TYPES.TryStatement && node.block === child && node.handler) {
        if (writesFailure(node.handler)) return true;
      }
      child = node;
    }
    return false;
  }

  /** Whether a catch clause writes a status other than in-progress or completed (a rare, cached walk of one catch). */
  function writesFailure(handler: TSESTree.CatchClause): boolean {
    let result = handlerWrites.get(handler);
    if (result !== undefined) return result;
    result = catchRecordsFailure(handler, facts.sourceCode.visitorKeys, writeOf);
    handlerWrites.set(handler, result);
    return result;
  }

  /** In-progress writes waiting for the end of their chain or `await` (see `writeSite`). */
  const pendingSets = new Map<TSESTree.Node, StatusUpdate>();
  function flushPending(node: TSESTree.Node): void {
    const update = pendingSets.get(node);
    if (!update) return;
    pendingSets.delete(node);
    const frame = active();
    if (frame) addSet(frame, update);
  }

  const listeners: TSESLint.RuleListener = {
    'CallExpression:exit'(node) {
      onCallExit(node);
      flushPending(node);
    },
    // `new Error(...)` before a `throw` is not where work fails; constructors of other kinds rarely are.
    'NewExpression:exit'(node) {
      if (node.arguments.some(isFunction)) onCallExit(node);
    },
    'AwaitExpression:exit'(node) {
      const frame = active();
      const argument = node.argument.type === AST_NODE_TYPES.ChainExpression ? node.argument.expression : node.argument;
      // `await work().catch(handler)`: a rejection was already handled, and a rethrow comes after the handler's writes.
      if (frame && !(argument.type === AST_NODE_TYPES.CallExpression && rejectionHandlerCall(argument))) addThrow(frame, node);
      flushPending(node);
    },
    'AssignmentExpression:exit'(node) {
      const frame = active();
      if (!frame) return;
      const update = statusUpdateOfAssignment(vocabulary, node, types);
      if (update) addSet(frame, update);
    },
    // The segments an `if` without `else` is tested in: with an exhaustive chain, their edge past the `if` is dead.
    'IfStatement[alternate=null]'(node: TSESTree.IfStatement) {
      const frame = active();
      if (frame?.data.handedIds && types && node.parent.type === AST_NODE_TYPES.IfStatement && node.parent.alternate === node) {
        testSegments.set(node, [...frame.current]);
      }
    },
    'IfStatement[alternate=null]:exit'(node: TSESTree.IfStatement) {
      const tested = testSegments.get(node);
      const frame = active();
      if (!tested || !frame || !isExhaustiveChainTail(node, facts.sourceCode)) return;
      const edges = (frame.data.deadEdges ??= new Map());
      for (const merged of frame.current) {
        for (const previous of merged.prevSegments) {
          if (!tested.includes(previous)) continue;
          let set = edges.get(previous);
          if (!set) edges.set(previous, (set = new Set()));
          set.add(merged);
        }
      }
    },
    ReturnStatement: mark,
    ThrowStatement: mark,
    ContinueStatement: mark,
    BreakStatement(node) {
      if (!node.label && breaksSwitch(node)) return;
      mark(node);
    },
    TryStatement(node) {
      active()?.data.tries.push({ node, position: 'try' });
    },
    'TryStatement:exit'(node) {
      const tries = active()?.data.tries;
      if (tries?.at(-1)?.node === node) tries.pop();
    },
    CatchClause(node) {
      const frame = active();
      if (!frame) return;
      const top = frame.data.tries.at(-1);
      if (top?.node === node.parent) top.position = 'catch';
      frame.data.catchEntry.set(node.parent, [...frame.current]);
      add(frame, { kind: 'mark', node });
      frame.data.handlerDepth += 1;
    },
    'CatchClause:exit'() {
      const frame = active();
      if (frame) frame.data.handlerDepth -= 1;
    },
    'TryStatement > BlockStatement.finalizer:exit'() {
      const frame = active();
      if (frame) frame.data.handlerDepth -= 1;
    },
    'TryStatement > BlockStatement.finalizer'(node: TSESTree.BlockStatement) {
      const frame = active();
      if (!frame) return;
      const tryNode = node.parent as TSESTree.TryStatement;
      const top = frame.data.tries.at(-1);
      if (top?.node === tryNode) top.position = 'finally';
      frame.data.finallyEntry.set(tryNode, [...frame.current]);
      frame.data.handlerDepth += 1;
    },
    'Program:exit'() {
      done({ updates, stuck, callersRecordFailure, writeOf });
    },
  };
  return withCodePathListeners(listeners, tracker.listeners());
}

/** The statement a node is part of. */
function statementOf(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    !isFunction(current.parent) &&
    current.parent.type !== AST_NODE_TYPES.BlockStatement &&
    current.parent.type !== AST_NODE_TYPES.SwitchCase &&
    current.parent.type !== AST_NODE_TYPES.Program
  ) {
    current = current.parent;
  }
  return current;
}

/** Whether a call is `p.catch(fn)` or `p.then(ok, fn)`: a rejection handler. */
function rejectionHandlerCall(node: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = node.callee.property.type === AST_NODE_TYPES.Identifier ? node.callee.property.name : undefined;
  return (name === 'catch' && node.arguments.length > 0) || (name === 'then' && node.arguments.length > 1);
}

/** Whether a call's promise is handed straight to a rejection handler (`work().catch(...)`). */
function handledByChain(node: TSESTree.Node): boolean {
  const member = node.parent;
  return (
    member?.type === AST_NODE_TYPES.MemberExpression &&
    member.object === node &&
    member.parent?.type === AST_NODE_TYPES.CallExpression &&
    member.parent.callee === member &&
    rejectionHandlerCall(member.parent)
  );
}

/** Whether an unlabelled `break` leaves a `switch` rather than a loop. */
function breaksSwitch(node: TSESTree.BreakStatement): boolean {
  for (let current: TSESTree.Node | undefined = node.parent; current && !isFunction(current); current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.SwitchStatement:
        return true;
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return false;
      default:
        break;
    }
  }
  return false;
}

const LOOPS = new Set<string>([
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
]);

/**
 * Where a status write takes effect: the last call of its builder chain
 * (`.set({ status }).where(...).executeTakeFirst()`), and the `await` around it.
 */
function writeSite(call: TSESTree.CallExpression): TSESTree.Node {
  let last: TSESTree.CallExpression = call;
  for (;;) {
    const member: TSESTree.Node | undefined = last.parent;
    const next: TSESTree.Node | undefined = member?.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== last || next?.type !== AST_NODE_TYPES.CallExpression || next.callee !== member) break;
    last = next;
  }
  let outer: TSESTree.Node = last;
  while (
    outer.parent &&
    (outer.parent.type === AST_NODE_TYPES.TSNonNullExpression || outer.parent.type === AST_NODE_TYPES.TSAsExpression || outer.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    outer = outer.parent;
  }
  return outer.parent?.type === AST_NODE_TYPES.AwaitExpression && outer.parent.argument === outer ? outer.parent : last;
}

/**
 * The variable that holds what an in-progress write returns (`const jobRow = await db.update(...)
 * .returningAll().executeTakeFirst()`, `const job = await Jobs.findOneAndUpdate(...)`): the claimed
 * row, or nothing when no row matched. Undefined for a write whose value nobody keeps.
 */
function claimedValueName(update: StatusUpdate): string | undefined {
  if (update.node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  let value: TSESTree.Node = writeSite(update.node);
  while (value.parent?.type === AST_NODE_TYPES.TSAsExpression || value.parent?.type === AST_NODE_TYPES.TSNonNullExpression) value = value.parent;
  const holder = value.parent;
  return holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value && holder.id.type === AST_NODE_TYPES.Identifier ? holder.id.name : undefined;
}

/** Whether a node lies in the branch taken when the claimed value is missing: `if (!row) { ...; continue; }`, `if (row == null) return;`. */
function insideNothingClaimed(node: TSESTree.Node, name: string): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && !isFunction(current); child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.IfStatement && current.consequent === child && testsMissing(current.test, name)) return true;
  }
  return false;
}

function testsMissing(test: TSESTree.Expression, name: string): boolean {
  if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') return test.argument.type === AST_NODE_TYPES.Identifier && test.argument.name === name;
  if (test.type === AST_NODE_TYPES.BinaryExpression && (test.operator === '==' || test.operator === '===')) {
    const [value, other] = test.left.type === AST_NODE_TYPES.Identifier && test.left.name === name ? [test.left, test.right] : [test.right, test.left];
    const missing = (other.type === AST_NODE_TYPES.Literal && other.value === null) || (other.type === AST_NODE_TYPES.Identifier && other.name === 'undefined');
    return value.type === AST_NODE_TYPES.Identifier && value.name === name && missing;
  }
  return false;
}

/** Words for the exit of a stuck path: "the `return` at line 12", "the catch clause at line 20". */
export function describeExit(exit: StuckExit, fn: FunctionNode, update: StatusUpdate): string {
  const mark = exit.mark;
  const line = mark?.loc.start.line;
  if (exit.iteration) {
    if (mark?.type === AST_NODE_TYPES.ContinueStatement) return `the \`continue\` at line ${line}`;
    let loop: TSESTree.Node | undefined = update.node.parent;
    while (loop && !LOOPS.has(loop.type) && !isFunction(loop)) loop = loop.parent;
    return `the next iteration of the loop at line ${(loop && !isFunction(loop) ? loop : update.node).loc.start.line}`;
  }
  switch (mark?.type) {
    case AST_NODE_TYPES.ReturnStatement:
      return exit.thrown ? `an exception escaping the \`finally\` after line ${line}` : `the \`return\` at line ${line}`;
    case AST_NODE_TYPES.BreakStatement:
      return `the \`break\` at line ${line}`;
    case AST_NODE_TYPES.ContinueStatement:
      return `the \`continue\` at line ${line}`;
    case AST_NODE_TYPES.ThrowStatement:
      return `the \`throw\` at line ${line}`;
    case AST_NODE_TYPES.CatchClause:
      return exit.thrown
        ? `an exception escaping the catch clause at line ${line}`
        : `the catch clause at line ${line} (which sets no failed status)`;
    case undefined:
      return exit.thrown ? 'an exception escaping the function' : `the end of the function (line ${fn.body.loc.end.line})`;
    default:
      return exit.thrown ? `an exception thrown at line ${line}` : `the end of the function (line ${fn.body.loc.end.line})`;
  }
}
