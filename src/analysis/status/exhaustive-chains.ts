/**
 * `if (job.type === 'deploy') ... else if (job.type === 'redeploy') ...` with no final `else`:
 * when the compared value's type is a union of exactly those string literals (type-aware mode),
 * the chain's implicit `else` is never taken, so no path leaves the chain without a branch
 * (seen in Dokploy/dokploy deployments-queue.ts, where that path was the only "stuck" one).
 * Without types nothing is known about the value, and the implicit `else` stays a path.
 */
import { AST_NODE_TYPES, type ParserServicesWithTypeInformation, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as TS from 'typescript';
import { skipWrappers, stringValue } from '../ast.js';

/** Whether an `if` without `else` ends an `else if` chain that compares one value with every literal of its union type. */
export function isExhaustiveChainTail(tail: TSESTree.IfStatement, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (tail.alternate) return false;
  const services = sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) return false;
  let head: TSESTree.IfStatement = tail;
  const tests: TSESTree.Expression[] = [tail.test];
  while (head.parent.type === AST_NODE_TYPES.IfStatement && head.parent.alternate === head) {
    head = head.parent;
    tests.push(head.test);
  }
  if (tests.length < 2) return false;
  let discriminant: TSESTree.Node | undefined;
  let text: string | undefined;
  const covered = new Set<string>();
  for (const test of tests) {
    const comparison = literalComparison(test);
    if (!comparison) return false;
    const valueText = sourceCode.getText(comparison.value);
    if (text !== undefined && valueText !== text) return false;
    text = valueText;
    discriminant = comparison.value;
    covered.add(comparison.literal);
  }
  try {
    // The type where the chain starts (narrowed by the code around it, as the checker sees it).
    const type: TS.Type = services.program.getTypeChecker().getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(discriminant!));
    const members = type.isUnion() ? type.types : [type];
    return members.every((member) => member.isStringLiteral() && covered.has(member.value));
  } catch {
    return false;
  }
}

/** `x === 'a'` / `'a' === x` / `x == 'a'`: the compared value and the literal. */
function literalComparison(test: TSESTree.Expression): { value: TSESTree.Node; literal: string } | undefined {
  const inner = skipWrappers(test);
  if (inner.type !== AST_NODE_TYPES.BinaryExpression || (inner.operator !== '===' && inner.operator !== '==')) return undefined;
  const right = stringValue(inner.right);
  if (right !== undefined) return { value: inner.left, literal: right };
  const left = stringValue(inner.left);
  return left === undefined ? undefined : { value: inner.right, literal: left };
}
