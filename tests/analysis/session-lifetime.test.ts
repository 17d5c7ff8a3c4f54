/** The session-lifetime analysis (scopes.ts, try-catch.ts) asked directly, as the reviewer will ask it. */
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { buildFacts, type FileFacts } from '../../src/analysis/facts.js';
import { outerClientUses, scopeCallbackAt, sessionEscapes, sessionOpeningAt } from '../../src/analysis/sessions/scopes.js';
import { staleSessionUses } from '../../src/analysis/sessions/try-catch.js';
import { vocabularyFromSettings } from '../../src/model/settings.js';

/** Parses code and returns its facts plus every node of the given type, in source order. */
function analyse<T extends TSESTree.Node>(code: string, type: AST_NODE_TYPES): { facts: FileFacts; nodes: T[] } {
  let facts: FileFacts | undefined;
  const nodes: T[] = [];
  const linter = new Linter({ configType: 'flat' });
  const plugin = {
    rules: {
      capture: {
        create(context: TSESLint.RuleContext<string, unknown[]>) {
          facts = buildFacts(context.sourceCode, vocabularyFromSettings(undefined));
          return { [type]: (node: T) => nodes.push(node) };
        },
      },
    },
  };
  const messages = linter.verify(code, {
    languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
    plugins: { t: plugin as never },
    rules: { 't/capture': 'error' },
  });
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return { facts: facts!, nodes };
}

describe('sessionOpeningAt', () => {
  it('tells scoped, released-in-finally, handed-over, unscoped and leaked openings apart', () => {
    const { facts, nodes } = analyse<TSESTree.CallExpression>(
      `
async function a() { await using s = infra.getSessionContext(); }
async function b() { const r = ds.createQueryRunner(); try { await r.query('x'); } finally { await r.release(); } }
function c() { const r = ds.createQueryRunner(); return r; }
async function d() { const c = await pool.connect(); await c.query('x'); c.release(); }
async function e() { await (await pool.connect()).query('x'); }
async function f() { const t = await knex.transaction(); try { await t('a').insert({}); await t.commit(); } catch (x) { await t.rollback(); } }
`,
      AST_NODE_TYPES.CallExpression,
    );
    const openings = nodes.map((n) => sessionOpeningAt(facts, n)).filter((o) => o !== undefined);
    expect(openings.map((o) => [o.opener, o.lifetime, o.endedOutsideFinally?.loc.start.line])).toEqual([
      ['infra.getSessionContext()', 'scoped', undefined],
      ['ds.createQueryRunner()', 'released-in-finally', undefined],
      ['ds.createQueryRunner()', 'handed-over', undefined],
      ['pool.connect()', 'unscoped', 5],
      ['pool.connect()', 'leaked', undefined],
      // The commit in the try is an ending call outside `finally`; the rollback in the catch scopes it.
      ['knex.transaction()', 'released-in-finally', 7],
    ]);
  });
});

describe('scope callbacks', () => {
  it('finds escapes of the callback session and uses of the outer client', () => {
    const { facts, nodes } = analyse<TSESTree.CallExpression>(
      `
let kept;
async function run() {
  await prisma.$transaction(async (tx) => {
    kept = tx;
    setImmediate(() => tx.job.create({}));
    await prisma.job.update({});
    await Promise.all([1, 2].map(async (i) => tx.job.create({ data: { i } })));
  });
}
`,
      AST_NODE_TYPES.CallExpression,
    );
    const scope = nodes.map((n) => scopeCallbackAt(facts, n)).find((s) => s !== undefined)!;
    expect(scope.label).toBe('prisma.$transaction');
    expect(scope.param?.name).toBe('tx');
    const escapes = sessionEscapes(facts, scope.param!, scope.fn, scope.fn);
    expect(escapes.map((e) => [e.node.loc.start.line, e.kind, e.into])).toEqual([
      [5, 'stored', 'kept'],
      [6, 'deferred', 'setImmediate'],
    ]);
    expect(outerClientUses(facts, scope).map((u) => [u.node.loc.start.line, u.client])).toEqual([[7, 'prisma']]);
  });
});

describe('staleSessionUses', () => {
  it('reports writes through the try block session and allows ending, logging and fresh sessions', () => {
    const { facts, nodes } = analyse<TSESTree.TryStatement>(
      `
async function run() {
  const runner = ds.createQueryRunner();
  try {
    await runner.manager.save({});
  } catch (err) {
    await runner.rollbackTransaction();
    logger.error({ err, runner });
    await runner.manager.update(Job, 1, { status: 'failed' });
    await using fresh = infra.getSessionContext();
    await serviceProvider(fresh).markFailed();
  } finally {
    await runner.release();
  }
}
`,
      AST_NODE_TYPES.TryStatement,
    );
    const stale = staleSessionUses(facts, nodes[0]!);
    expect(stale.map((u) => [u.node.loc.start.line, u.clause, u.session, u.tryUse.loc.start.line])).toEqual([
      [9, 'catch', 'runner', 5],
    ]);
  });
});
