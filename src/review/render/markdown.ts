/**
 * Markdown for a PR comment. Summary first (distinct problems, what was not reviewed), then the
 * problems most serious first, the tasks, and each task's checklist folded. The comment is
 * budgeted: GitHub rejects comments over 65,536 characters, so what does not fit is left out
 * with a note that says what and where the full report is. Every string from the reviewed
 * repository goes through `escape.ts`.
 */
import { SECTION_TITLES, type ChecklistSection } from '../../model/checklist.js';
import { distinctProblems, type Problem } from '../problems.js';
import type { ItemResult, Report, TaskResult } from '../report.js';
import { htmlText, markdownCode, markdownLink, markdownMessage, markdownText } from './escape.js';

/** The hidden marker a CI step looks for to update its earlier comment. */
export const MARKDOWN_MARKER = '<!-- bgtask-review -->';

/** GitHub's limit is 65,536 characters; the rest is headroom for the truncation note. */
export const COMMENT_BUDGET = 60_000;

export interface MarkdownOptions {
  /** Absolute base for file links (`https://github.com/o/r/blob/<sha>/`); relative links without it. */
  readonly linkBase?: string;
  /** List passing and not-applicable items too (default: only what needs attention). */
  readonly showPassing?: boolean;
  /** Character budget; `Infinity` for the full report (a file or a job summary). */
  readonly budget?: number;
  /** Where the full report is, for the truncation note. */
  readonly fullReportHint?: string;
}

const SEVERITY_ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Renders the report as a PR comment within the budget. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const link = (file: string, line: number) => markdownLink(options.linkBase, file, line);
  const problems = distinctProblems(report);
  const active = problems.filter((p) => !p.suppression);
  const suppressed = problems.filter((p) => p.suppression);
  const blocking = report.notReviewed.filter((n) => n.blocking).length + report.problems.length;

  const head = [MARKDOWN_MARKER, '## Background task review', '', headline(report, active, suppressed.length, blocking), ''];
  head.push(`<sub>range ${markdownCode(`${report.range.base.slice(0, 12)}...${report.range.head.slice(0, 12)}`)} · cross-file dispatch: ${report.dispatchResolution}</sub>`, '');
  for (const note of report.notes) head.push(`> ${markdownText(note)}`, '');

  const parts: { title: string[]; blocks: string[]; kind?: 'problem' | 'task' }[] = [];
  if (report.problems.length > 0 || report.notReviewed.length > 0) {
    parts.push({
      title: ['### Not reviewed', ''],
      blocks: [
        ...report.problems.map((p) => `- ❌ ${link(p.file, p.line)}: ${markdownText(p.message)}`),
        ...report.notReviewed.map((n) => `- ${n.blocking ? '❌' : '➖'} ${markdownCode(n.file)}: ${markdownText(n.reason)}${n.blocking ? '' : ' (not blocking)'}`),
      ],
    });
  }
  const problemPart = active.length > 0 ? { title: ['### Problems', ''], blocks: active.map((p) => problemLine(p, link)), kind: 'problem' as const } : undefined;
  // The task table first (one row per task, the overview a reviewer reads), then the problems.
  if (report.tasks.length > 0) {
    parts.push({
      title: ['### Tasks', '', '| Task | File | Kind | Problems | To check by hand |', '| --- | --- | --- | ---: | ---: |'],
      blocks: report.tasks.map((task) => {
        const count = problems.filter((p) => !p.suppression && p.tasks.includes(task.name)).length;
        const manual = task.items.filter((i) => i.status === 'manual').length;
        return `| ${markdownCode(task.name)} | ${link(task.file, task.line)} | ${markdownText(task.kind)} | ${count} | ${manual} |`;
      }),
    });
    if (problemPart) parts.push(problemPart);
    parts.push({ title: [''], blocks: report.tasks.map((task) => taskSection(task, problems, options.showPassing === true, link)), kind: 'task' });
  } else if (problemPart) {
    parts.push(problemPart);
  }
  if (suppressed.length > 0) {
    parts.push({
      title: [''],
      blocks: [
        [
          `<details><summary>${plural(suppressed.length, 'suppressed finding')}</summary>`,
          '',
          ...suppressed.map((p) => `${problemLine(p, link)} · suppressed: ${markdownText(p.suppression!.justification || 'no reason given')}`),
          '',
          '</details>',
        ].join('\n'),
      ],
    });
  }

  const budget = options.budget ?? COMMENT_BUDGET;
  const out = [head.join('\n')];
  let size = out[0]!.length;
  let left = { problems: 0, tasks: 0, other: 0 };
  let full = false;
  for (const part of parts) {
    const title = part.title.join('\n');
    if (full || size + title.length + 1 > budget) {
      full = true;
      count(part, part.blocks.length);
      continue;
    }
    out.push(title);
    size += title.length + 1;
    for (const [i, block] of part.blocks.entries()) {
      if (size + block.length + 1 > budget) {
        full = true;
        count(part, part.blocks.length - i);
        break;
      }
      out.push(block);
      size += block.length + 1;
    }
    if (part.kind !== 'task') {
      out.push('');
      size += 1;
    }
  }
  function count(part: (typeof parts)[number], n: number) {
    if (part.kind === 'problem') left = { ...left, problems: left.problems + n };
    else if (part.kind === 'task') left = { ...left, tasks: left.tasks + n };
    else left = { ...left, other: left.other + n };
  }
  if (full) {
    const what = [
      left.problems > 0 ? `${left.problems} of ${active.length} problems` : '',
      left.tasks > 0 ? `${left.tasks} of ${report.tasks.length} task checklists` : '',
      left.other > 0 ? `${left.other} other line${left.other === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    out.push(
      '',
      `> ✂️ Cut to fit a PR comment: ${what.join(' and ')} ${what.length === 1 && /^1 /.test(what[0]!) ? 'is' : 'are'} not shown. ${markdownText(options.fullReportHint ?? 'Run bgtask-review with --full-output <file> for the full report.')}`,
      '',
    );
  }
  return `${out.join('\n').replace(/\n*$/, '')}\n`;
}

function headline(report: Report, active: readonly Problem[], suppressed: number, blocking: number): string {
  const errors = active.filter((p) => p.severity === 'error').length;
  const icon = errors > 0 || blocking > 0 ? '❌' : active.length > 0 ? '⚠️' : '✅';
  const affected = report.tasks.filter((t) => active.some((p) => p.tasks.includes(t.name))).length;
  const counts = active.length > 0 ? ` (${plural(errors, 'error')}, ${plural(active.length - errors, 'warning')})` : '';
  const extras = [
    report.tasks.length > 0 ? `${affected} of ${plural(report.tasks.length, 'touched task')} affected` : 'no background task touched',
    blocking > 0 ? `${plural(blocking, 'file')} not reviewed` : '',
    suppressed > 0 ? `${suppressed} suppressed` : '',
  ].filter(Boolean);
  return `**${icon} ${plural(active.length, 'problem')}**${counts} · ${extras.join(' · ')}`;
}

function problemLine(p: Problem, link: (file: string, line: number) => string): string {
  const where = p.tasks.length > 0 ? ` in ${p.tasks.map((t) => markdownCode(t)).join(', ')}` : '';
  const rule = p.rule ? ` · ${markdownCode(p.rule)}` : '';
  return `- ${SEVERITY_ICON[p.severity]} ${link(p.file, p.line)}${where}: ${markdownMessage(p.message)}${rule} · ${p.items.map((i) => markdownCode(i)).join(' ')}`;
}

const ITEM_ICON: Record<ItemResult['status'], string> = { fail: '❌', suppressed: '🔇', manual: '✋', pass: '✅', 'not-applicable': '➖' };

function taskSection(task: TaskResult, problems: readonly Problem[], showPassing: boolean, link: (file: string, line: number) => string): string {
  const own = problems.filter((p) => !p.suppression && p.tasks.includes(task.name));
  const manual = task.items.filter((i) => i.status === 'manual').length;
  const passing = task.items.filter((i) => i.status === 'pass' || i.status === 'not-applicable').length;
  const icon = own.some((p) => p.severity === 'error') ? '❌' : own.length > 0 ? '⚠️' : '✅';
  const lines = [
    '<details>',
    `<summary>${icon} ${htmlText(task.name)} · ${htmlText(`${task.file}:${task.line}`)} · ${plural(own.length, 'problem')} · ${manual} to check by hand</summary>`,
    '',
  ];
  if (task.dispatchedFrom.length > 0) lines.push(`Started at ${task.dispatchedFrom.map((d) => link(d.file, d.line)).join(', ')}.`, '');
  let section: ChecklistSection | undefined;
  for (const item of task.items) {
    const shown = showPassing || (item.status !== 'pass' && item.status !== 'not-applicable');
    if (!shown) continue;
    if (item.section !== section) {
      section = item.section;
      // A blank line first: otherwise the title continues the list item above it.
      if (lines.at(-1) !== '') lines.push('');
      lines.push(`**${SECTION_TITLES[section]}**`, '');
    }
    const checked = item.status === 'pass' || item.status === 'not-applicable' ? 'x' : ' ';
    let detail = '';
    if (item.status === 'fail' || item.status === 'suppressed') {
      const places = [...new Map(item.evidence.map((e) => [`${e.file}:${e.line}`, e])).values()];
      detail = `: ${places.map((e) => link(e.file, e.line)).join(', ')}`;
    } else if (item.status === 'manual' && item.evidence[0]) {
      detail = `: ${markdownMessage(item.evidence[0].message)}`;
    }
    lines.push(`- [${checked}] ${ITEM_ICON[item.status]} ${markdownText(item.title)} ${markdownCode(item.id)}${detail}`);
  }
  if (!showPassing && passing > 0) lines.push('', `${plural(passing, 'item')} pass or do not apply (\`--show-passing\` lists them).`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}
