/**
 * What stays reachable while ESLint lints a file: a heap snapshot taken right after the parser
 * returns the N-th file (before any rule of that file runs), so that anything still alive from
 * the file before is something a rule or plugin kept. Lints the corpus through the `ESLint` class,
 * as the CLI does, with one of the configs of bench/process.mjs; writes the snapshot, then prints
 * the live heap's size, how many ESLint `SourceCode` objects are alive (the current file has none
 * yet: its SourceCode is made after the parser returns) and the retainer path of each.
 *
 * Usage: node bench/heap-probe.mjs <corpus dir> <parse|one-rule|recommended> [--at N (300)] [--dist <dist folder>]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { ESLint } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { ROOT, listSourceFiles, takeOption } from './lib.mjs';

const args = process.argv.slice(2);
const at = Number(takeOption(args, '--at') ?? '300');
const dist = path.resolve(takeOption(args, '--dist') ?? path.join(ROOT, 'dist'));
const [dir, configName] = args;
if (!dir || !['parse', 'one-rule', 'recommended'].includes(configName)) {
  process.stderr.write('usage: node bench/heap-probe.mjs <corpus dir> <parse|one-rule|recommended> [--at N] [--dist folder]\n');
  process.exit(2);
}
const files = listSourceFiles([dir]);
const snapshotFile = path.join(os.tmpdir(), `heap-probe-${configName}-${process.pid}.heapsnapshot`);

let parsed = 0;
// The same parser for every config, counting files; the snapshot is taken after the N-th parse.
const parser = {
  meta: { name: 'heap-probe-parser' },
  parseForESLint(text, options) {
    const result = tsParser.parseForESLint(text, options);
    parsed += 1;
    if (parsed === at) v8.writeHeapSnapshot(snapshotFile);
    return result;
  },
};
const base = {
  files: ['**/*.{ts,tsx,mts,cts}'],
  languageOptions: { parser, sourceType: 'module' },
  linterOptions: { reportUnusedDisableDirectives: 'off' },
};
let config;
if (configName === 'recommended') {
  const plugin = (await import(path.join(dist, 'index.js'))).default;
  config = [{ ...plugin.configs.recommended, ...base }];
} else {
  config = [{ ...base, rules: configName === 'one-rule' ? { 'no-debugger': 'error' } : {} }];
}
const eslint = new ESLint({ cwd: path.resolve(dir), overrideConfigFile: true, overrideConfig: config, ignore: false });
await eslint.lintFiles(files.slice(0, at + 1));
process.stdout.write(`${configName}: snapshot after parsing file ${at} of ${files.length}: ${snapshotFile}\n`);

// Reads the snapshot: node fields, names, edges.
const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8'));
const meta = snapshot.snapshot.meta;
const nodeFieldCount = meta.node_fields.length;
const edgeFieldCount = meta.edge_fields.length;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const { nodes, edges, strings } = snapshot;
const nf = Object.fromEntries(meta.node_fields.map((f, i) => [f, i]));
const ef = Object.fromEntries(meta.edge_fields.map((f, i) => [f, i]));
const nodeCount = nodes.length / nodeFieldCount;
const firstEdge = new Uint32Array(nodeCount + 1);
for (let i = 0; i < nodeCount; i += 1) firstEdge[i + 1] = firstEdge[i] + nodes[i * nodeFieldCount + nf.edge_count];
// Who points to whom: for a retainer path from an object to the roots.
const retainers = Array.from({ length: nodeCount }, () => []);
let totalSize = 0;
for (let i = 0; i < nodeCount; i += 1) {
  totalSize += nodes[i * nodeFieldCount + nf.self_size];
  for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += 1) {
    const to = nodes.length && edges[e * edgeFieldCount + ef.to_node] / nodeFieldCount;
    const type = edgeTypes[edges[e * edgeFieldCount + ef.type]];
    if (type === 'weak') continue;
    const nameOrIndex = edges[e * edgeFieldCount + ef.name_or_index];
    retainers[to].push({ from: i, name: type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : strings[nameOrIndex] });
  }
}
const nameOf = (i) => strings[nodes[i * nodeFieldCount + nf.name]];
const typeOf = (i) => nodeTypes[nodes[i * nodeFieldCount + nf.type]];

/** The shortest path from the GC roots (node 0) to a node, as `a.b.c` names. */
function retainerPath(target) {
  const previous = new Map([[target, undefined]]);
  const queue = [target];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === 0) break;
    for (const { from, name } of retainers[node]) {
      if (previous.has(from)) continue;
      previous.set(from, { to: node, name });
      queue.push(from);
    }
  }
  if (!previous.has(0)) return '(unreachable)';
  const steps = [];
  for (let node = 0; node !== target; ) {
    const step = previous.get(node);
    steps.push(`${typeOf(node) === 'synthetic' ? nameOf(node) : `${nameOf(node)}`} --${step.name}-->`);
    node = step.to;
  }
  return `${steps.slice(1).join(' ')} ${nameOf(target)}`;
}

// Instances only (they have an `ast`), not the class's prototype object, which has the same name.
const hasAst = (i) => {
  for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += 1) {
    const property = edgeTypes[edges[e * edgeFieldCount + ef.type]] === 'property';
    if (property && strings[edges[e * edgeFieldCount + ef.name_or_index]] === 'ast') return true;
  }
  return false;
};
const sourceCodes = [];
for (let i = 0; i < nodeCount; i += 1) if (typeOf(i) === 'object' && nameOf(i) === 'SourceCode' && hasAst(i)) sourceCodes.push(i);
process.stdout.write(`live heap ${(totalSize / 1e6).toFixed(1)} MB; SourceCode objects alive: ${sourceCodes.length}\n`);
for (const i of sourceCodes) process.stdout.write(`  ${retainerPath(i)}\n`);
fs.rmSync(snapshotFile, { force: true });
