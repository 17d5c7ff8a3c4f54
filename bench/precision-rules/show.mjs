#!/usr/bin/env node
// Prints the diagnostics of a sweep file with their code frames, for judging.
// Usage: node bench/precision-rules/show.mjs <sweep.json> [repoSubstring] [ruleSubstring]
import { readFileSync } from 'node:fs';

const [file, repo = '', rule = ''] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: show.mjs <sweep.json> [repo] [rule]\n');
  process.exit(2);
}
const { diagnostics } = JSON.parse(readFileSync(file, 'utf8'));
let n = 0;
for (const d of diagnostics) {
  if (!d.repo.includes(repo) || !d.rule.includes(rule)) continue;
  n += 1;
  process.stdout.write(`\n#${n} ${d.rule} ${d.repo} ${d.file}:${d.line}:${d.column}\n  ${d.message}\n${d.frame}\n`);
}
