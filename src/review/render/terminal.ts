/** Plain text for a terminal, coloured only when asked (a TTY without NO_COLOR). */
import { SECTION_TITLES, type ChecklistSection } from '../../model/checklist.js';
import type { ItemResult, Report } from '../report.js';

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

const MARK: Record<ItemResult['status'], { text: string; colour: keyof typeof CODES }> = {
  pass: { text: 'pass', colour: 'green' },
  fail: { text: 'FAIL', colour: 'red' },
  suppressed: { text: 'supp', colour: 'dim' },
  'not-applicable': { text: 'n/a ', colour: 'dim' },
  manual: { text: 'manl', colour: 'yellow' },
};

/** Renders the report for a terminal. */
export function renderTerminal(report: Report, colour: boolean): string {
  const paint = (code: keyof typeof CODES, text: string) => (colour ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text);
  const { summary } = report;
  const lines = [
    paint('bold', `bgtask-review ${report.range.base}...${report.range.head}`),
    `${summary.tasks} task(s) touched, ${summary.failed} failing, ${summary.manual} manual, ${summary.passed} passing (cross-file dispatch: ${report.dispatchResolution})`,
  ];
  for (const problem of report.problems) lines.push(paint('yellow', `not analysed: ${problem.file}:${problem.line}: ${problem.message}`));
  for (const f of report.otherFindings) lines.push(`${paint(f.suppression ? 'dim' : 'red', f.suppression ? 'supp' : 'FAIL')} ${f.file}:${f.line} ${f.message} ${paint('dim', `[${f.rule}]`)}`);
  for (const task of report.tasks) {
    lines.push('', paint('bold', `${task.name}  ${task.file}:${task.line}  (${task.kind})`));
    let section: ChecklistSection | undefined;
    for (const item of task.items) {
      if (item.section !== section) {
        section = item.section;
        lines.push(`  ${SECTION_TITLES[section]}`);
      }
      const mark = MARK[item.status];
      lines.push(`    ${paint(mark.colour, mark.text)} ${item.title} ${paint('dim', `[${item.id}]`)}`);
      if (item.status === 'fail' || item.status === 'suppressed') {
        for (const e of item.evidence) lines.push(`         ${e.file}:${e.line} ${e.message}${e.suppression ? ` (suppressed: ${e.suppression.justification})` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
