/**
 * ESLint formatter for GitLab's code-quality report (`artifacts:reports:codequality`): a JSON
 * array of CodeClimate issues. Fingerprints contain neither line numbers nor message wording
 * (messages quote lines), so an issue keeps its identity when code above it moves and GitLab's
 * merge-request widget shows only new ones.
 * `npx eslint . --format ./node_modules/eslint-plugin-background-tasks/dist/formatters/gitlab.js --output-file gl-code-quality-report.json`
 */
import { createHash } from 'node:crypto';
import { messageIdentity } from './sarif-log.js';
import { relativePath, type Formatter } from './util.js';

interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end: number } };
}

/** Formats lint results as a GitLab code-quality report. */
const gitlab: Formatter = (results, context) => {
  const issues: CodeQualityIssue[] = [];
  for (const result of results) {
    const file = relativePath(result.filePath, context);
    const seen = new Map<string, number>();
    for (const message of result.messages) {
      const checkName = message.ruleId ?? 'eslint';
      const key = `${file}\0${checkName}\0${messageIdentity({ messageId: message.messageId, message: message.message })}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      issues.push({
        description: message.ruleId ? `${message.message} (${message.ruleId})` : message.message,
        check_name: checkName,
        fingerprint: createHash('md5').update(`${key}\0${occurrence}`).digest('hex'),
        severity: message.fatal ? 'blocker' : message.severity === 2 ? 'major' : 'minor',
        location: { path: file, lines: { begin: message.line ?? 1, end: message.endLine ?? message.line ?? 1 } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
};

export default gitlab;
