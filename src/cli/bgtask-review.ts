#!/usr/bin/env node
/** bgtask-review: the per-PR checklist report. Flags, output and exit codes only; the work is in src/review. */
import { parseArgs } from 'node:util';
import { ReviewEnvironmentError } from '../review/git.js';
import { FAIL_ON, FORMATS, oneLine, type FailOn, type Format } from '../review/options.js';

const USAGE = `Usage: bgtask-review [--base <rev>] [--head <rev>] [--format markdown|json|sarif|github|terminal]
                     [--output <file>] [--fail-on error|warning|never] [--root <dir>] [--all]
                     [--worktree] [--no-eslint-config] [--settings <file>]`;

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
  for (const key of ['base', 'head', 'output', 'root', 'settings'] as const) {
    if (values[key] === '') throw new UsageError(`--${key} needs a value`);
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
  // Loaded after the flags are checked: ESLint, the parser and TypeScript take a while to load.
  const { buildReport, exitCodeFor, render, writeAtomically } = await import('../review/run.js');
  const toTerminal = values.output === undefined && process.stdout.isTTY === true;
  const format = (values.format ?? (toTerminal ? 'terminal' : 'markdown')) as Format;
  const colour = toTerminal && !process.env.NO_COLOR;
  const report = await guarded(() =>
    buildReport({
      root: values.root ?? process.cwd(),
      base: values.base,
      head: values.head,
      worktree: values.worktree,
      all: values.all,
      useEslintConfig: !values['no-eslint-config'],
      settingsFile: values.settings,
    }),
  );
  const text = render(report, format, colour);
  if (values.output !== undefined) await writeAtomically(values.output, text);
  else process.stdout.write(text);
  return exitCodeFor(report, values['fail-on'] as FailOn);
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
