// Cost of reading callees' modules in other files (issue 17 check for round 9 of issue 13):
// `node bench/other-files-cost.mjs <folder> [rounds]` lints every .ts/.js file of a folder with
// configs.recommended in one process, rounds alternating between the disk as the source of other
// files and no source at all (nothing read: the rules as before round 9); CPU ms per round.
// Switching sources empties the parsed-module cache, so each disk round pays the cold cost.
import { ESLint } from 'eslint';
import fs from 'node:fs';
import path from 'node:path';
const dist = new URL('../dist', import.meta.url).pathname;
const plugin = (await import(dist + '/index.js')).default;
const foreign = await import(dist + '/analysis/tasks/foreign-callees.js');
const root = process.argv[2];
const rounds = Number(process.argv[3] || 3);
const files = [];
(function walk(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) { if (e.name === 'node_modules' || e.name.startsWith('.')) continue; const f = path.join(d, e.name); if (e.isDirectory()) walk(f); else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(f); } })(root);
const none = { version: () => undefined, read: () => undefined };
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended, { settings: { 'background-tasks': { processRejectionHandler: 'none' } } }] });
const texts = files.map((f) => [f, fs.readFileSync(f, 'utf8')]);
async function run(src) {
  foreign.setOtherFileSource(src);
  let problems = 0;
  const t = process.cpuUsage();
  for (const [f, text] of texts) { const [r] = await eslint.lintText(text, { filePath: f }); problems += r.messages.filter((m) => m.ruleId?.startsWith('background-tasks/')).length; }
  const u = process.cpuUsage(t);
  return { ms: Math.round((u.user + u.system) / 1000), problems };
}
await run(none); // warm-up
const res = { disk: [], none: [] };
for (let i = 0; i < rounds; i++) { for (const [k, src] of (i % 2 ? [['none', none], ['disk', foreign.diskFiles]] : [['disk', foreign.diskFiles], ['none', none]])) res[k].push(await run(src)); }
console.log(JSON.stringify({ files: files.length, ...res }));
