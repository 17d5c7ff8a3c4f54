#!/usr/bin/env node
/**
 * Scaling of a class whose methods call each other (issue 17 part 4): one generated file per N
 * (a class of N async methods, each awaiting an ORM call and calling a few others: dropped,
 * `void`, awaited, `setImmediate(() => this.x())`, through `const self = this`, plus same-file
 * module functions called the same ways), linted in-process through the `ESLint` class with
 * configs.all and with the same parser and no rules. What our rules add per line should not
 * grow with N.
 *
 * Usage: npm run build && node bench/class-methods.mjs [--sizes 100,200,400] [--rounds 5] [--compare DIR] [--listeners] [--markdown]
 *   --listeners  also time each rule's listeners by selector at the largest N (wrapped create)
 *   --markdown   print the tables as Markdown (for bench/results.md)
 *   --print N    print the generated file of N methods and exit (to profile or lint it by hand)
 *   --compare D  also time configs.all of the build in checkout D (its dist/), taking turns with this
 *                one on each file, and check that both report the same messages
 *
 * Times are CPU time of this process (user + system) after a full garbage collection, the minimum
 * over the rounds: other processes only add to a run, so the smallest is the least disturbed one.
 * The first round warms the JIT up and is not counted.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ESLint } from 'eslint';
import { fmt, loadPlugin, markdownTable, takeOption } from './lib.mjs';

const args = process.argv.slice(2);
const sizes = (takeOption(args, '--sizes') ?? '100,200,400,800,1600,3200').split(',').map(Number);
const rounds = Number(takeOption(args, '--rounds') ?? '5');
const withListeners = args.includes('--listeners');
const markdown = args.includes('--markdown');
const printSize = takeOption(args, '--print');
const compareRoot = takeOption(args, '--compare');

/** Distinct, non-adjacent callees for method `i` of `n` (cycles included: `a` calls `b` calls `a`). */
const other = (i, step, n) => (i + step) % n;

/** One method: an awaited ORM call and calls to other methods in every way a class calls itself. */
function method(i, n, helpers) {
  const h = i % helpers;
  const calls = [
    `    this.method${other(i, 1, n)}(id);`,
    `    void this.method${other(i, 7, n)}(id);`,
    `    await this.method${other(i, 13, n)}(id);`,
    `    setImmediate(() => this.method${other(i, 31, n)}(id));`,
    `    const self = this;`,
    `    self.method${other(i, 57, n)}(id);`,
    `    helper${h}(id);`,
    `    void helper${(h + 3) % helpers}(id);`,
  ].join('\n');
  switch (i % 4) {
    case 0:
      return `
  async method${i}(id: string): Promise<void> {
    await this.dataSource.getRepository(Job).update(id, { status: 'running' });
${calls}
  }`;
    case 1:
      // A method that catches everything and records a failed status (what callers ask about).
      return `
  async method${i}(id: string): Promise<void> {
    try {
      await this.dataSource.getRepository(Job).update(id, { status: 'running' });
  ${calls.replace(/\n/g, '\n  ')}
      await this.dataSource.getRepository(Job).update(id, { status: 'completed' });
    } catch (err) {
      this.logger.error(\`method${i} failed for \${id}\`, err);
      await this.dataSource.getRepository(Job).update(id, { status: 'failed' });
    }
  }`;
    case 2:
      return `
  async method${i}(id: string): Promise<void> {
    this.logger.log(\`method${i} started for \${id}\`);
    await this.dataSource.transaction(async (manager) => {
      await manager.save(Job, { id });
    });
    this.method${other(i, 3, n)}(id).catch((err) => this.logger.error('failed', err));
${calls}
  }`;
    default:
      return `
  private async method${i}(id: string) {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id });
    if (!job) return;
${calls}
  }`;
  }
}

/** A module function of the same file, called from the methods and from each other. */
function helper(i, helpers) {
  return `
async function helper${i}(id: string): Promise<void> {
  await prisma.job.update({ where: { id }, data: { status: 'queued' } });
  helper${(i + 1) % helpers}(id);
  setImmediate(() => helper${(i + 2) % helpers}(id));
}`;
}

/** The file for N methods. */
function generate(n) {
  const helpers = Math.max(4, Math.floor(n / 10));
  return `import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PrismaClient } from '@prisma/client';
import { Job } from './job.entity';

const prisma = new PrismaClient();
${Array.from({ length: helpers }, (_, i) => helper(i, helpers)).join('\n')}

@Injectable()
export class JobWorker {
  private readonly logger = new Logger(JobWorker.name);

  constructor(private readonly dataSource: DataSource) {}
${Array.from({ length: n }, (_, i) => method(i, n, helpers)).join('\n')}
}
`;
}

if (printSize !== undefined) {
  process.stdout.write(generate(Number(printSize)));
  process.exit(0);
}

const plugin = await loadPlugin();
const all = plugin.configs.all;
const base = { files: ['**/*.ts'], languageOptions: all.languageOptions, linterOptions: { reportUnusedDisableDirectives: 'off' } };
const eslintWith = (config, stats = false) =>
  new ESLint({ cwd: '/', overrideConfigFile: true, overrideConfig: [{ ...base, ...config }], ignore: false, stats });
/** The timed configs: the parser alone, configs.all of this build, and of the `--compare` build. */
const runs = [
  { name: 'parse', eslint: eslintWith({ rules: {} }) },
  { name: 'rules', eslint: eslintWith({ plugins: all.plugins, rules: all.rules }) },
];
if (compareRoot) {
  const other = (await import(pathToFileURL(path.resolve(compareRoot, 'dist', 'index.js')).href)).default.configs.all;
  runs.push({ name: 'compare', eslint: eslintWith({ plugins: other.plugins, rules: other.rules }) });
}
const withStats = eslintWith({ plugins: all.plugins, rules: all.rules }, true);

// A full collection before each timed lint, so that no run pays for the garbage of the one before.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** CPU time of one lint of `text`, and its result. */
async function timed(eslint, text, filePath) {
  gc();
  const start = cpuMs();
  const [result] = await eslint.lintText(text, { filePath });
  return { ms: cpuMs() - start, result };
}

/** What a run reported, to check that two builds agree. */
const messageKey = (messages) => messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`).join('\n');

const files = sizes.map((n) => {
  const text = generate(n);
  return { n, text, lines: text.split('\n').length, filePath: `/bench/class-methods/job-worker-${n}.ts` };
});
const best = new Map(files.map((f) => [f.n, { ms: {}, stats: {}, messages: 0, fatal: 0, agree: true }]));
const load = os.loadavg();

for (let round = 0; round <= rounds; round += 1) {
  for (const [k, file] of files.entries()) {
    const entry = best.get(file.n);
    const reported = {};
    // Rotate which config goes first, so that a disturbance hits each alike over the rounds.
    for (let j = 0; j < runs.length; j += 1) {
      const run = runs[(round + k + j) % runs.length];
      const { ms, result } = await timed(run.eslint, file.text, file.filePath);
      if (round > 0) entry.ms[run.name] = Math.min(entry.ms[run.name] ?? Infinity, ms);
      reported[run.name] = result.messages;
    }
    entry.messages = reported.rules.length;
    entry.fatal = reported.rules.filter((m) => m.fatal).length;
    if (reported.compare && messageKey(reported.compare) !== messageKey(reported.rules)) entry.agree = false;
    const { result } = await timed(withStats, file.text, file.filePath);
    if (round === 0) continue;
    for (const pass of result.stats?.times.passes ?? []) {
      for (const [ruleId, time] of Object.entries(pass.rules ?? {})) {
        entry.stats[ruleId] = Math.min(entry.stats[ruleId] ?? Infinity, time.total);
      }
    }
  }
}

const print = (title, header, rows) => {
  console.log(`\n${title}\n`);
  if (markdown) console.log(markdownTable(header, rows));
  else console.table(rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]]))));
};

console.log(
  `class-methods: ${rounds} timed rounds after a warm-up, min CPU time; ${os.cpus().length} CPUs, Node ${process.version}; ` +
    `load average at the start ${load.map((l) => l.toFixed(2)).join(' / ')}`,
);
const perLine = (ms, lines) => fmt((ms * 1000) / lines, 2);
print(
  'Extra cost of configs.all over parsing, per line',
  [
    'methods',
    'lines',
    'parse only (ms)',
    'configs.all (ms)',
    'extra per line (us)',
    ...(compareRoot ? ['--compare: configs.all (ms)', '--compare: extra per line (us)', 'same messages'] : []),
    'messages',
  ],
  files.map(({ n, lines }) => {
    const e = best.get(n);
    return [
      n,
      lines,
      fmt(e.ms.parse),
      fmt(e.ms.rules),
      perLine(e.ms.rules - e.ms.parse, lines),
      ...(compareRoot ? [fmt(e.ms.compare), perLine(e.ms.compare - e.ms.parse, lines), e.agree ? 'yes' : 'NO'] : []),
      `${e.messages}${e.fatal ? ` (${e.fatal} fatal)` : ''}`,
    ];
  }),
);
const ruleIds = Object.keys(best.get(sizes[0]).stats).sort();
print(
  'ESLint stats per rule (its listeners and create(), smallest over the rounds), us per line',
  ['rule', ...sizes.map((n) => `N=${n}`)],
  ruleIds.map((id) => [
    id.replace('background-tasks/', ''),
    ...files.map(({ n, lines }) => perLine(best.get(n).stats[id] ?? 0, lines)),
  ]),
);

if (withListeners) {
  // Which listener of which rule takes the time at the largest N: wrap every rule's listeners.
  const file = files.at(-1);
  const times = new Map();
  const wrappedRules = Object.fromEntries(
    Object.entries(plugin.rules).map(([name, rule]) => [
      name,
      {
        ...rule,
        create(context) {
          const listeners = rule.create(context);
          return Object.fromEntries(
            Object.entries(listeners).map(([selector, listener]) => {
              const key = `${name} ${selector}`;
              return [
                selector,
                (...listenerArgs) => {
                  const start = performance.now();
                  try {
                    return listener(...listenerArgs);
                  } finally {
                    times.set(key, (times.get(key) ?? 0) + performance.now() - start);
                  }
                },
              ];
            }),
          );
        },
      },
    ]),
  );
  const wrapped = new ESLint({
    cwd: '/',
    overrideConfigFile: true,
    overrideConfig: [{ ...base, plugins: { [plugin.meta.namespace]: { ...plugin, rules: wrappedRules } }, rules: all.rules }],
    ignore: false,
  });
  const perRound = [];
  for (let round = 0; round <= rounds; round += 1) {
    times.clear();
    await wrapped.lintText(file.text, { filePath: file.filePath });
    if (round > 0) perRound.push(new Map(times));
  }
  const keys = [...perRound[0].keys()];
  const rows = keys
    .map((key) => [key, Math.min(...perRound.map((t) => t.get(key) ?? 0))])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([key, ms]) => [key, fmt(ms), fmt((ms * 1000) / file.lines, 2)]);
  print(`Slowest listeners at N=${file.n} (wall ms, smallest over the rounds; the first rule's listener also builds the shared facts)`, ['rule listener', 'ms', 'us per line'], rows);
}
