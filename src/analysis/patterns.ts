/**
 * The good patterns of one background task (the checklist's "Good patterns" and async items):
 * fresh infrastructure, scoped sessions, service providers, logging, catch clauses, status
 * updates and timeouts. One walk over the task's function; used by the reviewer, never to
 * report a red flag (those are the rules').
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { nameMatcher } from '../model/names.js';
import { calleeParts, propertyName, pushChildren, type FunctionNode } from './ast.js';
import type { FileFacts } from './facts.js';
import { isScopeCall, isSessionKind, releasedSessionOpened } from './sessions/sessions.js';

/** A place in the file, with what was seen there. */
export interface PatternSite {
  readonly line: number;
  readonly what: string;
}

/** One catch clause of the task. */
export interface CatchFacts {
  readonly line: number;
  /** Logs with the caught error as an argument. */
  readonly logsError: boolean;
  readonly logs: boolean;
  readonly rethrows: boolean;
  readonly updatesStatus: boolean;
  /** Opens a fresh session (scope, infrastructure factory, fork) inside the catch. */
  readonly opensFreshSession: boolean;
}

export interface TaskPatterns {
  readonly infrastructure: readonly PatternSite[];
  /** Scoped or fresh sessions: scope callbacks, `using`, released sessions, `fork()`. */
  readonly scopes: readonly PatternSite[];
  readonly serviceProviders: readonly PatternSite[];
  /** Service providers called with a fresh or scoped session. */
  readonly freshServiceProviders: readonly PatternSite[];
  readonly logs: readonly PatternSite[];
  readonly catches: readonly CatchFacts[];
  readonly statusUpdates: readonly PatternSite[];
  readonly timeouts: readonly PatternSite[];
  /** Touches a database at all (a session, a factory, a scope). */
  readonly usesDatabase: boolean;
  /** Has an `await` in its own body. */
  readonly awaits: boolean;
}

const cache = new WeakMap<FunctionNode, TaskPatterns>();

/** The patterns of a task's function, cached per function node. */
export function taskPatterns(facts: FileFacts, fn: FunctionNode): TaskPatterns {
  let patterns = cache.get(fn);
  if (!patterns) {
    patterns = collect(facts, fn);
    cache.set(fn, patterns);
  }
  return patterns;
}

interface MutableCatch {
  line: number;
  param: string | undefined;
  logsError: boolean;
  logs: boolean;
  rethrows: boolean;
  updatesStatus: boolean;
  opensFreshSession: boolean;
  node: TSESTree.CatchClause;
}

function collect(facts: FileFacts, fn: FunctionNode): TaskPatterns {
  const vocabulary = facts.vocabulary;
  const isTimeoutHelper = nameMatcher(vocabulary.source.timeoutHelpers);
  const infrastructure: PatternSite[] = [];
  const scopes: PatternSite[] = [];
  const serviceProviders: PatternSite[] = [];
  const freshServiceProviders: PatternSite[] = [];
  const logs: PatternSite[] = [];
  const statusUpdates: PatternSite[] = [];
  const timeouts: PatternSite[] = [];
  const catches: MutableCatch[] = [];
  let usesDatabase = false;
  let awaits = false;

  const openCatches = (node: TSESTree.Node): MutableCatch[] =>
    catches.filter((c) => node.range[0] >= c.node.body.range[0] && node.range[1] <= c.node.body.range[1]);
  const keys = facts.sourceCode.visitorKeys;
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const line = node.loc.start.line;
    switch (node.type) {
      case AST_NODE_TYPES.AwaitExpression:
        awaits = true;
        break;
      case AST_NODE_TYPES.CatchClause:
        catches.push({
          line,
          param: node.param?.type === AST_NODE_TYPES.Identifier ? node.param.name : undefined,
          logsError: false,
          logs: false,
          rethrows: false,
          updatesStatus: false,
          opensFreshSession: false,
          node,
        });
        break;
      case AST_NODE_TYPES.ThrowStatement:
        for (const c of openCatches(node)) c.rethrows = true;
        break;
      case AST_NODE_TYPES.VariableDeclaration:
        if (node.kind === 'using' || node.kind === 'await using') {
          scopes.push({ line, what: `${node.kind} ${declaredName(node)}` });
          usesDatabase = true;
        }
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        if (node.left.type === AST_NODE_TYPES.MemberExpression && vocabulary.isStatusField(propertyName(node.left.property, node.left.computed))) {
          statusUpdates.push({ line, what: 'status assignment' });
          for (const c of openCatches(node)) c.updatesStatus = true;
        }
        break;
      case AST_NODE_TYPES.Property:
        if (vocabulary.isStatusField(propertyName(node.key, node.computed)) && node.parent.type === AST_NODE_TYPES.ObjectExpression) {
          statusUpdates.push({ line, what: 'status field' });
          for (const c of openCatches(node)) c.updatesStatus = true;
        }
        if (propertyName(node.key, node.computed) === 'signal' || propertyName(node.key, node.computed) === 'timeout') {
          timeouts.push({ line, what: `${propertyName(node.key, node.computed)} option` });
        }
        break;
      case AST_NODE_TYPES.CallExpression:
        visitCall(node);
        break;
      default:
        break;
    }
    pushChildren(stack, node, keys);
  }

  function visitCall(call: TSESTree.CallExpression): void {
    const parts = calleeParts(call);
    if (!parts) return;
    const line = call.loc.start.line;
    const name = parts.receiver ? `${parts.receiver}.${parts.member}` : parts.member;
    const inCatches = openCatches(call);
    let fresh = false;
    if (vocabulary.isInfrastructureFactory(parts.member) && parts.receiver === undefined) {
      infrastructure.push({ line, what: `${parts.member}()` });
      fresh = true;
    }
    if (isScopeCall(vocabulary, call) || vocabulary.isDisposableScope(parts.member)) {
      scopes.push({ line, what: `${name}(...)` });
      fresh = true;
    } else if (releasedSessionOpened(vocabulary, call) || vocabulary.isFreshSessionMethod(parts.member)) {
      scopes.push({ line, what: `${name}()` });
      fresh = true;
    }
    if (fresh) {
      usesDatabase = true;
      for (const c of inCatches) c.opensFreshSession = true;
    }
    if (vocabulary.isServiceProvider(parts.member) && call.arguments.length > 0) {
      serviceProviders.push({ line, what: `${parts.member}(...)` });
      usesDatabase = true;
      const argument = call.arguments[0]!;
      const info = facts.classify(argument);
      if (info.kind === 'fresh' || info.kind === 'scope-param' || (info.kind === 'derived' && info.root?.kind !== 'request-member')) {
        freshServiceProviders.push({ line, what: `${parts.member}(${info.name})` });
      }
    }
    if (vocabulary.isStatusMethod(parts.member)) {
      statusUpdates.push({ line, what: `${parts.member}(...)` });
      for (const c of inCatches) c.updatesStatus = true;
    }
    if (parts.receiver !== undefined && vocabulary.isLogger(parts.receiver) && vocabulary.isLogMethod(parts.member)) {
      logs.push({ line, what: `${name}(...)` });
      for (const c of inCatches) {
        c.logs = true;
        if (c.param && call.arguments.some((a) => mentions(a, c.param!))) c.logsError = true;
      }
    }
    if (isTimeoutHelper(name) || isTimeoutHelper(parts.member) || name === 'Promise.race') {
      timeouts.push({ line, what: `${name}(...)` });
    }
    if (!usesDatabase && parts.object) {
      const kind = facts.classify(parts.object).kind;
      if (kind === 'factory' || isSessionKind(kind)) usesDatabase = true;
    }
  }

  return {
    infrastructure,
    scopes,
    serviceProviders,
    freshServiceProviders,
    logs,
    catches: catches.map(({ line, logsError, logs: logged, rethrows, updatesStatus, opensFreshSession }) => ({
      line,
      logsError,
      logs: logged,
      rethrows,
      updatesStatus,
      opensFreshSession,
    })),
    statusUpdates,
    timeouts,
    usesDatabase,
    awaits,
  };
}

function declaredName(node: TSESTree.VariableDeclaration): string {
  const id = node.declarations[0]?.id;
  return id?.type === AST_NODE_TYPES.Identifier ? id.name : '...';
}

/** Whether an expression mentions an identifier (`error`, `error.message`, `{ err: error }`, `` `${error}` ``). */
function mentions(node: TSESTree.Node, name: string): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return node.name === name;
    case AST_NODE_TYPES.MemberExpression:
      return mentions(node.object, name);
    case AST_NODE_TYPES.TemplateLiteral:
      return node.expressions.some((e) => mentions(e, name));
    case AST_NODE_TYPES.ObjectExpression:
      return node.properties.some((p) => p.type === AST_NODE_TYPES.Property && mentions(p.value, name));
    case AST_NODE_TYPES.CallExpression:
      return node.arguments.some((a) => mentions(a, name)) || mentions(node.callee, name);
    case AST_NODE_TYPES.BinaryExpression:
      return mentions(node.left, name) || mentions(node.right, name);
    default:
      return false;
  }
}
