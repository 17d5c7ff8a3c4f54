/** Small shape predicates and accessors over TS-ESTree nodes, checked before anything costly. */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

/** Whether a node is a function of any form. */
export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** The expression under TypeScript-only wrappers and optional-chain wrappers (not `await`). */
export function skipTypeWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The expression under TypeScript-only wrappers, optional-chain wrappers and `await`. */
export function skipWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = skipTypeWrappers(node);
  while (current.type === AST_NODE_TYPES.AwaitExpression) current = skipTypeWrappers(current.argument);
  return current;
}

/** The outermost node standing for a call's value, through `await` and TypeScript wrappers. */
export function valueNode(node: TSESTree.Node): TSESTree.Node {
  let current = outerExpression(node);
  while (current.parent?.type === AST_NODE_TYPES.AwaitExpression) current = outerExpression(current.parent);
  return current;
}

/** The outermost node that stands for this expression (wrappers included). */
export function outerExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      current.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    current = current.parent;
  }
  return current;
}

/** The properties of an object literal whose key, written plainly, passes `test` (`{ timeout: 5000 }`, `{ 'scope': ... }`); none for anything else. */
export function objectPropertiesNamed(node: TSESTree.Node, test: (name: string) => boolean): TSESTree.Property[] {
  if (node.type !== AST_NODE_TYPES.ObjectExpression) return [];
  return node.properties.filter((property): property is TSESTree.Property => {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) return false;
    const name = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
    return name !== undefined && test(name);
  });
}

/** The static name of a property key or member property: `a.b`, `a['b']`, `a.#b`. */
export function propertyName(
  node: TSESTree.Expression | TSESTree.PrivateIdentifier | TSESTree.PropertyName,
  computed: boolean,
): string | undefined {
  if (!computed) {
    if (node.type === AST_NODE_TYPES.Identifier) return node.name;
    if (node.type === AST_NODE_TYPES.PrivateIdentifier) return node.name;
  }
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number') return String(node.value);
  if (
    node.type === AST_NODE_TYPES.TemplateLiteral &&
    node.expressions.length === 0 &&
    node.quasis.length === 1
  ) {
    return node.quasis[0]!.value.cooked ?? undefined;
  }
  if (computed && node.type === AST_NODE_TYPES.MemberExpression) {
    // `[Symbol.asyncDispose]`
    const object = node.object.type === AST_NODE_TYPES.Identifier ? node.object.name : undefined;
    const member = propertyName(node.property, node.computed);
    if (object && member) return `${object}.${member}`;
  }
  return undefined;
}

/** `a.b` -> `b`; undefined for a dynamic member. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  return propertyName(node.property, node.computed);
}

/**
 * The short name of an expression used as a call receiver: `x` -> `x`, `this.x.y` -> `y`,
 * `this` -> `this`, `a.transaction()` -> `transaction()`.
 */
export function receiverName(node: TSESTree.Node): string | undefined {
  const inner = skipWrappers(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Identifier:
      return inner.name;
    case AST_NODE_TYPES.ThisExpression:
      return 'this';
    case AST_NODE_TYPES.MemberExpression:
      return memberName(inner);
    case AST_NODE_TYPES.CallExpression: {
      const callee = calleeParts(inner);
      return callee ? `${callee.member}()` : undefined;
    }
    default:
      return undefined;
  }
}

/** A callee as (receiver short name, member): `this.queue.add` -> (`queue`, `add`); `f` -> (undefined, `f`). */
export interface CalleeParts {
  readonly receiver: string | undefined;
  readonly member: string;
  /** The receiver expression (`this.queue`), when there is one. */
  readonly object: TSESTree.Node | undefined;
}

/**
 * The member a call calls (`a.b.save(...)` -> `save`, `f()` -> `f`) without building the
 * receiver's name: a cheap first check that never rejects a call `calleeParts` accepts.
 */
export function calleeMemberName(call: CallLike): string | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    if (!callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) return callee.property.name;
    return memberName(callee);
  }
  return undefined;
}

/** Splits a call's callee into receiver and member, or undefined for a dynamic callee. */
export function calleeParts(call: CallLike): CalleeParts | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    return { receiver: undefined, member: callee.name, object: undefined };
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const member = memberName(callee);
    if (member === undefined) return undefined;
    return { receiver: receiverName(callee.object), member, object: callee.object };
  }
  return undefined;
}

/** The name of a decorator: `@Cron('x')` -> `Cron`, `@nest.Cron()` -> `Cron`. */
export function decoratorName(decorator: TSESTree.Decorator): string | undefined {
  const expression: TSESTree.Node =
    decorator.expression.type === AST_NODE_TYPES.CallExpression ? decorator.expression.callee : decorator.expression;
  if (expression.type === AST_NODE_TYPES.Identifier) return expression.name;
  if (expression.type === AST_NODE_TYPES.MemberExpression) return memberName(expression);
  return undefined;
}

/** The function that contains a node (the node itself excluded), or undefined at module level. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}

/** Whether `inner` lies within `outer` (by source range; a node lies within itself). */
export function isWithin(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** Whether a node is a loop statement. */
export function isLoop(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
      return true;
    default:
      return false;
  }
}

/**
 * The class body whose instance `this` is at a node (arrow functions keep the `this` around
 * them); undefined in a static member, a plain function or at module level.
 */
export function thisClassBody(node: TSESTree.Node): TSESTree.ClassBody | undefined {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.ArrowFunctionExpression) continue;
    if (isFunction(current)) {
      const holder = current.parent;
      const method = holder?.type === AST_NODE_TYPES.MethodDefinition && holder.value === current && !holder.static;
      return method && holder.parent.type === AST_NODE_TYPES.ClassBody ? holder.parent : undefined;
    }
    // A field initializer (`run = () => this.jobs.run()`); its key and decorators see the outer `this`.
    if ((current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.AccessorProperty) && current.value === child) {
      return current.static ? undefined : current.parent;
    }
    if (current.type === AST_NODE_TYPES.StaticBlock) return undefined;
  }
  return undefined;
}

/** An instance member of a class: a field, a constructor parameter property, a method or an accessor. */
export interface InstanceMember {
  readonly name: string;
  /** `#name`. */
  readonly isPrivate: boolean;
  readonly kind: 'field' | 'parameter' | 'method' | 'get' | 'set';
  /** The class element that declares it (the constructor for a parameter property). */
  readonly node: TSESTree.ClassElement;
  /** The declared type (a getter's return type); undefined when none is written. */
  readonly typeAnnotation: TSESTree.TypeNode | undefined;
  /** A field's initializer. */
  readonly value: TSESTree.Expression | undefined;
}

/** The instance members a class body declares, in source order (constructor parameter properties where the constructor is). */
export function* instanceMembers(body: TSESTree.ClassBody): Generator<InstanceMember> {
  for (const member of body.body) {
    switch (member.type) {
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
      case AST_NODE_TYPES.TSAbstractPropertyDefinition:
      case AST_NODE_TYPES.TSAbstractAccessorProperty: {
        const name = member.static ? undefined : propertyName(member.key, member.computed);
        if (name === undefined) continue;
        const isPrivate = member.key.type === AST_NODE_TYPES.PrivateIdentifier;
        yield { name, isPrivate, kind: 'field', node: member, typeAnnotation: member.typeAnnotation?.typeAnnotation, value: member.value ?? undefined };
        break;
      }
      case AST_NODE_TYPES.MethodDefinition:
      case AST_NODE_TYPES.TSAbstractMethodDefinition: {
        if (member.kind === 'constructor') {
          for (const param of member.value.params) {
            if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
            const inner = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
            if (inner.type !== AST_NODE_TYPES.Identifier) continue;
            yield { name: inner.name, isPrivate: false, kind: 'parameter', node: member, typeAnnotation: inner.typeAnnotation?.typeAnnotation, value: undefined };
          }
          continue;
        }
        const name = member.static ? undefined : propertyName(member.key, member.computed);
        if (name === undefined) continue;
        const isPrivate = member.key.type === AST_NODE_TYPES.PrivateIdentifier;
        const typeAnnotation = member.kind === 'get' ? member.value.returnType?.typeAnnotation : undefined;
        yield { name, isPrivate, kind: member.kind, node: member, typeAnnotation, value: undefined };
        break;
      }
      default:
        break;
    }
  }
}

/** The class whose body holds this method or property function. */
export function owningClass(fn: FunctionNode): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  const holder = fn.parent;
  if (
    (holder?.type === AST_NODE_TYPES.MethodDefinition || holder?.type === AST_NODE_TYPES.PropertyDefinition) &&
    holder.parent.type === AST_NODE_TYPES.ClassBody
  ) {
    return holder.parent.parent;
  }
  return undefined;
}

/**
 * The node that carries a function's name, decorators and leading JSDoc: the method or
 * property definition, the variable declaration, the object property, or the function itself.
 */
export function functionHolder(fn: FunctionNode): TSESTree.Node {
  const parent = fn.parent;
  if (!parent) return fn;
  switch (parent.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.Property:
      return parent;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.parent;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.parent?.type === AST_NODE_TYPES.ExpressionStatement ? parent.parent : parent;
    default:
      return fn;
  }
}

/** `export function f`, `export default function`, `export const f = async () => ...` (module level). */
export function isExportedFunction(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return true;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.parent.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
  // `async function connectToAri() {...}` then `export { connectToAri }` at the end of the module
  // (seen in a public backend: fonoster mods/apiserver/src/voice/connectToAri.ts:95).
  const declared = parent?.type === AST_NODE_TYPES.Program ? fn : parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn ? parent.parent : undefined;
  const name = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
  if (!name || declared?.parent?.type !== AST_NODE_TYPES.Program) return false;
  return declared.parent.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration &&
      statement.source === null &&
      statement.specifiers.some((specifier) => specifier.local.type === AST_NODE_TYPES.Identifier && specifier.local.name === name),
  );
}

/** The statement-level node before which a function's JSDoc sits (export wrappers included). */
export function jsdocAnchor(fn: FunctionNode): TSESTree.Node {
  const holder = functionHolder(fn);
  const parent = holder.parent;
  if (
    parent &&
    (parent.type === AST_NODE_TYPES.ExportNamedDeclaration || parent.type === AST_NODE_TYPES.ExportDefaultDeclaration)
  ) {
    return parent;
  }
  return holder;
}

/** The name a function is known by: `foo`, `Class.method`, `const foo = () => ...`, or undefined. */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.Property:
      return propertyName(parent.key, parent.computed);
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
    case AST_NODE_TYPES.AssignmentExpression:
      if (parent.left.type === AST_NODE_TYPES.Identifier) return parent.left.name;
      if (parent.left.type === AST_NODE_TYPES.MemberExpression) return memberName(parent.left);
      return undefined;
    default:
      return undefined;
  }
}

/** A readable label for messages: `DigestService.sendDailyDigests`, `runCleanup`, `arrow function`. */
export function functionLabel(fn: FunctionNode): string {
  const name = functionName(fn);
  const cls = owningClass(fn);
  if (name && cls?.id) return `${cls.id.name}.${name}`;
  if (name) return name;
  return fn.type === AST_NODE_TYPES.ArrowFunctionExpression ? 'arrow function' : 'anonymous function';
}

/** A string literal's value (plain string or template without expressions). */
export function stringValue(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

/** `Promise.all(...)`, `Promise.race(...)` and friends. */
export function isPromiseCombinator(node: TSESTree.Node): node is TSESTree.CallExpression {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const parts = calleeParts(node);
  return parts?.receiver === 'Promise' && PROMISE_COMBINATORS.has(parts.member);
}

const PASS_THROUGH_METHODS = new Set(['map', 'flatMap', 'then', 'catch', 'finally']);

/** `xs.map(fn)`, `p.then(fn)`: calls whose value carries their callback's promise. */
function isPassThroughCall(call: TSESTree.CallExpression): boolean {
  const parts = calleeParts(call);
  return parts !== undefined && parts.receiver !== undefined && PASS_THROUGH_METHODS.has(parts.member);
}

/**
 * Whether the value of an expression is consumed by its caller: awaited, returned, yielded,
 * assigned, or passed on (through `Promise.all`, array literals, `.then` chains) to something
 * that is. An expression statement or `void` drops it.
 */
export function isValueUsed(expression: TSESTree.Node): boolean {
  let current = outerExpression(expression);
  for (;;) {
    const parent = current.parent;
    if (!parent) return false;
    switch (parent.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.VariableDeclarator:
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.AssignmentPattern:
      case AST_NODE_TYPES.Property:
      case AST_NODE_TYPES.PropertyDefinition:
        return true;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === current;
      case AST_NODE_TYPES.ExpressionStatement:
        return false;
      case AST_NODE_TYPES.UnaryExpression:
        return parent.operator !== 'void';
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.SequenceExpression:
        if (parent.type === AST_NODE_TYPES.SequenceExpression && parent.expressions.at(-1) !== current) return false;
        current = outerExpression(parent);
        break;
      case AST_NODE_TYPES.MemberExpression:
        // `p.then(...)`, `p.catch(...)`: the chain's value stands for the promise.
        if (parent.object === current && parent.parent?.type === AST_NODE_TYPES.CallExpression) {
          current = outerExpression(parent.parent);
          break;
        }
        return true;
      case AST_NODE_TYPES.CallExpression:
        // `Promise.allSettled(...)` consumes every rejection of its argument's promises.
        if (parent.callee !== current && isPromiseCombinator(parent) && calleeParts(parent)?.member === 'allSettled') return true;
        // An argument of `Promise.all(...)` or `.map(...)` is used only when that call's value is.
        if (parent.callee !== current && (isPromiseCombinator(parent) || isPassThroughCall(parent))) {
          current = outerExpression(parent);
          break;
        }
        return true;
      default:
        return true;
    }
  }
}

/**
 * Whether a statement can fail only by a bug, not by failed I/O: it awaits nothing and throws
 * nothing (no `await`, `for await`, `yield` or `throw`; nested functions excluded), and each
 * `return` in it is guarded by a test of `guard` (`if (!client) return;`: nothing to release).
 * With `before`, only the part of the statement that starts before that offset counts.
 */
export function failsOnlyByBug(
  statement: TSESTree.Node,
  guard: string | undefined,
  keys: Readonly<Record<string, readonly string[] | undefined>>,
  before = Infinity,
): boolean {
  const stack: TSESTree.Node[] = [statement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== statement && isFunction(node)) continue;
    // Only what starts before `before` (an offset) can fail first.
    if (node.range[0] >= before) continue;
    switch (node.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.ThrowStatement:
        return false;
      case AST_NODE_TYPES.ForOfStatement:
        if (node.await) return false;
        break;
      case AST_NODE_TYPES.ReturnStatement:
        if (!guardedBy(node, statement, guard)) return false;
        break;
      default:
        break;
    }
    pushChildren(stack, node, keys);
  }
  return true;
}

/** Whether a node sits in the consequent of an `if` (within `root`) whose test names `name`. */
function guardedBy(node: TSESTree.Node, root: TSESTree.Node, name: string | undefined): boolean {
  if (name === undefined) return false;
  for (let current: TSESTree.Node | undefined = node; current && current !== root.parent; current = current.parent) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (parent?.type === AST_NODE_TYPES.IfStatement && parent.consequent === current && namesIdentifier(parent.test, name)) return true;
  }
  return false;
}

function namesIdentifier(test: TSESTree.Node, name: string): boolean {
  if (test.type === AST_NODE_TYPES.Identifier) return test.name === name;
  if (test.type === AST_NODE_TYPES.UnaryExpression) return namesIdentifier(test.argument, name);
  if (test.type === AST_NODE_TYPES.LogicalExpression || test.type === AST_NODE_TYPES.BinaryExpression) {
    return namesIdentifier(test.left, name) || namesIdentifier(test.right, name);
  }
  return false;
}

/** Pushes a node's children onto a walk stack, last child first, so that they pop in source order. */
export function pushChildren(
  stack: TSESTree.Node[],
  node: TSESTree.Node,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
): void {
  const childKeys = visitorKeys[node.type];
  if (!childKeys) return;
  for (let k = childKeys.length - 1; k >= 0; k -= 1) {
    const child = (node as unknown as Record<string, unknown>)[childKeys[k]!];
    if (Array.isArray(child)) {
      for (let i = child.length - 1; i >= 0; i -= 1) {
        const item = child[i] as TSESTree.Node | null;
        if (item && typeof item.type === 'string') stack.push(item);
      }
    } else if (child && typeof (child as TSESTree.Node).type === 'string') {
      stack.push(child as TSESTree.Node);
    }
  }
}

/** Whether a node below `root` (not inside nested functions) satisfies `test`. */
export function containsNode(
  root: TSESTree.Node,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
  test: (node: TSESTree.Node) => boolean,
): boolean {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (test(node)) return true;
    if (node !== root && isFunction(node)) continue;
    pushChildren(stack, node, visitorKeys);
  }
  return false;
}

/**
 * Like `containsNode`, for callers that hold no visitor keys (a node's own fields are walked,
 * `parent` excepted); nested functions are entered only when `intoFunctions` says so.
 */
export function containsNodeByFields(root: TSESTree.Node, test: (node: TSESTree.Node) => boolean, intoFunctions = false): boolean {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (test(node)) return true;
    if (node !== root && !intoFunctions && isFunction(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as TSESTree.Node).type === 'string') stack.push(child as TSESTree.Node);
      }
    }
  }
  return false;
}

/** The catch clause a node lies in, within its own function (`catch (e) { ... node ... }`). */
export function enclosingCatchClause(node: TSESTree.Node): TSESTree.CatchClause | undefined {
  for (let current = node.parent; current && !isFunction(current); current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return current;
  }
  return undefined;
}

/** The values a function returns: its expression body, or its own `return x` statements (nested functions excluded). */
export function ownReturnedValues(fn: FunctionNode): TSESTree.Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: TSESTree.Node[] = [];
  containsNodeByFields(fn.body, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) out.push(node.argument);
    return false;
  });
  return out;
}

/** Whether a block awaits (nested functions excluded). */
export function containsAwait(block: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  const stack: TSESTree.Node[] = [block];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) return true;
    if (node !== block && isFunction(node)) continue;
    pushChildren(stack, node, keys);
  }
  return false;
}

/**
 * `require('m')` or `require('m').x.y`: the module it names and the members read off the result
 * (none for a bare `require`); undefined for anything else.
 */
export function requireCall(init: TSESTree.Node | null | undefined): { module: string; members: string[] } | undefined {
  if (!init) return undefined;
  const members: string[] = [];
  let node = skipTypeWrappers(init);
  while (node.type === AST_NODE_TYPES.MemberExpression) {
    members.unshift(!node.computed && node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : '');
    node = skipTypeWrappers(node.object);
  }
  if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.Identifier || node.callee.name !== 'require') return undefined;
  const argument = node.arguments[0];
  return argument?.type === AST_NODE_TYPES.Literal && typeof argument.value === 'string' ? { module: argument.value, members } : undefined;
}

/**
 * The module and export a callee names when the file takes it from a module: `exec` of
 * `import { exec } from 'child_process'`, `const { exec } = require('child_process')` or
 * `const exec = require('child_process').exec`, and `cp.exec` on `import * as cp from ...`,
 * a default import or `const cp = require(...)`. `name` is undefined for the module itself.
 */
export function importedMember(callee: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): { module: string; name: string | undefined } | undefined {
  const node = skipTypeWrappers(callee);
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    if (node.object.type !== AST_NODE_TYPES.Identifier || node.computed || node.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    const holder = importedMember(node.object, sourceCode);
    return holder && holder.name === undefined ? { module: holder.module, name: node.property.name } : undefined;
  }
  if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
  const def = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs[0];
  if (def?.type === 'ImportBinding') {
    if (def.parent?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    const module = def.parent.source.value;
    if (def.node.type !== AST_NODE_TYPES.ImportSpecifier) return { module, name: undefined };
    return { module, name: def.node.imported.type === AST_NODE_TYPES.Identifier ? def.node.imported.name : def.node.imported.value };
  }
  if (def?.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  const required = requireCall(def.node.init);
  if (!required || required.members.length > 1) return undefined;
  const id = def.node.id;
  if (id.type === AST_NODE_TYPES.Identifier) return { module: required.module, name: required.members[0] };
  if (id.type !== AST_NODE_TYPES.ObjectPattern || required.members.length > 0) return undefined;
  for (const property of id.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (value.type === AST_NODE_TYPES.Identifier && value.name === node.name) return { module: required.module, name: property.key.name };
  }
  return undefined;
}

/** The relative module of `import('./x')` written as a plain string, else undefined. */
export function relativeImportSource(expression: TSESTree.ImportExpression): string | undefined {
  const source = expression.source;
  const text = source.type === AST_NODE_TYPES.Literal ? source.value : source.type === AST_NODE_TYPES.TemplateLiteral && source.expressions.length === 0 ? source.quasis[0]?.value.cooked : undefined;
  return typeof text === 'string' && (text.startsWith('./') || text.startsWith('../')) ? text : undefined;
}
