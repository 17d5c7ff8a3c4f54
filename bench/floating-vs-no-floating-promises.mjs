#!/usr/bin/env node
// Cost of background-tasks/no-floating-background-task (syntactic) vs typescript-eslint's
// @typescript-eslint/no-floating-promises (type-aware) on the same generated corpus.
// Usage: npm run build && node bench/floating-vs-no-floating-promises.mjs [--files=300] [--runs=3]
// Each measurement runs in a fresh child process (no warm caches shared between modes).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.join(root, 'bench', '.corpus', 'floating');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const FILES = arg('files', 300);
const RUNS = arg('runs', 3);
const MODES = ['ours-syntactic', 'ts-eslint-no-floating-promises', 'ours-type-aware'];

/** One generated service file: async methods, fire-and-forget calls, dispatchers, imports. */
function serviceFile(i) {
  const dep = i > 0 ? (i * 7) % i : 0;
  return `import { logger } from './logger';
${i > 0 ? `import { Service${dep} } from './service${dep}';` : ''}

export interface Job${i} { id: string; status: string; attempts: number }

export class Service${i} {
  private readonly pending = new Set<Promise<void>>();
  constructor(${i > 0 ? `private readonly dep: Service${dep}, ` : ''}private readonly store: Map<string, Job${i}>) {}

  async onSaved(id: string): Promise<void> {
    this.reindexInBackground(id);
    const task = this.reindexInBackground(id).catch((err) => logger.error('reindex failed', err));
    this.pending.add(task);
    ${i > 0 ? 'this.dep.load(id);' : ''}
    setTimeout(async () => {
      await this.reindexInBackground(id);
    }, 1000);
  }

  async load(id: string): Promise<Job${i} | undefined> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.store.get(id);
  }

  private async reindexInBackground(id: string): Promise<void> {
    const job = await this.load(id);
    if (!job) return;
    job.status = 'processing';
    for (let n = 0; n < job.attempts; n += 1) {
      job.attempts = n;
    }
    job.status = 'completed';
  }

  private async safeInBackground(id: string): Promise<void> {
    try {
      await this.reindexInBackground(id);
    } catch (error) {
      logger.error('failed', error);
    }
  }

  start(ids: string[]): void {
    for (const id of ids) void this.safeInBackground(id);
    Promise.all(ids.map((id) => this.load(id))).then((jobs) => logger.info(String(jobs.length)));
  }

  summary(): string {
    return [...this.store.values()].map((j) => \`\${j.id}:\${j.status}\`).join(',');
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
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, noEmit: true, types: [] }, include: ['*.ts'] }, null, 2),
  );
  fs.writeFileSync(path.join(corpus, 'logger.ts'), "export const logger = { error(m: string, e?: unknown) { void m; void e; }, info(m: string) { void m; } };\n");
  for (let i = 0; i < FILES; i += 1) fs.writeFileSync(path.join(corpus, `service${i}.ts`), serviceFile(i));
  fs.writeFileSync(marker, '');
}

/** Child: lint the corpus once in one mode, print JSON timings. */
async function child(mode) {
  const { ESLint } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const { default: plugin } = await import(path.join(root, 'dist', 'index.js'));
  const typed = mode !== 'ours-syntactic';
  const rules =
    mode === 'ts-eslint-no-floating-promises'
      ? { '@typescript-eslint/no-floating-promises': 'error' }
      : { 'background-tasks/no-floating-background-task': 'error' };
  const eslint = new ESLint({
    cwd: corpus,
    overrideConfigFile: true,
    stats: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: typed ? { projectService: true, tsconfigRootDir: corpus } : {},
        },
        plugins: { 'background-tasks': plugin, '@typescript-eslint': tseslint.plugin },
        rules,
      },
    ],
  });
  const start = process.hrtime.bigint();
  const results = await eslint.lintFiles(['*.ts']);
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  let ruleMs = 0;
  let parseMs = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse.total;
      for (const rule of Object.values(pass.rules ?? {})) ruleMs += rule.total;
    }
  }
  const problems = results.reduce((n, r) => n + r.messages.length, 0);
  const fatal = results.reduce((n, r) => n + r.messages.filter((m) => m.fatal).length, 0);
  process.stdout.write(JSON.stringify({ mode, totalMs, ruleMs, parseMs, problems, fatal, files: results.length }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const mode = process.argv.find((a) => a.startsWith('--child='))?.split('=')[1];
  if (mode) return child(mode);
  generate();
  const samples = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let run = 0; run < RUNS; run += 1) {
    for (const m of MODES) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${m}`, `--files=${FILES}`], { cwd: root, encoding: 'utf8' });
      samples[m].push(JSON.parse(out));
    }
  }
  const summary = {};
  for (const m of MODES) {
    const s = samples[m];
    summary[m] = {
      files: s[0].files,
      problems: s[0].problems,
      fatal: s[0].fatal,
      totalMs: Math.round(median(s.map((x) => x.totalMs))),
      parseMs: Math.round(median(s.map((x) => x.parseMs))),
      ruleMs: Math.round(median(s.map((x) => x.ruleMs)) * 10) / 10,
    };
  }
  console.table(summary);
  const ours = summary['ours-syntactic'];
  const theirs = summary['ts-eslint-no-floating-promises'];
  console.log(`total lint time, no-floating-promises (type-aware) / ours (syntactic): ${(theirs.totalMs / ours.totalMs).toFixed(1)}x`);
  console.log(`rule time only, no-floating-promises / ours: ${(theirs.ruleMs / ours.ruleMs).toFixed(1)}x`);
}

await main();
