/** GitHub Actions workflow commands: one `::error file=...,line=...::` per failing evidence. */
import type { Severity } from '../../model/checklist.js';
import type { Report } from '../report.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a workflow command's message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property (file names may hold `,` and `:`). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Renders failing items as GitHub Actions annotations. */
export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const problem of report.problems) {
    lines.push(`::warning file=${escapeProperty(problem.file)},line=${problem.line},title=bgtask-review::${escapeData(`not analysed: ${problem.message}`)}`);
  }
  for (const finding of report.otherFindings) {
    if (finding.suppression) continue;
    lines.push(`::${COMMAND[finding.severity]} file=${escapeProperty(finding.file)},line=${finding.line},title=${escapeProperty(finding.rule ?? finding.item)}::${escapeData(finding.message)}`);
  }
  for (const task of report.tasks) {
    for (const item of task.items) {
      if (item.status !== 'fail') continue;
      for (const evidence of item.evidence) {
        lines.push(
          `::${COMMAND[item.severity]} file=${escapeProperty(evidence.file)},line=${evidence.line},title=${escapeProperty(item.id)}::${escapeData(`${task.name}: ${evidence.message}`)}`,
        );
      }
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
