/**
 * SARIF 2.1.0: one rule per checklist item (with help and its docs link), one result per
 * distinct failing or suppressed problem and item. Built by the writer shared with the ESLint
 * formatter; fingerprints come from what a problem is (item, task, rule and message id), not
 * from its line or message wording.
 */
import { CHECKLIST, itemDocsPath, SECTION_TITLES, type Severity } from '../../model/checklist.js';
import { messageIdentity, sarifLog, type SarifLevel, type SarifResultInput } from '../../formatters/sarif-log.js';
import { REPOSITORY_URL, RELEASE_TREE_URL } from '../../package-info.js';
import { distinctProblems } from '../problems.js';
import type { Report } from '../report.js';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/** Renders the report as a SARIF 2.1.0 log. */
export function renderSarif(report: Report, toolVersion: string): string {
  const rules = CHECKLIST.map((entry) => {
    const helpUri = `${RELEASE_TREE_URL}${itemDocsPath(entry)}`;
    const enforcedBy = entry.rules.length > 0 ? ` Checked by the rule${entry.rules.length > 1 ? 's' : ''} ${[...new Set(entry.rules.map((r) => r.rule))].join(', ')}.` : '';
    const full = `${SECTION_TITLES[entry.section]}: ${entry.title}.${enforcedBy}`;
    return {
      id: entry.id,
      name: entry.id.replace(/[.-](\w)/g, (_: string, c: string) => c.toUpperCase()),
      shortDescription: entry.title,
      fullDescription: full,
      help: `${full} See ${helpUri}`,
      helpMarkdown: `${full}\n\nSee [the documentation](${helpUri}).`,
      helpUri,
      level: LEVEL[entry.severity],
      properties: { section: entry.section },
    };
  });
  const results: SarifResultInput[] = [];
  for (const p of distinctProblems(report)) {
    for (const item of p.items) {
      results.push({
        ruleId: item,
        level: LEVEL[p.severity],
        message: p.tasks.length > 0 ? `${p.tasks.join(', ')}: ${p.message}` : p.message,
        file: p.file,
        startLine: p.line,
        identity: `${p.tasks.join(',')}\0${p.rule ?? ''}\0${messageIdentity({ messageId: p.messageId, message: p.message })}`,
        ...(p.suppression ? { suppression: { kind: p.suppression.kind === 'directive' ? 'inSource' : 'external', justification: p.suppression.justification } } : {}),
      });
    }
  }
  return sarifLog({ name: 'bgtask-review', version: toolVersion, informationUri: REPOSITORY_URL, rules }, results);
}
