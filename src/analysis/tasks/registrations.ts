/**
 * Background work registered in another file (issue 14, shape 5): a job function handed to
 * `new Worker(name, processJob)` / `queue.process(handler)` / `agenda.define(name, fn)` by the
 * file that imports it, a Temporal activity named in `proxyActivities<typeof activities>()`, and
 * the method of a class that extends the project's own job base class
 * (`class Export extends BaseTask { perform() }`).
 *
 * Without types, only the per-file part runs: subclasses of a `taskBaseClasses` entry.
 * With a program (type-aware linting, or the review's registration program), one index of what every
 * file of the program registers is built lazily, once per `ts.Program` (a WeakMap, like
 * typescript-eslint's per-program caches), and each linted file asks it about its own functions.
 */
import { createRequire } from 'node:module';
import { AST_NODE_TYPES, type ParserServicesWithTypeInformation, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as TS from 'typescript';
import { calleeFits } from '../../model/names.js';
import type { CompiledDispatcher, CompiledVocabulary } from '../../model/settings.js';
import type { DispatcherPattern } from '../../model/vocabulary.js';
import { isExportedFunction, isFunction, owningClass, propertyName, skipTypeWrappers, skipWrappers, type CallLike, type FunctionNode } from '../ast.js';

/** A function of the linted file that another file (or the project's base class) makes a job. */
export interface Registration {
  readonly fn: FunctionNode;
  /** Where the reason points in this file: the class for a subclass method, else the function. */
  readonly node: TSESTree.Node;
  /** `perform() of a BaseTask subclass`, `registered with queue.process at queueSetup.ts:47`. */
  readonly detail: string;
  /** The framework that runs it records its failure (a queue retries and marks the job failed). */
  readonly recordsFailure: boolean;
}

/** Where a job is registered: the dispatcher call, or the queue callback that calls a job method. */
export interface RegistrationSite {
  readonly fileName: string;
  /** 1-based. */
  readonly line: number;
  /** `queue.process`, `new Worker`, `proxyActivities`. */
  readonly call: string;
}

/** A function one file of the program registers, found by the program index. */
export interface IndexedRegistration {
  /** The function-like declaration that runs as a job. */
  readonly declaration: TS.SignatureDeclaration;
  readonly detail: string;
  readonly recordsFailure: boolean;
  readonly site: RegistrationSite | undefined;
}

/** What every file of one program registers. */
export interface RegistrationIndex {
  /** Functions registered from another file, by the file that declares them. */
  readonly byFile: ReadonlyMap<string, readonly IndexedRegistration[]>;
  /**
   * Abstract (or body-less) methods of project classes that a registered callback calls on an
   * instance (`await task.perform(props)` in Outline's worker): their overrides run as jobs.
   */
  readonly jobMethods: ReadonlyMap<TS.Declaration, { readonly detail: string; readonly site: RegistrationSite }>;
}

let tsModule: typeof TS | undefined;
function loadTypeScript(): typeof TS {
  tsModule ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return tsModule;
}

const indexes = new WeakMap<TS.Program, Map<CompiledVocabulary, RegistrationIndex>>();

/** How many indexes were built (a test checks that a lint run builds one per program). */
export const registrationIndexStats = { builds: 0 };

/**
 * The registration index of a program, built on first use and kept while the program lives.
 * `ts` is the compiler module the program was built with.
 */
export function registrationIndex(program: TS.Program, vocabulary: CompiledVocabulary, ts: typeof TS = loadTypeScript()): RegistrationIndex {
  let byVocabulary = indexes.get(program);
  if (!byVocabulary) {
    byVocabulary = new Map();
    indexes.set(program, byVocabulary);
  }
  let index = byVocabulary.get(vocabulary);
  if (!index) {
    index = buildIndex(program, vocabulary, ts);
    registrationIndexStats.builds += 1;
    byVocabulary.set(vocabulary, index);
  }
  return index;
}

/**
 * The functions of one linted file that run as jobs because of a registration elsewhere or a
 * job base class. Empty (and cheap) for a file with no classes and no program.
 */
export function registeredFunctions(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  functions: readonly FunctionNode[],
  filename?: string,
): Registration[] {
  const services = sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  const typed = services?.program && services.esTreeNodeToTSNodeMap ? (services as ParserServicesWithTypeInformation) : undefined;
  const taskModule = filename !== undefined && vocabulary.isTaskModule(filename);
  const definitions = vocabulary.jobDefinitionTypes.length > 0 ? functions.filter((fn) => fn.parent?.type === AST_NODE_TYPES.Property) : [];
  if (!typed && !taskModule && vocabulary.taskBaseClasses.length === 0 && definitions.length === 0) return [];
  try {
    const found =
      typed ? typedRegistrations(typed, sourceCode, vocabulary, functions)
      : vocabulary.taskBaseClasses.length > 0 ? subclassRegistrations(vocabulary, functions, undefined)
      : [];
    for (const fn of definitions) {
      const detail = jobDefinitionProperty(vocabulary, fn);
      if (detail !== undefined && !found.some((r) => r.fn === fn)) found.push({ fn, node: fn, detail, recordsFailure: true });
    }
    if (taskModule) {
      for (const fn of functions) {
        if (isExportedFunction(fn) && !found.some((r) => r.fn === fn)) {
          found.push({ fn, node: fn, detail: 'exported from a taskModules file (settings)', recordsFailure: true });
        }
      }
    }
    return found;
  } catch {
    // Rules never throw: a compiler surprise costs the registrations, not the lint run.
    return [];
  }
}

/** A method's name and class when it is a non-static method of a class with a superclass. */
function subclassMethod(fn: FunctionNode): { name: string; cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression } | undefined {
  const holder = fn.parent;
  if (holder?.type !== AST_NODE_TYPES.MethodDefinition || holder.static || holder.kind !== 'method' || holder.value !== fn) return undefined;
  const cls = owningClass(fn);
  if (!cls?.superClass) return undefined;
  const name = propertyName(holder.key, holder.computed);
  return name === undefined ? undefined : { name, cls };
}

/** `BaseTask` in `extends BaseTask<Props>`, `tasks.BaseTask` -> `BaseTask`. */
function superClassName(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): string | undefined {
  const superClass = cls.superClass;
  if (superClass?.type === AST_NODE_TYPES.Identifier) return superClass.name;
  if (superClass?.type === AST_NODE_TYPES.MemberExpression) return propertyName(superClass.property, superClass.computed);
  return undefined;
}

/**
 * Methods of subclasses of a job base class: named by `taskBaseClasses` (the direct superclass
 * without types; any ancestor with `ancestors`), or, with a program, found by the index.
 */
function subclassRegistrations(
  vocabulary: CompiledVocabulary,
  functions: readonly FunctionNode[],
  ancestors: ((cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, method: string) => { name: string; index?: string } | undefined) | undefined,
): Registration[] {
  const found: Registration[] = [];
  for (const fn of functions) {
    const method = subclassMethod(fn);
    if (!method) continue;
    const direct = superClassName(method.cls);
    const byName = vocabulary.taskBaseClasses.some((p) => calleeFits(p, direct, method.name));
    const base = byName ? { name: direct! } : ancestors?.(method.cls, method.name);
    if (!base) continue;
    const how = base.index ?? 'settings taskBaseClasses';
    found.push({ fn, node: method.cls, detail: `${method.name}() of a ${base.name} subclass (${how})`, recordsFailure: true });
  }
  return found;
}

function typedRegistrations(
  services: ParserServicesWithTypeInformation,
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  functions: readonly FunctionNode[],
): Registration[] {
  const ts = loadTypeScript();
  const program = services.program;
  const index = registrationIndex(program, vocabulary, ts);
  const checker = program.getTypeChecker();
  const found: Registration[] = [];
  const fileName = services.esTreeNodeToTSNodeMap.get(sourceCode.ast)?.getSourceFile().fileName;
  for (const registration of (fileName !== undefined && index.byFile.get(fileName)) || []) {
    const fn = toEstreeFunction(services, registration.declaration);
    if (fn) found.push({ fn, node: fn, detail: registration.detail, recordsFailure: registration.recordsFailure });
  }
  const hasClasses = functions.some((fn) => subclassMethod(fn) !== undefined);
  if (!hasClasses) return found;
  const classTypes = new Map<TSESTree.Node, TS.Type>();
  const ancestors = (cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, method: string) => {
    let type = classTypes.get(cls);
    if (!type) {
      type = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(cls));
      classTypes.set(cls, type);
    }
    return jobBase(ts, checker, type, method, vocabulary, index, new Set());
  };
  for (const registration of subclassRegistrations(vocabulary, functions, ancestors)) {
    if (!found.some((r) => r.fn === registration.fn)) found.push(registration);
  }
  return found;
}

/** The ancestor class that makes `method` a job method, by settings or by the index. */
function jobBase(
  ts: typeof TS,
  checker: TS.TypeChecker,
  type: TS.Type,
  method: string,
  vocabulary: CompiledVocabulary,
  index: RegistrationIndex,
  seen: Set<TS.Type>,
): { name: string; index?: string; site?: RegistrationSite } | undefined {
  if (seen.has(type) || seen.size > 16) return undefined;
  seen.add(type);
  const target = (type as TS.TypeReference).target ?? type;
  if (!(target.flags & ts.TypeFlags.Object) || !((target as TS.ObjectType).objectFlags & ts.ObjectFlags.Class)) return undefined;
  for (const base of checker.getBaseTypes(target as TS.InterfaceType)) {
    // `export default abstract class BaseProcessor`: the symbol is `default`, the declaration has the name.
    const symbol = base.getSymbol();
    const declared = symbol?.declarations?.find((d) => ts.isClassLike(d)) as TS.ClassLikeDeclaration | undefined;
    const name = declared?.name?.text ?? symbol?.getName();
    if (name !== undefined && vocabulary.taskBaseClasses.some((p) => calleeFits(p, name, method))) {
      return { name, index: 'settings taskBaseClasses' };
    }
    const declarations = base.getProperty(method)?.getDeclarations() ?? [];
    for (const declaration of declarations) {
      const job = index.jobMethods.get(declaration);
      if (job !== undefined && name !== undefined) return { name, index: job.detail, site: job.site };
    }
    const further = jobBase(ts, checker, base, method, vocabulary, index, seen);
    if (further) return further;
  }
  return undefined;
}

/** The ESTree function for a TS function-like declaration of the linted file. */
function toEstreeFunction(services: ParserServicesWithTypeInformation, declaration: TS.Node): FunctionNode | undefined {
  const node = services.tsNodeToESTreeNodeMap.get(declaration) as TSESTree.Node | undefined;
  if (!node) return undefined;
  if (isFunction(node)) return node;
  if ((node.type === AST_NODE_TYPES.MethodDefinition || node.type === AST_NODE_TYPES.PropertyDefinition) && isFunction(node.value)) return node.value;
  return undefined;
}

/**
 * The job functions one file of a program declares, with where they are registered: functions
 * another file registers, and methods of subclasses of a job base class. For bgtask-review, whose
 * program holds the registration sites and the changed files they reach.
 */
export function jobsDeclaredIn(program: TS.Program, vocabulary: CompiledVocabulary, ts: typeof TS, file: TS.SourceFile): IndexedRegistration[] {
  try {
    const index = registrationIndex(program, vocabulary, ts);
    const found = [...(index.byFile.get(file.fileName) ?? [])];
    const checker = program.getTypeChecker();
    const visit = (node: TS.Node): void => {
      if (ts.isClassLike(node) && node.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) {
        const type = checker.getTypeAtLocation(node);
        for (const member of node.members) {
          if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
          if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
          const method = member.name.text;
          const base = jobBase(ts, checker, type, method, vocabulary, index, new Set());
          if (base) found.push({ declaration: member, detail: `${method}() of a ${base.name} subclass (${base.index ?? 'settings taskBaseClasses'})`, recordsFailure: true, site: base.site });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  } catch {
    return [];
  }
}

/** Text that may register a job (a dispatcher call or an activity proxy): which files the review adds. */
export function mayRegister(vocabulary: CompiledVocabulary): (text: string) => boolean {
  const test = mentionTest(vocabulary);
  return (text) => test.test(text);
}

// --- the program index --------------------------------------------------------------------

/** `this.queue.process` -> (`queue`, `process`); `taskQueue().process` -> (`taskQueue`, `process`). */
function tsCalleeParts(ts: typeof TS, callee: TS.Expression): { receiver: string | undefined; member: string } | undefined {
  const inner = skipTsWrappers(ts, callee);
  if (ts.isIdentifier(inner)) return { receiver: undefined, member: inner.text };
  if (!ts.isPropertyAccessExpression(inner)) return undefined;
  let object = skipTsWrappers(ts, inner.expression);
  // A queue getter (`taskQueue().process(...)`, Outline) names its queue like a variable would.
  if (ts.isCallExpression(object)) object = skipTsWrappers(ts, object.expression);
  const receiver = ts.isIdentifier(object)
    ? object.text
    : ts.isPropertyAccessExpression(object)
      ? object.name.text
      : object.kind === ts.SyntaxKind.ThisKeyword
        ? 'this'
        : undefined;
  return { receiver, member: inner.name.text };
}

function skipTsWrappers(ts: typeof TS, node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isSatisfiesExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** `traceFunction(opts)(async function (job) {...})`, `fn.bind(this)`: the callback inside. */
function unwrapCallback(ts: typeof TS, node: TS.Expression): TS.Expression {
  const inner = skipTsWrappers(ts, node);
  if (!ts.isCallExpression(inner)) return inner;
  const callee = skipTsWrappers(ts, inner.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return skipTsWrappers(ts, callee.expression);
  // A higher-order wrapper returns the function it is given: `wrap(...)(fn)` or `wrap(name, fn)`.
  const fn = inner.arguments.find((a) => ts.isFunctionExpression(a) || ts.isArrowFunction(a));
  return fn ?? inner;
}

function buildIndex(program: TS.Program, vocabulary: CompiledVocabulary, ts: typeof TS): RegistrationIndex {
  const checker = program.getTypeChecker();
  const byFile = new Map<string, IndexedRegistration[]>();
  const jobMethods = new Map<TS.Declaration, { detail: string; site: RegistrationSite }>();
  const members = new Set(vocabulary.dispatchers.filter((d) => !d.importedFrom && !d.events).map((d) => d.pattern.member));
  for (const proxy of vocabulary.source.activityProxies) members.add(proxy);
  if (members.size === 0) return { byFile, jobMethods };
  const mentions = mentionTest(vocabulary);
  const isProject = (file: TS.SourceFile): boolean => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.includes('/node_modules/');

  const add = (declaration: TS.SignatureDeclaration, detail: string, recordsFailure: boolean, site: RegistrationSite): void => {
    const file = declaration.getSourceFile();
    const list = byFile.get(file.fileName) ?? [];
    if (!list.some((r) => r.declaration === declaration)) list.push({ declaration, detail, recordsFailure, site });
    byFile.set(file.fileName, list);
  };
  const siteOf = (node: TS.Node, call: string): RegistrationSite => {
    const file = node.getSourceFile();
    return { fileName: file.fileName, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, call };
  };
  const where = (site: RegistrationSite): string => `${site.fileName.split('/').pop()}:${site.line}`;

  // Names of the project's abstract methods: a queue callback's other calls are not asked about.
  const abstractNames = new Set<string>();
  const projectFiles = program.getSourceFiles().filter(isProject);
  for (const file of projectFiles) for (const name of abstractMethodNames(ts, file)) abstractNames.add(name);
  for (const file of projectFiles) {
    for (const call of registrationCalls(ts, vocabulary, file, mentions, members)) {
      const parts = tsCalleeParts(ts, call.expression)!;
      if (ts.isCallExpression(call) && parts.receiver === undefined && vocabulary.isActivityProxy(parts.member)) {
        addActivities(call, file);
      } else {
        const dispatcher = matchTsDispatcher(vocabulary, parts, ts.isNewExpression(call));
        if (dispatcher) addCallbacks(call, dispatcher, file, parts);
      }
    }
  }
  return { byFile, jobMethods };

  /** The callbacks of a dispatcher call: imported ones are registrations, inline ones are scanned for job methods. */
  function addCallbacks(call: TS.CallExpression | TS.NewExpression, dispatcher: CompiledDispatcher, file: TS.SourceFile, parts: { receiver: string | undefined; member: string }): void {
    const name = `${ts.isNewExpression(call) ? 'new ' : ''}${parts.receiver ? `${parts.receiver}.` : ''}${parts.member}`;
    for (const raw of call.arguments ?? []) {
      const argument = unwrapCallback(ts, raw);
      if (ts.isFunctionExpression(argument) || ts.isArrowFunction(argument)) {
        if (dispatcher.recordsFailure) scanForJobMethods(argument, siteOf(call, name));
        continue;
      }
      if (!ts.isIdentifier(argument) && !ts.isPropertyAccessExpression(argument)) continue;
      const declaration = functionDeclarationOf(argument);
      if (!declaration || declaration.getSourceFile() === file || !isProject(declaration.getSourceFile())) continue;
      const site = siteOf(call, name);
      add(declaration, `registered with ${name} at ${where(site)}`, dispatcher.recordsFailure === true, site);
    }
  }

  /** The function-like declaration an expression names (imports followed), with a body. */
  function functionDeclarationOf(node: TS.Expression): TS.SignatureDeclaration | undefined {
    let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    let declaration: TS.Node | undefined = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) {
      declaration = declaration.initializer;
    }
    return declaration && ts.isFunctionLike(declaration) && (declaration as TS.FunctionLikeDeclaration).body ? declaration : undefined;
  }

  /** Calls on an instance inside a registered callback whose method is abstract in a project class. */
  function scanForJobMethods(callback: TS.FunctionLikeDeclaration, site: RegistrationSite): void {
    const detail = `called by the ${site.call} callback at ${where(site)}`;
    const visit = (node: TS.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        abstractNames.has(node.expression.name.text) &&
        constructedHere(node.expression.expression, callback)
      ) {
        const declaration = checker.getResolvedSignature(node)?.getDeclaration() ?? methodOfConstructed(node.expression);
        if (
          declaration &&
          ts.isMethodDeclaration(declaration) &&
          !declaration.body &&
          ts.isClassLike(declaration.parent) &&
          isProject(declaration.getSourceFile())
        ) {
          jobMethods.set(declaration, { detail, site });
        }
      }
      ts.forEachChild(node, visit);
    };
    if (callback.body) visit(callback.body);
  }

  /**
   * Whether a receiver is a job object the callback builds itself (`const task = new TaskClass()`,
   * the worker instantiating the job class it was asked for). An injected service's or a base
   * repository's abstract method (`this.repo.findById()`) called from a job does not make every
   * override a job.
   */
  function constructedHere(receiver: TS.Expression, callback: TS.FunctionLikeDeclaration): boolean {
    if (!ts.isIdentifier(receiver)) return false;
    const variable = checker.getSymbolAtLocation(receiver)?.valueDeclaration;
    if (!variable || !ts.isVariableDeclaration(variable) || !variable.initializer) return false;
    if (variable.pos < callback.pos || variable.end > callback.end) return false;
    const init = skipTsWrappers(ts, variable.initializer);
    return ts.isNewExpression(ts.isAwaitExpression(init) ? skipTsWrappers(ts, init.expression) : init);
  }

  /**
   * `const task = new TaskClass(); task.perform()` where `new` of an abstract class type is an error
   * (Outline writes `// @ts-expect-error`), so `task` is `any`: the method of what the class constructs.
   */
  function methodOfConstructed(access: TS.PropertyAccessExpression): TS.Declaration | undefined {
    if (!ts.isIdentifier(access.expression)) return undefined;
    const variable = checker.getSymbolAtLocation(access.expression)?.valueDeclaration;
    if (!variable || !ts.isVariableDeclaration(variable) || !variable.initializer) return undefined;
    const init = skipTsWrappers(ts, variable.initializer);
    const constructed = ts.isAwaitExpression(init) ? skipTsWrappers(ts, init.expression) : init;
    if (!ts.isNewExpression(constructed)) return undefined;
    for (const signature of checker.getTypeAtLocation(constructed.expression).getConstructSignatures()) {
      const method = signature.getReturnType().getProperty(access.name.text);
      const declaration = method?.declarations?.find((d) => ts.isMethodDeclaration(d));
      if (declaration) return declaration;
    }
    return undefined;
  }

  /** `const { sendMail } = proxyActivities<typeof activities>(...)`: the named activities. */
  function addActivities(call: TS.CallExpression, file: TS.SourceFile): void {
    const typeArgument = call.typeArguments?.[0];
    if (!typeArgument) return;
    const activities = checker.getTypeFromTypeNode(typeArgument);
    const parent = call.parent;
    // Destructured names, or every property when the proxy is kept whole (`acts.sendMail(...)`).
    const names =
      ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)
        ? parent.name.elements.map((e) => (e.propertyName ?? e.name).getText(file))
        : activities.getProperties().map((p) => p.getName());
    for (const name of names) {
      const property = activities.getProperty(name);
      let symbol = property;
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      let declaration: TS.Node | undefined = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) declaration = declaration.initializer;
      if (!declaration || !ts.isFunctionLike(declaration) || !(declaration as TS.FunctionLikeDeclaration).body) continue;
      if (!isProject(declaration.getSourceFile()) || declaration.getSourceFile() === file) continue;
      const site = siteOf(call, 'proxyActivities');
      add(declaration, `Temporal activity proxied at ${where(site)}`, true, site);
    }
  }
}

/**
 * A text test for the files worth walking: a dispatcher's receiver tail and member
 * (`Queue().process`, `agenda.define`), or its name (`new Worker`, `proxyActivities`). Every
 * alternative starts with a literal, so the scan stays fast on files that register nothing.
 */
function mentionTest(vocabulary: CompiledVocabulary): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alternatives = new Set<string>();
  for (const d of vocabulary.dispatchers) {
    if (d.importedFrom || d.events) continue;
    const dot = d.callee.lastIndexOf('.');
    if (dot <= 0) {
      alternatives.add(`\\b${escape(d.callee)}\\b`);
      continue;
    }
    const tail = d.callee.slice(0, dot).split('*').pop() ?? '';
    const member = escape(d.callee.slice(dot + 1));
    alternatives.add(tail === '' ? `\\.\\s*${member}\\b` : `${escape(tail)}(?:\\(\\s*\\))?\\s*\\.\\s*${member}\\b`);
  }
  for (const proxy of vocabulary.source.activityProxies) alternatives.add(`\\b${escape(proxy)}\\b`);
  return new RegExp([...alternatives].join('|'));
}

const abstractNamesByFile = new WeakMap<TS.SourceFile, readonly string[]>();

/** The names of the body-less methods of the classes of a file (`abstract perform()`), remembered per source file. */
function abstractMethodNames(ts: typeof TS, file: TS.SourceFile): readonly string[] {
  let names = abstractNamesByFile.get(file);
  if (names) return names;
  const found: string[] = [];
  // Only files that say `abstract` can hold one; most files are skipped by this text test.
  if (file.text.includes('abstract')) {
    const visit = (node: TS.Node): void => {
      if (ts.isMethodDeclaration(node) && !node.body && ts.isClassLike(node.parent) && ts.isIdentifier(node.name)) found.push(node.name.text);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  names = found;
  abstractNamesByFile.set(file, names);
  return names;
}

const callsByFile = new WeakMap<CompiledVocabulary, WeakMap<TS.SourceFile, readonly (TS.CallExpression | TS.NewExpression)[]>>();

/**
 * The calls of one file that may register a job, remembered per source file: an editor's next
 * program reuses the SourceFile of every file that did not change, so only the edited file is
 * walked again, and only the checker's part of the index is redone.
 */
function registrationCalls(
  ts: typeof TS,
  vocabulary: CompiledVocabulary,
  file: TS.SourceFile,
  mentions: RegExp,
  members: ReadonlySet<string>,
): readonly (TS.CallExpression | TS.NewExpression)[] {
  let byFile = callsByFile.get(vocabulary);
  if (!byFile) {
    byFile = new WeakMap();
    callsByFile.set(vocabulary, byFile);
  }
  let calls = byFile.get(file);
  if (calls) return calls;
  const found: (TS.CallExpression | TS.NewExpression)[] = [];
  if (mentions.test(file.text)) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const parts = tsCalleeParts(ts, node.expression);
        if (parts && members.has(parts.member)) found.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  calls = found;
  byFile.set(file, calls);
  return calls;
}

/** The dispatcher a TS call fits, by the same patterns as the per-file detection. */
function matchTsDispatcher(
  vocabulary: CompiledVocabulary,
  parts: { receiver: string | undefined; member: string },
  isNew: boolean,
): CompiledDispatcher | undefined {
  return vocabulary.dispatchers.find(
    (d) => !d.importedFrom && !d.events && Boolean(d.construct) === isNew && calleeFits(d.pattern, parts.receiver, parts.member),
  );
}

/** What one file's registration calls need of a program, read from its syntax alone (the review's program). */
export interface RegistrationNeeds {
  /** Some call may register a function another file declares (a named callback, an activity proxy). */
  readonly namedCallbacks: boolean;
  /** Methods a failure-recording callback calls on a local (`task.perform()`): overrides so named may be jobs. */
  readonly methodNames: ReadonlySet<string>;
}

/**
 * What the index could find in a file's registration calls, read without a program: a callback
 * named by an import, or by a member access other than `this.x` in a class that extends nothing
 * (the checker may resolve it to another file), an activity proxy; the methods a failure-recording
 * dispatcher's inline callback calls on a local. Inline callbacks of other dispatchers
 * (`setTimeout(() => ...)`) and names of the file's own functions register nothing that another
 * file declares. (A global function of a script file, named without an import, is not looked for.)
 */
export function registrationNeeds(ts: typeof TS, vocabulary: CompiledVocabulary, file: TS.SourceFile): RegistrationNeeds {
  const methodNames = new Set<string>();
  let namedCallbacks = false;
  const members = new Set(vocabulary.dispatchers.filter((d) => !d.importedFrom && !d.events).map((d) => d.pattern.member));
  for (const proxy of vocabulary.source.activityProxies) members.add(proxy);
  if (members.size === 0) return { namedCallbacks, methodNames };
  // Names the file declares or imports (any scope: more is only slower). Any other name is a
  // global, whose members are the standard library's (`window.print`), never another file's function.
  const declared = new Set<string>();
  const declarations = (node: TS.Node): void => {
    const name = (node as TS.Node & { name?: TS.Node }).name;
    if (name && ts.isIdentifier(name) && !ts.isPropertyAccessExpression(node) && !ts.isPropertyAssignment(node) && !ts.isMethodDeclaration(node)) declared.add(name.text);
    ts.forEachChild(node, declarations);
  };
  declarations(file);
  /** As the index's `constructedHere`, by name: calls on a variable the callback initialises with `new`. */
  const methodCalls = (callback: TS.Node): void => {
    const constructed = new Set<string>();
    const calls: TS.PropertyAccessExpression[] = [];
    const visit = (node: TS.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const init = skipTsWrappers(ts, node.initializer);
        if (ts.isNewExpression(ts.isAwaitExpression(init) ? skipTsWrappers(ts, init.expression) : init)) constructed.add(node.name.text);
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) calls.push(node.expression);
      ts.forEachChild(node, visit);
    };
    visit(callback);
    for (const access of calls) if (constructed.has((access.expression as TS.Identifier).text)) methodNames.add(access.name.text);
  };
  for (const call of registrationCalls(ts, vocabulary, file, mentionTest(vocabulary), members)) {
    const parts = tsCalleeParts(ts, call.expression)!;
    if (ts.isCallExpression(call) && parts.receiver === undefined && vocabulary.isActivityProxy(parts.member)) {
      namedCallbacks = true;
      continue;
    }
    const dispatcher = matchTsDispatcher(vocabulary, parts, ts.isNewExpression(call));
    if (!dispatcher) continue;
    for (const raw of call.arguments ?? []) {
      const argument = unwrapCallback(ts, raw);
      if (ts.isFunctionExpression(argument) || ts.isArrowFunction(argument)) {
        if (dispatcher.recordsFailure) methodCalls(argument.body);
      } else if (ts.isIdentifier(argument)) {
        // The file's own function is not another file's; an imported one may be.
        if (importsName(ts, file, argument.text)) namedCallbacks = true;
      } else if (ts.isPropertyAccessExpression(argument)) {
        if (!ownMember(ts, argument) && !globalMember(ts, argument, declared)) namedCallbacks = true;
      }
    }
  }
  return { namedCallbacks, methodNames };
}

/** Whether a file imports a name (default, namespace or named import). */
function importsName(ts: typeof TS, file: TS.SourceFile, name: string): boolean {
  return file.statements.some((statement) => {
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    const bindings = clause?.namedBindings;
    return (
      clause?.name?.text === name ||
      (bindings !== undefined && (ts.isNamespaceImport(bindings) ? bindings.name.text === name : bindings.elements.some((e) => e.name.text === name)))
    );
  });
}

/** `window.print`, `document.body.focus`: rooted in a name the file neither declares nor imports. */
function globalMember(ts: typeof TS, access: TS.PropertyAccessExpression, declared: ReadonlySet<string>): boolean {
  let root: TS.Expression = access;
  while (ts.isPropertyAccessExpression(root)) root = skipTsWrappers(ts, root.expression);
  return ts.isIdentifier(root) && !declared.has(root.text);
}

/** `this.handle` inside a class that extends nothing: a member the class itself declares, in this file. */
function ownMember(ts: typeof TS, access: TS.PropertyAccessExpression): boolean {
  if (skipTsWrappers(ts, access.expression).kind !== ts.SyntaxKind.ThisKeyword) return false;
  for (let node: TS.Node | undefined = access.parent; node; node = node.parent) {
    // A function's own `this` may be typed by a `this:` parameter from anywhere.
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return false;
    if (ts.isClassLike(node)) return !node.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  }
  return false;
}

// --- jobs named by a property of an options object (issue 14, round 2) ----------------------

/** The value of a non-computed property `name` of an object literal argument, if any. */
function objectProperty(argument: TSESTree.Node, name: string): TSESTree.Node | undefined {
  const object = skipTypeWrappers(argument);
  if (object.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.Property && propertyName(property.key, property.computed) === name) {
      // `{ run }` (shorthand) and `{ run: fn }` alike; a method `run() {}` is its own function.
      return property.value;
    }
  }
  return undefined;
}

/**
 * The job inside a wrapped callback: `withTracing('x', withEventLog('x', run))` -> `run`, and a
 * thin delegate `(job) => runCrawler(job, retries)` -> `runCrawler` (the function that does the work).
 */
function unwrapJob(value: TSESTree.Node): TSESTree.Node {
  let current = skipTypeWrappers(value);
  for (let depth = 0; depth < 4; depth += 1) {
    if (current.type === AST_NODE_TYPES.CallExpression) {
      const callee = skipTypeWrappers(current.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee.property, callee.computed) === 'bind') return current;
      const inner = [...current.arguments].reverse().find((a) => isFunction(a) || a.type === AST_NODE_TYPES.Identifier || a.type === AST_NODE_TYPES.CallExpression);
      if (!inner) return current;
      current = skipTypeWrappers(inner);
      continue;
    }
    if (current.type === AST_NODE_TYPES.ArrowFunctionExpression && current.body.type !== AST_NODE_TYPES.BlockStatement) {
      const body = skipWrappers(current.body);
      const first = current.params[0];
      if (
        body.type === AST_NODE_TYPES.CallExpression &&
        body.callee.type === AST_NODE_TYPES.Identifier &&
        first?.type === AST_NODE_TYPES.Identifier &&
        body.arguments.some((a) => a.type === AST_NODE_TYPES.Identifier && a.name === first.name)
      ) {
        return body.callee;
      }
    }
    return current;
  }
  return current;
}

/** The names of the calls that wrap the job in a dispatcher's `jobProperty` (`withWorkerTracing`, `withWorkerEventLog`). */
export function jobWrapperNames(dispatcher: DispatcherPattern, call: CallLike): string[] {
  const names: string[] = [];
  if (dispatcher.jobProperty === undefined) return names;
  for (const argument of call.arguments) {
    let current = objectProperty(argument, dispatcher.jobProperty);
    for (let depth = 0; current && depth < 4; depth += 1) {
      const inner = skipTypeWrappers(current);
      if (inner.type !== AST_NODE_TYPES.CallExpression) break;
      const callee = skipTypeWrappers(inner.callee);
      if (callee.type === AST_NODE_TYPES.Identifier) names.push(callee.name);
      else if (callee.type === AST_NODE_TYPES.MemberExpression) names.push(propertyName(callee.property, callee.computed) ?? '');
      current = [...inner.arguments].reverse().find((a) => isFunction(a) || a.type === AST_NODE_TYPES.Identifier || a.type === AST_NODE_TYPES.CallExpression);
    }
  }
  return names;
}

/** The callbacks a dispatcher call hands over: its arguments, or the (unwrapped) `jobProperty` of an object argument. */
export function dispatcherCallbacks(dispatcher: DispatcherPattern, call: CallLike): readonly TSESTree.Node[] {
  const name = dispatcher.jobProperty;
  if (name === undefined) return call.arguments;
  const found: TSESTree.Node[] = [];
  for (const argument of call.arguments) {
    const value = objectProperty(argument, name);
    if (value) found.push(unwrapJob(value));
  }
  return found;
}

/** The callback a dispatcher call gives its framework for the job's failure (`onError: async (job) => ...`), if any. */
export function failureCallbackOf(dispatcher: DispatcherPattern, call: CallLike): TSESTree.Node | undefined {
  const name = dispatcher.failureCallback;
  if (name === undefined) return undefined;
  for (const argument of call.arguments) {
    const value = objectProperty(argument, name);
    if (value) return value;
  }
  return undefined;
}

/** Whether the framework behind a dispatcher call records the job's failure: by the vocabulary, or because the call passes a failure callback. */
export function dispatcherRecordsFailure(dispatcher: DispatcherPattern, call: CallLike): boolean {
  return dispatcher.recordsFailure === true || failureCallbackOf(dispatcher, call) !== undefined;
}

/**
 * `{ handler: async (...) => ... } satisfies JobDefinition<...>` (also `as`, or a typed variable):
 * the function is the property `jobDefinitionTypes` names for that type. One parent check per function.
 */
function jobDefinitionProperty(vocabulary: CompiledVocabulary, fn: FunctionNode): string | undefined {
  const property = fn.parent;
  if (property?.type !== AST_NODE_TYPES.Property || property.value !== fn) return undefined;
  const key = propertyName(property.key, property.computed);
  if (key === undefined || !vocabulary.jobDefinitionTypes.some((p) => p.member === key)) return undefined;
  if (delegatesToImport(fn)) return undefined;
  let holder: TSESTree.Node | undefined = property.parent.parent;
  while (holder?.type === AST_NODE_TYPES.TSAsExpression || holder?.type === AST_NODE_TYPES.TSSatisfiesExpression) {
    const name = typeName(holder.typeAnnotation);
    if (name !== undefined && vocabulary.fits(vocabulary.jobDefinitionTypes, name, key)) return `${key} of a ${name}`;
    holder = holder.parent;
  }
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier && holder.id.typeAnnotation) {
    const name = typeName(holder.id.typeAnnotation.typeAnnotation);
    if (name !== undefined && vocabulary.fits(vocabulary.jobDefinitionTypes, name, key)) return `${key} of a ${name}`;
  }
  return undefined;
}

/**
 * `async ({ payload, io }) => { const handler = await import('./x.handler'); await handler.run({ payload, io }); }`
 * (every documenso job definition): the job's work is in the imported module, not here. Name those
 * modules in `taskModules` (the `.handler.ts` files under `jobs/definitions`) to have them judged.
 */
function delegatesToImport(fn: FunctionNode): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement || fn.body.body.length > 3) return false;
  return fn.body.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.VariableDeclaration &&
      statement.declarations.some((d) => d.init !== null && skipWrappers(d.init).type === AST_NODE_TYPES.ImportExpression),
  );
}

/** `JobDefinition<A, B>` -> `JobDefinition`, `jobs.JobDefinition` -> `JobDefinition`. */
function typeName(node: TSESTree.TypeNode): string | undefined {
  if (node.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
  const name = node.typeName;
  if (name.type === AST_NODE_TYPES.Identifier) return name.name;
  if (name.type === AST_NODE_TYPES.TSQualifiedName) return name.right.name;
  return undefined;
}
