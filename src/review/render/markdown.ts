/** Markdown for a PR comment: summary table, one collapsible section per task, a marker to update it in place. */
import { SECTION_TITLES, type ChecklistSection } from '../../model/checklist.js';
import type { Evidence, ItemResult, Report, TaskResult } from '../report.js';

/** The hidden marker a CI step looks for to update its earlier comment. */
export const MARKDOWN_MARKER = '<!-- bgtask-review -->';

const STATUS_LABEL: Record<ItemResult['status'], string> = {
  pass: 'pass',
  fail: '**fail**',
  suppressed: 'suppressed',
  'not-applicable': 'n/a',
  manual: '_manual_',
};

/** Escapes text for Markdown table cells and inline text. */
function escapeMd(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A link to a file line, relative to the repository root (`file#Lline`). */
function link(file: string, line: number): string {
  const target = file.split('/').map(encodeURIComponent).join('/');
  return `[${escapeMd(file)}:${line}](${target}#L${line})`;
}

function failing(task: TaskResult): ItemResult[] {
  return task.items.filter((item) => item.status === 'fail');
}

/** Escapes a message but keeps its `code spans` (rule messages quote code that way). */
function escapeMessage(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_[\]<>|]/g, (c) => `\\${c}`)))
    .join('`');
}

function evidenceLine(evidence: Evidence): string {
  const why = evidence.suppression ? ` (suppressed: ${escapeMd(evidence.suppression.justification || 'no reason given')})` : '';
  const rule = evidence.rule ? ` \`${evidence.rule}\`` : '';
  return `${link(evidence.file, evidence.line)}${rule}: ${escapeMessage(evidence.message)}${why}`;
}

function itemLine(item: ItemResult): string[] {
  const checked = item.status === 'pass' || item.status === 'not-applicable' ? 'x' : ' ';
  const head = `- [${checked}] ${STATUS_LABEL[item.status]} · ${item.title} (\`${item.id}\`, ${item.severity})`;
  const lines = [head];
  // Evidence is listed where a person has to act or read: failures, suppressions, manual items.
  if (item.status === 'fail' || item.status === 'suppressed' || item.status === 'manual') {
    for (const evidence of item.evidence) lines.push(`  - ${evidenceLine(evidence)}`);
  }
  return lines;
}

function taskSection(task: TaskResult): string[] {
  const failures = failing(task);
  const icon = failures.some((i) => i.severity === 'error') ? '❌' : failures.length > 0 ? '⚠️' : '✅';
  const lines = [
    `<details${failures.length > 0 ? ' open' : ''}>`,
    `<summary>${icon} <code>${escapeHtml(task.name)}</code> · ${escapeHtml(task.file)}:${task.line} · ${escapeHtml(task.kind)} · ${failures.length} failing</summary>`,
    '',
  ];
  if (task.dispatchedFrom.length > 0) {
    lines.push(`Started at ${task.dispatchedFrom.map((d) => link(d.file, d.line)).join(', ')}.`);
  }
  let section: ChecklistSection | undefined;
  for (const item of task.items) {
    if (item.section !== section) {
      section = item.section;
      lines.push('', `**${SECTION_TITLES[section]}**`, '');
    }
    lines.push(...itemLine(item));
  }
  lines.push('', '</details>', '');
  return lines;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Renders the report as a PR comment. */
export function renderMarkdown(report: Report): string {
  const lines = [MARKDOWN_MARKER, '## Background task review', ''];
  const { summary } = report;
  lines.push(
    `Range \`${report.range.base.slice(0, 12)}...${report.range.head.slice(0, 12)}\` · ${summary.tasks} task${summary.tasks === 1 ? '' : 's'} touched · ` +
      `${summary.failed} failing · ${summary.manual} manual · ${summary.passed} passing · cross-file dispatch: ${report.dispatchResolution}`,
    '',
  );
  for (const problem of report.problems) lines.push(`> **Not analysed:** ${link(problem.file, problem.line)}: ${escapeMd(problem.message)}`, '');
  if (report.otherFindings.length > 0) {
    lines.push('**Findings outside background tasks** (on the changed lines)', '');
    for (const finding of report.otherFindings) lines.push(`- ${finding.suppression ? 'suppressed' : `**${finding.severity}**`} · ${evidenceLine(finding)}`);
    lines.push('');
  }
  if (report.tasks.length === 0) {
    lines.push('No background task is touched by this change.', '');
    return lines.join('\n');
  }
  lines.push('| Task | File | Failing | Manual | Passing |', '| --- | --- | ---: | ---: | ---: |');
  for (const task of report.tasks) {
    const count = (status: ItemResult['status']) => task.items.filter((i) => i.status === status).length;
    lines.push(`| \`${task.name.replace(/[`|]/g, '')}\` | ${link(task.file, task.line)} | ${count('fail')} | ${count('manual')} | ${count('pass')} |`);
  }
  lines.push('');
  for (const task of report.tasks) lines.push(...taskSection(task));
  return lines.join('\n');
}
