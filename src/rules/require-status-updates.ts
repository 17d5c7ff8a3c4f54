import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, type FunctionNode } from '../analysis/ast.js';
import type { BackgroundTask } from '../analysis/tasks/background.js';
import { mergeListeners } from '../analysis/status/code-path.js';
import { describeCall } from '../analysis/tasks/background.js';
import { JOB_KIND_TEXT, jobOf, writesJobEntity, type Job } from '../analysis/tasks/jobs.js';
import { getFileFacts } from '../analysis/facts.js';
import { functionHeadLoc } from '../analysis/function-head.js';
import { referencesWithin } from '../analysis/tasks/logging.js';
import { isDatabaseWrite, objectName, recoveredBySweep, setsRestingState, type StatusUpdate } from '../analysis/status/status.js';
import { getTypeFacts } from '../analysis/types.js';
import { failureRecordedByHook, recordsFailureThroughCallee } from '../analysis/status/failure-hooks.js';
import { fallibleWorkAfterSuccess } from '../analysis/status/early-success.js';
import { describeExit, statusFlowListeners, type StatusFlowResult, type StuckExit } from '../analysis/status/status-flow.js';
import { textMentions } from '../model/names.js';
import { vocabularyFromSettings, type CompiledVocabulary } from '../model/settings.js';
import { catchHandling, rethrowsSingledOutError } from '../analysis/sessions/catch-handling.js';
import { isOutsideServerLifecycle } from '../analysis/tasks/runtime.js';
import { catchesEverything } from '../analysis/tasks/floating.js';
import { createRule } from './util/create-rule.js';

export type Options = [
  {
    requireErrorDetail?: boolean;
    requireStatusTracking?: boolean;
    requireSuccessLast?: boolean;
  },
];
export type MessageIds = 'stuckInProgress' | 'catchWithoutFailedStatus' | 'missingErrorDetail' | 'missingStatusTracking' | 'successBeforeFallibleWork';

export default createRule<Options, MessageIds>({
  name: 'require-status-updates',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require background work that sets an in-progress status to end it with a completed or failed status on every path',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    messages: {
      stuckInProgress: '{{task}} can stay stuck in `{{status}}`: {{exit}} sets no completed or failed status.',
      catchWithoutFailedStatus: 'This catch in {{task}} sets no failed status after `{{status}}` (line {{line}}).',
      missingErrorDetail: 'This failed status of {{task}} does not record the error `{{error}}`.',
      missingStatusTracking: '{{kind}} {{task}} writes {{target}} but never sets a status.',
      successBeforeFallibleWork:
        '{{task}} sets `{{status}}` before `{{work}}` (line {{line}}), which can still fail: {{outcome}}. Write the success status after the last step that can fail.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          requireErrorDetail: {
            type: 'boolean',
            description: 'Report a failed status update in a catch that does not pass the error (strict config).',
          },
          requireStatusTracking: {
            type: 'boolean',
            description: 'Report a background function that writes to the database but never updates a status (strict config).',
          },
          requireSuccessLast: {
            type: 'boolean',
            description: 'Report a job that writes its completed status before awaited work whose failure a catch records or the queue retries.',
          },
        },
      },
    ],
    defaultOptions: [{ requireErrorDetail: false, requireStatusTracking: false, requireSuccessLast: true }],
  },
  defaultOptions: [{ requireErrorDetail: false, requireStatusTracking: false, requireSuccessLast: true }],
  create(context, [options]) {
    const vocabulary = vocabularyFromSettings(context.settings);
    // Browser and test code have no job whose status to track (../analysis/tasks/runtime.ts).
    // A UI's status (`setStatus('processing')` in a React component, `setSaveStatus('error')` in a
    // store) is on-screen state, no job's (issue 13, rounds 2 and 17: seen in a public app,
    // flux-retour-cfas ui/modules/organismes/Televersement.tsx).
    if (isOutsideServerLifecycle(context.sourceCode, vocabulary, context.filename, context.cwd)) return {};
    const requireStatusTracking = options.requireStatusTracking === true;
    const requireErrorDetail = options.requireErrorDetail === true;
    // Cheap text test first: with no status word in the file, there is no status update to follow.
    if (!requireStatusTracking && !mentionsStatus(vocabulary, context.sourceCode.text)) return {};
    const facts = getFileFacts(context, vocabulary);
    if (facts.tasks.length === 0) return {};
    const sourceCode = context.sourceCode;
    const types = getTypeFacts(context, vocabulary);
    const writes = new Map<BackgroundTask, { call: TSESTree.CallExpression; job: Job }>();

    function done(result: StatusFlowResult): void {
      reportStuck(result);
      if (options.requireSuccessLast !== false) reportEarlySuccess(result);
      if (requireErrorDetail) {
        for (const { update, task } of result.updates) {
          if (update.phase === 'failed') checkErrorDetail(update, task);
        }
      }
      if (requireStatusTracking) {
        const tracked = new Set(result.updates.map((u) => u.task));
        for (const [task, { call, job }] of writes) {
          // A runner's failure callback that writes the status (`onError`, `onFailed`) tracks it too.
          if (tracked.has(task) || failureRecordedByHook(facts, task)) continue;
          context.report({
            loc: functionHeadLoc(task.fn),
            messageId: 'missingStatusTracking',
            data: { kind: JOB_KIND_TEXT[job.kind], task: task.label, target: `\`${describeCall(call)}\`` },
          });
        }
      }
    }

    function reportStuck(result: StatusFlowResult): void {
      const byNode = new Map<TSESTree.Node, { update: StatusUpdate; task: BackgroundTask; fn: FunctionNode; exits: StuckExit[] }>();
      for (const entry of result.stuck) {
        const existing = byNode.get(entry.update.node);
        if (existing) existing.exits.push(...entry.exits);
        else byNode.set(entry.update.node, { ...entry, exits: [...entry.exits] });
      }
      const callersCache = new Map<FunctionNode, boolean>();
      const callersRecord = (fn: FunctionNode): boolean => {
        let value = callersCache.get(fn);
        if (value === undefined) callersCache.set(fn, (value = result.callersRecordFailure(fn)));
        return value;
      };
      // A rethrow in a framework-run job whose failure hook writes the failed status (Outline's `onFailed`) is recorded.
      const hookCache = new Map<BackgroundTask, boolean>();
      const hookRecords = (task: BackgroundTask): boolean => {
        let value = hookCache.get(task);
        if (value === undefined) hookCache.set(task, (value = failureRecordedByHook(facts, task)));
        return value;
      };
      // A catch that hands the failure to a same-file recorder, asked once per clause.
      const recorderCache = new Map<TSESTree.CatchClause, boolean>();
      const recordsThroughCallee = (clause: TSESTree.CatchClause): boolean => {
        let value = recorderCache.get(clause);
        if (value === undefined) recorderCache.set(clause, (value = recordsFailureThroughCallee(facts, clause)));
        return value;
      };
      const reportedCatches = new Set<TSESTree.CatchClause>();
      const entries = [...byNode.values()].sort((a, b) => a.update.node.range[0] - b.update.node.range[0]);
      for (const { update, task, fn, exits } of entries) {
        if (setsRestingState(update, result.updates.map((u) => u.update), vocabulary, sourceCode.text)) continue;
        const open = exits.filter(
          (exit) =>
            !(exit.thrown && (callersRecord(fn) || hookRecords(task) || rethrowsSingledOutError(exit.mark))) &&
            !(exit.viaCatch && recordsThroughCallee(exit.viaCatch)),
        );
        // A stale-row sweep re-runs or fails what an exit leaves in progress.
        if (open.length === 0 || recoveredBySweep(update, sourceCode.text)) continue;
        const named = [...open].sort((a, b) => exitRank(a) - exitRank(b))[0]!;
        if (named.viaCatch) reportedCatches.add(named.viaCatch);
        context.report({
          node: update.node,
          messageId: 'stuckInProgress',
          data: { status: update.value, exit: describeExit(named, fn, update), task: task.label },
        });
        for (const exit of open) {
          const clause = exit.viaCatch;
          if (!clause || reportedCatches.has(clause)) continue;
          reportedCatches.add(clause);
          // One problem, one report: a silent catch is require-background-error-handling's.
          if (catchHandling(facts.vocabulary, clause, sourceCode.visitorKeys, types).silent) continue;
          context.report({
            loc: { start: clause.loc.start, end: clause.body.loc.start },
            messageId: 'catchWithoutFailedStatus',
            data: { task: task.label, status: update.value, line: String(update.node.loc.start.line) },
          });
        }
      }
    }

    /** A call whose callee catches everything (same file, or through the checker) cannot fail its caller. */
    function cannotFail(call: TSESTree.CallExpression): boolean {
      const callee = facts.resolveFunction(call.callee);
      if (callee) return catchesEverything(callee, vocabulary, sourceCode.visitorKeys);
      return types?.calleeCatchesEverything(call) === true;
    }

    /** A completed status written before work that can still fail, in a job that tracks its status (in progress or failed too). */
    function reportEarlySuccess(result: StatusFlowResult): void {
      const tracked = new Set<BackgroundTask>();
      for (const { update, task } of result.updates) if (update.phase !== 'completed') tracked.add(task);
      for (const { update, task } of result.updates) {
        if (update.phase !== 'completed' || !tracked.has(task) || !jobOf(facts, task)) continue;
        const early = fallibleWorkAfterSuccess(update, task.fn, vocabulary, sourceCode.visitorKeys, task.frameworkRecordsFailure, cannotFail, result.writeOf);
        if (!early) continue;
        context.report({
          node: update.node,
          messageId: 'successBeforeFallibleWork',
          data: {
            task: task.label,
            status: update.value,
            work: `${describeCall(early.work)}()`,
            line: String(early.work.loc.start.line),
            outcome:
              early.outcome === 'overwritten'
                ? 'its catch then writes a failed status over a job that already reported success'
                : 'the queue then fails and retries a job whose entity already says it succeeded',
          },
        });
      }
    }

    function checkErrorDetail(update: StatusUpdate, task: BackgroundTask): void {
      const handler = enclosingHandler(update.node, task.fn);
      if (!handler) return;
      const param = handler.type === AST_NODE_TYPES.CatchClause ? handler.param : handler.params[0];
      const name = param?.type === AST_NODE_TYPES.Identifier ? param.name : undefined;
      const caught = name === undefined ? [] : sourceCode.getDeclaredVariables(handler).filter((v) => v.name === name);
      // `const errorMessage = error instanceof Error ? error.message : String(error)`: a value made from the
      // error carries it (issue 13, round 15: seen in a public backend, internxt/drive-server-wip's cleanup processor).
      const variables = [...caught, ...caught.flatMap((variable) => valuesMadeFrom(variable))];
      const passes = variables.some((variable) =>
        update.form === 'assignment'
          ? variable.references.some((ref) => assignsToObject(ref.identifier, update.object!))
          : referencesWithin(variable, update.node),
      );
      if (passes) return;
      context.report({ node: update.node, messageId: 'missingErrorDetail', data: { task: task.label, error: name ?? 'error' } });
    }

    const listeners: TSESLint.RuleListener = requireStatusTracking
      ? {
          CallExpression(node) {
            if (!isDatabaseWrite(vocabulary, node)) return;
            const task = facts.taskOf(node);
            if (!task || writes.has(task)) return;
            // Status tracking is a job's: work the author declared background, or a job that writes its
            // own job entity (`prisma.importJob.update(...)`). A listener's or a cron's writes have no job
            // status, and a queue records its jobs' state itself (../analysis/tasks/jobs.ts).
            const job = jobOf(facts, task);
            if (job && (job.kind === 'declared' || writesJobEntity(facts, node))) writes.set(task, { call: node, job });
          },
        }
      : {};
    return mergeListeners(listeners, statusFlowListeners(facts, done, types));
  },
});

/** The variables declared with an initialiser that reads `variable` (`const message = String(error)`). */
function valuesMadeFrom(variable: TSESLint.Scope.Variable): TSESLint.Scope.Variable[] {
  const made: TSESLint.Scope.Variable[] = [];
  for (const reference of variable.references) {
    let node: TSESTree.Node | undefined = reference.identifier.parent;
    while (node && node.type !== AST_NODE_TYPES.VariableDeclarator && !isFunction(node) && node.type !== AST_NODE_TYPES.BlockStatement) node = node.parent;
    if (node?.type !== AST_NODE_TYPES.VariableDeclarator || node.id.type !== AST_NODE_TYPES.Identifier) continue;
    const scope = reference.from;
    const declared = scope.set.get(node.id.name) ?? scope.variableScope.set.get(node.id.name);
    if (declared && declared !== variable) made.push(declared);
  }
  return made;
}

/** Which exit a report names: a plain return or jump first, then an explicit throw, then anything through a catch. */
function exitRank(exit: StuckExit): number {
  if (exit.viaCatch) return 3;
  if (!exit.thrown) return 0;
  return exit.mark?.type === AST_NODE_TYPES.ThrowStatement ? 1 : 2;
}

const mentionCache = new WeakMap<CompiledVocabulary, (text: string) => boolean>();

/** A cheap text test before any path work: a file that never names a status field or method has no status update. */
function mentionsStatus(vocabulary: CompiledVocabulary, text: string): boolean {
  let mentions = mentionCache.get(vocabulary);
  if (!mentions) {
    mentions = textMentions([...vocabulary.source.statusFields, ...vocabulary.source.statusMethods, ...vocabulary.source.statusMethodPrefixes], 'i');
    mentionCache.set(vocabulary, mentions);
  }
  return mentions(text);
}

/**
 * The failure handler a node runs in, within its background function: a catch clause, or the
 * callback of `.catch(cb)` / `.then(ok, cb)` (inline callbacks in between included).
 */
function enclosingHandler(node: TSESTree.Node, root: FunctionNode): TSESTree.CatchClause | FunctionNode | undefined {
  for (let current = node.parent; current && current !== root; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return current;
    if (isFunction(current) && isRejectionCallback(current)) return current;
  }
  return undefined;
}

/** `p.catch(fn)`, `p.then(ok, fn)`: `fn` receives the error. */
function isRejectionCallback(fn: FunctionNode): boolean {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const method = call.callee.property.type === AST_NODE_TYPES.Identifier ? call.callee.property.name : undefined;
  return (method === 'catch' && call.arguments[0] === fn) || (method === 'then' && call.arguments[1] === fn);
}

/** Whether an identifier is part of the value assigned to a field of `object` (`job.error = String(err)`). */
function assignsToObject(identifier: TSESTree.Node, object: string): boolean {
  for (let current = identifier.parent; current && !isFunction(current); current = current.parent) {
    if (
      current.type === AST_NODE_TYPES.AssignmentExpression &&
      current.left.type === AST_NODE_TYPES.MemberExpression &&
      objectName(current.left.object) === object
    ) {
      return true;
    }
    if (current.type === AST_NODE_TYPES.ExpressionStatement) return false;
  }
  return false;
}

