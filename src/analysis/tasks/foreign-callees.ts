/**
 * Callees in other files of the project, read without type information (issue 13: the largest
 * class of false "can reject" claims on held-out backends was a callee in another file that
 * catches everything itself: kubero's `this.kubectl.getPipelinesList()`, jackson's
 * `this.eventLock.acquire()`, audiobookshelf's `fileUtils.getFileMTimeMs()`).
 *
 * A call is followed only where the file names its target plainly: an import or `require` of a
 * module of the project (a relative path, or an alias of its tsconfig `paths` or package.json
 * `imports`: ../module-specifiers.ts), or a member of `this` whose declared type or `new` names
 * such an import (`constructor(private kubectl: KubernetesService)`). The other file is parsed once
 * per process (a few files kept, by path, size and modification time). Its function answers "this
 * function catches everything" (the call cannot reject) and, when it is async and awaits work its
 * own module shows can fail, "this call can reject" (issue 14, shape 5: a job that drops
 * `refreshToken.run()`). Type-aware mode asks the checker instead (../types.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseForESLint } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { instanceMembers, isFunction, pushChildren, relativeImportSource, requireCall, skipTypeWrappers, thisClassBody, type CallLike, type FunctionNode } from '../ast.js';
import { walkOnce } from '../facts.js';
import { FunctionIndex } from '../function-index.js';
import { clearModuleSpecifierCaches, isProjectSpecifier, projectModuleBases } from '../module-specifiers.js';

/** What the catch-everything questions read about a file (a subset of ../facts.ts' FileFacts). */
export interface CalleeFacts {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly vocabulary: CompiledVocabulary;
  readonly calls: readonly CallLike[];
  /** The file's path on disk, when it has one: relative imports resolve from it. */
  readonly filename?: string | undefined;
  resolveFunction(expression: TSESTree.Node): FunctionNode | undefined;
  /** The file's calls of each of its functions, indexed once per file. */
  readonly functions: Pick<FunctionIndex, 'callersOf'>;
}

/** A function of another file and the facts of that file. */
export interface ForeignFunction {
  readonly fn: FunctionNode;
  readonly facts: CalleeFacts;
}

/** Files larger than this are not read: generated code, bundles. */
const MAX_FILE_BYTES = 400_000;
/** Parsed files kept per process: a service file is asked about from many files, and parsing it again costs as much as linting it. */
const MAX_MODULES = 24;
/** Calls followed from file to file before giving up (`this.apps.get()` -> `this.kubectl.list()` -> ...). */
const MAX_DEPTH = 3;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface ParsedModule {
  readonly key: string;
  readonly filename: string;
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly functions: FunctionIndex;
  readonly calls: readonly CallLike[];
  /** Top-level declarations by name, and what the module exports under each name (`default` included). */
  readonly exports: ReadonlyMap<string, TSESTree.Node>;
  readonly factsByVocabulary: WeakMap<CompiledVocabulary, CalleeFacts>;
}

/** Parsed modules by path, least recently used first; null: the file could not be read or parsed. */
const modules = new Map<string, ParsedModule | null>();
/** Where a relative specifier leads from a folder (`dir\0spec`): a file, or null. */
const resolutions = new Map<string, string | null>();
let depth = 0;

/** Where other files are read from: the disk (ESLint), or the reviewed revision (bgtask-review). */
export interface OtherFileSource {
  /** A key that changes when the file does, or undefined when there is no such file. */
  version(file: string): string | undefined;
  /** The file's text, or undefined when it cannot be read. */
  read(file: string): string | undefined;
}

/** The files on disk, keyed by size and modification time. */
export const diskFiles: OtherFileSource = {
  version(file) {
    try {
      const stat = fs.statSync(file);
      return stat.isFile() && stat.size <= MAX_FILE_BYTES ? `${stat.size}:${stat.mtimeMs}` : undefined;
    } catch {
      return undefined;
    }
  },
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

let otherFiles: OtherFileSource = diskFiles;

/** Sets where other files are read from (bgtask-review reads the reviewed revision, not the disk). */
export function setOtherFileSource(next: OtherFileSource): void {
  if (next === otherFiles) return;
  otherFiles = next;
  clearForeignModules();
}

/**
 * The function another file defines that a call invokes, when the file names it plainly (see
 * above); undefined otherwise, or when reading the other file fails for any reason.
 */
export function foreignCallee(call: TSESTree.CallExpression, facts: CalleeFacts): ForeignFunction | undefined {
  if (!facts.filename || !path.isAbsolute(facts.filename) || depth >= MAX_DEPTH) return undefined;
  depth += 1;
  try {
    return resolveCall(call, facts);
  } catch {
    // Another file's shape never makes a rule throw: no answer is "no evidence".
    return undefined;
  } finally {
    depth -= 1;
  }
}

function resolveCall(call: TSESTree.CallExpression, facts: CalleeFacts): ForeignFunction | undefined {
  const callee = skipTypeWrappers(call.callee);
  // `poll(...)`: an imported function.
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const imported = importOf(callee, facts);
    if (!imported) return undefined;
    const module = moduleAt(facts.filename!, imported.source);
    const target = module && exportedValue(module, imported.name);
    return target && isFunction(target) ? withFacts(module, target, facts.vocabulary) : undefined;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const method = callee.property.name;
  const object = skipTypeWrappers(callee.object);
  // `utils.poll(...)`, `Database.cleanup(...)`: a member of an imported namespace, object or instance.
  const imported = object.type === AST_NODE_TYPES.Identifier ? importOf(object, facts) : undefined;
  if (imported) {
    const module = moduleAt(facts.filename!, imported.source);
    if (!module) return undefined;
    // `import * as utils` / `const utils = require('./utils')`: the module's own export; otherwise a member of the imported value.
    const target = imported.name === '*' ? exportedValue(module, method) : memberOf(module, exportedValue(module, imported.name), method);
    return target && isFunction(target) ? withFacts(module, target, facts.vocabulary) : undefined;
  }
  // `new Config().getConfig()`, or `const config = new Config(); ... config.getConfig()`: a method of an
  // imported class, on an instance made here (issue 13, round 11: Jellystat's CommonJS `configClass`).
  const instance = object.type === AST_NODE_TYPES.Identifier ? localInstanceOf(object, facts) : object;
  if (instance?.type === AST_NODE_TYPES.NewExpression && instance.callee.type === AST_NODE_TYPES.Identifier) {
    const classImport = importOf(instance.callee, facts);
    if (classImport?.name === '*' && !isRequired(instance.callee, facts)) return undefined;
    const module = classImport && moduleAt(facts.filename!, classImport.source);
    const declaration = module && exportedValue(module, classImport.name);
    const target = declaration && classMethod(module, declaration, method);
    return target ? withFacts(module, target, facts.vocabulary) : undefined;
  }
  // `this.kubectl.getPipelinesList(...)`: a method of the class a member of `this` is declared as.
  if (object.type === AST_NODE_TYPES.MemberExpression && object.object.type === AST_NODE_TYPES.ThisExpression && !object.computed) {
    const name = object.property.type === AST_NODE_TYPES.Identifier ? object.property.name : undefined;
    const body = name === undefined ? undefined : thisClassBody(object);
    const className = body && declaredClassName(body, name!);
    if (!className) return undefined;
    const imported = importOf(className, facts);
    // A whole ES namespace is no class; a whole CommonJS module is its `module.exports` (`module.exports = WebhookManager`).
    if (!imported || (imported.name === '*' && !isRequired(className, facts))) return undefined;
    const module = moduleAt(facts.filename!, imported.source);
    const declaration = module && exportedValue(module, imported.name);
    const target = declaration && classMethod(module, declaration, method);
    return target ? withFacts(module, target, facts.vocabulary) : undefined;
  }
  return undefined;
}

/** Whether an identifier is bound by `require(...)` (CommonJS), not by an ES import. */
function isRequired(identifier: TSESTree.Identifier, facts: CalleeFacts): boolean {
  return ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)?.defs[0]?.type === TSESLint.Scope.DefinitionType.Variable;
}

/** `const config = new Config()`: the `new` expression a local constant was made by. */
function localInstanceOf(identifier: TSESTree.Identifier, facts: CalleeFacts): TSESTree.Node | undefined {
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)?.defs[0];
  if (def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent?.kind !== 'const' || !def.node.init) return undefined;
  return skipTypeWrappers(def.node.init);
}

/** The identifier naming the class a member of `this` holds: its declared type (`kubectl: KubernetesService`) or `new X()`. */
function declaredClassName(body: TSESTree.ClassBody, member: string): TSESTree.Identifier | undefined {
  for (const candidate of instanceMembers(body)) {
    if (candidate.name !== member || candidate.isPrivate) continue;
    const type = candidate.typeAnnotation;
    if (type?.type === AST_NODE_TYPES.TSTypeReference && type.typeName.type === AST_NODE_TYPES.Identifier && !type.typeArguments) return type.typeName;
    const value = candidate.value && skipTypeWrappers(candidate.value);
    if (value?.type === AST_NODE_TYPES.NewExpression && value.callee.type === AST_NODE_TYPES.Identifier) return value.callee;
    return undefined;
  }
  // JavaScript declares no fields: `constructor() { this.webhookManager = new WebhookManager(); }`
  // (issue 13, round 11: Jellystat's schedulers).
  const constructor = body.body.find((m) => m.type === AST_NODE_TYPES.MethodDefinition && m.kind === 'constructor') as TSESTree.MethodDefinition | undefined;
  for (const statement of constructor?.value.body?.body ?? []) {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.AssignmentExpression) continue;
    const { left, right } = statement.expression;
    if (left.type !== AST_NODE_TYPES.MemberExpression || left.object.type !== AST_NODE_TYPES.ThisExpression || left.computed || left.property.type !== AST_NODE_TYPES.Identifier || left.property.name !== member) continue;
    const value = skipTypeWrappers(right);
    return value.type === AST_NODE_TYPES.NewExpression && value.callee.type === AST_NODE_TYPES.Identifier ? value.callee : undefined;
  }
  return undefined;
}

/** The relative module and the name an identifier is imported as (`'*'` for a namespace or a whole `require`). */
function importOf(identifier: TSESTree.Identifier, facts: CalleeFacts): { source: string; name: string } | undefined {
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)?.defs[0];
  if (def?.type === TSESLint.Scope.DefinitionType.ImportBinding) {
    const declaration = def.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration || !isProjectSpecifier(facts.filename, declaration.source.value, otherFiles)) return undefined;
    const specifier = def.node;
    if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { source: declaration.source.value, name: '*' };
    if (specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return { source: declaration.source.value, name: 'default' };
    if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
      const imported = specifier.imported;
      return { source: declaration.source.value, name: imported.type === AST_NODE_TYPES.Identifier ? imported.name : String(imported.value) };
    }
    return undefined;
  }
  if (def?.type !== TSESLint.Scope.DefinitionType.Variable || !def.node.init) return undefined;
  const source = requiredPath(def.node.init) ?? dynamicImportPath(def.node.init);
  if (source === undefined || !isProjectSpecifier(facts.filename, source, otherFiles)) return undefined;
  // `const utils = require('./utils')`: the whole module (as a namespace); `const { poll } = require('./utils')`: one name.
  if (def.node.id.type === AST_NODE_TYPES.Identifier) return { source, name: '*' };
  if (def.node.id.type === AST_NODE_TYPES.ObjectPattern) {
    for (const property of def.node.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (value === def.name) return { source, name: property.key.name };
    }
  }
  return undefined;
}

/** `require('./x')`, also as `require('./x').default`: the module path. */
function requiredPath(init: TSESTree.Node): string | undefined {
  const required = requireCall(init);
  return required && (required.members.length === 0 || (required.members.length === 1 && required.members[0] === 'default')) ? required.module : undefined;
}

/**
 * `await import('./x')`: the module a lazy wrapper loads, as a namespace (issue 13, round 16: seen
 * in a public backend, ban-plateforme's CommonJS routes load their ES tracker module this way).
 */
function dynamicImportPath(init: TSESTree.Node): string | undefined {
  const value = skipTypeWrappers(init);
  const loaded = value.type === AST_NODE_TYPES.AwaitExpression ? skipTypeWrappers(value.argument) : undefined;
  return loaded?.type === AST_NODE_TYPES.ImportExpression ? relativeImportSource(loaded) : undefined;
}

/**
 * What a module exports under a name: an ES export, a CommonJS `exports.name`, or a property of
 * `module.exports = { name }`; for `'*'` (a whole `require`d CommonJS module), `module.exports`.
 */
function exportedValue(module: ParsedModule, name: string): TSESTree.Node | undefined {
  const commonJs = module.exports.get('module.exports');
  if (name === '*') return commonJs;
  const direct = module.exports.get(name);
  if (direct) return direct;
  if (name === 'default') return commonJs;
  return memberOf(module, commonJs, name);
}

/**
 * A member of an exported value: a property of an object literal (`module.exports = { poll }`), a
 * method of an exported instance (`module.exports = new Database()`) or a static method of a class.
 */
function memberOf(module: ParsedModule, value: TSESTree.Node | undefined, name: string): TSESTree.Node | undefined {
  if (!value) return undefined;
  if (value.type === AST_NODE_TYPES.ObjectExpression) {
    for (const property of value.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier || property.key.name !== name) continue;
      const inner = skipTypeWrappers(property.value);
      return inner.type === AST_NODE_TYPES.Identifier ? module.exports.get(`local:${inner.name}`) : inner;
    }
    return undefined;
  }
  if (value.type === AST_NODE_TYPES.NewExpression && value.callee.type === AST_NODE_TYPES.Identifier) {
    const declaration = module.exports.get(`local:${value.callee.name}`);
    return declaration && classMethod(module, declaration, name);
  }
  return classMethod(module, value, name);
}

/** A method or function-valued property of a class declaration or expression by name, as the module's own `this.x` resolves it. */
function classMethod(module: ParsedModule, declaration: TSESTree.Node, name: string): FunctionNode | undefined {
  if (declaration.type !== AST_NODE_TYPES.ClassDeclaration && declaration.type !== AST_NODE_TYPES.ClassExpression) return undefined;
  return module.functions.methodsOf(declaration.body).get(name);
}

function withFacts(module: ParsedModule, fn: FunctionNode, vocabulary: CompiledVocabulary): ForeignFunction {
  let facts = module.factsByVocabulary.get(vocabulary);
  if (!facts) {
    const functions = module.functions;
    facts = {
      sourceCode: module.sourceCode,
      vocabulary,
      calls: module.calls,
      filename: module.filename,
      resolveFunction: (expression) => functions.resolve(expression),
      functions,
    };
    module.factsByVocabulary.set(vocabulary, facts);
  }
  return { fn, facts };
}

// ---------------------------------------------------------------------------------------------
// Reading another file
// ---------------------------------------------------------------------------------------------

/** The module a project specifier (relative or aliased) leads to from a file, parsed (cached); undefined when there is none. */
function moduleAt(fromFile: string, specifier: string): ParsedModule | undefined {
  const file = resolveSpecifier(fromFile, specifier);
  if (!file) return undefined;
  const key = otherFiles.version(file);
  if (key === undefined) return undefined;
  const cached = modules.get(file);
  if (cached !== undefined && (cached === null || cached.key === key)) {
    // Least recently used last.
    modules.delete(file);
    modules.set(file, cached);
    return cached ?? undefined;
  }
  const parsed = parseModule(file, key);
  modules.delete(file);
  modules.set(file, parsed);
  if (modules.size > MAX_MODULES) modules.delete(modules.keys().next().value!);
  return parsed ?? undefined;
}

function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  const cacheKey = `${path.dirname(fromFile)}\0${specifier}`;
  const cached = resolutions.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  let found: string | null = null;
  for (const base of projectModuleBases(fromFile, specifier, otherFiles)) {
    found = moduleFile(base);
    if (found !== null) break;
  }
  if (resolutions.size > 5_000) resolutions.clear();
  resolutions.set(cacheKey, found);
  return found ?? undefined;
}

/** The source file a module path without extension names: itself, with an extension, or its folder's index. */
function moduleFile(base: string): string | null {
  const candidates = [base];
  // `import x from './x.js'` in TypeScript names `./x.ts`.
  const withoutJs = base.replace(/\.(c|m)?jsx?$/, '');
  if (withoutJs !== base) candidates.push(...EXTENSIONS.map((ext) => withoutJs + ext));
  candidates.push(...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)));
  return candidates.find((candidate) => !candidate.endsWith('.d.ts') && EXTENSIONS.includes(path.extname(candidate)) && otherFiles.version(candidate) !== undefined) ?? null;
}

let SourceCodeClass: (new (config: object) => TSESLint.SourceCode) | undefined;

/** ESLint's `SourceCode` (a peer dependency), loaded on first use: most lint runs never read another file. */
function sourceCodeClass(): new (config: object) => TSESLint.SourceCode {
  SourceCodeClass ??= (createRequire(import.meta.url)('eslint') as { SourceCode: new (config: object) => TSESLint.SourceCode }).SourceCode;
  return SourceCodeClass;
}

function parseModule(file: string, key: string): ParsedModule | null {
  const text = otherFiles.read(file);
  if (text === undefined || text.length > MAX_FILE_BYTES) return null;
  const jsx = /\.(tsx|jsx)$/.test(file);
  let parsed: ReturnType<typeof parseForESLint>;
  try {
    // No JSDoc: nothing here reads it, and skipping it saves a fifth of the parse.
    parsed = parseForESLint(text, { filePath: file, jsx, range: true, loc: true, tokens: true, comment: true, sourceType: 'module', ecmaVersion: 'latest', jsDocParsingMode: 'none' });
  } catch {
    return null;
  }
  const ast = parsed.ast as unknown as TSESTree.Program;
  const keys = parsed.visitorKeys as TSESLint.SourceCode.VisitorKeys;
  setParents(ast, keys);
  const SourceCode = sourceCodeClass();
  const sourceCode = new SourceCode({ text, ast, parserServices: parsed.services, scopeManager: parsed.scopeManager, visitorKeys: keys });
  const calls = walkOnce(sourceCode).calls;
  return {
    key,
    filename: file,
    sourceCode,
    functions: new FunctionIndex(sourceCode, calls),
    calls,
    exports: moduleExports(ast),
    factsByVocabulary: new WeakMap(),
  };
}

/** ESLint sets `parent` while it traverses; a file read here is not traversed, so set them once. */
function setParents(ast: TSESTree.Program, keys: TSESLint.SourceCode.VisitorKeys): void {
  const stack: TSESTree.Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const before = stack.length;
    pushChildren(stack, node, keys);
    for (let k = before; k < stack.length; k += 1) (stack[k] as { parent?: TSESTree.Node }).parent = node;
  }
}

/**
 * A module's top-level declarations (`local:<name>`) and exports: `export function f`, `export
 * const f = ...`, `export class C`, `export { f as g }`, `export default ...`, and CommonJS
 * `module.exports = ...` (as `module.exports`), `module.exports.f = ...` / `exports.f = ...`.
 */
function moduleExports(ast: TSESTree.Program): Map<string, TSESTree.Node> {
  const result = new Map<string, TSESTree.Node>();
  const declare = (statement: TSESTree.Node, exported: boolean): void => {
    if ((statement.type === AST_NODE_TYPES.FunctionDeclaration || statement.type === AST_NODE_TYPES.ClassDeclaration) && statement.id) {
      result.set(`local:${statement.id.name}`, statement);
      if (exported) result.set(statement.id.name, statement);
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) continue;
        const init = skipTypeWrappers(declarator.init);
        result.set(`local:${declarator.id.name}`, init);
        if (exported) result.set(declarator.id.name, init);
      }
    }
  };
  const named: Array<[string, string]> = [];
  for (const statement of ast.body) {
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      if (statement.declaration) declare(statement.declaration, true);
      else if (!statement.source) {
        for (const specifier of statement.specifiers) {
          if (specifier.local.type !== AST_NODE_TYPES.Identifier) continue;
          const exportedName = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
          named.push([exportedName, specifier.local.name]);
        }
      }
    } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const declaration = statement.declaration;
      declare(declaration, false);
      result.set('default', declaration.type === AST_NODE_TYPES.Identifier ? declaration : skipTypeWrappers(declaration));
    } else if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.AssignmentExpression) {
      const { left, right } = statement.expression;
      const target = commonJsExport(left);
      if (target) result.set(target, skipTypeWrappers(right));
    } else {
      declare(statement, false);
    }
  }
  for (const [exportedName, local] of named) {
    const value = result.get(`local:${local}`);
    if (value) result.set(exportedName, value);
  }
  // `export default Foo`, `module.exports = Foo` / `{ poll }` naming a local declaration.
  for (const name of ['default', 'module.exports']) {
    const value = result.get(name);
    if (value?.type === AST_NODE_TYPES.Identifier) {
      const local = result.get(`local:${value.name}`);
      if (local) result.set(name, local);
      else result.delete(name);
    }
  }
  return result;
}

/** `module.exports` -> 'module.exports'; `module.exports.f` / `exports.f` -> 'f'. */
function commonJsExport(left: TSESTree.Node): string | undefined {
  if (left.type !== AST_NODE_TYPES.MemberExpression || left.computed || left.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const object = left.object;
  if (object.type === AST_NODE_TYPES.Identifier && object.name === 'module' && left.property.name === 'exports') return 'module.exports';
  if (object.type === AST_NODE_TYPES.Identifier && object.name === 'exports') return left.property.name;
  if (
    object.type === AST_NODE_TYPES.MemberExpression &&
    !object.computed &&
    object.object.type === AST_NODE_TYPES.Identifier &&
    object.object.name === 'module' &&
    object.property.type === AST_NODE_TYPES.Identifier &&
    object.property.name === 'exports'
  ) {
    return left.property.name;
  }
  return undefined;
}

/** Forgets every parsed file (tests). */
export function clearForeignModules(): void {
  modules.clear();
  resolutions.clear();
  clearModuleSpecifierCaches();
}
