/** Promise chains at statement level: `void? base(.then|.catch|.finally(...))*`. */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { skipTypeWrappers } from '../ast.js';

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
  const outerFirst: { method: string; handles: boolean; thenOnly: boolean }[] = [];
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
    });
    node = skipTypeWrappers(callee.object);
  }
  // Handled when some handler exists and no `.then(f)` after it can reject unhandled.
  let hasRejectionHandler = false;
  for (const link of outerFirst) {
    if (link.handles) {
      hasRejectionHandler = true;
      break;
    }
    if (link.thenOnly) break;
  }
  return { voided, base: node, methods: outerFirst.map((l) => l.method).reverse(), hasRejectionHandler };
}

