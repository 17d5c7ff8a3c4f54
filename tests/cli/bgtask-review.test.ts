/** The CLI: flags, exit codes, one-line errors on stderr, and output files never left half-written. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FLAWED, makeRepo, runCli, type TestRepo } from '../review/repo.js';

const run = (args: string[], cwd: string) => runCli(args, cwd);

let repo: TestRepo | undefined;
let scratch: string | undefined;
afterEach(() => {
  repo?.cleanup();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  repo = undefined;
  scratch = undefined;
});

describe('bgtask-review CLI', () => {
  it('exits 1 on a failing error item, 0 with --fail-on never, and writes the chosen format', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    const failing = await run(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe('');
    expect(JSON.parse(failing.stdout)).toMatchObject({ version: 1, summary: { tasks: 1 } });
    const never = await run(['--base', 'main', '--format', 'github', '--fail-on', 'never', '--no-eslint-config'], repo.dir);
    expect(never.code).toBe(0);
    expect(never.stdout).toContain('::error file=c.ts,line=7,title=no-request-session-in-background::C.saveInBackground: ');
    const markdown = await run(['--root', repo.dir, '--base', 'main', '--no-eslint-config'], os.tmpdir());
    expect(markdown.stdout.startsWith('<!-- bgtask-review -->\n')).toBe(true);
  });

  it('prints the version, and a help that explains the flags and exit codes', async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-help-'));
    const version = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version;
    expect(await run(['--version'], scratch)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await run(['--help'], scratch);
    expect(help.code).toBe(0);
    for (const flag of ['--base', '--full-output', '--job-summary', '--link-base', '--show-passing', '--no-eslint-config', 'FORCE_COLOR']) expect(help.stdout).toContain(flag);
    expect(help.stdout).toMatch(/Exit codes\n {2}0 .*\n {2}1 .*not reviewed/);
    expect(await run(['--link-base', 'javascript:alert(1)'], scratch)).toEqual({ code: 2, stdout: '', stderr: 'bgtask-review: --link-base must be an http(s) URL (see --help)\n' });
  });

  it('removes a partial --output temp file and exits 130 on SIGINT', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-sig-'));
    const { spawn } = await import('node:child_process');
    const preload = path.resolve(import.meta.dirname, 'support/report-signal-handler.mjs');
    const cli = path.resolve(import.meta.dirname, '../../dist/cli/bgtask-review.js');
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, cli, '--base', 'main', '--no-eslint-config', '--output', path.join(scratch, 'r.md')], { cwd: repo.dir });
    const marker = 'test: SIGINT handler installed\n';
    let stderr = '';
    // Listen before waiting: a review that ends first must not be missed.
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Interrupt as soon as the handler is in place: the heavy modules are still loading then.
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.startsWith(marker) && !child.killed) child.kill('SIGINT');
    });
    const { code, signal } = await closed;
    expect(signal).toBeNull(); // the CLI's handler ran, not Node's default
    expect(stderr.slice(marker.length)).toBe(code === 130 ? 'bgtask-review: interrupted (SIGINT)\n' : '');
    if (code !== 130) expect(code).toBe(1); // finished before the signal arrived: a complete report
    expect(fs.readdirSync(scratch).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('defaults the base to main', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    const result = await run(['--format', 'json', '--no-eslint-config'], repo.dir);
    expect(JSON.parse(result.stdout).tasks).toHaveLength(1);
  });

  it.each([
    [['--base', 'no-such-branch'], 'bgtask-review: unknown revision: no-such-branch\n'],
    [['--base=-x'], 'bgtask-review: unknown revision: -x\n'],
    [['--format', 'xml'], 'bgtask-review: --format must be one of markdown, json, sarif, github, terminal (see --help)\n'],
    [['--fail-on', 'sometimes'], 'bgtask-review: --fail-on must be one of error, warning, never (see --help)\n'],
    [['--bogus'], "bgtask-review: Unknown option '--bogus' (see --help)\n"],
    [['--base', 'HEAD', '--settings', 'missing.json'], expect.stringMatching(/^bgtask-review: cannot read settings file missing\.json: ENOENT[^\n]*\n$/)],
  ])('exits 2 with one line on stderr for %j', async (args, message) => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    const result = await run(args, repo.dir);
    expect(result).toEqual({ code: 2, stdout: '', stderr: message });
  });

  it('exits 2 outside a git repository', async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-nogit-'));
    const result = await run(['--base', 'main'], scratch);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `bgtask-review: not a git repository: ${scratch}\n` });
  });

  it('exits 2 on an unreadable settings value and on a repository config that fails to load', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n', 'settings.json': '{ "loggers": "audit" }\n', 'eslint.config.js': 'throw new Error("boom");\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    const settings = await run(['--base', 'main', '--settings', 'settings.json'], repo.dir);
    expect(settings).toEqual({ code: 2, stdout: '', stderr: "bgtask-review: settings.json: settings['background-tasks']: loggers must be an array of strings\n" });
    const config = await run(['--base', 'main'], repo.dir);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/^bgtask-review: cannot load the repository's ESLint config: [^\n]*boom\n$/);
    // --no-eslint-config skips the repository's code entirely.
    expect((await run(['--base', 'main', '--no-eslint-config'], repo.dir)).code).toBe(1);
  });

  it('writes --output atomically and leaves no file behind on an error', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({ 'c.ts': FLAWED });
    repo.commit('flawed');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-out-'));
    const out = path.join(scratch, 'report.sarif');
    fs.writeFileSync(out, 'previous');
    const bad = await run(['--base', 'nope', '--output', out], repo.dir);
    expect(bad.code).toBe(2);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous');
    const good = await run(['--base', 'main', '--format', 'sarif', '--output', out, '--no-eslint-config'], repo.dir);
    expect(good.code).toBe(1);
    expect(good.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
    expect(fs.readdirSync(scratch)).toEqual(['report.sarif']);
    const missingDir = await run(['--base', 'main', '--output', path.join(scratch, 'no', 'dir.md'), '--no-eslint-config'], repo.dir);
    expect(missingDir).toEqual({ code: 2, stdout: '', stderr: `bgtask-review: cannot write ${path.join(scratch, 'no', 'dir.md')}: ENOENT\n` });
    expect(fs.readdirSync(scratch)).toEqual(['report.sarif']);
  });

  it('uses the repository config: its settings and its level for our rules', async () => {
    const pluginPath = path.resolve(import.meta.dirname, '../../dist/index.js');
    repo = makeRepo({
      'a.ts': 'export const a = 1;\n',
      'eslint.config.js': `import plugin from ${JSON.stringify(pluginPath)};\nexport default [{ ignores: ['generated/**'] }, plugin.configs.recommended, { settings: { 'background-tasks': { requestScopedMembers: ['uow'] } } }];\n`,
      'package.json': '{ "type": "module" }\n',
    });
    repo.write({ 'c.ts': FLAWED.replace(/session/g, 'uow'), 'generated/d.ts': FLAWED });
    repo.commit('flawed');
    const result = await run(['--base', 'main', '--format', 'json'], repo.dir);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    // generated/ is ignored by the repository's config: only c.ts is reviewed.
    expect(report.tasks.map((t: { file: string }) => t.file)).toEqual(['c.ts']);
    const flag = report.tasks[0].items.find((i: { id: string }) => i.id === 'redflag.request-session');
    expect(flag).toMatchObject({ status: 'fail', evidence: [{ file: 'c.ts', line: 7, rule: 'no-request-session-in-background' }] });
    // Without the config the custom member is unknown.
    const plain = JSON.parse((await run(['--base', 'main', '--format', 'json', '--no-eslint-config'], repo.dir)).stdout);
    expect(plain.tasks.map((t: { file: string }) => t.file)).toEqual(['c.ts', 'generated/d.ts']);
    expect(plain.tasks[0].items.find((i: { id: string }) => i.id === 'redflag.request-session').status).toBe('pass');
  });
});
