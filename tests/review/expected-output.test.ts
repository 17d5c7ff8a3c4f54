/**
 * The demo repository (fixtures/review/demo: a base commit, then a PR adding one good and two
 * flawed tasks) rendered as Markdown and JSON, compared byte for byte with the expected files
 * beside it (read by a person; regenerate with UPDATE_EXPECTED=1 and read the diff).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, render } from '../../dist/review/run.js';
import type { Report } from '../../dist/review/report.js';
import { makeRepo, readTree, type TestRepo } from './repo.js';
import { checkSarif } from './sarif-check.js';

const demo = path.resolve(import.meta.dirname, '../../fixtures/review/demo');
let repo: TestRepo;
let report: Report;

beforeAll(async () => {
  repo = makeRepo(readTree(path.join(demo, 'base')));
  repo.write(readTree(path.join(demo, 'pr')));
  repo.commit('Render and notify in the background');
  report = await buildReport({ root: repo.dir, base: 'main', worktree: false, all: false, useEslintConfig: false });
});
afterAll(() => repo.cleanup());

function compare(actual: string, expectedFile: string): void {
  const file = path.join(demo, expectedFile);
  if (process.env.UPDATE_EXPECTED) fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

describe('the demo repository', () => {
  it('renders the expected Markdown', () => compare(render(report, 'markdown'), 'expected.md'));
  it('renders the expected JSON', () => compare(render(report, 'json'), 'expected.json'));
  it('renders SARIF that fits the 2.1.0 schema', () => {
    const sarif = JSON.parse(render(report, 'sarif'));
    expect(checkSarif(sarif)).toEqual([]);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });
  it('finds the three tasks, the cross-file dispatch and the red flag', () => {
    expect(report.tasks.map((t) => [t.name, t.file, t.line, t.dispatchedFrom])).toEqual([
      ['renderInBackground', 'src/render.ts', 5, [{ file: 'src/reports.ts', line: 10 }]],
      ['ReportsController.notifyInBackground', 'src/reports.ts', 22, [{ file: 'src/reports.ts', line: 16 }]],
      ['ReportsController.purgeCache', 'src/reports.ts', 27, [{ file: 'src/reports.ts', line: 17 }]],
    ]);
    const failingErrors = (name: string) =>
      report.tasks.find((t) => t.name === name)!.items.filter((i) => i.status === 'fail' && i.severity === 'error').map((i) => i.id);
    expect(failingErrors('renderInBackground')).toEqual([]);
    expect(failingErrors('ReportsController.notifyInBackground')).toEqual(expect.arrayContaining(['session.no-request-session', 'redflag.request-session']));
  });
});
