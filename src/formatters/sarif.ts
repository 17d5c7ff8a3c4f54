/**
 * ESLint formatter for SARIF 2.1.0 (GitHub code scanning, `github/codeql-action/upload-sarif`).
 * Messages suppressed with `eslint-disable ... -- reason` are kept as results with a
 * `suppressions` entry carrying the reason, so code scanning shows them as dismissed in source.
 * The log itself is built by `sarif-log.ts`, shared with bgtask-review.
 * `npx eslint . --format ./node_modules/eslint-plugin-background-tasks/dist/formatters/sarif.js --output-file eslint.sarif`
 */
import { ESLint, type Linter } from 'eslint';
import { messageIdentity, sarifLog, type SarifResultInput, type SarifRuleInput } from './sarif-log.js';
import { relativePath, type Formatter } from './util.js';

/** Formats lint results, suppressed ones included, as one SARIF run. */
const sarif: Formatter = (results, context) => {
  const rules = new Map<string, SarifRuleInput>();
  const describe = (ruleId: string) => {
    if (rules.has(ruleId)) return;
    const docs = context?.rulesMeta?.[ruleId]?.docs;
    rules.set(ruleId, { id: ruleId, shortDescription: docs?.description ?? ruleId, ...(docs?.url ? { helpUri: docs.url } : {}) });
  };
  const toResult = (file: string, message: Linter.LintMessage | Linter.SuppressedLintMessage): SarifResultInput => {
    if (message.ruleId) describe(message.ruleId);
    const suppression = 'suppressions' in message ? message.suppressions[0] : undefined;
    return {
      ruleId: message.ruleId ?? undefined,
      level: message.severity === 2 ? 'error' : 'warning',
      message: message.message,
      file,
      startLine: message.line ?? 1,
      startColumn: message.column ?? 1,
      ...(message.endLine !== undefined ? { endLine: message.endLine } : {}),
      ...(message.endColumn !== undefined ? { endColumn: message.endColumn } : {}),
      identity: messageIdentity({ messageId: message.messageId, message: message.message }),
      ...(suppression ? { suppression: { kind: 'inSource' as const, ...(suppression.justification ? { justification: suppression.justification } : {}) } } : {}),
    };
  };
  const sarifResults = results.flatMap((result: ESLint.LintResult) => {
    const file = relativePath(result.filePath, context);
    return [...result.messages, ...(result.suppressedMessages ?? [])].map((message) => toResult(file, message));
  });
  return sarifLog({ name: 'ESLint', version: ESLint.version, informationUri: 'https://eslint.org', rules: [...rules.values()] }, sarifResults);
};

export default sarif;
