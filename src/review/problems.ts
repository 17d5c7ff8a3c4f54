/**
 * Distinct problems: the failing evidence of a report, counted once. One rule finding shows
 * under several checklist items (`session.*`, `redflag.*`, `good.*`) and a finding at a
 * dispatch site belongs to both tasks; a missing test shows under several testing items.
 * Each is one problem here, with every item and task it affects, ranked most serious first.
 * Renderers (Markdown, annotations, terminal) and fingerprints all read this list.
 */
import type { Severity } from '../model/checklist.js';
import type { FindingSuppression } from '../model/finding.js';
import type { Report } from './report.js';

/** One distinct problem. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
  /** The rule that found it; undefined for the review's own checks (tests, patterns). */
  readonly rule: string | undefined;
  readonly messageId: string | undefined;
  /** Checklist items it fails (or suppresses), in catalogue order. */
  readonly items: readonly string[];
  /** Tasks it belongs to (empty for findings outside any task). */
  readonly tasks: readonly string[];
  readonly suppression: FindingSuppression | undefined;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The report's distinct failing and suppressed problems, most serious first. */
export function distinctProblems(report: Report): Problem[] {
  const byKey = new Map<string, { problem: Problem; items: string[]; tasks: string[] }>();
  const add = (
    entry: Omit<Problem, 'items' | 'tasks'>,
    item: string,
    task: string | undefined,
  ) => {
    // Rule findings are identified by rule and message id; the review's own checks by their text.
    const what = entry.rule ? `${entry.rule}\0${entry.messageId ?? entry.message}` : `\0${entry.message}`;
    const key = `${entry.file}\0${entry.line}\0${what}\0${entry.suppression ? 's' : ''}`;
    let found = byKey.get(key);
    if (!found) {
      found = { problem: { ...entry, items: [], tasks: [] }, items: [], tasks: [] };
      byKey.set(key, found);
    } else if (RANK[entry.severity] < RANK[found.problem.severity]) {
      found.problem = { ...found.problem, severity: entry.severity };
    }
    if (!found.items.includes(item)) found.items.push(item);
    if (task !== undefined && !found.tasks.includes(task)) found.tasks.push(task);
  };
  for (const task of report.tasks) {
    for (const item of task.items) {
      if (item.status !== 'fail' && item.status !== 'suppressed') continue;
      for (const e of item.evidence) {
        add(
          { file: e.file, line: e.line, severity: item.severity, message: e.message, rule: e.rule, messageId: e.messageId, suppression: e.suppression },
          item.id,
          task.name,
        );
      }
    }
  }
  for (const f of report.otherFindings) {
    add({ file: f.file, line: f.line, severity: f.severity, message: f.message, rule: f.rule, messageId: f.messageId, suppression: f.suppression }, f.item, undefined);
  }
  return [...byKey.values()]
    .map(({ problem, items, tasks }) => ({ ...problem, items, tasks }))
    .sort(
      (a, b) =>
        Number(a.suppression !== undefined) - Number(b.suppression !== undefined) ||
        RANK[a.severity] - RANK[b.severity] ||
        // Rule findings (red flags) before the review's own checks, then in file order.
        Number(a.rule === undefined) - Number(b.rule === undefined) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line,
    );
}
