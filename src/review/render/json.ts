/** JSON in SPEC section 4's shape (`version: 1`). */
import type { Report } from '../report.js';

/** Renders the report as JSON (stable key order, two-space indent, trailing newline). */
export function renderJson(report: Report): string {
  const data = {
    version: report.version,
    range: report.range,
    tasks: report.tasks.map((task) => ({
      name: task.name,
      file: task.file,
      line: task.line,
      endLine: task.endLine,
      kind: task.kind,
      dispatchedFrom: task.dispatchedFrom,
      items: task.items.map((item) => ({
        id: item.id,
        section: item.section,
        title: item.title,
        status: item.status,
        severity: item.severity,
        evidence: item.evidence.map((e) => ({
          file: e.file,
          line: e.line,
          message: e.message,
          ...(e.rule ? { rule: e.rule } : {}),
          ...(e.messageId ? { messageId: e.messageId } : {}),
          ...(e.suppression ? { suppression: e.suppression } : {}),
        })),
      })),
    })),
    summary: report.summary,
    dispatchResolution: report.dispatchResolution,
    problems: report.problems,
    notReviewed: report.notReviewed,
    notes: report.notes,
    otherFindings: report.otherFindings,
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}
