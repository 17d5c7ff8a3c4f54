/**
 * Part (c) of the benchmark: `bgtask-review` on PRs of 1, 10 and 100 changed files in
 * temporary git repositories of different sizes (it must scale with the change, not the repository).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus } from './corpus.mjs';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, fmt, markdownTable, ROOT, takeOption } from './lib.mjs';

const CLI = path.resolve(process.env.BENCH_REVIEW_CLI ?? path.join(ROOT, 'dist', 'cli', 'bgtask-review.js'));
const PROBE = path.join(BENCH_DIR, 'rss-probe.mjs');
const GIT_IDENTITY = ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false'];

/** Why the review part cannot run yet, or undefined when the command is built. */
export function reviewUnavailable() {
  if (!fs.existsSync(CLI)) return `bgtask-review not built yet (${path.relative(ROOT, CLI)} is missing)`;
  const probe = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status === 2 && /not implemented yet/.test(probe.stderr)) return 'bgtask-review not built yet (the CLI is still the stub)';
  return undefined;
}

function git(cwd, ...args) {
  execFileSync('git', [...GIT_IDENTITY, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A repository of `files` synthetic files with one commit on `main`. */
function makeRepo(parent, files, seed) {
  const repo = path.join(parent, `repo-${files}`);
  generateCorpus({ seed, files, out: path.join(repo, 'src') });
  git(parent, 'init', '-q', '-b', 'main', repo);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  return repo;
}

/** A branch `change-<n>` that adds a background task to n files. */
function makeChange(repo, changed) {
  const branch = `change-${changed}`;
  git(repo, 'checkout', '-q', '-b', branch, 'main');
  const files = execFileSync('git', ['ls-files', 'src'], { cwd: repo, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts'));
  for (let i = 0; i < changed && i < files.length; i += 1) {
    const file = path.join(repo, files[Math.floor((i * files.length) / changed)]);
    fs.appendFileSync(
      file,
      `
export function refreshInBackground${i}(req: { db: { query(sql: string): Promise<unknown> } }): void {
  setImmediate(async () => {
    await req.db.query('update caches set stale = true');
  });
}
`,
    );
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', `change ${changed} files`);
  git(repo, 'checkout', '-q', 'main');
  return branch;
}

/** Times one review run in a child process; returns { ms, maxRssKb, status }. */
function timeReview(repo, branch) {
  const rssFile = path.join(repo, '..', `rss-${path.basename(repo)}-${branch}.txt`);
  const output = path.join(repo, '..', `review-${path.basename(repo)}-${branch}.json`);
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', PROBE, CLI, '--base', 'main', '--head', branch, '--format', 'json', '--fail-on', 'never', '--output', output, '--root', repo],
    { cwd: repo, encoding: 'utf8', env: { ...process.env, BENCH_RSS_FILE: rssFile }, timeout: 600_000 },
  );
  const ms = performance.now() - start;
  const maxRssKb = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
  return { ms, maxRssKb, status: result.status, stderr: (result.stderr ?? '').trim().split('\n')[0] };
}

/** Runs part (c); returns rows { repoFiles, changed, ms, maxRssKb, status } or { skipped }. */
export function benchReview({ repoSizes = [100, 1000], changes = [1, 10, 100], seed = 7 } = {}) {
  const unavailable = reviewUnavailable();
  if (unavailable) return { skipped: unavailable };
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-bench-'));
  const rows = [];
  try {
    for (const size of repoSizes) {
      const repo = makeRepo(parent, size, seed);
      for (const changed of changes) {
        if (changed > size) continue;
        const branch = makeChange(repo, changed);
        rows.push({ repoFiles: size, changed, ...timeReview(repo, branch) });
      }
    }
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
  return { rows };
}

// --- the review against ESLint on a real repository -----------------------------------------

const ESLINT_BIN = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const USAGE_PROBE = path.join(BENCH_DIR, 'usage-probe.mjs');

/** Runs a Node script under the usage probe; returns { cpuMs, selfCpuMs, maxRssKb, wallMs, status, stderr }. */
function measured(args, cwd, scratch) {
  const usageFile = path.join(scratch, 'usage.json');
  fs.rmSync(usageFile, { force: true });
  const clkTck = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', USAGE_PROBE, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, BENCH_USAGE_FILE: usageFile, BENCH_CLK_TCK: clkTck },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 900_000,
  });
  const wallMs = performance.now() - start;
  const usage = fs.existsSync(usageFile) ? JSON.parse(fs.readFileSync(usageFile, 'utf8')) : undefined;
  const selfCpuMs = usage ? (usage.userUs + usage.systemUs) / 1000 : NaN;
  const cpuMs = usage ? selfCpuMs + (usage.childUserUs + usage.childSystemUs) / 1000 : NaN;
  return { cpuMs, selfCpuMs, maxRssKb: usage?.maxRssKb ?? NaN, wallMs, status: result.status, stderr: (result.stderr ?? '').trim().split('\n')[0] };
}

/** The source files the review lints for a range (its own git code, from dist/), and the head commit. */
async function reviewedFiles(repo, base) {
  const git = await import(path.join(ROOT, 'dist', 'review', 'git.js'));
  const { MAX_FILE_CHARS } = await import(path.join(ROOT, 'dist', 'review', 'run.js'));
  const root = await git.repositoryRoot(repo);
  const range = await git.resolveRange(root, { base, head: 'HEAD', worktree: false });
  const changes = await git.changedFiles(root, range);
  const texts = await git.readManyAtHead(root, range, changes.files.map((f) => f.path));
  const files = changes.files.map((f) => f.path).filter((f) => texts.has(f) && texts.get(f).length <= MAX_FILE_CHARS);
  return { files, head: range.head, mergeBase: range.mergeBase };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const worst = (values) => Math.max(...values);
const loadAverage = () => os.loadavg().map((n) => n.toFixed(1)).join(' / ');

/**
 * `bgtask-review --base <range base> --head HEAD --format json` against `eslint` with
 * configs.recommended on exactly the source files the review lints (same parser options), each
 * as a whole process, alternating (the order flips every round). The checkout must be clean at
 * HEAD: ESLint reads the working tree, the review reads the commit. Returns one row per range.
 */
export async function benchReviewVsEslint({ repo, bases, runs = 5, save }) {
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repo, encoding: 'utf8' });
  if (status.trim() !== '') throw new Error(`${repo}: the checkout has local changes; ESLint would lint other texts than the review`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-review-vs-eslint-'));
  const config = path.join(scratch, 'eslint.config.mjs');
  // The review lints with configs.recommended and our rules only; so does this config.
  fs.writeFileSync(
    config,
    `import plugin from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href)};\n` +
      `export default [{ ...plugin.configs.recommended, linterOptions: { reportUnusedDisableDirectives: 'off' } }];\n`,
  );
  const rows = [];
  try {
    for (const base of bases) {
      const { files, head, mergeBase } = await reviewedFiles(repo, base);
      const eslintArgs = [ESLINT_BIN, '--config', config, '--no-warn-ignored', '--format', 'json', '--output-file', path.join(scratch, 'eslint.json'), '--', ...files];
      const output = path.join(scratch, 'review.json');
      const reviewArgs = [CLI, '--base', base, '--head', 'HEAD', '--format', 'json', '--fail-on', 'never', '--no-eslint-config', '--output', output, '--root', repo];
      const eslint = [];
      const review = [];
      const loadBefore = loadAverage();
      for (let round = 0; round < runs; round += 1) {
        const order = round % 2 === 0 ? ['eslint', 'review'] : ['review', 'eslint'];
        for (const which of order) {
          const run = which === 'eslint' ? measured(eslintArgs, repo, scratch) : measured(reviewArgs, repo, scratch);
          // ESLint exits 1 when it reports problems; 2 is a crash.
          const ok = which === 'eslint' ? run.status === 0 || run.status === 1 : run.status === 0;
          if (!ok) throw new Error(`${which} failed on ${base}..HEAD (exit ${run.status}): ${run.stderr}`);
          (which === 'eslint' ? eslint : review).push(run);
        }
      }
      if (save) {
        fs.mkdirSync(save, { recursive: true });
        const name = `${path.basename(repo)}-${base.replace(/[^A-Za-z0-9]+/g, '_')}`;
        fs.copyFileSync(output, path.join(save, `${name}.review.json`));
      }
      const stats = (list, key) => ({ median: median(list.map((r) => r[key])), worst: worst(list.map((r) => r[key])) });
      rows.push({
        repo: path.basename(repo),
        head,
        mergeBase,
        base,
        files: files.length,
        runs,
        eslint: { cpuMs: stats(eslint, 'cpuMs'), maxRssKb: stats(eslint, 'maxRssKb'), wallMs: stats(eslint, 'wallMs') },
        review: { cpuMs: stats(review, 'cpuMs'), maxRssKb: stats(review, 'maxRssKb'), wallMs: stats(review, 'wallMs') },
        cpuRatio: median(review.map((r) => r.cpuMs)) / median(eslint.map((r) => r.cpuMs)),
        rssRatio: median(review.map((r) => r.maxRssKb)) / median(eslint.map((r) => r.maxRssKb)),
        load: `${loadBefore} -> ${loadAverage()}`,
      });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

/** The rows as a Markdown table. */
export function reviewVsEslintTable(rows) {
  const ms = (s) => `${fmt(s.median, 0)} (${fmt(s.worst, 0)})`;
  const mb = (s) => `${fmt(s.median / 1024, 0)} (${fmt(s.worst / 1024, 0)})`;
  return markdownTable(
    ['repo @ head', 'range', 'files', 'eslint CPU ms', 'review CPU ms', 'CPU ratio', 'eslint peak RSS MB', 'review peak RSS MB', 'RSS ratio', 'load avg (1/5/15 min)'],
    rows.map((r) => [
      `${r.repo} @ ${r.head.slice(0, 10)}`,
      `${r.base}..HEAD`,
      String(r.files),
      ms(r.eslint.cpuMs),
      ms(r.review.cpuMs),
      `${r.cpuRatio.toFixed(2)}x`,
      mb(r.eslint.maxRssKb),
      mb(r.review.maxRssKb),
      `${r.rssRatio.toFixed(2)}x`,
      r.load,
    ]),
  );
}

// `node bench/review.mjs --repo <checkout> [--base HEAD~10 --base HEAD~100] [--runs 5] [--save <dir>]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const bases = [];
  for (let base = takeOption(args, '--base'); base !== undefined; base = takeOption(args, '--base')) bases.push(base);
  const repo = takeOption(args, '--repo');
  const runs = Number(takeOption(args, '--runs') ?? 5);
  const save = takeOption(args, '--save');
  if (!repo || args.length > 0) {
    console.error('usage: node bench/review.mjs --repo <git checkout at HEAD> [--base <rev>]... [--runs <n>] [--save <dir>]');
    process.exit(2);
  }
  const rows = await benchReviewVsEslint({ repo: path.resolve(repo), bases: bases.length > 0 ? bases : ['HEAD~10', 'HEAD~100'], runs, save });
  console.log(reviewVsEslintTable(rows));
  console.log(`\n${os.cpus().length} CPUs, Node ${process.version}; medians (worst) of ${runs} runs each; CPU = user + system of the process and the git processes it waited for.`);
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2));
}
