/**
 * SQL fragments: uses of a client or session that only build SQL compiled into another query
 * (`knex.fn.now()`, `knex.raw('count(id)')`, `sequelize.literal(...)`, a sub-query builder given
 * to `whereIn` or `with`). They run nothing on their own connection, so they are neither a query
 * outside a transaction nor a session escaping its scope (issue 13, round 3).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, memberName, outerExpression, skipWrappers } from '../ast.js';
import type { FileFacts } from '../facts.js';
import { isSessionKind } from './sessions.js';

/** How many enclosing calls a fragment is followed through (`where(inArray(col, sub))`). */
const MAX_NESTING = 8;

/** The chain a use starts (`db.from(t).update(x).returning('*')`), its first member, and whether it runs. */
interface Chain {
  readonly top: TSESTree.Node;
  readonly first: string | undefined;
  readonly runs: boolean;
}

/** Follows member reads and calls from a use to the end of its chain. */
function chainFrom(facts: FileFacts, use: TSESTree.Node): Chain {
  let current = outerExpression(use);
  let first: string | undefined;
  let runs = false;
  for (;;) {
    const parent = current.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === current) {
      const name = memberName(parent);
      first ??= name;
      if (facts.vocabulary.isQueryRunMethod(name)) runs = true;
      current = outerExpression(parent);
      continue;
    }
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === current) {
      current = outerExpression(parent);
      continue;
    }
    return { top: current, first, runs };
  }
}

/**
 * Whether a use of a client or session only builds an SQL fragment for another query:
 * `raw`/`fn.*`/`ref`/`literal` (vocabulary `sqlFragmentMethods`) unless the fragment is run
 * (awaited, returned, a statement of its own, `.then`/`execute`d), and a query builder that is
 * an argument of another query's builder call (`trx.with('x', db.from(t).update(...))`,
 * `.whereIn('id', db.select('id').from('y'))`), through plain helper calls (`inArray(col, sub)`).
 */
export function isQueryFragment(facts: FileFacts, use: TSESTree.Node): boolean {
  const chain = chainFrom(facts, use);
  if (chain.runs) return false;
  if (facts.vocabulary.isSqlFragmentMethod(chain.first)) return !standsAlone(chain.top);
  return builderArgument(facts, chain.top, 0);
}

/** Whether a chain's value is run by its position: awaited, returned, yielded or a statement. */
function standsAlone(top: TSESTree.Node): boolean {
  const parent = top.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.AwaitExpression:
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.YieldExpression:
    case AST_NODE_TYPES.ExpressionStatement:
      return true;
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === top;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === 'void';
    default:
      return false;
  }
}

/** Whether a value sits in the arguments of a query builder's call (through literals and helper calls). */
function builderArgument(facts: FileFacts, value: TSESTree.Node, depth: number): boolean {
  if (depth > MAX_NESTING) return false;
  let current = outerExpression(value);
  // `{ updated_at: db.fn.now() }`, `[sub1, sub2]`
  while (
    current.parent &&
    ((current.parent.type === AST_NODE_TYPES.Property && current.parent.value === current) ||
      current.parent.type === AST_NODE_TYPES.ObjectExpression ||
      current.parent.type === AST_NODE_TYPES.ArrayExpression)
  ) {
    current = outerExpression(current.parent);
  }
  const call = current.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(current as TSESTree.CallExpressionArgument)) return false;
  const callee = skipWrappers(call.callee);
  // `inArray(table.id, sub)`, `exists(sub)`: a helper whose value goes on into the query.
  if (callee.type === AST_NODE_TYPES.Identifier) return builderArgument(facts, call, depth + 1);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  if (isBuilderRoot(facts, chainRoot(callee), depth)) return true;
  // `knex('tt').select(...).innerJoin(knex('tsc1').select(...).as('ts'), ...)` passed on into an
  // outer builder: a sub-query of a sub-query (central-ledger's timeout inserts).
  let top: TSESTree.Node = call;
  while (top.parent && ((top.parent.type === AST_NODE_TYPES.MemberExpression && top.parent.object === top) || (top.parent.type === AST_NODE_TYPES.CallExpression && top.parent.callee === top))) {
    top = top.parent;
  }
  return builderArgument(facts, top, depth + 1);
}

/** The start of a call chain: `trx` in `trx('t').with(...).whereIn`, `this` in `this.select(...).from`. */
function chainRoot(node: TSESTree.Node): TSESTree.Node {
  let current = skipWrappers(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) current = skipWrappers(current.callee);
    else return current;
  }
}

/**
 * Whether a chain starts at a query builder: a session or database client (`trx`, `db`), or the
 * builder a query method hands its callback (`.with('x', (qb) => qb.select(...))`, Knex's
 * `whereExists(function () { this.select(...) })`).
 */
function isBuilderRoot(facts: FileFacts, root: TSESTree.Node, depth: number): boolean {
  if (root.type === AST_NODE_TYPES.Identifier) {
    const info = facts.classify(root);
    if (isSessionKind(info.kind) || info.kind === 'factory') return true;
    const def = facts.references.variableOf(root)?.defs[0];
    if (def?.type !== 'Parameter' || !isFunction(def.node)) return false;
    return builderCallback(facts, def.node, depth);
  }
  if (root.type === AST_NODE_TYPES.ThisExpression) {
    let current: TSESTree.Node | undefined = root.parent;
    for (; current; current = current.parent) {
      if (current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.FunctionDeclaration) {
        return builderCallback(facts, current, depth);
      }
    }
  }
  return false;
}

/** Whether a function is the callback of a query builder's method: its parameter (or `this`) is a builder. */
function builderCallback(facts: FileFacts, fn: TSESTree.Node, depth: number): boolean {
  const holder = outerExpression(fn);
  const call = holder.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(holder as TSESTree.CallExpressionArgument)) return false;
  const callee = skipWrappers(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && depth <= MAX_NESTING && (runsInTransaction(callee) || isBuilderRoot(facts, chainRoot(callee), depth + 1));
}

/**
 * `knex.from(...).transacting(trx).insert(function () { this.from(...).innerJoin(knex('t').select(...).as('ts'), ...) })`:
 * a chain that Knex's `.transacting(trx)` sends through the transaction is a query builder whatever
 * its root (issue 13, round 14: seen in a public backend, mojaloop central-ledger
 * src/models/transfer/facade.js:955, whose sub-queries become one `INSERT ... SELECT`).
 */
function runsInTransaction(callee: TSESTree.Node): boolean {
  let current = skipWrappers(callee);
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) {
      const inner = skipWrappers(current.callee);
      if (inner.type === AST_NODE_TYPES.MemberExpression && !inner.computed && inner.property.type === AST_NODE_TYPES.Identifier && inner.property.name === 'transacting') return true;
      current = inner;
    } else return false;
  }
}
