/** Where a report about a whole function lands: its header, from the name to the body. */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { FunctionNode } from './ast.js';

/** The location of a function's header: `async process(job: Job)`, `function runInBackground(id)`, `async (id) =>`. */
export function functionHeadLoc(fn: FunctionNode): TSESTree.SourceLocation {
  const holder = fn.parent;
  const start =
    (holder?.type === AST_NODE_TYPES.MethodDefinition ||
      holder?.type === AST_NODE_TYPES.PropertyDefinition ||
      holder?.type === AST_NODE_TYPES.Property) &&
    holder.value === fn
      ? holder.key.loc.start
      : fn.loc.start;
  return { start, end: fn.body.loc.start };
}
