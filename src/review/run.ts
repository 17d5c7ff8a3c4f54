/**
 * The runner: the only part of the review that does I/O. Finds the range and the changed
 * files, lints them, finds the touched tasks, evaluates them, renders, writes the output
 * atomically and picks the exit code.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Severity } from '../model/checklist.js';
import type { CompiledVocabulary } from '../model/settings.js';
import { evaluateTask, findingsOf, taskSearchName, type TestFile } from './evaluate.js';
import type { Finding } from '../model/finding.js';
import { allFiles, changedFiles, readAtHead, readManyAtHead, repositoryRoot, resolveRange, ReviewEnvironmentError, testFilesMentioning } from './git.js';
import { RuleRunner, type LintedFile } from './lint.js';
import { summarise, type Report, type ReviewProblem } from './report.js';
import { renderGithub } from './render/github.js';
import { renderJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';
import { renderSarif } from './render/sarif.js';
import { renderTerminal } from './render/terminal.js';
import type { FailOn, Format } from './options.js';
import { crossFileDispatches, crossFileInput, factsOf, registrationDispatches, touchedTasks, type CrossFileDispatch, type CrossFileInput, type DispatchResolution } from './tasks.js';


export interface ReviewOptions {
  readonly root: string;
  readonly base?: string;
  readonly head?: string;
  readonly worktree: boolean;
  readonly all: boolean;
  readonly useEslintConfig: boolean;
  readonly settingsFile?: string;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Builds the report data for a repository and range. */
export async function buildReport(options: ReviewOptions): Promise<Report> {
  const root = await repositoryRoot(options.root);
  const range = await resolveRange(root, options);
  const runner = await RuleRunner.create(root, { useEslintConfig: options.useEslintConfig, settingsFile: options.settingsFile });
  const changes = options.all ? await allFiles(root, range) : await changedFiles(root, range);
  const problems: ReviewProblem[] = [];
  const linted = new Map<string, { linted: LintedFile; facts: ReturnType<typeof factsOf>; ranges: readonly (readonly [number, number])[] }>();
  const crossFile = !options.all && existsSync(path.join(root, 'tsconfig.json'));
  const crossInputs: CrossFileInput[] = [];
  const allFindings: Finding[] = [];
  const prefetched = await readManyAtHead(root, range, changes.files.map((f) => f.path));
  /** The vocabulary of the settings, from the first linted file (the registration index's). */
  let vocabulary: CompiledVocabulary | undefined;
  const lintOne = async (file: string, ranges: readonly (readonly [number, number])[], keep = false) => {
    const text = prefetched.get(file) ?? (await readAtHead(root, range, file));
    if (text === undefined) return;
    const result = await runner.lint(file, text);
    vocabulary ??= result.vocabulary;
    if (result.parseError) problems.push({ file, line: result.parseError.line, message: result.parseError.message });
    for (const finding of result.findings) {
      if (keep || !overlapsAny(ranges, finding.line)) continue;
      allFindings.push(finding);
    }
    const facts = factsOf(result);
    if (crossFile && facts && !keep) {
      const input = crossFileInput(result, facts);
      if (input) crossInputs.push(input);
    }
    // A file with no task has nothing more to give: let its AST go.
    if (!facts || (!keep && facts.tasks.length === 0)) return;
    linted.set(file, { linted: result, facts, ranges });
  };
  const rangesByFile = new Map(changes.files.map((f) => [f.path, f.ranges]));
  for (const file of changes.files) {
    // Files the repository's own config ignores (generated code, vendored files) are not reviewed.
    if (!(await runner.isIgnored(file.path))) await lintOne(file.path, file.ranges);
  }

  const resolution: DispatchResolution = crossFile ? 'type-checker' : 'in-file only';
  let cross: CrossFileDispatch[] = [];
  if (crossFile) {
    cross = await crossFileDispatches(root, crossInputs);
    // Jobs in the changed files that another file registers (the rules' per-program registration index).
    const changedTexts = new Map(changes.files.flatMap((f) => (prefetched.has(f.path) ? [[f.path, prefetched.get(f.path)!] as const] : [])));
    if (vocabulary) cross.push(...(await registrationDispatches(root, range, changedTexts, vocabulary, (files) => readManyAtHead(root, range, files))));
    // Files that hold a started function: dropped above when they had no task of their own.
    for (const target of new Set(cross.map((c) => c.targetFile))) {
      if (!linted.has(target)) await lintOne(target, rangesByFile.get(target) ?? [], true);
    }
  }
  const tasks = touchedTasks([...linted.values()], cross, options.all, rangesByFile);
  const names = [...new Set(tasks.map((t) => taskSearchName(t)).filter((n): n is string => n !== undefined))];
  const tests: TestFile[] = [];
  const testFiles = await testFilesMentioning(root, range, names);
  const testTexts = await readManyAtHead(root, range, testFiles);
  for (const file of testFiles) {
    const text = testTexts.get(file);
    if (text !== undefined) tests.push({ file, text });
  }
  const results = tasks.map((task) => evaluateTask(task, tests));
  const key = (f: Finding) => `${f.file}\0${f.line}\0${f.column}\0${f.ruleId}`;
  const inTasks = new Set(tasks.flatMap((task) => findingsOf(task).map(key)));
  const otherFindings = allFindings
    .filter((f) => !inTasks.has(key(f)))
    .map((f) => ({
      file: f.file,
      line: f.line,
      message: f.message,
      rule: f.ruleId,
      item: f.items[0] ?? f.ruleId,
      severity: f.severity,
      ...(f.suppression ? { suppression: f.suppression } : {}),
    }));
  return {
    version: 1,
    range: { base: range.mergeBase, head: range.head ?? 'WORKTREE' },
    tasks: results,
    summary: summarise(results),
    dispatchResolution: resolution,
    problems: problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    otherFindings,
  };
}

const overlapsAny = (ranges: readonly (readonly [number, number])[], line: number): boolean =>
  ranges.some(([from, to]) => from <= line && line <= to);

/** Renders report data in a format. */
export function render(report: Report, format: Format, colour = false): string {
  switch (format) {
    case 'markdown':
      return renderMarkdown(report);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, VERSION);
    case 'github':
      return renderGithub(report);
    case 'terminal':
      return renderTerminal(report, colour);
  }
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** 1 when an item fails at or above the threshold, else 0. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = failOn === 'error' ? 2 : 1;
  const failing =
    report.tasks.some((t) => t.items.some((i) => i.status === 'fail' && RANK[i.severity] >= threshold)) ||
    report.otherFindings.some((f) => !f.suppression && RANK[f.severity] >= threshold);
  return failing ? 1 : 0;
}

/** Writes a file atomically: a temp file beside it, then a rename. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const target = path.resolve(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temp, text, 'utf8');
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new ReviewEnvironmentError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
