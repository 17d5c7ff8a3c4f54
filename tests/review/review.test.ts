/**
 * bgtask-review end to end on real git repositories made in a temp dir: the range, changed
 * lines, touched tasks, red flags from the rules, renames, deletions, syntax errors, the
 * working tree, and file names that a shell would mangle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, exitCodeFor, render } from '../../dist/review/run.js';
import type { Report } from '../../dist/review/report.js';
import { makeRepo, type TestRepo } from './repo.js';

const INFRA = `export interface Session { updateStatus(id: string, status: string): Promise<void>; query(sql: string, values?: unknown[]): Promise<unknown>; }
export declare function infrastructureProvider(): { initialize(): void; withSession<T>(work: (s: Session) => Promise<T>): Promise<T> };
`;
const LOGGER = `export const logger = { info: (...a: unknown[]) => console.log(...a), error: (...a: unknown[]) => console.error(...a) };\n`;

const GOOD = `import { infrastructureProvider } from './infra';
import { logger } from './logger';

export async function reindexInBackground(id: string) {
  const infra = infrastructureProvider();
  infra.initialize();
  logger.info(\`reindex \${id} started\`);
  try {
    await infra.withSession(async (session) => {
      await session.updateStatus(id, 'in_progress');
      await session.query('reindex', [id]);
      await session.updateStatus(id, 'completed');
    });
    logger.info(\`reindex \${id} finished\`);
  } catch (error) {
    logger.error(\`reindex \${id} failed\`, error);
    await infra.withSession((session) => session.updateStatus(id, 'failed'));
  }
}
`;

const REQUEST_SESSION = `import type { Session } from './infra';
import { logger } from './logger';

export class SyncController {
  constructor(private readonly session: Session) {}

  async handle(id: string) {
    void this.syncInBackground(id);
  }

  private async syncInBackground(id: string) {
    try {
      await this.session.query('sync', [id]);
    } catch (error) {
      logger.error('sync failed', error);
    }
  }
}
`;

const STALE_SERVICE = `import type { Session } from './infra';
import { logger } from './logger';

class ReportService {
  constructor(private readonly session: Session) {}
  run(id: string) { return this.session.query('report', [id]); }
  updateStatus(id: string, status: string) { return this.session.updateStatus(id, status); }
}

export class ReportController {
  constructor(private readonly session: Session) {}

  async handle(id: string) {
    void this.processInBackground(id);
  }

  private async processInBackground(id: string) {
    const service = new ReportService(this.session);
    try {
      await service.run(id);
    } catch (error) {
      logger.error(\`report \${id} failed\`, error);
      await service.updateStatus(id, 'failed');
    }
  }
}
`;

const PLAIN = `export function add(a: number, b: number) {\n  return a + b;\n}\n`;

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const base = (extra: Record<string, string> = {}) => makeRepo({ 'src/infra.ts': INFRA, 'src/logger.ts': LOGGER, 'src/math.ts': PLAIN, ...extra });
const review = (r: TestRepo, more: Partial<Parameters<typeof buildReport>[0]> = {}) =>
  buildReport({ root: r.dir, base: 'main', worktree: false, all: false, useEslintConfig: false, ...more });
const item = (report: Report, task: string, id: string) => report.tasks.find((t) => t.name === task)!.items.find((i) => i.id === id)!;

describe('bgtask-review on real repositories', () => {
  it('reports no task when the change touches none', async () => {
    repo = base({ 'src/jobs.ts': GOOD });
    repo.write({ 'src/math.ts': PLAIN.replace('a + b', 'b + a'), 'README.md': '# changed\n' });
    repo.commit('math');
    const report = await review(repo);
    expect(report.tasks).toEqual([]);
    expect(report.summary).toEqual({ tasks: 0, failed: 0, passed: 0, manual: 0 });
    expect(exitCodeFor(report, 'error')).toBe(0);
    expect(render(report, 'markdown')).toContain('**✅ 0 problems** · no background task touched');
  });

  it('passes a good task on every error-severity item', async () => {
    repo = base();
    repo.write({ 'src/jobs.ts': GOOD });
    repo.commit('good');
    const report = await review(repo);
    expect(report.tasks.map((t) => [t.name, t.file, t.line, t.endLine])).toEqual([['reindexInBackground', 'src/jobs.ts', 4, 19]]);
    expect(report.tasks[0]!.items.filter((i) => i.status === 'fail' && i.severity === 'error')).toEqual([]);
    for (const id of ['good.fresh-infrastructure', 'good.scoped-context', 'good.separate-error-session', 'good.logging', 'redflag.request-session']) {
      expect(item(report, 'reindexInBackground', id).status, id).toBe('pass');
    }
    expect(exitCodeFor(report, 'error')).toBe(0);
    // No test mentions it: the testing items fail as warnings.
    expect(item(report, 'reindexInBackground', 'tests.unit.error-paths')).toMatchObject({ status: 'fail', severity: 'warning' });
    expect(exitCodeFor(report, 'warning')).toBe(1);
  });

  it('fails redflag.request-session with the rule finding as evidence', async () => {
    repo = base();
    repo.write({ 'src/sync.ts': REQUEST_SESSION });
    repo.commit('sync');
    const report = await review(repo);
    const flag = item(report, 'SyncController.syncInBackground', 'redflag.request-session');
    expect(flag.status).toBe('fail');
    expect(flag.evidence).toHaveLength(1);
    expect(flag.evidence[0]).toMatchObject({ file: 'src/sync.ts', line: 13, rule: 'no-request-session-in-background' });
    expect(item(report, 'SyncController.syncInBackground', 'session.no-request-session').status).toBe('fail');
    expect(item(report, 'SyncController.syncInBackground', 'async.mode-decided').evidence[0]).toMatchObject({ file: 'src/sync.ts', line: 8 });
    expect(exitCodeFor(report, 'error')).toBe(1);
    expect(exitCodeFor(report, 'never')).toBe(0);
  });

  it('fails redflag.stale-session-in-catch for a service built from this.session before the try (issue 15)', async () => {
    repo = base();
    repo.write({ 'src/report.ts': STALE_SERVICE });
    repo.commit('report');
    const report = await review(repo);
    const task = 'ReportController.processInBackground';
    const flag = item(report, task, 'redflag.stale-session-in-catch');
    expect(flag.status).toBe('fail');
    expect(flag.evidence).toHaveLength(1);
    expect(flag.evidence[0]).toMatchObject({ file: 'src/report.ts', line: 23, rule: 'no-stale-session-in-catch' });
    expect(item(report, task, 'errors.separate-error-session').status).toBe('fail');
    expect(item(report, task, 'good.separate-error-session').status).toBe('fail');
    // Building the service from the request's session is the other red flag, reported where it is built.
    expect(item(report, task, 'redflag.request-session').evidence[0]).toMatchObject({ file: 'src/report.ts', line: 18, rule: 'no-request-session-in-background' });
    expect(exitCodeFor(report, 'error')).toBe(1);
  });

  it('shows an eslint-disable with a reason as suppressed, not as a pass', async () => {
    repo = base();
    repo.write({
      'src/sync.ts': REQUEST_SESSION.replace(
        "      await this.session.query('sync', [id]);",
        "      // eslint-disable-next-line background-tasks/no-request-session-in-background -- the session outlives the request here\n      await this.session.query('sync', [id]);",
      ),
    });
    repo.commit('sync');
    const report = await review(repo);
    const flag = item(report, 'SyncController.syncInBackground', 'redflag.request-session');
    expect(flag.status).toBe('suppressed');
    expect(flag.evidence[0]!.suppression).toEqual({ kind: 'directive', justification: 'the session outlives the request here' });
    expect(exitCodeFor(report, 'error')).toBe(0);
  });

  it('shows findings covered by eslint-suppressions.json as suppressed', async () => {
    repo = base({
      'eslint-suppressions.json': JSON.stringify({ 'src/sync.ts': { 'background-tasks/no-request-session-in-background': { count: 1 } } }),
    });
    repo.write({ 'src/sync.ts': REQUEST_SESSION });
    repo.commit('sync');
    const report = await review(repo);
    const flag = item(report, 'SyncController.syncInBackground', 'redflag.request-session');
    expect(flag.status).toBe('suppressed');
    expect(flag.evidence[0]!.suppression).toEqual({ kind: 'file', justification: 'bulk-suppressed in eslint-suppressions.json' });
  });

  it('finds a task in one file dispatched from another through the type checker', async () => {
    repo = base({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" }, "include": ["src"] }\n' });
    repo.write({
      'src/refresh.ts': GOOD.replace('reindexInBackground', 'refreshIndex').replace("from './infra'", "from './infra.js'").replace("from './logger'", "from './logger.js'"),
    });
    repo.commit('refresh');
    repo.write({
      'src/index.ts': `export { refreshIndex } from './refresh.js';\n`,
      'src/route.ts': `import { refreshIndex } from './index.js';\n\nexport async function route(id: string) {\n  void refreshIndex(id);\n  return id;\n}\n`,
    });
    repo.commit('route');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.dispatchResolution).toBe('type-checker');
    expect(report.tasks.map((t) => ({ name: t.name, file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { name: 'refreshIndex', file: 'src/refresh.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 4 }] },
    ]);
    expect(item(report, 'refreshIndex', 'redflag.request-session').status).toBe('manual');
  });

  it('reviews the task of a changed file whose own change touches none of its tasks, when another changed file starts it', async () => {
    // The runner lets go of such a file's parse after linting it, and lints it again once the cross-file pass finds the start.
    repo = base({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" }, "include": ["src"] }\n' });
    const jobs = GOOD.replace("from './infra'", "from './infra.js'").replace("from './logger'", "from './logger.js'");
    repo.write({ 'src/jobs.ts': jobs });
    repo.commit('jobs');
    repo.write({
      'src/jobs.ts': `${jobs}\nexport const REINDEX_BATCH = 10;\n`,
      'src/route.ts': `import { reindexInBackground } from './jobs.js';\n\nexport async function route(id: string) {\n  void reindexInBackground(id);\n  return id;\n}\n`,
    });
    repo.commit('route');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.tasks.map((t) => ({ name: t.name, file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { name: 'reindexInBackground', file: 'src/jobs.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 4 }] },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('resolves `this.<member>.<method>()` through the type the class declares for the member (field, parameter property, `new` initializer)', async () => {
    // The type checker's program holds the modules those declarations name, not every import of the file.
    repo = base({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" }, "include": ["src"] }\n' });
    const job = (name: string) => GOOD.replace('export async function reindexInBackground(id: string)', `export class ${name} {\n  async run(id: string)`).replace(/\n}\n$/, '\n  }\n}\n').replace("from './infra'", "from './infra.js'").replace("from './logger'", "from './logger.js'");
    repo.write({ 'src/reindexer.ts': job('Reindexer'), 'src/exporter.ts': job('Exporter'), 'src/mailer.ts': job('Mailer') });
    repo.commit('jobs');
    repo.write({
      'src/route.ts': `import { add } from './math.js';
import type { Reindexer } from './reindexer.js';
import { Exporter } from './exporter.js';
import type { Mailer } from './mailer.js';

interface Deps { mailer: Mailer }

export class Routes {
  private reindexer: Reindexer;
  private exporter = new Exporter();
  constructor(reindexer: Reindexer, private readonly deps: Deps) {
    this.reindexer = reindexer;
  }
  async reindex(id: string) {
    void this.reindexer.run(id);
    return add(1, 2);
  }
  async export(id: string) {
    void this.exporter.run(id);
  }
  async mail(id: string) {
    void this.deps.mailer.run(id);
  }
  listen(emitter: { on(event: string, cb: () => void): void }, listener: () => void) {
    emitter.on('ready', listener);
  }
}
`,
    });
    repo.commit('routes');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.dispatchResolution).toBe('type-checker');
    expect(report.tasks.map((t) => ({ file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { file: 'src/exporter.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 19 }] },
      { file: 'src/mailer.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 22 }] },
      { file: 'src/reindexer.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 15 }] },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('resolves a dispatch into a changed file whose own calls name only packages (left out of the program until a file imports it)', async () => {
    repo = base({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" }, "include": ["src"] }\n' });
    const jobs = `import type { Session } from './infra.js';

export async function reindexInBackground(session: Session, id: string) {
  await session.updateStatus(id, 'in_progress');
  await session.query('reindex', [id]);
  await session.updateStatus(id, 'completed');
}
`;
    repo.write({ 'src/jobs.ts': jobs });
    repo.commit('jobs');
    repo.write({
      // Its only cross-file candidate is a package's function: nothing of the repository to resolve.
      'src/jobs.ts': `import { setTimeout as delay } from 'node:timers/promises';\n${jobs}\nexport function warmUp() {\n  void delay(10);\n}\n`,
      'src/route.ts': `import type { Session } from './infra.js';\nimport { reindexInBackground } from './jobs.js';\n\nexport async function route(session: Session, id: string) {\n  void reindexInBackground(session, id);\n  return id;\n}\n`,
    });
    repo.commit('route');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.tasks.map((t) => ({ name: t.name, file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { name: 'reindexInBackground', file: 'src/jobs.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 5 }] },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('resolves a `paths` alias in a checkout without node_modules (only package names are left unresolved there)', async () => {
    repo = base({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "ESNext", "moduleResolution": "bundler", "paths": { "@app/*": ["./src/*"] } }, "include": ["src"] }\n' });
    repo.write({ 'src/jobs.ts': GOOD });
    repo.commit('jobs');
    repo.write({
      'src/route.ts': `import { nanoid } from 'nanoid';\nimport { reindexInBackground } from '@app/jobs';\n\nexport async function route() {\n  const id = nanoid();\n  void reindexInBackground(id);\n  return id;\n}\n`,
    });
    repo.commit('route');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.tasks.map((t) => ({ name: t.name, file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { name: 'reindexInBackground', file: 'src/jobs.ts', dispatchedFrom: [{ file: 'src/route.ts', line: 6 }] },
    ]);
  });

  it('says "in-file only" without a tsconfig.json', async () => {
    repo = base();
    repo.write({ 'src/jobs.ts': GOOD });
    repo.commit('good');
    expect((await review(repo)).dispatchResolution).toBe('in-file only');
  });

  it('reviews a renamed file under its new name, and survives a deleted one', async () => {
    repo = base({ 'src/jobs.ts': GOOD, 'src/old.ts': REQUEST_SESSION });
    repo.git('mv', 'src/jobs.ts', 'src/reindex jobs.ts');
    repo.write({ 'src/reindex jobs.ts': GOOD.replace("'reindex'", "'reindex-all'") });
    repo.remove('src/old.ts');
    repo.commit('rename and delete');
    const report = await review(repo);
    expect(report.tasks.map((t) => [t.name, t.file])).toEqual([['reindexInBackground', 'src/reindex jobs.ts']]);
    expect(report.problems).toEqual([]);
  });

  it('reports a syntax error in a changed file instead of crashing', async () => {
    repo = base();
    repo.write({ 'src/broken.ts': 'export async function brokenInBackground( {\n', 'src/jobs.ts': GOOD });
    repo.commit('broken');
    const report = await review(repo);
    expect(report.problems).toEqual([{ file: 'src/broken.ts', line: 2, message: expect.stringContaining('Parsing error') }]);
    expect(report.tasks.map((t) => t.name)).toEqual(['reindexInBackground']);
    expect(render(report, 'markdown')).toContain('### Not reviewed\n\n- ❌ [src\\/broken\\.ts\\:2](src/broken.ts#L2): ');
    expect(exitCodeFor(report, 'error')).toBe(1);
  });

  it('reviews uncommitted and untracked changes with --worktree', async () => {
    repo = base();
    repo.write({ 'src/jobs.ts': GOOD, 'src/sync.ts': REQUEST_SESSION });
    const committed = await review(repo);
    expect(committed.tasks).toEqual([]);
    const report = await review(repo, { base: 'HEAD', worktree: true });
    expect(report.range.head).toBe('WORKTREE');
    expect(report.tasks.map((t) => t.name)).toEqual(['reindexInBackground', 'SyncController.syncInBackground']);
  });

  it('handles file names with spaces, quotes, $(), a newline and non-ASCII', async () => {
    const name = 'src/we ird "q" $(touch pwned) \'s\' ü\nname.ts';
    repo = base();
    repo.write({ [name]: REQUEST_SESSION });
    repo.commit('weird');
    const report = await review(repo);
    expect(report.tasks.map((t) => t.file)).toEqual([name]);
    expect(item(report, 'SyncController.syncInBackground', 'redflag.request-session').evidence[0]!.file).toBe(name);
    expect(render(report, 'github')).toContain('file=src/we ird "q" $(touch pwned) \'s\' ü%0Aname.ts,line=13');
  });

  it('reviews every task with --all', async () => {
    repo = base({ 'src/jobs.ts': GOOD, 'src/sync.ts': REQUEST_SESSION });
    const report = await review(repo, { all: true });
    expect(report.tasks.map((t) => t.name)).toEqual(['reindexInBackground', 'SyncController.syncInBackground']);
  });

  it('counts the testing checklist from test files that mention the task', async () => {
    repo = base();
    repo.write({
      'src/jobs.ts': GOOD,
      'src/jobs.test.ts': `import { vi, it, expect } from 'vitest';\nimport { infrastructureProvider } from './infra';\nimport { reindexInBackground } from './jobs';\nvi.mock('./infra');\nit('fails', async () => {\n  vi.mocked(infrastructureProvider).mockReturnValue({ withSession: vi.fn().mockRejectedValue(new Error('x')) } as never);\n  await reindexInBackground('1');\n  expect(infrastructureProvider).toHaveBeenCalled();\n});\n`,
    });
    repo.commit('tests');
    const report = await review(repo);
    expect(item(report, 'reindexInBackground', 'tests.unit.mocks-fresh-session')).toMatchObject({ status: 'pass', evidence: [{ file: 'src/jobs.test.ts', line: 2 }] });
    expect(item(report, 'reindexInBackground', 'tests.unit.error-paths')).toMatchObject({ status: 'pass', evidence: [{ file: 'src/jobs.test.ts', line: 6 }] });
    expect(item(report, 'reindexInBackground', 'tests.integration.persistence').status).toBe('manual');
  });

  it('does not count a test that only shares the task name with it', async () => {
    repo = base();
    repo.write({
      'src/jobs.ts': GOOD,
      'src/other.test.ts': `import { reindexInBackground } from './search';\nit('x', () => expect(() => reindexInBackground()).toThrow());\n`,
    });
    repo.commit('tests');
    const report = await review(repo);
    expect(item(report, 'reindexInBackground', 'tests.unit.error-paths')).toMatchObject({
      status: 'fail',
      evidence: [{ file: 'src/jobs.ts', message: 'no test file mentions reindexInBackground' }],
    });
  });
});
