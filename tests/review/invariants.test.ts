/**
 * The report never contradicts itself, checked over every lint fixture (recommended and
 * strict, `--all`) and the demo PR: an active finding of a rule forbids `pass` and
 * `not-applicable` on the items it contradicts; a database rule's finding forbids "no database
 * access"; no distinct problem is counted twice; the summary counts what the items say.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRADICTED_BY } from '../../dist/review/evaluate.js';
import { distinctProblems } from '../../dist/review/problems.js';
import { buildReport } from '../../dist/review/run.js';
import type { Report } from '../../dist/review/report.js';
import { makeRepo, readTree, type TestRepo } from './repo.js';

const lintDir = path.resolve(import.meta.dirname, '../../fixtures/lint');
const demo = path.resolve(import.meta.dirname, '../../fixtures/review/demo');
const pluginUrl = JSON.stringify(path.resolve(import.meta.dirname, '../../dist/index.js'));
const DATABASE_RULES = ['no-request-session-in-background', 'require-session-scope', 'no-stale-session-in-catch', 'no-dispatch-in-transaction'];

const repos: TestRepo[] = [];
const reports: [string, Report][] = [];

beforeAll(async () => {
  const files = fs.readdirSync(lintDir).filter((f) => /\.(ts|tsx|js|mjs)$/.test(f));
  const fixtures = makeRepo({
    ...Object.fromEntries(files.map((f) => [`src/${f}`, fs.readFileSync(path.join(lintDir, f), 'utf8')])),
    'eslint.config.mjs': `import plugin from ${pluginUrl};\nexport default [plugin.configs.strict];\n`,
  });
  repos.push(fixtures);
  reports.push(['fixtures/lint (strict, --all)', await buildReport({ root: fixtures.dir, worktree: false, all: true, useEslintConfig: true, base: 'HEAD' })]);
  const pr = makeRepo(readTree(path.join(demo, 'base')));
  pr.write(readTree(path.join(demo, 'pr')));
  pr.commit('demo');
  repos.push(pr);
  reports.push(['demo PR', await buildReport({ root: pr.dir, base: 'main', worktree: false, all: false, useEslintConfig: false })]);
});
afterAll(() => repos.forEach((r) => r.cleanup()));

describe.each([0, 1])('report %i never contradicts itself', (index) => {
  it('has tasks and findings to check', () => {
    const [, report] = reports[index]!;
    expect(report.tasks.length).toBeGreaterThan(0);
    expect(distinctProblems(report).some((p) => p.rule)).toBe(true);
  });

  it('a finding forbids a pass on the items it contradicts', () => {
    const [name, report] = reports[index]!;
    const violations: string[] = [];
    for (const task of report.tasks) {
      const rules = new Set(task.items.flatMap((i) => (i.status === 'fail' ? i.evidence.filter((e) => e.rule && !e.suppression).map((e) => e.rule!) : [])));
      for (const rule of rules) {
        for (const id of CONTRADICTED_BY[rule] ?? []) {
          const status = task.items.find((i) => i.id === id)!.status;
          if (status === 'pass' || status === 'not-applicable') violations.push(`${name}: ${task.name}: ${rule} finding, but ${id} is ${status}`);
        }
      }
      if ([...rules].some((r) => DATABASE_RULES.includes(r))) {
        for (const item of task.items) {
          if (item.evidence.some((e) => /no database access/.test(e.message))) violations.push(`${name}: ${task.name}: ${item.id} says no database access next to a session finding`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('counts each distinct problem once and sums the items', () => {
    const [, report] = reports[index]!;
    const problems = distinctProblems(report);
    const keys = problems.map((p) => `${p.file}:${p.line}:${p.rule ?? ''}:${p.messageId ?? p.message}:${p.suppression ? 's' : ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    const failing = report.tasks.reduce((n, t) => n + t.items.filter((i) => i.status === 'fail').length, 0);
    expect(report.summary.failed).toBe(failing);
    // Every failing item's evidence is one of the distinct problems.
    for (const task of report.tasks) {
      for (const item of task.items.filter((i) => i.status === 'fail')) {
        for (const e of item.evidence) expect(problems.some((p) => p.file === e.file && p.line === e.line && p.items.includes(item.id))).toBe(true);
      }
    }
  });
});

describe('the contradictions reported by a new user', () => {
  let repo: TestRepo | undefined;
  afterAll(() => repo?.cleanup());

  it('an @OnEvent listener with no try does not pass errors.try-catch, and a floating dispatch fails async.error-callback', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({
      'listener.ts': `declare function OnEvent(name: string): MethodDecorator;
export class Listener {
  constructor(private readonly repo: { update(id: string, v: object): Promise<void> }) {}
  @OnEvent('order.paid')
  async onPaid(id: string) {
    await this.repo.update(id, { paid: true });
  }
  async handle(id: string) {
    void this.refreshInBackground(id);
  }
  async refreshInBackground(id: string) {
    await this.repo.update(id, { fresh: true });
  }
}
`,
    });
    repo.commit('listener');
    const report = await buildReport({ root: repo.dir, base: 'main', worktree: false, all: false, useEslintConfig: false });
    const status = (task: string, id: string) => report.tasks.find((t) => t.name === task)?.items.find((i) => i.id === id)?.status;
    expect(['manual', 'fail']).toContain(status('Listener.onPaid', 'errors.try-catch'));
    expect(status('Listener.refreshInBackground', 'async.error-callback')).toBe('fail');
  });

  it('an empty catch the recommended rules leave to strict still fails every error-handling item that asks about it, and passes none', async () => {
    const emptyCatch = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    try {
      emptyCatch.write({
        'cache.ts': `export class Cache {
  constructor(private readonly store: { purge(key: string): Promise<void> }) {}
  refresh(key: string) {
    setImmediate(() => this.purgeInBackground(key));
  }
  async purgeInBackground(key: string) {
    try {
      await this.store.purge(key);
    } catch {}
  }
}
`,
      });
      emptyCatch.commit('empty catch');
      const report = await buildReport({ root: emptyCatch.dir, base: 'main', worktree: false, all: false, useEslintConfig: false });
      const task = report.tasks.find((t) => t.name === 'Cache.purgeInBackground');
      expect(task).toBeDefined();
      const status = (id: string) => task!.items.find((i) => i.id === id)?.status;
      expect(task!.items.flatMap((i) => i.evidence).some((e) => e.rule === 'require-background-error-handling')).toBe(false);
      expect([status('errors.logged-with-context'), status('good.exception-propagation'), status('pre.error-handling')]).toEqual(['fail', 'fail', 'fail']);
      const evidence = task!.items.find((i) => i.id === 'errors.logged-with-context')!.evidence;
      expect(evidence.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual(['cache.ts:9 the catch swallows the error']);
    } finally {
      emptyCatch.cleanup();
    }
  });
});
