/**
 * One analysis, one answer: for every file under fixtures/lint, the reviewer's red flags
 * (rule, file, line) equal the rules' own diagnostics through the ESLint API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { buildReport } from '../../dist/review/run.js';
import type { Report } from '../../dist/review/report.js';
import { makeRepo, type TestRepo } from './repo.js';

const dir = path.resolve(import.meta.dirname, '../../fixtures/lint');
const files = fs.readdirSync(dir).filter((f) => /\.(ts|tsx|js|mjs)$/.test(f)).sort();
const pluginUrl = JSON.stringify(path.resolve(import.meta.dirname, '../../dist/index.js'));

let repo: TestRepo;
let report: Report;

beforeAll(async () => {
  const sources = Object.fromEntries(files.map((f) => [`src/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]));
  repo = makeRepo({
    ...sources,
    // strict-* fixtures use configs.strict, like tests/fixtures/lint-fixtures.test.ts.
    'eslint.config.mjs': `import plugin from ${pluginUrl};\nexport default [plugin.configs.recommended, { ...plugin.configs.strict, files: ['**/strict-*'] }];\n`,
  });
  report = await buildReport({ root: repo.dir, worktree: false, all: true, useEslintConfig: true, base: 'HEAD' });
});
afterAll(() => repo.cleanup());

describe('reviewer and rules agree on every fixture', () => {
  it('has fixtures', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file, async () => {
      const config = (file.startsWith('strict-') ? plugin.configs.strict : plugin.configs.recommended) as Linter.Config;
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [config] });
      const [result] = await eslint.lintFiles([path.join(dir, file)]);
      const fromRules = [...result!.messages, ...result!.suppressedMessages]
        .filter((m) => m.ruleId?.startsWith('background-tasks/'))
        .map((m) => `${m.ruleId!.slice('background-tasks/'.length)} ${m.line}`);
      const fromReview = report.tasks
        .filter((t) => t.file === `src/${file}`)
        .flatMap((t) => t.items.flatMap((i) => i.evidence.filter((e) => e.rule && (i.status === 'fail' || i.status === 'suppressed'))))
        .concat(report.otherFindings)
        .filter((e) => e.file === `src/${file}`)
        .map((e) => `${e.rule} ${e.line}`);
      expect([...new Set(fromReview)].sort()).toEqual([...new Set(fromRules)].sort());
    });
  }
});
