/**
 * `npm run bench -- --process --corpus <dir> [--corpus <dir> ...]` (or BENCH_MODE=process): what a
 * whole `eslint` process costs, as a user runs it. Each run spawns the real CLI
 * (node_modules/eslint/bin/eslint.js) on every TypeScript file of a corpus folder with a flat
 * config generated in a temp folder:
 *   parse         the parser of configs.recommended, no rules;
 *   one-rule      the same with one trivial core rule (`no-debugger`): what any rule costs ESLint;
 *   recommended   configs.recommended of this build (dist/);
 *   baseline      configs.recommended of another build (`--baseline <dist folder>`), when given;
 *   ts-eslint     typescript-eslint's `recommended` (its parser and rules), for comparison.
 * The configurations take turns run by run (the order rotating), N runs each. A preload
 * (bench/rss-probe.mjs) reports each process's peak RSS and CPU time (user + system, all threads)
 * at exit; the config records how long importing the plugin took in that process.
 * Reports medians and worsts, and the ratios to `parse`, into a section of bench/results.md
 * (`--out <file>`; `--no-write` prints only) and the raw runs into bench/.work/process-<corpus>.json.
 *
 * Options: --runs N (5), --configs parse,one-rule,recommended,ts-eslint (a subset, in this order),
 * --baseline <dist folder>, --js (JavaScript files too), --node-flag <flag> (given to each eslint
 * process, repeatable: `--max-old-space-size=96` caps the old space, `--trace-gc-nvp` adds the
 * young generation's collections, promoted MB and full collections to the table),
 * --concurrency <n|auto|off> (ESLint's).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, ROOT, WORK_DIR, fmt, listSourceFiles, markdownTable, takeOption } from './lib.mjs';

const ESLINT_BIN = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const PROBE = path.join(BENCH_DIR, 'rss-probe.mjs');
const ALL_CONFIGS = ['parse', 'one-rule', 'recommended', 'baseline', 'ts-eslint'];
const SECTION_PREFIX = '## (e) Whole `eslint` processes';

const resolveUrl = (specifier) => import.meta.resolve(specifier);

/**
 * The flat config file of one configuration. Every config gets the same parser, the same files and
 * no report of unused disable directives (with no rules every directive would be one: more output).
 * The plugin is imported inside the config, timed, after the parser (which loads TypeScript), so its
 * load time is that process's own and the plugin's alone.
 */
function configSource(name, { baseline }) {
  const linterOptions = `linterOptions: { reportUnusedDisableDirectives: 'off' }`;
  const files = `files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}']`;
  const timedImport = (url) => `const started = performance.now();
const plugin = (await import(${JSON.stringify(url)})).default;
globalThis.__benchProbe = { pluginLoadMs: performance.now() - started };`;
  const parser = `import * as parser from ${JSON.stringify(resolveUrl('@typescript-eslint/parser'))};`;
  switch (name) {
    case 'parse':
    case 'one-rule':
      return `${parser}
export default [{ ${files}, languageOptions: { parser, sourceType: 'module' }, ${linterOptions}, rules: ${name === 'one-rule' ? `{ 'no-debugger': 'error' }` : '{}'} }];
`;
    case 'recommended':
    case 'baseline': {
      const dist = name === 'baseline' ? path.resolve(baseline) : path.join(ROOT, 'dist');
      return `${parser}
${timedImport(pathToFileURL(path.join(dist, 'index.js')).href)}
export default [{ ...plugin.configs.recommended, ${files}, ${linterOptions} }];
`;
    }
    case 'ts-eslint':
      return `${parser}
const started = performance.now();
const tseslint = (await import(${JSON.stringify(resolveUrl('typescript-eslint'))})).default;
globalThis.__benchProbe = { pluginLoadMs: performance.now() - started };
export default [...tseslint.configs.recommended, { ${files}, ${linterOptions} }];
`;
    default:
      throw new Error(`unknown config ${name}`);
  }
}

/** One whole `eslint` process over the files: peak RSS, CPU (user + system) and wall time. */
function runEslint(configFile, fileList, { cwd, nodeFlags, concurrency }) {
  const usageFile = path.join(path.dirname(configFile), `usage-${process.pid}.json`);
  fs.rmSync(usageFile, { force: true });
  const args = [...nodeFlags, '--import', pathToFileURL(PROBE).href, ESLINT_BIN, '--config', configFile, '--no-warn-ignored'];
  if (concurrency) args.push('--concurrency', concurrency);
  const started = performance.now();
  const child = spawnSync(process.execPath, [...args, ...fileList], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BENCH_USAGE_FILE: usageFile, BENCH_RSS_FILE: '' },
  });
  const wallMs = performance.now() - started;
  // 0: no problems; 1: problems found (the code is real code). Anything else is a crash.
  if (child.status !== 0 && child.status !== 1) throw new Error(`eslint exited with ${child.status}: ${child.stderr.slice(0, 2000)}`);
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  const problems = /(\d+) problems?/.exec(child.stdout)?.[1];
  return {
    ...gcSummary(child.stdout),
    maxRssMb: usage.maxRssKb / 1024,
    cpuMs: (usage.userUs + usage.systemUs) / 1000,
    wallMs,
    pluginLoadMs: usage.pluginLoadMs,
    problems: problems === undefined ? 0 : Number(problems),
    stdout: child.stdout,
  };
}

/**
 * With `--node-flag --trace-gc-nvp`, V8 prints one line per collection on stdout: the young
 * generation's collections (`gc=s`), what they promoted to old space, and the full collections.
 */
function gcSummary(stdout) {
  let scavenges = 0;
  let promoted = 0;
  let markCompacts = 0;
  for (const line of stdout.split('\n')) {
    if (line.includes(' gc=s ')) {
      scavenges += 1;
      promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    } else if (line.includes(' gc=mc ')) markCompacts += 1;
  }
  return scavenges === 0 ? {} : { scavenges, promotedMb: promoted / 1e6, markCompacts };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const worst = (xs) => Math.max(...xs);

/** Runs the configurations over one corpus folder, taking turns, and returns the runs per config. */
function benchCorpus(dir, options) {
  const { runs, configs, includeJs, log } = options;
  const files = listSourceFiles([dir], { includeJs });
  if (files.length === 0) throw new Error(`no source files in ${dir}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-process-'));
  const configFiles = Object.fromEntries(
    configs.map((name) => {
      const file = path.join(tmp, `${name}.config.mjs`);
      fs.writeFileSync(file, configSource(name, options));
      return [name, file];
    }),
  );
  // Relative paths from the corpus folder keep the command line short (2,000+ files).
  const fileList = files.map((file) => path.relative(dir, file));
  const byConfig = Object.fromEntries(configs.map((name) => [name, []]));
  try {
    for (let run = 0; run < runs; run += 1) {
      for (let k = 0; k < configs.length; k += 1) {
        const name = configs[(run + k) % configs.length];
        const result = runEslint(configFiles[name], fileList, { ...options, cwd: dir });
        byConfig[name].push(result);
        log(`  ${path.basename(dir)} run ${run + 1}/${runs} ${name}: ${fmt(result.maxRssMb, 0)} MB, cpu ${fmt(result.cpuMs, 0)} ms, ${result.problems} problems`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
  return { dir, files: files.length, lines, byConfig };
}

/** The Markdown table of one corpus: medians, worsts, ratios to the parse-only run. */
function corpusTable(result) {
  const base = result.byConfig.parse;
  const withGc = Object.values(result.byConfig).every((runs) => runs.every((r) => r.scavenges !== undefined));
  const rows = Object.entries(result.byConfig).map(([name, runs]) => {
    const rss = runs.map((r) => r.maxRssMb);
    const cpu = runs.map((r) => r.cpuMs);
    const ratio = (value, baseValue) => (base && name !== 'parse' ? `${fmt(value / baseValue, 2)}x` : '');
    const load = runs.map((r) => r.pluginLoadMs).filter((ms) => ms !== undefined);
    return [
      name,
      fmt(median(rss), 0),
      fmt(worst(rss), 0),
      base ? ratio(median(rss), median(base.map((r) => r.maxRssMb))) : '',
      base ? ratio(worst(rss), worst(base.map((r) => r.maxRssMb))) : '',
      fmt(median(cpu), 0),
      base ? ratio(median(cpu), median(base.map((r) => r.cpuMs))) : '',
      fmt(median(runs.map((r) => r.wallMs)), 0),
      load.length ? fmt(median(load), 0) : '',
      String(runs[0].problems),
      ...(withGc ? [fmt(median(runs.map((r) => r.scavenges)), 0), fmt(median(runs.map((r) => r.promotedMb)), 0), fmt(median(runs.map((r) => r.markCompacts)), 0)] : []),
    ];
  });
  return markdownTable(
    [
      'config',
      'peak RSS median (MB)',
      'worst (MB)',
      'RSS median / parse',
      'worst / worst parse',
      'CPU median (ms)',
      'CPU / parse',
      'wall median (ms)',
      'plugin load (ms)',
      'problems',
      ...(withGc ? ['scavenges', 'promoted (MB)', 'mark-compacts'] : []),
    ],
    rows,
  );
}

/** Replaces (or adds) this corpus set's section in the results file, keeping every other section. */
function writeSection(resultsFile, title, body) {
  const text = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '# Benchmark results\n';
  const sections = text.split(/^(?=## )/m);
  const heading = `${SECTION_PREFIX}: ${title}`;
  const section = `${heading}\n\n${body.trim()}\n\n`;
  const at = sections.findIndex((s) => s.startsWith(`${heading}\n`));
  if (at >= 0) sections[at] = section;
  else sections.push(`${sections.at(-1)?.endsWith('\n\n') ? '' : '\n'}${section}`);
  fs.writeFileSync(resultsFile, `${sections.join('').trimEnd()}\n`);
}

/** Entry point of the process mode (args: the command line after `--process`). */
export async function runProcessMode(argv) {
  const args = [...argv];
  const corpora = [];
  for (let dir = takeOption(args, '--corpus'); dir !== undefined; dir = takeOption(args, '--corpus')) corpora.push(dir);
  for (const dir of (process.env.BENCH_CORPUS ?? '').split(':').filter(Boolean)) if (corpora.length === 0 || !corpora.includes(dir)) corpora.push(dir);
  const runs = Number(takeOption(args, '--runs') ?? process.env.BENCH_RUNS ?? '5');
  const baseline = takeOption(args, '--baseline');
  const out = takeOption(args, '--out') ?? path.join(BENCH_DIR, 'results.md');
  const concurrency = takeOption(args, '--concurrency');
  const nodeFlags = [];
  for (let flag = takeOption(args, '--node-flag'); flag !== undefined; flag = takeOption(args, '--node-flag')) nodeFlags.push(flag);
  const wanted = (takeOption(args, '--configs') ?? 'parse,one-rule,recommended,ts-eslint').split(',');
  if (baseline && !wanted.includes('baseline')) wanted.push('baseline');
  const configs = ALL_CONFIGS.filter((name) => wanted.includes(name));
  const write = !args.includes('--no-write');
  const includeJs = args.includes('--js');
  if (corpora.length === 0) throw new Error('give a corpus: npm run bench -- --process --corpus /path/to/repo');
  for (const dir of corpora) if (!fs.existsSync(dir)) throw new Error(`corpus folder not found: ${dir}`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (baseline && !fs.existsSync(path.join(baseline, 'index.js'))) throw new Error(`no index.js in the baseline build ${baseline}`);

  const log = (s) => process.stdout.write(`${s}\n`);
  const load = os.loadavg().map((n) => fmt(n, 1)).join(' / ');
  const results = [];
  for (const dir of corpora) {
    const result = benchCorpus(path.resolve(dir), { runs, configs, baseline, includeJs, nodeFlags, concurrency, log });
    results.push(result);
    fs.mkdirSync(WORK_DIR, { recursive: true });
    const raw = Object.fromEntries(Object.entries(result.byConfig).map(([name, rs]) => [name, rs.map(({ stdout: _stdout, ...r }) => r)]));
    fs.writeFileSync(path.join(WORK_DIR, `process-${path.basename(dir)}.json`), `${JSON.stringify({ ...result, byConfig: raw }, null, 1)}\n`);
  }
  const loadEnd = os.loadavg().map((n) => fmt(n, 1)).join(' / ');
  const command = [
    'npm run bench -- --process',
    ...corpora.map((dir) => `--corpus ${dir}`),
    `--runs ${runs}`,
    ...(baseline ? ['--baseline <dist of the other build>'] : []),
    ...(wanted.join(',') !== 'parse,one-rule,recommended,ts-eslint' ? [`--configs ${configs.join(',')}`] : []),
    ...nodeFlags.map((flag) => `--node-flag ${flag}`),
    ...(concurrency ? [`--concurrency ${concurrency}`] : []),
    ...(includeJs ? ['--js'] : []),
  ].join(' ');
  const body = `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)}:
${os.cpus().length} CPUs (shared), Node ${process.version}; load average at the start ${load}, at the end ${loadEnd} (1 / 5 / 15 min)${
    os.loadavg()[0] > os.cpus().length ? ': above the CPU count, expect noisy CPU times (and peak RSS depends on when V8 collects: compare medians)' : ''
  }.
Each run is one \`eslint\` CLI process (node_modules/eslint/bin/eslint.js) over every TypeScript file of the folder; the
configurations take turns run by run, ${runs} runs each. Peak RSS and CPU (user + system, all threads) from
\`process.resourceUsage()\` at exit (bench/rss-probe.mjs); plugin load: importing the plugin inside the config, in that process.

${results
  .map(
    (r) => `**${path.basename(r.dir)}** (${r.files.toLocaleString('en-US')} files, ${r.lines.toLocaleString('en-US')} lines):

${corpusTable(r)}`,
  )
  .join('\n\n')}`;
  log(`\n${body}`);
  if (write) {
    writeSection(path.resolve(out), corpora.map((dir) => path.basename(path.resolve(dir))).join(', '), body);
    log(`bench: wrote ${path.relative(process.cwd(), path.resolve(out))}`);
  }
}
