#!/usr/bin/env node
/** bgtask-review: the per-PR checklist report. Flags, output and exit codes only; the work is in src/review. */
import { parseArgs } from 'node:util';
import { ReviewEnvironmentError } from '../review/git.js';
import fs from 'node:fs/promises';
import { removePendingOutputs, writeAtomically } from '../review/output.js';
import { FAIL_ON, FORMATS, linkBaseFor, oneLine, useColour, type FailOn, type Format } from '../review/options.js';

const realExit = process.exit.bind(process);

const USAGE = `Usage: bgtask-review [options]

Reviews the background tasks a change touches against the background-task checklist.

Range
  --base <rev>          compare with the merge-base of <rev> (default: the upstream branch
                        unless it is this branch's own remote copy, else origin/HEAD, main, master)
  --head <rev>          the reviewed revision (default: HEAD)
  --worktree            review the working tree (uncommitted and untracked files) instead of --head
  --all                 review every task in the repository, not only the touched ones
  --root <dir>          the repository (default: the current directory)

Output
  --format <f>          markdown | json | sarif | github | terminal
                        (default: terminal on a TTY, else markdown)
  --output <file>       write the report to a file (atomically) instead of stdout
  --full-output <file>  also write the full Markdown report, unbudgeted, with passing items
  --job-summary         also append the full Markdown report to $GITHUB_STEP_SUMMARY
  --show-passing        list passing and not-applicable items in the Markdown comment
  --link-base <url>     absolute base for file links (default: from GitHub Actions or GitLab CI
                        variables at the reviewed commit; relative links otherwise)

Configuration
  --no-eslint-config    do not load the repository's ESLint config (it runs the repository's
                        code: use this for pull requests from forks)
  --settings <file>     settings['background-tasks'] as JSON (instead of the ESLint config's)

Gate
  --fail-on <level>     error | warning | never (default: error)
  --version             print the version
  -h, --help            print this help

Exit codes
  0  no failing item at or above --fail-on, and every changed file was reviewed
  1  failing items, or changed files that were not reviewed (unparseable, unsupported
     such as .vue/.svelte, too large, or failing analysis); the report says which
  2  usage or environment error (bad flag, not a git repository, unknown revision,
     unreadable or misbehaving config); one line on stderr, no output file written

Environment: NO_COLOR disables colour, FORCE_COLOR forces it.`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        base: { type: 'string' },
        head: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string', default: 'error' },
        root: { type: 'string' },
        all: { type: 'boolean', default: false },
        worktree: { type: 'boolean', default: false },
        'no-eslint-config': { type: 'boolean', default: false },
        settings: { type: 'string' },
        'full-output': { type: 'string' },
        'job-summary': { type: 'boolean', default: false },
        'show-passing': { type: 'boolean', default: false },
        'link-base': { type: 'string' },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(oneLine(error));
  }
  const values = parsed.values;
  if (values.format !== undefined && !(FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  }
  if (!(FAIL_ON as readonly string[]).includes(values['fail-on'])) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}`);
  if (values.worktree && values.head !== undefined) throw new UsageError('--worktree and --head cannot be combined');
  for (const key of ['base', 'head', 'output', 'root', 'settings', 'full-output', 'link-base'] as const) {
    if (values[key] === '') throw new UsageError(`--${key} needs a value`);
  }
  if (values['job-summary'] && !process.env.GITHUB_STEP_SUMMARY) throw new UsageError('--job-summary needs $GITHUB_STEP_SUMMARY (GitHub Actions)');
  if (values['link-base'] !== undefined && !/^https?:\/\/[^\s<>()]+$/i.test(values['link-base'])) {
    throw new UsageError('--link-base must be an http(s) URL');
  }
  return values;
}

/**
 * Runs the review with the repository's code kept away from our output and exit code: loading
 * its ESLint config runs that code, which may print (and corrupt JSON/SARIF on stdout) or call
 * `process.exit(0)` (and report green on a review that never happened).
 */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const exit = process.exit;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  process.exit = ((code?: number | string | null) => {
    throw new ReviewEnvironmentError(`the repository's ESLint config called process.exit(${code ?? ''}); the review did not run`);
  }) as typeof process.exit;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
    process.exit = exit;
  }
}

async function main(argv: string[]): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // A signal (even while the heavy modules load) exits 128+n and leaves no temp file beside --output.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removePendingOutputs();
      process.stderr.write(`bgtask-review: interrupted (${signal})\n`);
      realExit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  // Loaded after the flags are checked: ESLint, the parser and TypeScript take a while to load.
  const { buildReport, exitCodeFor, render, TOOL_VERSION } = await import('../review/run.js');
  if (values.version) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const toTerminal = values.output === undefined && process.stdout.isTTY === true;
  const format = (values.format ?? (toTerminal ? 'terminal' : 'markdown')) as Format;
  const colour = format === 'terminal' && useColour(process.env, toTerminal);
  const showProgress = process.stderr.isTTY === true && !process.env.CI;
  const report = await guarded(() =>
    buildReport({
      root: values.root ?? process.cwd(),
      base: values.base,
      head: values.head,
      worktree: values.worktree,
      all: values.all,
      useEslintConfig: !values['no-eslint-config'],
      settingsFile: values.settings,
      ...(showProgress ? { progress: (done: number, total: number) => process.stderr.write(`\rbgtask-review: ${done}/${total} files${done === total ? '\n' : ''}`) } : {}),
    }),
  );
  const full = values['full-output'];
  const jobSummary = values['job-summary'] ? process.env.GITHUB_STEP_SUMMARY : undefined;
  const linkBase = linkBaseFor(values['link-base'], report.range.head, process.env);
  const hint = full ? `The full report is in ${full}.` : jobSummary ? 'The full report is in the job summary.' : undefined;
  const text = render(report, format, { colour, linkBase, showPassing: values['show-passing'], ...(hint ? { fullReportHint: hint } : {}) });
  const fullText = full || jobSummary ? render(report, 'markdown', { linkBase, showPassing: true, budget: Infinity }) : '';
  if (full) await writeAtomically(full, fullText);
  if (jobSummary) await appendFile(jobSummary, fullText);
  if (values.output !== undefined) await writeAtomically(values.output, text);
  else process.stdout.write(text);
  return exitCodeFor(report, values['fail-on'] as FailOn);
}

async function appendFile(file: string, text: string): Promise<void> {
  try {
    await fs.appendFile(file, text, 'utf8');
  } catch (error) {
    throw new ReviewEnvironmentError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`bgtask-review: ${error.message} (see --help)\n`);
    else if (error instanceof ReviewEnvironmentError) process.stderr.write(`bgtask-review: ${error.message}\n`);
    else process.stderr.write(`bgtask-review: internal error: ${oneLine(error)}\n`);
    process.exitCode = 2;
  },
);
