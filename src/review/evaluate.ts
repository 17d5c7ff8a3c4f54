/**
 * Evaluates every checklist item for one task. Red flags come only from the rules' findings
 * (mapped through the catalogue by rule id); good patterns and async items from the analysis;
 * testing items from the test files that mention the task. Weak evidence says `manual`.
 */
import { CHECKLIST, checklistItem, type ChecklistItem, type ItemStatus } from '../model/checklist.js';
import { escapeRegExp } from '../model/names.js';
import type { Finding } from '../model/finding.js';
import { taskPatterns, type TaskPatterns } from '../analysis/patterns.js';
import { functionName } from '../analysis/ast.js';
import type { Evidence, ItemResult, TaskResult } from './report.js';
import type { ReviewTask } from './tasks.js';

/** A test file's path and text. */
export interface TestFile {
  readonly file: string;
  readonly text: string;
}

interface Outcome {
  readonly status: ItemStatus;
  readonly evidence: readonly Evidence[];
}

/** The short name tests would call a task by (`renderInBackground` for `ReportsService.renderInBackground`). */
export function taskSearchName(task: Pick<ReviewTask, 'fn' | 'name'>): string | undefined {
  const name = functionName(task.fn) ?? task.name.split(/[.#]/).at(-1);
  return name && /^[\w$]+$/.test(name) && !/^(anonymous|<anonymous>)$/.test(name) ? name : undefined;
}

/**
 * Findings that belong to a task: inside its function, or at a line where it is started (in
 * its own file, or in another file's findings given as `elsewhere`).
 */
export function findingsOf(task: ReviewTask, elsewhere: readonly Finding[] = []): Finding[] {
  const sites = new Set(task.dispatchedFrom.map((d) => `${d.file}\0${d.line}`));
  const own = task.linted.findings.filter((f) => (f.line >= task.line && f.line <= task.endLine) || sites.has(`${f.file}\0${f.line}`));
  return [...own, ...elsewhere.filter((f) => f.file !== task.file && sites.has(`${f.file}\0${f.line}`))];
}

/** Rules whose findings mean the task touches a database (so no item may say it does not). */
const DATABASE_RULES = new Set(['no-request-session-in-background', 'require-session-scope', 'no-stale-session-in-catch', 'no-dispatch-in-transaction']);

/**
 * The invariant that keeps the report from contradicting the rules: an active finding of a rule
 * forbids `pass` and `not-applicable` on the items that claim the opposite. (Items a finding is
 * mapped to by the catalogue already fail through `fromRules`; these are the others.)
 */
export const CONTRADICTED_BY: Readonly<Record<string, readonly string[]>> = {
  'no-request-session-in-background': ['session.no-request-session', 'redflag.request-session'],
  'require-session-scope': ['session.scoped-context', 'redflag.no-scope', 'good.scoped-context'],
  'no-stale-session-in-catch': ['errors.separate-error-session', 'redflag.stale-session-in-catch', 'good.separate-error-session', 'pre.error-handling'],
  'require-status-updates': ['errors.failed-status', 'redflag.missing-status-update'],
  'require-background-error-handling': ['pre.error-handling', 'good.exception-propagation'],
  'no-floating-background-task': ['async.error-callback'],
  'require-lifecycle-logging': ['redflag.no-lifecycle-logging', 'good.logging'],
  'require-background-timeout': ['async.timeout'],
};

/** Applies CONTRADICTED_BY: a contradicted item takes the finding as its evidence. */
function enforceConsistency(items: ItemResult[], findings: readonly Finding[]): ItemResult[] {
  return items.map((item) => {
    if (item.status !== 'pass' && item.status !== 'not-applicable') return item;
    const against = findings.filter((f) => CONTRADICTED_BY[f.ruleId]?.includes(item.id));
    if (against.length === 0) return item;
    const active = against.filter((f) => !f.suppression);
    const chosen = active.length > 0 ? active : against;
    return { ...item, status: active.length > 0 ? 'fail' : 'suppressed', evidence: chosen.map(findingEvidence) };
  });
}

function findingEvidence(f: Finding): Evidence {
  return {
    file: f.file,
    line: f.line,
    message: f.message,
    rule: f.ruleId,
    ...(f.messageId ? { messageId: f.messageId } : {}),
    ...(f.suppression ? { suppression: f.suppression } : {}),
  };
}

/** Evaluates the whole checklist for one task. */
export function evaluateTask(task: ReviewTask, tests: readonly TestFile[], elsewhere: readonly Finding[] = []): TaskResult {
  const findings = findingsOf(task, elsewhere);
  const found = taskPatterns(task.facts, task.fn);
  // A rule that found a session problem saw database access, whatever the pattern walk saw.
  const patterns = found.usesDatabase || !findings.some((f) => DATABASE_RULES.has(f.ruleId)) ? found : { ...found, usesDatabase: true };
  const context: Context = { task, patterns, findings, tests: testsOf(task, tests), results: new Map() };
  const items: ItemResult[] = [];
  // Pre-implementation items read the others' results, so they are evaluated last.
  const order = [...CHECKLIST.filter((e) => e.section !== 'pre-implementation'), ...CHECKLIST.filter((e) => e.section === 'pre-implementation')];
  for (const entry of order) {
    const outcome = EVALUATORS[entry.id]!(context, entry);
    context.results.set(entry.id, outcome);
  }
  for (const entry of CHECKLIST) {
    const outcome = context.results.get(entry.id)!;
    items.push({ id: entry.id, section: entry.section, title: entry.title, status: outcome.status, severity: entry.severity, evidence: outcome.evidence });
  }
  return {
    name: task.name,
    file: task.file,
    line: task.line,
    endLine: task.endLine,
    kind: task.kind,
    dispatchedFrom: task.dispatchedFrom.map((d) => ({ file: d.file, line: d.line })),
    items: enforceConsistency(items, findings),
  };
}

interface Context {
  readonly task: ReviewTask;
  readonly patterns: TaskPatterns;
  readonly findings: readonly Finding[];
  readonly tests: readonly TestFile[];
  readonly results: Map<string, Outcome>;
}

type Evaluator = (context: Context, entry: ChecklistItem) => Outcome;

const at = (context: Context, line: number, message: string): Evidence => ({ file: context.task.file, line, message });
const outcome = (status: ItemStatus, evidence: Evidence[] = []): Outcome => ({ status, evidence });

/**
 * The rules' verdict on an item: `fail`/`suppressed` with the findings as evidence, `pass` when
 * its rules ran and found nothing, or undefined when none of its rules ran on the file.
 */
function fromRules(context: Context, entry: ChecklistItem): Outcome | undefined {
  const matching = context.findings.filter((f) => f.items.includes(entry.id));
  const evidence = findingEvidence;
  const active = matching.filter((f) => !f.suppression);
  if (active.length > 0) return outcome('fail', active.map(evidence));
  const suppressed = matching.filter((f) => f.suppression);
  if (suppressed.length > 0) return outcome('suppressed', suppressed.map(evidence));
  const ran = entry.rules.filter((source) => context.task.linted.enabledRules.has(source.rule));
  if (ran.length === 0) return undefined;
  if (context.task.crossFileOnly) {
    return outcome('manual', [
      at(context, context.task.line, `${ran[0]!.rule} treats this function as request code: only another file starts it in the background`),
    ]);
  }
  return outcome('pass', [at(context, context.task.line, `${[...new Set(ran.map((r) => r.rule))].join(', ')}: no finding`)]);
}

/** Rule verdict, else `manual` naming the rule that did not run. */
function ruleOnly(context: Context, entry: ChecklistItem): Outcome {
  return (
    fromRules(context, entry) ??
    outcome('manual', [at(context, context.task.line, `rule ${entry.rules.map((r) => r.rule).join(', ')} did not run (not enabled or not available)`)])
  );
}

/** The rule's failure wins; otherwise the analysis decides, with the rule's pass as fallback. */
function ruleThen(analysis: (context: Context, rulePassed: boolean) => Outcome): Evaluator {
  return (context, entry) => {
    const ruled = fromRules(context, entry);
    if (ruled && ruled.status !== 'pass') return ruled;
    const result = analysis(context, ruled?.status === 'pass');
    return result.status === 'manual' && ruled ? ruled : result;
  };
}

function freshInfrastructure(context: Context): Outcome {
  const p = context.patterns;
  if (p.infrastructure.length > 0) return outcome('pass', p.infrastructure.map((s) => at(context, s.line, `creates infrastructure: ${s.what}`)));
  if (p.scopes.length > 0) return outcome('pass', [at(context, p.scopes[0]!.line, `opens a fresh session: ${p.scopes[0]!.what}`)]);
  if (!p.usesDatabase) return outcome('not-applicable', [at(context, context.task.line, 'no database access in this task')]);
  return outcome('fail', [at(context, context.task.line, 'uses the database but never creates fresh infrastructure or opens a fresh session')]);
}

function scoped(context: Context, rulePassed: boolean): Outcome {
  const p = context.patterns;
  if (p.scopes.length > 0) return outcome('pass', p.scopes.map((s) => at(context, s.line, `scoped session: ${s.what}`)));
  if (!p.usesDatabase) return outcome('not-applicable', [at(context, context.task.line, 'no database access in this task')]);
  return rulePassed ? outcome('pass') : outcome('manual', [at(context, context.task.line, 'no scoped session seen')]);
}

function separateErrorSession(context: Context, rulePassed: boolean): Outcome {
  const writing = context.patterns.catches.filter((c) => c.updatesStatus || c.opensFreshSession);
  if (context.patterns.catches.length === 0) return outcome('not-applicable', [at(context, context.task.line, 'no catch clause')]);
  if (writing.length === 0) return outcome('not-applicable', [at(context, context.patterns.catches[0]!.line, 'the catch writes nothing to the database')]);
  const fresh = writing.filter((c) => c.opensFreshSession);
  if (fresh.length > 0) return outcome('pass', fresh.map((c) => at(context, c.line, 'the catch opens a fresh session')));
  return rulePassed ? outcome('pass') : outcome('manual', [at(context, writing[0]!.line, 'the catch writes without opening a fresh session')]);
}

/** A catch that neither rethrows, logs nor records a status: the failure ends there. */
function swallowsError(k: TaskPatterns['catches'][number]): boolean {
  return !k.rethrows && !k.logs && !k.updatesStatus;
}

function siteText(d: ReviewTask['dispatchedFrom'][number]): string {
  return `${d.how === 'dispatcher' ? `handed to ${d.call}` : d.how === 'tracked' ? `tracked call of ${d.call}` : `fire-and-forget call of ${d.call}`}`;
}

const FRAMEWORK_KINDS = new Set(['decorator', 'processor']);

const isFrameworkRun = (task: ReviewTask): boolean =>
  task.frameworkRecordsFailure || (task.dispatchedFrom.length === 0 && FRAMEWORK_KINDS.has(task.kind));

/** Whether the framework records a failure (marks the job failed), not merely logs it (`@OnEvent`, `@Cron`). */
const frameworkRecordsFailure = (task: ReviewTask): boolean => task.frameworkRecordsFailure;

const EVALUATORS: Record<string, Evaluator> = {
  'pre.fresh-session-strategy': (c) => derived(c, 'session.fresh-infrastructure', 'the task opens its own session'),
  'pre.error-handling': (c) => {
    const tryCatch = c.results.get('errors.try-catch')!;
    const separate = c.results.get('errors.separate-error-session')!;
    // A catch that swallows the failure is no error handling, whichever config the rules ran with.
    const logged = c.results.get('errors.logged-with-context')!;
    if (logged.status === 'fail') return logged;
    if (tryCatch.status === 'pass' && (separate.status === 'pass' || separate.status === 'not-applicable')) {
      return outcome('pass', [at(c, c.task.line, 'errors are caught and recorded outside the failed session')]);
    }
    return outcome('manual', [at(c, c.task.line, 'see the error-handling items')]);
  },
  // Work dispatched before the commit, or a manual transaction done wrong, fails it (the rules'); else the scopes decide.
  'pre.transaction-boundaries': (c, entry) => {
    const ruled = fromRules(c, entry);
    if (ruled && ruled.status !== 'pass') return ruled;
    const p = c.patterns;
    if (p.scopes.length > 0) return outcome('pass', [at(c, p.scopes[0]!.line, `commit/rollback at the end of ${p.scopes[0]!.what}`)]);
    if (!p.usesDatabase) return outcome('not-applicable', [at(c, c.task.line, 'no database access in this task')]);
    return outcome('manual', [at(c, c.task.line, 'no scope marks where the work commits or rolls back')]);
  },
  'pre.testing-strategy': (c) => derived(c, 'tests.integration.persistence', 'an integration test reads the data back'),

  'session.fresh-infrastructure': (c) => freshInfrastructure(c),
  'session.scoped-context': ruleThen(scoped),
  'session.fresh-services': (c) => {
    const p = c.patterns;
    if (p.freshServiceProviders.length > 0) return outcome('pass', p.freshServiceProviders.map((s) => at(c, s.line, `service built from a fresh session: ${s.what}`)));
    if (p.serviceProviders.length > 0) return outcome('manual', p.serviceProviders.map((s) => at(c, s.line, `service built here: ${s.what}; check which session it gets`)));
    if (!p.usesDatabase) return outcome('not-applicable', [at(c, c.task.line, 'no database access in this task')]);
    return outcome('not-applicable', [at(c, c.task.line, 'no service providers: the task uses its session directly')]);
  },
  'session.no-request-session': ruleOnly,

  'errors.try-catch': ruleThen((c) => {
    const p = c.patterns;
    if (p.catches.length > 0) return outcome('pass', p.catches.map((k) => at(c, k.line, 'catch clause')));
    if (frameworkRecordsFailure(c.task)) return outcome('pass', [at(c, c.task.line, 'the framework that runs it records its failure')]);
    // No try at all is never a pass; the rule staying silent (a framework that logs) makes it a question.
    return outcome('manual', [at(c, c.task.line, 'no try/catch in the task')]);
  }),
  'errors.separate-error-session': ruleThen(separateErrorSession),
  'errors.logged-with-context': ruleThen((c, rulePassed) => {
    const catches = c.patterns.catches;
    if (catches.length === 0) return outcome('not-applicable', [at(c, c.task.line, 'no catch clause')]);
    const logged = catches.filter((k) => k.logsError);
    if (logged.length === catches.length) return outcome('pass', logged.map((k) => at(c, k.line, 'the catch logs the error')));
    // A catch that drops the failure fails this item as it fails good.exception-propagation, whether or
    // not the config asks the rule about it (empty catches are strict-only): the report never says both.
    const swallowing = catches.filter(swallowsError);
    if (swallowing.length > 0) return outcome('fail', swallowing.map((k) => at(c, k.line, 'the catch swallows the error')));
    return rulePassed ? outcome('pass') : outcome('manual', [at(c, catches.find((k) => !k.logsError)!.line, 'the catch does not log the error object')]);
  }),
  'errors.failed-status': ruleThen((c, rulePassed) => {
    const p = c.patterns;
    if (p.statusUpdates.length === 0) return outcome('not-applicable', [at(c, c.task.line, 'the task records no status')]);
    const inCatch = p.catches.filter((k) => k.updatesStatus);
    if (inCatch.length > 0) return outcome('pass', inCatch.map((k) => at(c, k.line, 'the catch records a status')));
    return rulePassed ? outcome('pass') : outcome('manual', [at(c, p.statusUpdates[0]!.line, 'no failed status seen in a catch')]);
  }),

  'async.mode-decided': (c) => {
    const sites = c.task.dispatchedFrom;
    if (sites.length > 0) return outcome('pass', sites.map((d) => ({ file: d.file, line: d.line, message: `asynchronous: ${siteText(d)}` })));
    if (FRAMEWORK_KINDS.has(c.task.kind)) return outcome('pass', [at(c, c.task.line, 'asynchronous: run by its framework (decorator or processor)')]);
    return outcome('manual', [at(c, c.task.line, 'background by its name or tag; the place that starts it was not found')]);
  },
  'async.task-tracked': (c) => {
    const sites = c.task.dispatchedFrom;
    if (sites.length === 0) {
      return isFrameworkRun(c.task)
        ? outcome('not-applicable', [at(c, c.task.line, 'the framework keeps the job')])
        : outcome('manual', [at(c, c.task.line, 'the place that starts it was not found')]);
    }
    const tracked = sites.filter((d) => d.tracked);
    if (tracked.length === sites.length) return outcome('pass', tracked.map((d) => ({ file: d.file, line: d.line, message: `tracked: ${siteText(d)}` })));
    return outcome(
      'manual',
      sites.filter((d) => !d.tracked).map((d) => ({ file: d.file, line: d.line, message: `not tracked (${siteText(d)}): nothing can wait for it on shutdown` })),
    );
  },
  'async.error-callback': ruleThen((c, rulePassed) => {
    if (isFrameworkRun(c.task)) return outcome('not-applicable', [at(c, c.task.line, 'the framework handles its rejection')]);
    const handled = c.task.dispatchedFrom.filter((d) => d.hasRejectionHandler);
    if (handled.length > 0) return outcome('pass', handled.map((d) => ({ file: d.file, line: d.line, message: 'rejection handler at the call' })));
    const catchesAll = c.patterns.catches.length > 0 && c.patterns.catches.every((k) => !k.rethrows);
    if (catchesAll) return outcome('pass', [at(c, c.patterns.catches[0]!.line, 'the task catches its own errors')]);
    return rulePassed ? outcome('pass') : outcome('manual', [at(c, c.task.line, 'no rejection handler seen')]);
  }),
  'async.timeout': ruleThen((c) => {
    const p = c.patterns;
    if (p.timeouts.length > 0) return outcome('pass', p.timeouts.map((s) => at(c, s.line, `timeout: ${s.what}`)));
    if (!p.awaits) return outcome('not-applicable', [at(c, c.task.line, 'the task awaits nothing')]);
    return outcome('manual', [at(c, c.task.line, 'no timeout seen on the awaited work')]);
  }),

  'redflag.request-session': ruleOnly,
  'redflag.no-scope': ruleOnly,
  'redflag.stale-session-in-catch': ruleOnly,
  'redflag.missing-status-update': ruleOnly,
  'redflag.no-lifecycle-logging': ruleOnly,

  'good.fresh-infrastructure': (c) => freshInfrastructure(c),
  'good.scoped-context': (c) => {
    const ruled = fromRules(c, checklistItem('redflag.no-scope'));
    if (ruled && ruled.status !== 'pass') return ruled;
    return scoped(c, false);
  },
  'good.separate-error-session': (c) => {
    const ruled = fromRules(c, checklistItem('redflag.stale-session-in-catch'));
    if (ruled && ruled.status !== 'pass') return ruled;
    return separateErrorSession(c, ruled?.status === 'pass');
  },
  'good.logging': (c) => {
    const ruled = fromRules(c, checklistItem('redflag.no-lifecycle-logging'));
    if (ruled && ruled.status !== 'pass') return ruled;
    const logs = c.patterns.logs;
    if (logs.length > 0) return outcome('pass', logs.map((s) => at(c, s.line, `logs: ${s.what}`)));
    return outcome('fail', [at(c, c.task.line, 'no log call in the task')]);
  },
  'good.exception-propagation': (c) => {
    const catches = c.patterns.catches;
    const swallowing = catches.filter(swallowsError);
    if (swallowing.length > 0) return outcome('fail', swallowing.map((k) => at(c, k.line, 'the catch swallows the error')));
    if (catches.length > 0) {
      return outcome('pass', catches.map((k) => at(c, k.line, k.rethrows ? 'the catch rethrows' : 'the catch reports the error')));
    }
    if (isFrameworkRun(c.task)) return outcome('pass', [at(c, c.task.line, 'errors propagate to the framework')]);
    const handled = c.task.dispatchedFrom.filter((d) => d.hasRejectionHandler);
    if (handled.length > 0 && handled.length === c.task.dispatchedFrom.length) {
      return outcome('pass', handled.map((d) => ({ file: d.file, line: d.line, message: 'errors propagate to the rejection handler' })));
    }
    return outcome('manual', [at(c, c.task.line, 'no catch; where its errors end up depends on the caller')]);
  },

  'tests.unit.mocks-fresh-session': (c) =>
    noDatabase(c) ??
    testItem(c, (t) => {
      const mock = firstMatch(t.text, /\b(?:vi|jest)\.(?:mock|doMock|spyOn)\s*\(|\bsinon\.(?:stub|spy)\s*\(/);
      if (!mock) return undefined;
      const factory = c.task.facts.vocabulary.source.infrastructureFactories.map((name) => firstMatch(t.text, new RegExp(`\\b${escapeRegExp(name)}\\b`))).find(Boolean);
      return factory ? { line: factory, message: 'mocks the infrastructure factory' } : undefined;
    }),
  'tests.unit.error-paths': (c) =>
    testItem(c, (t) => {
      const line = firstMatch(t.text, /mockRejectedValue|\.rejects\b|toThrow|mockImplementation\w*\(\s*(?:async\s*)?\(\)\s*=>\s*\{?\s*throw/);
      return line ? { line, message: 'exercises the error path' } : undefined;
    }),
  'tests.unit.fresh-service-providers': (c) =>
    (c.patterns.serviceProviders.length === 0 ? outcome('not-applicable', [at(c, c.task.line, 'the task builds no service providers')]) : undefined) ??
    testItem(
      c,
      (t) => {
        const names = [...c.task.facts.vocabulary.source.serviceProviders];
        const line = names.map((name) => firstMatch(t.text, new RegExp(`\\b${escapeRegExp(name)}\\b[\\s\\S]{0,200}toHaveBeenCalled|toHaveBeenCalled\\w*\\([^)]*${escapeRegExp(name)}`))).find(Boolean);
        return line ? { line, message: 'asserts the service provider call' } : undefined;
      },
      'manual',
    ),
  'tests.integration.flow': (c) =>
    testItem(
      c,
      (t) => {
        const name = taskSearchName(c.task)!;
        const line = firstMatch(t.text, new RegExp(`await\\s+[\\w.$]*\\b${escapeRegExp(name)}\\s*\\(`));
        return line ? { line, message: `awaits ${name}() and checks the outcome` } : undefined;
      },
      'manual',
    ),
  'tests.integration.persistence': (c) =>
    noDatabase(c) ??
    testItem(
      c,
      (t) => {
        const scopes = c.task.facts.vocabulary.source.sessionScopes.filter((n) => !n.includes('.'));
        const re = new RegExp(`\\.(?:${[...scopes, 'fork', 'createQueryRunner', 'connect'].map(escape).join('|')})\\s*\\(`, 'g');
        const hits = [...t.text.matchAll(re)];
        return hits.length >= 2 && !/\b(?:vi|jest)\.mock\s*\(/.test(t.text)
          ? { line: lineOf(t.text, hits[1]!.index), message: 'reads the data back through a second session' }
          : undefined;
      },
      'manual',
    ),
  'tests.integration.error-status': (c) =>
    (c.patterns.statusUpdates.length === 0 ? outcome('not-applicable', [at(c, c.task.line, 'the task records no status')]) : undefined) ??
    testItem(
      c,
      (t) => {
        const failed = c.task.facts.vocabulary.source.failedValues.map((v) => firstMatch(t.text, new RegExp(`['"\`.]${escapeRegExp(v)}['"\`]?`, 'i'))).find(Boolean);
        const errorPath = /mockRejectedValue|\.rejects\b|toThrow|throw\b/.test(t.text);
        return failed && errorPath ? { line: failed, message: 'checks the failed status after an error' } : undefined;
      },
      'manual',
    ),
  'tests.integration.visible-to-others': (c) => {
    const persistence = c.results.get('tests.integration.persistence')!;
    if (persistence.status === 'pass') return outcome('pass', persistence.evidence.map((e) => ({ ...e, message: 'a second session sees the change' })));
    return outcome('manual', [at(c, c.task.line, 'only a person can say whether other services see the change')]);
  },
};

/** `not-applicable` for a task that touches no database, else undefined. */
function noDatabase(c: Context): Outcome | undefined {
  return c.patterns.usesDatabase ? undefined : outcome('not-applicable', [at(c, c.task.line, 'no database access in this task')]);
}

function derived(c: Context, from: string, message: string): Outcome {
  const source = c.results.get(from)!;
  if (source.status === 'pass') return outcome('pass', [{ ...(source.evidence[0] ?? at(c, c.task.line, '')), message }]);
  if (source.status === 'not-applicable') return outcome('not-applicable', [...source.evidence]);
  return outcome('manual', [at(c, c.task.line, `see ${from}`)]);
}

/** Test files that mention the task's name. */
/**
 * Test files that reference the task: they name it, and they import its module (by the file's
 * stem, `./render.js` for src/render.ts) or name its class. A bare `fetch` or `start` in some
 * test is not a reference.
 */
function testsOf(task: ReviewTask, tests: readonly TestFile[]): TestFile[] {
  const name = taskSearchName(task);
  if (!name) return [];
  const re = new RegExp(`\\b${escapeRegExp(name)}\\b`);
  const stem = task.file.split('/').at(-1)!.replace(/\.[^.]+$/, '');
  const owner = task.name.includes('.') ? task.name.split('.')[0] : undefined;
  const moduleRe = new RegExp(`['"\`][^'"\`]*\\b${escapeRegExp(stem)}(?:\\.[cm]?[jt]sx?)?['"\`]`);
  const ownerRe = owner ? new RegExp(`\\b${escapeRegExp(owner)}\\b`) : undefined;
  return tests.filter((t) => re.test(t.text) && (moduleRe.test(t.text) || (ownerRe?.test(t.text) ?? false)));
}

/**
 * A testing item: `pass` with the first test that shows it; when none does, `fail` if no test
 * mentions the task at all, else `weak` (default `fail`; `manual` where a regex cannot be sure).
 */
function testItem(c: Context, probe: (t: TestFile) => { line: number; message: string } | undefined, weak: ItemStatus = 'fail'): Outcome {
  const name = taskSearchName(c.task);
  if (c.tests.length === 0) {
    return outcome(name ? 'fail' : 'manual', [at(c, c.task.line, name ? `no test file mentions ${name}` : 'an anonymous task: tests cannot name it')]);
  }
  for (const t of c.tests) {
    const hit = probe(t);
    if (hit) return outcome('pass', [{ file: t.file, line: hit.line, message: hit.message }]);
  }
  return outcome(weak, c.tests.map((t) => ({ file: t.file, line: 1, message: `mentions ${name}, but shows no evidence of this` })));
}


function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

function firstMatch(text: string, re: RegExp): number | undefined {
  const match = re.exec(text);
  return match ? lineOf(text, match.index) : undefined;
}
