#!/usr/bin/env node
// Lints every TypeScript source of the given repositories with `configs.all` of the built plugin
// (no inline config) and writes each diagnostic of the plugin, with a code frame, to a JSON file
// for judging. Usage: node bench/precision-rules/sweep.mjs <out.json> <repoDir>...
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

const [out, ...repos] = process.argv.slice(2);
if (!out || repos.length === 0) {
  process.stderr.write('usage: sweep.mjs <out.json> <repoDir>...\n');
  process.exit(2);
}
const plugin = (await import(path.resolve('dist/index.js'))).default;
const IGNORES = [
  '**/node_modules/**', '**/dist/**', '**/build/**', '**/*.d.ts',
  '**/generated/**', '**/__generated__/**', '**/*.generated.ts', '**/*.gen.ts', '**/.next/**',
];
const result = { repos: [], diagnostics: [], crashes: [] };
for (const dir of repos) {
  const root = path.resolve(dir);
  const origin = existsSync(path.join(root, '.origin.json'))
    ? JSON.parse(readFileSync(path.join(root, '.origin.json'), 'utf8'))
    : { repo: path.basename(root), commit: 'unknown' };
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ ignores: IGNORES }, plugin.configs.all, { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } }],
    errorOnUnmatchedPattern: false,
  });
  const started = Date.now();
  const results = await eslint.lintFiles(['**/*.ts']);
  const perRule = {};
  for (const r of results) {
    const rel = path.relative(root, r.filePath);
    const lines = r.source ?? readFileSync(r.filePath, 'utf8');
    const src = lines.split('\n');
    for (const m of r.messages) {
      if (m.fatal || !m.ruleId) {
        if (!/Parsing error/.test(m.message)) result.crashes.push({ repo: origin.repo, file: rel, message: m.message });
        continue;
      }
      if (!m.ruleId.startsWith('background-tasks/')) continue;
      const rule = m.ruleId.slice('background-tasks/'.length);
      perRule[rule] = (perRule[rule] ?? 0) + 1;
      const from = Math.max(0, m.line - 4), to = Math.min(src.length, m.line + 3);
      result.diagnostics.push({
        repo: origin.repo, commit: origin.commit, file: rel, line: m.line, column: m.column, rule,
        message: m.message,
        frame: src.slice(from, to).map((l, i) => `${from + i + 1 === m.line ? '>' : ' '}${String(from + i + 1).padStart(5)}| ${l}`).join('\n'),
      });
    }
  }
  result.repos.push({ ...origin, dir: root, files: results.length, ms: Date.now() - started, perRule });
  process.stderr.write(`${origin.repo}: ${results.length} files, ${Object.values(perRule).reduce((a, b) => a + b, 0)} diagnostics, ${Date.now() - started} ms\n`);
}
writeFileSync(out, JSON.stringify(result, null, 1));
