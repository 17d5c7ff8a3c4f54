import { ESLint } from 'eslint';
import path from 'node:path';
import fs from 'node:fs';
const root = process.argv[2];
const { default: plugin } = await import(path.join(root, 'dist/index.js'));
const dirs = process.argv.slice(3);
const out = [];
for (const dir of dirs) {
  const eslint = new ESLint({
    cwd: dir, overrideConfigFile: true, ignore: true,
    overrideConfig: [
      { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/*.d.ts', '**/*.min.js', '**/public/**', '**/vendor/**'] },
      { ...plugin.configs.all, rules: { 'background-tasks/no-dispatch-in-transaction': 'error', 'background-tasks/require-session-scope': 'error' } },
    ],
  });
  const results = await eslint.lintFiles(['**/*.{ts,tsx,mts,cts,js,mjs,cjs}']);
  for (const r of results) for (const m of r.messages) {
    if (m.ruleId === null) continue;
    out.push({ file: r.filePath, line: m.line, rule: m.ruleId, messageId: m.messageId, message: m.message });
  }
  process.stderr.write(`${dir}: ${results.length} files\n`);
}
fs.writeFileSync(process.argv[1].replace(/\.mjs$/, '.json'), JSON.stringify(out, null, 1));
for (const o of out) if (o.rule.endsWith('no-dispatch-in-transaction') || /Transaction|Commit|concurrent|bypass/.test(o.messageId)) console.log(`${o.file}:${o.line} ${o.messageId} ${o.message.slice(0, 150)}`);
