#!/usr/bin/env node
// Extra cost of type-aware mode: all eight rules on the same generated typed corpus, once
// without type information and once with `parserOptions.projectService`. Per-rule times come
// from ESLint's `stats`; parse time (program creation included) is shown apart, since every
// type-aware ESLint setup pays it whatever the rules do.
// With all rules on, the first rule to ask the checker about a file pays for its lazy type
// checking; `--isolate` runs each rule alone in both modes to attribute that cost per rule.
// Usage: npm run build && node bench/type-aware-cost.mjs [--files=200] [--runs=3] [--isolate]
// Each measurement runs in a fresh child process (no warm caches shared between modes).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.join(root, 'bench', '.corpus', 'type-aware');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const FILES = arg('files', 200);
const RUNS = arg('runs', 3);
const MODES = ['syntactic', 'type-aware'];

/** One generated worker: sessions from helpers, stale uses, loggers by type, imported status values. */
function workerFile(i) {
  const dep = i > 0 ? (i * 7) % i : 0;
  return `import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Prisma } from '@prisma/client';
import { DONE, JobState, RUNNING, setStatus } from './statuses';
import { logger } from './logger';
${i > 0 ? `import type { Worker${dep} } from './worker${dep}';` : ''}

type Source = DataSource & { createQueryRunner(): QueryRunner };

export class Worker${i} {
  constructor(
    private readonly pool: Pool,
    private readonly audit: Logger,
    private readonly orm: EntityManager,
    ${i > 0 ? `private readonly dep: Worker${dep},` : ''}
  ) {}

  async openRunner(source: Source): Promise<QueryRunner> {
    return source.createQueryRunner();
  }

  async importInBackground(source: Source, id: string): Promise<void> {
    this.audit.info('import started', { id });
    const runner = await this.openRunner(source);
    try {
      await setStatus(id, RUNNING);
      await runner.query('insert into imports default values');
      await setStatus(id, DONE);
    } catch (error) {
      this.audit.error('import failed', error);
      await setStatus(id, JobState.Broken);
    } finally {
      await runner.release();
    }
    this.audit.info('import completed', { id });
  }

  async syncInBackground(db: Prisma.TransactionClient, id: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await db.job.update({ where: { id }, data: { status: JobState.Busy } });
      await client.query('select 1');
      await db.job.update({ where: { id }, data: { status: JobState.Shipped } });
    } catch (error) {
      logger.error('sync failed', error);
      await db.job.update({ where: { id }, data: { status: JobState.Broken } });
    } finally {
      client.release();
    }
  }

  async refreshInBackground(id: string): Promise<void> {
    ${i > 0 ? 'await this.dep.safeWork(id);' : 'await this.safeWork(id);'}
  }

  async safeWork(id: string): Promise<void> {
    try {
      await this.orm.find(id);
    } catch (error) {
      logger.error('safe work failed', error);
    }
  }

  onSaved(source: Source, id: string): void {
    this.importInBackground(source, id).catch((error) => logger.error('import failed', error));
    setImmediate(() => void this.refreshInBackground(id));
  }

  summary(rows: { id: string; status: string }[]): string {
    return rows.map((row) => \`\${row.id}:\${row.status}\`).join(',');
  }
}
`;
}

function generate() {
  const marker = path.join(corpus, `.files-${FILES}`);
  if (fs.existsSync(marker)) return;
  fs.rmSync(corpus, { recursive: true, force: true });
  fs.mkdirSync(corpus, { recursive: true });
  fs.writeFileSync(
    path.join(corpus, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, noEmit: true, types: [] },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  // The library declarations of the type-aware tests stand in for node_modules.
  fs.copyFileSync(path.join(root, 'tests', 'fixtures', 'typed', 'orm.d.ts'), path.join(corpus, 'orm.d.ts'));
  fs.writeFileSync(path.join(corpus, 'logger.ts'), "export const logger = { error(m: string, e?: unknown) { void m; void e; }, info(m: string) { void m; } };\n");
  fs.writeFileSync(
    path.join(corpus, 'statuses.ts'),
    "export const RUNNING = 'running';\nexport const DONE = 'done';\nexport enum JobState { Busy = 'processing', Shipped = 'completed', Broken = 'failed' }\nexport declare function setStatus(id: string, status: string): Promise<void>;\n",
  );
  for (let i = 0; i < FILES; i += 1) fs.writeFileSync(path.join(corpus, `worker${i}.ts`), workerFile(i));
  fs.writeFileSync(marker, '');
}

/** Child: lint the corpus once in one mode, print JSON timings. */
async function child(mode, only) {
  const { ESLint } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const { default: plugin } = await import(path.join(root, 'dist', 'index.js'));
  const names = only ? [only] : Object.keys(plugin.rules);
  const rules = Object.fromEntries(names.map((name) => [`background-tasks/${name}`, 'error']));
  const eslint = new ESLint({
    cwd: corpus,
    overrideConfigFile: true,
    stats: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: mode === 'type-aware' ? { projectService: true, tsconfigRootDir: corpus } : {},
        },
        plugins: { 'background-tasks': plugin },
        rules,
      },
    ],
  });
  const start = process.hrtime.bigint();
  const results = await eslint.lintFiles(['worker*.ts']);
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  const perRule = {};
  let parseMs = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse.total;
      for (const [name, rule] of Object.entries(pass.rules ?? {})) perRule[name] = (perRule[name] ?? 0) + rule.total;
    }
  }
  const problems = {};
  for (const result of results) for (const m of result.messages) problems[m.ruleId ?? 'fatal'] = (problems[m.ruleId ?? 'fatal'] ?? 0) + 1;
  process.stdout.write(JSON.stringify({ mode, totalMs, parseMs, perRule, problems, files: results.length }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

async function main() {
  const mode = process.argv.find((a) => a.startsWith('--child='))?.split('=')[1];
  const only = process.argv.find((a) => a.startsWith('--rule='))?.split('=')[1];
  if (mode) return child(mode, only);
  generate();
  if (process.argv.includes('--isolate')) return isolate();
  const samples = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let run = 0; run < RUNS; run += 1) {
    for (const m of MODES) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${m}`, `--files=${FILES}`], { cwd: root, encoding: 'utf8' });
      samples[m].push(JSON.parse(out));
    }
  }
  const rules = Object.keys(samples['type-aware'][0].perRule).sort();
  const table = {};
  let syntacticRules = 0;
  let typedRules = 0;
  for (const rule of rules) {
    const s = median(samples.syntactic.map((x) => x.perRule[rule] ?? 0));
    const t = median(samples['type-aware'].map((x) => x.perRule[rule] ?? 0));
    syntacticRules += s;
    typedRules += t;
    table[rule.replace('background-tasks/', '')] = {
      'syntactic ms': round(s),
      'type-aware ms': round(t),
      'extra ms': round(t - s),
      'reports syn/typed': `${samples.syntactic[0].problems[rule] ?? 0}/${samples['type-aware'][0].problems[rule] ?? 0}`,
    };
  }
  console.log(`${FILES} files, median of ${RUNS} runs`);
  console.table(table);
  for (const m of MODES) {
    const s = samples[m];
    console.log(`${m}: total ${Math.round(median(s.map((x) => x.totalMs)))} ms, parse ${Math.round(median(s.map((x) => x.parseMs)))} ms`);
  }
  console.log(`all eight rules: ${round(syntacticRules)} ms -> ${round(typedRules)} ms (+${round(typedRules - syntacticRules)} ms, ${(typedRules / syntacticRules).toFixed(2)}x)`);
}

/** Each rule alone, both modes, median of RUNS: the extra time its own type queries cost. */
async function isolate() {
  const { default: plugin } = await import(path.join(root, 'dist', 'index.js'));
  const table = {};
  for (const rule of Object.keys(plugin.rules).sort()) {
    const row = {};
    for (const m of MODES) {
      const runs = [];
      for (let run = 0; run < RUNS; run += 1) {
        const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${m}`, `--files=${FILES}`, `--rule=${rule}`], { cwd: root, encoding: 'utf8' });
        runs.push(JSON.parse(out));
      }
      row[m] = median(runs.map((x) => x.perRule[`background-tasks/${rule}`] ?? 0));
    }
    table[rule] = { 'syntactic ms': round(row.syntactic), 'type-aware ms': round(row['type-aware']), 'extra ms': round(row['type-aware'] - row.syntactic) };
  }
  console.log(`${FILES} files, each rule alone, median of ${RUNS} runs`);
  console.table(table);
}

await main();
