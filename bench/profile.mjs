#!/usr/bin/env node
/**
 * Where our plugin's time goes: lints a folder several rounds in one process with
 * configs.recommended, under the V8 CPU profiler, and prints the inclusive time of the plugin's
 * functions (dist/), largest first.
 *
 *   npm run build && node bench/profile.mjs [folder=bench/.corpus] [rounds=4] [top=30]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [folderArgument = path.join(root, 'bench/.corpus'), rounds = '4', top = '30'] = process.argv.slice(2);
const folder = path.resolve(folderArgument);

if (process.env.BENCH_PROFILE_CHILD) {
  const { default: plugin } = await import(path.join(root, 'dist/index.js'));
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: folder, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended], ignore: false });
  for (let i = 0; i < Number(rounds); i++) await eslint.lintFiles(['**/*.ts']);
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-profile-'));
execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(import.meta.url), folder, rounds], {
  env: { ...process.env, BENCH_PROFILE_CHILD: '1' },
  stdio: 'inherit',
});
const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
fs.rmSync(dir, { recursive: true, force: true });

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfTime = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  total += delta;
  selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
});
const distUrl = `${pathToFileURL(path.join(root, 'dist')).href}/`;
const ours = (frame) => frame.url.startsWith(distUrl);
const label = (frame) => `${frame.functionName || '(anonymous)'} ${frame.url.slice(distUrl.length)}:${frame.lineNumber + 1}`;
const inclusive = new Map();
let pluginSelf = 0;
for (const [id, time] of selfTime) {
  if (ours(byId.get(id).callFrame)) pluginSelf += time;
  const seen = new Set();
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const frame = byId.get(current).callFrame;
    if (!ours(frame)) continue;
    const key = label(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + time);
  }
}
const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
console.log(`profile: ${rounds} rounds over ${folder}: ${ms(total)} sampled, plugin self time ${ms(pluginSelf)} (${((100 * pluginSelf) / total).toFixed(1)} %)`);
for (const [key, time] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${ms(time).padStart(9)}  ${key}`);
