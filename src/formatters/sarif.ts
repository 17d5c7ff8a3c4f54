/**
 * ESLint formatter for SARIF 2.1.0 (GitHub code scanning, `github/codeql-action/upload-sarif`).
 * Messages suppressed with `eslint-disable ... -- reason` are kept as results with a
 * `suppressions` entry carrying the reason, so code scanning shows them as dismissed in source.
 * `npx eslint . --format ./node_modules/eslint-plugin-background-tasks/dist/formatters/sarif.js --output-file eslint.sarif`
 */
import type { ESLint, Linter } from 'eslint';
import { relativePath, type Formatter } from './util.js';

interface SarifRule {
  id: string;
  shortDescription?: { text: string };
  helpUri?: string;
}

/** Formats lint results, suppressed ones included, as one SARIF run. */
const sarif: Formatter = (results, context) => {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const indexOf = (ruleId: string): number => {
    let index = ruleIndex.get(ruleId);
    if (index === undefined) {
      const meta = context?.rulesMeta?.[ruleId];
      index = rules.length;
      rules.push({
        id: ruleId,
        ...(meta?.docs?.description ? { shortDescription: { text: meta.docs.description } } : {}),
        ...(meta?.docs?.url ? { helpUri: meta.docs.url } : {}),
      });
      ruleIndex.set(ruleId, index);
    }
    return index;
  };
  const toResult = (file: string, message: Linter.LintMessage | Linter.SuppressedLintMessage) => ({
    ...(message.ruleId ? { ruleId: message.ruleId, ruleIndex: indexOf(message.ruleId) } : {}),
    level: message.severity === 2 ? 'error' : 'warning',
    message: { text: message.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: message.line ?? 1,
            startColumn: message.column ?? 1,
            ...(message.endLine !== undefined ? { endLine: message.endLine } : {}),
            ...(message.endColumn !== undefined ? { endColumn: message.endColumn } : {}),
          },
        },
      },
    ],
    ...('suppressions' in message && message.suppressions.length > 0
      ? { suppressions: message.suppressions.map((s) => ({ kind: 'inSource', ...(s.justification ? { justification: s.justification } : {}) })) }
      : {}),
  });
  const sarifResults = results.flatMap((result: ESLint.LintResult) => {
    const file = relativePath(result.filePath, context);
    return [...result.messages, ...(result.suppressedMessages ?? [])].map((message) => toResult(file, message));
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'ESLint', informationUri: 'https://eslint.org', rules } }, results: sarifResults }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

export default sarif;
