/**
 * Which variable each identifier of a file reads or writes, taken from the scope manager's
 * references (built once per file, on first use), so that rules asking about many
 * identifiers do not search the scope chain for each of them.
 */
import { ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

type Variable = TSESLint.Scope.Variable;

export class ReferenceIndex {
  private byIdentifier: Map<TSESTree.Node, Variable | null> | undefined;

  constructor(readonly sourceCode: Readonly<TSESLint.SourceCode>) {}

  private index(): Map<TSESTree.Node, Variable | null> {
    if (!this.byIdentifier) {
      this.byIdentifier = new Map();
      for (const scope of this.sourceCode.scopeManager?.scopes ?? []) {
        for (const reference of scope.references) this.byIdentifier.set(reference.identifier, reference.resolved);
      }
    }
    return this.byIdentifier;
  }

  /** Whether a node is a variable reference (not a property name, key or declaration). */
  isReference(node: TSESTree.Node): boolean {
    return this.index().has(node);
  }

  /** The variable an identifier names: its reference's when it is one, else by a scope lookup (declarations). */
  variableOf(identifier: TSESTree.Identifier): Variable | undefined {
    return this.index().get(identifier) ?? ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier) ?? undefined;
  }
}
