/** readChain and catchesEverything on parsed snippets. */
import { parse, parseForESLint } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { catchesEverything, readChain } from '../../src/analysis/tasks/floating.js';
import type { FunctionNode } from '../../src/analysis/ast.js';
import { vocabularyFromSettings } from '../../src/model/settings.js';

const vocabulary = vocabularyFromSettings(undefined);
const keys = parseForESLint('').visitorKeys as TSESLint.SourceCode.VisitorKeys;

function expression(code: string): TSESTree.Expression {
  const statement = parse(code).body[0] as TSESTree.ExpressionStatement;
  return statement.expression;
}

function fn(code: string): FunctionNode {
  const node = parse(code).body[0];
  if (node?.type !== AST_NODE_TYPES.FunctionDeclaration) throw new Error('expected a function');
  return node;
}

describe('readChain', () => {
  it('reads void, the base call and the methods innermost first', () => {
    const chain = readChain(expression('void run().then(f).finally(g)'));
    expect(chain.voided).toBe(true);
    expect(chain.methods).toEqual(['then', 'finally']);
    expect(chain.hasRejectionHandler).toBe(false);
    expect(chain.base.type).toBe(AST_NODE_TYPES.CallExpression);
  });

  it('counts .catch(handler) and .then(ok, onRejected) as handlers', () => {
    expect(readChain(expression('run().catch(log)')).hasRejectionHandler).toBe(true);
    expect(readChain(expression('run().then(ok, log)')).hasRejectionHandler).toBe(true);
    expect(readChain(expression('run().then(f).catch(log).finally(g)')).hasRejectionHandler).toBe(true);
  });

  it('does not count .catch() without a handler, or a .then(f) after the handler', () => {
    expect(readChain(expression('run().catch()')).hasRejectionHandler).toBe(false);
    expect(readChain(expression('run().catch(log).then(f)')).hasRejectionHandler).toBe(false);
  });
});

describe('catchesEverything', () => {
  it("accepts the seed's template: logging, then one try/catch that does not rethrow", () => {
    expect(catchesEverything(fn("async function f() { logger.info('start'); try { await x(); } catch (e) { logger.error('x', e); } }"), vocabulary, keys)).toBe(true);
  });

  it('ignores a throw inside a nested function of the catch', () => {
    expect(catchesEverything(fn('async function f() { try { await x(); } catch (e) { setTimeout(() => { throw e; }); } }'), vocabulary, keys)).toBe(true);
  });

  it('rejects a rethrow, a throwing finally, and work outside the try', () => {
    expect(catchesEverything(fn('async function f() { try { await x(); } catch (e) { throw e; } }'), vocabulary, keys)).toBe(false);
    expect(catchesEverything(fn('async function f() { try { await x(); } catch (e) {} finally { throw new Error(); } }'), vocabulary, keys)).toBe(false);
    expect(catchesEverything(fn('async function f() { const y = await load(); try { await x(y); } catch (e) {} }'), vocabulary, keys)).toBe(false);
    expect(catchesEverything(fn('async function f() { try { await x(); } finally { done(); } }'), vocabulary, keys)).toBe(false);
  });
});
