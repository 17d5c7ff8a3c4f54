/**
 * What a session's source says about the session: a TypeORM `DataSource` destroyed in a
 * `finally` releases every query runner it created (`PostgresDriver` releases its
 * `connectedQueryRunners` before `pool.end()`; `MysqlDriver` ends the pool, closing checked-out
 * connections), so a runner whose source is torn down that way cannot leak (issue 13).
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledReleasedSession } from '../../model/settings.js';
import { isFunction, isWithin, memberName, pushChildren, skipWrappers } from '../ast.js';
import type { FileFacts } from '../facts.js';

type Variable = TSESLint.Scope.Variable;

/**
 * Whether the source the session was opened on (`dataSource` of `dataSource.createQueryRunner()`)
 * is ended (`destroy()`) in the `finally` of a `try` that holds every use of the session.
 */
export function endedWithItsSource(
  facts: FileFacts,
  call: TSESTree.CallExpression,
  session: Variable,
  release: CompiledReleasedSession | undefined,
): boolean {
  const teardown = release?.endedWithSource;
  if (!teardown?.length) return false;
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const source = skipWrappers(callee.object);
  const uses = session.references.filter((reference) => !reference.init).map((reference) => reference.identifier);
  if (uses.length === 0) return false;
  // The `try` statements around the first use, innermost first, up to the function boundary.
  for (let child: TSESTree.Node = uses[0]!, current: TSESTree.Node | undefined = child.parent; current; child = current, current = current.parent) {
    if (isFunction(current)) return false;
    if (current.type !== AST_NODE_TYPES.TryStatement || !current.finalizer || current.finalizer === child) continue;
    const body = current;
    const covers = uses.every((use) => isWithin(use, body.block) || (body.handler !== null && isWithin(use, body.handler)));
    if (covers && tearsDown(facts, body.finalizer!, source, teardown)) return true;
  }
  return false;
}

/** Whether `block` calls a teardown method on the same source (`await dataSource.destroy()`), outside nested functions. */
function tearsDown(facts: FileFacts, block: TSESTree.BlockStatement, source: TSESTree.Node, teardown: readonly string[]): boolean {
  const stack: TSESTree.Node[] = [block];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunction(node)) continue;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = skipWrappers(node.callee);
      if (
        callee.type === AST_NODE_TYPES.MemberExpression &&
        teardown.includes(memberName(callee) ?? '') &&
        sameSource(facts, skipWrappers(callee.object), source)
      ) {
        return true;
      }
    }
    pushChildren(stack, node, facts.sourceCode.visitorKeys);
  }
  return false;
}

/** The same variable (`dataSource`), or the same member path on `this` (`this.dataSource`). */
function sameSource(facts: FileFacts, a: TSESTree.Node, b: TSESTree.Node): boolean {
  if (a.type === AST_NODE_TYPES.Identifier && b.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(facts.sourceCode.getScope(a), a);
    return variable !== null && variable === ASTUtils.findVariable(facts.sourceCode.getScope(b), b);
  }
  return thisPath(a) !== undefined && thisPath(a) === thisPath(b);
}

/** `this.a.b` as text, for a non-computed member chain rooted at `this`. */
function thisPath(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed) return undefined;
  const object = thisPath(skipWrappers(node.object));
  return object === undefined ? undefined : `${object}.${memberName(node)}`;
}

/**
 * Whether the session's source is built, in this file, from options whose `type` names a driver
 * whose sessions hold no connection (`new DataSource({ type: 'sqlite' })`): TypeORM's SQLite
 * query runners share one database handle. A source whose options are not visible stays unknown.
 */
export function opensOnConnectionlessSource(facts: FileFacts, call: TSESTree.CallExpression): boolean {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const values = sourceValues(facts, skipWrappers(callee.object));
  return values.length > 0 && values.every((value) => connectionlessOptions(facts, value));
}

/** Every value the source is given: a variable's initialiser and assignments, or `this.x = ...` in its class. */
function sourceValues(facts: FileFacts, source: TSESTree.Node): TSESTree.Node[] {
  if (source.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(facts.sourceCode.getScope(source), source);
    return variable ? assignedValues(variable) : [];
  }
  const path = thisPath(source);
  if (path === undefined || path === 'this') return [];
  let owner: TSESTree.Node | undefined = source.parent;
  while (owner && owner.type !== AST_NODE_TYPES.ClassBody) owner = owner.parent;
  if (!owner) return [];
  const values: TSESTree.Node[] = [];
  const stack: TSESTree.Node[] = [owner];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '=' && thisPath(skipWrappers(node.left)) === path) values.push(node.right);
    if (
      node.type === AST_NODE_TYPES.PropertyDefinition &&
      node.parent === owner &&
      !node.computed &&
      node.value &&
      `this.${node.key.type === AST_NODE_TYPES.Identifier ? node.key.name : ''}` === path
    ) {
      values.push(node.value);
    }
    pushChildren(stack, node, facts.sourceCode.visitorKeys);
  }
  return values;
}

/** A variable's initialiser and the right-hand sides of its plain assignments. */
function assignedValues(variable: Variable): TSESTree.Node[] {
  const values: TSESTree.Node[] = [];
  for (const reference of variable.references) {
    if (reference.writeExpr) values.push(reference.writeExpr);
  }
  return values;
}

/** `new DataSource({ type: 'sqlite', ... })`, directly or through a variable holding the options. */
function connectionlessOptions(facts: FileFacts, value: TSESTree.Node): boolean {
  const created = skipWrappers(value);
  if (created.type !== AST_NODE_TYPES.NewExpression) return false;
  let options: TSESTree.Node | undefined = created.arguments[0] && skipWrappers(created.arguments[0]);
  if (options?.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(facts.sourceCode.getScope(options), options);
    const written = variable ? assignedValues(variable) : [];
    options = written.length === 1 ? skipWrappers(written[0]!) : undefined;
  }
  if (options?.type !== AST_NODE_TYPES.ObjectExpression) return false;
  return options.properties.some(
    (property) =>
      property.type === AST_NODE_TYPES.Property &&
      !property.computed &&
      ((property.key.type === AST_NODE_TYPES.Identifier && property.key.name === 'type') ||
        (property.key.type === AST_NODE_TYPES.Literal && property.key.value === 'type')) &&
      property.value.type === AST_NODE_TYPES.Literal &&
      typeof property.value.value === 'string' &&
      facts.vocabulary.isConnectionlessDriverType(property.value.value),
  );
}
