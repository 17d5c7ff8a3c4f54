/**
 * Which functions are background tasks (SPEC 2.1), and where background work is dispatched.
 * Built once per file from the functions, calls and statements ./facts.ts collects.
 */
import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { calleeFits } from '../../model/names.js';
import type { CompiledDispatcher, CompiledVocabulary } from '../../model/settings.js';
import {
  calleeMemberName,
  calleeParts,
  decoratorName,
  functionHolder,
  functionLabel,
  functionName,
  importedMember,
  isFunction,
  isValueUsed,
  jsdocAnchor,
  outerExpression,
  owningClass,
  pushChildren,
  skipTypeWrappers,
  stringValue,
  type CallLike,
  type FunctionNode,
} from '../ast.js';
import type { FunctionIndex } from '../function-index.js';
import { handsOutcomeToCallback, readChain } from './chains.js';
import { dependsOnAtLeast } from './runtime.js';
import { isRelative } from '../module-specifiers.js';
import { dispatcherCallbacks, dispatcherRecordsFailure, registeredFunctions } from './registrations.js';

/** Why a function counts as background; the five ways of SPEC 2.1, plus detached closures. */
export type BackgroundReasonKind =
  | 'name'
  | 'jsdoc'
  | 'decorator'
  | 'processor'
  | 'dispatcher'
  | 'fire-and-forget'
  | 'detached'
  /** Registered as a job by another file, or a job base class's method (./registrations.ts). */
  | 'registered';

export interface BackgroundReason {
  readonly kind: BackgroundReasonKind;
  /** The decorator, dispatch call or name that makes it background. */
  readonly node: TSESTree.Node;
  /** `@Cron`, `setImmediate`, `name matches /background/`. */
  readonly detail: string;
}

/** A background task: a function that runs outside its caller's await chain. */
export interface BackgroundTask {
  readonly fn: FunctionNode;
  readonly label: string;
  readonly reasons: BackgroundReason[];
  /** A framework runs it and records its failure (BullMQ Worker, `@Process`, `WorkerHost.process`). */
  frameworkRecordsFailure: boolean;
  /** The framework retries it when it throws, whatever its options say (a dispatcher's `retriesFailedJobs`). */
  frameworkRetries: boolean;
  /**
   * What else a framework does with its thrown error (SPEC 3.1): `logs` it without context
   * (`@OnEvent`, `@Cron`), hands it to exception `filters` (`@EventPattern`, `@MessagePattern`), or
   * `swallows` it without a log (node-cron 3's `task-failed` event).
   */
  frameworkHandling: 'logs' | 'filters' | 'swallows' | undefined;
  /** A scheduler runs it again at its next tick (`recurringDecorators`: `@Cron`, `@Interval`). */
  recurring: boolean;
  /** Where this file starts it (dispatcher calls and fire-and-forget calls). */
  readonly dispatchSites: DispatchSite[];
}

/** How a dispatch site hands the promise on. */
export type DispatchKind = 'dispatcher' | 'fire-and-forget' | 'tracked';

/** A call that starts background work: `setImmediate(fn)`, `void this.run()`, `tasks.add(this.run())`. */
export interface DispatchSite {
  readonly kind: DispatchKind;
  /** The call that dispatches (`setImmediate(...)`) or the fire-and-forget call itself. */
  readonly call: CallLike;
  /** The statement-level expression holding the call (`void x()`, `x().catch(f)`). */
  readonly statement: TSESTree.Node;
  /** The dispatcher pattern, for dispatcher calls. */
  readonly dispatcher: CompiledDispatcher | undefined;
  /** The background function it starts, when it is in this file. */
  readonly target: FunctionNode | undefined;
  /** The callee's name (`reindexInBackground`), for messages. */
  readonly calleeName: string | undefined;
  /** The call's arguments that are values rather than the callback. */
  readonly valueArguments: readonly TSESTree.Node[];
  /** `.catch(handler)` or `.then(ok, handler)` attached at the site. */
  readonly hasRejectionHandler: boolean;
  /** Wrapped in a tracker (`waitUntil(p)`, `tasks.add(p)`). */
  readonly tracked: boolean;
  /** `void` before the call. */
  readonly voided: boolean;
  /** The dispatcher catches and logs what the callback throws (Next.js `after`, cron from 4.3.4). */
  readonly logsFailure: boolean;
  /** The dispatcher catches what the callback throws and logs nothing (node-cron 3). */
  readonly swallowsFailure: boolean;
}

/** What the walk hands to background detection. */
export interface WalkResult {
  readonly functions: readonly FunctionNode[];
  readonly calls: readonly CallLike[];
  readonly statements: readonly TSESTree.ExpressionStatement[];
}

/** The statement-level shape `void? call(...)(.then|.catch|.finally(...))*`, unwrapped. */
interface StatementCall {
  readonly call: CallLike;
  readonly voided: boolean;
  readonly hasRejectionHandler: boolean;
}

/** Reads a statement as a dropped call chain (`void x()`, `x().then(f)`), if its base is a call. */
export function droppedCall(expression: TSESTree.Expression): StatementCall | undefined {
  const chain = readChain(expression);
  const call = chain.base;
  if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.NewExpression) return undefined;
  return { call, voided: chain.voided, hasRejectionHandler: chain.hasRejectionHandler };
}


const dispatchersByMember = new WeakMap<CompiledVocabulary, Map<string, CompiledDispatcher[]>>();

/** The vocabulary's dispatchers indexed by member name, so that a call checks only its candidates. */
function dispatcherIndex(vocabulary: CompiledVocabulary): Map<string, CompiledDispatcher[]> {
  let index = dispatchersByMember.get(vocabulary);
  if (!index) {
    index = new Map();
    for (const dispatcher of vocabulary.dispatchers) {
      const list = index.get(dispatcher.pattern.member) ?? [];
      list.push(dispatcher);
      index.set(dispatcher.pattern.member, list);
    }
    dispatchersByMember.set(vocabulary, index);
  }
  return index;
}

/** The dispatcher a call matches, if any (`setImmediate(fn)`, `new Worker(name, fn)`, `res.on('finish', fn)`). */
export function matchDispatcher(vocabulary: CompiledVocabulary, call: CallLike): CompiledDispatcher | undefined {
  const member = calleeMemberName(call);
  const candidates = member === undefined ? undefined : dispatcherIndex(vocabulary).get(member);
  if (!candidates) return undefined;
  const parts = calleeParts(call);
  if (!parts) return undefined;
  const isNew = call.type === AST_NODE_TYPES.NewExpression;
  for (const dispatcher of candidates) {
    if (Boolean(dispatcher.construct) !== isNew) continue;
    if (!calleeFits(dispatcher.pattern, parts.receiver, parts.member)) continue;
    if (dispatcher.events) {
      const event = stringValue(call.arguments[0]);
      if (event === undefined || !dispatcher.events.includes(event)) continue;
    }
    return dispatcher;
  }
  return undefined;
}

const trackerMembers = new WeakMap<CompiledVocabulary, Set<string>>();

/** Whether a call hands its argument to a tracker (`waitUntil(p)`, `tracker.track(p)`). */
export function isTrackerCall(vocabulary: CompiledVocabulary, call: CallLike): boolean {
  let members = trackerMembers.get(vocabulary);
  if (!members) {
    members = new Set(vocabulary.trackers.map((t) => t.member));
    trackerMembers.set(vocabulary, members);
  }
  // Most calls are not trackers: check the member name before building the receiver's name.
  const member = calleeMemberName(call);
  if (member === undefined || !members.has(member)) return false;
  const parts = calleeParts(call);
  return parts !== undefined && vocabulary.fits(vocabulary.trackers, parts.receiver, parts.member);
}

/** Finds background tasks and dispatch sites in one file. */
const PLUGIN_HOST_TYPES = new Set(['FastifyInstance']);
const PLUGIN_REGISTRATIONS = new Set(['fp', 'fastifyPlugin', 'register']);

export class BackgroundIndex {
  readonly tasks: BackgroundTask[] = [];
  readonly dispatchSites: DispatchSite[] = [];
  private readonly taskByFunction = new Map<FunctionNode, BackgroundTask>();
  private readonly taskOfCache = new Map<FunctionNode, BackgroundTask | null>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly vocabulary: CompiledVocabulary,
    walk: WalkResult,
    /** Resolves `this.method`, `helper` to this file's functions (one index per file). */
    private readonly functions: FunctionIndex,
    /** The file's path, for `taskModules` (./registrations.ts) and the package a dispatcher's behaviour depends on. */
    private readonly filename?: string,
  ) {
    const checkJsdoc = sourceCode.text.includes(`@${vocabulary.source.backgroundJsdocTag}`);
    for (const fn of walk.functions) this.addIntrinsicReasons(fn, checkJsdoc);
    for (const registration of registeredFunctions(sourceCode, vocabulary, walk.functions, filename)) {
      const task = this.addReason(registration.fn, { kind: 'registered', node: registration.node, detail: registration.detail });
      if (registration.recordsFailure) task.frameworkRecordsFailure = true;
    }
    for (const call of walk.calls) this.addDispatcher(call);
    for (const statement of walk.statements) this.addFireAndForget(statement);
    for (const call of walk.calls) this.addTracked(call);
    this.dropNamesThatServeTheirCaller();
    // Pre-order: a closure's parent is classified before the closure.
    for (const fn of walk.functions) this.addDetached(fn);
    this.tasks.sort((a, b) => a.fn.range[0] - b.fn.range[0]);
  }

  /** The task a function itself starts, if it is a task root. */
  taskRootedAt(fn: FunctionNode): BackgroundTask | undefined {
    return this.taskByFunction.get(fn);
  }

  /**
   * The background task whose code contains this node: the nearest enclosing task root.
   * Closures that run inline (`await Promise.all(xs.map(async ...))`) belong to their parent.
   */
  taskOf(node: TSESTree.Node): BackgroundTask | undefined {
    let fn: FunctionNode | undefined;
    for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
      if (isFunction(current)) {
        fn = current;
        break;
      }
    }
    return fn ? this.taskOfFunction(fn) : undefined;
  }

  private taskOfFunction(fn: FunctionNode): BackgroundTask | undefined {
    const cached = this.taskOfCache.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    let result = this.taskByFunction.get(fn);
    if (!result) {
      const outer = this.enclosingFunctionOf(fn);
      result = outer ? this.taskOfFunction(outer) : undefined;
    }
    this.taskOfCache.set(fn, result ?? null);
    return result;
  }

  private enclosingFunctionOf(node: TSESTree.Node): FunctionNode | undefined {
    for (let current = node.parent; current; current = current.parent) {
      if (isFunction(current)) return current;
    }
    return undefined;
  }

  private addReason(fn: FunctionNode, reason: BackgroundReason): BackgroundTask {
    let task = this.taskByFunction.get(fn);
    if (!task) {
      task = { fn, label: taskLabel(fn, reason), reasons: [], frameworkRecordsFailure: false, frameworkRetries: false, frameworkHandling: undefined, recurring: false, dispatchSites: [] };
      this.taskByFunction.set(fn, task);
      this.taskOfCache.clear();
      this.tasks.push(task);
    }
    task.reasons.push(reason);
    return task;
  }

  /**
   * A Fastify plugin (`async (fastify: FastifyInstance) => { ... }`, or a function handed to `fp(...)`,
   * `fastifyPlugin(...)` or `app.register(...)`): Fastify awaits it while the server boots, so a name such as
   * `backgroundWorkersPlugin` declares no background work (issue 13, round 15: seen in a public backend,
   * talawa-api's src/fastifyPlugins/backgroundWorkers.ts).
   */
  private isFrameworkPlugin(fn: FunctionNode): boolean {
    const param = fn.params[0];
    const annotation = param?.type === AST_NODE_TYPES.Identifier ? param.typeAnnotation?.typeAnnotation : undefined;
    if (annotation?.type === AST_NODE_TYPES.TSTypeReference && annotation.typeName.type === AST_NODE_TYPES.Identifier && PLUGIN_HOST_TYPES.has(annotation.typeName.name)) {
      return true;
    }
    const declarator = fn.parent;
    const id = declarator?.type === AST_NODE_TYPES.VariableDeclarator ? declarator.id : fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id : null;
    if (id?.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = this.sourceCode.getDeclaredVariables(declarator?.type === AST_NODE_TYPES.VariableDeclarator ? declarator : fn)[0];
    return (
      variable?.references.some((reference) => {
        const call = reference.identifier.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== reference.identifier) return false;
        const member = calleeParts(call)?.member;
        return member !== undefined && PLUGIN_REGISTRATIONS.has(member);
      }) ?? false
    );
  }

  /** A method with an HTTP route decorator (`@Post() createBackgroundJob()`): the request waits for it. */
  private isRouteHandler(fn: FunctionNode): boolean {
    const holder = fn.parent;
    return holder?.type === AST_NODE_TYPES.MethodDefinition && holder.decorators.some((decorator) => this.vocabulary.isRouteDecorator(decoratorName(decorator)));
  }

  /** Ways 1-3: name, JSDoc tag, decorators and processor classes. */
  private addIntrinsicReasons(fn: FunctionNode, checkJsdoc: boolean): void {
    const name = functionName(fn);
    if (this.vocabulary.isBackgroundName(name) && !this.isFrameworkPlugin(fn) && !this.isRouteHandler(fn)) {
      this.addReason(fn, { kind: 'name', node: fn, detail: `name "${name}" matches the background name pattern` });
    }
    if (checkJsdoc && this.hasBackgroundTag(fn)) {
      this.addReason(fn, { kind: 'jsdoc', node: fn, detail: `@${this.vocabulary.source.backgroundJsdocTag} tag` });
    }
    const holder = functionHolder(fn);
    if (
      (holder.type === AST_NODE_TYPES.MethodDefinition || holder.type === AST_NODE_TYPES.PropertyDefinition) &&
      holder.value === fn
    ) {
      for (const decorator of holder.decorators) {
        const decorator_ = decoratorName(decorator);
        if (this.vocabulary.isBackgroundDecorator(decorator_) && !this.isProjectsOwnLookalike(decorator, decorator_)) {
          const task = this.addReason(fn, { kind: 'decorator', node: decorator, detail: `@${decorator_}` });
          if (this.vocabulary.isFailureRecordingDecorator(decorator_)) task.frameworkRecordsFailure = true;
          else if (this.vocabulary.isExceptionFilterDecorator(decorator_)) task.frameworkHandling = 'filters';
          else if (this.vocabulary.isFailureLoggingDecorator(decorator_)) task.frameworkHandling ??= 'logs';
          if (this.vocabulary.isRecurringDecorator(decorator_)) task.recurring = true;
        }
      }
      if (holder.type === AST_NODE_TYPES.MethodDefinition && !holder.static && name === 'process') {
        const cls = owningClass(fn);
        const decorated = cls?.decorators.find((d) => this.vocabulary.isProcessorClassDecorator(decoratorName(d)));
        const superName =
          cls?.superClass?.type === AST_NODE_TYPES.Identifier
            ? cls.superClass.name
            : cls?.superClass?.type === AST_NODE_TYPES.MemberExpression
              ? calleeName(cls.superClass)
              : undefined;
        if (decorated || this.vocabulary.isProcessorBaseClass(superName)) {
          const detail = decorated ? `process() of an @${decoratorName(decorated)} class` : `process() of a ${superName}`;
          const task = this.addReason(fn, { kind: 'processor', node: decorated ?? cls!, detail });
          task.frameworkRecordsFailure = true;
        }
      }
    }
  }

  /**
   * Drops the tasks that only their name makes background when their code shows that a caller
   * waits for them (`servesItsCaller`): a name is weak evidence (issue 13, tRPC mutations named
   * `startBackgroundRun`), every other reason (a dispatcher, a fire-and-forget call) is kept.
   */
  private dropNamesThatServeTheirCaller(): void {
    const dropped = new Set(this.tasks.filter((task) => task.reasons.every((r) => r.kind === 'name') && this.servesItsCaller(task.fn)));
    if (dropped.size === 0) return;
    for (const task of dropped) this.taskByFunction.delete(task.fn);
    this.tasks.splice(0, this.tasks.length, ...this.tasks.filter((task) => !dropped.has(task)));
    this.taskOfCache.clear();
  }

  /**
   * Whether a function's code shows that its caller waits for it: it returns a value built for
   * the caller (`return { success: true }`), throws an error of its own kind for the caller to
   * answer (`throw new NotFoundError(...)` outside any try), awaits an enqueue call (it hands the
   * work to a worker), or a caller in this file that is not background work awaits or returns it.
   */
  private servesItsCaller(fn: FunctionNode): boolean {
    if (fn.body.type === AST_NODE_TYPES.BlockStatement) {
      const stack: TSESTree.Node[] = [fn.body];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (isFunction(node)) continue;
        // A try or catch may be the function's own failure handling: only a throw outside both is the caller's to answer.
        if (node.type === AST_NODE_TYPES.TryStatement) {
          if (node.finalizer) stack.push(node.finalizer);
          continue;
        }
        if (node.type === AST_NODE_TYPES.ThrowStatement && isOwnErrorKind(node.argument)) return true;
        if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument && skipTypeWrappers(node.argument).type === AST_NODE_TYPES.ObjectExpression) return true;
        if (node.type === AST_NODE_TYPES.AwaitExpression && isEnqueueCall(this.vocabulary, node.argument)) return true;
        pushChildren(stack, node, this.sourceCode.visitorKeys);
      }
    }
    return this.functions.callersOf(fn).some((call) => isAwaited(call) && this.taskOf(call) === undefined);
  }

  private hasBackgroundTag(fn: FunctionNode): boolean {
    const tag = new RegExp(`@${this.vocabulary.source.backgroundJsdocTag}\\b`);
    const comments = this.sourceCode.getCommentsBefore(jsdocAnchor(fn));
    const last = comments.at(-1);
    return last !== undefined && last.type === 'Block' && last.value.startsWith('*') && tag.test(last.value);
  }

  /** Way 4: callbacks given to a dispatcher. */
  private addDispatcher(call: CallLike): void {
    const dispatcher = matchDispatcher(this.vocabulary, call);
    if (!dispatcher || (dispatcher.importedFrom && !this.isImportedFrom(call, dispatcher.importedFrom))) return;
    // `await waitUntil(async () => ...)` (a test or polling helper of that name): the caller waits for the callback.
    // Queue workers (`await boss.work(name, fn)`) are registered, not run, by the awaited call.
    if (!dispatcher.dropsPromise && !dispatcher.recordsFailure && isAwaited(call)) return;
    let target: FunctionNode | undefined;
    const valueArguments: TSESTree.Node[] = [];
    const logsFailure = dispatcher.logsFailure === true || dependsOnAtLeast(this.filename, dispatcher.logsFailureFrom);
    const swallowsFailure = !logsFailure && dependsOnAtLeast(this.filename, dispatcher.catchesFailureFrom);
    // A job named by a property of an options object (`createRunner(q, { run })`) is that property's function (./registrations.ts).
    for (const argument of dispatcher.jobProperty === undefined ? call.arguments : dispatcherCallbacks(dispatcher, call)) {
      const fn = this.functions.resolve(argument);
      if (fn && !target) {
        target = fn;
        if (!this.runsInsideAwaitedPromise(call)) {
          const task = this.addReason(fn, { kind: 'dispatcher', node: call, detail: describeCall(call) });
          if (dispatcher.retriesFailedJobs) task.frameworkRetries = true;
          if (dispatcherRecordsFailure(dispatcher, call)) task.frameworkRecordsFailure = true;
          // Next.js `after(fn)` catches what the callback throws and logs it; so does cron from 4.3.4.
          else if (logsFailure) task.frameworkHandling ??= 'logs';
          else if (swallowsFailure) task.frameworkHandling ??= 'swallows';
        }
      } else if (argument.type !== AST_NODE_TYPES.SpreadElement) {
        valueArguments.push(argument);
      }
    }
    // `waitUntil(promise)` is a tracker when it is given a promise rather than a callback.
    const first = call.arguments[0] && skipTypeWrappers(call.arguments[0]);
    const givenPromise = first?.type === AST_NODE_TYPES.CallExpression || first?.type === AST_NODE_TYPES.NewExpression;
    if (!target && givenPromise && isTrackerCall(this.vocabulary, call)) return;
    const site: DispatchSite = {
      kind: 'dispatcher',
      call,
      statement: outerExpression(call),
      dispatcher,
      target,
      calleeName: describeCall(call),
      valueArguments,
      hasRejectionHandler: false,
      tracked: false,
      voided: false,
      logsFailure,
      swallowsFailure,
    };
    this.dispatchSites.push(site);
    if (target) this.taskByFunction.get(target)?.dispatchSites.push(site);
  }

  /**
   * Whether a framework-named decorator is the project's own function: declared in this file or
   * imported by a relative path. rocketadmin's `@Timeout()` (`./decorators/timeout.decorator.js`)
   * sets a request timeout on an HTTP handler; it is not `@nestjs/schedule`'s one-shot job.
   * The plugin's own marker (`@BackgroundTask`) is always the project's, so it is exempt.
   */
  private isProjectsOwnLookalike(decorator: TSESTree.Decorator, name: string | undefined): boolean {
    if (this.vocabulary.isDeclaredJobDecorator(name)) return false;
    const expression = decorator.expression.type === AST_NODE_TYPES.CallExpression ? decorator.expression.callee : decorator.expression;
    let base: TSESTree.Node = expression;
    while (base.type === AST_NODE_TYPES.MemberExpression) base = base.object;
    if (base.type !== AST_NODE_TYPES.Identifier) return false;
    const def = ASTUtils.findVariable(this.sourceCode.getScope(decorator), base.name)?.defs[0];
    if (def === undefined) return false;
    // An ambient `declare function Cron(...)` only types the framework's decorator.
    if (def.type !== TSESLint.Scope.DefinitionType.ImportBinding) return def.node.type !== AST_NODE_TYPES.TSDeclareFunction;
    const source = def.parent.type === AST_NODE_TYPES.ImportDeclaration ? def.parent.source.value : '';
    return isRelative(source);
  }

  /** Whether a call's callee is a name imported from one of these modules (`import { after } from 'next/server'`). */
  private isImportedFrom(call: CallLike, modules: readonly string[]): boolean {
    const callee = skipTypeWrappers(call.callee);
    const imported = callee.type === AST_NODE_TYPES.Identifier ? importedMember(callee, this.sourceCode) : undefined;
    return imported !== undefined && modules.includes(imported.module);
  }

  /** `await new Promise((resolve) => setTimeout(resolve, ms))`: the timer serves an awaited promise. */
  private runsInsideAwaitedPromise(call: CallLike): boolean {
    const executor = this.enclosingFunctionOf(call);
    const parent = executor?.parent;
    return (
      parent?.type === AST_NODE_TYPES.NewExpression &&
      parent.callee.type === AST_NODE_TYPES.Identifier &&
      parent.callee.name === 'Promise' &&
      parent.arguments[0] === executor &&
      isValueUsed(parent)
    );
  }

  /** Way 5: `void this.run()`, `this.run().catch(log)`, and statement-level calls of async functions. */
  private addFireAndForget(statement: TSESTree.ExpressionStatement): void {
    // A module-level `main()` / `bootstrap()` (also under `if (require.main === module)`) is the program's
    // entry point, not work detached from a caller.
    if (!this.enclosingFunctionOf(statement)) return;
    const dropped = droppedCall(statement.expression);
    if (!dropped || dropped.call.type !== AST_NODE_TYPES.CallExpression) return;
    if (matchDispatcher(this.vocabulary, dropped.call) || isTrackerCall(this.vocabulary, dropped.call)) return;
    // `this.createAsync(...).then((r) => callback(null, r)).catch((err) => callback(err))`: a callback
    // adapter hands the outcome to its caller, who waits for it (seen in a public backend: wildduck's
    // mailbox, message and user handlers).
    if (dropped.hasRejectionHandler && handsOutcomeToCallback(statement, this.sourceCode.visitorKeys)) return;
    const target = this.functions.resolveCallee(dropped.call);
    const chained = dropped.voided || skipTypeWrappers(statement.expression) !== dropped.call;
    const name = calleeParts(dropped.call)?.member;
    const startsBackground =
      (target !== undefined && (chained || target.async)) ||
      (target === undefined && this.vocabulary.isBackgroundName(name));
    if (!startsBackground) return;
    this.recordFireAndForget(dropped.call, statement.expression, target, {
      kind: 'fire-and-forget',
      voided: dropped.voided,
      hasRejectionHandler: dropped.hasRejectionHandler,
      tracked: false,
    });
  }

  /** `waitUntil(this.run())`, `this.tasks.add(this.run())`: tracked fire-and-forget. */
  private addTracked(call: CallLike): void {
    if (!isTrackerCall(this.vocabulary, call) || isValueUsed(call)) return;
    // `waitUntil(p)` logs what `p` rejects with, as a `.catch(log)` at the site would.
    const trackerLogs = isLoggingTracker(this.vocabulary, call);
    for (const argument of call.arguments) {
      const dropped = droppedCall(argument as TSESTree.Expression);
      if (!dropped || dropped.call.type !== AST_NODE_TYPES.CallExpression) continue;
      const target = this.functions.resolveCallee(dropped.call);
      if (!target && !this.vocabulary.isBackgroundName(calleeParts(dropped.call)?.member)) continue;
      this.recordFireAndForget(dropped.call, call, target, {
        kind: 'tracked',
        voided: false,
        hasRejectionHandler: dropped.hasRejectionHandler || trackerLogs,
        tracked: true,
      });
    }
  }

  private recordFireAndForget(
    call: TSESTree.CallExpression,
    statement: TSESTree.Node,
    target: FunctionNode | undefined,
    how: Pick<DispatchSite, 'kind' | 'voided' | 'hasRejectionHandler' | 'tracked'>,
  ): void {
    const site: DispatchSite = {
      ...how,
      call,
      statement,
      dispatcher: undefined,
      target,
      calleeName: calleeParts(call)?.member,
      valueArguments: call.arguments.filter((a) => a.type !== AST_NODE_TYPES.SpreadElement && !isFunction(a)),
      logsFailure: false,
      swallowsFailure: false,
    };
    this.dispatchSites.push(site);
    if (target) {
      const task = this.addReason(target, { kind: 'fire-and-forget', node: call, detail: `not awaited at line ${call.loc.start.line}` });
      task.dispatchSites.push(site);
    }
  }

  /** Async closures started and dropped inside a background task (`jobs.forEach(async (job) => ...)`). */
  private addDetached(fn: FunctionNode): void {
    if (!fn.async || this.taskByFunction.has(fn)) return;
    const parent = fn.parent;
    if (parent?.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
      return;
    }
    if (isValueUsed(parent)) return;
    if (rejectsIntoHandledChain(fn, parent)) return;
    const outer = this.enclosingFunctionOf(fn);
    if (!outer || !this.taskOfFunction(outer)) return;
    this.addReason(fn, { kind: 'detached', node: parent, detail: `async callback of ${describeCall(parent)} is not awaited` });
  }
}

/**
 * Whether a callback's rejection ends in a rejection handler of the chain its call belongs to.
 * `job.run().then(async (didRun) => { ... }).catch(log)`: a chain adopts its handler's promise
 * (issue 13, round 14: seen in a public backend, cross-seed packages/cross-seed/src/jobs.ts:165).
 * The same for a call that runs the callback and hands back its outcome, chained to a handler:
 * `prisma.$transaction(async (tx) => ...).catch(log)` (round 16: seen in a public backend,
 * nerimity-server src/index.ts:278). A call that drops its callback's promise (`forEach`,
 * `setTimeout`) hands back no promise to chain a handler to.
 */
export function rejectsIntoHandledChain(fn: FunctionNode, call: TSESTree.CallExpression): boolean {
  if (!call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  let outermost: TSESTree.Node = call;
  while (outermost.parent?.type === AST_NODE_TYPES.MemberExpression && outermost.parent.object === outermost && outermost.parent.parent?.type === AST_NODE_TYPES.CallExpression) {
    outermost = outermost.parent.parent;
  }
  const link = call.callee.type === AST_NODE_TYPES.MemberExpression ? calleeName(call.callee) : undefined;
  const chainLink = link === 'then' || link === 'catch' || link === 'finally';
  return (chainLink || outermost !== call) && readChain(outermost).hasRejectionHandler;
}

/** A function's name, or for an anonymous callback what it is handed to: `the setImmediate callback`. */
function taskLabel(fn: FunctionNode, reason: BackgroundReason): string {
  if (functionName(fn) !== undefined) return functionLabel(fn);
  if ((reason.kind === 'dispatcher' || reason.kind === 'detached') && reason.node.type !== AST_NODE_TYPES.Program) {
    return `the ${describeCall(reason.node as CallLike)} callback`;
  }
  return functionLabel(fn);
}

function calleeName(node: TSESTree.MemberExpression): string | undefined {
  return !node.computed && node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : undefined;
}

/** `queue.add(...)`, `BackupQueue.enqueue(...)`, `boss.send(...)`: a call that puts work on a queue (vocabulary `enqueueCalls`). */
export function isEnqueueCall(vocabulary: CompiledVocabulary, node: TSESTree.Node): boolean {
  const call = skipTypeWrappers(node);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const parts = calleeParts(call);
  return parts !== undefined && vocabulary.fits(vocabulary.enqueueCalls, parts.receiver, parts.member);
}

/** `new NotFoundError(...)`, `new TRPCError(...)`: an error class of the code's own, not a built-in `Error`. */
function isOwnErrorKind(node: TSESTree.Node): boolean {
  const inner = skipTypeWrappers(node);
  return (
    inner.type === AST_NODE_TYPES.NewExpression &&
    inner.callee.type === AST_NODE_TYPES.Identifier &&
    !(inner.callee.name in globalThis)
  );
}

/** Whether a call's value is awaited or returned from its function (the caller waits for it). */
function isAwaited(call: CallLike): boolean {
  const parent = outerExpression(call).parent;
  return parent?.type === AST_NODE_TYPES.AwaitExpression || parent?.type === AST_NODE_TYPES.ReturnStatement || (parent !== undefined && isFunction(parent) && parent.body === outerExpression(call));
}

/** Whether a tracker call logs what the tracked promise rejects with (vocabulary `loggingTrackers`: `waitUntil(p)`). */
function isLoggingTracker(vocabulary: CompiledVocabulary, call: CallLike): boolean {
  const parts = calleeParts(call);
  return parts !== undefined && vocabulary.fits(vocabulary.loggingTrackers, parts.receiver, parts.member);
}

/** `setImmediate`, `this.queue.process`, `new Worker` for messages. */
export function describeCall(call: CallLike): string {
  const parts = calleeParts(call);
  const name = parts ? (parts.receiver ? `${parts.receiver}.${parts.member}` : parts.member) : 'call';
  return call.type === AST_NODE_TYPES.NewExpression ? `new ${name}` : name;
}
