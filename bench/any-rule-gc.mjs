/**
 * Why one trivial rule costs more than no rule at all: ESLint's garbage collection.
 *
 * ESLint builds each rule's context as `Object.create(fileContext)`, one file context per file.
 * V8 turns an object used as a prototype into a prototype object that its maps (old space) point
 * to, so every file's context, and through it its SourceCode, AST and scope manager, survives the
 * young generation's collections and is promoted. A no-rule run makes no rule contexts.
 *
 * This script lints the bench corpus in one child process per variant and reports the young
 * generation's pause time and promoted bytes (V8's --trace-gc-nvp): no rules, `no-debugger`
 * alone, and `no-debugger` alone with the file context's `extend` replaced by a plain copy
 * (patched in this process only, through the same module instance ESLint loads).
 *
 * Usage: node bench/any-rule-gc.mjs [rounds]    (after `npm run bench` has written bench/.work/files.json)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const listFile = path.join(path.dirname(here), '.work', 'files.json');
const [variant, roundsArg] = process.argv.slice(2);

if (variant === undefined || /^\d+$/.test(variant)) {
  if (!fs.existsSync(listFile)) {
    process.stderr.write('bench/.work/files.json is missing: run `npm run bench` first\n');
    process.exit(2);
  }
  const rounds = variant ?? '3';
  const rows = [];
  for (const name of ['no-rules', 'one-rule', 'one-rule-plain-context']) {
    const trace = execFileSync(process.execPath, ['--trace-gc-nvp', here, name, rounds], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    let pause = 0;
    let promoted = 0;
    let scavenges = 0;
    for (const line of trace.split('\n')) {
      if (!line.includes('gc=s ')) continue;
      scavenges += 1;
      pause += Number(/ pause=([\d.]+)/.exec(line)?.[1] ?? 0);
      promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    }
    const wallMs = Number(/^wall=([\d.]+)$/m.exec(trace)?.[1] ?? NaN);
    rows.push({ name, scavenges, pauseMs: Math.round(pause), promotedMb: Math.round(promoted / 1e6), wallMs: Math.round(wallMs) });
  }
  process.stdout.write('| run | scavenges | scavenge pause (ms) | promoted (MB) | lint time (ms) |\n| --- | --- | --- | --- | --- |\n');
  for (const r of rows) process.stdout.write(`| ${r.name} | ${r.scavenges} | ${r.pauseMs} | ${r.promotedMb} | ${r.wallMs} |\n`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const { Linter } = require('eslint');
if (variant === 'one-rule-plain-context') {
  // The module instance Linter uses: the same resolved file, so the same class.
  const eslintDir = path.dirname(require.resolve('eslint/package.json'));
  const { FileContext } = require(path.join(eslintDir, 'lib', 'linter', 'file-context.js'));
  const copied = ['cwd', 'filename', 'physicalFilename', 'sourceCode', 'languageOptions', 'settings'];
  FileContext.prototype.extend = function extend(extension) {
    const plain = {};
    for (const key of copied) plain[key] = this[key];
    for (const key of ['getCwd', 'getFilename', 'getPhysicalFilename', 'getSourceCode', 'parserOptions', 'parserPath']) plain[key] = this[key];
    return Object.freeze(Object.assign(plain, extension));
  };
}
const tsParser = require('@typescript-eslint/parser');
const { files } = JSON.parse(fs.readFileSync(listFile, 'utf8'));
const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
const config = [
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parser: tsParser },
    rules: variant === 'no-rules' ? {} : { 'no-debugger': 'error' },
  },
];
const linter = new Linter({ cwd: '/' });
const start = performance.now();
for (let round = 0; round < Number(roundsArg ?? '3'); round += 1) {
  for (let i = 0; i < files.length; i += 1) linter.verify(texts[i], config, { filename: files[i] });
}
process.stdout.write(`wall=${(performance.now() - start).toFixed(0)}\n`);
