/**
 * GitHub Actions workflow commands. GitHub shows at most 10 error and 10 warning annotations
 * per step, so the distinct problems go out most serious first (red flags before the review's
 * own checks), capped, with one notice that says how many were left out.
 */
import type { Severity } from '../../model/checklist.js';
import { distinctProblems } from '../problems.js';
import type { Report } from '../report.js';
import { withoutControls } from './escape.js';

/** Annotations GitHub displays per step and severity. */
export const ANNOTATION_CAP = 10;

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a workflow command's message. */
function escapeData(text: string): string {
  return withoutControls(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property (file names may hold `,` and `:`). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Renders the report's problems as ranked, capped GitHub Actions annotations. */
export function renderGithub(report: Report): string {
  const annotations: { command: 'error' | 'warning' | 'notice'; file: string; line: number; title: string; message: string }[] = [];
  for (const p of distinctProblems(report)) {
    if (p.suppression) continue;
    const where = p.tasks.length > 0 ? `${p.tasks.join(', ')}: ` : '';
    annotations.push({ command: COMMAND[p.severity], file: p.file, line: p.line, title: p.rule ?? p.items[0]!, message: `${where}${p.message} [${p.items.join(', ')}]` });
  }
  // What was not reviewed fails the gate, so it is an error too (after the red flags it may hide).
  for (const problem of report.problems) {
    annotations.push({ command: 'error', file: problem.file, line: problem.line, title: 'bgtask-review: not reviewed', message: problem.message });
  }
  for (const n of report.notReviewed) {
    if (n.blocking) annotations.push({ command: 'error', file: n.file, line: 1, title: 'bgtask-review: not reviewed', message: n.reason });
  }
  const rank = (command: string) => (command === 'error' ? 0 : command === 'warning' ? 1 : 2);
  const ranked = annotations.map((a, i) => ({ a, i })).sort((x, y) => rank(x.a.command) - rank(y.a.command) || x.i - y.i);
  const shown = new Map<string, number>();
  const lines: string[] = [];
  let left = 0;
  for (const { a } of ranked) {
    const n = shown.get(a.command) ?? 0;
    if (n >= ANNOTATION_CAP) {
      left += 1;
      continue;
    }
    shown.set(a.command, n + 1);
    lines.push(`::${a.command} file=${escapeProperty(a.file)},line=${a.line},title=${escapeProperty(a.title)}::${escapeData(a.message)}`);
  }
  if (left > 0) {
    lines.push(`::notice title=bgtask-review::${escapeData(`${left} more annotation${left === 1 ? '' : 's'} not shown (GitHub shows ${ANNOTATION_CAP} per severity); see the full report`)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
