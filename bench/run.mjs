#!/usr/bin/env node
/**
 * `npm run bench`: speed and memory of the plugin, as ratios measured in one run.
 *   (a) ESLint with configs.recommended vs. the same parser with no rules (target: <= +10 %),
 *   (b) each of our rules (ESLint `stats`) vs. core rules of a similar kind and vs.
 *       @typescript-eslint/no-floating-promises (type-aware; target: ours >= 10x cheaper),
 *   (c) bgtask-review on PRs of 1, 10, 100 changed files in repositories of two sizes,
 *   (d) peak RSS of (a) and (c), each measured in its own child process.
 *
 * Environment: BENCH_CORPUS=dir1:dir2 (real code; default: a seeded synthetic corpus in bench/.corpus),
 * BENCH_SEED (1), BENCH_FILES (300 synthetic files), BENCH_ROUNDS (4 measured rounds of part a),
 * BENCH_TYPED_FILES (300: sample size of the type-aware run), BENCH_MAX_FILES (sample of the corpus for a and b),
 * BENCH_REVIEW=0 (skip part c), BENCH_REVIEW_CLI (another build of bgtask-review to time),
 * BENCH_RESULTS (default bench/results.md, or bench/results-real.md with BENCH_CORPUS).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus } from './corpus.mjs';
import {
  BENCH_DIR,
  CORE_COMPARISON_RULES,
  TYPED_COMPARISON_RULE,
  WORK_DIR,
  fmt,
  listSourceFiles,
  loadPlugin,
  markdownTable,
  ourRuleIds,
  sample,
  writeTypedTsconfig,
} from './lib.mjs';
import { benchReview } from './review.mjs';

const env = process.env;
const realDirs = (env.BENCH_CORPUS ?? '').split(':').filter(Boolean);
const seed = Number(env.BENCH_SEED ?? '1');
const rounds = Number(env.BENCH_ROUNDS ?? '4');
const typedCount = Number(env.BENCH_TYPED_FILES ?? '300');
const resultsFile = path.resolve(env.BENCH_RESULTS ?? path.join(BENCH_DIR, realDirs.length ? 'results-real.md' : 'results.md'));

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

for (const dir of realDirs) if (!fs.existsSync(dir)) fail(`BENCH_CORPUS folder not found: ${dir}`);
const plugin = await loadPlugin();
let corpusLabel;
if (realDirs.length === 0) {
  const files = Number(env.BENCH_FILES ?? '300');
  generateCorpus({ seed, files, out: path.join(BENCH_DIR, '.corpus') });
  corpusLabel = `synthetic corpus (seed ${seed}, ${files} files, bench/.corpus)`;
}
const dirs = realDirs.length ? realDirs : [path.join(BENCH_DIR, '.corpus')];
const allFiles = listSourceFiles(dirs);
if (allFiles.length === 0) fail('the corpus has no TypeScript files');
// A sample spread over the corpus keeps a run on large real repositories within minutes.
const files = env.BENCH_MAX_FILES ? sample(allFiles, Number(env.BENCH_MAX_FILES)) : allFiles;
corpusLabel ??= `BENCH_CORPUS: ${realDirs.map((d) => path.basename(path.resolve(d))).join(', ')}${
  files.length < allFiles.length ? ` (every n-th file: ${files.length} of ${allFiles.length})` : ''
}`;
const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);

fs.mkdirSync(WORK_DIR, { recursive: true });
const listFile = path.join(WORK_DIR, 'files.json');
fs.writeFileSync(listFile, JSON.stringify({ files }));
const typedFiles = sample(files, typedCount);
const typedListFile = path.join(WORK_DIR, 'typed-files.json');
fs.writeFileSync(typedListFile, JSON.stringify({ files: typedFiles, tsconfig: writeTypedTsconfig(typedFiles) }));

/** Runs the lint worker in a child process and parses its JSON line. */
function worker(mode, list, innerRounds) {
  const out = execFileSync(process.execPath, [path.join(BENCH_DIR, 'lint-worker.mjs'), mode, list, String(innerRounds)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s) => process.stdout.write(`${s}\n`);
log(`bench: ${corpusLabel}: ${files.length} files, ${lines.toLocaleString('en-US')} lines; ${os.cpus().length} cpus, node ${process.version}`);

// (a): the ratio comes from one process linting each file with both configs back to back (the load
// of other processes hits both alike); (d): peak RSS and absolute time from one child per config.
const pairRun = worker('pair', listFile, rounds + 1);
const overhead = (median(pairRun.ratios) - 1) * 100;
log(`  (a) overhead per round: ${pairRun.ratios.map((r) => `${fmt((r - 1) * 100, 1)} %`).join(', ')}`);
const parseRun = worker('parse', listFile, 2);
const recommendedRun = worker('recommended', listFile, 2);
const parseMs = parseRun.bestMs;
const recommendedMs = recommendedRun.bestMs;
const crashes = parseRun.crashes + recommendedRun.crashes;

// (b): per-rule times in one process (untyped, whole corpus) and in a type-aware one (sample).
const rulesRun = worker('rules', listFile, 3);
log(`  (b) per-rule times over ${files.length} files done`);

const typedRun = worker('typed', typedListFile, 1);
log(`  (b) type-aware per-rule times over ${typedFiles.length} files done`);

// (c) + (d)
const review = env.BENCH_REVIEW === '0' ? { skipped: 'skipped (BENCH_REVIEW=0)' } : benchReview({ seed });
log(review.skipped ? `  (c) ${review.skipped}` : `  (c) ${review.rows.length} review runs done`);

const ours = ourRuleIds(plugin);
const ourStatsMs = ours.reduce((n, id) => n + (rulesRun.ruleMs[id] ?? 0), 0);
const statsShare = (ourStatsMs / parseMs) * 100;
const ratio = (a, b) => (b > 0 ? `${fmt(a / b, 2)}x` : 'n/a');
const sections = [];
sections.push(`# Benchmark results

Generated by \`npm run bench\`${realDirs.length ? ` with \`BENCH_CORPUS\`` : ''} on ${new Date().toISOString().slice(0, 10)}:
${corpusLabel}; ${files.length} files, ${lines.toLocaleString('en-US')} lines; ${os.cpus().length} CPUs (shared), Node ${process.version};
load average at the start ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min): above the CPU count, expect noisy times.
Plugin rules measured: ${ours.map((id) => `\`${id}\``).join(', ')}.`);

sections.push(`## (a) Overhead of configs.recommended over parsing (target <= 10 %)

${markdownTable(
  ['run', 'time (ms)', 'per file (ms)', 'peak RSS (MB)'],
  [
    ['same parser, no rules', fmt(parseMs, 0), fmt(parseMs / files.length, 2), fmt(parseRun.maxRssKb / 1024, 0)],
    ['configs.recommended', fmt(recommendedMs, 0), fmt(recommendedMs / files.length, 2), fmt(recommendedRun.maxRssKb / 1024, 0)],
  ],
)}

Overhead: **${fmt(overhead, 1)} %** (${overhead <= 10 ? 'within' : 'over'} the 10 % target): the median over ${pairRun.ratios.length} rounds
(${pairRun.ratios.map((r) => `${fmt((r - 1) * 100, 1)} %`).join(', ')}) of one process that lints each file with both configs back to back,
after a warm-up round. The times and peak RSS above come from one child process per config (best of 2 rounds), so they
carry the noise of a shared machine; the ratio is the number to compare. Crashes: ${crashes}.

Cross-check from ESLint \`stats\` (part b, less sensitive to other processes since it times only our listeners):
our rules take ${fmt(ourStatsMs, 0)} ms over the corpus, **${fmt(statsShare, 1)} %** of the no-rule lint time
(${fmt(rulesRun.parseMs, 0)} ms of that run was parsing).`);

const ruleRows = (run, withTyped) =>
  ours.map((id) => {
    const ms = run.ruleMs[id] ?? 0;
    const row = [`\`${id}\``, fmt(ms, 1), fmt((ms / run.files) * 1000, 0)];
    for (const core of CORE_COMPARISON_RULES) row.push(ratio(ms, run.ruleMs[core] ?? 0));
    // The type checker caches what it computed, so the typed run is one round (as in a real lint);
    // our rule's cost per file is taken from the warm untyped run (its first round pays for JIT warm-up).
    if (withTyped) {
      const nfpPerFile = (run.ruleMs[TYPED_COMPARISON_RULE] ?? 0) / run.files;
      row.push(ratio(nfpPerFile, (rulesRun.ruleMs[id] ?? 0) / rulesRun.files));
    }
    return row;
  });
const comparisonRows = (run, ids) => ids.map((id) => [`\`${id}\``, fmt(run.ruleMs[id] ?? 0, 1), fmt(((run.ruleMs[id] ?? 0) / run.files) * 1000, 0)]);

sections.push(`## (b) Per-rule time (ESLint \`stats\`: the rule's own listeners and create(), smallest over the rounds of one process)

Untyped, whole corpus (${rulesRun.files} files; parse ${fmt(rulesRun.parseMs, 0)} ms):

${markdownTable(
  ['rule', 'time (ms)', 'per file (us)', ...CORE_COMPARISON_RULES.map((c) => `vs ${c}`)],
  [...ruleRows(rulesRun, false), ...comparisonRows(rulesRun, CORE_COMPARISON_RULES).map((r) => [...r, ...CORE_COMPARISON_RULES.map(() => '')])],
)}

Type-aware run (parserOptions.project over ${typedRun.files} sampled files; parse incl. program ${fmt(typedRun.parseMs, 0)} ms).
The last column is how many times cheaper our rule is than \`${TYPED_COMPARISON_RULE}\` per file (target >= 10x),
with our rule's per-file time from the warm untyped run above:

${markdownTable(
  ['rule', 'time (ms)', 'per file (us)', ...CORE_COMPARISON_RULES.map((c) => `vs ${c}`), 'no-floating-promises / ours'],
  [
    ...ruleRows(typedRun, true),
    ...comparisonRows(typedRun, [...CORE_COMPARISON_RULES, TYPED_COMPARISON_RULE]).map((r) => [...r, ...CORE_COMPARISON_RULES.map(() => ''), '']),
  ],
)}`);

sections.push(`## (c) bgtask-review on PRs of 1, 10, 100 changed files

${
  review.skipped
    ? review.skipped
    : markdownTable(
        ['repository files', 'changed files', 'time (ms)', 'peak RSS (MB)', 'exit'],
        review.rows.map((r) => [String(r.repoFiles), String(r.changed), fmt(r.ms, 0), fmt(r.maxRssKb / 1024, 0), `${r.status}${r.status === 2 ? ` (${r.stderr})` : ''}`]),
      )
}`);

const text = `${sections.join('\n\n')}\n`;
fs.writeFileSync(resultsFile, text);
log(`\n${text}`);
log(`bench: wrote ${path.relative(process.cwd(), resultsFile)}`);
if (crashes > 0) process.exitCode = 1;
