/** What the formatters share: ESLint's formatter signature and repository-relative paths. */
import path from 'node:path';
import type { ESLint } from 'eslint';

/** ESLint's formatter function: results and context in, report text out. */
export type Formatter = (results: ESLint.LintResult[], context?: Partial<ESLint.LintResultData>) => string;

/** A result's file path relative to the run's cwd, with forward slashes (what CI systems expect). */
export function relativePath(filePath: string, context?: Partial<ESLint.LintResultData>): string {
  const relative = path.relative(context?.cwd ?? process.cwd(), filePath);
  return relative.split(path.sep).join('/');
}
