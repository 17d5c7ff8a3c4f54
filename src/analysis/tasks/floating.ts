/**
 * Floating promises: statement-level promise chains nobody awaits, tracks or catches, and
 * async callbacks given to dispatchers that drop their promise. Built on the dispatch sites
 * of ./background.ts; the type checker (./types.ts) adds what one file cannot show.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, containsAwait, decoratorName, importedMember, enclosingFunction, isFunction, memberName, isPromiseCombinator, objectPropertiesNamed, outerExpression, ownReturnedValues, pushChildren, skipTypeWrappers, type CallLike, type FunctionNode } from '../ast.js';
import { describeCall, isTrackerCall, matchDispatcher } from './background.js';
import type { FileFacts } from '../facts.js';
import { enclosingClassBody } from '../function-index.js';
import type { TypeFacts } from '../types.js';
import { handsOutcomeToCallback, isSyncHandler, namesEnclosingPromiseSettler, readChain, type PromiseChain } from './chains.js';
import { isTopLevelDispatch } from './entry-point.js';
import { foreignCallee, type CalleeFacts, type ForeignFunction } from './foreign-callees.js';
import { catchHandling } from '../sessions/catch-handling.js';
import { logCallOf } from './logging.js';
import { awaitedValueCannotReject, endsProcessOnFailure, exitsProcess, isResolveOnlyPromise, isUnseenCall } from './rejections.js';
import { dependsOnAtLeast } from './runtime.js';

export { handsOutcomeToCallback, readChain, type PromiseChain };

/** Whether a chain's base is `new Promise(...)` or `Promise.xxx(...)`. */
function isPromiseConstruction(base: TSESTree.Node): boolean {
  if (base.type === AST_NODE_TYPES.NewExpression) {
    return base.callee.type === AST_NODE_TYPES.Identifier && base.callee.name === 'Promise';
  }
  if (base.type === AST_NODE_TYPES.CallExpression) return calleeParts(base)?.receiver === 'Promise';
  return false;
}

/** Why a dropped statement holds a promise. */
export type PromiseEvidence = 'async-callee' | 'foreign-async-callee' | 'async-argument' | 'chain' | 'new-promise' | 'background-name' | 'type';

/** A statement-level promise that is dropped. */
export interface DroppedPromise {
  readonly statement: TSESTree.ExpressionStatement;
  readonly chain: PromiseChain;
  readonly evidence: PromiseEvidence;
  /** The function the base call invokes, when this file defines it. */
  readonly target: FunctionNode | undefined;
  /**
   * Nothing shows the callee can reject: it catches every error itself (same file, or another file
   * with type information), or it is a call `awaitedCallCannotReject` clears (a Result-returning
   * call, an imported helper this file does not show).
   */
  readonly calleeCatchesAll: boolean;
  /** `reindexInBackground`, `new Promise`, for messages. */
  readonly name: string;
}

/** An async callback handed to a dispatcher that drops its promise (`setImmediate(async () => ...)`). */
export interface DroppedCallback {
  /** The call that takes the callback and drops its promise (where the report lands). */
  readonly call: CallLike;
  readonly callback: TSESTree.Node;
  readonly calleeCatchesAll: boolean;
  readonly dispatcherName: string;
}

/**
 * Answers per file facts (or per vocabulary, for callers without facts): the answer depends on
 * both, since facts let awaited same-file callees and unseen calls count (`assumeUnseenCallsReject`).
 */
const catchCaches = new WeakMap<object, WeakMap<FunctionNode, boolean>>();


/**
 * Whether a function catches every error itself, decided on the body's shape (issue 13): every
 * statement either cannot throw in practice (guards such as `if (!a || !b) return;`, logging,
 * plain declarations and assignments, re-arming a timer), is a try/catch whose catch does not
 * rethrow, ends in a rejection handler (`return work().catch(log)`), or is a branch made of such
 * statements. An async function that awaits nothing, throws nothing and returns no call cannot
 * reject either. An expression body must end in `.catch(handler)`.
 */
export function catchesEverything(
  fn: FunctionNode,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts?: CalleeFacts,
): boolean {
  const cacheKey: object = facts ?? vocabulary;
  let catchCache = catchCaches.get(cacheKey);
  if (!catchCache) catchCaches.set(cacheKey, (catchCache = new WeakMap()));
  const cached = catchCache.get(fn);
  if (cached !== undefined) return cached;
  if (decoratedToCatch(fn, vocabulary, facts?.filename)) {
    catchCache.set(fn, true);
    return true;
  }
  // Recursion through other functions (`tick()` re-armed by a helper) answers no until the first
  // answer is known; a direct call of the function itself adds no way to fail (`awaitedCallCannotReject`).
  catchCache.set(fn, false);
  evaluating.push(fn);
  try {
    return finishCatchesEverything(fn, vocabulary, keys, facts, catchCache);
  } finally {
    evaluating.pop();
  }
}

/**
 * A method whose decorator runs it inside a try/catch that logs and does not rethrow: a
 * `nonRejectingCalls` entry spelled `@Name` (`@Lock` of @multiversx/sdk-nestjs-common 6, whose
 * `Locker.lock` catches, logs "Error running <key>" and returns `LockResult.ERROR`). Issue 13, round 20:
 * seen in a public backend, multiversx/mx-api-service's cache warmer and transaction processor.
 */
function decoratedToCatch(fn: FunctionNode, vocabulary: CompiledVocabulary, filename: string | undefined): boolean {
  const method = fn.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition || method.value !== fn || method.decorators.length === 0) return false;
  return method.decorators.some((decorator) => {
    const name = decoratorName(decorator);
    return (
      name !== undefined &&
      vocabulary.nonRejectingCalls.some((entry) => entry.callee === `@${name}` && (entry.whenDependsOn === undefined || dependsOnAtLeast(filename, entry.whenDependsOn)))
    );
  });
}

/** The functions whose catch-everything answer is being worked out, innermost last. */
const evaluating: FunctionNode[] = [];

function finishCatchesEverything(
  fn: FunctionNode,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts | undefined,
  catchCache: WeakMap<FunctionNode, boolean>,
): boolean {
  let result: boolean;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) {
    // `async () => this.publishStats()`: an async arrow adopts what its call returns or throws, and
    // `async () => await this.onCron()` the same (seen in a public backend: pg-boss src/timekeeper.ts:83).
    // A plain arrow hands back its call's promise (`(probe) => runProbe(probe, db)`, issue 13, round 18:
    // seen in a public backend, autumn's server/src/db/probes/runDbProbes.ts:57): that call decides too.
    const body = fn.async && fn.body.type === AST_NODE_TYPES.AwaitExpression ? fn.body.argument : fn.body;
    result =
      readChain(body).hasRejectionHandler ||
      (fn.async && isPlainValue(body)) ||
      ((fn.async || skipTypeWrappers(body).type === AST_NODE_TYPES.CallExpression) && facts !== undefined && awaitedCallCannotReject(body, vocabulary, keys, facts));
  } else {
    result = blockCatchesEverything(fn.body.body, vocabulary, keys) || (fn.async && rejectsOnlyInsideTry(fn.body, vocabulary, keys, facts));
  }
  catchCache.set(fn, result);
  return result;
}

/** Whether every statement of a block is safe (see `catchesEverything`). */
function blockCatchesEverything(statements: readonly TSESTree.Statement[], vocabulary: CompiledVocabulary, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  return statements.every((statement) => statementCatchesEverything(statement, vocabulary, keys));
}

function statementCatchesEverything(statement: TSESTree.Statement, vocabulary: CompiledVocabulary, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.TryStatement:
      // A catch that does not rethrow (its finally neither) ends every failure of the try.
      return (
        statement.handler !== null &&
        !containsThrow(statement.handler.body, keys) &&
        // A finally that only cleans up synchronously (no await, no throw) fails by a bug at most,
        // and so does one that only gives a lock back (`await this.semaphore.release()`).
        (!statement.finalizer || (!containsThrow(statement.finalizer, keys) && (!containsAwait(statement.finalizer, keys) || onlyReleasesLocks(statement.finalizer))))
      );
    case AST_NODE_TYPES.BlockStatement:
      return blockCatchesEverything(statement.body, vocabulary, keys);
    // `for (const job of this.jobs) { try { ... } catch (e) { log(e) } }`: every turn catches.
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.ForInStatement:
      return !(statement.type === AST_NODE_TYPES.ForOfStatement && statement.await) && isPlainValue(statement.right) && statementCatchesEverything(statement.body, vocabulary, keys);
    case AST_NODE_TYPES.WhileStatement:
      return isPlainValue(statement.test) && statementCatchesEverything(statement.body, vocabulary, keys);
    case AST_NODE_TYPES.IfStatement:
      return (
        isPlainValue(statement.test) &&
        statementCatchesEverything(statement.consequent, vocabulary, keys) &&
        (statement.alternate === null || statementCatchesEverything(statement.alternate, vocabulary, keys))
      );
    default:
      return isHarmlessStatement(statement, vocabulary);
  }
}

/**
 * Whether a finally block only gives back locks: `await this._onBlockHashSemaphor.release()`,
 * `await mutex.unlock()`. An in-process semaphore or mutex releases without I/O, so it does not
 * reject (issue 13, round 16: seen in a public backend, samourai-dojo pushtx/orchestrator.js, whose
 * async-sema `release()` is synchronous). A pooled connection's `release()` is not a lock's.
 */
function onlyReleasesLocks(block: TSESTree.BlockStatement): boolean {
  return block.body.every((statement) => {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const expression = skipTypeWrappers(statement.expression);
    const call = skipTypeWrappers(expression.type === AST_NODE_TYPES.AwaitExpression ? expression.argument : expression);
    if (call.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const method = memberName(call.callee);
    const receiver = skipTypeWrappers(call.callee.object);
    const holder = receiver.type === AST_NODE_TYPES.Identifier ? receiver.name : receiver.type === AST_NODE_TYPES.MemberExpression ? memberName(receiver) : undefined;
    return (method === 'release' || method === 'unlock') && holder !== undefined && LOCK_NAME.test(holder);
  });
}

const LOCK_NAME = /sema(?:ph|f)or|mutex|lock$|^lock/i;

/**
 * Whether every way an async body can reject lies inside a try whose catch does not rethrow:
 * each `await`, `for await`, `throw` and `return <call>` (nested functions excluded). Synchronous
 * statements between them fail only by a bug, not by failed I/O, so they do not count; a body
 * with none of these awaits nothing and cannot reject in practice.
 */
function rejectsOnlyInsideTry(
  body: TSESTree.BlockStatement,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts | undefined,
  parameterCall?: (argument: TSESTree.Node) => boolean,
): boolean {
  const stack: TSESTree.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== body && isFunction(node)) continue;
    const mayReject =
      (node.type === AST_NODE_TYPES.AwaitExpression &&
        !readChain(node.argument).hasRejectionHandler &&
        // A parameter's call inside a try that catches is no way to reject: only uncaught ones are recorded.
        !(parameterCall && !caughtWithin(node, body, keys) && parameterCall(node.argument)) &&
        !(facts && awaitedCallCannotReject(node.argument, vocabulary, keys, facts))) ||
      node.type === AST_NODE_TYPES.ThrowStatement ||
      (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
      (node.type === AST_NODE_TYPES.ReturnStatement &&
        node.argument !== null &&
        mayHoldPromise(node.argument) &&
        !isResolveOnlyPromise(node.argument) &&
        !isSettlerCall(node.argument) &&
        node.argument.type !== AST_NODE_TYPES.AwaitExpression &&
        !readChain(node.argument).hasRejectionHandler &&
        !returnedValueCannotReject(node.argument, vocabulary, keys, facts));
    if (mayReject && !caughtWithin(node, body, keys)) return false;
    if (node.type === AST_NODE_TYPES.BlockStatement) stack.push(...reachableStatements(node.body));
    else if (node.type === AST_NODE_TYPES.TryStatement && !containsAwait(node.block, keys)) {
      // A try that awaits nothing fails only by a synchronous bug, so its catch (and a rethrow
      // there) runs only on one: `try { this.service.register(data); } catch (e) { throw new Error(...) }`.
      // Issue 13, round 21: seen in a public backend, kodus-ai's agents' saveAgentExecution.
      stack.push(node.block);
      if (node.finalizer) stack.push(node.finalizer);
    } else pushChildren(stack, node, keys);
  }
  return true;
}

/**
 * `return reject(new Error('timed out'))`, `return resolve()`: a promise executor's settle function,
 * handed on by name, returns nothing (issue 13, round 19: seen in a public backend, Lightning.Pub's
 * src/services/main/unlocker.ts:121, a poll that settles the promise its caller awaits).
 */
function isSettlerCall(node: TSESTree.Node): boolean {
  const call = skipTypeWrappers(node);
  return call.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.Identifier && SETTLER_NAME.test(call.callee.name);
}

const SETTLER_NAME = /^(?:resolve|reject|res|rej)$/;

/**
 * The positions of the parameters through which alone an async function can reject: every way it
 * can reject, outside a try that catches, is an `await` of a call of one of its own parameters
 * (`async function asyncForEach(array, callback) { for (...) await callback(array[i]); }`). Such a
 * helper fails only when the function it is given fails; undefined for any other function.
 * Issue 13, round 18: seen in a public backend, sphinx-relay's src/network/receive.ts:754.
 */
export function rejectsOnlyThroughParameters(
  fn: FunctionNode,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts | undefined,
): readonly number[] | undefined {
  if (!fn.async || fn.generator || fn.body.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  // Cached per facts like catchesEverything, and "no" while being worked out: a recursive helper
  // (`const loop = async () => { ...; return loop(); }`) asks about itself.
  const cacheKey: object = facts ?? vocabulary;
  let cache = parameterRejectionCaches.get(cacheKey);
  if (!cache) parameterRejectionCaches.set(cacheKey, (cache = new WeakMap()));
  const cached = cache.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  cache.set(fn, null);
  evaluating.push(fn);
  try {
    const positions = findParameterRejections(fn, vocabulary, keys, facts);
    cache.set(fn, positions ?? null);
    return positions;
  } finally {
    evaluating.pop();
  }
}

/** Answers of `rejectsOnlyThroughParameters` per file facts (or vocabulary); null: none. */
const parameterRejectionCaches = new WeakMap<object, WeakMap<FunctionNode, readonly number[] | null>>();

function findParameterRejections(
  fn: FunctionNode,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts | undefined,
): readonly number[] | undefined {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const names = fn.params.map((param) => (param.type === AST_NODE_TYPES.Identifier ? param.name : undefined));
  const used = new Set<number>();
  const parameterCall = (argument: TSESTree.Node): boolean => {
    const call = skipTypeWrappers(argument);
    if (call.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = skipTypeWrappers(call.callee);
    const index = callee.type === AST_NODE_TYPES.Identifier ? names.indexOf(callee.name) : -1;
    if (index < 0) return false;
    used.add(index);
    return true;
  };
  return rejectsOnlyInsideTry(fn.body, vocabulary, keys, facts, parameterCall) && used.size > 0 ? [...used] : undefined;
}

/**
 * Whether a call of a helper that rejects only through its parameters (`rejectsOnlyThroughParameters`)
 * cannot reject: each function it is given there cannot. A plain callback fails only by a bug unless
 * it hands back a promise (`asyncForEach(members, (m) => { if (m.id === self) return; ... })`); an
 * async one must catch everything; anything else is not shown here.
 */
function givenFunctionsCannotReject(
  call: TSESTree.CallExpression,
  positions: readonly number[],
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts,
): boolean {
  return positions.every((position) => {
    const given = call.arguments[position];
    if (given === undefined) return false;
    if (!isFunction(given)) return false;
    if (given.async) return catchesEverything(given, vocabulary, keys, facts);
    if (given.generator) return false;
    if (given.body.type !== AST_NODE_TYPES.BlockStatement) return isPlainValue(given.body);
    return !ownReturnedValues(given).some((value) => mayHoldPromise(value) && !isResolveOnlyPromise(value));
  });
}

/** Whether a call of a function of this file cannot reject, for this call's arguments. */
function targetCannotRejectHere(
  call: TSESTree.CallExpression,
  target: FunctionNode,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts,
): boolean {
  if (calleeCannotReject(target, vocabulary, keys, facts)) return true;
  const positions = rejectsOnlyThroughParameters(target, vocabulary, keys, facts);
  return positions !== undefined && givenFunctionsCannotReject(call, positions, vocabulary, keys, facts);
}

/**
 * A block's statements up to its first `return` or `throw`: what follows never runs (`return; // FIXME`
 * before a disabled cleanup query, issue 13, round 13: seen in a public backend, Zeppelin's
 * backend/src/data/cleanup/configs.ts:13).
 */
function reachableStatements(statements: readonly TSESTree.Statement[]): readonly TSESTree.Statement[] {
  const end = statements.findIndex((s) => s.type === AST_NODE_TYPES.ReturnStatement || s.type === AST_NODE_TYPES.ThrowStatement);
  return end === -1 ? statements : statements.slice(0, end + 1);
}

/**
 * Whether an awaited call cannot reject in practice: the function it calls in this file catches
 * everything (`await this.flushBatch(batch)`), it only runs an inline callback that does (a
 * mutex, limiter or tracing wrapper: `await mutex.runExclusive(async () => { try ... })`), or it
 * cannot reject by what it is (a Result-returning callee, a signal-free timer: ./rejections.ts).
 */
export function awaitedCallCannotReject(
  argument: TSESTree.Node,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts,
): boolean {
  if (awaitedValueCannotReject(argument, facts)) return true;
  const call = skipTypeWrappers(argument);
  if (call.type === AST_NODE_TYPES.Identifier) return constPromiseCannotReject(call, vocabulary, keys, facts);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  // `run(id, { throwOnError: false })`: told not to throw.
  if (call.arguments.some((a) => isNonThrowingOptions(a, vocabulary))) return true;
  // `Promise.allSettled(...)` settles with every outcome as a value: it does not reject.
  if (isPromiseCombinator(call) && calleeParts(call)?.member === 'allSettled') return true;
  // `Promise.all(servers.map(async (server) => { try { ... } catch (e) { log(e) } }))`: every
  // promise it waits for comes from a callback that catches everything (seen in a public backend:
  // overseerr's download tracker).
  if (isPromiseCombinator(call) && call.arguments.length === 1) {
    // The list given inline or as a const (`const proms = services.map(...); Promise.all(proms)`, seen in novu's metrics service).
    const list = constValue(skipTypeWrappers(call.arguments[0]!), facts);
    const mapped = list.type === AST_NODE_TYPES.CallExpression && calleeParts(list)?.member === 'map' ? list.arguments[0] : undefined;
    if (mapped && isFunction(mapped) && catchesEverything(mapped, vocabulary, keys, facts)) return true;
    // `Promise.all([a().catch(log), b().catch(log)])`: every promise in it has a handler, or comes
    // from a call that cannot reject (`Promise.all([runProductCron({ ctx }), runInvoiceCron({ ctx })])`,
    // each imported runner catching everything: issue 13, round 17, seen in a public backend, autumn's cronInit.ts).
    if (
      list.type === AST_NODE_TYPES.ArrayExpression &&
      list.elements.length > 0 &&
      list.elements.every(
        (e) => e !== null && e.type !== AST_NODE_TYPES.SpreadElement && (readChain(e).hasRejectionHandler || awaitedCallCannotReject(e, vocabulary, keys, facts)),
      )
    ) {
      return true;
    }
  }
  if (isChildProcessCallbackCall(call, facts)) return true;
  const known = knownCalleeCannotReject(call, facts);
  if (known !== undefined) return known;
  if (call.callee.type === AST_NODE_TYPES.Identifier && queuedFunctionsCatchEverything(call.callee, vocabulary, keys, facts)) return true;
  // `await callback()` where every call of this file hands the parameter a function that cannot reject
  // (`configCronJob(name, ..., async () => await this.handleLocked())`: issue 13, round 20, seen in a
  // public backend, mx-api-service's cache.warmer.service.ts:112).
  const given = functionsGivenToParameter(call, facts);
  if (given && given.unseen === 0 && given.functions.length > 0 && given.functions.every((fn) => calleeCannotReject(fn, vocabulary, keys, facts))) return true;
  const callbacks = call.arguments.filter((a) => isFunction(a));
  // An imported helper this file does not show is not evidence of a rejection (`assumeUnseenCallsReject`),
  // unless a callback it runs can reject (`await withTransaction(async (tx) => tx.update(...))`).
  if (isUnseenCall(call, facts) && callbacks.every((callback) => catchesEverything(callback as FunctionNode, vocabulary, keys, facts))) return true;
  return (
    callbacks.length === 1 &&
    call.arguments.every((a) => isFunction(a) || isPlainValue(a)) &&
    catchesEverything(callbacks[0] as FunctionNode, vocabulary, keys, facts)
  );
}

/**
 * `const fn = this.queue.shift()!; fn()`: a function taken from a list of this file whose every
 * `push` / `unshift` adds a function that catches everything (a wrapper that hands the error to the
 * caller's promise: `this.queue.push(async () => { try { resolve(await fn()) } catch (e) { reject(e) } })`).
 * Issue 13, round 13: seen in a public backend, Zeppelin's backend/src/Queue.ts:59.
 */
function queuedFunctionsCatchEverything(
  callee: TSESTree.Identifier,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts,
): boolean {
  const init = constValue(callee, facts);
  if (init === callee || init.type !== AST_NODE_TYPES.CallExpression || init.arguments.length > 0) return false;
  const taken = skipTypeWrappers(init.callee);
  if (taken.type !== AST_NODE_TYPES.MemberExpression || taken.computed || taken.property.type !== AST_NODE_TYPES.Identifier) return false;
  if (taken.property.name !== 'shift' && taken.property.name !== 'pop') return false;
  const list = facts.sourceCode.getText(skipTypeWrappers(taken.object));
  let added = 0;
  for (const site of facts.calls) {
    if (site.type !== AST_NODE_TYPES.CallExpression) continue;
    const adder = skipTypeWrappers(site.callee);
    if (adder.type !== AST_NODE_TYPES.MemberExpression || adder.computed || adder.property.type !== AST_NODE_TYPES.Identifier) continue;
    if (adder.property.name !== 'push' && adder.property.name !== 'unshift') continue;
    if (facts.sourceCode.getText(skipTypeWrappers(adder.object)) !== list) continue;
    for (const argument of site.arguments) {
      if (!isFunction(argument) || !catchesEverything(argument, vocabulary, keys, facts)) return false;
      added += 1;
    }
  }
  return added > 0;
}

/**
 * Whether a `try` block awaits work that the code does not show to be unable to reject: an `await`
 * (or `for await`) whose value has no rejection handler and is not a call of a function that catches
 * everything (this file's, or another file's by ./foreign-callees.ts), nor a value that cannot
 * reject by what it is. Unlike the floating-promise questions, a call this file does not show
 * counts as able to reject here: a catch around it may be all that hears its failure.
 */
export function awaitsRejectableWork(block: TSESTree.BlockStatement, facts: CalleeFacts): boolean {
  const keys = facts.sourceCode.visitorKeys;
  const stack: TSESTree.Node[] = [block];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunction(node)) continue;
    if (node.type === AST_NODE_TYPES.ForOfStatement && node.await) return true;
    if (node.type === AST_NODE_TYPES.AwaitExpression && !readChain(node.argument).hasRejectionHandler && !shownNotToReject(node.argument, facts)) return true;
    pushChildren(stack, node, keys);
  }
  return false;
}

/** An awaited value that cannot reject by what it is, or a call of a function (this file's or another's) that catches everything. */
function shownNotToReject(argument: TSESTree.Node, facts: CalleeFacts): boolean {
  if (awaitedValueCannotReject(argument, facts)) return true;
  const call = skipTypeWrappers(argument);
  return call.type === AST_NODE_TYPES.CallExpression && knownCalleeCannotReject(call, facts) === true;
}

/**
 * What the function a call invokes says about a rejection, when the code shows that function: a
 * function of this file decides either way; so does another file's async function
 * (./foreign-callees.ts: named by a relative import or a project alias, or by the declared class of
 * a member of `this`, as in `this.kubectl.getPipelinesList()`); another file's plain function only
 * when it cannot reject. Undefined: not known here.
 */
function knownCalleeCannotReject(call: TSESTree.CallExpression, facts: CalleeFacts): boolean | undefined {
  const target = facts.resolveFunction(call.callee);
  if (target) {
    // `return this.verifyServerUrl()` inside verifyServerUrl (a retry): it fails only where the rest of the body does
    // (seen in a public backend: parse-server src/ParseServer.js).
    if (target === evaluating[evaluating.length - 1]) return true;
    // A plain function that hands back `new Promise((resolve) => ...)` (a wait for capacity, a sleep) only resolves.
    // A plain function whose whole body catches (`publishStats() { try { ... } catch (e) { log(e) } }`) neither throws nor rejects.
    // A helper that fails only through the function it is given (`await asyncForEach(list, syncFn)`) fails when that one does.
    return targetCannotRejectHere(call, target, facts.vocabulary, facts.sourceCode.visitorKeys, facts);
  }
  const foreign = foreignCallee(call, facts);
  if (!foreign) return undefined;
  if (calleeCannotReject(foreign.fn, facts.vocabulary, foreign.facts.sourceCode.visitorKeys, foreign.facts)) return true;
  // An async function of the project that awaits work it shows can fail (its own module's standard: an
  // unseen call there is no evidence either) rejects when that work fails (issue 14, shape 5).
  return foreign.fn.async ? false : undefined;
}

const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process']);
/** The callback forms of `child_process`: they hand back a `ChildProcess`, never a promise. */
const CHILD_PROCESS_CALLBACK_API = new Set(['exec', 'execFile', 'spawn', 'fork']);

/**
 * `await exec('pm2 restart app')` with `exec` of `child_process` itself, not promisified: the call
 * hands back a `ChildProcess` and reports failure only to its callback or `'error'` event, so the
 * await resolves at once and rejects never (issue 13, round 21: seen in a public backend, OctoFarm's
 * server-commands.service.js).
 */
function isChildProcessCallbackCall(call: TSESTree.CallExpression, facts: CalleeFacts): boolean {
  const imported = importedMember(call.callee, facts.sourceCode);
  return imported?.name !== undefined && CHILD_PROCESS_MODULES.has(imported.module) && CHILD_PROCESS_CALLBACK_API.has(imported.name);
}

/** Whether calling a function cannot reject: an async one catches everything; a plain one only resolves, or catches and hands back no promise. */
function calleeCannotReject(target: FunctionNode, vocabulary: CompiledVocabulary, keys: TSESLint.SourceCode.VisitorKeys, facts: CalleeFacts): boolean {
  if (target.async) return catchesEverything(target, vocabulary, keys, facts);
  return (
    returnsOnlyResolvingPromises(target) ||
    // `await specialSubscribe(...)` on a plain function that throws nothing and hands back no promise: it
    // fails only by a bug (issue 13, round 18: seen in a public backend, sphinx-relay's src/utils/tribes.ts:152).
    (target.body.type === AST_NODE_TYPES.BlockStatement &&
      !target.generator &&
      !containsThrow(target.body, keys) &&
      !ownReturnedValues(target).some((value) => mayHoldPromise(value) && !isResolveOnlyPromise(value))) ||
    (target.body.type === AST_NODE_TYPES.BlockStatement &&
      catchesEverything(target, vocabulary, keys, facts) &&
      // a try/catch does not catch the rejection of a promise it hands back, unless the chain handles it (`return api.delete(x).catch(log)`)
      !ownReturnedValues(target).some((value) => mayHoldPromise(value) && !readChain(value).hasRejectionHandler))
  );
}

/** What a `const` name was declared with in this file, or the node itself. */
function constValue(node: TSESTree.Node, facts: CalleeFacts): TSESTree.Node {
  if (node.type !== AST_NODE_TYPES.Identifier) return node;
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(node), node)?.defs[0];
  if (def?.type !== 'Variable' || def.parent.kind !== 'const' || !def.node.init) return node;
  return skipTypeWrappers(def.node.init);
}

/** Const promises being followed, so `const run = (async () => { await run; })()` ends. */
const followingConsts = new Set<TSESTree.Node>();

/**
 * `const run = (async () => { try { ... } catch (e) { log(e) } })(); await run;`: an awaited const
 * holds the promise of a call that cannot reject (seen in trigger.dev mollifierStaleSweep.server.ts:227).
 */
function constPromiseCannotReject(
  identifier: TSESTree.Identifier,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts,
): boolean {
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)?.defs[0];
  if (def?.type !== 'Variable' || def.parent.kind !== 'const' || def.node.id.type !== AST_NODE_TYPES.Identifier) return false;
  const init = def.node.init;
  if (!init || skipTypeWrappers(init).type !== AST_NODE_TYPES.CallExpression || followingConsts.has(init)) return false;
  followingConsts.add(init);
  try {
    return awaitedCallCannotReject(init, vocabulary, keys, facts);
  } finally {
    followingConsts.delete(init);
  }
}

/**
 * Whether `return <value>` in an async function cannot reject it: a call that would not reject
 * when awaited (`return instrumentAsync(span, async () => { ... .catch(log) })`, a same-file
 * callee that catches everything), or a call the file shows to be synchronous
 * (`return Ok(undefined)`, see `synchronousCallees`).
 */
function returnedValueCannotReject(
  value: TSESTree.Node,
  vocabulary: CompiledVocabulary,
  keys: TSESLint.SourceCode.VisitorKeys,
  facts: CalleeFacts | undefined,
): boolean {
  const call = skipTypeWrappers(value);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  // `return resolve()` inside `new Promise((resolve) => { const tryLoad = async () => { ... } })`: the
  // executor's settler returns undefined (issue 13, round 15: seen in a public backend, taskcluster's
  // services/queue/src/ec2regionresolver.js:41).
  if (call.callee.type === AST_NODE_TYPES.Identifier && namesEnclosingPromiseSettler(call.callee)) return true;
  if (call.callee.type === AST_NODE_TYPES.Identifier && call.arguments.every((a) => a.type !== AST_NODE_TYPES.SpreadElement && isPlainOrConstructed(a))) {
    if (synchronousCallees(call, keys).has(call.callee.name) && !isParameterName(call.callee)) return true;
  }
  return facts !== undefined && awaitedCallCannotReject(call, vocabulary, keys, facts);
}

/**
 * Whether a returned value can be a promise that the async function adopts: a call, a `new`, an
 * `await` or a non-plain read, or a branch of them (a plain name or property read counts as no
 * promise, as before: `isPlainValue`). An object, array or template literal is not one,
 * even when it holds a call (`return { at: row.updatedAt?.toISOString?.() }`): a promise nested in
 * it is not adopted, and the calls are visited on their own (seen in a public backend: sim's
 * tool-confirm `getToolConfirmation`).
 */
/**
 * `const sender = mail.send(options).then(() => true); if (extra?.shouldThrow) return sender;`: a
 * name declared at the top of its function with a promise chain that has no rejection handler
 * (seen in a public backend: teable's MailSenderService.sendMail, whose other path ends in `.catch`).
 */
function holdsUnhandledChain(identifier: TSESTree.Identifier): boolean {
  let fn: TSESTree.Node | undefined = identifier.parent;
  while (fn && !isFunction(fn)) fn = fn.parent;
  if (!fn || !isFunction(fn) || fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  for (const statement of fn.body.body) {
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const declarator of statement.declarations) {
      if (declarator.id.type !== AST_NODE_TYPES.Identifier || declarator.id.name !== identifier.name || !declarator.init) continue;
      const init = skipTypeWrappers(declarator.init);
      const chain = readChain(init);
      return (isPromiseConstruction(chain.base) || chain.methods.some((method) => method === 'then' || method === 'finally')) && !chain.hasRejectionHandler;
    }
  }
  return false;
}

function mayHoldPromise(node: TSESTree.Node): boolean {
  const inner = skipTypeWrappers(node);
  if (inner.type === AST_NODE_TYPES.Identifier) return holdsUnhandledChain(inner);
  if (isPlainValue(inner)) return false;
  switch (inner.type) {
    case AST_NODE_TYPES.ConditionalExpression:
      return mayHoldPromise(inner.consequent) || mayHoldPromise(inner.alternate);
    case AST_NODE_TYPES.LogicalExpression:
      return mayHoldPromise(inner.left) || mayHoldPromise(inner.right);
    case AST_NODE_TYPES.SequenceExpression:
      return mayHoldPromise(inner.expressions[inner.expressions.length - 1]!);
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.UnaryExpression:
      return false;
    default:
      return true;
  }
}

/** A plain value, or `new Error(...)` of plain values (`Err(new Error('full'))`). */
function isPlainOrConstructed(node: TSESTree.Node): boolean {
  if (isPlainValue(node)) return true;
  return node.type === AST_NODE_TYPES.NewExpression && node.arguments.every((a) => a.type !== AST_NODE_TYPES.SpreadElement && isPlainValue(a));
}

const synchronousCache = new WeakMap<TSESTree.Program, ReadonlySet<string>>();

/**
 * Names of functions a file shows to return a plain value: a non-async function of the file
 * declared to return a non-promise type returns a call of them (`add(): Result<void> { ...
 * return Ok(undefined); }`), so `Ok(...)` is synchronous wherever the file calls it. Result
 * helpers (`Ok`, `Err`), response builders: returning one from an async function cannot reject it.
 */
function synchronousCallees(node: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): ReadonlySet<string> {
  let program: TSESTree.Node = node;
  while (program.parent) program = program.parent;
  if (program.type !== AST_NODE_TYPES.Program) return new Set();
  let names = synchronousCache.get(program);
  if (names) return names;
  const found = new Set<string>();
  const stack: TSESTree.Node[] = [program];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (isFunction(current) && !current.async && !current.generator && declaresPlainReturn(current)) {
      for (const returned of ownReturnedValues(current)) {
        const call = skipTypeWrappers(returned);
        if (call.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.Identifier && !isParameterName(call.callee)) {
          found.add(call.callee.name);
        }
      }
    }
    pushChildren(stack, current, keys);
  }
  names = found;
  synchronousCache.set(program, names);
  return names;
}

/** Whether an identifier names a parameter of a function around it (`fn` of `run(fn)`): a callback, not the file's helper. */
function isParameterName(identifier: TSESTree.Identifier): boolean {
  for (let current: TSESTree.Node | undefined = identifier.parent; current; current = current.parent) {
    if (isFunction(current) && current.params.some((p) => p.type === AST_NODE_TYPES.Identifier && p.name === identifier.name)) return true;
  }
  return false;
}

/** Whether a function declares a return type that is no promise (`: Result<void>`, not `: Promise<T>`, `any` or `unknown`). */
function declaresPlainReturn(fn: FunctionNode): boolean {
  const annotation = fn.returnType?.typeAnnotation;
  if (!annotation) return false;
  if (annotation.type === AST_NODE_TYPES.TSTypeReference) {
    const name = annotation.typeName.type === AST_NODE_TYPES.Identifier ? annotation.typeName.name : undefined;
    // `wrap<T>(fn: () => T): T` may hand back a promise: a type parameter says nothing.
    const typeParameters = fn.typeParameters?.params.map((p) => p.name.name) ?? [];
    return name !== undefined && name !== 'Promise' && name !== 'PromiseLike' && !typeParameters.includes(name);
  }
  return (
    annotation.type === AST_NODE_TYPES.TSBooleanKeyword ||
    annotation.type === AST_NODE_TYPES.TSStringKeyword ||
    annotation.type === AST_NODE_TYPES.TSNumberKeyword ||
    annotation.type === AST_NODE_TYPES.TSVoidKeyword ||
    annotation.type === AST_NODE_TYPES.TSUndefinedKeyword
  );
}

/** Whether a plain function only ever returns promises that cannot reject (`return new Promise((resolve) => ...)`). */
function returnsOnlyResolvingPromises(fn: FunctionNode): boolean {
  const returned = ownReturnedValues(fn);
  return returned.length > 0 && returned.every((value) => isResolveOnlyPromise(value));
}

/** `{ throwOnError: false }`: an options object that tells the callee not to throw (vocabulary `nonThrowingOptionKeys`). */
function isNonThrowingOptions(node: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  return objectPropertiesNamed(node, (name) => vocabulary.isNonThrowingOptionKey(name)).some(
    (property) => property.value.type === AST_NODE_TYPES.Literal && property.value.value === false,
  );
}

/** Whether a node lies in the `try` block of a try/catch (inside `root`) whose catch does not rethrow, or in such a catch. */
function caughtWithin(node: TSESTree.Node, root: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && current !== root; current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.block === child && current.handler && !containsThrow(current.handler.body, keys)) {
      return true;
    }
    // An await in a catch that does not rethrow is the failure handling itself (logging, a failed status).
    if (current.type === AST_NODE_TYPES.CatchClause && node.type !== AST_NODE_TYPES.ThrowStatement) return true;
    child = current;
  }
  return false;
}

/** Values that cannot throw when read in practice: literals, names, `this`, property reads, operators over them. */
function isPlainValue(node: TSESTree.Node | null): boolean {
  if (node === null) return true;
  switch (node.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.TemplateLiteral:
      return node.expressions.every(isPlainValue);
    case AST_NODE_TYPES.UnaryExpression:
      return isPlainValue(node.argument);
    case AST_NODE_TYPES.MemberExpression:
      return isPlainValue(node.object) && (!node.computed || isPlainValue(node.property));
    case AST_NODE_TYPES.ChainExpression:
      return isPlainValue(node.expression);
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.BinaryExpression:
      return isPlainValue(node.left) && isPlainValue(node.right);
    case AST_NODE_TYPES.ConditionalExpression:
      return isPlainValue(node.test) && isPlainValue(node.consequent) && isPlainValue(node.alternate);
    case AST_NODE_TYPES.ArrayExpression:
      return node.elements.every((element) => element === null || isPlainValue(element));
    case AST_NODE_TYPES.ObjectExpression:
      return node.properties.every((p) => p.type === AST_NODE_TYPES.Property && !p.computed && isPlainValue(p.value));
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
      return isPlainValue(node.expression);
    default:
      return isFunction(node);
  }
}

/** An expression that cannot reject or throw in practice: a plain value, a handled chain, a timer (`setTimeout(...)`), a log call. */
function isHarmlessExpression(expression: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  const inner = skipTypeWrappers(expression);
  if (isPlainValue(inner)) return true;
  if (inner.type === AST_NODE_TYPES.AwaitExpression) return readChain(inner.argument).hasRejectionHandler;
  if (inner.type === AST_NODE_TYPES.AssignmentExpression) {
    return isPlainValue(inner.left) && isHarmlessExpression(inner.right, vocabulary);
  }
  if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === 'void') return readChain(inner).hasRejectionHandler;
  if (inner.type !== AST_NODE_TYPES.CallExpression && inner.type !== AST_NODE_TYPES.NewExpression) return false;
  // Re-arming a timer (`this.timer = setTimeout(() => this.tick(), ms)`): the callback runs later, on its own.
  if (matchDispatcher(vocabulary, inner)) return true;
  if (inner.type === AST_NODE_TYPES.CallExpression && readChain(inner).hasRejectionHandler) return true;
  const parts = calleeParts(inner);
  return parts !== undefined && vocabulary.isLogger(parts.receiver) && vocabulary.isLogMethod(parts.member);
}

/**
 * Statements that cannot throw in practice around the guarding try: empty, logging, timers,
 * declarations and assignments of plain values, returns of plain values or handled chains.
 */
function isHarmlessStatement(statement: TSESTree.Statement, vocabulary: CompiledVocabulary): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.EmptyStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      return true;
    case AST_NODE_TYPES.ReturnStatement:
      return (
        statement.argument === null ||
        (isHarmlessExpression(statement.argument, vocabulary) && !(statement.argument.type === AST_NODE_TYPES.Identifier && holdsUnhandledChain(statement.argument)))
      );
    case AST_NODE_TYPES.ExpressionStatement:
      return isHarmlessExpression(statement.expression, vocabulary);
    case AST_NODE_TYPES.VariableDeclaration:
      return statement.declarations.every((d) => d.init === null || isHarmlessExpression(d.init, vocabulary));
    default:
      return false;
  }
}

/** Whether a block throws (nested functions excluded): a catch that rethrows. */
export function containsThrow(block: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  const stack: TSESTree.Node[] = [block];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.ThrowStatement) return true;
    if (node !== block && isFunction(node)) continue;
    pushChildren(stack, node, keys);
  }
  return false;
}

/** A short name for a chain's base, for messages. */
function baseName(base: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string {
  if (base.type === AST_NODE_TYPES.NewExpression && base.callee.type === AST_NODE_TYPES.Identifier) return `new ${base.callee.name}`;
  if (base.type === AST_NODE_TYPES.CallExpression) {
    const parts = calleeParts(base);
    if (parts) return parts.receiver ? `${parts.receiver}.${parts.member}` : parts.member;
    if (isFunction(base.callee)) return base.callee.async ? 'async IIFE' : 'IIFE';
  }
  const text = sourceCode.getText(base).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether the function is the one whose parameter a dispatcher argument names (`setTimeout(resolve)`). */
function isOwnParameter(target: FunctionNode, call: TSESTree.Node): boolean {
  return call.range[0] >= target.range[0] && call.range[1] <= target.range[1];
}

/**
 * Reads one expression statement: the dropped promise it holds, or undefined when it holds
 * none (or one that a dispatcher or tracker takes).
 */
export function droppedPromise(
  statement: TSESTree.ExpressionStatement,
  facts: FileFacts,
  types: TypeFacts | undefined,
): DroppedPromise | undefined {
  const chain = readChain(statement.expression);
  const base = chain.base;
  if (base.type !== AST_NODE_TYPES.CallExpression && base.type !== AST_NODE_TYPES.NewExpression && chain.methods.length === 0) {
    return undefined;
  }
  if (base.type === AST_NODE_TYPES.Identifier && holdsHandledPromise(base, facts.sourceCode)) return undefined;
  // `this.snapshotPromise.catch(noop)`: a promise an object already holds (and awaits elsewhere), marked handled.
  if (base.type === AST_NODE_TYPES.MemberExpression && chain.hasRejectionHandler) return undefined;
  const vocabulary = facts.vocabulary;
  if (
    (base.type === AST_NODE_TYPES.CallExpression || base.type === AST_NODE_TYPES.NewExpression) &&
    (matchDispatcher(vocabulary, base) || isTrackerCall(vocabulary, base))
  ) {
    return undefined;
  }
  let target: FunctionNode | undefined;
  if (base.type === AST_NODE_TYPES.CallExpression) {
    const resolved = facts.resolveFunction(base.callee);
    if (resolved && !isOwnParameter(resolved, base)) target = resolved;
  }
  // A callee that ends the process when its work fails (`process.exit(1)`), or at its end (a worker's
  // `stop()` that drains and calls `process.exit(0)`, seen in bitcore's syncWorker.ts:49): its rejection
  // only changes how a process that is ending ends.
  if (target && (endsProcessOnFailure(target, vocabulary) || exitsProcess(target, vocabulary))) return undefined;
  let evidence: PromiseEvidence | undefined;
  if (isPromiseConstruction(base)) evidence = 'new-promise';
  else if (target?.async) evidence = 'async-callee';
  else if (chain.methods.length > 0 && chainIsPromise(base, chain, facts)) evidence = 'chain';
  else if (
    chain.voided &&
    base.type === AST_NODE_TYPES.CallExpression &&
    target === undefined &&
    vocabulary.isBackgroundName(calleeParts(base)?.member)
  ) {
    evidence = 'background-name';
  } else if (types?.isPromise(base)) evidence = 'type';
  else if (base.type === AST_NODE_TYPES.CallExpression && chain.methods.length === 0 && parameterGivenAsyncFunction(base, facts)) evidence = 'async-argument';
  // `refreshToken.run();` in a job, `run` an async method of an instance another file of the project
  // exports (issue 14, shape 5: seen in a public backend, jellyseerr's server/job/schedule.ts:84). Read
  // only inside background work: a project call anywhere else would cost another file's parse.
  let foreign: ForeignFunction | undefined;
  if (!evidence && target === undefined && base.type === AST_NODE_TYPES.CallExpression && logCallOf(vocabulary, base) === undefined && facts.taskOf(statement) !== undefined) {
    foreign = foreignCallee(base, facts);
    if (foreign?.fn.async && !endsProcessOnFailure(foreign.fn, vocabulary) && !exitsProcess(foreign.fn, vocabulary)) evidence = 'foreign-async-callee';
  }
  if (!evidence) return undefined;
  // `Promise.allSettled(...).then((results) => ...)`: never rejects for its inputs, and a synchronous
  // handler fails only by a bug, not by failed I/O.
  if (settledWithSyncHandlers(statement.expression, base, facts)) return undefined;
  // Medusa's `when(...).then(() => steps)` and Cypress's `cy.get(...).then(...)` are builders, not promises.
  if (evidence === 'chain' && vocabulary.isNonPromiseThenable(chainRootName(base))) return undefined;
  // Worked out when first asked: the rule asks only for a promise it would otherwise report, and the
  // answer may read other files (./foreign-callees.ts).
  const keys = facts.sourceCode.visitorKeys;
  const calleeCannotRejectHere = (): boolean => {
    if (target) {
      return catchesEverything(target, vocabulary, keys, facts) || (base.type === AST_NODE_TYPES.CallExpression && targetCannotRejectHere(base, target, vocabulary, keys, facts));
    }
    if (evidence === 'foreign-async-callee') return catchesEverything(foreign!.fn, vocabulary, foreign!.facts.sourceCode.visitorKeys, foreign!.facts);
    if (base.type === AST_NODE_TYPES.CallExpression) {
      // Another file's callee: its body (type-aware mode) catches everything, or nothing shows it can reject
      // (a Result-returning call, an unseen imported helper: `awaitedCallCannotReject`).
      // A `.catch()` with no handler says its author expects a rejection, and handles none (seen in a
      // public backend: kutt server/cron.js:6, `query.link.batchRemove(...).catch()`).
      const bareCatch = chain.methods.includes('catch') && !chain.hasRejectionHandler;
      return types?.calleeCatchesEverything(base) ?? (!bareCatch && awaitedCallCannotReject(base, vocabulary, keys, facts));
    }
    if (base.type === AST_NODE_TYPES.Identifier || base.type === AST_NODE_TYPES.MemberExpression) {
      return heldPromiseCannotReject(base, facts) && chainHandlersCannotReject(statement.expression, facts);
    }
    // `void import('./webhook.service').then(({ reconcile }) => reconcile(p).catch(log))`: loading one of
    // the project's own modules fails only when the deployment is broken, and the handler catches (issue 13,
    // round 18: seen in a public backend, avoqado-server's src/services/tpv/payment.tpv.service.ts:2375).
    if (base.type === AST_NODE_TYPES.ImportExpression) return awaitedValueCannotReject(base, facts) && chainHandlersCannotReject(statement.expression, facts);
    return false;
  };
  let answer: boolean | undefined;
  return {
    statement,
    chain,
    evidence,
    target,
    get calleeCatchesAll() {
      answer ??= calleeCannotRejectHere();
      return answer;
    },
    name: baseName(base, facts.sourceCode),
  };
}

/**
 * The functions the calls of this file hand to the parameter that a call invokes (`job()` in
 * `const launchCronJob = async (name, job) => ...`, `callback()` in `configCronJob(name, ..., callback)`),
 * and how many values they hand it that are no function of this file. Undefined when the callee is
 * not a parameter of the function around the call.
 */
function functionsGivenToParameter(call: TSESTree.CallExpression, facts: CalleeFacts): { readonly functions: readonly FunctionNode[]; readonly unseen: number } | undefined {
  const callee = call.callee;
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  // The nearest function around the call that declares the parameter (a closure may call it: `async () => await callback()`).
  let fn = enclosingFunction(call);
  let index = -1;
  for (; fn; fn = enclosingFunction(fn)) {
    index = fn.params.findIndex((param) => param.type === AST_NODE_TYPES.Identifier && param.name === callee.name);
    if (index >= 0) break;
  }
  if (!fn || index < 0) return undefined;
  const functions: FunctionNode[] = [];
  let unseen = 0;
  for (const other of facts.functions.callersOf(fn)) {
    if (other.type !== AST_NODE_TYPES.CallExpression) continue;
    const argument = other.arguments[index];
    const given = argument === undefined ? undefined : isFunction(argument) ? argument : argument.type === AST_NODE_TYPES.Identifier ? facts.resolveFunction(argument) : undefined;
    if (given) functions.push(given);
    else unseen += 1;
  }
  return { functions, unseen };
}

/**
 * Whether a call of a parameter (`job()` in `const launchCronJob = async (name, job) => { try { job(); }
 * catch (e) { ... } }`) calls an async function: a call of the enclosing function in this file hands
 * that parameter an async function (`launchCronJob('test', async () => { ... })`), and none hands it a
 * plain one. The `try` then catches nothing of the job's failure. Issue 14, round 20: seen in a public
 * backend, SocialGouv/ozensemble's api/src/cronjobs.js:50.
 */
function parameterGivenAsyncFunction(call: TSESTree.CallExpression, facts: FileFacts): boolean {
  const given = functionsGivenToParameter(call, facts);
  return given !== undefined && given.functions.some((fn) => fn.async) && given.functions.every((fn) => fn.async);
}

/**
 * Whether a promise held in a variable cannot reject: every value the variable is given cannot
 * (`let ping = Promise.resolve(); if (enabled) ping = this.pingStart(task);` where `pingStart`
 * catches everything), or it is the `promise` of a `Promise.withResolvers()` whose `reject` is never
 * read. Issue 13, round 16: seen in a public backend, akash-network/console apps/indexer/src/scheduler.ts:125
 * and apps/provider-inventory/.../stream-lifecycle-manager.service.ts:110.
 */
function heldPromiseCannotReject(base: TSESTree.Identifier | TSESTree.MemberExpression, facts: FileFacts): boolean {
  const keys = facts.sourceCode.visitorKeys;
  if (base.type === AST_NODE_TYPES.MemberExpression) {
    const holder = skipTypeWrappers(base.object);
    if (memberName(base) !== 'promise' || holder.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = ASTUtils.findVariable(facts.sourceCode.getScope(holder), holder);
    const def = variable?.defs[0];
    if (!variable || def?.type !== 'Variable' || def.parent.kind !== 'const' || !def.node.init) return false;
    const init = skipTypeWrappers(def.node.init);
    const parts = init.type === AST_NODE_TYPES.CallExpression ? calleeParts(init) : undefined;
    if (parts?.receiver !== 'Promise' || parts.member !== 'withResolvers') return false;
    // Every use reads `.promise` or `.resolve`: nothing can ever reject it.
    return variable.references.every((reference) => {
      if (reference.init) return true;
      const member = reference.identifier.parent;
      return member?.type === AST_NODE_TYPES.MemberExpression && member.object === reference.identifier && ['promise', 'resolve'].includes(memberName(member) ?? '');
    });
  }
  const variable = ASTUtils.findVariable(facts.sourceCode.getScope(base), base);
  const def = variable?.defs[0];
  if (!variable || def?.type !== 'Variable' || def.node.id.type !== AST_NODE_TYPES.Identifier || followingConsts.has(def.node)) return false;
  const values: TSESTree.Node[] = [];
  if (def.node.init) values.push(def.node.init);
  for (const reference of variable.references) {
    if (!reference.isWrite() || reference.init) continue;
    // `p = value` only: a compound or destructuring write gives a value this reading cannot see.
    if (!reference.writeExpr || reference.identifier.parent?.type !== AST_NODE_TYPES.AssignmentExpression || reference.identifier.parent.operator !== '=') return false;
    values.push(reference.writeExpr);
  }
  if (values.length === 0) return false;
  followingConsts.add(def.node);
  try {
    return values.every((value) => isResolveOnlyPromise(value) || (skipTypeWrappers(value).type === AST_NODE_TYPES.CallExpression && awaitedCallCannotReject(value, facts.vocabulary, keys, facts)));
  } finally {
    followingConsts.delete(def.node);
  }
}

/** Whether no handler of a chain (`.then(f)`, `.finally(f)`) can reject it: each is synchronous, or hands back a call that cannot reject. */
function chainHandlersCannotReject(expression: TSESTree.Node, facts: FileFacts): boolean {
  const keys = facts.sourceCode.visitorKeys;
  for (let node = skipTypeWrappers(expression); node.type === AST_NODE_TYPES.CallExpression; ) {
    const callee = skipTypeWrappers(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) break;
    for (const handler of node.arguments) {
      if (isSyncHandler(handler)) continue;
      if (!isFunction(handler)) return false;
      const body = handler.body.type === AST_NODE_TYPES.BlockStatement ? undefined : skipTypeWrappers(handler.body);
      const safe = body
        ? body.type === AST_NODE_TYPES.CallExpression && (readChain(body).hasRejectionHandler || awaitedCallCannotReject(body, facts.vocabulary, keys, facts))
        : catchesEverything(handler, facts.vocabulary, keys, facts);
      if (!safe) return false;
    }
    node = skipTypeWrappers(callee.object);
  }
  return true;
}

/**
 * Whether a node runs inside a `new Promise((resolve, reject) => ...)` executor: a handled chain there
 * settles the outer promise (`client.post(...).then(resolve).catch(reject)`), which its caller holds.
 */
export function insidePromiseExecutor(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (
      isFunction(current) &&
      current.parent?.type === AST_NODE_TYPES.NewExpression &&
      current.parent.arguments[0] === current &&
      current.parent.callee.type === AST_NODE_TYPES.Identifier &&
      current.parent.callee.name === 'Promise'
    ) {
      return true;
    }
  }
  return false;
}


const awaitedNamesCache = new WeakMap<object, ReadonlySet<string>>();

/** Names of the functions and methods a file awaits somewhere (`await this.mailer.send(...)` gives `send`). */
function awaitedNames(sourceCode: Readonly<TSESLint.SourceCode>): ReadonlySet<string> {
  let names = awaitedNamesCache.get(sourceCode);
  if (!names) {
    const found = new Set<string>();
    for (const match of sourceCode.text.matchAll(/\bawait\s+(?:[\w$]+(?:\?\.|\.))*([\w$]+)\s*\(/g)) found.add(match[1]!);
    names = found;
    awaitedNamesCache.set(sourceCode, names);
  }
  return names;
}

/**
 * Whether a `.then(...)` chain without other evidence stands on a promise rather than a builder's
 * thenable (a schema or query builder, issue 13): its base is `import()` or a known promise API
 * (`fetch`), the file awaits the same callee elsewhere, or the chain uses `.finally`, which only
 * promises have.
 */
function chainIsPromise(base: TSESTree.Node, chain: PromiseChain, facts: FileFacts): boolean {
  // `.catch` and `.finally` are promise methods that builders' thenables do not have.
  if (chain.methods.includes('finally') || chain.methods.includes('catch')) return true;
  if (base.type === AST_NODE_TYPES.ImportExpression) return true;
  if (base.type === AST_NODE_TYPES.MemberExpression || base.type === AST_NODE_TYPES.Identifier) return declaredAsPromise(base, facts);
  if (base.type !== AST_NODE_TYPES.CallExpression) return false;
  const parts = calleeParts(base);
  if (!parts) return false;
  if (facts.vocabulary.fits(facts.vocabulary.promiseApis, parts.receiver, parts.member)) return true;
  return awaitedNames(facts.sourceCode).has(parts.member);
}

/** `this.warmup` of a class declaring `warmup: Promise<void>`, or a variable declared `: Promise<T>`. */
function declaredAsPromise(node: TSESTree.MemberExpression | TSESTree.Identifier, facts: FileFacts): boolean {
  let annotation: TSESTree.TypeNode | undefined;
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    if (node.object.type !== AST_NODE_TYPES.ThisExpression || node.property.type !== AST_NODE_TYPES.Identifier) return false;
    // The class's properties by name, indexed once per class body (../function-index.ts).
    const body = enclosingClassBody(node);
    annotation = body && facts.functions.propertyOf(body, node.property.name)?.typeAnnotation?.typeAnnotation;
  } else {
    const def = ASTUtils.findVariable(facts.sourceCode.getScope(node), node)?.defs[0];
    if (def?.type === 'Variable' && def.node.id.type === AST_NODE_TYPES.Identifier) annotation = def.node.id.typeAnnotation?.typeAnnotation;
  }
  return (
    annotation?.type === AST_NODE_TYPES.TSTypeReference &&
    annotation.typeName.type === AST_NODE_TYPES.Identifier &&
    annotation.typeName.name === 'Promise'
  );
}

/** The identifier a call chain starts from: `cy` of `cy.get(a).its(b)`, `when` of `when(x)`. */
function chainRootName(node: TSESTree.Node): string | undefined {
  let current = skipTypeWrappers(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.CallExpression) current = skipTypeWrappers(current.callee);
    else if (current.type === AST_NODE_TYPES.MemberExpression) current = skipTypeWrappers(current.object);
    else if (current.type === AST_NODE_TYPES.ChainExpression) current = current.expression;
    else break;
  }
  return current.type === AST_NODE_TYPES.Identifier ? current.name : undefined;
}

/** The initial value of a `const` an identifier names. */
function constInit(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.Node | undefined {
  const def = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier)?.defs[0];
  return def?.type === 'Variable' && def.node.parent.kind === 'const' && def.node.init ? skipTypeWrappers(def.node.init) : undefined;
}

/** `const task = work().catch(log); void task.finally(...)`: the variable already holds a handled promise. */
function holdsHandledPromise(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const init = constInit(identifier, sourceCode);
  return init !== undefined && readChain(init).hasRejectionHandler;
}

/** Whether a dispatcher callback makes a promise that nobody handles. */
function callbackMakesPromise(fn: FunctionNode, facts: FileFacts, types: TypeFacts | undefined): boolean {
  if (fn.async) return true;
  if (fn.body.type === AST_NODE_TYPES.BlockStatement) return false;
  const chain = readChain(fn.body);
  if (chain.hasRejectionHandler) return false;
  const base = chain.base;
  if (isPromiseConstruction(base) || (chain.methods.length > 0 && chainIsPromise(base, chain, facts))) return true;
  if (base.type === AST_NODE_TYPES.CallExpression) {
    const target = facts.resolveFunction(base.callee);
    if (target) return target.async && !catchesEverything(target, facts.vocabulary, facts.sourceCode.visitorKeys, facts);
    if (types?.isPromise(base)) return types.calleeCatchesEverything(base) !== true;
  }
  return false;
}

/** Async callbacks given to dispatchers that drop their promise, in this file. */
export function droppedCallbacks(facts: FileFacts, types: TypeFacts | undefined): DroppedCallback[] {
  const out: DroppedCallback[] = [];
  for (const site of facts.dispatchSites) {
    // A dispatcher that catches the callback's rejection leaves none unhandled (cron from 4.3.4 logs it,
    // node-cron 3 swallows it: require-background-error-handling reports that loss).
    if (site.kind !== 'dispatcher' || !site.dispatcher?.dropsPromise || site.logsFailure || site.swallowsFailure) continue;
    // `setImmediate(async () => { await svc.init(); ... })` at a module's top level is its startup, like `main()` (./entry-point.ts).
    if (isTopLevelDispatch(site, facts.vocabulary)) continue;
    const call = site.call;
    const target = site.target && !isOwnParameter(site.target, call) ? site.target : undefined;
    const dispatcherName = site.calleeName ?? 'dispatcher';
    if (target) {
      if (!callbackMakesPromise(target, facts, types)) continue;
      const calleeCatchesAll = catchesEverything(target, facts.vocabulary, facts.sourceCode.visitorKeys, facts);
      out.push({ call, callback: target, calleeCatchesAll, dispatcherName });
      continue;
    }
    if (!types) continue;
    // Type-aware: a function from another file (`setImmediate(reindexAll)`).
    for (const argument of call.arguments) {
      if (argument.type === AST_NODE_TYPES.SpreadElement || isFunction(argument)) continue;
      if (!types.isPromiseReturningFunction(argument)) continue;
      out.push({ call, callback: argument, calleeCatchesAll: types.functionCatchesEverything(argument) === true, dispatcherName });
      break;
    }
  }
  // Async closures started and dropped inside a background task (`jobs.forEach(async (job) => ...)`).
  for (const task of facts.tasks) {
    const detached = task.reasons.find((r) => r.kind === 'detached');
    if (!detached || !task.fn.async || detached.node.type !== AST_NODE_TYPES.CallExpression) continue;
    const call = detached.node;
    // `Promise.allSettled(items.map(async ...))` collects every rejection as a result.
    if (isSettledByCombinator(call)) continue;
    out.push({
      call,
      callback: task.fn,
      calleeCatchesAll: catchesEverything(task.fn, facts.vocabulary, facts.sourceCode.visitorKeys, facts),
      dispatcherName: describeCall(call),
    });
  }
  return out;
}

/**
 * `new Promise(async (resolve) => { ...; await work(); ... })`: the constructor drops the executor's
 * own promise, so a failure after its first `await` is an unhandled rejection that no caller of the
 * outer promise can catch (ESLint's `no-async-promise-executor` forbids the form; this asks only
 * whether the executor can fail). Issue 13, round 19: the outer promise of such an executor without
 * `reject` only resolves (`isResolveOnlyPromise`), so its failure is reported here, where it happens.
 */
export function droppedAsyncExecutor(node: TSESTree.NewExpression, facts: FileFacts): DroppedCallback | undefined {
  if (node.callee.type !== AST_NODE_TYPES.Identifier || node.callee.name !== 'Promise') return undefined;
  const executor = node.arguments[0];
  if (executor === undefined || !isFunction(executor) || !executor.async) return undefined;
  const calleeCatchesAll = catchesEverything(executor, facts.vocabulary, facts.sourceCode.visitorKeys, facts);
  return { call: node, callback: executor, calleeCatchesAll, dispatcherName: 'new Promise' };
}

/**
 * `await Promise.allSettled(users.map(async (user) => { await db.update(...) }))` whose results
 * nobody reads: `allSettled` never rejects, so every item that fails is lost without a log, and a
 * `.catch(log)` chained to it never runs (seen in a public backend: Swetrix's `@Cron` task manager,
 * `backend/apps/cloud/src/task-manager/task-manager.service.ts`). Only when an item can reject:
 * a mapped callback that does not catch everything, or a listed call without a handler. Answers
 * the kind of call, for messages (`PromisePool.process` for a promise pool's worker run).
 */
export function discardedSettledCall(call: TSESTree.CallExpression, facts: FileFacts): 'Promise.allSettled' | 'PromisePool.process' | undefined {
  return discardsSettledFailures(call, facts) ? (calleeParts(call)?.member === 'process' ? 'PromisePool.process' : 'Promise.allSettled') : undefined;
}

function discardsSettledFailures(call: TSESTree.CallExpression, facts: FileFacts): boolean {
  const parts = calleeParts(call);
  const keys = facts.sourceCode.visitorKeys;
  // `await PromisePool.for(items).process(async (item) => ...)` (@supercharge/promise-pool) without
  // `.handleError(...)` collects the failures into the `errors` of a result nobody reads (seen in a
  // public backend: bigcapital's uncategorized-transaction subscribers).
  if (parts?.member === 'process' && promisePoolChain(call) === 'collected' && resultDiscarded(call)) {
    const worker = call.arguments[0];
    return worker !== undefined && isFunction(worker) && !catchesEverything(worker, facts.vocabulary, keys, facts) && containsAwait(worker.body, keys);
  }
  if (parts?.receiver !== 'Promise' || parts.member !== 'allSettled' || call.arguments.length !== 1) return false;
  if (!resultDiscarded(call)) return false;
  const list = constValue(skipTypeWrappers(call.arguments[0]!), facts);
  if (list.type === AST_NODE_TYPES.ArrayExpression) {
    return list.elements.some((e) => {
      if (e === null || e.type !== AST_NODE_TYPES.CallExpression || readChain(e).hasRejectionHandler) return false;
      const fn = facts.resolveFunction(e.callee);
      return fn?.async === true && !logsEveryFailure(fn, facts.vocabulary, keys);
    });
  }
  if (list.type !== AST_NODE_TYPES.CallExpression || !/^_?(?:flat)?map$/i.test(calleeParts(list)?.member ?? '')) return false;
  const mapper = [...list.arguments].reverse().find((a) => isFunction(a)) as FunctionNode | undefined;
  if (!mapper || catchesEverything(mapper, facts.vocabulary, keys, facts)) return false;
  return mapper.async ? containsAwait(mapper.body, keys) || ownReturnedValues(mapper).some(mayHoldPromise) : ownReturnedValues(mapper).some(mayHoldPromise);
}

/**
 * Whether a function's work all sits in one `try` whose `catch` logs the failure, rethrown or not
 * (`try { ... } catch (error) { this.logger.error(...); throw new Error('job failed'); }`): a settled
 * result that drops its rejection loses nothing the log does not hold (issue 13, round 17: seen in a
 * public backend, onroutebc's `generateDocument`/`generateReceipt` under `Promise.allSettled`).
 */
function logsEveryFailure(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  const attempts = fn.body.body.filter((statement): statement is TSESTree.TryStatement => statement.type === AST_NODE_TYPES.TryStatement);
  const attempt = attempts.length === 1 ? attempts[0]! : undefined;
  if (!attempt?.handler) return false;
  if (!fn.body.body.every((statement) => statement === attempt || statementCatchesEverything(statement, vocabulary, keys))) return false;
  return catchHandling(vocabulary, attempt.handler, keys).logs.length > 0;
}

/**
 * A `PromisePool.withConcurrency(n).for(items)...process(fn)` builder chain (@supercharge/promise-pool):
 * `'handled'` when a `handleError(...)` on the way takes each failure, `'collected'` when the failures
 * only go to the result's `errors`; undefined for any other call.
 */
export function promisePoolChain(call: TSESTree.CallExpression): 'handled' | 'collected' | undefined {
  let handled = false;
  let node: TSESTree.Node = call.callee;
  for (;;) {
    node = skipTypeWrappers(node);
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      if (memberName(node) === 'handleError') handled = true;
      node = node.object;
    } else if (node.type === AST_NODE_TYPES.CallExpression) {
      node = node.callee;
    } else {
      return node.type === AST_NODE_TYPES.Identifier && node.name === 'PromisePool' ? (handled ? 'handled' : 'collected') : undefined;
    }
  }
}

/** Whether a call's value is dropped, through `await` and `.catch(...)` / `.finally(...)` (which hand the same results on). */
function resultDiscarded(call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = call;
  for (;;) {
    const outer = outerExpression(node);
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.AwaitExpression) {
      node = parent;
      continue;
    }
    if (
      parent?.type === AST_NODE_TYPES.MemberExpression &&
      parent.object === outer &&
      (memberName(parent) === 'catch' || memberName(parent) === 'finally') &&
      parent.parent?.type === AST_NODE_TYPES.CallExpression &&
      parent.parent.callee === parent
    ) {
      node = parent.parent;
      continue;
    }
    if (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void') return parent.parent?.type === AST_NODE_TYPES.ExpressionStatement;
    return parent?.type === AST_NODE_TYPES.ExpressionStatement;
  }
}

/**
 * Whether a chain stands on `Promise.allSettled(...)` and every handler in it is a synchronous
 * function, or on `Promise.resolve(<value>)` and every handler is one that hands back no work
 * (`Promise.resolve().then(() => { queue.shift(); deploy(); })`, seen in a public backend: caprover),
 * or on a dynamic `import()` or a `new Promise((resolve) => ...)` with such handlers.
 */
function settledWithSyncHandlers(expression: TSESTree.Node, base: TSESTree.Node, facts: FileFacts): boolean {
  const sourceCode = facts.sourceCode;
  let resolved: boolean;
  // `const cleanup = Promise.allSettled(...); cleanup.finally(() => set.delete(cleanup))` (seen in a
  // public backend: pg-boss src/manager.ts:790).
  const held = base.type === AST_NODE_TYPES.Identifier ? constInit(base, sourceCode) : undefined;
  if (held?.type === AST_NODE_TYPES.CallExpression && isPromiseCombinator(held) && calleeParts(held)?.member === 'allSettled') {
    resolved = false;
  } else if (base.type === AST_NODE_TYPES.ImportExpression) {
    // `import('@ts-gql/compiler').then(({ watch }) => watch(cwd))`: a dynamic import rejects only for a
    // module that is missing or broken, a deployment bug, not failed I/O (issue 13, round 12: seen in
    // a public backend, keystone's examples/graphql-ts-gql/keystone.ts).
    resolved = true;
  } else if (base.type === AST_NODE_TYPES.NewExpression) {
    // `new Promise((resolve) => { void fn().then(resolve); setTimeout(resolve, ms) }).then(() => this.next())`:
    // an executor without `reject` only resolves (issue 13, round 13: seen in a public backend,
    // Zeppelin's backend/src/Queue.ts:57).
    if (!isResolveOnlyPromise(base)) return false;
    resolved = true;
  } else {
    if (base.type !== AST_NODE_TYPES.CallExpression) return false;
    const parts = calleeParts(base);
    if (parts?.receiver !== 'Promise') return false;
    resolved =
      (parts.member === 'resolve' && base.arguments.every((a) => isPlainValue(a) || callsVoidParameter(a))) ||
      isResolveOnlyPromise(base, { resolveFunction: facts.resolveFunction, constValue: (identifier) => constInit(identifier, sourceCode) });
    if (parts.member !== 'allSettled' && !resolved) return false;
  }
  let node = skipTypeWrappers(expression);
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'void') node = skipTypeWrappers(node.argument);
  while (node !== base && node.type === AST_NODE_TYPES.CallExpression) {
    // `.then(resolve)`: handing the value to the promise around it (multi-scrobbler's debounce).
    const settles = (a: TSESTree.Node): boolean => resolved && a.type === AST_NODE_TYPES.Identifier && namesEnclosingPromiseSettler(a);
    if (node.arguments.some((a) => !settles(a) && (!isFunction(a) || a.async || (resolved && !isSyncHandler(a) && !callsPlainFunction(a, facts))))) return false;
    const callee = skipTypeWrappers(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    node = skipTypeWrappers(callee.object);
  }
  return true;
}

/**
 * `Promise.resolve(func.apply(this, args))` with `func: () => void` a parameter of a function around
 * it: the call hands back nothing, so the promise only resolves (issue 13, round 14: seen in a
 * public backend, multi-scrobbler's src/backend/utils/debounce.ts:48, `debounce(func: () => void, ...)`).
 */
function callsVoidParameter(node: TSESTree.Node): boolean {
  const call = skipTypeWrappers(node);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  let callee = skipTypeWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && (callee.property.name === 'apply' || callee.property.name === 'call')) {
    callee = skipTypeWrappers(callee.object);
  }
  if (callee.type !== AST_NODE_TYPES.Identifier) return false;
  const name = callee.name;
  for (let current: TSESTree.Node | undefined = call.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    const param = current.params.find((p) => p.type === AST_NODE_TYPES.Identifier && p.name === name);
    if (!param) continue;
    const annotation = param.type === AST_NODE_TYPES.Identifier ? param.typeAnnotation?.typeAnnotation : undefined;
    const returned = annotation?.type === AST_NODE_TYPES.TSFunctionType ? annotation.returnType?.typeAnnotation : undefined;
    return returned?.type === AST_NODE_TYPES.TSVoidKeyword || returned?.type === AST_NODE_TYPES.TSUndefinedKeyword;
  }
  return false;
}

/**
 * `() => this.next()` with `next` a plain function of this file that hands back no promise: it says
 * so (`next(): void`), or it returns no value at all (modmailbot's JavaScript `Queue.next`, src/queue.js:20).
 */
function callsPlainFunction(handler: FunctionNode, facts: FileFacts): boolean {
  if (handler.body.type !== AST_NODE_TYPES.CallExpression) return false;
  const target = facts.resolveFunction(handler.body.callee);
  if (target === undefined || target.async || target.generator) return false;
  if (declaresPlainReturn(target)) return true;
  return !target.returnType && target.body.type === AST_NODE_TYPES.BlockStatement && ownReturnedValues(target).length === 0;
}

/** Whether a call's promises go to `Promise.allSettled(...)`, which never rejects for them. */
function isSettledByCombinator(call: TSESTree.Node): boolean {
  const parent = outerExpression(call).parent;
  if (parent?.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(outerExpression(call) as TSESTree.CallExpressionArgument)) return false;
  const parts = calleeParts(parent);
  return parts?.receiver === 'Promise' && parts.member === 'allSettled';
}

const loggerCache = new WeakMap<object, { plain: string | undefined; member: string | undefined }>();

/**
 * The logger this file already uses for errors (`logger`, `this.logger`), for suggestions:
 * `member` is a `this.x` logger (only valid inside a class), `plain` a variable or import.
 */
export function fileLoggers(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): { plain: string | undefined; member: string | undefined } {
  let found = loggerCache.get(sourceCode);
  if (!found) {
    found = { plain: undefined, member: undefined };
    const re = /(this\.)?([A-Za-z_$][\w$]*)\.(error|warn|info|log)\(/g;
    for (const match of sourceCode.text.matchAll(re)) {
      const name = match[2]!;
      if (name === 'console' || !vocabulary.isLogger(name)) continue;
      if (match[1]) found.member ??= `this.${name}`;
      else found.plain ??= name;
      if (found.plain && found.member) break;
    }
    loggerCache.set(sourceCode, found);
  }
  return found;
}
