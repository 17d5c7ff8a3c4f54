#!/usr/bin/env node
/**
 * `npm run sweep [-- dir ...]`: lints every file of a corpus with configs.strict (every rule, every option on: the most code paths) and counts crashes
 * (a rule that throws). Zero crashes allowed: exits 1 on any. Files the parser rejects are
 * counted apart (not our bug). Without folders: BENCH_CORPUS, else the synthetic corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { generateCorpus } from './corpus.mjs';
import { BENCH_DIR, listSourceFiles, loadPlugin } from './lib.mjs';

const args = process.argv.slice(2);
let dirs = args.length ? args : (process.env.BENCH_CORPUS ?? '').split(':').filter(Boolean);
for (const dir of dirs) {
  if (!fs.existsSync(dir)) {
    process.stderr.write(`sweep: folder not found: ${dir}\n`);
    process.exit(2);
  }
}
if (dirs.length === 0) {
  dirs = [path.join(BENCH_DIR, '.corpus')];
  generateCorpus({ seed: Number(process.env.BENCH_SEED ?? '1'), files: Number(process.env.BENCH_FILES ?? '300'), out: dirs[0] });
}

const plugin = await loadPlugin();
const all = plugin.configs.strict;
const config = [{ ...all, files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'] }];
const linter = new Linter({ cwd: '/' });
const files = listSourceFiles(dirs, { includeJs: true });
let parseErrors = 0;
let diagnostics = 0;
const crashes = [];
const start = performance.now();
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    const messages = linter.verify(text, config, { filename: file });
    if (messages.some((m) => m.fatal)) parseErrors += 1;
    diagnostics += messages.filter((m) => m.ruleId?.startsWith(`${plugin.meta.namespace}/`)).length;
  } catch (error) {
    crashes.push({ file, message: error instanceof Error ? error.message.split('\n').slice(0, 3).join(' / ') : String(error) });
  }
}
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `sweep: ${files.length} files (${Object.keys(all.rules).length} rules of configs.strict) in ${seconds.toFixed(1)} s: ` +
    `${crashes.length} crashes, ${parseErrors} files the parser rejects, ${diagnostics} diagnostics\n`,
);
for (const crash of crashes) process.stdout.write(`  CRASH ${crash.file}: ${crash.message}\n`);
if (crashes.length > 0) process.exitCode = 1;
