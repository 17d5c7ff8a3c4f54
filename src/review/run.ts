/**
 * The runner: the only part of the review that does I/O. Finds the range and the changed
 * files, lints them, finds the touched tasks, evaluates them, renders, writes the output
 * atomically and picks the exit code.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { PACKAGE_VERSION } from '../package-info.js';
import type { Severity } from '../model/checklist.js';
import type { CompiledVocabulary } from '../model/settings.js';
import { evaluateTask, findingsOf, taskSearchName, type TestFile } from './evaluate.js';
import type { Finding } from '../model/finding.js';
import { allFiles, changedFiles, headBlobs, holdsUnreviewedCode, readAtHead, readManyAtHead, repositoryRoot, resolveRange, ReviewEnvironmentError, testFilesMentioning, type ReviewRange } from './git.js';
import { diskFiles, setOtherFileSource } from '../analysis/tasks/foreign-callees.js';
import { revisionFiles } from './revision-files.js';
import { BULK_SUPPRESSIONS_FILE, RuleRunner, type LintedFile } from './lint.js';
import { toEslintRanges, type LineRanges } from './lines.js';
import { oneLine } from './options.js';
import { ReviewCompiler } from './program.js';
import { summarise, type NotReviewed, type Report, type ReviewProblem, type TaskResult } from './report.js';
import { renderGithub } from './render/github.js';
import { renderJson } from './render/json.js';
import { renderMarkdown, type MarkdownOptions } from './render/markdown.js';
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
  /** Called after each changed file is looked at (for a progress line). */
  readonly progress?: (done: number, total: number) => void;
}


/** Files larger than this are not analysed (a generated 5 MB file costs half a minute and gigabytes). */
export const MAX_FILE_CHARS = 1_000_000;

/** Builds the report data for a repository and range. */
export async function buildReport(options: ReviewOptions): Promise<Report> {
  const root = await repositoryRoot(options.root);
  const range = await resolveRange(root, options);
  // A callee's module in another file is read from the reviewed revision, as everything else is.
  const blobs = await headBlobs(root, range);
  setOtherFileSource(blobs ? revisionFiles(root, blobs) : diskFiles);
  try {
    return await reportFor(options, root, range);
  } finally {
    setOtherFileSource(diskFiles);
  }
}

async function reportFor(options: ReviewOptions, root: string, range: ReviewRange): Promise<Report> {
  // Read from the reviewed revision: an untracked copy in the working tree must not steer a commit review.
  const bulk = await readAtHead(root, range, BULK_SUPPRESSIONS_FILE);
  const runner = await RuleRunner.create(root, { useEslintConfig: options.useEslintConfig, settingsFile: options.settingsFile, bulkSuppressions: bulk });
  const changes = options.all ? await allFiles(root, range) : await changedFiles(root, range);
  const problems: ReviewProblem[] = [];
  const notReviewed: NotReviewed[] = changes.skipped
    .filter((s) => holdsUnreviewedCode(s.reason))
    .map((s) => ({ file: s.path, reason: s.reason, blocking: true }));
  const notes: string[] = [];
  const linted = new Map<string, { linted: LintedFile; facts: ReturnType<typeof factsOf>; ranges: LineRanges }>();
  const crossFile = !options.all && existsSync(path.join(root, 'tsconfig.json'));
  const crossInputs: CrossFileInput[] = [];
  const allFindings: Finding[] = [];
  const prefetched = await readManyAtHead(root, range, changes.files.map((f) => f.path));
  /** The vocabulary of the settings, from the first linted file (the registration index's). */
  let vocabulary: CompiledVocabulary | undefined;
  const rangesByFile = new Map<string, LineRanges>();
  for (const f of changes.files) {
    const text = prefetched.get(f.path);
    rangesByFile.set(f.path, text === undefined ? f.ranges : toEslintRanges(text, f.ranges));
  }
  const unconfigured: string[] = [];
  const lintOne = async (file: string, ranges: LineRanges, keep = false) => {
    const text = prefetched.get(file) ?? (await readAtHead(root, range, file));
    if (text === undefined) return;
    if (text.length > MAX_FILE_CHARS) {
      notReviewed.push({ file, reason: `larger than ${MAX_FILE_CHARS.toLocaleString('en-US')} characters (generated code? ignore it in the ESLint config)`, blocking: true });
      return;
    }
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
    // A file none of whose tasks the change touches by itself has nothing more to give: let its
    // AST go. When another file turns out to start one of its functions, it is linted again below.
    if (!facts) return;
    if (!keep && (facts.tasks.length === 0 || (!options.all && touchedTasks([{ linted: result, facts, ranges }], [], false, rangesByFile).length === 0))) return;
    linted.set(file, { linted: result, facts, ranges });
  };
  /** One file's failure is that file's problem: the rest is still reviewed. */
  const isolated = async (file: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (error instanceof ReviewEnvironmentError) throw error;
      linted.delete(file);
      problems.push({ file, line: 1, message: `internal error while analysing this file: ${oneLine(error)}` });
    }
  };
  let done = 0;
  for (const file of changes.files) {
    options.progress?.(++done, changes.files.length);
    const coverage = await runner.coverage(file.path);
    if (coverage === 'ignored') {
      // The repository chose to ignore it (generated or vendored code): listed, not blocking.
      notReviewed.push({ file: file.path, reason: "ignored by the repository's ESLint config", blocking: false });
      continue;
    }
    if (coverage === 'unconfigured') unconfigured.push(file.path);
    await isolated(file.path, () => lintOne(file.path, rangesByFile.get(file.path) ?? file.ranges));
  }
  if (unconfigured.length > 0) {
    notes.push(
      `${unconfigured.length} file${unconfigured.length === 1 ? ' is' : 's are'} not covered by the repository's ESLint config; reviewed with configs.recommended and the default settings`,
    );
  }

  let resolution: DispatchResolution = crossFile ? 'type-checker' : 'in-file only';
  let cross: CrossFileDispatch[] = [];
  if (crossFile) {
    // One compiler for both passes: each file is parsed once; the texts git gave are not read again.
    let compiler: ReviewCompiler | undefined;
    const compilerFor = (): ReviewCompiler => (compiler ??= ReviewCompiler.create(root, prefetched));
    try {
      cross = crossFileDispatches(compilerFor, crossInputs);
    } catch (error) {
      resolution = 'in-file only';
      notes.push(`cross-file dispatch could not be resolved (${oneLine(error)}); only dispatch within a file was followed`);
    }
    // Jobs in the changed files that another file registers (the rules' per-program registration index).
    try {
      const changedTexts = new Map(changes.files.flatMap((f) => (prefetched.has(f.path) ? [[f.path, prefetched.get(f.path)!] as const] : [])));
      if (vocabulary) cross.push(...(await registrationDispatches(compilerFor, root, range, changedTexts, vocabulary, (files) => readManyAtHead(root, range, files))));
    } catch (error) {
      notes.push(`jobs registered in other files could not be resolved (${oneLine(error)})`);
    }
    // Files that hold a started function: dropped above when they had no task of their own.
    for (const target of new Set(cross.map((c) => c.targetFile))) {
      if (!linted.has(target) && !notReviewed.some((n) => n.file === target)) {
        await isolated(target, () => lintOne(target, rangesByFile.get(target) ?? [], true));
      }
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
  const results: TaskResult[] = [];
  for (const task of tasks) {
    try {
      results.push(evaluateTask(task, tests, allFindings));
    } catch (error) {
      problems.push({ file: task.file, line: task.line, message: `internal error while evaluating ${task.name}: ${oneLine(error)}` });
    }
  }
  const key = (f: Finding) => `${f.file}\0${f.line}\0${f.column}\0${f.ruleId}`;
  const inTasks = new Set(tasks.flatMap((task) => findingsOf(task, allFindings).map(key)));
  const otherFindings = allFindings
    .filter((f) => !inTasks.has(key(f)))
    .map((f) => ({
      file: f.file,
      line: f.line,
      message: f.message,
      rule: f.ruleId,
      ...(f.messageId ? { messageId: f.messageId } : {}),
      item: f.items[0] ?? f.ruleId,
      severity: f.severity,
      ...(f.suppression ? { suppression: f.suppression } : {}),
    }));
  const byFile = <T extends { file: string; line?: number }>(a: T, b: T) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0));
  return {
    version: 1,
    range: { base: range.mergeBase, head: range.head ?? 'WORKTREE' },
    tasks: results,
    summary: summarise(results),
    dispatchResolution: resolution,
    problems: problems.sort(byFile),
    notReviewed: notReviewed.sort(byFile),
    notes,
    otherFindings,
  };
}

const overlapsAny = (ranges: readonly (readonly [number, number])[], line: number): boolean =>
  ranges.some(([from, to]) => from <= line && line <= to);

/** How a report is rendered: colour for a terminal; links, passing items and the budget for Markdown. */
export interface RenderOptions extends MarkdownOptions {
  readonly colour?: boolean;
}

/** Renders report data in a format. */
export function render(report: Report, format: Format, options: RenderOptions = {}): string {
  switch (format) {
    case 'markdown':
      return renderMarkdown(report, options);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, PACKAGE_VERSION);
    case 'github':
      return renderGithub(report);
    case 'terminal':
      return renderTerminal(report, options.colour === true);
  }
}

/** The package version (for `--version` and SARIF). */
export const TOOL_VERSION = PACKAGE_VERSION;

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** 1 when an item fails at or above the threshold or a changed file was not reviewed, else 0. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = failOn === 'error' ? 2 : 1;
  // What was not reviewed is never green: a gate must fail closed.
  const unreviewed = report.problems.length > 0 || report.notReviewed.some((n) => n.blocking);
  const failing =
    report.tasks.some((t) => t.items.some((i) => i.status === 'fail' && RANK[i.severity] >= threshold)) ||
    report.otherFindings.some((f) => !f.suppression && RANK[f.severity] >= threshold);
  return failing || unreviewed ? 1 : 0;
}

export { removePendingOutputs, writeAtomically } from './output.js';
