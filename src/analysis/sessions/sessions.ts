/**
 * What an expression is, database-wise: a request's session, a factory, a fresh or scoped
 * session, or a value derived from one. Classification follows aliases through the scope
 * manager and is memoised per file (see ./facts.ts).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledReleasedSession, CompiledVocabulary } from '../../model/settings.js';
import { logCallOf } from '../tasks/logging.js';
import type { ReferenceIndex } from '../references.js';
import {
  calleeMemberName,
  calleeParts,
  isFunction,
  memberName,
  outerExpression,
  propertyName,
  pushChildren,
  skipWrappers,
  valueNode,
  type FunctionNode,
} from '../ast.js';

/** The classes of SPEC section 2, plus `request-object` (`req` itself, which only holds a session). */
export type SessionKind =
  | 'request-member'
  | 'request-object'
  | 'request-value'
  | 'factory'
  | 'fresh'
  | 'scope-param'
  | 'derived'
  | 'none';

export interface SessionInfo {
  readonly kind: SessionKind;
  /** How messages name it: `this.em`, `req.db`, `tx`, `serviceProvider(session)`. */
  readonly name: string;
  /** The node it comes from: the member, the opening call, the scope parameter. */
  readonly origin: TSESTree.Node;
  /** For `derived`: the session it derives from (never itself derived). */
  readonly root?: SessionInfo;
  /** For `fresh` sessions that must be ended explicitly: how. */
  readonly release?: CompiledReleasedSession;
  /** The variable that holds it, when reached through an identifier. */
  readonly variable?: TSESLint.Scope.Variable;
  /** The function whose scope declares that variable (undefined: module level). */
  readonly declaredIn?: FunctionNode;
  /** Declared with `using` / `await using`. */
  readonly disposed?: boolean;
}

const NONE_ORIGIN = Symbol('none');
type Memo = SessionInfo | typeof NONE_ORIGIN;

/** Kinds that are a session (or a value bound to one), as opposed to factories and plain values. */
export function isSessionKind(kind: SessionKind): boolean {
  return (
    kind === 'request-member' ||
    kind === 'request-value' ||
    kind === 'fresh' ||
    kind === 'scope-param' ||
    kind === 'derived'
  );
}

/** The session a value comes from: itself, or the root of a derived value. */
export function rootSession(info: SessionInfo): SessionInfo {
  return info.root ?? info;
}

/** Whether a function is the callback of a session scope: `transaction(async (tx) => ...)`. */
export function scopeCallOf(vocabulary: CompiledVocabulary, fn: FunctionNode): TSESTree.CallExpression | undefined {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    return undefined;
  }
  return isScopeCall(vocabulary, call) ? call : undefined;
}

/**
 * Whether a call opens a callback scope: `x.transaction(cb)`, `prisma.$transaction(cb)`,
 * `withSession(cb)`, `RequestContext.create(em, cb)`, Kysely `db.transaction().execute(cb)`.
 */
export function isScopeCall(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): boolean {
  // Most calls take no callback: check that before building the callee's names.
  if (!call.arguments.some((a) => isFunction(a))) return false;
  // `@transaction((args, transaction) => ({ values: args[0], transaction }))` decorates a method: the
  // callback maps the method's arguments, and no scope is open where it is written (seen in a public
  // backend: nocobase packages/core/database/src/relation-repository/hasmany-repository.ts:56).
  if (call.parent?.type === AST_NODE_TYPES.Decorator) return false;
  const parts = calleeParts(call);
  if (!parts) return false;
  if (parts.member === 'execute' && parts.receiver === 'transaction()') return true;
  return fitsScopeName(vocabulary, parts.receiver, parts.member);
}

/** Scope names match as methods on any receiver (`transaction`) or qualified (`RequestContext.create`). */
function fitsScopeName(vocabulary: CompiledVocabulary, receiver: string | undefined, member: string): boolean {
  return vocabulary.isSessionScope(member) || (receiver !== undefined && vocabulary.isSessionScope(`${receiver}.${member}`));
}

/** The released-session pattern a call opens (`createQueryRunner()`, `pool.connect()`), if any. */
export function releasedSessionOpened(
  vocabulary: CompiledVocabulary,
  call: TSESTree.CallExpression,
): CompiledReleasedSession | undefined {
  const member = calleeMemberName(call);
  if (member === undefined || !vocabulary.releasedSessionOpeners.has(member)) return undefined;
  const parts = calleeParts(call);
  if (!parts) return undefined;
  for (const pattern of vocabulary.releasedSessions) {
    if (pattern.open !== parts.member) continue;
    if (pattern.receiver && !pattern.receiver(parts.receiver)) continue;
    if (pattern.withoutCallback && call.arguments.some((a) => isFunction(a))) continue;
    return pattern;
  }
  return undefined;
}

/**
 * Whether a session expression is only used to open a fresh one: `this.em.fork()`,
 * `this.dataSource.transaction(...)`, `em.transactional(...)`, `this.em.getConnection()...`.
 */
export function opensFreshSession(vocabulary: CompiledVocabulary, node: TSESTree.Node): boolean {
  let current: TSESTree.Node = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.ChainExpression || current.parent.type === AST_NODE_TYPES.TSNonNullExpression)
  ) {
    current = current.parent;
  }
  const member = current.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== current) return false;
  const call = member.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return false;
  const name = memberName(member);
  if (name === undefined) return false;
  return (
    vocabulary.isFreshSessionMethod(name) ||
    fitsScopeName(vocabulary, undefined, name) ||
    releasedSessionOpened(vocabulary, call) !== undefined
  );
}

/** Whether a method ends a session: one of its release pattern's methods, or an ending method. */
export function endsSession(vocabulary: CompiledVocabulary, release: CompiledReleasedSession | undefined, method: string): boolean {
  return (release?.release.includes(method) ?? false) || vocabulary.isEndingMethod(method);
}

/** What evidence for a database session may read: the vocabulary, variables, and this file's functions. */
export interface SessionEvidence {
  readonly vocabulary: CompiledVocabulary;
  readonly references: ReferenceIndex;
  /** The function of this file a callee names (`this.processInBackground`), if any. */
  readonly resolveFunction?: (callee: TSESTree.Node) => FunctionNode | undefined;
}

/**
 * Whether the value of an opener is a database session. Openers whose name says nothing about
 * a database (`getSession`, `createSession`: vocabulary `ambiguousSessionOpeners`) are one only
 * with evidence: opened on a factory (`this.db.openSession()`, `infra.getSession()`), or used as
 * one (see `usedAsDatabaseSession`); in auth and HTTP code a "session" is a login or a cookie.
 */
export function isDatabaseSessionByEvidence(
  evidence: SessionEvidence,
  call: TSESTree.CallExpression,
  receiver: string | undefined,
  release: CompiledReleasedSession | undefined,
): boolean {
  const vocabulary = evidence.vocabulary;
  if (!vocabulary.isAmbiguousSessionOpener(calleeMemberName(call))) return true;
  const receiverName = receiver?.replace(/\(\)$/, '');
  if (receiverName !== undefined && vocabulary.isFactoryName(receiverName.slice(receiverName.lastIndexOf('.') + 1))) return true;
  const value = valueNode(call);
  const holder = value.parent;
  // `(await infra.openSession()).query(...)`
  if (holder?.type === AST_NODE_TYPES.MemberExpression && holder.object === value) {
    return databaseUseOf(evidence, value, release, 0);
  }
  let variable: TSESLint.Scope.Variable | undefined;
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value && holder.id.type === AST_NODE_TYPES.Identifier) {
    variable = evidence.references.variableOf(holder.id);
  } else if (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.right === value && holder.left.type === AST_NODE_TYPES.Identifier) {
    variable = evidence.references.variableOf(holder.left);
  }
  return variable !== undefined && usedAsDatabaseSession(evidence, variable, release);
}

/** How many helpers deep `usedAsDatabaseSession` follows a value handed to a function of this file. */
const EVIDENCE_DEPTH = 2;

/**
 * Whether a variable is used as a database session: a method only a database session has
 * (`databaseSessionMethods`: `query`, `startTransaction`, `getRepository`), one of its ending
 * methods, a `save(entity)` (express-session's and iron-session's `save` take a callback or
 * nothing), a service provider built on it (`new ReportService(session)`), a query's
 * `{ session }` option (MongoDB), a declared type that is a session type (`session: EntityManager`),
 * or a function of this file that uses the parameter it is handed that way.
 * Reading fields (`session.webSocketClientId`, `session.user.id`) is what a record is used for.
 */
export function usedAsDatabaseSession(
  evidence: SessionEvidence,
  variable: TSESLint.Scope.Variable,
  release?: CompiledReleasedSession,
  depth = 0,
): boolean {
  const declared = variable.defs[0]?.name;
  if (declared?.type === AST_NODE_TYPES.Identifier && annotatedAsSession(evidence.vocabulary, declared)) return true;
  return variable.references.some(
    (reference) => reference.isRead() && databaseUseOf(evidence, valueNode(reference.identifier), release, depth),
  );
}

/** Whether one read of a value uses it as a database session (see `usedAsDatabaseSession`). */
function databaseUseOf(
  evidence: SessionEvidence,
  chain: TSESTree.Node,
  release: CompiledReleasedSession | undefined,
  depth: number,
): boolean {
  const vocabulary = evidence.vocabulary;
  const parent = chain.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === chain) {
    const callee = outerExpression(parent);
    const call = callee.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== callee) return false;
    const method = memberName(parent);
    if (method === undefined) return false;
    if (vocabulary.isDatabaseSessionMethod(method) || endsSession(vocabulary, release, method)) return true;
    const first = call.arguments[0];
    return vocabulary.isSaveMethod(method) && first !== undefined && !isFunction(first) && first.type !== AST_NODE_TYPES.SpreadElement;
  }
  // `collection.insertOne(doc, { session })`: a driver's option goes to a method of a collection,
  // model or client; `setSessionCookie(ctx, { session, user })` hands a login to a function (issue 13).
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === chain && !parent.computed) {
    // `this.logger.debug('created', { session })` logs a value; it hands no driver a session (seen in a
    // public backend: standardnotes/server AuthResponseFactory20200115.ts:52).
    return propertyName(parent.key, false) === 'session' && isDriverOptions(vocabulary, parent.parent);
  }
  if ((parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.callee !== chain) {
    // `serviceProvider(session)`, `new ReportService(session)`
    const callee = skipWrappers(parent.callee);
    const name =
      callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
    if (vocabulary.isServiceProvider(name)) return true;
    // `this.processInBackground(session, id)` where that method runs `s.flush()`.
    if (depth >= EVIDENCE_DEPTH || parent.type !== AST_NODE_TYPES.CallExpression || !evidence.resolveFunction) return false;
    const target = evidence.resolveFunction(parent.callee);
    const param = target?.params[parent.arguments.indexOf(chain as TSESTree.CallExpressionArgument)];
    if (param?.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = evidence.references.variableOf(param);
    return variable !== undefined && usedAsDatabaseSession(evidence, variable, release, depth + 1);
  }
  return false;
}

/**
 * Whether an object literal is the options of a database driver's method: a method call that is not
 * a log call (`logger.debug('created', { session })`, seen in standardnotes/server), whose method is
 * a database one (`ioMethods`, `databaseWriteMethods`, `databaseSessionMethods`: `updateOne(q, u, { session })`)
 * or whose receiver is (`ioReceivers`: `ordersCollection`, `UserModel`, `db`). An application's own
 * handler taking `{ session }` (wildduck's `messageHandler.del({ messageData, session })`, an IMAP
 * session) is no driver.
 */
function isDriverOptions(vocabulary: CompiledVocabulary, object: TSESTree.Node): boolean {
  if (!isMethodArgument(object)) return false;
  const call = outerExpression(object).parent as TSESTree.CallExpression;
  if (logCallOf(vocabulary, call) !== undefined) return false;
  const parts = calleeParts(call);
  if (!parts) return false;
  if (vocabulary.isIoMethod(parts.member) || vocabulary.isDatabaseWriteMethod(parts.member) || vocabulary.isDatabaseSessionMethod(parts.member)) return true;
  return parts.receiver !== undefined && parts.receiver.split('.').some((name) => vocabulary.isIoReceiver(name.replace(/\(.*$/, '')));
}

/** Whether an object literal is an argument of a method call (`model.find(filter, null, { session })`). */
function isMethodArgument(object: TSESTree.Node): boolean {
  const value = outerExpression(object);
  const call = value.parent;
  return (
    object.type === AST_NODE_TYPES.ObjectExpression &&
    call?.type === AST_NODE_TYPES.CallExpression &&
    call.arguments.includes(value as TSESTree.CallExpressionArgument) &&
    skipWrappers(call.callee).type === AST_NODE_TYPES.MemberExpression
  );
}

/** `session: EntityManager`, `tx: Knex.Transaction`: a declared type whose name is one of `sessionTypes`. */
function annotatedAsSession(
  vocabulary: CompiledVocabulary,
  identifier: TSESTree.Identifier,
  annotation: TSESTree.TSTypeAnnotation | undefined = identifier.typeAnnotation,
): boolean {
  const type = annotation?.typeAnnotation;
  if (type?.type !== AST_NODE_TYPES.TSTypeReference) return false;
  const name = type.typeName.type === AST_NODE_TYPES.TSQualifiedName ? type.typeName.right.name : type.typeName.type === AST_NODE_TYPES.Identifier ? type.typeName.name : undefined;
  return vocabulary.isSessionTypeName(name);
}

/** Classifies expressions of one file; results are memoised by node. */
/** How deep one classification may recurse (a few hundred frames; aliases are unrolled first). */
const MAX_DEPTH = 400;

export class SessionClassifier {
  private readonly memo = new Map<TSESTree.Node, Memo>();
  private readonly inProgress = new Set<TSESTree.Node>();

  private readonly evidence: SessionEvidence;

  constructor(
    private readonly references: ReferenceIndex,
    private readonly vocabulary: CompiledVocabulary,
    /** Whether a function is background code (its parameters are then not request values). */
    private readonly isBackgroundFunction: (fn: FunctionNode) => boolean,
    /** The function of this file a callee names, for evidence that a value is a database session. */
    resolveFunction?: (callee: TSESTree.Node) => FunctionNode | undefined,
  ) {
    this.evidence = { vocabulary, references, resolveFunction };
  }

  /** What an expression is; `kind: 'none'` when it is nothing database-related. */
  classify(expression: TSESTree.Node): SessionInfo {
    const node = skipWrappers(expression);
    const memo = this.memo.get(node);
    if (memo !== undefined) return memo === NONE_ORIGIN ? none(node) : memo;
    if (this.inProgress.has(node)) return none(node);
    // A generated file can chain thousands of aliases (`const a1 = a0; ...`): classify the
    // chain from its far end first, so that the recursion below meets memoised links.
    if (this.depth === 0 && !this.unrolling) {
      this.unrolling = true;
      try {
        for (const link of this.aliasChain(node)) this.classify(link);
      } finally {
        this.unrolling = false;
      }
    }
    // Past the bound the value is treated as unknown rather than overflowing the stack.
    if (this.depth >= MAX_DEPTH) return none(node);
    this.inProgress.add(node);
    this.depth += 1;
    let info: SessionInfo;
    try {
      info = this.compute(node);
    } finally {
      this.depth -= 1;
      this.inProgress.delete(node);
    }
    this.memo.set(node, info.kind === 'none' ? NONE_ORIGIN : info);
    return info;
  }

  private depth = 0;
  private unrolling = false;
  private readonly memberEvidence = new Map<TSESTree.Node, Map<string, boolean>>();
  private readonly parameterEvidence = new Map<TSESLint.Scope.Variable, boolean>();

  /** `usedAsDatabaseSession` for a parameter, once per variable (each of its references is classified). */
  private blockchainFile: boolean | undefined;

  /** Whether the file imports a blockchain client (vocabulary `blockchainModules`), where `tx` is a chain transaction. */
  private inBlockchainFile(node: TSESTree.Node): boolean {
    if (this.blockchainFile === undefined) {
      let program: TSESTree.Node = node;
      while (program.parent) program = program.parent;
      this.blockchainFile = program.type === AST_NODE_TYPES.Program && program.body.some((statement) => this.importsBlockchainModule(statement));
    }
    return this.blockchainFile;
  }

  private importsBlockchainModule(statement: TSESTree.ProgramStatement): boolean {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) return this.vocabulary.isBlockchainModule(statement.source.value);
    // `const Web3 = require('web3')`
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
    return statement.declarations.some((declarator) => {
      const init = declarator.init;
      return (
        init?.type === AST_NODE_TYPES.CallExpression &&
        init.callee.type === AST_NODE_TYPES.Identifier &&
        init.callee.name === 'require' &&
        init.arguments[0]?.type === AST_NODE_TYPES.Literal &&
        typeof init.arguments[0].value === 'string' &&
        this.vocabulary.isBlockchainModule(init.arguments[0].value)
      );
    });
  }

  private parameterUsedAsDatabaseSession(variable: TSESLint.Scope.Variable): boolean {
    let answer = this.parameterEvidence.get(variable);
    if (answer === undefined) {
      answer = usedAsDatabaseSession(this.evidence, variable);
      this.parameterEvidence.set(variable, answer);
    }
    return answer;
  }

  /**
   * Whether the class around a node uses `this.<name>` as a database session anywhere (see
   * `usedAsDatabaseSession`), declares it with a session type, or assigns it a session. Outside
   * a class nothing can be read, and the name decides as before.
   */
  private memberUsedAsDatabaseSession(node: TSESTree.Node, name: string): boolean {
    // Whose `this` it is: the class around it, or else the outermost plain function it is in
    // (`export async function Close(this: WebSocket) { ... this.session ... }`, seen in a public
    // backend: spacebarchat/server src/gateway/events/Close.ts, where it is a presence row).
    let body: TSESTree.Node | undefined;
    let plainFunction: TSESTree.Node | undefined;
    for (let current = node.parent; current && !body; current = current.parent) {
      if (current.type === AST_NODE_TYPES.ClassBody) body = current;
      else if (current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.FunctionExpression) plainFunction = current;
    }
    body ??= plainFunction;
    if (!body) return true;
    let byName = this.memberEvidence.get(body);
    if (!byName) {
      byName = new Map();
      this.memberEvidence.set(body, byName);
    }
    const known = byName.get(name);
    if (known !== undefined) return known;
    // Cycles (`this.session = this.session ?? ...`) read as no evidence while the answer is computed.
    byName.set(name, false);
    const answer = this.classUsesMemberAsSession(body, name);
    byName.set(name, answer);
    return answer;
  }

  /**
   * `this.req` / `this.request` hold a request object, whose fields stay readable after the
   * request ended: a use is one of its session only when it reads a session member through it
   * (`this.req.em`, `this.request.db`) or ends in a database call (`this.req.user.save()`). Not a
   * field read (`this.request.type`: petio's media request record, api/requests/process.js:187) nor
   * the object handed on whole (`new ConfirmCallSession({ req: this.req })`: a SIP INVITE in
   * jambonz-feature-server lib/utils/place-outdial.js:422). Issue 13, round 14.
   */
  private usesRequestsSession(node: TSESTree.Node): boolean {
    let top = node;
    let last: string | undefined;
    while (top.parent?.type === AST_NODE_TYPES.MemberExpression && top.parent.object === top) {
      last = memberName(top.parent);
      if (last !== undefined && this.vocabulary.isRequestSessionMember(last)) return true;
      top = top.parent;
    }
    const call = top.parent;
    return (
      top !== node &&
      call?.type === AST_NODE_TYPES.CallExpression &&
      call.callee === top &&
      (this.vocabulary.isDatabaseSessionMethod(last) || this.vocabulary.isSaveMethod(last) || this.vocabulary.isDatabaseWriteMethod(last))
    );
  }

  private classUsesMemberAsSession(body: TSESTree.Node, name: string): boolean {
    // `#context = new Collection<Snowflake, Entry>()`: a field the class fills with a map, a list or a
    // literal holds no database session, whatever its methods are called (`this.#context.delete(id)`).
    // Issue 13, round 13: seen in a public backend, skyra's LoggerTypeManager.ts:43.
    if (body.type === AST_NODE_TYPES.ClassBody && body.body.some((m) => m.type === AST_NODE_TYPES.PropertyDefinition && !m.computed && propertyName(m.key, false) === name && m.value !== null && holdsPlainContainer(m.value))) {
      return false;
    }
    const keys = this.references.sourceCode.visitorKeys;
    const stack: TSESTree.Node[] = [body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      // A nested class has its own `this`.
      if (node !== body && node.type === AST_NODE_TYPES.ClassBody) continue;
      if (node.type === AST_NODE_TYPES.PropertyDefinition && !node.computed && propertyName(node.key, false) === name) {
        if (node.key.type === AST_NODE_TYPES.Identifier && annotatedAsSession(this.vocabulary, node.key, node.typeAnnotation)) return true;
      }
      // `constructor(private readonly session: EntityManager)`
      if (node.type === AST_NODE_TYPES.TSParameterProperty && node.parameter.type === AST_NODE_TYPES.Identifier && node.parameter.name === name) {
        if (annotatedAsSession(this.vocabulary, node.parameter)) return true;
      }
      if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.ThisExpression && memberName(node) === name) {
        if (this.memberUseIsSession(node)) return true;
        continue;
      }
      // `const { session } = this`
      if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init?.type === AST_NODE_TYPES.ThisExpression && node.id.type === AST_NODE_TYPES.ObjectPattern) {
        for (const property of node.id.properties) {
          if (property.type !== AST_NODE_TYPES.Property || propertyName(property.key, property.computed) !== name) continue;
          const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
          const variable = value.type === AST_NODE_TYPES.Identifier ? this.references.variableOf(value) : undefined;
          if (variable && usedAsDatabaseSession(this.evidence, variable)) return true;
        }
      }
      pushChildren(stack, node, keys);
    }
    return false;
  }

  /** One `this.<name>` read: used as a database session, aliased to a variable that is, or assigned a session. */
  private memberUseIsSession(member: TSESTree.MemberExpression): boolean {
    const chain = valueNode(member);
    if (databaseUseOf(this.evidence, chain, undefined, 0)) return true;
    const parent = chain.parent;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === chain && parent.id.type === AST_NODE_TYPES.Identifier) {
      const variable = this.references.variableOf(parent.id);
      return variable !== undefined && usedAsDatabaseSession(this.evidence, variable);
    }
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === chain) {
      return isSessionKind(this.classify(parent.right).kind);
    }
    return false;
  }

  /** The initialisers an identifier aliases, farthest first (`a0`, ..., `a2999` for `a3000`). */
  private aliasChain(start: TSESTree.Node): TSESTree.Node[] {
    const chain: TSESTree.Node[] = [];
    const seen = new Set<TSESTree.Node>();
    let node = start;
    while (node.type === AST_NODE_TYPES.Identifier && !seen.has(node)) {
      seen.add(node);
      const def = this.references.variableOf(node)?.defs[0];
      if (def?.type !== 'Variable' || def.node.id.type !== AST_NODE_TYPES.Identifier || !def.node.init) break;
      node = skipWrappers(def.node.init);
      if (this.memo.has(node) || seen.has(node)) break;
      chain.push(node);
    }
    return chain.reverse();
  }

  private compute(node: TSESTree.Node): SessionInfo {
    switch (node.type) {
      case AST_NODE_TYPES.Identifier:
        return this.identifier(node);
      case AST_NODE_TYPES.MemberExpression:
        return this.member(node, this.classifyObject(node.object), memberName(node));
      case AST_NODE_TYPES.CallExpression:
        return this.call(node);
      case AST_NODE_TYPES.NewExpression:
        return this.construct(node);
      case AST_NODE_TYPES.LogicalExpression: {
        const left = this.classify(node.left);
        return left.kind !== 'none' ? left : this.classify(node.right);
      }
      case AST_NODE_TYPES.ConditionalExpression: {
        const consequent = this.classify(node.consequent);
        return consequent.kind !== 'none' ? consequent : this.classify(node.alternate);
      }
      default:
        return none(node);
    }
  }

  private classifyObject(object: TSESTree.Node): SessionInfo | 'this' {
    const inner = skipWrappers(object);
    return inner.type === AST_NODE_TYPES.ThisExpression ? 'this' : this.classify(inner);
  }

  /** `this.em`, `req.db`, `tx.user`, `runner.manager`. */
  private member(node: TSESTree.Node, object: SessionInfo | 'this', name: string | undefined): SessionInfo {
    if (name === undefined) return none(node);
    if (object === 'this') {
      if (this.vocabulary.isRequestScopedMember(name)) {
        // `this.request(...)`: a method of the class (an HTTP client's helper), not a member holding a session
        // (seen in a public backend: inbox-zero apps/web/utils/recall/client.ts:146).
        if (this.evidence.resolveFunction?.(node) !== undefined) return none(node);
        if (this.vocabulary.isRequestObjectName(name) && !this.usesRequestsSession(node)) return none(node);
        // `this.session` of a websocket handler or an OAuth flow is a record: a session only with evidence.
        if (this.vocabulary.isAmbiguousSessionName(name) && !this.memberUsedAsDatabaseSession(node, name)) return none(node);
        return { kind: 'request-member', name: `this.${name}`, origin: node };
      }
      if (this.vocabulary.isFactoryName(name)) return { kind: 'factory', name: `this.${name}`, origin: node };
      return none(node);
    }
    if (object.kind === 'request-object') {
      return this.vocabulary.isRequestSessionMember(name)
        ? { kind: 'request-value', name: `${object.name}.${name}`, origin: node }
        : none(node);
    }
    if (isSessionKind(object.kind)) {
      return { kind: 'derived', name: `${object.name}.${name}`, origin: node, root: rootSession(object) };
    }
    return none(node);
  }

  private call(node: TSESTree.CallExpression): SessionInfo {
    const parts = calleeParts(node);
    if (!parts) return none(node);
    // Built only for the few calls that are sessions: most classified calls are nothing.
    const label = (): string => (parts.receiver ? `${parts.receiver}.${parts.member}()` : `${parts.member}()`);
    if (parts.object && this.vocabulary.isFreshSessionMethod(parts.member)) {
      return { kind: 'fresh', name: label(), origin: node };
    }
    const release = releasedSessionOpened(this.vocabulary, node);
    if (release) {
      // `auth.getSession()`, `stripe.checkout.sessions.create()`: a login or a record unless used as a database session.
      if (!isDatabaseSessionByEvidence(this.evidence, node, parts.receiver, release)) return none(node);
      return { kind: 'fresh', name: label(), origin: node, release };
    }
    if (this.vocabulary.isDisposableScope(parts.member)) return { kind: 'fresh', name: label(), origin: node };
    if (this.vocabulary.isInfrastructureFactory(parts.member)) return { kind: 'factory', name: label(), origin: node };
    if (parts.object && this.vocabulary.isDerivingMethod(parts.member)) {
      const object = this.classifyObject(parts.object);
      if (object !== 'this' && isSessionKind(object.kind)) {
        return { kind: 'derived', name: `${object.name}.${parts.member}()`, origin: node, root: rootSession(object) };
      }
    }
    if (this.vocabulary.isServiceProvider(parts.member)) return this.derivedFromArguments(node, `${parts.member}()`);
    return none(node);
  }

  private construct(node: TSESTree.NewExpression): SessionInfo {
    const callee = skipWrappers(node.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
    return this.vocabulary.isServiceProvider(name) ? this.derivedFromArguments(node, `new ${name}()`) : none(node);
  }

  /** `serviceProvider(session)`, `new UserService(tx)`: bound to the first session argument. */
  private derivedFromArguments(node: TSESTree.CallExpression | TSESTree.NewExpression, label: string): SessionInfo {
    for (const argument of node.arguments) {
      const info = this.classify(argument);
      if (isSessionKind(info.kind)) return { kind: 'derived', name: label, origin: node, root: rootSession(info) };
    }
    return none(node);
  }

  private identifier(node: TSESTree.Identifier): SessionInfo {
    const variable = this.references.variableOf(node);
    const def = variable?.defs[0];
    if (!variable || !def) {
      return this.vocabulary.isFactoryName(node.name) ? { kind: 'factory', name: node.name, origin: node } : none(node);
    }
    const declaredIn = declaringFunction(def.name);
    const bound = (info: SessionInfo, extra: Partial<SessionInfo> = {}): SessionInfo =>
      info.kind === 'none' ? none(node) : { ...info, variable, declaredIn, ...extra };
    switch (def.type) {
      case 'Variable': {
        const declarator = def.node;
        const disposed = declarator.parent.kind === 'using' || declarator.parent.kind === 'await using';
        if (!declarator.init) {
          // `let client; ... client = await pool.connect()`: what it is assigned.
          for (const reference of variable.references) {
            if (!reference.isWrite() || !reference.writeExpr) continue;
            const assigned = this.classify(reference.writeExpr);
            if (assigned.kind !== 'none') return bound(assigned);
          }
          return none(node);
        }
        if (declarator.id.type === AST_NODE_TYPES.Identifier) {
          return bound(this.classify(declarator.init), disposed ? { disposed } : {});
        }
        // `const { em } = this`, `const { db } = req`
        const key = destructuredKey(declarator.id, def.name);
        if (key === undefined) return none(node);
        return bound(this.member(def.name, this.classifyObject(declarator.init), key));
      }
      case 'Parameter': {
        const fn = def.node;
        if (!isFunction(fn)) return none(node);
        if (def.name.parent === fn && fn.params[0] === def.name && scopeCallOf(this.vocabulary, fn)) {
          return bound({ kind: 'scope-param', name: node.name, origin: def.name });
        }
        if (def.name.parent !== fn || this.isBackgroundFunction(fn)) {
          return this.vocabulary.isFactoryName(node.name) ? bound({ kind: 'factory', name: node.name, origin: def.name }) : none(node);
        }
        if (this.vocabulary.isRequestObjectName(node.name)) {
          return bound({ kind: 'request-object', name: node.name, origin: def.name });
        }
        if (this.vocabulary.isSessionParameterName(node.name)) {
          if (declaredPrimitive(def.name)) return none(node);
          // `session: OAuthSession` read for its fields is a record, not a database session (issue 13).
          if ((this.vocabulary.isAmbiguousSessionName(node.name) || this.inBlockchainFile(node)) && !this.parameterUsedAsDatabaseSession(variable)) {
            return none(node);
          }
          return bound({ kind: 'request-value', name: node.name, origin: def.name });
        }
        return this.vocabulary.isFactoryName(node.name) ? bound({ kind: 'factory', name: node.name, origin: def.name }) : none(node);
      }
      case 'ImportBinding':
        return this.vocabulary.isFactoryName(node.name) ? bound({ kind: 'factory', name: node.name, origin: def.name }) : none(node);
      default:
        return none(node);
    }
  }
}

/**
 * `tx: string`, `trx: number | null`: a name declared with a primitive type holds an id, never a
 * session (issue 13, round 21: seen in a public backend, ArweaveTeam/gateway's
 * `storeTransaction(tx: string, ...)`, an Arweave transaction id).
 */
function declaredPrimitive(name: TSESTree.Node): boolean {
  const annotation = name.type === AST_NODE_TYPES.Identifier ? name.typeAnnotation?.typeAnnotation : undefined;
  return annotation !== undefined && isPrimitiveType(annotation);
}

function isPrimitiveType(type: TSESTree.TypeNode): boolean {
  switch (type.type) {
    case AST_NODE_TYPES.TSStringKeyword:
    case AST_NODE_TYPES.TSNumberKeyword:
    case AST_NODE_TYPES.TSBooleanKeyword:
    case AST_NODE_TYPES.TSBigIntKeyword:
    case AST_NODE_TYPES.TSLiteralType:
    case AST_NODE_TYPES.TSTemplateLiteralType:
      return true;
    case AST_NODE_TYPES.TSUnionType:
      // `string | null`: the null or undefined beside it adds no session.
      return type.types.some((member) => member.type !== AST_NODE_TYPES.TSNullKeyword && member.type !== AST_NODE_TYPES.TSUndefinedKeyword) &&
        type.types.every((member) => member.type === AST_NODE_TYPES.TSNullKeyword || member.type === AST_NODE_TYPES.TSUndefinedKeyword || isPrimitiveType(member));
    default:
      return false;
  }
}

function none(origin: TSESTree.Node): SessionInfo {
  return { kind: 'none', name: '', origin };
}

/** The function whose body declares a binding (undefined at module level). */
function declaringFunction(name: TSESTree.Node): FunctionNode | undefined {
  for (let current = name.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}

/** In `const { em, db: x } = ...`, the property key that binds this identifier. */
function destructuredKey(pattern: TSESTree.Node, binding: TSESTree.Node): string | undefined {
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (value === binding) return propertyName(property.key, property.computed);
  }
  return undefined;
}

/** Built-in containers a class field may be created with; none of them is a database session. */
const PLAIN_CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object', 'Collection', 'LRUCache']);

/** A literal, an object or array literal, or `new Map()` and its kin (discord.js's `Collection` is a Map). */
function holdsPlainContainer(value: TSESTree.Node): boolean {
  const inner = skipWrappers(value);
  if (inner.type === AST_NODE_TYPES.Literal || inner.type === AST_NODE_TYPES.ObjectExpression || inner.type === AST_NODE_TYPES.ArrayExpression) return true;
  return inner.type === AST_NODE_TYPES.NewExpression && inner.callee.type === AST_NODE_TYPES.Identifier && PLAIN_CONTAINERS.has(inner.callee.name);
}
