#!/usr/bin/env node
// The demo, in one screenful: a small repository from fixtures/review/demo (a base commit, then a
// PR that adds one good and two flawed background tasks); the flawed code; what ESLint says about
// it in the editor; and what bgtask-review says on the PR. The PR comment (Markdown) goes to a file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (...parts) => import(path.join(root, 'dist', ...parts));
const { buildReport, render } = await dist('review', 'run.js');
const { distinctProblems } = await dist('review', 'problems.js');
const { default: plugin } = await dist('index.js');

const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code, text) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = (text) => paint(1, text);
const dim = (text) => paint(2, text);
const red = (text) => paint(31, text);
const yellow = (text) => paint(33, text);
const width = Math.min(process.stdout.columns || 100, 110);
const fit = (text, room) => (text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text);
/** A rule message's first sentence: enough for one terminal line. */
const firstSentence = (message) => message.split(/(?<=[.:])\s/)[0].replace(/[.:]$/, '');

const fixture = path.join(root, 'fixtures', 'review', 'demo');
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-demo-'));
const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const out = path.join(os.tmpdir(), 'bgtask-review-demo-comment.md');

try {
  git('init', '--quiet', '--initial-branch=main');
  fs.cpSync(path.join(fixture, 'base'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  git('checkout', '--quiet', '-b', 'feature');
  fs.cpSync(path.join(fixture, 'pr'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '--quiet', '-m', 'Render and notify in the background');

  // 1. The code the PR adds (the two flawed tasks).
  const file = 'src/reports.ts';
  const source = fs.readFileSync(path.join(repo, file), 'utf8');
  const lines = source.split('\n');
  console.log(bold(`1. The pull request adds background work to ${file}:`));
  const show = (from, to) => {
    for (let n = from; n <= to; n += 1) console.log(`${dim(String(n).padStart(4))}  ${lines[n - 1]}`);
  };
  show(14, 17);
  console.log(dim('   …'));
  show(21, 35);

  // 2. What ESLint says in the editor (configs.recommended).
  const linter = new Linter({ cwd: repo });
  const messages = linter.verify(source, [plugin.configs.recommended], { filename: path.join(repo, file) });
  console.log(`\n${bold(`2. ESLint in the editor (configs.recommended): ${messages.length} problems`)}`);
  for (const m of messages) {
    const where = `${m.line}:${m.column}`.padEnd(6);
    const rule = m.ruleId.replace('background-tasks/', '');
    console.log(`  ${dim(where)} ${m.severity === 2 ? red('error') : yellow('warn ')}  ${fit(firstSentence(m.message), width - rule.length - 18)}  ${dim(rule)}`);
  }

  // 3. What bgtask-review says on the PR: the summary, one line per distinct problem.
  const report = await buildReport({ root: repo, base: 'main', worktree: false, all: false, useEslintConfig: false });
  const problems = distinctProblems(report).filter((p) => !p.suppression);
  const errors = problems.filter((p) => p.severity === 'error').length;
  console.log(`\n${bold(`3. bgtask-review on the PR: ${report.tasks.length} tasks touched, ${problems.length} problems (${errors} errors, ${problems.length - errors} warnings)`)}`);
  for (const task of report.tasks) {
    const own = problems.filter((p) => p.tasks.includes(task.name));
    const icon = own.some((p) => p.severity === 'error') ? red('✗') : own.length > 0 ? yellow('!') : '✓';
    console.log(`  ${icon} ${bold(task.name)} ${dim(`${task.file}:${task.line}`)}  ${own.length} problem${own.length === 1 ? '' : 's'}`);
    for (const p of own) {
      const text = `${p.file === task.file ? '' : `${p.file}:`}${p.line}  ${firstSentence(p.message)}`;
      console.log(`      ${p.severity === 'error' ? red('error') : yellow('warn ')}  ${fit(text, width - 14)}`);
    }
  }
  const markdown = render(report, 'markdown');
  fs.writeFileSync(out, markdown);
  console.log(`\nThe PR comment (Markdown, ${markdown.length.toLocaleString('en-US')} characters) is in ${out}`);
  console.log(dim('Exit code for CI: 1 (failing error items); try: npx bgtask-review --base main --format terminal'));
} finally {
  fs.rmSync(repo, { recursive: true, force: true });
}
