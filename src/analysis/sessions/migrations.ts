/**
 * Knex migrations: Knex runs each migration's `up`/`down` in a transaction by default and hands
 * it that transaction, so inside the migration `knex` is a transaction, and a nested
 * `knex.transaction(...)` is a savepoint on the same connection (issue 13, round 3).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, memberName, propertyName, skipWrappers, type FunctionNode } from '../ast.js';
import type { FileFacts } from '../facts.js';

/**
 * Whether a variable is the parameter of a Knex migration that runs in a transaction:
 * `export async function up(knex: Knex)`, `export const down = async (knex) => ...`,
 * `exports.up = function (knex) { ... }`, `module.exports = { up(knex) { ... } }`, with one
 * parameter, untyped or typed as Knex (vocabulary `migrationClientTypes`), in a file that does not
 * export `config = { transaction: false }`. Decided by that shape, not by the folder.
 */
export function isTransactionalMigrationParameter(facts: FileFacts, variable: TSESLint.Scope.Variable): boolean {
  const def = variable.defs[0];
  if (def?.type !== 'Parameter' || !isFunction(def.node)) return false;
  const fn = def.node;
  if (fn.params.length !== 1 || fn.params[0] !== def.name || def.name.type !== AST_NODE_TYPES.Identifier) return false;
  if (!typedAsKnex(facts, def.name)) return false;
  return migrationExportName(facts, fn) !== undefined && !disablesTransaction(facts.sourceCode.ast);
}

function typedAsKnex(facts: FileFacts, param: TSESTree.Identifier): boolean {
  const type = param.typeAnnotation?.typeAnnotation;
  if (!type) return true;
  if (type.type !== AST_NODE_TYPES.TSTypeReference) return false;
  return facts.vocabulary.isMigrationClientType(entityName(type.typeName));
}

function entityName(name: TSESTree.EntityName): string {
  switch (name.type) {
    case AST_NODE_TYPES.Identifier:
      return name.name;
    case AST_NODE_TYPES.TSQualifiedName:
      return `${entityName(name.left)}.${name.right.name}`;
    default:
      return '';
  }
}

/** The name a function is exported under as a migration step (`up`, `down`), if it is. */
function migrationExportName(facts: FileFacts, fn: FunctionNode): string | undefined {
  const isStep = (name: string | undefined): string | undefined => (facts.vocabulary.isMigrationFunction(name) ? name : undefined);
  // `export async function up(knex) {}`
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) {
    return fn.parent.type === AST_NODE_TYPES.ExportNamedDeclaration ? isStep(fn.id?.name) : undefined;
  }
  const parent = fn.parent;
  // `export const up = async (knex) => {}`
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier) {
    return parent.parent.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ? isStep(parent.id.name) : undefined;
  }
  // `exports.up = function (knex) {}`, `module.exports.up = ...`
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === fn && parent.left.type === AST_NODE_TYPES.MemberExpression) {
    return isExportsObject(parent.left.object) ? isStep(memberName(parent.left)) : undefined;
  }
  // `module.exports = { up: async (knex) => {}, async down(knex) {} }`
  if (parent.type === AST_NODE_TYPES.Property && parent.value === fn && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    const holder = parent.parent.parent;
    const exported =
      (holder?.type === AST_NODE_TYPES.AssignmentExpression && isExportsObject(holder.left)) ||
      holder?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
    return exported ? isStep(propertyName(parent.key, parent.computed)) : undefined;
  }
  return undefined;
}

/** `exports`, `module.exports`. */
function isExportsObject(node: TSESTree.Node): boolean {
  const target = skipWrappers(node);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name === 'exports';
  return (
    target.type === AST_NODE_TYPES.MemberExpression &&
    target.object.type === AST_NODE_TYPES.Identifier &&
    target.object.name === 'module' &&
    memberName(target) === 'exports'
  );
}

/** Knex's per-migration opt-out: `export const config = { transaction: false }` (or `exports.config = ...`). */
function disablesTransaction(program: TSESTree.Program): boolean {
  for (const statement of program.body) {
    let value: TSESTree.Node | null | undefined;
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      value = statement.declaration.declarations.find((d) => d.id.type === AST_NODE_TYPES.Identifier && d.id.name === 'config')?.init;
    } else if (
      statement.type === AST_NODE_TYPES.ExpressionStatement &&
      statement.expression.type === AST_NODE_TYPES.AssignmentExpression &&
      statement.expression.left.type === AST_NODE_TYPES.MemberExpression &&
      isExportsObject(statement.expression.left.object) &&
      memberName(statement.expression.left) === 'config'
    ) {
      value = statement.expression.right;
    }
    if (!value) continue;
    const object = skipWrappers(value);
    if (object.type !== AST_NODE_TYPES.ObjectExpression) continue;
    return object.properties.some(
      (p) =>
        p.type === AST_NODE_TYPES.Property &&
        propertyName(p.key, p.computed) === 'transaction' &&
        p.value.type === AST_NODE_TYPES.Literal &&
        p.value.value === false,
    );
  }
  return false;
}
