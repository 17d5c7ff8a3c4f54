#!/usr/bin/env node
// The demo: builds a small repository from fixtures/review/demo (a base commit, then a PR commit
// that adds one good and two flawed background tasks), runs bgtask-review on it and prints the Markdown.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildReport, render } = await import(path.join(root, 'dist', 'review', 'run.js'));

const fixture = path.join(root, 'fixtures', 'review', 'demo');
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-demo-'));
const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

try {
  git('init', '--quiet', '--initial-branch=main');
  fs.cpSync(path.join(fixture, 'base'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  git('checkout', '--quiet', '-b', 'feature');
  fs.cpSync(path.join(fixture, 'pr'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '--quiet', '-m', 'Render and notify in the background');
  const report = await buildReport({ root: repo, base: 'main', worktree: false, all: false, useEslintConfig: false });
  console.log(render(report, 'markdown'));
} finally {
  fs.rmSync(repo, { recursive: true, force: true });
}
