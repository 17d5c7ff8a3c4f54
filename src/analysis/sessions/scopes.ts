/**
 * Session lifetimes for `require-session-scope`: where a session is opened, whether a scope
 * bounds its life (`using`, a scope callback, a `finally` that releases it), where a scoped
 * session escapes that scope, and where a transaction's outer client is used inside its own
 * callback. Computed on demand per call and cached per node.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { textMentions } from '../../model/names.js';
import type { CompiledReleasedSession, CompiledVocabulary } from '../../model/settings.js';
import {
  calleeMemberName,
  calleeParts,
  failsOnlyByBug,
  isFunction,
  isLoop,
  isValueUsed,
  isWithin,
  memberName,
  outerExpression,
  pushChildren,
  skipWrappers,
  valueNode,
  type FunctionNode,
} from '../ast.js';
import { describeCall, droppedCall, matchDispatcher } from '../tasks/background.js';
import type { FileFacts } from '../facts.js';
import { endsSession, isDatabaseSessionByEvidence, isScopeCall, opensFreshSession, releasedSessionOpened, rootSession } from './sessions.js';
import type { TypeFacts } from '../types.js';
import { isQueryFragment } from './fragments.js';
import { isTransactionalMigrationParameter } from './migrations.js';
import { endedWithItsSource, opensOnConnectionlessSource } from './data-sources.js';
import { isEndingHelper } from './try-catch.js';

type Variable = TSESLint.Scope.Variable;

/** How an opened session's life is bounded. */
export type SessionLifetime =
  /** `using` / `await using`. */
  | 'scoped'
  /** Ended in a `finally` (or, for a transaction opened without callback, in a `catch`). */
  | 'released-in-finally'
  /** Returned or handed over at the opening: its owner is elsewhere. */
  | 'handed-over'
  /** Held in a variable that nothing ends on every path. */
  | 'unscoped'
  /** Opened on a source whose sessions hold no connection (TypeORM SQLite): nothing to leak. */
  | 'holds-nothing'
  /** Used straight from the opening call, so nothing can ever end it. */
  | 'leaked';

/** A call that opens a session that must be ended: `createQueryRunner()`, `pool.connect()`, `getSessionContext()`. */
export interface SessionOpening {
  readonly call: TSESTree.CallExpression;
  /** `disposable`: ends by disposal (`getSessionContext`); `released`: by a release method. */
  readonly kind: 'disposable' | 'released';
  /** For `released`: the methods that end it. */
  readonly release: CompiledReleasedSession | undefined;
  /** `dataSource.createQueryRunner()`, for messages. */
  readonly opener: string;
  /** The variable that holds it, when it is declared or assigned. */
  readonly variable: Variable | undefined;
  /** The declarator, when it is declared. */
  readonly declarator: TSESTree.VariableDeclarator | undefined;
  /** Where the report belongs: the declarator, the assignment, or the call. */
  readonly reportNode: TSESTree.Node;
  readonly lifetime: SessionLifetime;
  /** Stored on `this` or in an outer variable (then no quick fix is safe). */
  readonly stored: boolean;
  /** An ending call outside any `finally` (`runner.release()` after the work): skipped on error. */
  readonly endedOutsideFinally: TSESTree.Node | undefined;
}

/** Why a scoped session outlives its scope. */
export type EscapeKind =
  | 'stored'
  | 'returned'
  | 'deferred'
  | 'then'
  | 'detached'
  | 'unawaited'
  | 'fire-and-forget'
  /** A callback registered with `emitter.on(...)` / `.subscribe(...)` inside the scope. */
  | 'listener'
  /** `Promise.all([listA, listB])`: arrays of promises inside the awaited array are not awaited. */
  | 'unawaited-array';

/**
 * A safe edit that keeps the detached work inside its scope (a dropped call's `await` is the
 * rules' shared fix builder's): `await Promise.all(xs.map(async ...))` for `xs.forEach(async ...)`,
 * or spread an array of promises into `Promise.all([...list])`.
 */
export type EscapeRemedy =
  | { readonly kind: 'promise-all'; readonly call: TSESTree.CallExpression; readonly awaited: boolean }
  | { readonly kind: 'spread'; readonly elements: readonly TSESTree.Node[] };

export interface SessionEscape {
  /** The use of the session that escapes. */
  readonly node: TSESTree.Node;
  readonly kind: EscapeKind;
  /** `this.tx`, `setImmediate`, `audit()`: what it escapes into. */
  readonly into: string;
  /** What detaches the work (the `forEach` call, the dropped statement); one report per anchor. */
  readonly anchor?: TSESTree.Node;
  readonly remedy?: EscapeRemedy;
}

/** A scope callback (`prisma.$transaction(async (tx) => ...)`) and its session parameter. */
export interface ScopeCallback {
  readonly call: TSESTree.CallExpression;
  readonly fn: FunctionNode;
  /** `prisma.$transaction`, `db.transaction().execute`. */
  readonly label: string;
  /** The session parameter (`tx`), when the callback declares one. */
  readonly param: Variable | undefined;
}

/** A use of a transaction's outer client inside its own callback: it runs outside the transaction. */
export interface OuterClientUse {
  readonly node: TSESTree.Node;
  /** `prisma`, `this.dataSource`. */
  readonly client: string;
}

const STORING_METHODS = new Set(['push', 'unshift', 'add', 'set']);
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

const sessionApiMention = new WeakMap<CompiledVocabulary, ((text: string) => boolean) | null>();

/**
 * A cheap text test before any per-call work: a file whose text names no opener or scope of the
 * vocabulary (`createQueryRunner`, `connect`, `transaction`, ...) opens no session by name.
 * Always true when a name is a glob (no literal text to look for).
 */
export function mayOpenSessionByName(vocabulary: CompiledVocabulary, text: string): boolean {
  let mentions = sessionApiMention.get(vocabulary);
  if (mentions === undefined) {
    const source = vocabulary.source;
    const names = [...source.sessionScopes, ...source.disposableScopes, ...source.releasedSessions.map((r) => r.open)].map((name) =>
      name.slice(name.lastIndexOf('.') + 1),
    );
    mentions = names.some((name) => name === '' || name.includes('*')) ? null : textMentions(names);
    sessionApiMention.set(vocabulary, mentions);
  }
  return mentions === null || mentions(text);
}

const openingCache = new WeakMap<FileFacts, Map<TSESTree.CallExpression, SessionOpening | null>>();
const typedOpeningCache = new WeakMap<FileFacts, Map<TSESTree.CallExpression, SessionOpening | null>>();

/** The session a call opens that needs a scope or an explicit end, with how its life is bounded. */
export function sessionOpeningAt(facts: FileFacts, call: TSESTree.CallExpression): SessionOpening | undefined {
  let byCall = openingCache.get(facts);
  if (!byCall) {
    byCall = new Map();
    openingCache.set(facts, byCall);
  }
  const cached = byCall.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const result = computeOpening(facts, call);
  byCall.set(call, result ?? null);
  return result;
}

function computeOpening(facts: FileFacts, call: TSESTree.CallExpression): SessionOpening | undefined {
  const vocabulary = facts.vocabulary;
  const member = calleeMemberName(call);
  if (member === undefined || !(vocabulary.releasedSessionOpeners.has(member) || vocabulary.isDisposableScope(member))) return undefined;
  const parts = calleeParts(call);
  if (!parts) return undefined;
  // A callback argument makes it a scope call (`getSessionContext(async (s) => ...)`), or hands
  // the session to the callback (`pool.connect((err, client, done) => ...)`).
  if (call.arguments.some((a) => isFunction(a))) return undefined;
  let kind: SessionOpening['kind'];
  let release: CompiledReleasedSession | undefined;
  if (vocabulary.isDisposableScope(parts.member)) {
    kind = 'disposable';
  } else {
    release = releasedSessionOpened(vocabulary, call);
    if (!release) return undefined;
    // A bare `getSession()` is an auth helper (next-auth), not a database session.
    if (release.on === undefined && !parts.object) return undefined;
    // `this.getSession(req, res)` of an auth guard, express-session, a `CachedSession`: the word
    // "session" alone is no evidence of a database (issue 13).
    if (!isDatabaseSessionByEvidence({ vocabulary, references: facts.references, resolveFunction: facts.resolveFunction }, call, parts.receiver, release)) return undefined;
    kind = 'released';
  }
  return openingOf(facts, call, kind, release);
}

/**
 * Type-aware: a call whose value is a session that must be ended, known only by its type
 * (`const runner = await this.openRunner()`, a helper in any file that returns a `QueryRunner`).
 * Asked only for calls that are not openers by name, whose value a variable holds and uses
 * as a receiver, so the checker sees few nodes.
 */
export function typedSessionOpeningAt(facts: FileFacts, call: TSESTree.CallExpression, types: TypeFacts): SessionOpening | undefined {
  let byCall = typedOpeningCache.get(facts);
  if (!byCall) {
    byCall = new Map();
    typedOpeningCache.set(facts, byCall);
  }
  const cached = byCall.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const result = computeTypedOpening(facts, call, types);
  byCall.set(call, result ?? null);
  return result;
}

function computeTypedOpening(facts: FileFacts, call: TSESTree.CallExpression, types: TypeFacts): SessionOpening | undefined {
  if (!calleeParts(call) || call.arguments.some((a) => isFunction(a))) return undefined;
  if (sessionOpeningAt(facts, call) || releasedSessionOpened(facts.vocabulary, call)) return undefined;
  const holder = valueNode(call).parent;
  if (holder?.type !== AST_NODE_TYPES.VariableDeclarator || holder.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (holder.parent.kind === 'using' || holder.parent.kind === 'await using') return undefined;
  const variable = facts.sourceCode.getDeclaredVariables(holder)[0];
  const usedAsReceiver = variable?.references.some((reference) => {
    const chain = valueNode(reference.identifier);
    return chain.parent?.type === AST_NODE_TYPES.MemberExpression && chain.parent.object === chain;
  });
  if (!usedAsReceiver) return undefined;
  const session = types.releasableSession(holder.id);
  return session ? openingOf(facts, call, 'released', session.release) : undefined;
}

/**
 * Type-aware: an opener by name whose value's type is known and has none of the pattern's
 * ending methods (`supabase.auth.getSession()`, a `pool.connect()` that returns nothing to release).
 */
export function isOpeningRefutedByType(opening: SessionOpening, types: TypeFacts): boolean {
  if (opening.kind !== 'released' || !opening.release) return false;
  return types.lacksMethods(valueNode(opening.call), opening.release.release);
}

/**
 * Whether an error can skip the end of a session ended outside any `finally` (`releasedOutsideFinally`):
 * not when only synchronous statements run between the opening and the end (`const client = await
 * pool.connect(); client.on('error', log); client.release();`, seen in a public backend: payload
 * packages/db-postgres/src/connect.ts:23), in the statement that ends it only what runs before the
 * end counting (`while (true) { await read(); ... release(); }` can skip it); and not for a session
 * without a pooled connection (a MongoDB ClientSession, `connectionlessSessionOpeners`: seen in a
 * public backend, laudspeaker customers.service.ts:5917), whose skipped end leaks nothing the server
 * does not expire.
 */
export function errorCanSkipEnd(opening: SessionOpening, vocabulary: CompiledVocabulary, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  const end = opening.endedOutsideFinally;
  if (!end || vocabulary.isConnectionlessSessionOpener(calleeMemberName(opening.call))) return false;
  const name = opening.variable?.name;
  let current = statementInBlock(opening.reportNode);
  while (current) {
    const body = (current.parent as TSESTree.BlockStatement).body;
    for (let i = body.indexOf(current) + 1; i < body.length; i += 1) {
      const statement = body[i]!;
      if (end.range[0] >= statement.range[0] && end.range[1] <= statement.range[1]) return !failsOnlyByBug(statement, name, keys, end.range[0]);
      if (!failsOnlyByBug(statement, name, keys)) return true;
    }
    // The end lies after the block the session was opened in (`if (!reconnect) { result = await
    // pool.connect(); } else { ... }` then `result.release()`, seen in a public backend: payload
    // packages/db-postgres/src/connect.ts:23): go on after the statement holding that block. A loop
    // may run the opening again, and a function boundary ends the search.
    const holder = current.parent!.parent;
    if (!holder || isFunction(holder) || isLoop(holder)) return true;
    current = statementInBlock(holder);
  }
  return true;
}

/**
 * The statement of a block that holds a node (the node itself, or its nearest ancestor directly in a
 * block); undefined past a function, a loop or a `switch` case (whose other statements are no block's).
 */
function statementInBlock(node: TSESTree.Node): TSESTree.Statement | undefined {
  let current: TSESTree.Node | undefined = node;
  while (current && current.parent?.type !== AST_NODE_TYPES.BlockStatement) {
    if (isFunction(current) || isLoop(current) || current.type === AST_NODE_TYPES.SwitchCase) return undefined;
    current = current.parent;
  }
  return current as TSESTree.Statement | undefined;
}

function openingOf(
  facts: FileFacts,
  call: TSESTree.CallExpression,
  kind: SessionOpening['kind'],
  release: CompiledReleasedSession | undefined,
): SessionOpening | undefined {
  const vocabulary = facts.vocabulary;
  const parts = calleeParts(call)!;
  const opener = parts.receiver ? `${parts.receiver}.${parts.member}()` : `${parts.member}()`;
  const base = { call, kind, release, opener };
  const value = valueNode(call);
  const holder = value.parent;
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value && holder.id.type === AST_NODE_TYPES.Identifier) {
    const variable = facts.sourceCode.getDeclaredVariables(holder)[0];
    const disposed = holder.parent.kind === 'using' || holder.parent.kind === 'await using';
    if (disposed || !variable) {
      return { ...base, variable, declarator: holder, reportNode: holder, lifetime: disposed ? 'scoped' : 'handed-over', stored: false, endedOutsideFinally: undefined };
    }
    return { ...base, declarator: holder, reportNode: holder, ...withSource(facts, call, lifetimeOf(facts, variable, kind, release, holder), release) };
  }
  if (
    holder?.type === AST_NODE_TYPES.AssignmentExpression &&
    holder.right === value &&
    holder.operator === '=' &&
    holder.left.type === AST_NODE_TYPES.Identifier
  ) {
    const variable = ASTUtils.findVariable(facts.sourceCode.getScope(holder.left), holder.left);
    if (!variable) return undefined;
    if (heldByClosureObject(facts, variable, holder, release)) {
      return { ...base, variable, declarator: undefined, reportNode: holder, lifetime: 'handed-over', stored: true, endedOutsideFinally: undefined };
    }
    return { ...base, declarator: undefined, reportNode: holder, ...withSource(facts, call, lifetimeOf(facts, variable, kind, release, holder), release) };
  }
  if (holder?.type === AST_NODE_TYPES.MemberExpression && holder.object === value) {
    // `(await pool.connect()).query(...)`: nothing holds it, so nothing can end it.
    const method = memberName(holder);
    // `pool.connect().then((client) => ...)` hands it to the callback.
    const ends =
      (method !== undefined && (endsSession(vocabulary, release, method) || PROMISE_METHODS.has(method))) || readsFactoryOnly(vocabulary, holder);
    return {
      ...base,
      variable: undefined,
      declarator: undefined,
      reportNode: call,
      lifetime: ends ? 'handed-over' : 'leaked',
      stored: false,
      endedOutsideFinally: undefined,
    };
  }
  return { ...base, variable: undefined, declarator: undefined, reportNode: call, lifetime: 'handed-over', stored: false, endedOutsideFinally: undefined };
}

/**
 * Whether a chain of property reads on an opened session reaches a factory before any call:
 * `createQueryRunner('master').connection`, `.manager.connection` read the DataSource, which
 * queries on its own pool. The runner is never connected, so nothing is taken and nothing leaks
 * (issue 13; seen in vendure packages/core/src/service/services/collection.service.ts:732).
 */
function readsFactoryOnly(vocabulary: CompiledVocabulary, first: TSESTree.MemberExpression): boolean {
  let current: TSESTree.Node = first;
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    if (vocabulary.isFactoryName(memberName(current))) return true;
    const outer = outerExpression(current);
    const parent = outer.parent;
    // A call through the chain (`.manager.getRepository(...)`) runs on the runner: it connects.
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== outer) return false;
    current = parent;
  }
  return false;
}

type Lifetime = Pick<SessionOpening, 'variable' | 'lifetime' | 'stored' | 'endedOutsideFinally'>;

/**
 * What the session's source says about an unscoped session: torn down in a `finally` around all
 * its uses, it is released there; a connectionless driver's session holds nothing.
 */
function withSource(facts: FileFacts, call: TSESTree.CallExpression, lifetime: Lifetime, release: CompiledReleasedSession | undefined): Lifetime {
  if (lifetime.lifetime !== 'unscoped' || !lifetime.variable) return lifetime;
  if (endedWithItsSource(facts, call, lifetime.variable, release)) {
    return { ...lifetime, lifetime: 'released-in-finally', endedOutsideFinally: undefined };
  }
  if (opensOnConnectionlessSource(facts, call)) return { ...lifetime, lifetime: 'holds-nothing', endedOutsideFinally: undefined };
  return lifetime;
}

/** Reads a session variable's references: is it ended in a `finally`, returned, stored? */
function lifetimeOf(
  facts: FileFacts,
  variable: Variable,
  kind: SessionOpening['kind'],
  release: CompiledReleasedSession | undefined,
  opening: TSESTree.Node,
): Lifetime {
  const vocabulary = facts.vocabulary;
  const endsInCatch = release?.withoutCallback === true;
  const home = enclosingFunctionOrProgram(opening);
  let released = false;
  let returned = false;
  let stored = false;
  let endedOutsideFinally: TSESTree.Node | undefined;
  for (const reference of variable.references) {
    if (!reference.isRead()) continue;
    const identifier = reference.identifier;
    const chain = valueNode(identifier);
    const parent = chain.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === chain) {
      const called = methodCallOn(chain);
      if (called && (kind === 'disposable' ? vocabulary.isEndingMethod(called.method) : endsSession(vocabulary, release, called.method))) {
        if (inCleanupClause(identifier, endsInCatch)) released = true;
        else endedOutsideFinally ??= called.call;
      }
      continue;
    }
    if (
      (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
      parent.arguments.includes(chain as TSESTree.CallExpressionArgument) &&
      inCleanupClause(identifier, endsInCatch)
    ) {
      // A helper called in `finally` that receives the session (`releaseQuietly(runner)`).
      released = true;
      continue;
    }
    if (
      parent?.type === AST_NODE_TYPES.CallExpression &&
      parent.arguments.includes(chain as TSESTree.CallExpressionArgument) &&
      inCleanupClause(identifier, true) &&
      isEndingHelper(facts, parent, parent.arguments.indexOf(chain as TSESTree.CallExpressionArgument))
    ) {
      // The error path hands it to a helper named for ending it: `catch (e) { await rollback(conn); throw e }`
      // (seen in a public backend: evershop, whose postgres-query-builder `rollback(conn)` and `commit(conn)` release).
      released = true;
      continue;
    }
    // `req.queryRunner = runner`, `ctx.client = client`: some object owns it now.
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === chain && parent.left.type === AST_NODE_TYPES.MemberExpression) {
      stored = true;
      continue;
    }
    const escape = storedOrReturned(facts, identifier, home, home);
    if (escape?.kind === 'returned') returned = true;
    else if (escape?.kind === 'stored') stored = true;
  }
  // A connection kept in `this.connections.set(client, ...)` or on `this` is owned by that object now.
  const handedOver = returned || (stored && kind === 'released');
  const lifetime: SessionLifetime = released ? 'released-in-finally' : handedOver ? 'handed-over' : 'unscoped';
  return { variable, lifetime, stored, endedOutsideFinally };
}

/** Whether a node runs in a `finally` (or a `.finally(cb)`), or for `withCatch` also a `catch`. */
function inCleanupClause(node: TSESTree.Node, withCatch: boolean): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) return true;
    if (withCatch && current.type === AST_NODE_TYPES.CatchClause) return true;
    if (isFunction(current)) {
      const call = current.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(current as TSESTree.CallExpressionArgument)) {
        return false;
      }
      const method = calleeParts(call)?.member;
      if (method === 'finally' || (withCatch && method === 'catch')) return true;
      return false;
    }
  }
  return false;
}

/**
 * Whether a session is opened into a variable of an enclosing function and ended by another function
 * there: the state of an object a factory builds (`getDBConnection()` returning `{ open, release,
 * commit }` over `let _client`), whose `open()` takes the client and whose `release()`, called by
 * the object's user in a `finally`, gives it back (issue 13, round 21: seen in a public backend,
 * bcgov/biohubbc-platform's api/src/database/db.ts). The object owns it, like `this.client`.
 */
function heldByClosureObject(facts: FileFacts, variable: Variable, opening: TSESTree.Node, release: CompiledReleasedSession | undefined): boolean {
  const home = enclosingFunctionOrProgram(opening);
  const declaredIn = variable.scope.block;
  if (!isFunction(declaredIn) || declaredIn === home) return false;
  return variable.references.some((reference) => {
    const called = methodCallOn(valueNode(reference.identifier));
    return called !== undefined && endsSession(facts.vocabulary, release, called.method) && enclosingFunctionOrProgram(reference.identifier) !== home;
  });
}

/** `value.method(...)`: the method called on a value and the call, if the value is a call's receiver. */
function methodCallOn(value: TSESTree.Node): { method: string; call: TSESTree.CallExpression } | undefined {
  const member = value.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== value) return undefined;
  const method = memberName(member);
  const call = outerExpression(member).parent;
  return method !== undefined && call?.type === AST_NODE_TYPES.CallExpression && call.callee === outerExpression(member) ? { method, call } : undefined;
}

function enclosingFunctionOrProgram(node: TSESTree.Node): TSESTree.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.Program) return current;
  }
  return node;
}

/**
 * Whether a use of a session hands it out of `region`: assigned to `this.x` or to a variable
 * declared outside, pushed into such a collection, or returned from `owner`.
 */
function storedOrReturned(
  facts: FileFacts,
  use: TSESTree.Node,
  region: TSESTree.Node,
  owner: TSESTree.Node,
): SessionEscape | undefined {
  const top = boundValue(facts, use);
  let current = top;
  // `{ tx }`, `[tx]`: a literal that carries the session.
  while (
    current.parent &&
    ((current.parent.type === AST_NODE_TYPES.Property && current.parent.value === current) ||
      current.parent.type === AST_NODE_TYPES.ObjectExpression ||
      current.parent.type === AST_NODE_TYPES.ArrayExpression ||
      current.parent.type === AST_NODE_TYPES.SpreadElement)
  ) {
    current = current.parent;
  }
  current = outerExpression(current);
  // `return Promise.resolve(session)`: handed back as a promise's value (seen in a public backend:
  // parse-server src/Adapters/Storage/Mongo/MongoStorageAdapter.js:1100, createTransactionalSession).
  if (current.parent?.type === AST_NODE_TYPES.CallExpression && current.parent.arguments.length === 1 && current.parent.arguments[0] === current) {
    const parts = calleeParts(current.parent);
    if (parts?.receiver === 'Promise' && parts.member === 'resolve') current = outerExpression(current.parent);
  }
  const parent = current.parent;
  if (!parent) return undefined;
  if (parent.type === AST_NODE_TYPES.NewExpression && parent.arguments.includes(current as TSESTree.CallExpressionArgument) && wrapperReturned(facts, parent, owner)) {
    return { node: use, kind: 'returned', into: '' };
  }
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === current) {
    // Issue 13: `ctx.state.transaction = t` puts the transaction on the request's context for the
    // awaited rest of the request (Koa middleware), which is how the request's code reaches it.
    if (isRequestContextTarget(facts, parent.left)) return undefined;
    const target = outsideTarget(facts, parent.left, region);
    return target ? { node: use, kind: 'stored', into: target } : undefined;
  }
  if (parent.type === AST_NODE_TYPES.ReturnStatement || (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === current)) {
    const fn = parent.type === AST_NODE_TYPES.ArrowFunctionExpression ? parent : enclosingFunctionOrProgram(parent);
    return fn === owner ? { node: use, kind: 'returned', into: '' } : undefined;
  }
  if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(current as TSESTree.CallExpressionArgument)) {
    const callee = skipWrappers(parent.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && STORING_METHODS.has(memberName(callee) ?? '')) {
      // Issue 13: `this.cls.set('tx.client', tx)` carries the transaction through the awaited rest of the scope.
      const store = skipWrappers(callee.object);
      const storeName = store.type === AST_NODE_TYPES.MemberExpression ? memberName(store) : store.type === AST_NODE_TYPES.Identifier ? store.name : undefined;
      if (facts.vocabulary.isContextStore(storeName)) return undefined;
      const target = outsideTarget(facts, callee.object, region);
      return target ? { node: use, kind: 'stored', into: target } : undefined;
    }
  }
  return undefined;
}

/**
 * `const transaction = new PgTransaction(client); ...; return transaction`: the session is handed to
 * an object the function returns, which ends it (`commit()`, `rollback()`), so the caller owns it
 * (issue 13, round 11: supabase storage's `beginTransaction`).
 */
function wrapperReturned(facts: FileFacts, wrapper: TSESTree.NewExpression, owner: TSESTree.Node): boolean {
  const outer = outerExpression(wrapper);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.ReturnStatement) return enclosingFunctionOrProgram(parent) === owner;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = facts.sourceCode.getDeclaredVariables(parent)[0];
  return (variable?.references ?? []).some((reference) => {
    const use = outerExpression(reference.identifier as TSESTree.Node);
    return use.parent?.type === AST_NODE_TYPES.ReturnStatement && enclosingFunctionOrProgram(use.parent) === owner;
  });
}

/** `ctx.state.x`, `req.context.x`: a property of a request object (vocabulary `requestObjectNames`). */
function isRequestContextTarget(facts: FileFacts, target: TSESTree.Node): boolean {
  let current = skipWrappers(target);
  if (current.type !== AST_NODE_TYPES.MemberExpression) return false;
  while (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
  return current.type === AST_NODE_TYPES.Identifier && facts.vocabulary.isRequestObjectName(current.name);
}

/** The widest expression around a use that is still the session or a value derived from it. */
function boundValue(facts: FileFacts, use: TSESTree.Node): TSESTree.Node {
  const root = facts.classify(use);
  const rootVariable = rootSession(root).variable;
  let current = valueNode(use);
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    const candidate =
      (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current) ||
      ((parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) &&
        (parent.callee === current || parent.arguments.includes(current as TSESTree.CallExpressionArgument)));
    if (!candidate) return current;
    const info = facts.classify(parent);
    if (info.kind !== 'derived' || rootSession(info).variable !== rootVariable || rootVariable === undefined) return current;
    current = valueNode(parent);
  }
}

/** `this.tx`, `outer`, `cache.tx` when that target lives outside `region`; undefined when it is local. */
function outsideTarget(facts: FileFacts, target: TSESTree.Node, region: TSESTree.Node): string | undefined {
  let base = skipWrappers(target);
  while (base.type === AST_NODE_TYPES.MemberExpression) base = skipWrappers(base.object);
  if (base.type === AST_NODE_TYPES.ThisExpression) return facts.sourceCode.getText(target);
  if (base.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(facts.sourceCode.getScope(base), base);
  const def = variable?.defs[0];
  if (!def) return facts.sourceCode.getText(target);
  // `req.queryRunner = runner`: a parameter's object comes from the caller and outlives the call.
  const intoParameter = def.type === 'Parameter' && skipWrappers(target).type === AST_NODE_TYPES.MemberExpression;
  return isWithin(def.name, region) && !intoParameter ? undefined : facts.sourceCode.getText(target);
}

/** The scope callback of a call (`prisma.$transaction(async (tx) => ...)`), if it is one. */
export function scopeCallbackAt(facts: FileFacts, call: TSESTree.CallExpression): ScopeCallback | undefined {
  if (!isScopeCall(facts.vocabulary, call)) return undefined;
  const fn = call.arguments.find((a) => isFunction(a)) as FunctionNode | undefined;
  if (!fn) return undefined;
  const first = fn.params[0];
  const param =
    first?.type === AST_NODE_TYPES.Identifier
      ? facts.sourceCode.getDeclaredVariables(fn).find((v) => v.defs[0]?.name === first)
      : undefined;
  return { call, fn, label: scopeLabel(call) ?? describeCall(call), param };
}

function scopeLabel(call: TSESTree.CallExpression): string | undefined {
  const parts = calleeParts(call);
  if (!parts) return undefined;
  if (parts.member === 'execute' && parts.object?.type === AST_NODE_TYPES.CallExpression) {
    const inner = calleeParts(parts.object);
    return inner ? `${inner.receiver ? `${inner.receiver}.` : ''}${inner.member}().execute` : undefined;
  }
  return parts.receiver ? `${parts.receiver}.${parts.member}` : parts.member;
}

/**
 * Where a scoped session escapes its scope. `region` is what the scope covers (the callback,
 * the `using` block, the function that releases it in `finally`); `owner` is the function a
 * `return` of the session leaves the scope from.
 */
export function sessionEscapes(
  facts: FileFacts,
  variable: Variable,
  region: TSESTree.Node,
  owner: TSESTree.Node,
): SessionEscape[] {
  const escapes: SessionEscape[] = [];
  const fireAndForget = fireAndForgetCalls(facts);
  // A callback that returns no promise (Knex's classic `transaction(function (trx) { ... })`)
  // keeps its scope open until it ends the session itself, so dropped promises do not escape.
  const endsWithPromise = !isFunction(region) || region.async || region.body.type !== AST_NODE_TYPES.BlockStatement;
  // Aliases and values derived from the session inside the scope (`const repo = manager.getRepository(User)`)
  // carry its lifetime: detached work that uses them escapes too.
  const pending: Variable[] = [variable];
  const seen = new Set<Variable>(pending);
  while (pending.length > 0) {
    const current = pending.shift()!;
    for (const reference of current.references) {
      if (!reference.isRead()) continue;
      const use = reference.identifier;
      if (!isWithin(use, region)) continue;
      // `trx.raw('1')` inside a Knex `whereExists(function () { void this.select(...) })`: SQL for the awaited query.
      if (isQueryFragment(facts, use)) continue;
      let escape = deferredUse(facts, use, region, fireAndForget, variable);
      if (escape && !endsWithPromise && escape.kind !== 'deferred' && escape.kind !== 'listener') escape = undefined;
      if (current === variable) escape ??= storedOrReturned(facts, use, region, owner);
      if (escape) {
        escapes.push(escape);
        continue;
      }
      const alias = seen.size < 8 ? aliasOf(facts, use, region) : undefined;
      if (alias && !seen.has(alias)) {
        seen.add(alias);
        pending.push(alias);
      }
    }
  }
  return escapes;
}

/** `const repo = manager.getRepository(User)`, `const t = trx`: a local of the scope that holds the session or a value bound to it. */
function aliasOf(facts: FileFacts, use: TSESTree.Node, region: TSESTree.Node): Variable | undefined {
  const top = outerExpression(boundValue(facts, use));
  const parent = top.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== top || parent.id.type !== AST_NODE_TYPES.Identifier) {
    return undefined;
  }
  if (!isWithin(parent, region)) return undefined;
  return facts.sourceCode.getDeclaredVariables(parent)[0];
}

const fireAndForgetCache = new WeakMap<FileFacts, Set<TSESTree.Node>>();

function fireAndForgetCalls(facts: FileFacts): Set<TSESTree.Node> {
  let calls = fireAndForgetCache.get(facts);
  if (!calls) {
    calls = new Set(facts.dispatchSites.filter((s) => s.kind === 'fire-and-forget').map((s) => s.call));
    fireAndForgetCache.set(facts, calls);
  }
  return calls;
}

/** A use inside work that can run after the scope closed: a deferred callback or a dropped promise. */
function deferredUse(
  facts: FileFacts,
  use: TSESTree.Node,
  region: TSESTree.Node,
  fireAndForget: Set<TSESTree.Node>,
  session: Variable,
): SessionEscape | undefined {
  // A deferred callback further out explains more than a dropped promise inside it.
  let dropped: SessionEscape | undefined;
  let child: TSESTree.Node = use;
  for (let current = use.parent; current && current !== region; child = current, current = current.parent) {
    // `new Promise((resolve) => tx.x().then(resolve))`: the executor wires the chain into a promise.
    if (isFunction(current) && isPromiseExecutor(current)) return undefined;
    if (isFunction(current)) {
      const escape = deferredFunction(facts, current, use, region, session);
      if (escape) return escape;
      continue;
    }
    if (dropped) continue;
    if (
      current.type === AST_NODE_TYPES.CallExpression &&
      fireAndForget.has(current) &&
      current.arguments.includes(child as TSESTree.CallExpressionArgument)
    ) {
      dropped = { node: use, kind: 'fire-and-forget', into: `${describeCall(current)}()`, anchor: current };
    } else if (current.type === AST_NODE_TYPES.ExpressionStatement) {
      const statement = droppedCall(current.expression);
      const outer = skipWrappers(current.expression);
      if (statement && (statement.voided || outer !== statement.call)) {
        const method = outer.type === AST_NODE_TYPES.CallExpression ? calleeParts(outer)?.member : undefined;
        dropped = {
          node: use,
          kind: 'unawaited',
          into: statement.voided ? 'void' : `.${method ?? 'then'}()`,
          anchor: current,
        };
      }
    }
  }
  return dropped;
}

/** Whether the nearest function around a node is `async` (so `await` may be written there). */
function inAsyncFunction(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current.async;
  }
  return false;
}

/** `new Promise((resolve, reject) => ...)`: the executor runs at once and settles the promise it builds. */
function isPromiseExecutor(fn: FunctionNode): boolean {
  const parent = outerExpression(fn).parent;
  return (
    parent?.type === AST_NODE_TYPES.NewExpression &&
    parent.callee.type === AST_NODE_TYPES.Identifier &&
    parent.callee.name === 'Promise' &&
    parent.arguments[0] === outerExpression(fn)
  );
}

/** Whether a node lies in a promise executor below `region` (a listener there settles a promise the scope awaits). */
function insidePromiseExecutor(node: TSESTree.Node, region: TSESTree.Node): boolean {
  for (let current = node.parent; current && current !== region; current = current.parent) {
    if (isFunction(current) && isPromiseExecutor(current)) return true;
  }
  return false;
}

/** Whether a function runs after its caller moved on: a dispatcher callback, a dropped `.then`, an unawaited async callback. */
function deferredFunction(
  facts: FileFacts,
  fn: FunctionNode,
  use: TSESTree.Node,
  region: TSESTree.Node,
  session: Variable,
): SessionEscape | undefined {
  const holder = outerExpression(fn);
  const call = holder.parent;
  if (isPromiseExecutor(fn)) return undefined;
  if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === holder) {
    return fn.async && !isValueUsed(call) ? { node: use, kind: 'detached', into: 'an async function', anchor: call } : undefined;
  }
  if (
    (call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) ||
    !call.arguments.includes(holder as TSESTree.CallExpressionArgument)
  ) {
    return undefined;
  }
  if (matchDispatcher(facts.vocabulary, call)) return { node: use, kind: 'deferred', into: describeCall(call), anchor: call };
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const parts = calleeParts(call);
  const method = parts?.member;
  if ((method === 'then' || method === 'catch' || method === 'finally') && !isValueUsed(call)) {
    return { node: use, kind: 'then', into: `.${method}()`, anchor: call };
  }
  if (isScopeCall(facts.vocabulary, call)) return undefined;
  // `emitter.on('x', (e) => tx.x(e))`: the listener runs on a later event, after the scope may have closed.
  if (
    parts?.object &&
    facts.vocabulary.isListenerMethod(method) &&
    !registeredOnSession(facts, parts.object, session) &&
    !insidePromiseExecutor(call, region)
  ) {
    return { node: use, kind: 'listener', into: `${describeCall(call)}()`, anchor: call };
  }
  if (!fn.async) return undefined;
  // `forEach` drops every promise its callback returns, even under `await`.
  if (method === 'forEach' && parts?.object) {
    return { node: use, kind: 'detached', into: `${describeCall(call)}()`, anchor: call, remedy: promiseAllRemedy(call) };
  }
  if (!isValueUsed(call)) {
    const remedy = facts.vocabulary.isArrayMappingMethod(method) && parts?.object ? promiseAllRemedy(call) : undefined;
    return { node: use, kind: 'detached', into: `${describeCall(call)}()`, anchor: call, remedy };
  }
  if (facts.vocabulary.isArrayMappingMethod(method) && parts?.object) return unawaitedArray(facts, call, use);
  return undefined;
}

/** `xs.forEach(async ...)` / `xs.map(async ...)` as a statement in an async function: `await Promise.all(xs.map(async ...))`. */
function promiseAllRemedy(call: TSESTree.CallExpression): EscapeRemedy | undefined {
  const holder = outerExpression(call);
  const parent = holder.parent;
  if (parent?.type === AST_NODE_TYPES.AwaitExpression && parent.argument === holder) {
    return { kind: 'promise-all', call, awaited: true };
  }
  if (parent?.type === AST_NODE_TYPES.ExpressionStatement && inAsyncFunction(parent)) {
    return { kind: 'promise-all', call, awaited: false };
  }
  return undefined;
}

/** Whether a listener is registered on the session itself (`trx.on('query', ...)`): it lives and dies with it. */
function registeredOnSession(facts: FileFacts, receiver: TSESTree.Node, session: Variable): boolean {
  const info = facts.classify(receiver);
  if (rootSession(info).variable === session) return true;
  let base = skipWrappers(receiver);
  while (base.type === AST_NODE_TYPES.MemberExpression || base.type === AST_NODE_TYPES.CallExpression) {
    base = skipWrappers(base.type === AST_NODE_TYPES.MemberExpression ? base.object : base.callee);
  }
  return base.type === AST_NODE_TYPES.Identifier && session.references.some((r) => r.identifier === base);
}

/**
 * `xs.map(async ...)` whose promises nobody awaits: held in a variable that is never read, or
 * put as one element into `Promise.all([listA, listB])` (which awaits the arrays, not their promises).
 */
function unawaitedArray(facts: FileFacts, call: TSESTree.CallExpression, use: TSESTree.Node): SessionEscape | undefined {
  const holder = outerExpression(call);
  const combinator = combinatorOfElement(facts, holder);
  if (combinator) {
    return { node: use, kind: 'unawaited-array', into: combinator, anchor: call, remedy: { kind: 'spread', elements: [holder] } };
  }
  const parent = holder.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== holder || parent.id.type !== AST_NODE_TYPES.Identifier) {
    return undefined;
  }
  const variable = facts.sourceCode.getDeclaredVariables(parent)[0];
  if (!variable) return undefined;
  const reads = variable.references.filter((r) => r.isRead());
  if (reads.length === 0) return { node: use, kind: 'detached', into: `${describeCall(call)}()`, anchor: call };
  const elements: TSESTree.Node[] = [];
  let into: string | undefined;
  for (const read of reads) {
    const element = outerExpression(read.identifier);
    const found = combinatorOfElement(facts, element);
    if (!found) return undefined;
    into ??= found;
    elements.push(element);
  }
  return { node: use, kind: 'unawaited-array', into: into!, anchor: call, remedy: { kind: 'spread', elements } };
}

/** `Promise.all` when a node is an element (not spread) of the array literal given to a promise combinator. */
function combinatorOfElement(facts: FileFacts, node: TSESTree.Node): string | undefined {
  const array = node.parent;
  if (array?.type !== AST_NODE_TYPES.ArrayExpression || !array.elements.includes(node as TSESTree.Expression)) return undefined;
  const holder = outerExpression(array);
  const call = holder.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== holder) return undefined;
  const name = describeCall(call);
  return facts.vocabulary.isPromiseCombinator(name) ? `${name}([...])` : undefined;
}

/**
 * Uses of a transaction's own client inside its callback (`prisma.user.update` inside
 * `prisma.$transaction(async (tx) => ...)`): they run on another connection, outside the
 * transaction. Calls that pass the session along (`sequelize.query(sql, { transaction: t })`)
 * and calls that open a fresh session are fine.
 */
export function outerClientUses(facts: FileFacts, scope: ScopeCallback): OuterClientUse[] {
  const vocabulary = facts.vocabulary;
  if (!scope.param) return [];
  const parts = calleeParts(scope.call);
  if (!parts?.object) return [];
  if (vocabulary.isContextRoutedScope(parts.member) || vocabulary.isContextRoutedScope(`${parts.receiver}.${parts.member}`)) {
    return [];
  }
  let client: TSESTree.Node | undefined = skipWrappers(parts.object);
  if (parts.member === 'execute' && client.type === AST_NODE_TYPES.CallExpression) {
    const inner = calleeParts(client);
    client = inner?.object ? skipWrappers(inner.object) : undefined;
  }
  if (!client) return [];
  const body = scope.fn.body;
  const uses: TSESTree.Node[] = [];
  if (client.type === AST_NODE_TYPES.Identifier) {
    // References inside the callback that resolve outside it, to the client's binding (or to none: a global).
    const variable = ASTUtils.findVariable(facts.sourceCode.getScope(client), client) ?? null;
    // A Knex migration's `knex` is the migrator's transaction: `knex.transaction(...)` is a savepoint on its connection.
    if (variable && isTransactionalMigrationParameter(facts, variable)) return [];
    const fnScope = facts.sourceCode.scopeManager?.acquire(scope.fn);
    for (const reference of fnScope?.through ?? []) {
      if (reference.identifier.name === client.name && reference.resolved === variable && reference.isRead()) {
        uses.push(reference.identifier);
      }
    }
  } else if (
    client.type === AST_NODE_TYPES.MemberExpression &&
    client.object.type === AST_NODE_TYPES.ThisExpression &&
    scope.fn.type === AST_NODE_TYPES.ArrowFunctionExpression
  ) {
    const name = memberName(client);
    if (name !== undefined) collectThisMembers(facts, body, name, uses);
  } else {
    return [];
  }
  const text = facts.sourceCode.getText(client);
  const result: OuterClientUse[] = [];
  let firstWrite: number | undefined;
  for (const use of uses) {
    if (opensFreshSession(vocabulary, use)) continue;
    const call = queryCallOf(use);
    if (!call) continue;
    if (call.type === AST_NODE_TYPES.CallExpression && passesSession(facts, call, scope.param)) continue;
    if (isQueryFragment(facts, use)) continue;
    // A read before the transaction has written anything sees what the transaction would see (read
    // committed) and holds no lock: nothing to roll back, nothing missed (issue 13, round 15: seen in a
    // public backend, bcgov/digital_marketplace's proposal awards, 7 reads judged false).
    if (!writesOrRuns(vocabulary, use) && !inWritingCall(vocabulary, use, scope.fn)) {
      firstWrite ??= firstSessionWrite(vocabulary, scope.param);
      if (firstWrite === undefined || firstWrite > use.range[0]) continue;
    }
    result.push({ node: use, client: text });
  }
  return result;
}

/** Whether a use is part of a call that writes (a sub-query of `knex.from(...).insert(function () { ... })`), up to the callback. */
function inWritingCall(vocabulary: CompiledVocabulary, use: TSESTree.Node, callback: TSESTree.Node): boolean {
  for (let current = use.parent; current && current !== callback; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CallExpression && chainWrites(vocabulary, current)) return true;
  }
  return false;
}

/** Whether any method of the call chain a call belongs to writes or runs raw SQL: `db('t').insert(row).transacting(trx)`. */
function chainWrites(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): boolean {
  if (writesOrRuns(vocabulary, call)) return true;
  for (let node: TSESTree.Node = call; ; ) {
    const inner = skipWrappers(node);
    if (inner.type === AST_NODE_TYPES.CallExpression) node = inner.callee;
    else if (inner.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(inner);
      if (name !== undefined && (vocabulary.isDatabaseWriteMethod(name) || RAW_QUERY_METHODS.has(name))) return true;
      node = inner.object;
    } else return false;
  }
}

/** Methods that run SQL text whose kind the chain does not show: it may write. */
const RAW_QUERY_METHODS = new Set(['query', 'raw', 'execute', 'executeQuery', '$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'exec']);

/** Whether the chain a use starts writes (`knex('t').update(...)`, `prisma.user.create(...)`) or runs raw SQL. */
function writesOrRuns(vocabulary: CompiledVocabulary, use: TSESTree.Node): boolean {
  let current: TSESTree.Node = outerExpression(use);
  for (;;) {
    const parent = current.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === current) {
      const name = memberName(parent);
      if (name !== undefined && (vocabulary.isDatabaseWriteMethod(name) || RAW_QUERY_METHODS.has(name))) return true;
      current = outerExpression(parent);
    } else if ((parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === current) || parent?.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      current = outerExpression(parent);
    } else {
      return false;
    }
  }
}

/**
 * Where the transaction's own session first writes or runs raw SQL in its callback, if it does:
 * `trx('t').insert(row)`, or a chain handed it (`db('t').insert(row).transacting(trx)`).
 */
function firstSessionWrite(vocabulary: CompiledVocabulary, session: Variable): number | undefined {
  let first: number | undefined;
  for (const reference of session.references) {
    if (!reference.isRead()) continue;
    const handedTo = reference.identifier.parent;
    const writes =
      writesOrRuns(vocabulary, reference.identifier) ||
      (handedTo?.type === AST_NODE_TYPES.CallExpression && handedTo.arguments.includes(reference.identifier as TSESTree.Identifier) && chainWrites(vocabulary, handedTo));
    if (!writes) continue;
    const at = reference.identifier.range[0];
    if (first === undefined || at < first) first = at;
  }
  return first;
}

/** `this.<name>` member expressions under a node, not crossing functions that rebind `this`. */
function collectThisMembers(facts: FileFacts, root: TSESTree.Node, name: string, out: TSESTree.Node[]): void {
  const keys = facts.sourceCode.visitorKeys;
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.FunctionDeclaration) continue;
    if (
      node.type === AST_NODE_TYPES.MemberExpression &&
      node.object.type === AST_NODE_TYPES.ThisExpression &&
      memberName(node) === name
    ) {
      out.push(node);
      continue;
    }
    pushChildren(stack, node, keys);
  }
}

/** The call a use of a client runs a query through: `client.x.y(...)`, `client(...)` (Knex), `` client.$queryRaw`...` ``. */
function queryCallOf(use: TSESTree.Node): TSESTree.CallExpression | TSESTree.TaggedTemplateExpression | undefined {
  let current = outerExpression(use);
  while (current.parent?.type === AST_NODE_TYPES.MemberExpression && current.parent.object === current) {
    current = outerExpression(current.parent);
  }
  const parent = current.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === current) return parent;
  if (parent?.type === AST_NODE_TYPES.TaggedTemplateExpression && parent.tag === current) return parent;
  return undefined;
}

/** Whether a call (or the chain it starts) hands the session over: `{ transaction: t }`, `.transacting(trx)`. */
function passesSession(facts: FileFacts, call: TSESTree.CallExpression, session: Variable): boolean {
  let current: TSESTree.Node = call;
  // Follow the builder chain: `knex('x').insert(row).transacting(trx)`.
  for (;;) {
    const node = current as TSESTree.CallExpression;
    if (session.references.some((r) => node.arguments.some((a) => isWithin(r.identifier, a)))) return true;
    // `disconnect(connection)` where `connection = t.getConnection()`.
    if (node.arguments.some((a) => a.type === AST_NODE_TYPES.Identifier && initialisedFrom(facts, a, session))) return true;
    const outer = outerExpression(current);
    const member = outer.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outer) return false;
    const next = outerExpression(member).parent;
    if (next?.type !== AST_NODE_TYPES.CallExpression || next.callee !== outerExpression(member)) return false;
    current = next;
  }
}

/** Whether a variable's initialiser mentions the session (`const connection = t.getConnection()`). */
function initialisedFrom(facts: FileFacts, identifier: TSESTree.Identifier, session: Variable): boolean {
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)?.defs[0];
  const init = def?.type === 'Variable' ? def.node.init : null;
  return init !== null && init !== undefined && session.references.some((r) => isWithin(r.identifier, init));
}

/** The function node (or program) a `using` declaration's block belongs to, and the block itself. */
export function usingRegion(declarator: TSESTree.VariableDeclarator): { region: TSESTree.Node; owner: TSESTree.Node } {
  const declaration = declarator.parent;
  return { region: declaration.parent ?? declaration, owner: enclosingFunctionOrProgram(declaration) };
}

/** The function (or program) that holds an opening: the region of a session released in its `finally`. */
export function openingRegion(opening: SessionOpening): TSESTree.Node {
  return enclosingFunctionOrProgram(opening.call);
}
