/** Small real git repositories in a temp dir, with fixed dates so that commit ids are stable. */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface TestRepo {
  readonly dir: string;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
  remove(...files: string[]): void;
  commit(message: string): void;
  cleanup(): void;
}

/** A repository with one commit on `main` holding `files`, checked out on branch `feature`. */
export function makeRepo(files: Record<string, string>): TestRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-test-'));
  const repo: TestRepo = {
    dir,
    git: (...args) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: ENV, encoding: 'utf8' }),
    write(more) {
      for (const [name, text] of Object.entries(more)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
    },
    remove: (...names) => names.forEach((name) => fs.rmSync(path.join(dir, name))),
    commit(message) {
      repo.git('add', '-A');
      repo.git('commit', '--quiet', '--allow-empty', '-m', message);
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  repo.git('init', '--quiet', '--initial-branch=main');
  repo.write(files);
  repo.commit('base');
  repo.git('checkout', '--quiet', '-b', 'feature');
  return repo;
}

/** Copies a fixture directory's files into a map of relative path -> text. */
export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

const CLI = path.resolve(import.meta.dirname, '../../dist/cli/bgtask-review.js');

/** Runs the built bgtask-review CLI; never rejects, so exit codes can be asserted. */
export function runCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', GITLAB_CI: '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** A class whose background method uses the request's session: one red flag at line 7. */
export const FLAWED = `export class C {\n  constructor(private readonly session: { query(q: string): Promise<void> }) {}\n  async handle() {\n    void this.saveInBackground();\n  }\n  private async saveInBackground() {\n    await this.session.query('x');\n  }\n}\n`;
