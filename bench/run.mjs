#!/usr/bin/env node
/**
 * `npm run bench`: speed and memory of the plugin, as ratios measured in one run.
 *   (a) ESLint with configs.recommended vs. the same parser with no rules (target: <= +10 %),
 *   (b) each of our rules (ESLint `stats`) vs. core rules of a similar kind and vs.
 *       @typescript-eslint/no-floating-promises (type-aware; target: ours >= 10x cheaper),
 *   (c) bgtask-review on PRs of 1, 10, 100 changed files in repositories of two sizes,
 *   (d) peak RSS of (a) and (c), each measured in its own child process.
 *   (e) with `--process --corpus <dir>` (or BENCH_MODE=process): whole `eslint` CLI processes on real code
 *       instead, peak RSS and CPU against the parser alone (bench/process.mjs).
 *
 * Environment: BENCH_CORPUS=dir1:dir2 (real code; default: a seeded synthetic corpus in bench/.corpus),
 * BENCH_SEED (1), BENCH_FILES (300 synthetic files), BENCH_ROUNDS (8 measured rounds of part a),
 * BENCH_TYPED_FILES (300: sample size of the type-aware run), BENCH_MAX_FILES (sample of the corpus for a and b),
 * BENCH_ALONE_REPEATS (3: turns of the each-rule-alone comparison), BENCH_REVIEW=0 (skip part c), BENCH_REVIEW_CLI (another build of bgtask-review to time),
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
// Whole `eslint` processes on a real corpus (bench/process.mjs): a mode of its own.
if (process.argv.includes('--process') || env.BENCH_MODE === 'process') {
  const { runProcessMode } = await import('./process.mjs');
  await runProcessMode(process.argv.slice(2).filter((arg) => arg !== '--process'));
  process.exit(0);
}
const realDirs = (env.BENCH_CORPUS ?? '').split(':').filter(Boolean);
const seed = Number(env.BENCH_SEED ?? '1');
const rounds = Number(env.BENCH_ROUNDS ?? '8');
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

const density = worker('density', listFile, 1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s) => process.stdout.write(`${s}\n`);
log(`bench: ${corpusLabel}: ${files.length} files, ${lines.toLocaleString('en-US')} lines; ${os.cpus().length} cpus, node ${process.version}`);

// (a): the ratio comes from one process linting each file with both configs back to back (the load
// of other processes hits both alike); (d): peak RSS and absolute time from one child per config.
const pairRun = worker('pair', listFile, rounds + 1);
const percent = (ratios) => ratios.map((r) => `${fmt((r - 1) * 100, 1)} %`).join(', ');
const overhead = (median(pairRun.ratios) - 1) * 100;
const pooled = (column) => pairRun.sums.reduce((n, s) => n + s[column], 0);
const pooledOverhead = (pooled(1) / pooled(0) - 1) * 100;
const overOneRule = (median(pairRun.overOneRule) - 1) * 100;
const oneRuleCost = (median(pairRun.oneRuleRatios) - 1) * 100;
const fastest = pairRun.fastestMs;
const fastestOverhead = (fastest.recommended / fastest.parse - 1) * 100;
const fastestOverOneRule = (fastest.recommended / fastest.oneRule - 1) * 100;
log(`  (a) overhead per round: ${percent(pairRun.ratios)}; fastest run per file: ${fmt(fastestOverhead, 1)} %`);
const anyRuleGc = execFileSync(process.execPath, [path.join(BENCH_DIR, 'any-rule-gc.mjs'), '3'], { encoding: 'utf8' }).trim();
const parseRun = worker('parse', listFile, 2);
const oneRuleRun = worker('oneRule', listFile, 2);
const recommendedRun = worker('recommended', listFile, 2);
const parseMs = parseRun.bestMs;
const recommendedMs = recommendedRun.bestMs;
const crashes = parseRun.crashes + oneRuleRun.crashes + recommendedRun.crashes;

// (b): per-rule times in one process (untyped, whole corpus) and in a type-aware one (sample).
const rulesRun = worker('rules', listFile, 3);
log(`  (b) per-rule times over ${files.length} files done`);

const typedRun = worker('typed', typedListFile, 1);
log(`  (b) type-aware per-rule times over ${typedFiles.length} files done`);

// (b) each rule alone, and no-floating-promises alone, on files new to both (see lint-worker.mjs `alone`).
const alone = (ruleId, typed) => {
  const out = execFileSync(process.execPath, [path.join(BENCH_DIR, 'lint-worker.mjs'), typed ? 'alone-typed' : 'alone', typedListFile, '1'], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_RULE: ruleId },
  });
  const result = JSON.parse(out.trim().split('\n').at(-1));
  return { ms: result.ruleMs[ruleId] ?? 0, files: result.files };
};
// The two sides run in separate processes, so they take turns (no-floating-promises, ours, ...) and
// each ratio pairs runs made back to back: a change in the machine's load between runs then moves
// both sides of a ratio instead of one.
const aloneRepeats = Math.max(1, Number(env.BENCH_ALONE_REPEATS ?? '3'));
const alonePairs = Array.from({ length: aloneRepeats }, () => ({
  nfp: alone(TYPED_COMPARISON_RULE, true),
  ours: worker('alone-ours', typedListFile, 1),
}));
const nfpAlone = { ms: median(alonePairs.map((pair) => pair.nfp.ms)), files: alonePairs[0].nfp.files };
const aloneRows = ourRuleIds(plugin).map((id) => {
  const perFile = (pair) => (pair.ours.ruleMs[id] ?? 0) / pair.ours.files;
  const ratios = alonePairs.map((pair) => pair.nfp.ms / pair.nfp.files / perFile(pair));
  return { id, ms: median(alonePairs.map((pair) => pair.ours.ruleMs[id] ?? 0)), files: alonePairs[0].ours.files, ratios };
});
log(`  (b) each rule alone done`);

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
Plugin rules measured: ${ours.map((id) => `\`${id}\``).join(', ')}.
Background work in these files: ${density.withTasks.toLocaleString('en-US')} of ${density.files.toLocaleString('en-US')} files (${fmt((100 * density.withTasks) / density.files, 1)} %) have a background task;
${fmt((1000 * density.tasks) / density.lines, 1)} tasks per 1,000 lines. Files without one cost only the shared facts, so a denser corpus costs more per file.`);

sections.push(`## (a) Overhead of configs.recommended over parsing (target <= 10 %)

${markdownTable(
  ['run', 'time (ms)', 'per file (ms)', 'peak RSS (MB)'],
  [
    ['same parser, no rules', fmt(parseMs, 0), fmt(parseMs / files.length, 2), fmt(parseRun.maxRssKb / 1024, 0)],
    ['same parser, one trivial core rule (no-debugger)', fmt(oneRuleRun.bestMs, 0), fmt(oneRuleRun.bestMs / files.length, 2), fmt(oneRuleRun.maxRssKb / 1024, 0)],
    ['configs.recommended', fmt(recommendedMs, 0), fmt(recommendedMs / files.length, 2), fmt(recommendedRun.maxRssKb / 1024, 0)],
  ],
)}

Overhead over the no-rule run: **${fmt(overhead, 1)} %** (${overhead <= 10 ? 'within' : 'over'} the 10 % target): the median over ${pairRun.ratios.length} rounds
(${percent(pairRun.ratios)}; all rounds pooled: ${fmt(pooledOverhead, 1)} %) of one process that lints each file
through the \`ESLint\` class with the configs back to back, order rotating, after a warm-up round.

The same rounds, taking for each file and config the fastest of the ${pairRun.ratios.length} rounds (other processes only add
time, so each file's fastest run is its least disturbed one; it also leaves out most GC pauses, which the
no-rule run has too): **${fmt(fastestOverhead, 1)} %** over the no-rule run, **${fmt(fastestOverOneRule, 1)} %** over the one-rule run
(sums of the fastest runs: ${fmt(fastest.parse, 0)}, ${fmt(fastest.oneRule, 0)} and ${fmt(fastest.recommended, 0)} ms).

Over a run with one trivial core rule (\`no-debugger\`): **${fmt(overOneRule, 1)} %** (rounds ${percent(pairRun.overOneRule)});
that rule alone costs ${fmt(oneRuleCost, 1)} % over the no-rule run in the same process. ESLint itself does more work as
soon as any rule is on: each file's rule contexts are made with \`Object.create(fileContext)\`; V8 keeps an object used as
a prototype reachable from old space, so the file's SourceCode and AST survive the young generation's collections and are
promoted. Interleaved with the other configs, that cost is mostly shared out; in one process per config it shows
(\`node bench/any-rule-gc.mjs\`, these files, 3 rounds, one process each; the last row replaces \`FileContext#extend\` with a
plain copy in that process only):

${anyRuleGc}

It is not our rules' cost: any plugin or core rule pays it once per file.

The times and peak RSS in the table come from one child process per config, so they carry the noise of a shared
machine; the interleaved ratios are the numbers to compare. Crashes: ${crashes}.

Cross-check from ESLint \`stats\` (part b, less sensitive to other processes since it times only our listeners):
our rules take ${fmt(ourStatsMs, 0)} ms over the corpus, **${fmt(statsShare, 1)} %** of the no-rule lint time
(${fmt(rulesRun.parseMs, 0)} ms of that run was parsing).`);

const ruleRows = (run) =>
  ours.map((id) => {
    const ms = run.ruleMs[id] ?? 0;
    const row = [`\`${id}\``, fmt(ms, 1), fmt((ms / run.files) * 1000, 0)];
    for (const core of CORE_COMPARISON_RULES) row.push(ratio(ms, run.ruleMs[core] ?? 0));
    return row;
  });
const comparisonRows = (run, ids) => ids.map((id) => [`\`${id}\``, fmt(run.ruleMs[id] ?? 0, 1), fmt(((run.ruleMs[id] ?? 0) / run.files) * 1000, 0)]);

sections.push(`## (b) Per-rule time (ESLint \`stats\`: the rule's own listeners and create(), smallest over the rounds of one process)

Untyped, whole corpus (${rulesRun.files} files; parse ${fmt(rulesRun.parseMs, 0)} ms):

${markdownTable(
  ['rule', 'time (ms)', 'per file (us)', ...CORE_COMPARISON_RULES.map((c) => `vs ${c}`)],
  [...ruleRows(rulesRun), ...comparisonRows(rulesRun, CORE_COMPARISON_RULES).map((r) => [...r, ...CORE_COMPARISON_RULES.map(() => '')])],
)}

In that run the per-file facts all our rules share are built by the first rule that asks (\`${ours[0]}\`),
and ESLint charges them to it. What turning on one rule costs, facts included, is in the next table.

**Each rule alone vs \`${TYPED_COMPARISON_RULE}\` alone** (target: ours at least 10x cheaper). Each rule with only itself on
(ours in one process, taking turns on each file; no-floating-promises in its own), over the ${typedFiles.length} sampled files: four warm-up passes over the first half (the JIT; for the
type-aware rule also the program's shared types), then the second half, which the type checker has not seen, as in a CI run:
one pass for no-floating-promises (the checker caches what it computed), the median of five passes for ours (they keep
nothing from one file to the next, so each pass is the same work). Ours run without type information (as in
\`configs.recommended\`) and pay for the shared facts; no-floating-promises pays for the type checker's work on each new file.
The two measurements take turns ${aloneRepeats} times (fresh processes each time); times are medians, and the ratio is the median
of the ${aloneRepeats} ratios of runs made back to back (all of them in brackets).

${markdownTable(
  ['rule alone', 'time (ms)', 'per file (us)', 'no-floating-promises / ours'],
  [
    ...aloneRows.map((row) => [
      `\`${row.id}\``,
      fmt(row.ms, 1),
      fmt((row.ms / row.files) * 1000, 0),
      `${fmt(median(row.ratios), 2)}x (${row.ratios.map((r) => fmt(r, 1)).join(', ')})`,
    ]),
    [`\`${TYPED_COMPARISON_RULE}\` (type-aware)`, fmt(nfpAlone.ms, 1), fmt((nfpAlone.ms / nfpAlone.files) * 1000, 0), ''],
  ],
)}

Type-aware mode of our rules (parserOptions.project over ${typedRun.files} sampled files, one pass; parse incl. program
${fmt(typedRun.parseMs, 0)} ms; the type checker's work is charged to whichever rule asks first):

${markdownTable(
  ['rule', 'time (ms)', 'per file (us)', ...CORE_COMPARISON_RULES.map((c) => `vs ${c}`)],
  [
    ...ruleRows(typedRun),
    ...comparisonRows(typedRun, [...CORE_COMPARISON_RULES, TYPED_COMPARISON_RULE]).map((r) => [...r, ...CORE_COMPARISON_RULES.map(() => '')]),
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

// Sections written by other scripts (the crash sweep) stay: only (a), (b) and (c) are regenerated.
const kept = fs.existsSync(resultsFile)
  ? fs
      .readFileSync(resultsFile, 'utf8')
      .split(/^(?=## )/m)
      .filter((section) => section.startsWith('## ') && !/^## \([abc]\)/.test(section))
      .map((section) => section.trimEnd())
  : [];
const text = `${[...sections, ...kept].join('\n\n')}\n`;
fs.writeFileSync(resultsFile, text);
log(`\n${text}`);
log(`bench: wrote ${path.relative(process.cwd(), resultsFile)}`);
if (crashes > 0) process.exitCode = 1;
