/**
 * What a catch clause does with its error: logs it, rethrows it, records a status, or hands
 * it on (`reject(err)`, `Sentry.captureException(err)`). Shared by the rules that judge
 * catches, so that they agree on what a silent catch is. Cached per clause.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { pushChildren, skipWrappers } from '../ast.js';
import { logCallOf, type LogCall } from '../tasks/logging.js';
import { statusAssignmentObject, statusUpdateOfCall } from '../status/status.js';
import type { TypeFacts } from '../types.js';

export interface CatchHandling {
  /** Logger calls inside the clause. */
  readonly logs: readonly LogCall[];
  /** The clause rethrows, records a status, or passes the error on to a call. */
  readonly handled: boolean;
  /** Neither logs nor handles: the failure disappears. */
  readonly silent: boolean;
}

// Type information can recognise more loggers, so typed and untyped answers are cached apart.
const cache = new WeakMap<TSESTree.CatchClause, CatchHandling>();
const typedCache = new WeakMap<TSESTree.CatchClause, CatchHandling>();

/** How a catch clause deals with its error (one walk of the clause, cached); `types` also finds loggers by type. */
export function catchHandling(
  vocabulary: CompiledVocabulary,
  clause: TSESTree.CatchClause,
  visitorKeys: TSESLint.SourceCode['visitorKeys'],
  types?: TypeFacts,
): CatchHandling {
  const store = types ? typedCache : cache;
  const cached = store.get(clause);
  if (cached) return cached;
  const errorName = clause.param?.type === AST_NODE_TYPES.Identifier ? clause.param.name : undefined;
  const logs: LogCall[] = [];
  let handled = false;
  const stack: TSESTree.Node[] = [clause.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.ThrowStatement) handled = true;
    else if (node.type === AST_NODE_TYPES.AssignmentExpression && statusAssignmentObject(vocabulary, node) !== undefined) {
      handled = true;
    } else if (node.type === AST_NODE_TYPES.AssignmentExpression && errorName !== undefined && passesIdentifier(node.right, errorName)) {
      // `error = err` keeps the error for after the loop or `Promise.all` (rethrown there): handed on.
      handled = true;
    } else if (node.type === AST_NODE_TYPES.CallExpression) {
      const log = logCallOf(vocabulary, node) ?? (types ? logCallOf(vocabulary, node, false, types) : undefined);
      if (log) logs.push(log);
      else if (statusUpdateOfCall(vocabulary, node)) handled = true;
      else if (errorName !== undefined && node.arguments.some((a) => passesIdentifier(a, errorName))) handled = true;
    }
    pushChildren(stack, node, visitorKeys);
  }
  const result = { logs, handled, silent: !handled && logs.length === 0 };
  store.set(clause, result);
  return result;
}

/** Whether an argument carries the identifier: `err`, `err.message`, `{ err }`, `new X(err)`, `${err}`. */
export function passesIdentifier(argument: TSESTree.Node, name: string): boolean {
  const inner = skipWrappers(argument);
  if (inner.type === AST_NODE_TYPES.Identifier) return inner.name === name;
  if (inner.type === AST_NODE_TYPES.MemberExpression) return passesIdentifier(inner.object, name);
  if (inner.type === AST_NODE_TYPES.ObjectExpression) {
    return inner.properties.some((p) => p.type === AST_NODE_TYPES.Property && passesIdentifier(p.value, name));
  }
  if (inner.type === AST_NODE_TYPES.NewExpression || inner.type === AST_NODE_TYPES.CallExpression) {
    return inner.arguments.some((a) => passesIdentifier(a, name));
  }
  if (inner.type === AST_NODE_TYPES.TemplateLiteral) return inner.expressions.some((e) => passesIdentifier(e, name));
  return false;
}
