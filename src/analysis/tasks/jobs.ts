/**
 * Jobs: the background tasks the strict checks (lifecycle logging, timeouts, status tracking,
 * tracking) are about. Every job is a background task (./background.ts), but not every
 * background task is a job:
 *
 *   job                                          not a job
 *   ------------------------------------------   ---------------------------------------------
 *   queue processor: `@Process`, `process()` of   per-event listener: `@OnEvent`, `emitter.on`,
 *     `@Processor`/`WorkerHost`, `new Worker`,      `@EventPattern`, `@MessagePattern`
 *     `queue.process`, `agenda.define`,          polling: `setInterval`, `@Interval`, a cron
 *     `boss.work`                                   firing more often than every 5 minutes
 *   scheduled job: `@Cron`, `@Timeout`,          per-request hook: `res.on('finish')`, `after`,
 *     `cron.schedule`, `new CronJob`                `waitUntil`
 *   declared: `*Background*` name, `@background`  deferred small work: `setImmediate(fn)`,
 *     JSDoc, `@BackgroundTask`                       `void cache.set(...)`, detached closures,
 *   detached long work: any other background        unless it sets an in-progress status
 *     function that sets an in-progress status   a script's own top-level `main()`
 *                                                best-effort telemetry (`sendDailyUserTelemetry`)
 *
 * The vocabulary (../../model/vocabulary.ts, "Jobs" block) names the decorators and dispatchers.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeParts, decoratorName, functionName, isFunction, pushChildren, stringValue, type CallLike, type FunctionNode } from '../ast.js';
import type { FileFacts } from '../facts.js';
import { savedObjects, statusUpdateOfAssignment, statusUpdateOfCall } from '../status/status.js';
import { matchDispatcher, type BackgroundReason, type BackgroundTask } from './background.js';
import { isScriptEntryPoint } from './entry-point.js';
import { dispatcherRecordsFailure, jobWrapperNames } from './registrations.js';

/** What kind of job a background task is. */
export type JobKind = 'queue' | 'schedule' | 'declared' | 'detached';

export interface Job {
  readonly task: BackgroundTask;
  readonly kind: JobKind;
}

/** How messages name each kind of job. */
export const JOB_KIND_TEXT: Readonly<Record<JobKind, string>> = {
  queue: 'Queue job',
  schedule: 'Scheduled job',
  declared: 'Background job',
  detached: 'Background job',
};

/** A schedule that fires more often than this is polling, not a job with a lifecycle of its own. */
const POLLING_MINUTES = 5;

const jobsByFacts = new WeakMap<FileFacts, Map<BackgroundTask, Job | null>>();

/** The job a background task is, or undefined when it is not one (see the table above). */
export function jobOf(facts: FileFacts, task: BackgroundTask): Job | undefined {
  let byTask = jobsByFacts.get(facts);
  if (!byTask) jobsByFacts.set(facts, (byTask = new Map()));
  let job = byTask.get(task);
  if (job === undefined) byTask.set(task, (job = classify(facts, task) ?? null));
  return job ?? undefined;
}

/** The file's jobs, in source order. */
export function jobsOf(facts: FileFacts): Job[] {
  const out: Job[] = [];
  for (const task of facts.tasks) {
    const job = jobOf(facts, task);
    if (job) out.push(job);
  }
  return out;
}

/** The job whose code contains a node (closures inside a job belong to it), if any. */
export function jobContaining(facts: FileFacts, node: TSESTree.Node): Job | undefined {
  const task = facts.taskOf(node);
  return task ? jobOf(facts, task) : undefined;
}

function classify(facts: FileFacts, task: BackgroundTask): Job | undefined {
  // A script's top-level `main()` is the process itself (./entry-point.ts).
  if (isScriptEntryPoint(task, facts.vocabulary)) return undefined;
  // Best-effort telemetry is never a job, whatever runs it (`@Cron(...) sendDailyUserTelemetry()`).
  if (facts.vocabulary.isBestEffortName(functionName(task.fn))) return undefined;
  let best: JobKind | undefined;
  for (const reason of task.reasons) {
    // Registered by another file (./registrations.ts): a queue, Temporal worker or BaseTask runner
    // records its failures and runs a queue job; a timer (`setInterval(checkUpdates)`) makes none.
    const kind = reason.kind === 'registered' ? (task.frameworkRecordsFailure ? 'queue' : undefined) : reasonKind(facts, reason);
    if (kind && (!best || RANK[kind] < RANK[best])) best = kind;
  }
  if (best) return { task, kind: best };
  return setsInProgressStatus(facts, task) ? { task, kind: 'detached' } : undefined;
}

const RANK: Record<JobKind, number> = { queue: 0, schedule: 1, declared: 2, detached: 3 };

/** The job kind one reason makes a task, if that reason alone makes it a job. */
function reasonKind(facts: FileFacts, reason: BackgroundReason): JobKind | undefined {
  const vocabulary = facts.vocabulary;
  switch (reason.kind) {
    case 'processor':
      return 'queue';
    case 'name':
    case 'jsdoc':
      return 'declared';
    case 'decorator': {
      const decorator = reason.node as TSESTree.Decorator;
      const name = decoratorName(decorator);
      // A decorator whose framework fails the job on a throw (`@Process`) runs a queue job.
      if (vocabulary.isFailureRecordingDecorator(name)) return 'queue';
      if (vocabulary.isDeclaredJobDecorator(name)) return 'declared';
      if (vocabulary.isScheduledJobDecorator(name)) {
        const argument = decorator.expression.type === AST_NODE_TYPES.CallExpression ? decorator.expression.arguments[0] : undefined;
        return isPollingSchedule(argument) ? undefined : 'schedule';
      }
      return undefined;
    }
    case 'dispatcher': {
      const call = reason.node as CallLike;
      const dispatcher = matchDispatcher(vocabulary, call);
      if (!dispatcher) return undefined;
      // A dispatcher that records the failure (`new Worker`, `queue.process`, `agenda.define`, `boss.work`) runs a queue job.
      if (dispatcherRecordsFailure(dispatcher, call)) return 'queue';
      if (vocabulary.isScheduledJobDispatcher(dispatcher.callee)) {
        const argument = call.arguments[0]?.type === AST_NODE_TYPES.ObjectExpression ? cronTimeOption(call.arguments[0]) : call.arguments[0];
        return isPollingSchedule(argument) ? undefined : 'schedule';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `CronJob.from({ cronTime: '...', onTick })`: the schedule in the options object. */
function cronTimeOption(options: TSESTree.ObjectExpression): TSESTree.Node | undefined {
  for (const property of options.properties) {
    if (property.type === AST_NODE_TYPES.Property && property.key.type === AST_NODE_TYPES.Identifier && property.key.name === 'cronTime') {
      return property.value;
    }
  }
  return undefined;
}

/**
 * Whether a schedule fires more often than every few minutes: a cron string with a seconds
 * field that repeats, or a minutes field `*` / `* /n` with n under the limit; NestJS
 * `CronExpression.EVERY_30_SECONDS`, `EVERY_MINUTE`. Unknown schedules (constants) are jobs.
 */
export function isPollingSchedule(node: TSESTree.Node | undefined): boolean {
  if (!node) return false;
  const text = stringValue(node);
  if (text !== undefined) return isPollingCron(text);
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
    const match = /^EVERY_(?:(\d+)_)?(SECOND|MINUTE)S?$/.exec(node.property.name);
    if (!match) return false;
    return match[2] === 'SECOND' || Number(match[1] ?? '1') < POLLING_MINUTES;
  }
  return false;
}

function isPollingCron(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 5) return false;
  if (fields.length >= 6 && !/^\d+$/.test(fields[0]!)) return true;
  const minutes = fields.length >= 6 ? fields[1]! : fields[0]!;
  if (minutes === '*') return true;
  const step = /^(?:\*|\d+(?:-\d+)?)\/(\d+)$/.exec(minutes);
  return step !== null && Number(step[1]) < POLLING_MINUTES;
}

/**
 * Whether a task's own code (not other tasks nested in it) sets an in-progress status: a status
 * method or ORM write, or an assignment (`job.status = 'running'`) whose object the task saves.
 * An in-memory state (`job.state = 'active'` of a queue's own bookkeeping) is not a job status.
 */
export function setsInProgressStatus(facts: FileFacts, task: BackgroundTask): boolean {
  const vocabulary = facts.vocabulary;
  const keys = facts.sourceCode.visitorKeys;
  const assigned = new Set<string>();
  const saved = new Set<string>();
  const stack: TSESTree.Node[] = [task.fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunction(node) && facts.taskRootedAt(node) !== undefined) continue;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      if (statusUpdateOfCall(vocabulary, node)?.phase === 'in-progress') return true;
      for (const name of savedObjects(vocabulary, node)) saved.add(name);
    } else if (node.type === AST_NODE_TYPES.AssignmentExpression) {
      const update = statusUpdateOfAssignment(vocabulary, node);
      if (update?.phase === 'in-progress' && update.object !== undefined) assigned.add(update.object);
    }
    pushChildren(stack, node, keys);
  }
  return assigned.size > 0 && (saved.has('*') || [...assigned].some((name) => saved.has(name)));
}

/**
 * Whether a database write targets an entity that carries a job's status (`prisma.importJob`,
 * `this.jobRepository`, drizzle `db.update(deployments)`, `knex('jobs')`), by the vocabulary's
 * `jobEntityPattern`.
 */
export function writesJobEntity(facts: FileFacts, call: TSESTree.CallExpression): boolean {
  const parts = calleeParts(call);
  if (!parts) return false;
  const vocabulary = facts.vocabulary;
  if (vocabulary.isJobEntity(parts.receiver?.replace(/\(\)$/, ''))) return true;
  // `knex('jobs').update(...)`: the table is the receiver call's string argument.
  const object = parts.object;
  if (object?.type === AST_NODE_TYPES.CallExpression && vocabulary.isJobEntity(stringValue(object.arguments[0]))) return true;
  // Drizzle `db.update(jobs)`, `db.insert(jobs)`: the table is the first argument.
  const first = call.arguments[0];
  return first?.type === AST_NODE_TYPES.Identifier && vocabulary.isJobEntity(first.name);
}

/** Whether a dropped call starts a job: a job of this file, or a callee from elsewhere the vocabulary names a job starter (`deploy`, `runRestore`). */
export function startsJob(facts: FileFacts, call: TSESTree.CallExpression): boolean {
  const target = facts.resolveFunction(call.callee);
  // A function of this file is judged by what it does, never by its name: a self-protecting poll
  // loop named `runNextJobs` is no job (issue 13; seen in vendure polling-job-queue-strategy.ts:162).
  if (target) {
    const task = facts.taskRootedAt(target);
    return (task !== undefined && jobOf(facts, task) !== undefined) || awaitsJobStarter(facts, target);
  }
  const parts = calleeParts(call);
  // Only plain calls are asked by name (`deploy(jobData)`, `runRestore()`): a method of a library
  // object (`sdk.shutdown()`, `fs.unlink()`) is not the project's job, and a `this.` method of the
  // same class was judged above by what it does.
  if (!parts || parts.receiver !== undefined) return false;
  return facts.vocabulary.isJobStarterName(parts.member);
}

/**
 * Whether a function of this file awaits a job started elsewhere (`await restorePostgresBackup(...)`
 * in a local `runRestore`): the long work is the callee's, named by the vocabulary.
 */
function awaitsJobStarter(facts: FileFacts, fn: FunctionNode): boolean {
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== fn.body && isFunction(node)) continue;
    if (node.type === AST_NODE_TYPES.AwaitExpression && node.argument.type === AST_NODE_TYPES.CallExpression) {
      const parts = calleeParts(node.argument);
      if (parts && parts.receiver === undefined && !facts.resolveFunction(node.argument.callee) && facts.vocabulary.isJobStarterName(parts.member)) return true;
    }
    pushChildren(stack, node, facts.sourceCode.visitorKeys);
  }
  return false;
}

/** Whether a queue job is wrapped by a lifecycle logger where it is registered (`run: withWorkerEventLog('x', run)`). */
export function loggedByWrapper(facts: FileFacts, task: BackgroundTask): boolean {
  for (const reason of task.reasons) {
    if (reason.kind !== 'dispatcher') continue;
    const call = reason.node as CallLike;
    const dispatcher = matchDispatcher(facts.vocabulary, call);
    if (dispatcher && jobWrapperNames(dispatcher, call).some((name) => facts.vocabulary.isLifecycleLoggingWrapper(name))) return true;
  }
  return false;
}

const lifecycleByFacts = new WeakMap<FileFacts, boolean>();

/**
 * Whether the file logs its queue jobs' lifecycle through the framework's worker events:
 * `worker.on('completed', ...)`, a `@OnWorkerEvent('active')` / `@OnQueueCompleted()` hook.
 * That is lifecycle logging in another form, for every processor of the file.
 */
export function hasFrameworkLifecycleLogging(facts: FileFacts, _task: BackgroundTask): boolean {
  let answer = lifecycleByFacts.get(facts);
  if (answer === undefined) lifecycleByFacts.set(facts, (answer = scanLifecycleHooks(facts)));
  return answer;
}

function scanLifecycleHooks(facts: FileFacts): boolean {
  const vocabulary = facts.vocabulary;
  const text = facts.sourceCode.text;
  if (!vocabulary.source.jobLifecycleEvents.some((e) => text.includes(e)) && !vocabulary.source.jobLifecycleDecorators.some((d) => text.includes(d))) {
    return false;
  }
  // Over the facts' calls: Nest's hook decorators are factories, always called (`@OnQueueCompleted()`).
  for (const call of facts.calls) {
    if (call.type !== AST_NODE_TYPES.CallExpression) continue;
    if (call.parent.type === AST_NODE_TYPES.Decorator) {
      const name = decoratorName(call.parent);
      if (vocabulary.isJobLifecycleDecorator(name)) {
        const event = stringValue(call.arguments[0]);
        // `@OnQueueCompleted()` names its event; `@OnWorkerEvent('completed')` takes it as argument.
        if (event === undefined ? !/failed|error|stalled/i.test(name ?? '') : vocabulary.isJobLifecycleEvent(event)) return true;
      }
    } else {
      const parts = calleeParts(call);
      if ((parts?.member === 'on' || parts?.member === 'once') && vocabulary.isJobLifecycleEvent(stringValue(call.arguments[0]))) return true;
    }
  }
  return false;
}
