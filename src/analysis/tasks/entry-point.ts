/**
 * Script entry points: `main().catch(...)`, `bootstrap()`, `(async () => { ... })()` at the top
 * level of a module. The process itself is that task (it lives until the promise settles and
 * an unhandled rejection ends it loudly), so it is not background work to log, time out or
 * track; only its missing rejection handler is still a floating promise.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeParts, containsNodeByFields, decoratorName, enclosingFunction, isFunction, memberName, objectPropertiesNamed } from '../ast.js';
import type { BackgroundTask, DispatchSite } from './background.js';
import type { FileFacts } from '../facts.js';
import type { CompiledVocabulary } from '../../model/settings.js';

/** Whether a statement runs at the top level of its module (also inside a top-level block: `try { main() } ...`). */
export function isTopLevelStatement(statement: TSESTree.Node): boolean {
  for (let current = statement.parent; current; current = current.parent) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.ClassBody) return false;
  }
  return true;
}

/**
 * Whether a statement starts work at the top level of its module (`main();`, `bootstrap();`,
 * `void run();`, an async IIFE), also under `if (require.main === module)`: a script's own process
 * work, or work a module starts once when it is loaded. Both fail fast and loud at startup, which
 * is what their authors want (issue 13): Node prints the rejection and exits non-zero. Scripts
 * often export their `main` for tests, so exporting does not make a module something else.
 */
export function isProcessEntryStatement(statement: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  return isTopLevelStatement(statement) || inStartupCallback(statement, vocabulary) || inSingletonConstructor(statement, vocabulary);
}

/**
 * Whether a statement is one of the constructor's own of a class the dependency-injection container
 * builds once at boot (`singletonDecorators`: `@Injectable() class CommuneService { constructor() {
 * this.initDatas(); } }`), or of a hook the container calls once when the application starts
 * (`startupHookMethods`: `onModuleInit() { void this.init(); }`): the service's startup, which fails
 * loud like a script's `main()` (issue 13, round 16: seen in a public backend, vigieau-ddt-back's
 * commune, config and departement services; round 20: SquirrelServersManager's watcher engine).
 * A statement nested in a callback there (`setTimeout(() => ...)`) runs later, and is not one.
 */
function inSingletonConstructor(node: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  // From a dropped call to the statement that holds it (`void this.load()`, `this.load().then(...)`).
  let statement = node;
  while (statement.parent && statement.parent.type !== AST_NODE_TYPES.BlockStatement && !isFunction(statement.parent)) statement = statement.parent;
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  // Also inside a loop or a branch of the constructor (`for (const id of ids) this.unlock(id).then();`,
  // issue 13, round 21: seen in a public backend, vigieau-api's CronService), not in a callback.
  let constructor: TSESTree.Node | undefined = statement.parent;
  while (constructor && !isFunction(constructor)) constructor = constructor.parent;
  const method = constructor?.type === AST_NODE_TYPES.FunctionExpression ? constructor.parent : undefined;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition) return false;
  // The constructor, or a hook the container calls once at startup (`onModuleInit() { void this.init(); }`).
  const startupHook = method.kind === 'method' && !method.computed && method.key.type === AST_NODE_TYPES.Identifier && vocabulary.source.startupHookMethods.includes(method.key.name);
  if (method.kind !== 'constructor' && !startupHook) return false;
  const cls = method.parent.parent;
  if (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression) return false;
  return (
    cls.decorators.some((decorator) => {
      const name = decoratorName(decorator);
      return name !== undefined && vocabulary.source.singletonDecorators.includes(name) && !scopedPerRequest(decorator);
    }) ||
    (!startupHook && builtOnceAtModuleLoad(cls))
  );
}

const builtOnceByClass = new WeakMap<TSESTree.Node, boolean>();

/**
 * Whether a module keeps its class to itself and builds its one instance when it is loaded
 * (`class TwitterQueryService { ... } export default new TwitterQueryService()`): the constructor
 * runs once, at boot, like a container's singleton (issue 13, round 20: seen in a public backend,
 * thxprotocol's apps/api/src/app/services/TwitterQueryService.ts). An exported class, or one also
 * built inside a function, may be built later, per request.
 */
function builtOnceAtModuleLoad(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  let known = builtOnceByClass.get(cls);
  if (known !== undefined) return known;
  known = false;
  const program = cls.parent;
  if (cls.type === AST_NODE_TYPES.ClassDeclaration && cls.id && program?.type === AST_NODE_TYPES.Program) {
    const name = cls.id.name;
    let built = 0;
    let builtAtTop = 0;
    containsNodeByFields(
      program,
      (node) => {
        if (node.type === AST_NODE_TYPES.NewExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === name) {
          built += 1;
          if (isTopLevelStatement(node)) builtAtTop += 1;
        }
        return false;
      },
      true,
    );
    known = built === 1 && builtAtTop === 1;
  }
  builtOnceByClass.set(cls, known);
  return known;
}

/** `@Injectable({ scope: Scope.REQUEST })`, `{ scope: Scope.TRANSIENT }`: built per request or per use, not once. */
function scopedPerRequest(decorator: TSESTree.Decorator): boolean {
  const call = decorator.expression;
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  return call.arguments.some((argument) =>
    objectPropertiesNamed(argument, (name) => name === 'scope').some(
      ({ value }) => !(value.type === AST_NODE_TYPES.MemberExpression && value.property.type === AST_NODE_TYPES.Identifier && value.property.name === 'DEFAULT'),
    ),
  );
}

/**
 * Whether a statement runs in the callback of a top-level startup call (`startupCallbacks`:
 * `app.listen(port, () => { initializeBrowser().then(...) })`): once, when the server has started.
 * So does a callback of a promise chain the module starts when it is loaded
 * (`checkStatus().then(async () => { app.listen(PORT); startPluginProcess(); })`): its startup,
 * which fails loud like a script's `main()` (issue 13, round 21: seen in a public backend,
 * hollaex-kit's server/plugins/index.js and plugin-process.js).
 */
function inStartupCallback(statement: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  let fn: TSESTree.Node | undefined = statement.parent;
  while (fn && !isFunction(fn)) fn = fn.parent;
  const call = fn?.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const parts = calleeParts(call);
  if (parts === undefined || !isTopLevelStatement(call)) return false;
  return vocabulary.fits(vocabulary.startupCallbacks, parts.receiver, parts.member) || (PROMISE_CHAIN_METHODS.has(parts.member) && call.callee.type === AST_NODE_TYPES.MemberExpression && startsAtLoad(call));
}

const PROMISE_CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/** Whether a chain's head is a call (`checkStatus().then(...)`), and the chain a statement of its own at the module's top level. */
function startsAtLoad(call: TSESTree.CallExpression): boolean {
  let head: TSESTree.Node = call;
  while (head.type === AST_NODE_TYPES.CallExpression && head.callee.type === AST_NODE_TYPES.MemberExpression && PROMISE_CHAIN_METHODS.has(memberName(head.callee) ?? '')) head = head.callee.object;
  if (head.type !== AST_NODE_TYPES.CallExpression) return false;
  let outer: TSESTree.Node = call;
  while (outer.parent && (outer.parent.type === AST_NODE_TYPES.MemberExpression || (outer.parent.type === AST_NODE_TYPES.CallExpression && outer.parent.callee === outer) || outer.parent.type === AST_NODE_TYPES.AwaitExpression || (outer.parent.type === AST_NODE_TYPES.UnaryExpression && outer.parent.operator === 'void'))) outer = outer.parent;
  return outer.parent?.type === AST_NODE_TYPES.ExpressionStatement;
}

/**
 * Whether a dispatch site is a module's top-level call statement: `main();`, or a one-shot
 * dispatcher (`startupDispatchers`) that starts the module, `setImmediate(async () => { ... })`.
 */
export function isTopLevelDispatch(site: DispatchSite, vocabulary: CompiledVocabulary): boolean {
  if (site.kind === 'fire-and-forget') return isProcessEntryStatement(site.statement, vocabulary);
  return isTopLevelStatement(site.statement) && site.kind === 'dispatcher' && isStartupDispatcher(site, vocabulary);
}

function isStartupDispatcher(site: DispatchSite, vocabulary: CompiledVocabulary): boolean {
  const name = site.dispatcher?.callee;
  return name !== undefined && vocabulary.source.startupDispatchers.includes(name);
}

/** Whether a task is background only because the module starts it at its top level (a script's `main`, a service's startup). */
export function isScriptEntryPoint(task: BackgroundTask, vocabulary: CompiledVocabulary): boolean {
  return (
    task.reasons.length > 0 &&
    task.reasons.every((reason) => reason.kind === 'fire-and-forget' || reason.kind === 'dispatcher') &&
    task.dispatchSites.length > 0 &&
    task.dispatchSites.every((site) => isTopLevelDispatch(site, vocabulary))
  );
}

/** The tasks of a file that are background work of a server, without a script's own entry points. */
export interface ServerTasks {
  readonly tasks: readonly BackgroundTask[];
  /** The task containing a node, unless that task is a script's entry point. */
  readonly taskOf: (node: TSESTree.Node) => BackgroundTask | undefined;
}

/** The facts' tasks with script entry points left out, for the rules that judge a task's lifecycle. */
export function serverTasks(facts: Pick<FileFacts, 'tasks' | 'taskOf' | 'vocabulary'>): ServerTasks {
  return {
    tasks: facts.tasks.filter((task) => !isScriptEntryPoint(task, facts.vocabulary)),
    taskOf: (node) => {
      const task = facts.taskOf(node);
      return task && !isScriptEntryPoint(task, facts.vocabulary) ? task : undefined;
    },
  };
}

/**
 * Whether a node runs in a function that only the module's top level calls
 * (`migrateMigrationsTable().catch(...)`): once per process, at its start. A session such a function
 * leaks on an error is one, and the process that fails there is the one-shot script or startup
 * that owns it (issue 13, round 14: seen in a public backend, gitpod's
 * components/gitpod-db/src/migrate-migrations.ts:17).
 */
export function runsOnceAtStartup(node: TSESTree.Node, facts: Pick<FileFacts, 'functions'>): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  const callers = facts.functions.callersOf(fn);
  return callers.length > 0 && callers.every((call) => isTopLevelStatement(call));
}
