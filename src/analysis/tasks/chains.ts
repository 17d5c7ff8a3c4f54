/** Promise chains at statement level: `void? base(.then|.catch|.finally(...))*`. */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { containsNodeByFields, isFunction, pushChildren, skipTypeWrappers } from '../ast.js';

/** A statement's expression read as `void? base(.then|.catch|.finally(...))*`. */
export interface PromiseChain {
  readonly voided: boolean;
  /** The innermost expression of the chain: usually the call that makes the promise. */
  readonly base: TSESTree.Node;
  /** `then`, `catch`, `finally`, innermost first. */
  readonly methods: readonly string[];
  /** A `.catch(handler)` or `.then(ok, handler)` that no later single-argument `.then(f)` undoes. */
  readonly hasRejectionHandler: boolean;
}

/** The promise methods a chain is made of. */
export const CHAIN_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** Reads an expression as a promise chain (every expression is one, possibly with no methods). */
export function readChain(expression: TSESTree.Node): PromiseChain {
  let node = skipTypeWrappers(expression);
  let voided = false;
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'void') {
    voided = true;
    node = skipTypeWrappers(node.argument);
  }
  const outerFirst: { method: string; handles: boolean; thenOnly: boolean; syncHandler: boolean }[] = [];
  for (;;) {
    if (node.type !== AST_NODE_TYPES.CallExpression) break;
    const callee = skipTypeWrappers(node.callee);
    if (
      callee.type !== AST_NODE_TYPES.MemberExpression ||
      callee.computed ||
      callee.property.type !== AST_NODE_TYPES.Identifier ||
      !CHAIN_METHODS.has(callee.property.name)
    ) {
      break;
    }
    const method = callee.property.name;
    const argc = node.arguments.length;
    outerFirst.push({
      method,
      handles: (method === 'catch' && argc > 0) || (method === 'then' && argc > 1),
      thenOnly: method === 'then' && argc === 1,
      syncHandler: argc === 1 && isSyncHandler(node.arguments[0]!),
    });
    node = skipTypeWrappers(callee.object);
  }
  // Handled when some handler exists and no `.then(f)` after it can reject unhandled: a synchronous
  // `f` that neither throws nor hands back a promise fails only by a bug (seen in a public backend:
  // caprover's `.catch(Logger.e).then(() => { setTimeout(...) })`).
  let hasRejectionHandler = false;
  for (const link of outerFirst) {
    if (link.handles) {
      hasRejectionHandler = true;
      break;
    }
    if (link.thenOnly && !link.syncHandler) break;
  }
  return { voided, base: node, methods: outerFirst.map((l) => l.method).reverse(), hasRejectionHandler };
}


/**
 * Whether a chain handler is a synchronous function that cannot reject the chain except by a bug:
 * not async, no `throw`, and it hands back no call (`.then(() => { queue.shift(); start(); })`,
 * `.then((n) => { this.max = n; })`). Nested functions do not run in it.
 */
export function isSyncHandler(node: TSESTree.Node): boolean {
  // `.then(resolve)`: the settler of the promise around it, or a continuation callback, handed on itself
  // (issue 13, round 15: seen in a public backend, PrairieLearn's apps/workspace-host/src/interface.ts:776).
  if (node.type === AST_NODE_TYPES.Identifier) return namesEnclosingPromiseSettler(node) || namesContinuationParameter(node);
  if (!isFunction(node) || node.async || node.generator) return false;
  if (node.body.type !== AST_NODE_TYPES.BlockStatement) return !handsBackWork(node.body) || settlesEnclosingPromise(node.body);
  return !containsNodeByFields(
    node.body,
    (current) =>
      current.type === AST_NODE_TYPES.ThrowStatement ||
      (current.type === AST_NODE_TYPES.ReturnStatement && current.argument !== null && handsBackWork(current.argument)),
  );
}

/**
 * `(values) => resolve(values.filter(Boolean))` inside `new Promise((resolve) => ...)`: settling the
 * promise around it hands back nothing (seen in a public backend: mail-for-good
 * server/controllers/list/import-csv.js:189).
 */
function settlesEnclosingPromise(body: TSESTree.Node): boolean {
  const call = skipTypeWrappers(body);
  if (call.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.Identifier) return false;
  return namesEnclosingPromiseSettler(call.callee) || namesContinuationParameter(call.callee);
}

const CONTINUATION_NAME = /^(?:done|next|cb|callback|resolve[A-Z]\w*)$/;

/**
 * `.then(() => resolveWebhook())` where `resolveWebhook` is the iterator callback that
 * `async.each(webhooks, (webhook, resolveWebhook) => ...)` hands in: a continuation callback
 * (`done`, `next`, `cb`, `callback`, `resolve*`) parameter of a plain function around it returns
 * nothing to the chain (issue 13, round 15: seen in a public backend, soketi's src/webhook-sender.ts:129).
 */
function namesContinuationParameter(identifier: TSESTree.Identifier): boolean {
  const name = identifier.name;
  if (!CONTINUATION_NAME.test(name)) return false;
  for (let current: TSESTree.Node | undefined = identifier.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    if (current.params.some((p) => p.type === AST_NODE_TYPES.Identifier && p.name === name)) return !current.async;
  }
  return false;
}

/** `resolve` (or `reject`) of a `new Promise((resolve, reject) => ...)` executor around the identifier. */
export function namesEnclosingPromiseSettler(identifier: TSESTree.Identifier): boolean {
  const name = identifier.name;
  for (let current: TSESTree.Node | undefined = identifier.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    if (current.params.some((p) => p.type === AST_NODE_TYPES.Identifier && p.name === name)) {
      const construct = current.parent;
      return (
        construct?.type === AST_NODE_TYPES.NewExpression &&
        construct.arguments[0] === current &&
        construct.callee.type === AST_NODE_TYPES.Identifier &&
        construct.callee.name === 'Promise'
      );
    }
  }
  return false;
}

/** A value that may be a promise: a call, `new X()`, an await. */
function handsBackWork(node: TSESTree.Node): boolean {
  const value = skipTypeWrappers(node);
  return (
    value.type === AST_NODE_TYPES.CallExpression ||
    value.type === AST_NODE_TYPES.NewExpression ||
    value.type === AST_NODE_TYPES.AwaitExpression ||
    value.type === AST_NODE_TYPES.ConditionalExpression ||
    value.type === AST_NODE_TYPES.LogicalExpression ||
    value.type === AST_NODE_TYPES.Identifier ||
    value.type === AST_NODE_TYPES.MemberExpression
  );
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
