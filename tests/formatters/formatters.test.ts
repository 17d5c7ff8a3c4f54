/** The CI formatters (github, gitlab, sarif): exact output on one result with an error, a warning, a suppression and awkward text. */
import type { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import github from '../../dist/formatters/github.js';
import gitlab from '../../dist/formatters/gitlab.js';
import sarif from '../../dist/formatters/sarif.js';
import { checkSarif } from '../review/sarif-check.js';

const cwd = '/repo';
const RULE = 'background-tasks/no-request-session-in-background';
const URL = 'https://github.com/background-tasks/eslint-plugin-background-tasks/blob/main/rules-docs/no-request-session-in-background.md';

const results = [
  {
    filePath: '/repo/src/jobs/report, 100%.ts',
    messages: [
      { ruleId: RULE, severity: 2, message: "`this.session` is the request's session:\nopen a fresh one", line: 5, column: 11, endLine: 5, endColumn: 23 },
      { ruleId: 'no-console', severity: 1, message: 'Unexpected console statement.', line: 9, column: 3, endLine: 9, endColumn: 14 },
    ],
    suppressedMessages: [
      { ruleId: RULE, severity: 2, message: 'suppressed one', line: 12, column: 5, endLine: 12, endColumn: 12, suppressions: [{ kind: 'directive', justification: 'legacy job' }] },
    ],
    errorCount: 1,
    warningCount: 1,
  },
  { filePath: '/repo/src/clean.ts', messages: [], suppressedMessages: [], errorCount: 0, warningCount: 0 },
] as unknown as ESLint.LintResult[];

const context = {
  cwd,
  rulesMeta: { [RULE]: { docs: { description: "Disallow using a request's database session in background work", url: URL } } },
} as unknown as ESLint.LintResultData;

describe('formatters/github', () => {
  it('prints one escaped workflow command per message, then a summary', () => {
    expect(github(results, context)).toBe(
      [
        "::error file=src/jobs/report%2C 100%25.ts,line=5,col=11,endLine=5,endColumn=23,title=background-tasks/no-request-session-in-background::`this.session` is the request's session:%0Aopen a fresh one",
        '::warning file=src/jobs/report%2C 100%25.ts,line=9,col=3,endLine=9,endColumn=14,title=no-console::Unexpected console statement.',
        '2 problems (1 error, 1 warning)',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for a clean run', () => {
    expect(github([results[1]!], context)).toBe('');
  });
});

describe('formatters/gitlab', () => {
  it('writes a code-quality report with line-independent fingerprints', () => {
    const report = JSON.parse(gitlab(results, context)) as { fingerprint: string }[];
    expect(report).toEqual([
      {
        description: "`this.session` is the request's session:\nopen a fresh one (background-tasks/no-request-session-in-background)",
        check_name: RULE,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'major',
        location: { path: 'src/jobs/report, 100%.ts', lines: { begin: 5, end: 5 } },
      },
      {
        description: 'Unexpected console statement. (no-console)',
        check_name: 'no-console',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'minor',
        location: { path: 'src/jobs/report, 100%.ts', lines: { begin: 9, end: 9 } },
      },
    ]);
    const moved = structuredClone(results);
    for (const m of moved[0]!.messages) m.line += 10;
    expect((JSON.parse(gitlab(moved, context)) as { fingerprint: string }[]).map((i) => i.fingerprint)).toEqual(report.map((i) => i.fingerprint));
  });

  it('writes an empty array for a clean run', () => {
    expect(gitlab([results[1]!], context)).toBe('[]\n');
  });
});

describe('formatters/sarif', () => {
  it('writes SARIF 2.1.0 with rule metadata and suppressions carrying the reason', () => {
    const log = JSON.parse(sarif(results, context));
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'ESLint', version: expect.stringMatching(/^\d+\.\d+\.\d+/), informationUri: 'https://eslint.org' });
    const description = "Disallow using a request's database session in background work";
    expect(log.runs[0].tool.driver.rules).toEqual([
      { id: RULE, shortDescription: { text: description }, fullDescription: { text: description }, help: { text: `${description} See ${URL}` }, helpUri: URL },
      { id: 'no-console', shortDescription: { text: 'no-console' }, fullDescription: { text: 'no-console' }, help: { text: 'no-console' } },
    ]);
    expect(checkSarif(log)).toEqual([]);
    const location = (startLine: number, startColumn: number, endColumn: number) => [
      {
        physicalLocation: {
          artifactLocation: { uri: 'src/jobs/report%2C%20100%25.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine, startColumn, endLine: startLine, endColumn },
        },
      },
    ];
    const fingerprint = { 'bgtaskIdentity/v2': expect.stringMatching(/^[0-9a-f]{64}$/) };
    expect(log.runs[0].results).toEqual([
      { ruleId: RULE, ruleIndex: 0, level: 'error', message: { text: "`this.session` is the request's session:\nopen a fresh one" }, locations: location(5, 11, 23), partialFingerprints: fingerprint },
      { ruleId: 'no-console', ruleIndex: 1, level: 'warning', message: { text: 'Unexpected console statement.' }, locations: location(9, 3, 14), partialFingerprints: fingerprint },
      {
        ruleId: RULE,
        ruleIndex: 0,
        level: 'error',
        message: { text: 'suppressed one' },
        locations: location(12, 5, 12),
        partialFingerprints: fingerprint,
        suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'legacy job' }],
      },
    ]);
    // Two results of one rule in one file never share a fingerprint.
    const prints = log.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['bgtaskIdentity/v2']);
    expect(new Set(prints).size).toBe(prints.length);
  });
});
