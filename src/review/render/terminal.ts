/** Plain text for a terminal, coloured only when asked. Repository text is stripped of escape sequences. */
import { SECTION_TITLES, type ChecklistSection } from '../../model/checklist.js';
import { distinctProblems } from '../problems.js';
import type { ItemResult, Report } from '../report.js';
import { terminalText as t } from './escape.js';

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

const MARK: Record<ItemResult['status'], { text: string; colour: keyof typeof CODES }> = {
  pass: { text: 'pass', colour: 'green' },
  fail: { text: 'FAIL', colour: 'red' },
  suppressed: { text: 'supp', colour: 'dim' },
  'not-applicable': { text: 'n/a ', colour: 'dim' },
  manual: { text: 'manl', colour: 'yellow' },
};

/** Renders the report for a terminal: the distinct problems, then (with `showChecklist`) each task's open items. */
export function renderTerminal(report: Report, colour: boolean, showChecklist = true): string {
  const paint = (code: keyof typeof CODES, text: string) => (colour ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text);
  const problems = distinctProblems(report);
  const active = problems.filter((p) => !p.suppression);
  const lines = [
    paint('bold', `bgtask-review ${report.range.base.slice(0, 12)}...${report.range.head.slice(0, 12)}`),
    `${report.tasks.length} task(s) touched, ${active.length} problem(s), ${problems.length - active.length} suppressed, ${report.summary.manual} item(s) to check by hand (cross-file dispatch: ${report.dispatchResolution})`,
  ];
  for (const note of report.notes) lines.push(paint('dim', t(note)));
  for (const problem of report.problems) lines.push(paint('red', `not reviewed: ${t(problem.file)}:${problem.line}: ${t(problem.message)}`));
  for (const n of report.notReviewed) lines.push(paint(n.blocking ? 'red' : 'dim', `not reviewed: ${t(n.file)}: ${t(n.reason)}`));
  for (const p of problems) {
    const mark = p.suppression ? paint('dim', 'supp') : paint(p.severity === 'error' ? 'red' : 'yellow', p.severity === 'error' ? 'ERR ' : 'WARN');
    const where = p.tasks.length > 0 ? ` (${p.tasks.map(t).join(', ')})` : '';
    const why = p.suppression ? ` (suppressed: ${t(p.suppression.justification || 'no reason given')})` : '';
    lines.push(`${mark} ${t(p.file)}:${p.line}${where} ${t(p.message)}${why} ${paint('dim', `[${p.items.join(', ')}]`)}`);
  }
  if (!showChecklist) return `${lines.join('\n')}\n`;
  for (const task of report.tasks) {
    lines.push('', paint('bold', `${t(task.name)}  ${t(task.file)}:${task.line}  (${t(task.kind)})`));
    let section: ChecklistSection | undefined;
    for (const item of task.items) {
      if (item.status === 'pass' || item.status === 'not-applicable') continue;
      if (item.section !== section) {
        section = item.section;
        lines.push(`  ${SECTION_TITLES[section]}`);
      }
      const mark = MARK[item.status];
      lines.push(`    ${paint(mark.colour, mark.text)} ${item.title} ${paint('dim', `[${item.id}]`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
