/** Type-aware facts never throw: a failing checker makes every question fall back to "unknown". */
import { parse } from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { getTypeFacts } from '../../src/analysis/types.js';
import { vocabularyFromSettings } from '../../src/model/settings.js';

const vocabulary = vocabularyFromSettings(undefined);

/** A rule context whose program's checker throws on every call, as a crashed checker would. */
function contextWithThrowingChecker(): Readonly<TSESLint.RuleContext<string, readonly unknown[]>> {
  const crash = (): never => {
    throw new Error('checker crashed');
  };
  const checker = new Proxy({}, { get: () => crash });
  const sourceCode = {
    parserServices: {
      program: { getTypeChecker: () => checker },
      esTreeNodeToTSNodeMap: { get: () => ({ kind: 0 }) },
      tsNodeToESTreeNodeMap: { get: () => undefined },
    },
  };
  return { sourceCode } as unknown as Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
}

describe('getTypeFacts', () => {
  it('returns undefined without a program (syntactic mode)', () => {
    const context = { sourceCode: { parserServices: {} } } as unknown as Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
    expect(getTypeFacts(context, vocabulary)).toBeUndefined();
  });

  it('answers "unknown" instead of throwing when the checker throws', () => {
    const types = getTypeFacts(contextWithThrowingChecker(), vocabulary);
    expect(types).toBeDefined();
    const statement = parse('runner.query(sql);').body[0] as TSESTree.ExpressionStatement;
    const call = statement.expression as TSESTree.CallExpression;
    expect(types!.isPromise(call)).toBe(false);
    expect(types!.isPromiseReturningFunction(call.callee)).toBe(false);
    expect(types!.calleeCatchesEverything(call)).toBeUndefined();
    expect(types!.functionCatchesEverything(call.callee)).toBeUndefined();
    expect(types!.sessionTypeName(call)).toBeUndefined();
    expect(types!.externalClientTypeName(call)).toBeUndefined();
    expect(types!.loggerTypeName(call)).toBeUndefined();
    expect(types!.stringLiteralValue(call)).toBeUndefined();
    expect(types!.releasableSession(call)).toBeUndefined();
    expect(types!.lacksMethods(call, ['release'])).toBe(false);
  });
});
