/**
 * Which sessions a `try` block used, and what its `catch` / `finally` does with them: after the
 * block failed, the session's transaction is aborted (Postgres), released (TypeORM) or closed
 * (Prisma, Knex, Sequelize), so anything but ending it is a stale use. Computed per try
 * statement on demand and cached.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import {
  calleeMemberName,
  calleeParts,
  containsNodeByFields,
  isValueUsed,
  isWithin,
  memberName,
  outerExpression,
  pushChildren,
  stringValue,
  type FunctionNode,
} from '../ast.js';
import type { FileFacts } from '../facts.js';
import { isSessionKind, rootSession, type SessionInfo } from './sessions.js';
import type { TypeFacts } from '../types.js';
import { isQueryFragment } from './fragments.js';
import { foreignCallee } from '../tasks/foreign-callees.js';

/** A use of the try block's session in its `catch` or `finally` for something other than ending it. */
export interface StaleUse {
  /** The reference inside the clause: `runner`, `service`, `this.em`. */
  readonly node: TSESTree.Node;
  readonly clause: 'catch' | 'finally';
  /** How messages name it: `runner`, `service (from session)`. */
  readonly session: string;
  /** The first use of the same session in the try block. */
  readonly tryUse: TSESTree.Node;
}

/** A session use found in a subtree, with the key of its root session. */
interface Use {
  readonly node: TSESTree.Node;
  readonly info: SessionInfo;
  readonly key: unknown;
}

const TYPE_ONLY = new Set<string>([
  AST_NODE_TYPES.TSTypeAnnotation,
  AST_NODE_TYPES.TSInterfaceDeclaration,
  AST_NODE_TYPES.TSTypeAliasDeclaration,
  AST_NODE_TYPES.TSTypeParameterInstantiation,
]);

const staleCache = new WeakMap<FileFacts, Map<TSESTree.TryStatement, readonly StaleUse[]>>();
const typedStaleCache = new WeakMap<FileFacts, Map<TSESTree.TryStatement, readonly StaleUse[]>>();

/** The key that identifies a session across uses: its variable, or `this.em` for members. */
function sessionKey(info: SessionInfo): unknown {
  const root = rootSession(info);
  if (root.kind === 'request-member') return root.name;
  return root.variable ?? root.origin;
}

/**
 * Every session use (variable references and `this.<member>` sessions) under a node. With
 * `others`, the references and `this.<member>` reads that are not sessions by name go there:
 * type-aware mode asks the checker about the few of them a clause uses stale-wise.
 */
function sessionUses(facts: FileFacts, root: TSESTree.Node, others?: TSESTree.Node[]): Use[] {
  const references = facts.references;
  const keys = facts.sourceCode.visitorKeys;
  const uses: Use[] = [];
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (TYPE_ONLY.has(node.type)) continue;
    if (node.type === AST_NODE_TYPES.Identifier) {
      if (references.isReference(node) && !addUse(facts, node, uses)) others?.push(node);
      continue;
    }
    if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.ThisExpression) {
      if (facts.vocabulary.isRequestScopedMember(memberName(node))) addUse(facts, node, uses);
      else others?.push(node);
      continue;
    }
    pushChildren(stack, node, keys);
  }
  return uses;
}

/** Adds a session use; false when the node is no session by name. */
function addUse(facts: FileFacts, node: TSESTree.Node, uses: Use[]): boolean {
  const info = facts.classify(node);
  if (!isSessionKind(info.kind)) return false;
  // The request's session itself in background code is `no-request-session-in-background`'s (one
  // problem, one report); a value derived from it or an alias declared in the task is not reported there.
  if (reportedAsRequestSession(facts, node, info)) return true;
  uses.push({ node, info, key: sessionKey(info) });
  return true;
}

/**
 * Whether `no-request-session-in-background` reports this very node: `this.em` or `req.db` read
 * in background code, or a request session that background code captured from request code.
 * Values derived from it (`new ReportService(this.session)`) and aliases declared in the
 * background code (`const em = this.em`) are reported there only where they are built.
 */
function reportedAsRequestSession(facts: FileFacts, node: TSESTree.Node, info: SessionInfo): boolean {
  if (info.kind !== 'request-member' && info.kind !== 'request-value') return false;
  if (facts.taskOf(node) === undefined) return false;
  if (node.type === AST_NODE_TYPES.MemberExpression) return true;
  return info.declaredIn === undefined || facts.taskOf(info.declaredIn.body) === undefined;
}

/**
 * The stale session uses in a try statement's `catch` and `finally` clauses. With `types`
 * (type-aware mode), a value whose type is a session (`Prisma.TransactionClient`, MikroORM's
 * `EntityManager`) counts too, whatever its name; the checker is asked only about values
 * that a clause uses the way a stale session would be used and that the try block used.
 */
export function staleSessionUses(facts: FileFacts, statement: TSESTree.TryStatement, types?: TypeFacts): readonly StaleUse[] {
  const cache = types ? typedStaleCache : staleCache;
  let byStatement = cache.get(facts);
  if (!byStatement) {
    byStatement = new Map();
    cache.set(facts, byStatement);
  }
  const cached = byStatement.get(statement);
  if (cached) return cached;
  const result: StaleUse[] = [];
  // The clauses first: they are short, and most use no session at all, so the try block is walked only when one does.
  const clauses: { clause: TSESTree.Node; kind: StaleUse['clause']; uses: Use[]; others: TSESTree.Node[] | undefined }[] = [];
  for (const [clause, kind] of [
    [statement.handler?.body, 'catch'],
    [statement.finalizer, 'finally'],
  ] as const) {
    if (!clause) continue;
    if (kind === 'catch' && (continuesOnlyForOwnError(statement) || continuesOnlyForApplicationError(facts, statement))) continue;
    const others: TSESTree.Node[] | undefined = types ? [] : undefined;
    const uses = sessionUses(facts, clause, others);
    if (uses.length > 0 || (others !== undefined && others.length > 0)) clauses.push({ clause, kind, uses, others });
  }
  if (clauses.length === 0) {
    byStatement.set(statement, result);
    return result;
  }
  const used = new Map<unknown, TSESTree.Node>();
  // Type-aware: what the try block read that is no session by name (`db`, `this.orm`).
  const tryOthers: TSESTree.Node[] | undefined = types ? [] : undefined;
  for (const use of sessionUses(facts, statement.block, tryOthers)) if (!used.has(use.key)) used.set(use.key, use.node);
  if (used.size > 0 || (tryOthers !== undefined && tryOthers.length > 0)) {
    const catchUses = clauses.find((c) => c.kind === 'catch')?.uses ?? [];
    for (const { clause, kind, uses, others } of clauses) {
      for (const use of uses) {
        const tryUse = used.get(use.key);
        if (!tryUse || !isStaleUse(facts, use.node, clause) || inAutocommit(facts, use.info)) continue;
        if (kind === 'catch' && reusesNothingOfAutocommitFork(facts, use.info, use.node, clause)) continue;
        if (kind === 'finally' && catchRolledBack(facts, statement, catchUses, use)) continue;
        if (types && openerRefutedByType(use.info, types)) continue;
        result.push({ node: use.node, clause: kind, session: label(facts.sourceCode, use), tryUse });
      }
      if (!types || !others || !tryOthers) continue;
      for (const node of others) {
        const tryUse = sameValueIn(facts, node, tryOthers);
        if (!tryUse || !isStaleUse(facts, node, clause) || !types.sessionTypeName(node)) continue;
        // `this.em` of a background task is the request's session: no-request-session-in-background's.
        if (node.type === AST_NODE_TYPES.MemberExpression && facts.taskOf(node) !== undefined) continue;
        result.push({ node, clause: kind, session: facts.sourceCode.getText(node), tryUse });
      }
    }
  }
  byStatement.set(statement, result);
  return result;
}

/** `catch (e) { if (test) throw e; ... }`: the catch's parameter and the test of its first statement, a guard that only rethrows. */
function rethrowGuard(statement: TSESTree.TryStatement): { param: TSESTree.Identifier; test: TSESTree.Expression } | undefined {
  const handler = statement.handler;
  const param = handler?.param;
  const guard = handler?.body.body[0];
  if (param?.type !== AST_NODE_TYPES.Identifier || guard?.type !== AST_NODE_TYPES.IfStatement || guard.alternate) return undefined;
  const consequent = guard.consequent.type === AST_NODE_TYPES.BlockStatement && guard.consequent.body.length === 1 ? guard.consequent.body[0] : guard.consequent;
  return consequent?.type === AST_NODE_TYPES.ThrowStatement ? { param, test: guard.test } : undefined;
}

/**
 * `catch (e) { if (e.message !== 'broadcasterId') throw e; ...fallback... }` where the try block
 * itself throws `new Error('broadcasterId')`: the catch goes on only for the error the code raises
 * as a signal (a missing settings row), after statements that succeeded; every other failure,
 * a failed statement among them, is rethrown at once. Seen in a public backend: sogeBot's
 * TypeORM migrations, src/bot/database/migration/postgres/12.5.x/1584981805762-dashboardPerTypeAndUser.ts:48.
 */
function continuesOnlyForOwnError(statement: TSESTree.TryStatement): boolean {
  const guard = rethrowGuard(statement);
  if (!guard) return false;
  const { param, test } = guard;
  if (test.type !== AST_NODE_TYPES.BinaryExpression || (test.operator !== '!==' && test.operator !== '!=')) return false;
  const [read, literal] = test.left.type === AST_NODE_TYPES.MemberExpression ? [test.left, test.right] : [test.right, test.left];
  const signal = stringValue(literal);
  if (signal === undefined || read.type !== AST_NODE_TYPES.MemberExpression || memberName(read) !== 'message') return false;
  if (read.object.type !== AST_NODE_TYPES.Identifier || read.object.name !== param.name) return false;
  return containsNodeByFields(
    statement.block,
    (node) =>
      node.type === AST_NODE_TYPES.ThrowStatement &&
      node.argument?.type === AST_NODE_TYPES.NewExpression &&
      node.argument.arguments.length > 0 &&
      stringValue(node.argument.arguments[0]!) === signal,
  );
}

/**
 * `catch (e) { if (!(e instanceof MemberAlreadySignedUp)) throw e; await login(tx, body) }`: the catch
 * goes on only for one error class of the application's, which its code throws after a query that
 * succeeded (`if (existing) throw new MemberAlreadySignedUp()`), and rethrows every other failure, a
 * failed statement among them (issue 13, round 15: seen in a public backend, graasp's
 * magicLink.controller.ts:51). A class named like a database error (`UniqueConstraintError`,
 * `QueryFailedError`, `PrismaClientKnownRequestError`) is the failed statement itself: the session is stale.
 */
function continuesOnlyForApplicationError(facts: FileFacts, statement: TSESTree.TryStatement): boolean {
  const guard = rethrowGuard(statement);
  if (!guard) return false;
  const { param, test } = guard;
  if (test.type !== AST_NODE_TYPES.UnaryExpression || test.operator !== '!') return false;
  const errorClass = instanceofClass(test.argument, param.name) ?? predicateClass(facts, test.argument, param.name);
  // A validation error (`PrismaClientValidationError`, `SequelizeValidationError`) is raised by the
  // client before any statement is sent: it leaves the transaction usable too.
  return errorClass !== undefined && (!DATABASE_ERROR_NAME.test(errorClass) || /Validation/.test(errorClass));
}

const DATABASE_ERROR_NAME = /database|db[A-Z_]|^db|query|sql|prisma|sequelize|knex|typeorm|mongo|unique|constraint|foreignkey|connection|transaction|driver|postgres|^pg|mysql|deadlock|lock|timeout/i;

/** `error instanceof X` (X an identifier or `Ns.X`): the class name X. */
function instanceofClass(check: TSESTree.Node, param: string): string | undefined {
  if (check.type !== AST_NODE_TYPES.BinaryExpression || check.operator !== 'instanceof') return undefined;
  if (check.left.type !== AST_NODE_TYPES.Identifier || check.left.name !== param) return undefined;
  return check.right.type === AST_NODE_TYPES.Identifier ? check.right.name : check.right.type === AST_NODE_TYPES.MemberExpression ? memberName(check.right) : undefined;
}

/**
 * `this.shouldFallback(error)`, a same-file predicate that starts `if (!(e instanceof X)) return false;`:
 * the class X it narrows to (issue 13, round 17: seen in a public backend, sst-project-api's
 * ho-method.repository.ts:94, a retry on `PrismaClientValidationError` only).
 */
function predicateClass(facts: FileFacts, check: TSESTree.Node, param: string): string | undefined {
  if (check.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const argument = check.arguments[0];
  if (argument?.type !== AST_NODE_TYPES.Identifier || argument.name !== param) return undefined;
  const fn = facts.resolveFunction(check.callee);
  const own = fn?.params[0];
  const first = fn?.body.type === AST_NODE_TYPES.BlockStatement ? fn.body.body[0] : undefined;
  if (own?.type !== AST_NODE_TYPES.Identifier || first?.type !== AST_NODE_TYPES.IfStatement || first.test.type !== AST_NODE_TYPES.UnaryExpression || first.test.operator !== '!') return undefined;
  const exit = first.consequent.type === AST_NODE_TYPES.BlockStatement && first.consequent.body.length === 1 ? first.consequent.body[0] : first.consequent;
  if (exit?.type !== AST_NODE_TYPES.ReturnStatement || exit.argument?.type !== AST_NODE_TYPES.Literal || exit.argument.value !== false) return undefined;
  return instanceofClass(first.test.argument, own.name);
}

/**
 * Whether a use in `finally` comes after the `catch` rolled the session's transaction back: a
 * statement of the catch body itself (not a branch) does (`await queryRunner.query('ROLLBACK')`,
 * `await runner.rollbackTransaction()`). After a rollback the connection takes new statements
 * again, and the `finally` that turns `PRAGMA foreign_keys` back on must run on it (seen in a
 * public backend: ohmyform/api src/migrations/sqlite.migration.ts:26). In the catch itself a write
 * after the rollback is still stale: the failure is recorded through a fresh session (the
 * checklist's red flag 3).
 */
function catchRolledBack(facts: FileFacts, statement: TSESTree.TryStatement, catchUses: readonly Use[], use: Use): boolean {
  const body = statement.handler?.body;
  if (!body) return false;
  return catchUses.some((ending) => {
    if (ending.key !== use.key) return false;
    const call = endingCall(facts, ending.node);
    if (!call) return false;
    let top: TSESTree.Node = call;
    while (top.parent && top.parent !== body) top = top.parent;
    return top.parent === body && top.type === AST_NODE_TYPES.ExpressionStatement && endsTheStatement(top, call);
  });
}

/** The call through which a use rolls its session's transaction back (`runner.rollbackTransaction()`, `client.query('ROLLBACK')`), if it is one. */
function endingCall(facts: FileFacts, use: TSESTree.Node): TSESTree.CallExpression | undefined {
  const member = outerExpression(use).parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outerExpression(use)) return undefined;
  const call = outerExpression(member).parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== outerExpression(member)) return undefined;
  const method = memberName(member);
  if (method === undefined) return undefined;
  // Rolled back, not released: a released runner must not be used again at all.
  const rollsBack = facts.vocabulary.isEndingMethod(method) && /^(?:rollback|abort)/i.test(method);
  return rollsBack || endsBySql(facts.vocabulary, call.arguments[0]) ? call : undefined;
}

/** `await call;` or `call;`: the statement is the call itself. */
function endsTheStatement(statement: TSESTree.ExpressionStatement, call: TSESTree.CallExpression): boolean {
  const expression = statement.expression.type === AST_NODE_TYPES.AwaitExpression ? statement.expression.argument : statement.expression;
  return expression === call;
}

/**
 * Type-aware: the session was opened by a call named like an opener (`auth.getSession()`) whose
 * value's type is known and has none of that opener's ending methods, so it is no session.
 */
function openerRefutedByType(info: SessionInfo, types: TypeFacts): boolean {
  const root = rootSession(info);
  if (root.kind !== 'fresh' || !root.release || root.origin.type !== AST_NODE_TYPES.CallExpression) return false;
  return types.lacksMethods(root.origin, root.release.release);
}

/** The first read in `candidates` of the same variable or `this.<member>` as `node`. */
function sameValueIn(facts: FileFacts, node: TSESTree.Node, candidates: readonly TSESTree.Node[]): TSESTree.Node | undefined {
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(node);
    return candidates.find((c) => c.type === AST_NODE_TYPES.MemberExpression && memberName(c) === name);
  }
  if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(facts.sourceCode.getScope(node), node);
  // Sessions are parameters and local variables: functions, classes, enums and imports are not asked about.
  const kind = variable?.defs[0]?.type;
  if (!variable || (kind !== 'Parameter' && kind !== 'Variable')) return undefined;
  return candidates.find((c) => c.type === AST_NODE_TYPES.Identifier && c.name === node.name && variable.references.some((r) => r.identifier === c));
}

function label(sourceCode: Readonly<TSESLint.SourceCode>, use: Use): string {
  const text = sourceCode.getText(use.node);
  const root = rootSession(use.info);
  const rootName = root.kind === 'request-member' ? root.name : root.variable?.name;
  return rootName && rootName !== text ? `${text} (from ${rootName})` : text;
}

/**
 * Whether a use in a clause does database work through the session: a method call through it
 * (`runner.manager.update(...)`), a call of it (`trx('jobs')`), or handing it to a call
 * (`serviceProvider(session)`, `{ transaction: t }`), whose result is awaited or used (a bare
 * statement call is usually synchronous bookkeeping: `em.persist(x)`, `runner.disableSqlMemory()`).
 * Ending it, logging it, reading a flag (`runner.isTransactionActive`) and rethrowing are fine.
 */
function isStaleUse(facts: FileFacts, use: TSESTree.Node, clause: TSESTree.Node): boolean {
  const vocabulary = facts.vocabulary;
  if (insideLoggerCall(vocabulary, use, clause)) return false;
  if (onlyAfterSuccess(facts, use, clause)) return false;
  // `trx.fn.now()` in another query's values builds SQL text; it runs nothing on the stale session.
  if (isQueryFragment(facts, use)) return false;
  const chain = memberChainTop(use);
  const method = chain.method;
  let current = chain.top;
  const parent = current.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === current) {
    // `em.fork()` in the catch opens the fresh session the rule asks for: it runs nothing on the stale one
    // (issue 13, round 19: seen in a public backend, open-mercato's thread-token.ts:323).
    if (method !== undefined && (vocabulary.isEndingMethod(method) || isStatePredicate(method) || vocabulary.isFreshSessionMethod(method))) return false;
    if (commitsInFinally(parent.arguments[0], clause)) return false;
    return !endsBySql(vocabulary, parent.arguments[0]) && isValueUsed(parent);
  }
  if (parent?.type === AST_NODE_TYPES.TaggedTemplateExpression && parent.tag === current) {
    return !endsBySql(vocabulary, parent.quasi) && isValueUsed(parent);
  }
  // `Number(tx.slot)`, `{ txid: tx.signature }`: a field read off the value runs nothing on a session;
  // only a member that holds one (`runner.manager`, `req.em`) is handed on as one (issue 13, round 14:
  // bitcore's svm/api/csp.ts:360, where `tx` is a Solana signature-status record).
  if (method !== undefined && !facts.vocabulary.isRequestSessionMember(method)) return false;
  // Through object and array literals: `{ where, transaction: t }`. A helper given `{ ctx, entityManager }`
  // receives the session as that property of its parameter.
  let property: string | undefined;
  let depth = 0;
  while (
    current.parent &&
    ((current.parent.type === AST_NODE_TYPES.Property && current.parent.value === current) ||
      current.parent.type === AST_NODE_TYPES.ObjectExpression ||
      current.parent.type === AST_NODE_TYPES.ArrayExpression)
  ) {
    if (current.parent.type === AST_NODE_TYPES.Property && depth === 0) property = propertyKeyName(current.parent);
    if (current.parent.type !== AST_NODE_TYPES.Property) depth += 1;
    current = current.parent;
  }
  const call = current.parent;
  if (
    (call?.type === AST_NODE_TYPES.CallExpression || call?.type === AST_NODE_TYPES.NewExpression) &&
    call.arguments.includes(current as TSESTree.CallExpressionArgument)
  ) {
    // `_.isUndefined(transaction)`, `isNil(trx)`: a check of the value before ending it runs nothing on it
    // (issue 13, round 16: seen in a public backend, tc-project-service src/routes/phaseApprovals/create.js:84).
    if (depth === 0 && call.arguments.length === 1 && call.type === AST_NODE_TYPES.CallExpression && VALUE_CHECKS.has(calleeMemberName(call) ?? '')) return false;
    const index = call.arguments.indexOf(current as TSESTree.CallExpressionArgument);
    // Only a session handed over directly, or as a property of an object literal argument, can be followed into the helper.
    const place = depth === 0 ? { index } : depth === 1 && property !== undefined ? { index, property } : undefined;
    return !(place && isEndingHelper(facts, call, place.index, place.property)) && isValueUsed(call);
  }
  return false;
}

/** Value checks of lodash, underscore and ramda, and their usual local twins: they read a value's kind, never its methods. */
const VALUE_CHECKS = new Set(['isUndefined', 'isNil', 'isNull', 'isDefined', 'isNotNil', 'isEmpty', 'isObject', 'isObjectLike', 'isPlainObject', 'isFunction']);

/**
 * The outermost member access read off a value, and the last member's name: for `runner` in
 * `runner.manager.save(x)`, the `runner.manager.save` node and `save` (undefined when nothing is read off it).
 */
function memberChainTop(node: TSESTree.Node): { top: TSESTree.Node; method: string | undefined } {
  let top = outerExpression(node);
  let method: string | undefined;
  while (top.parent?.type === AST_NODE_TYPES.MemberExpression && top.parent.object === top) {
    method = memberName(top.parent);
    top = outerExpression(top.parent);
  }
  return { top, method };
}

/** The key of a non-computed property (`entityManager` of `{ entityManager }` or `{ 'entityManager': em }`). */
function propertyKeyName(property: TSESTree.Property): string | undefined {
  if (property.computed) return undefined;
  return property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : typeof property.key.value === 'string' ? property.key.value : undefined;
}

/**
 * Whether a session is a pooled client (`pool.connect()`) that never starts a transaction: no
 * `query('BEGIN')` on it. In autocommit a failed statement leaves the connection usable, and a
 * `finally` that releases a session-level lock (`pg_advisory_unlock`) must run on that same
 * client (seen in a public backend: atproto's ozone daemons).
 */
function inAutocommit(facts: FileFacts, used: SessionInfo): boolean {
  // Only the client itself, used only through its own methods: handed to a repository or a
  // helper, it may start a transaction this file does not show.
  // A TypeORM query runner too, when nothing calls its `startTransaction()`: resetting a setting in a
  // `finally` must run on the same connection (issue 13, round 16: seen in a public backend,
  // fcd-classic's getTxList.ts:180), and a catch's failure record works there (round 19: metlo's
  // backend/src/services/webhook/index.ts:135, judged false).
  // The runner's own manager (`runner.manager.insert(...)`) runs on the runner's connection.
  const info = rootSession(used);
  const open = info.release?.open;
  if (info.kind !== 'fresh' || !(open === 'connect' || open === 'createQueryRunner') || !info.variable) return false;
  return info.variable.references.every((reference) => {
    if (reference.init) return true;
    const read = reference.identifier.parent;
    let member = read?.type === AST_NODE_TYPES.MemberExpression && read.object === reference.identifier ? read : undefined;
    if (open === 'createQueryRunner' && member && memberName(member) === 'manager') {
      const outer = member.parent;
      member = outer?.type === AST_NODE_TYPES.MemberExpression && outer.object === member ? outer : undefined;
    }
    const call = member?.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return false;
    // Committing or rolling back says a transaction is open, begun where this file does not show.
    if (/^(?:startTransaction|transaction|commitTransaction|rollbackTransaction)$/.test(memberName(call.callee as TSESTree.MemberExpression) ?? '')) return false;
    const sql = leadingSql(call.arguments[0]);
    return sql === undefined || !facts.vocabulary.isBeginStatement(sql);
  });
}

/**
 * A MikroORM fork (`const em = orm.em.fork()`) that no transaction holds: each flush runs in an
 * implicit transaction of its own, which MikroORM rolls back when it fails, so no connection is left
 * aborted. What a failed flush leaves behind is the fork's unit of work, the changes it could not
 * write: only a flush of that same fork sends them again, unless `clear()` dropped them first. A read,
 * a query or a helper given the fork in the catch reuses nothing of the failure (issue 13, round 19:
 * seen in a public backend, open-mercato's sync and indexer workers, 24 reports judged false; the
 * catch's `em.flush()` in its extractionWorker.ts:598 judged true and still reported).
 */
function reusesNothingOfAutocommitFork(facts: FileFacts, used: SessionInfo, use: TSESTree.Node, clause: TSESTree.Node): boolean {
  // A repository of the fork (`em.getRepository(Job)`) shares its connection and unit of work.
  const info = rootSession(used);
  const origin = info.origin;
  if (info.kind !== 'fresh' || !info.variable || origin.type !== AST_NODE_TYPES.CallExpression) return false;
  if (!facts.vocabulary.isFreshSessionMethod(calleeMemberName(origin) ?? '')) return false;
  // `fork({ keepTransactionContext: true })` joins the caller's transaction.
  if (origin.arguments.some((argument) => containsNodeByFields(argument, (node) => node.type === AST_NODE_TYPES.Identifier && node.name === 'keepTransactionContext'))) return false;
  const opensTransaction = info.variable.references.some((reference) => {
    const member = reference.identifier.parent;
    return member?.type === AST_NODE_TYPES.MemberExpression && member.object === reference.identifier && /^(?:begin|beginTransaction|startTransaction)$/.test(memberName(member) ?? '');
  });
  if (opensTransaction) return false;
  const { top, method } = memberChainTop(use);
  if (method === undefined || !/^(?:flush|persistAndFlush|removeAndFlush|commit)$/.test(method) || top.parent?.type !== AST_NODE_TYPES.CallExpression) return true;
  return clearedBefore(info.variable, use, clause);
}

/** Whether the clause calls `clear()` on the variable before `use`: `catch { em.clear(); ...; await em.flush() }`. */
function clearedBefore(variable: TSESLint.Scope.Variable, use: TSESTree.Node, clause: TSESTree.Node): boolean {
  return variable.references.some((reference) => {
    const member = reference.identifier.parent;
    return (
      isWithin(reference.identifier, clause) &&
      reference.identifier.range[0] < use.range[0] &&
      member?.type === AST_NODE_TYPES.MemberExpression &&
      member.object === reference.identifier &&
      memberName(member) === 'clear' &&
      member.parent?.type === AST_NODE_TYPES.CallExpression
    );
  });
}

/** The SQL text a statement starts with: a string, or a template literal's text before its first placeholder. */
function leadingSql(node: TSESTree.Node | undefined): string | undefined {
  if (node?.type === AST_NODE_TYPES.TemplateLiteral) return node.quasis[0]?.value.cooked ?? undefined;
  return stringValue(node);
}

/**
 * A predicate on the session (`session.inTransaction()`, `runner.isTransactionActive()`) reads its
 * state and runs nothing on it (seen in a public backend: laudspeaker's Mongo `inTransaction()`).
 */
function isStatePredicate(method: string): boolean {
  return /^(?:is|in|has)[A-Z]/.test(method);
}

/**
 * Whether a use in `finally` runs only when the `try` succeeded: it sits in the success branch of
 * an `if` on a flag the `catch` sets (`catch (e) { err = e } finally { if (!err) await t.commit() }`,
 * seen in a public backend: opencollective-api's scripts/smart-dump.ts).
 */
function onlyAfterSuccess(facts: FileFacts, use: TSESTree.Node, clause: TSESTree.Node): boolean {
  const statement = clause.parent;
  if (statement?.type !== AST_NODE_TYPES.TryStatement || statement.finalizer !== clause || !statement.handler) return false;
  const handler = statement.handler;
  for (let child: TSESTree.Node = use, current = use.parent; current && current !== clause; child = current, current = current.parent) {
    if (current.type !== AST_NODE_TYPES.IfStatement || child === current.test) continue;
    const negated = current.test.type === AST_NODE_TYPES.UnaryExpression && current.test.operator === '!';
    const flag = negated ? (current.test as TSESTree.UnaryExpression).argument : current.test;
    if (flag.type !== AST_NODE_TYPES.Identifier || !assignedIn(facts, flag, handler)) continue;
    // `if (!err)`: the consequent is the success path; `if (err) ... else`: the alternate is.
    if (negated ? child === current.consequent : child === current.alternate) return true;
  }
  return false;
}

/** Whether a variable is assigned inside a node (`err = e` in a catch clause). */
function assignedIn(facts: FileFacts, identifier: TSESTree.Identifier, node: TSESTree.Node): boolean {
  const variable = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier);
  return variable?.references.some((r) => r.isWrite() && !r.init && isWithin(r.identifier, node)) ?? false;
}

/**
 * `try { ... } finally { await client.query('commit'); }`: the `finally` ends the transaction on both
 * paths. After a failed statement PostgreSQL turns that COMMIT into a ROLLBACK (no error), and a
 * database that does not abort the transaction runs it on a usable session, so nothing stale runs
 * (issue 13, round 11: graphile/starter's Cypress server command).
 */
function commitsInFinally(sql: TSESTree.Node | undefined, clause: TSESTree.Node): boolean {
  const statement = clause.parent;
  if (statement?.type !== AST_NODE_TYPES.TryStatement || statement.finalizer !== clause) return false;
  return /^\s*commit\s*;?\s*$/i.test(leadingSql(sql) ?? '');
}

/** `client.query('ROLLBACK')`, `` tx.$executeRaw`ROLLBACK` ``, `` sql`rollback`.execute(trx) ``. */
function endsBySql(vocabulary: CompiledVocabulary, node: TSESTree.Node | undefined): boolean {
  const text = leadingSql(node);
  return text !== undefined && vocabulary.isEndingStatement(text);
}

/** Whether a node sits in the arguments of a logger call (`logger.error({ err, tx })`) within the clause. */
function insideLoggerCall(vocabulary: CompiledVocabulary, node: TSESTree.Node, clause: TSESTree.Node): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && current !== clause; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.CallExpression && current.callee !== child) {
      const parts = calleeParts(current);
      if (parts && parts.receiver !== undefined && vocabulary.isLogger(parts.receiver) && vocabulary.isLogMethod(parts.member)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * A call that ends the session it receives: `sql\`ROLLBACK\`.execute(trx)`, a helper named for
 * ending (`releaseQuietly(runner)`), or a helper in this file that calls an ending method on
 * that parameter.
 */
export function isEndingHelper(facts: FileFacts, call: TSESTree.CallExpression | TSESTree.NewExpression, index: number, property?: string): boolean {
  const vocabulary = facts.vocabulary;
  const callee = call.callee;
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.TaggedTemplateExpression) {
    if (endsBySql(vocabulary, callee.object.quasi)) return true;
  }
  const name = calleeParts(call)?.member;
  if (name !== undefined) {
    const endingWords = new Set(vocabulary.source.endingMethods.filter((m) => !m.includes('.')).map((m) => words(m)[0]));
    if (words(name).some((word) => endingWords.has(word))) return true;
  }
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const target = facts.resolveFunction(call.callee);
  if (target) return endsParameter(facts.sourceCode, facts.vocabulary, target, index, property);
  // A helper another file exports (`throwUserTransactionError` of `../common/njord`), read from that file (../tasks/foreign-callees.ts).
  const foreign = foreignCallee(call, facts);
  return foreign !== undefined && endsParameter(foreign.facts.sourceCode, facts.vocabulary, foreign.fn, index, property);
}

/** The lower-case words of a camelCase or snake_case name: `releaseQuietly` -> `release`, `quietly`. */
function words(name: string): string[] {
  return (name.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? []).map((w) => w.toLowerCase());
}

/**
 * Whether a function calls an ending method on its `index`-th parameter, or on the `property` of
 * that parameter's destructuring pattern (`async ({ ctx, entityManager }) => ...`), directly or
 * through a member of it: `runner.release()`, `entityManager.queryRunner?.rollbackTransaction()`
 * (seen in a public backend: daily-api's `throwUserTransactionError`).
 */
function endsParameter(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  fn: FunctionNode,
  index: number,
  property: string | undefined,
): boolean {
  const name = parameterName(fn.params[index], property);
  if (!name) return false;
  const variable = sourceCode.getDeclaredVariables(fn).find((v) => v.defs[0]?.name === name);
  for (const reference of variable?.references ?? []) {
    const { top, method } = memberChainTop(reference.identifier);
    const call = top.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === top && method !== undefined && vocabulary.isEndingMethod(method) && isWithin(call, fn)) {
      return true;
    }
  }
  return false;
}

/** The identifier a parameter binds: the parameter itself, or (with `property`) that property of its object pattern. */
function parameterName(param: TSESTree.Parameter | undefined, property: string | undefined): TSESTree.Identifier | undefined {
  const bound = param?.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  if (property === undefined) return bound?.type === AST_NODE_TYPES.Identifier ? bound : undefined;
  if (bound?.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const entry of bound.properties) {
    if (entry.type !== AST_NODE_TYPES.Property || propertyKeyName(entry) !== property) continue;
    const value = entry.value.type === AST_NODE_TYPES.AssignmentPattern ? entry.value.left : entry.value;
    return value.type === AST_NODE_TYPES.Identifier ? value : undefined;
  }
  return undefined;
}
