#!/usr/bin/env node
/**
 * `node bench/registrations.mjs [--config recommended|all] [--paths '{"@server/*":["server/*"]}'] [--out file.json] <dir>`:
 * what the type-aware registration index (src/analysis/tasks/registrations.ts) adds on real code.
 * Builds one ts.Program over the folder's source files (corpus folders have no tsconfig, so
 * `--paths` gives the path aliases a real tsconfig would), builds the index, then lints the files
 * it points at twice, without types and with the program (`parserOptions.programs`), and prints
 * the background tasks and diagnostics that only the type-aware run has.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Linter } from 'eslint';
import { ROOT, listSourceFiles, loadPlugin, takeOption } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name) => takeOption(args, name);
const configName = option('--config') ?? 'recommended';
const paths = JSON.parse(option('--paths') ?? '{}');
const out = option('--out');
const untypedSettings = option('--settings');
const dir = path.resolve(args[0] ?? '.');

const plugin = await loadPlugin();
const { getFileFacts } = await import(path.join(ROOT, 'dist', 'analysis', 'facts.js'));
const { registrationIndex } = await import(path.join(ROOT, 'dist', 'analysis', 'tasks', 'registrations.js'));
const { vocabularyFromSettings } = await import(path.join(ROOT, 'dist', 'model', 'settings.js'));

const files = listSourceFiles([dir], { includeJs: true }).filter((f) => !/\.(test|spec)\.[cm]?[jt]sx?$/.test(f));

if (untypedSettings !== undefined) {
  // `--settings '{"taskBaseClasses":[...]}'`: the untyped recipe instead, every file linted without
  // and with these settings, and what the settings add.
  const config = plugin.configs[configName];
  const linter = new Linter({ cwd: '/' });
  let tasksOfFile = [];
  const probe = { meta: { type: 'problem', schema: [] }, create(context) { tasksOfFile = getFileFacts(context).tasks.map((t) => ({ line: t.fn.loc.start.line, label: t.label, reasons: t.reasons.map((r) => `${r.kind}: ${r.detail}`) })); return {}; } };
  const lint = (file, settings) => {
    tasksOfFile = [];
    const messages = linter.verify(fs.readFileSync(file, 'utf8'), [{ ...config, files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'], plugins: { ...config.plugins, probe: { rules: { tasks: probe } } }, rules: { ...config.rules, 'probe/tasks': 'error' }, settings: { ...config.settings, ...(settings ? { 'background-tasks': settings } : {}) } }], { filename: file });
    return { messages: messages.filter((m) => m.ruleId?.startsWith('background-tasks/')), tasks: tasksOfFile };
  };
  const settings = JSON.parse(untypedSettings);
  let newTasks = 0;
  let newDiagnostics = 0;
  for (const file of files) {
    const plain = lint(file, undefined);
    const withSettings = lint(file, settings);
    const relative = path.relative(dir, file);
    const lines = new Set(plain.tasks.map((t) => t.line));
    for (const t of withSettings.tasks) if (!lines.has(t.line)) { newTasks += 1; process.stdout.write(`  task ${relative}:${t.line} ${t.label}\n`); }
    const keys = new Set(plain.messages.map((m) => `${m.line}:${m.column}:${m.ruleId}`));
    for (const m of withSettings.messages) if (!keys.has(`${m.line}:${m.column}:${m.ruleId}`)) { newDiagnostics += 1; process.stdout.write(`  diag ${relative}:${m.line} ${m.ruleId}: ${m.message.slice(0, 140)}\n`); }
  }
  process.stdout.write(`${path.basename(dir)} (untyped, settings ${untypedSettings}): ${files.length} files, ${newTasks} new tasks, ${newDiagnostics} new diagnostics\n`);
  process.exit(0);
}
const started = performance.now();
const options = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  experimentalDecorators: true,
  jsx: ts.JsxEmit.Preserve,
  baseUrl: dir,
  paths,
};
const program = ts.createProgram(files, options);
// The checker binds every file: type-aware linting pays that anyway, so it is timed apart from the index.
const checkerStarted = performance.now();
program.getTypeChecker();
const checkerMs = performance.now() - checkerStarted;
const programMs = checkerStarted - started;
const indexStarted = performance.now();
const index = registrationIndex(program, vocabularyFromSettings(undefined), ts);
const indexMs = performance.now() - indexStarted;
// An editor's next program after an edit reuses the unchanged SourceFiles: the index is rebuilt for
// it, but only the checker's part is redone (the walk is remembered per SourceFile).
const next = ts.createProgram(files, options, undefined, program);
next.getTypeChecker();
const rebuildStarted = performance.now();
registrationIndex(next, vocabularyFromSettings(undefined), ts);
const rebuildMs = performance.now() - rebuildStarted;

// Files the index points at: registered functions, and subclasses (any depth) of classes with job methods.
const candidates = new Set(index.byFile.keys());
const baseNames = new Set([...index.jobMethods.keys()].map((d) => d.parent?.name?.text).filter(Boolean));
for (let grew = true; grew; ) {
  grew = false;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/class\s+(\w+)(?:<[^>]*>)?\s+extends\s+(\w+)/g)) {
      if (baseNames.has(match[2])) {
        candidates.add(file);
        if (!baseNames.has(match[1])) {
          baseNames.add(match[1]);
          grew = true;
        }
      }
    }
  }
}

const config = plugin.configs[configName];
let tasksOfFile = [];
const probe = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    tasksOfFile = getFileFacts(context).tasks.map((t) => ({ line: t.fn.loc.start.line, label: t.label, reasons: t.reasons.map((r) => `${r.kind}: ${r.detail}`) }));
    return {};
  },
};
const linter = new Linter({ cwd: '/' });
const run = (file, typed) => {
  tasksOfFile = [];
  const messages = linter.verify(
    fs.readFileSync(file, 'utf8'),
    [
      {
        ...config,
        files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
        languageOptions: { ...config.languageOptions, parserOptions: { ...config.languageOptions?.parserOptions, ...(typed ? { programs: [program] } : {}) } },
        plugins: { ...config.plugins, probe: { rules: { tasks: probe } } },
        rules: { ...config.rules, 'probe/tasks': 'error' },
      },
    ],
    { filename: file },
  );
  return { messages: messages.filter((m) => m.ruleId?.startsWith('background-tasks/')), tasks: tasksOfFile };
};
const key = (m) => `${m.line}:${m.column}:${m.ruleId}`;
const result = { dir, programMs: Math.round(programMs), checkerMs: Math.round(checkerMs), indexMs: Math.round(indexMs), rebuildMs: Math.round(rebuildMs), files: files.length, candidates: candidates.size, newTasks: [], newDiagnostics: [] };
for (const file of [...candidates].sort()) {
  const plain = run(file, false);
  const typed = run(file, true);
  const relative = path.relative(dir, file);
  const plainTasks = new Set(plain.tasks.map((t) => t.line));
  for (const t of typed.tasks) if (!plainTasks.has(t.line)) result.newTasks.push({ path: relative, ...t });
  const plainKeys = new Set(plain.messages.map(key));
  for (const m of typed.messages) if (!plainKeys.has(key(m))) result.newDiagnostics.push({ path: relative, line: m.line, rule: m.ruleId, message: m.message });
}
const text = JSON.stringify(result, null, 1);
if (out) fs.writeFileSync(out, `${text}\n`);
process.stdout.write(
  `${path.basename(dir)}: ${files.length} files, program ${result.programMs} ms, checker ${result.checkerMs} ms, index ${result.indexMs} ms (next program ${result.rebuildMs} ms), ${candidates.size} files linted, ${result.newTasks.length} new tasks, ${result.newDiagnostics.length} new diagnostics\n`,
);
for (const t of result.newTasks) process.stdout.write(`  task ${t.path}:${t.line} ${t.label} [${t.reasons.filter((r) => r.startsWith('registered')).join('; ')}]\n`);
for (const d of result.newDiagnostics) process.stdout.write(`  diag ${d.path}:${d.line} ${d.rule}: ${d.message.slice(0, 140)}\n`);
