/**
 * ESLint formatter for GitHub Actions: one `::error` / `::warning` workflow command per
 * message, which GitHub shows as an annotation on the pull request's diff.
 * `npx eslint . --format ./node_modules/eslint-plugin-background-tasks/dist/formatters/github.js`
 */
import { relativePath, type Formatter } from './util.js';

/** Escapes a workflow command's message (actions/toolkit `escapeData`). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (actions/toolkit `escapeProperty`). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Formats lint results as GitHub Actions workflow commands, then a one-line summary. */
const github: Formatter = (results, context) => {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    const file = relativePath(result.filePath, context);
    for (const message of result.messages) {
      const level = message.severity === 2 ? 'error' : 'warning';
      if (level === 'error') errors += 1;
      else warnings += 1;
      const properties = [`file=${escapeProperty(file)}`, `line=${message.line ?? 1}`, `col=${message.column ?? 1}`];
      if (message.endLine !== undefined) properties.push(`endLine=${message.endLine}`);
      if (message.endColumn !== undefined && message.endLine === message.line) properties.push(`endColumn=${message.endColumn}`);
      properties.push(`title=${escapeProperty(message.ruleId ?? 'ESLint')}`);
      lines.push(`::${level} ${properties.join(',')}::${escapeData(message.message)}`);
    }
  }
  if (errors + warnings > 0) lines.push(`${errors + warnings} problem${errors + warnings === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};

export default github;
