/**
 * The PR under review cannot steer the report: a method named by a string literal, a file name
 * and an `eslint-disable ... -- reason` carry HTML, headings, links and mentions through `\n\n`,
 * a lone `\r` and U+2028, and terminal escapes. Real repository, real CLI, every format.
 */
/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, runCli, type TestRepo } from './repo.js';

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const PAYLOAD = 'x\n\n<img src=x onerror=alert(1)>\r# Injected heading\u2028[click](https://evil.example) @octocat \u001b[31m\u0007';

const source = (method: string) => `export class Jobs {
  constructor(private readonly session: { query(q: string): Promise<void> }) {}
  async handle() {
    void this[${JSON.stringify(method)}]();
  }
  async ${JSON.stringify(method)}() {
    /* eslint-disable background-tasks/no-request-session-in-background -- ${PAYLOAD} */
    await this.session.query('x');
  }
}
`;

/** The Markdown's lines that are block syntax: only the report's own may appear. */
function blockSyntax(markdown: string): string[] {
  return markdown.split('\n').filter((line) => /^\s{0,3}(?:#|<(?!!-- bgtask-review|\/?details|\/?summary|sub>)|>(?! )|\[|!\[|=+$|-{3,}$)/.test(line));
}

describe('hostile input', () => {
  it('stays inert in Markdown, annotations, terminal text and JSON', async () => {
    const method = `processInBackground${PAYLOAD}`;
    const file = `src/<b>bold</b>\n# heading @octocat.ts`;
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({ [file]: source(method) });
    repo.commit('hostile');

    const markdown = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'markdown'], repo.dir);
    const md = markdown.stdout;
    expect(markdown.stderr).toBe('');
    expect(md).toContain('Background task review');
    expect(md).toContain('processInBackground');
    expect(md).toContain('suppressed: x');
    // No heading, raw HTML, link or quote the PR wrote; no raw line break, escape or mention.
    expect(blockSyntax(md)).toEqual(['## Background task review', '### Tasks', '### Problems']);
    expect(md).not.toMatch(/[\r\u2028\u2029\u001b\u0007]/);
    // Outside code spans (where GitHub neither links nor mentions) no mention or bare URL is left.
    const prose = md.replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/(?<!\\)<(?:img|b>|script)/i);
    expect(prose).not.toMatch(/@octocat/);
    expect(prose).not.toMatch(/https:\/\/evil/);

    const github = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'github'], repo.dir);
    for (const line of github.stdout.trimEnd().split('\n')) expect(line).toMatch(/^::(?:error|warning|notice) /);
    expect(github.stdout).not.toMatch(/[\r\u001b\u0007]/);

    const terminal = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'terminal'], repo.dir, { FORCE_COLOR: '1' });
    // Our colours only: every ESC starts one of our SGR codes; the payload's are gone.
    expect(terminal.stdout.replace(/\u001b\[(?:0|1|2|31|32|33)m/g, '')).not.toMatch(/[\u001b\u0007\r\u2028]/);
    expect(terminal.stdout).toContain('\u001b[1m');

    const json = JSON.parse((await runCli(['--base', 'main', '--no-eslint-config', '--format', 'json'], repo.dir)).stdout);
    // JSON keeps the data exact (its consumers escape for their medium).
    expect(json.tasks[0].file).toBe(file);
  });
});
