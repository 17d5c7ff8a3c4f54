/**
 * A 40-task PR: the comment fits GitHub's 65,536-character limit and says what it left out,
 * the full report goes to a file, annotations are ranked and capped at GitHub's 10 per
 * severity, and links are absolute at the reviewed commit in CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, runCli, type TestRepo } from './repo.js';

const INFRA = `export interface Session { updateStatus(id: string, status: string): Promise<void>; query(sql: string, values?: unknown[]): Promise<unknown>; }\n`;

/** A file of four flawed tasks: request session, stuck in-progress status, floating promise, no logging. */
function jobs(n: number): string {
  const tasks = [0, 1, 2, 3].map((k) => `
  private async syncInBackground${n}x${k}(id: string) {
    await this.session.updateStatus(id, 'in_progress');
    await this.session.query('sync ${n} ${k}', [id]);
  }`);
  return `import type { Session } from './infra';

export class Jobs${n} {
  constructor(private readonly session: Session) {}

  async handle(id: string) {
${[0, 1, 2, 3].map((k) => `    void this.syncInBackground${n}x${k}(id);`).join('\n')}
  }
${tasks.join('\n')}
}
`;
}

let repo: TestRepo;
const files: Record<string, string> = {};
for (let n = 0; n < 10; n += 1) files[`src/jobs${n}.ts`] = jobs(n);

beforeAll(() => {
  repo = makeRepo({ 'src/infra.ts': INFRA });
  repo.write(files);
  repo.commit('forty tasks');
});
afterAll(() => repo.cleanup());

describe('a 40-task PR', () => {
  it('fits the comment in the budget, says what it left out, and writes the full report to a file', async () => {
    const full = path.join(repo.dir, 'full.md');
    const result = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'markdown', '--full-output', full], repo.dir);
    expect(result.code).toBe(1);
    const md = result.stdout;
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toMatch(/^\*\*❌ \d+ problems\*\* \(\d+ errors, \d+ warnings\) · 40 of 40 touched tasks affected$/m);
    const fullText = fs.readFileSync(full, 'utf8');
    expect((fullText.match(/^<details>$/gm) ?? []).length).toBe(40);
    if (md.length < fullText.length) expect(md).toMatch(/^> ✂️ Cut to fit a PR comment: .* not shown\. The full report is in .*full\\\.md\\\.$/m);
    // Each distinct problem once: a finding under three checklist items is one line.
    const lines = md.split('\n').filter((l) => l.startsWith('- ❌') || l.startsWith('- ⚠️'));
    expect(new Set(lines).size).toBe(lines.length);
    process.stdout.write(`[measure] 40 tasks: comment ${md.length} characters, full report ${fullText.length} characters\n`);
  });

  it('appends the full report to the GitHub job summary with --job-summary, and says so in the comment', async () => {
    const summary = path.join(repo.dir, 'step-summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const result = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'markdown', '--job-summary'], repo.dir, { GITHUB_STEP_SUMMARY: summary });
    expect(result.stderr).toBe('');
    const text = fs.readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n<!-- bgtask-review -->\n')).toBe(true);
    expect((text.match(/^<details>$/gm) ?? []).length).toBe(40);
    expect(result.stdout).toContain('The full report is in the job summary\\.');
    const without = await runCli(['--base', 'main', '--no-eslint-config', '--job-summary'], repo.dir, { GITHUB_STEP_SUMMARY: '' });
    expect(without).toEqual({ code: 2, stdout: '', stderr: 'bgtask-review: --job-summary needs $GITHUB_STEP_SUMMARY (GitHub Actions) (see --help)\n' });
  });

  it('ranks and caps GitHub annotations at 10 per severity, with one notice for the rest', async () => {
    const result = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'github'], repo.dir);
    const lines = result.stdout.trimEnd().split('\n');
    const count = (kind: string) => lines.filter((l) => l.startsWith(`::${kind} `)).length;
    expect(count('error')).toBe(10);
    expect(count('warning')).toBe(10);
    expect(lines.at(-1)).toMatch(/^::notice title=bgtask-review::\d+ more annotations not shown/);
    // Red flags first: every error shown comes from a rule.
    for (const l of lines.filter((x) => x.startsWith('::error '))) expect(l).toMatch(/title=(?:no-|require-)/);
  });

  it('links to the file at the reviewed commit from the CI environment or --link-base', async () => {
    const head = repo.git('rev-parse', 'HEAD').trim();
    const github = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'markdown'], repo.dir, {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/app',
    });
    expect(github.stdout).toContain(`](https://github.com/acme/app/blob/${head}/src/jobs0.ts#L`);
    const gitlab = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'markdown'], repo.dir, { CI_PROJECT_URL: 'https://gitlab.com/acme/app' });
    expect(gitlab.stdout).toContain(`](https://gitlab.com/acme/app/-/blob/${head}/src/jobs0.ts#L`);
    const flag = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'markdown', '--link-base', 'https://example.com/src/'], repo.dir);
    expect(flag.stdout).toContain('](https://example.com/src/src/jobs0.ts#L');
    expect(flag.stdout).not.toMatch(/\]\(src\//);
  });
});
