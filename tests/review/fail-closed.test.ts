/**
 * A CI gate fails closed: each configuration below used to report nothing and exit 0. Every
 * case runs the built CLI on a real git repository and asserts what was not reviewed is said
 * and never green.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FLAWED, makeRepo, runCli, type TestRepo } from './repo.js';

let repo: TestRepo | undefined;
let remote: string | undefined;
afterEach(() => {
  repo?.cleanup();
  if (remote) fs.rmSync(remote, { recursive: true, force: true });
  repo = undefined;
  remote = undefined;
});

const CLEAN = 'export const a = 1;\n';
const json = (stdout: string) => JSON.parse(stdout) as {
  tasks: { name: string; file: string; items: { id: string; status: string }[] }[];
  problems: { file: string; message: string }[];
  notReviewed: { file: string; reason: string; blocking: boolean }[];
  notes: string[];
};
const redFlag = (report: ReturnType<typeof json>, file: string) =>
  report.tasks.find((t) => t.file === file)?.items.find((i) => i.id === 'redflag.request-session')?.status;

describe('bgtask-review fails closed', () => {
  it('reviews .ts files that the repository config does not cover, with the defaults, and says so', async () => {
    repo = makeRepo({ 'a.ts': CLEAN, 'eslint.config.js': 'export default [{ files: ["**/*.js"], rules: {} }];\n', 'package.json': '{ "type": "module" }\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    const result = await runCli(['--base', 'main', '--format', 'json'], repo.dir);
    expect(result.code).toBe(1);
    const report = json(result.stdout);
    expect(redFlag(report, 'c.ts')).toBe('fail');
    expect(report.notes).toEqual(["1 file is not covered by the repository's ESLint config; reviewed with configs.recommended and the default settings"]);
  });

  it('lists files the config ignores on purpose without failing on them', async () => {
    repo = makeRepo({ 'a.ts': CLEAN, 'eslint.config.js': 'export default [{ ignores: ["generated/**"] }, { files: ["**/*.ts"] }];\n', 'package.json': '{ "type": "module" }\n' });
    repo.write({ 'generated/c.ts': FLAWED });
    repo.commit('generated');
    const result = await runCli(['--base', 'main', '--format', 'json'], repo.dir);
    expect(result.code).toBe(0);
    expect(json(result.stdout).notReviewed).toEqual([{ file: 'generated/c.ts', reason: "ignored by the repository's ESLint config", blocking: false }]);
  });

  it('does not compare a branch with its own remote copy when --base is left out', async () => {
    remote = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-remote-'));
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    repo = makeRepo({ 'a.ts': CLEAN });
    repo.git('remote', 'add', 'origin', remote);
    repo.git('push', '--quiet', 'origin', 'main');
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    repo.git('push', '--quiet', '-u', 'origin', 'feature');
    const result = await runCli(['--format', 'json', '--no-eslint-config'], repo.dir);
    expect(result.code).toBe(1);
    expect(redFlag(json(result.stdout), 'c.ts')).toBe('fail');
    // On main itself, the default base is main: nothing to compare is an error, not a pass.
    repo.git('checkout', '--quiet', 'main');
    expect(await runCli(['--no-eslint-config'], repo.dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bgtask-review: no --base given, and no upstream, main or master other than the current branch main to default to\n',
    });
  });

  it('exits 2 when the repository config calls process.exit(0), and keeps its prints out of the JSON', async () => {
    repo = makeRepo({ 'a.ts': CLEAN, 'eslint.config.js': 'process.exit(0);\n', 'package.json': '{ "type": "module" }\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    const exiting = await runCli(['--base', 'main', '--format', 'json'], repo.dir);
    expect(exiting.code).toBe(2);
    expect(exiting.stdout).toBe('');
    expect(exiting.stderr).toMatch(/^bgtask-review: cannot load the repository's ESLint config: the repository's ESLint config called process\.exit\(0\)[^\n]*\n$/);
    repo.write({ 'eslint.config.js': 'console.log("loading config"); process.stdout.write("more\\n");\nexport default [{ files: ["**/*.ts"] }];\n' });
    repo.commit('noisy config');
    const noisy = await runCli(['--base', 'main', '--format', 'json'], repo.dir);
    expect(noisy.code).toBe(1);
    expect(redFlag(json(noisy.stdout), 'c.ts')).toBe('fail');
    expect(noisy.stderr).toBe('loading config\nmore\n');
  });

  it('fails on a file that does not parse, at any --fail-on but never', async () => {
    repo = makeRepo({ 'a.ts': CLEAN });
    repo.write({ 'broken.ts': 'export function (\n' });
    repo.commit('broken');
    for (const failOn of ['error', 'warning']) {
      const result = await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config', '--fail-on', failOn], repo.dir);
      expect(result.code).toBe(1);
      expect(json(result.stdout).problems).toEqual([{ file: 'broken.ts', line: 1, message: expect.stringMatching(/expected/i) }]);
    }
    expect((await runCli(['--base', 'main', '--no-eslint-config', '--fail-on', 'never'], repo.dir)).code).toBe(0);
  });

  it('lists .vue and .svelte files as not reviewed and fails on them', async () => {
    repo = makeRepo({ 'a.ts': CLEAN });
    repo.write({ 'App.vue': '<script setup lang="ts">\nvoid 0;\n</script>\n', 'B.svelte': '<script>let a = 1;</script>\n', 'README.md': '# docs\n' });
    repo.commit('components');
    const result = await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir);
    expect(result.code).toBe(1);
    expect(json(result.stdout).notReviewed).toEqual([
      { file: 'App.vue', reason: '.vue files are not supported', blocking: true },
      { file: 'B.svelte', reason: '.svelte files are not supported', blocking: true },
    ]);
    const markdown = await runCli(['--base', 'main', '--no-eslint-config'], repo.dir);
    expect(markdown.stdout).toContain('App.vue');
  });

  it('ignores an untracked eslint-suppressions.json when reviewing commits', async () => {
    repo = makeRepo({ 'a.ts': CLEAN });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    repo.write({ 'eslint-suppressions.json': JSON.stringify({ 'c.ts': { 'background-tasks/no-request-session-in-background': { count: 1 } } }) });
    expect((await runCli(['--base', 'main', '--no-eslint-config'], repo.dir)).code).toBe(1);
    // The committed file is honoured.
    repo.commit('suppress');
    const committed = await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir);
    expect(redFlag(json(committed.stdout), 'c.ts')).toBe('suppressed');
  });

  it('survives a 3,000-long alias chain and still reviews the other files', async () => {
    repo = makeRepo({ 'a.ts': CLEAN });
    const lines = ['export function start(session: { query(q: number): Promise<void> }) {', '  const a0 = async () => { await session.query(1); };'];
    for (let i = 1; i <= 3000; i += 1) lines.push(`  const a${i} = a${i - 1};`);
    lines.push('  setImmediate(a3000);', '}', '');
    repo.write({ 'chain.ts': lines.join('\n'), 'c.ts': FLAWED });
    repo.commit('chain');
    const result = await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = json(result.stdout);
    expect(report.problems).toEqual([]);
    expect(redFlag(report, 'c.ts')).toBe('fail');
  });

  it('does not analyse a file over the size cap, says so, and reviews the rest', async () => {
    repo = makeRepo({ 'a.ts': CLEAN });
    repo.write({ 'big.ts': `export const data = [${'1,'.repeat(600_000)}];\n`, 'c.ts': FLAWED });
    repo.commit('big');
    const result = await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config', '--fail-on', 'never'], repo.dir);
    const report = json(result.stdout);
    expect(report.notReviewed).toEqual([{ file: 'big.ts', reason: expect.stringMatching(/^larger than 1,000,000 characters/), blocking: true }]);
    expect(redFlag(report, 'c.ts')).toBe('fail');
  });
});

describe('bgtask-review counts lines as ESLint does', () => {
  it('finds a flawed task in a file with CR-only line endings', async () => {
    repo = makeRepo({ 'a.ts': CLEAN, 'c.ts': FLAWED.replace(/\n/g, '\r').replace("'x'", "'w'") });
    repo.write({ 'c.ts': FLAWED.replace(/\n/g, '\r') });
    repo.commit('cr');
    const report = json((await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir)).stdout);
    expect(redFlag(report, 'c.ts')).toBe('fail');
  });

  it('finds a flawed task below a header of U+2028 characters, where only the task changed', async () => {
    const header = `// generated header${'\u2028'.repeat(20)}\n`;
    repo = makeRepo({ 'a.ts': CLEAN, 'c.ts': header + FLAWED.replace("'x'", "'w'") });
    repo.write({ 'c.ts': header + FLAWED });
    repo.commit('u2028');
    const report = json((await runCli(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir)).stdout);
    expect(report.tasks.map((t) => t.name)).toEqual(['C.saveInBackground']);
    expect(redFlag(report, 'c.ts')).toBe('fail');
  });
});
