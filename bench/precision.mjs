#!/usr/bin/env node
/**
 * `npm run precision -- <dir> [<dir> ...] [--out file] [--no-tasks] [--js] [--config all|recommended|strict]` (`--js`: JavaScript files too): runs configs.all over real code
 * and writes every diagnostic with a code frame to a review file (default bench/precision-review.md,
 * gitignored: it quotes other people's code), one entry per diagnostic with repository, commit,
 * path, line, rule, message, frame and a verdict slot to fill in. It also lists every background
 * task the analysis finds, with its reasons, so that the detection itself can be judged.
 * The repository and commit of a folder come from its .git, else from `.origin.json`
 * (`{ "repo": "owner/name", "commit": "..." }`) at its top.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { BENCH_DIR, ROOT, listSourceFiles, loadPlugin } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const out = path.resolve(option('--out') ?? path.join(BENCH_DIR, 'precision-review.md'));
const configName = option('--config') ?? 'all';
const withTasks = !args.includes('--no-tasks');
const withJs = args.includes('--js');
const dirs = args.filter((a) => a !== '--no-tasks' && a !== '--js');
if (dirs.length === 0) {
  process.stderr.write('precision: give one or more folders of real code: npm run precision -- /path/to/repo\n');
  process.exit(2);
}
for (const dir of dirs) {
  if (!fs.existsSync(dir)) {
    process.stderr.write(`precision: folder not found: ${dir}\n`);
    process.exit(2);
  }
}

/** Repository name and commit of a corpus folder. */
function origin(dir) {
  const originFile = path.join(dir, '.origin.json');
  if (fs.existsSync(originFile)) return JSON.parse(fs.readFileSync(originFile, 'utf8'));
  try {
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { repo: path.basename(path.resolve(dir)), commit };
  } catch {
    return { repo: path.basename(path.resolve(dir)), commit: 'unknown' };
  }
}

/** Lines around `line` (1-based) with a marker and a caret under the column. */
function codeFrame(lines, line, column, context = 3) {
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, line + context);
  const width = String(to).length;
  const frame = [];
  for (let n = from; n <= to; n += 1) {
    frame.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]}`);
    if (n === line) frame.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return frame.join('\n');
}

const plugin = await loadPlugin();
const { getFileFacts } = await import(path.join(ROOT, 'dist', 'analysis', 'facts.js'));
const all = plugin.configs[configName];
if (!all) {
  process.stderr.write(`precision: no config named ${configName}\n`);
  process.exit(2);
}
/** A probe rule that records the background tasks the shared facts find in each file. */
let tasksOfFile;
const probe = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const facts = getFileFacts(context);
    tasksOfFile = facts.tasks.map((task) => ({
      line: task.fn.loc.start.line,
      label: task.label,
      reasons: task.reasons.map((r) => `${r.kind}: ${r.detail}`),
    }));
    return {};
  },
};
const config = [
  {
    ...all,
    files: [withJs ? '**/*.{ts,tsx,mts,cts,js,mjs,cjs}' : '**/*.{ts,tsx,mts,cts}'],
    plugins: { ...all.plugins, 'precision-probe': { rules: { tasks: probe } } },
    rules: { ...all.rules, ...(withTasks ? { 'precision-probe/tasks': 'error' } : {}) },
  },
];

const entries = [];
const tasks = [];
const perRepo = [];
for (const dir of dirs) {
  const { repo, commit } = origin(dir);
  // As \`npx eslint .\` run in the repository's root: the rules that read the project (its rejection
  // handlers, its test and script folders) see it from there.
  const linter = new Linter({ cwd: path.resolve(dir) });
  const files = listSourceFiles([dir], { includeJs: withJs });
  let count = 0;
  let taskCount = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const relative = path.relative(dir, file);
    tasksOfFile = [];
    const messages = linter.verify(text, config, { filename: file });
    const lines = text.split('\n');
    for (const m of messages) {
      // Only ours: disable comments naming rules this config lacks report "Definition for rule ... was not found".
      if (!m.ruleId?.startsWith(`${plugin.meta.namespace}/`) || m.fatal) continue;
      count += 1;
      entries.push({ repo, commit, path: relative, line: m.line, column: m.column, rule: m.ruleId, message: m.message, frame: codeFrame(lines, m.line, m.column) });
    }
    for (const task of tasksOfFile) tasks.push({ repo, commit, path: relative, ...task });
    taskCount += tasksOfFile.length;
  }
  perRepo.push({ repo, commit, files: files.length, diagnostics: count, tasks: taskCount });
}

const parts = [
  `# Precision review

Generated by \`npm run precision\` with configs.${configName} (${Object.keys(all.rules).length} rules). Fill each verdict slot with
true or false and a reason; tally in bench/precision.md.

| repository | commit | files | diagnostics | background tasks found |
| --- | --- | --- | --- | --- |
${perRepo.map((r) => `| ${r.repo} | ${r.commit} | ${r.files} | ${r.diagnostics} | ${r.tasks} |`).join('\n')}

## Diagnostics
`,
];
entries.forEach((e, i) => {
  parts.push(`### ${i + 1}. ${e.rule}: ${e.repo} ${e.path}:${e.line}

- repository: ${e.repo} @ ${e.commit}
- location: ${e.path}:${e.line}:${e.column}
- message: ${e.message}

\`\`\`text
${e.frame}
\`\`\`

Verdict: _(true | false)_ -
`);
});
if (withTasks) {
  parts.push(`## Background tasks found

Is each really background work (runs outside its caller's await chain)? Verdict: true | false.

| # | repository | location | task | reasons | verdict |
| --- | --- | --- | --- | --- | --- |
${tasks.map((t, i) => `| ${i + 1} | ${t.repo} | ${t.path}:${t.line} | ${t.label.replace(/\|/g, '\\|')} | ${t.reasons.join('; ').replace(/\|/g, '\\|')} | |`).join('\n')}
`);
}
fs.writeFileSync(out, parts.join('\n'));
// The same diagnostics as data, for scripts that tally verdicts or compare two runs.
fs.writeFileSync(out.replace(/\.md$/, '') + '.json', `${JSON.stringify({ repos: perRepo, diagnostics: entries, tasks }, null, 1)}\n`);
for (const r of perRepo) process.stdout.write(`precision: ${r.repo}@${r.commit.slice(0, 10)}: ${r.files} files, ${r.diagnostics} diagnostics, ${r.tasks} background tasks\n`);
process.stdout.write(`precision: wrote ${entries.length} diagnostics and ${tasks.length} tasks to ${path.relative(process.cwd(), out)}\n`);
