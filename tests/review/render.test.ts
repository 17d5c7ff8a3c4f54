/** The renderers are pure functions of the report data: escaping, colour, empty sections, SARIF shape. */
import { describe, expect, it } from 'vitest';
import { CHECKLIST } from '../../dist/model/checklist.js';
import type { Report } from '../../dist/review/report.js';
import { renderGithub } from '../../dist/review/render/github.js';
import { renderMarkdown } from '../../dist/review/render/markdown.js';
import { renderSarif } from '../../dist/review/render/sarif.js';
import { renderTerminal } from '../../dist/review/render/terminal.js';
import { checkSarif } from './sarif-check.js';

const file = 'src/a b,c:d|<e>.ts';
const report: Report = {
  version: 1,
  range: { base: 'a'.repeat(40), head: 'b'.repeat(40) },
  dispatchResolution: 'in-file only',
  problems: [],
  notReviewed: [],
  notes: [],
  otherFindings: [],
  summary: { tasks: 1, failed: 1, passed: 0, manual: 0 },
  tasks: [
    {
      name: 'Jobs.runInBackground',
      file,
      line: 3,
      endLine: 9,
      kind: 'name',
      dispatchedFrom: [],
      items: CHECKLIST.map((item) => ({
        id: item.id,
        section: item.section,
        title: item.title,
        severity: item.severity,
        status: item.id === 'redflag.request-session' ? 'fail' : item.id === 'redflag.no-scope' ? 'suppressed' : 'not-applicable',
        evidence:
          item.id === 'redflag.request-session'
            ? [{ file, line: 5, message: '`this.session` is the request\'s session\nsecond line 100%', rule: 'no-request-session-in-background' }]
            : item.id === 'redflag.no-scope'
              ? [{ file, line: 6, message: 'unscoped', rule: 'require-session-scope', suppression: { kind: 'directive', justification: 'closed by the caller' } }]
              : [],
      })),
    },
  ],
};

describe('renderers', () => {
  it('Markdown: marker first, summary first, one line per distinct problem, escaped file names, suppression reasons shown', () => {
    const md = renderMarkdown(report);
    expect(md.startsWith('<!-- bgtask-review -->\n## Background task review\n\n**❌ 1 problem** (1 error, 0 warnings) · 1 of 1 touched task affected · 1 suppressed\n')).toBe(true);
    const fileLink = (line: number) => String.raw`[src\/a b\,c\:d\|\<e\>\.ts\:${line}](src/a%20b%2Cc%3Ad%7C%3Ce%3E.ts#L${line})`;
    expect(md).toContain(
      `- ❌ ${fileLink(5)} in \`Jobs.runInBackground\`: \`this.session\`${String.raw` is the request\'s session second line 100\%`} · \`no-request-session-in-background\` · \`redflag.request-session\``,
    );
    expect(md).toContain(`| \`Jobs.runInBackground\` | ${fileLink(3)} | name | 1 | 0 |`);
    expect(md).toContain('· suppressed: closed by the caller');
    // Passing items only on request.
    expect(md).not.toContain('- [x]');
    expect(md).toContain('items pass or do not apply (`--show-passing` lists them).');
    expect(renderMarkdown(report, { showPassing: true })).toContain('- [x] ➖ ');
  });

  it('Markdown: absolute links from a link base', () => {
    const md = renderMarkdown(report, { linkBase: 'https://github.com/o/r/blob/abc/' });
    expect(md).toContain('](https://github.com/o/r/blob/abc/src/a%20b%2Cc%3Ad%7C%3Ce%3E.ts#L5)');
    expect(md).not.toMatch(/\]\(src\//);
  });

  it('Markdown: no table and no sections without tasks', () => {
    const md = renderMarkdown({ ...report, tasks: [], summary: { tasks: 0, failed: 0, passed: 0, manual: 0 } });
    expect(md).not.toContain('<details');
    expect(md).not.toContain('| Task |');
  });

  it('GitHub annotations escape properties and data', () => {
    expect(renderGithub(report)).toBe(
      "::error file=src/a b%2Cc%3Ad|<e>.ts,line=5,title=no-request-session-in-background::Jobs.runInBackground: `this.session` is the request's session%0Asecond line 100%25 [redflag.request-session]\n",
    );
  });

  it('terminal output has colour only when asked', () => {
    expect(renderTerminal(report, false)).not.toContain('\u001b[');
    expect(renderTerminal(report, true)).toContain('\u001b[31mERR \u001b[0m');
  });

  it('SARIF: valid structure, helpUri per item, fingerprints, suppressions', () => {
    const sarif = JSON.parse(renderSarif(report, '0.0.0'));
    expect(checkSarif(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules).toHaveLength(CHECKLIST.length);
    expect(run.tool.driver.rules.find((r: { id: string }) => r.id === 'redflag.request-session').helpUri).toMatch(/rules-docs\/no-request-session-in-background\.md$/);
    expect(run.tool.driver.version).toBe('0.0.0');
    for (const rule of run.tool.driver.rules) {
      expect(rule.fullDescription.text.length).toBeGreaterThan(rule.shortDescription.text.length);
      expect(rule.help.text).toContain(rule.helpUri);
    }
    expect(run.results.map((r: { ruleId: string; suppressions?: unknown }) => [r.ruleId, r.suppressions])).toEqual([
      ['redflag.request-session', undefined],
      ['redflag.no-scope', [{ kind: 'inSource', status: 'accepted', justification: 'closed by the caller' }]],
    ]);
    expect(run.results[0].partialFingerprints['bgtaskIdentity/v2']).toMatch(/^[0-9a-f]{64}$/);
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/a%20b%2Cc%3Ad%7C%3Ce%3E.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5 },
    });
  });

  it('the structural SARIF check catches mistakes', () => {
    expect(checkSarif({ version: '2.0.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal', message: {} }] }] })).toEqual([
      'log.version: must be "2.1.0"',
      'runs[0].tool.driver: missing name',
      'runs[0].tool.driver.name: must be a string',
      'runs[0].results[0].message: needs text or id',
      'runs[0].results[0].level: must be one of none, note, warning, error',
    ]);
  });
});
