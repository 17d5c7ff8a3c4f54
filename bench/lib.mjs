/** Shared helpers of the bench scripts: corpus file lists, the built plugin, lint configs. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.dirname(BENCH_DIR);
export const WORK_DIR = path.join(BENCH_DIR, '.work');

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next', '.turbo', 'vendor', '__generated__', 'generated']);
const TS_FILE = /\.(ts|tsx|mts|cts)$/;
const TS_OR_JS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Larger files are generated code (schemas, bundles), not what a developer lints by hand. */
const MAX_FILE_BYTES = 300_000;

/** Every TypeScript (and with includeJs, JavaScript) source file under the folders (no declarations, no generated folders), sorted. */
export function listSourceFiles(dirs, { includeJs = false } = {}) {
  const pattern = includeJs ? TS_OR_JS_FILE : TS_FILE;
  const files = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) visit(full);
      } else if (entry.isFile() && pattern.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name) && !/\.min\.js$/.test(entry.name)) {
        if (fs.statSync(full).size <= MAX_FILE_BYTES) files.push(full);
      }
    }
  };
  for (const dir of dirs) visit(path.resolve(dir));
  return files.sort();
}

/** Every n-th file, so that a sample spreads over the whole corpus. */
export function sample(files, count) {
  if (files.length <= count) return files;
  const step = files.length / count;
  return Array.from({ length: count }, (_, i) => files[Math.floor(i * step)]);
}

/** The built plugin (dist/), loaded fresh by each process. */
export async function loadPlugin() {
  const distIndex = path.join(ROOT, 'dist', 'index.js');
  if (!fs.existsSync(distIndex)) throw new Error('dist/ is missing: run `npm run build` first');
  return (await import(distIndex)).default;
}

/** Rule ids (`background-tasks/x`) of all the plugin's rules. */
export function ourRuleIds(plugin) {
  return Object.keys(plugin.rules).map((name) => `${plugin.meta.namespace}/${name}`);
}

/** Core rules of a similar kind: scope analysis over every function (like our facts). */
export const CORE_COMPARISON_RULES = ['no-unused-vars', 'require-await'];
export const TYPED_COMPARISON_RULE = '@typescript-eslint/no-floating-promises';

/** Writes a tsconfig listing exactly these files (type-aware runs over any corpus). */
export function writeTypedTsconfig(files, name = 'tsconfig.typed.json') {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const file = path.join(WORK_DIR, name);
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      jsx: 'preserve',
      experimentalDecorators: true,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    files,
  };
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** `1234.5` -> `1,234.5`. */
export const fmt = (n, digits = 1) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

/** A Markdown table from a header row and body rows. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Removes `name <value>` from an argument list and returns the value (undefined when absent). */
export function takeOption(args, name) {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}
