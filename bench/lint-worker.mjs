/**
 * One lint measurement in its own process (so that its peak RSS is its own).
 * Usage: node bench/lint-worker.mjs <mode> <file-list.json> [rounds]
 *   mode: `pair` (both of the next two on each file back to back; ratios per round), `parse` (our configs' parser, no rules), `recommended` (configs.recommended),
 *         (these three lint through the `ESLint` class, as the CLI and the editor do: the config is
 *         resolved once and cached, not re-validated for every file as `Linter#verify` does with a config array),
 *         `rules` (every rule of ours + core comparisons, per-rule times via `stats`),
 *         `typed` (the same plus no-floating-promises, type-aware, over the listed tsconfig),
 *         `alone` / `alone-typed` (only the rule BENCH_RULE, untyped / type-aware: warmed up on the first half
 *         of the files, timed on the second half, which neither it nor the type checker has seen),
 *         `alone-ours` (each of our rules alone, taking turns per file, same halves),
 *         `density` (how many files have background tasks, and how many tasks per 1,000 lines).
 * Prints one JSON line: { mode, files, roundsMs, bestMs, maxRssKb, ruleMs, parseMs, crashes }.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { CORE_COMPARISON_RULES, ROOT, TYPED_COMPARISON_RULE, loadPlugin, ourRuleIds } from './lib.mjs';

const [mode, listFile, roundsArg] = process.argv.slice(2);
const { files, tsconfig } = JSON.parse(fs.readFileSync(listFile, 'utf8'));
const rounds = Number(roundsArg ?? '1');
const plugin = await loadPlugin();
const recommended = plugin.configs.recommended;
const base = {
  files: ['**/*.{ts,tsx,mts,cts}'],
  languageOptions: recommended.languageOptions,
  linterOptions: { reportUnusedDisableDirectives: 'off' },
};

function configFor(which = mode) {
  if (which === 'parse') return [{ ...base, rules: {} }];
  if (which === 'oneRule') return [{ ...base, rules: { 'no-debugger': 'error' } }];
  if (which === 'recommended') return [{ ...recommended, ...base, rules: recommended.rules }];
  const rules = Object.fromEntries([...ourRuleIds(plugin), ...CORE_COMPARISON_RULES].map((id) => [id, 'error']));
  if (mode === 'rules') return [{ ...base, plugins: recommended.plugins, rules }];
  if (mode === 'typed') {
    return [
      {
        ...base,
        languageOptions: {
          ...base.languageOptions,
          parserOptions: { project: tsconfig, tsconfigRootDir: path.dirname(tsconfig) },
        },
        plugins: { ...recommended.plugins, '@typescript-eslint': tseslint.plugin },
        rules: { ...rules, [TYPED_COMPARISON_RULE]: 'error' },
      },
    ];
  }
  if (mode === 'alone' || mode === 'alone-typed') {
    const typed = mode === 'alone-typed';
    return [
      {
        ...base,
        languageOptions: typed
          ? { ...base.languageOptions, parserOptions: { project: tsconfig, tsconfigRootDir: path.dirname(tsconfig) } }
          : base.languageOptions,
        plugins: { ...recommended.plugins, '@typescript-eslint': tseslint.plugin },
        rules: { [process.env.BENCH_RULE]: 'error' },
      },
    ];
  }
  if (which === 'pair' || which === 'alone-ours' || which === 'density') return undefined;
  throw new Error(`unknown mode ${mode}`);
}

/** An `ESLint` instance for a config, as the CLI builds it once per run (cwd `/`: every absolute path is inside it). */
function eslintFor(which) {
  return new ESLint({ cwd: '/', overrideConfigFile: true, overrideConfig: configFor(which), ignore: false });
}

/**
 * `pair`: the configs on each file back to back in one process (order rotating), so that load
 * from other processes hits them alike; the ratios of the sums per round are what (a) reports.
 * Besides the no-rule run, a run with one trivial core rule (`no-debugger`) is timed: ESLint
 * itself costs more as soon as any rule is on (see bench/results.md), which is not our rules' cost.
 */
async function runPairs(texts) {
  const names = ['parse', 'oneRule', 'recommended'];
  const byConfig = { parse: eslintFor('parse'), oneRule: eslintFor('oneRule'), recommended: eslintFor('recommended') };
  const ratios = [];
  const oneRuleRatios = [];
  const overOneRule = [];
  const sums = [];
  // Per file and config, the fastest of the timed rounds: other processes only ever add time, so
  // the fastest run of a file is its least disturbed one (this also leaves out most GC pauses).
  const fastest = Object.fromEntries(names.map((name) => [name, new Array(files.length).fill(Infinity)]));
  for (let round = 0; round < rounds; round += 1) {
    const sum = { parse: 0, oneRule: 0, recommended: 0 };
    for (let i = 0; i < files.length; i += 1) {
      for (let k = 0; k < names.length; k += 1) {
        const which = names[(i + round + k) % names.length];
        const start = performance.now();
        await byConfig[which].lintText(texts[i], { filePath: files[i] });
        const ms = performance.now() - start;
        sum[which] += ms;
        if ((round > 0 || rounds === 1) && ms < fastest[which][i]) fastest[which][i] = ms;
      }
    }
    // The first round warms the JIT up.
    if (round > 0 || rounds === 1) {
      ratios.push(sum.recommended / sum.parse);
      oneRuleRatios.push(sum.oneRule / sum.parse);
      overOneRule.push(sum.recommended / sum.oneRule);
      sums.push([sum.parse, sum.recommended, sum.oneRule]);
    }
  }
  const total = (name) => fastest[name].reduce((n, ms) => n + ms, 0);
  return { ratios, oneRuleRatios, overOneRule, sums, fastestMs: Object.fromEntries(names.map((name) => [name, total(name)])) };
}

/** `parse` / `recommended` alone: whole rounds through one `ESLint` instance. */
async function runAlone(texts) {
  const eslint = eslintFor(mode);
  const roundsMs = [];
  let crashes = 0;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (let i = 0; i < files.length; i += 1) {
      try {
        await eslint.lintText(texts[i], { filePath: files[i] });
      } catch (error) {
        if (crashes === 0) process.stderr.write(`${files[i]}: ${error instanceof Error ? error.message : String(error)}\n`);
        crashes += 1;
      }
    }
    roundsMs.push(performance.now() - start);
  }
  return { roundsMs, bestMs: Math.min(...roundsMs), crashes };
}

const config = configFor();
const linter = new Linter({ cwd: '/' });
const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
if (mode === 'pair') {
  process.stdout.write(`${JSON.stringify({ mode, files: files.length, ...(await runPairs(texts)), maxRssKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
}
if (mode === 'density') {
  // How much background work the corpus has: the costs above depend on it (files without a task
  // stop at the shared facts), so a report on a corpus should say how dense it is.
  const { buildFacts } = await import(path.join(ROOT, 'dist/analysis/facts.js'));
  const { vocabularyFromSettings } = await import(path.join(ROOT, 'dist/model/settings.js'));
  const vocabulary = vocabularyFromSettings({});
  const count = { files: files.length, withTasks: 0, tasks: 0, lines: 0 };
  const probe = {
    rules: {
      count: {
        meta: { schema: [] },
        create(context) {
          const facts = buildFacts(context.sourceCode, vocabulary);
          if (facts.tasks.length > 0) count.withTasks += 1;
          count.tasks += facts.tasks.length;
          count.lines += context.sourceCode.lines.length;
          return {};
        },
      },
    },
  };
  const probeConfig = [{ ...base, plugins: { probe }, rules: { 'probe/count': 'error' } }];
  for (let i = 0; i < files.length; i += 1) linter.verify(texts[i], probeConfig, { filename: files[i] });
  process.stdout.write(`${JSON.stringify({ mode, ...count })}\n`);
  process.exit(0);
}
if (mode === 'parse' || mode === 'oneRule' || mode === 'recommended') {
  const run = await runAlone(texts);
  process.stdout.write(`${JSON.stringify({ mode, files: files.length, ...run, maxRssKb: process.resourceUsage().maxRSS, ruleMs: {}, parseMs: 0 })}\n`);
  process.exit(0);
}
const WARM_UP_PASSES = 4;
const TIMED_PASSES = 5;

/** The rule's `stats` time over files [from, to). */
function timeRule(ruleId, from, to) {
  let ms = 0;
  for (let i = from; i < to; i += 1) {
    linter.verifyAndFix(texts[i], config, { filename: files[i], stats: true, fix: false });
    for (const pass of linter.getTimes().passes ?? []) ms += pass.rules?.[ruleId]?.total ?? 0;
  }
  return ms;
}
if (mode === 'alone-ours') {
  // Every rule of ours alone, each with its own config (so each builds the shared facts itself),
  // the rules taking turns on each file so that the load of other processes hits them alike.
  // Warm-up passes over the first half, then the median of five passes over the second half.
  const ids = ourRuleIds(plugin);
  const configs = Object.fromEntries(ids.map((id) => [id, [{ ...base, plugins: recommended.plugins, rules: { [id]: 'error' } }]]));
  const half = Math.floor(files.length / 2);
  const pass = (from, to, round) => {
    const ms = Object.fromEntries(ids.map((id) => [id, 0]));
    for (let i = from; i < to; i += 1) {
      for (let k = 0; k < ids.length; k += 1) {
        const id = ids[(i + k + round) % ids.length];
        linter.verifyAndFix(texts[i], configs[id], { filename: files[i], stats: true, fix: false });
        for (const step of linter.getTimes().passes ?? []) ms[id] += step.rules?.[id]?.total ?? 0;
      }
    }
    return ms;
  };
  for (let round = 0; round < WARM_UP_PASSES; round += 1) pass(0, half, round);
  const rounds = Array.from({ length: TIMED_PASSES }, (_, round) => pass(half, files.length, round));
  const ruleMs = Object.fromEntries(ids.map((id) => [id, [...rounds.map((r) => r[id])].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]]));
  process.stdout.write(`${JSON.stringify({ mode, files: files.length - half, ruleMs })}\n`);
  process.exit(0);
}
if (mode === 'alone' || mode === 'alone-typed') {
  // Each rule alone pays for everything it needs (our shared facts, the type checker's work for
  // its files), which is what turning on just that rule costs. Warm-up passes over the first half
  // (the JIT, as in a lint of a real repository with hundreds of files; type-aware: the program's
  // shared types), then one timed pass over the second half, new to both the rule and the checker.
  const ruleId = process.env.BENCH_RULE;
  const half = Math.floor(files.length / 2);
  for (let pass = 0; pass < WARM_UP_PASSES; pass += 1) timeRule(ruleId, 0, half);
  // The checker caches what it computed, so a type-aware rule gets one pass over the new half. Ours
  // keep nothing from one SourceCode to the next (facts are per file), so a second pass is the same
  // work as the first: the median of five passes takes the noise of a shared machine out.
  const passes = mode === 'alone-typed' ? 1 : TIMED_PASSES;
  const times = [];
  for (let pass = 0; pass < passes; pass += 1) times.push(timeRule(ruleId, half, files.length));
  const ms = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  process.stdout.write(`${JSON.stringify({ mode, rule: ruleId, files: files.length - half, ruleMs: { [ruleId]: ms } })}\n`);
  process.exit(0);
}
const withStats = mode === 'rules' || mode === 'typed';
const roundsMs = [];
// Per-rule and parse times: the smallest over the rounds (the round least disturbed by other processes).
const ruleMs = {};
let parseMs = Infinity;
let crashes = 0;
for (let round = 0; round < rounds; round += 1) {
  const roundRuleMs = {};
  let roundParseMs = 0;
  const start = performance.now();
  for (let i = 0; i < files.length; i += 1) {
    try {
      // `stats` is collected by verifyAndFix only (one pass with fix: false).
      if (withStats) linter.verifyAndFix(texts[i], config, { filename: files[i], stats: true, fix: false });
      else linter.verify(texts[i], config, { filename: files[i] });
    } catch (error) {
      if (crashes === 0) process.stderr.write(`${files[i]}: ${error instanceof Error ? error.message : String(error)}\n`);
      crashes += 1;
      continue;
    }
    if (withStats) {
      for (const pass of linter.getTimes().passes ?? []) {
        roundParseMs += pass.parse?.total ?? 0;
        for (const [id, time] of Object.entries(pass.rules ?? {})) roundRuleMs[id] = (roundRuleMs[id] ?? 0) + time.total;
      }
    }
  }
  roundsMs.push(performance.now() - start);
  if (withStats) {
    parseMs = Math.min(parseMs, roundParseMs);
    for (const [id, ms] of Object.entries(roundRuleMs)) ruleMs[id] = Math.min(ruleMs[id] ?? Infinity, ms);
  }
}
if (!withStats) parseMs = 0;
const maxRssKb = process.resourceUsage().maxRSS;
process.stdout.write(
  `${JSON.stringify({ mode, files: files.length, roundsMs, bestMs: Math.min(...roundsMs), maxRssKb, ruleMs, parseMs, crashes })}\n`,
);
