/** SARIF 2.1.0: one rule per checklist item (helpUri to its docs), one result per failing or suppressed evidence. */
import { createHash } from 'node:crypto';
import { CHECKLIST, itemDocsPath, type Severity } from '../../model/checklist.js';
import { DOCS_BASE_URL } from '../../rules/util/create-rule.js';
import type { Report } from '../report.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const REPOSITORY_URL = DOCS_BASE_URL.replace(/rules-docs\/$/, '');

/** Renders the report as a SARIF 2.1.0 log. */
export function renderSarif(report: Report, toolVersion: string): string {
  const rules = CHECKLIST.map((entry) => ({
    id: entry.id,
    name: entry.id.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: entry.title },
    helpUri: `${REPOSITORY_URL}${itemDocsPath(entry)}`,
    defaultConfiguration: { level: LEVEL[entry.severity] },
    properties: { section: entry.section },
  }));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = [];
  for (const task of report.tasks) {
    for (const item of task.items) {
      if (item.status !== 'fail' && item.status !== 'suppressed') continue;
      for (const evidence of item.evidence) {
        const fingerprint = createHash('sha256').update(`${item.id}\0${evidence.file}\0${task.name}\0${evidence.message}`).digest('hex');
        results.push({
          ruleId: item.id,
          ruleIndex: index.get(item.id)!,
          level: LEVEL[item.severity],
          message: { text: `${task.name}: ${evidence.message}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: evidence.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
                region: { startLine: evidence.line },
              },
            },
          ],
          partialFingerprints: { 'bgtaskReview/v1': fingerprint },
          ...(evidence.suppression
            ? {
                suppressions: [
                  {
                    kind: evidence.suppression.kind === 'directive' ? 'inSource' : 'external',
                    status: 'accepted',
                    justification: evidence.suppression.justification,
                  },
                ],
              }
            : {}),
        });
      }
    }
  }
  for (const finding of report.otherFindings) {
    const ruleIndex = index.get(finding.item);
    if (ruleIndex === undefined) continue;
    results.push({
      ruleId: finding.item,
      ruleIndex,
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: finding.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: finding.line },
          },
        },
      ],
      partialFingerprints: { 'bgtaskReview/v1': createHash('sha256').update(`${finding.item}\0${finding.file}\0\0${finding.message}`).digest('hex') },
      ...(finding.suppression
        ? {
            suppressions: [
              { kind: finding.suppression.kind === 'directive' ? 'inSource' : 'external', status: 'accepted', justification: finding.suppression.justification },
            ],
          }
        : {}),
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'bgtask-review', version: toolVersion, informationUri: REPOSITORY_URL, rules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
