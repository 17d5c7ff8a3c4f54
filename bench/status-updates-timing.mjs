#!/usr/bin/env node
// Measures require-status-updates under TIMING=1 next to ESLint's own code-path rules
// (consistent-return, no-unreachable) on a generated corpus of background jobs.
// Usage: npm run build && node bench/status-updates-timing.mjs [files=200] [--shared-facts] [--plain]
// With --shared-facts, no-request-session-in-background runs first and pays for the per-file
// facts (background detection) that all plugin rules share, so that the status rule's own
// cost (code-path events and searches) shows alone; without it the status rule pays them.
// It writes the corpus and a flat config to a temp directory and runs the ESLint CLI there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 200);
const sharedFacts = process.argv.includes('--shared-facts');
// --plain: the same code with names that are not background (request code): the rule's cost when it has nothing to judge.
const plain = process.argv.includes('--plain');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'status-timing-'));

/** One background job with a status lifecycle; `shape` varies branches, loops, switch and nesting. */
function job(i, shape) {
  const ifs = Array.from({ length: 6 + (i % 10) }, (_, k) => `      if (flags[${k}]) await service.step${k}(id);`).join('\n');
  switch (shape) {
    case 0:
      return `
export async function processInBackground${i}(id: string, flags: boolean[]) {
  const infra = infrastructureProvider();
  try {
    await using session = infra.getSessionContext();
    const service = serviceProvider(session);
    await service.updateStatus(id, 'processing');
${ifs}
    if (flags[99]) return;
    await service.updateStatus(id, 'completed');
  } catch (e) {
    logger.error(\`job \${id} failed\`, e);
    await using errorSession = infra.getSessionContext();
    await serviceProvider(errorSession).updateStatus(id, 'failed', String(e));
  }
}`;
    case 1:
      return `
export async function batchInBackground${i}(jobs: Job[], flags: boolean[]) {
  for (const job of jobs) {
    try {
      await repo.update(job.id, { status: JobStatus.Running });
      switch (job.kind) {
        case 'a': await service.a(job); break;
        case 'b': await service.b(job); break;
        case 'c': if (flags[1]) continue; await service.c(job); break;
        default: await service.d(job);
      }
      await repo.update(job.id, { status: JobStatus.Completed });
    } catch (e) {
      await repo.update(job.id, { status: JobStatus.Failed, error: String(e) });
    }
  }
}`;
    case 2:
      return `
export async function nestedInBackground${i}(id: string, flags: boolean[]) {
  try {
    await prisma.job.update({ where: { id }, data: { status: 'RUNNING' } });
    const runner = dataSource.createQueryRunner();
    try {
      try {
${ifs}
      } finally {
        await runner.release();
      }
    } catch (inner) {
      logger.warn('retrying', inner);
      await service.retry(id);
    }
    await prisma.job.update({ where: { id }, data: { status: 'SUCCEEDED' } });
  } catch (e) {
    await prisma.job.update({ where: { id }, data: { status: 'FAILED' } });
  }
}`;
    default:
      return `
export function helper${i}(a: number, b: number) {
  if (a > b) return a - b;
  for (let k = 0; k < a; k++) { if (k === b) break; }
  return;
}`;
  }
}

for (let f = 0; f < files; f += 1) {
  const body = Array.from({ length: 8 }, (_, j) => job(f * 8 + j, j % 4)).join('\n');
  const text = plain ? body.replace(/InBackground/g, 'Now') : body;
  fs.writeFileSync(path.join(dir, `job${f}.ts`), `import { logger } from './logger';\n${text}\n`);
}
const lines = fs.readdirSync(dir).reduce((n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length, 0);
fs.writeFileSync(
  path.join(dir, 'eslint.config.mjs'),
  `import plugin from ${JSON.stringify(path.join(root, 'dist', 'index.js'))};
import * as parser from ${JSON.stringify(path.join(root, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js'))};
export default [{
  files: ['**/*.ts'],
  languageOptions: { parser },
  plugins: { 'background-tasks': plugin },
  rules: {${sharedFacts ? "\n    'background-tasks/no-request-session-in-background': 'error'," : ''}
    'background-tasks/require-status-updates': 'error',
    'consistent-return': 'error',
    'no-unreachable': 'error',
  },
}];
`,
);
console.log(`corpus: ${files} files, ${lines} lines in ${dir}`);
const eslintBin = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
let output;
try {
  output = execFileSync(process.execPath, [eslintBin, '--format', 'json', '.'], {
    cwd: dir,
    env: { ...process.env, TIMING: 'all' },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
} catch (error) {
  // ESLint exits 1 when it finds problems; the timing table is still on stdout.
  output = error.stdout;
}
const table = output.slice(output.lastIndexOf(']') + 1).trim();
console.log(table);
if (!process.env.KEEP_CORPUS) fs.rmSync(dir, { recursive: true, force: true });
