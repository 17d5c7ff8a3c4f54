/**
 * Floating promises: statement-level promise chains nobody awaits, tracks or catches, and
 * async callbacks given to dispatchers that drop their promise. Built on the dispatch sites
 * of ./background.ts; the type checker (./types.ts) adds what one file cannot show.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, isFunction, pushChildren, skipTypeWrappers, type CallLike, type FunctionNode } from '../ast.js';
import { describeCall, isTrackerCall, matchDispatcher } from './background.js';
import type { FileFacts } from '../facts.js';
import type { TypeFacts } from '../types.js';
import { CHAIN_METHODS, readChain, type PromiseChain } from './chains.js';

export { readChain, type PromiseChain };

/** Whether a chain's base is `new Promise(...)` or `Promise.xxx(...)`. */
function isPromiseConstruction(base: TSESTree.Node): boolean {
  if (base.type === AST_NODE_TYPES.NewExpression) {
    return base.callee.type === AST_NODE_TYPES.Identifier && base.callee.name === 'Promise';
  }
  if (base.type === AST_NODE_TYPES.CallExpression) return calleeParts(base)?.receiver === 'Promise';
  return false;
}

/** Why a dropped statement holds a promise. */
export type PromiseEvidence = 'async-callee' | 'chain' | 'new-promise' | 'background-name' | 'type';

/** A statement-level promise that is dropped. */
export interface DroppedPromise {
  readonly statement: TSESTree.ExpressionStatement;
  readonly chain: PromiseChain;
  readonly evidence: PromiseEvidence;
  /** The function the base call invokes, when this file defines it. */
  readonly target: FunctionNode | undefined;
  /** The callee catches every error itself (same file, or another file with type information). */
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

const catchCache = new WeakMap<FunctionNode, boolean>();

/**
 * Whether a function catches every error itself: its whole body is one try/catch whose
 * catch does not rethrow (lifecycle logging and plain declarations may stand around it), or
 * an expression body that ends in `.catch(handler)`. The seed's template shape.
 */
export function catchesEverything(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  const cached = catchCache.get(fn);
  if (cached !== undefined) return cached;
  let result: boolean;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) {
    result = readChain(fn.body).hasRejectionHandler;
  } else {
    let guarded = false;
    result = true;
    for (const statement of fn.body.body) {
      if (statement.type === AST_NODE_TYPES.TryStatement && statement.handler && !guarded) {
        guarded = !containsThrow(statement.handler.body, keys) && !(statement.finalizer && containsThrow(statement.finalizer, keys));
        if (!guarded) result = false;
      } else if (!isHarmlessStatement(statement, vocabulary)) {
        result = false;
      }
    }
    result &&= guarded;
  }
  catchCache.set(fn, result);
  return result;
}

/** Values that cannot throw when read: literals, plain names, `this`, templates without calls. */
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
    default:
      return isFunction(node);
  }
}

/**
 * Statements that cannot throw in practice around the guarding try: empty, logging,
 * declarations and returns of plain values, and an early-return guard (`if (!id) return;`).
 */
function isHarmlessStatement(statement: TSESTree.Statement, vocabulary: CompiledVocabulary): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.EmptyStatement:
      return true;
    case AST_NODE_TYPES.ReturnStatement:
      return isPlainValue(statement.argument);
    case AST_NODE_TYPES.IfStatement:
      return (
        statement.alternate === null &&
        isPlainValue(statement.test) &&
        (statement.consequent.type === AST_NODE_TYPES.ReturnStatement
          ? isPlainValue(statement.consequent.argument)
          : statement.consequent.type === AST_NODE_TYPES.BlockStatement &&
            statement.consequent.body.length === 1 &&
            statement.consequent.body[0]!.type === AST_NODE_TYPES.ReturnStatement &&
            isPlainValue(statement.consequent.body[0].argument))
      );
    case AST_NODE_TYPES.ExpressionStatement: {
      const call = skipTypeWrappers(statement.expression);
      if (call.type !== AST_NODE_TYPES.CallExpression) return false;
      const parts = calleeParts(call);
      return parts !== undefined && vocabulary.isLogger(parts.receiver) && vocabulary.isLogMethod(parts.member);
    }
    case AST_NODE_TYPES.VariableDeclaration:
      return statement.declarations.every((d) => isPlainValue(d.init));
    default:
      return false;
  }
}

/** Whether a block throws (nested functions excluded): a catch that rethrows. */
function containsThrow(block: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): boolean {
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
  let evidence: PromiseEvidence | undefined;
  if (isPromiseConstruction(base)) evidence = 'new-promise';
  else if (target?.async) evidence = 'async-callee';
  else if (chain.methods.length > 0) evidence = 'chain';
  else if (
    chain.voided &&
    base.type === AST_NODE_TYPES.CallExpression &&
    target === undefined &&
    vocabulary.isBackgroundName(calleeParts(base)?.member)
  ) {
    evidence = 'background-name';
  } else if (types?.isPromise(base)) evidence = 'type';
  if (!evidence) return undefined;
  // Medusa's `when(...).then(() => steps)` and Cypress's `cy.get(...).then(...)` are builders, not promises.
  if (evidence === 'chain' && vocabulary.isNonPromiseThenable(chainRootName(base))) return undefined;
  let calleeCatchesAll = false;
  if (target) calleeCatchesAll = catchesEverything(target, vocabulary, facts.sourceCode.visitorKeys);
  else if (types && base.type === AST_NODE_TYPES.CallExpression) calleeCatchesAll = types.calleeCatchesEverything(base) === true;
  return { statement, chain, evidence, target, calleeCatchesAll, name: baseName(base, facts.sourceCode) };
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

/**
 * Whether a handled chain hands its failure to a callback parameter of an enclosing function
 * (`.catch((err) => callback(err, null))` in a nodemailer transport's `send(mail, callback)`):
 * the caller's continuation is what tracks it.
 */
export function handsOutcomeToCallback(statement: TSESTree.ExpressionStatement, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  const params = new Set<string>();
  for (let current: TSESTree.Node | undefined = statement.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    for (const param of current.params) if (param.type === AST_NODE_TYPES.Identifier) params.add(param.name);
  }
  if (params.size === 0) return false;
  let node = skipTypeWrappers(statement.expression);
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'void') node = skipTypeWrappers(node.argument);
  while (node.type === AST_NODE_TYPES.CallExpression) {
    const callee = skipTypeWrappers(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.property.type !== AST_NODE_TYPES.Identifier || !CHAIN_METHODS.has(callee.property.name)) break;
    // Only the rejection side counts: a callback told about success alone does not learn of a failure.
    const method = callee.property.name;
    const handler = method === 'catch' ? node.arguments[0] : method === 'then' ? node.arguments[1] : undefined;
    if (handler?.type === AST_NODE_TYPES.Identifier && params.has(handler.name)) return true;
    if (handler && isFunction(handler) && callsAny(handler.body, params, keys)) return true;
    node = skipTypeWrappers(callee.object);
  }
  return false;
}

/** Whether code under a node calls one of the named functions directly (`callback(err)`). */
function callsAny(root: TSESTree.Node, names: ReadonlySet<string>, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && names.has(node.callee.name)) return true;
    pushChildren(stack, node, keys);
  }
  return false;
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

/** `const task = work().catch(log); void task.finally(...)`: the variable already holds a handled promise. */
function holdsHandledPromise(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const def = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier)?.defs[0];
  return (
    def?.type === 'Variable' &&
    def.node.init !== null &&
    def.node.parent.kind === 'const' &&
    readChain(def.node.init).hasRejectionHandler
  );
}

/** Whether a dispatcher callback makes a promise that nobody handles. */
function callbackMakesPromise(fn: FunctionNode, facts: FileFacts, types: TypeFacts | undefined): boolean {
  if (fn.async) return true;
  if (fn.body.type === AST_NODE_TYPES.BlockStatement) return false;
  const chain = readChain(fn.body);
  if (chain.hasRejectionHandler) return false;
  const base = chain.base;
  if (isPromiseConstruction(base) || chain.methods.length > 0) return true;
  if (base.type === AST_NODE_TYPES.CallExpression) {
    const target = facts.resolveFunction(base.callee);
    if (target) return target.async && !catchesEverything(target, facts.vocabulary, facts.sourceCode.visitorKeys);
    if (types?.isPromise(base)) return types.calleeCatchesEverything(base) !== true;
  }
  return false;
}

/** Async callbacks given to dispatchers that drop their promise, in this file. */
export function droppedCallbacks(facts: FileFacts, types: TypeFacts | undefined): DroppedCallback[] {
  const out: DroppedCallback[] = [];
  for (const site of facts.dispatchSites) {
    if (site.kind !== 'dispatcher' || !site.dispatcher?.dropsPromise) continue;
    const call = site.call;
    const target = site.target && !isOwnParameter(site.target, call) ? site.target : undefined;
    const dispatcherName = site.calleeName ?? 'dispatcher';
    if (target) {
      if (!callbackMakesPromise(target, facts, types)) continue;
      const calleeCatchesAll = catchesEverything(target, facts.vocabulary, facts.sourceCode.visitorKeys);
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
    out.push({
      call,
      callback: task.fn,
      calleeCatchesAll: catchesEverything(task.fn, facts.vocabulary, facts.sourceCode.visitorKeys),
      dispatcherName: describeCall(call),
    });
  }
  return out;
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
