/**
 * Part (c) of the benchmark: `bgtask-review` on PRs of 1, 10 and 100 changed files in
 * temporary git repositories of different sizes (it must scale with the change, not the repository).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus } from './corpus.mjs';
import { BENCH_DIR, ROOT } from './lib.mjs';

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
