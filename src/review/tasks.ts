/**
 * Which background tasks a change touches. In a file, the analysis core's tasks and dispatch
 * sites decide; across files, the type checker resolves the callee of a dropped call or
 * a dispatcher's callback to the function another file exports (only when a tsconfig.json is
 * there; otherwise the report says "in-file only").
 */
import { AST_NODE_TYPES, ASTUtils, type TSESTree } from '@typescript-eslint/utils';
import type * as TS from 'typescript';
import {
  enclosingFunction,
  functionLabel,
  instanceMembers,
  isFunction,
  memberName,
  pushChildren,
  skipTypeWrappers,
  skipWrappers,
  thisClassBody,
  type FunctionNode,
  type InstanceMember,
} from '../analysis/ast.js';
import { droppedCall, type BackgroundTask, type DispatchKind } from '../analysis/tasks/background.js';
import { jobsDeclaredIn, mayRegister, registrationNeeds, type RegistrationNeeds } from '../analysis/tasks/registrations.js';
import { buildFacts, type FileFacts } from '../analysis/facts.js';
import type { CompiledVocabulary } from '../model/settings.js';
import { SOURCE_PATHSPECS, sourceFilesMentioning, type ReviewRange } from './git.js';
import type { LintedFile } from './lint.js';
import type { ReviewCompiler } from './program.js';

/** Where a task is started. */
export interface DispatchLocation {
  readonly file: string;
  readonly line: number;
  readonly how: DispatchKind;
  /** The call that starts it, for messages (`setImmediate`, `processInBackground`). */
  readonly call: string;
  readonly hasRejectionHandler: boolean;
  readonly tracked: boolean;
}

export interface ReviewTask {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  /** Why it is background (`dispatcher`, `decorator`, `fire-and-forget`, ...). */
  readonly kind: string;
  readonly dispatchedFrom: readonly DispatchLocation[];
  readonly fn: FunctionNode;
  readonly facts: FileFacts;
  readonly linted: LintedFile;
  /** A framework runs it and records its failure. */
  readonly frameworkRecordsFailure: boolean;
  /** Found only through another file's dispatch: the per-file rules see a request function. */
  readonly crossFileOnly: boolean;
}

/** A dispatch in one file of a function defined in another. */
export interface CrossFileDispatch {
  readonly targetFile: string;
  /** An offset inside the target function's body, in the target's text. */
  readonly targetPosition: number;
  readonly site: DispatchLocation;
  /** The function around the dispatch (its range decides whether the dispatch changed). */
  readonly siteFunctionLines: readonly [number, number] | undefined;
  /** A registration whose framework records the job's failure (a queue, a Temporal worker). */
  readonly recordsFailure?: boolean;
}

export type DispatchResolution = 'type-checker' | 'in-file only';

/** The analysis facts of a linted file (undefined when it did not parse). */
export function factsOf(linted: LintedFile): FileFacts | undefined {
  return linted.sourceCode ? buildFacts(linted.sourceCode, linted.vocabulary, linted.file) : undefined;
}

const overlaps = (ranges: readonly (readonly [number, number])[], start: number, end: number): boolean =>
  ranges.some(([from, to]) => from <= end && to >= start);

/** The tasks the change touches (every task with `all`), in file and line order. */
export function touchedTasks(
  files: readonly { linted: LintedFile; facts: FileFacts | undefined; ranges: readonly (readonly [number, number])[] }[],
  cross: readonly CrossFileDispatch[],
  all: boolean,
  /** Changed lines of every changed file, including those without tasks (dispatch sites). */
  rangesOf: ReadonlyMap<string, readonly (readonly [number, number])[]>,
): ReviewTask[] {
  const result: ReviewTask[] = [];
  for (const { linted, facts, ranges } of files) {
    if (!facts) continue;
    const changed = (node: TSESTree.Node | undefined): boolean =>
      node !== undefined && overlaps(ranges, node.loc.start.line, node.loc.end.line);
    const bodyChanged = new Map<BackgroundTask, boolean>(facts.tasks.map((t) => [t, changed(t.fn)]));
    const incoming = cross.filter((c) => c.targetFile === linted.file);
    const seen = new Set<FunctionNode>();
    for (const task of facts.tasks) {
      const touched =
        all ||
        bodyChanged.get(task) === true ||
        // Dispatched from a changed function of this file.
        task.dispatchSites.some((site) => changed(enclosingFunction(site.call))) ||
        // Dispatches a task whose body changed.
        facts.tasks.some(
          (other) => other !== task && bodyChanged.get(other) === true && other.dispatchSites.some((s) => enclosingFunction(s.call) === task.fn),
        ) ||
        incoming.some((c) => functionAt(facts, c.targetPosition) === task.fn && crossTouched(c, rangesOf));
      if (!touched) continue;
      seen.add(task.fn);
      const local = task.dispatchSites.map((site) => location(linted.file, site));
      const remote = incoming.filter((c) => functionAt(facts, c.targetPosition) === task.fn).map((c) => c.site);
      result.push(toReviewTask(task.fn, task.label, task.reasons[0]?.kind ?? 'name', [...local, ...remote], facts, linted, task.frameworkRecordsFailure, false));
    }
    // Functions that only another file starts.
    for (const c of incoming) {
      const fn = functionAt(facts, c.targetPosition);
      if (!fn || seen.has(fn)) continue;
      if (!all && !crossTouched(c, rangesOf) && !changed(fn)) continue;
      seen.add(fn);
      const from = incoming.filter((other) => functionAt(facts, other.targetPosition) === fn);
      const sites = from.map((other) => other.site);
      const recordsFailure = from.some((other) => other.recordsFailure === true);
      result.push(toReviewTask(fn, functionLabel(fn), sites[0]!.how, sites, facts, linted, recordsFailure, true));
    }
  }
  return result.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

function crossTouched(c: CrossFileDispatch, rangesOf: ReadonlyMap<string, readonly (readonly [number, number])[]>): boolean {
  const siteRanges = rangesOf.get(c.site.file) ?? [];
  const [from, to] = c.siteFunctionLines ?? [c.site.line, c.site.line];
  return overlaps(siteRanges, from, to);
}

function toReviewTask(
  fn: FunctionNode,
  name: string,
  kind: string,
  dispatchedFrom: DispatchLocation[],
  facts: FileFacts,
  linted: LintedFile,
  frameworkRecordsFailure: boolean,
  crossFileOnly: boolean,
): ReviewTask {
  return {
    name,
    file: linted.file,
    line: fn.loc.start.line,
    endLine: fn.loc.end.line,
    kind,
    dispatchedFrom: dispatchedFrom.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    fn,
    facts,
    linted,
    frameworkRecordsFailure,
    crossFileOnly,
  };
}

function location(file: string, site: BackgroundTask['dispatchSites'][number]): DispatchLocation {
  return {
    file,
    line: site.call.loc.start.line,
    how: site.kind,
    call: site.calleeName ?? 'call',
    hasRejectionHandler: site.hasRejectionHandler,
    tracked: site.tracked,
  };
}

/** The innermost function of a file whose range holds an offset. */
function functionAt(facts: FileFacts, position: number): FunctionNode | undefined {
  let found: FunctionNode | undefined;
  const keys = facts.sourceCode.visitorKeys;
  let node: TSESTree.Node | undefined = facts.sourceCode.ast;
  // Descend through the one child that holds the offset.
  while (node) {
    if (isFunction(node)) found = node;
    let next: TSESTree.Node | undefined;
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      const children = (Array.isArray(child) ? child : [child]) as (TSESTree.Node | null | undefined)[];
      next = children.find((c) => c && typeof c.type === 'string' && c.range[0] <= position && position < c.range[1]) ?? undefined;
      if (next) break;
    }
    node = next;
  }
  return found;
}

/** A statement-level call this file cannot resolve, whose callee comes from an import or `this`. */
/** A place in a changed file where a function of another file may be started. */
interface CrossFileCandidate {
  /** End offset of the callee's last name (`run` in `jobs.run`), or of a dispatcher's callback argument. */
  readonly nameEnd: number;
  readonly how: 'fire-and-forget' | 'dispatcher';
  /** Dropped visibly (`void`, `.then/.catch/.finally`); a plain statement-level call needs an async target. */
  readonly chained: boolean;
  readonly hasRejectionHandler: boolean;
  /** The imports that may declare what the name resolves to ({@link namedBy}); undefined: any import. */
  readonly imports: readonly string[] | undefined;
  readonly line: number;
  readonly call: string;
  /** Lines of the function around the call: the dispatch changed when they did. */
  readonly siteFunctionLines: readonly [number, number] | undefined;
}

/** What the cross-file pass needs of a changed file: plain data, so that its AST can be let go. */
export interface CrossFileInput {
  readonly file: string;
  readonly text: string;
  readonly candidates: readonly CrossFileCandidate[];
  /** A module that declares nothing global (`declare global`, `declare module 'x'`): other files see it only by importing it. */
  readonly isolated: boolean;
}

/**
 * The ESTree side of the cross-file pass: dropped calls (`void run()`, `run().catch(f)`,
 * `run();`) whose callee is not a function of this file and is rooted in an import or `this`,
 * and dispatcher callbacks this file cannot resolve. Only these reach the type checker, so most
 * changed files never reach the type checker. Undefined when the file has none.
 */
export function crossFileInput(linted: LintedFile, facts: FileFacts): CrossFileInput | undefined {
  const candidates: CrossFileCandidate[] = [];
  const declarations = new DeclaringImports(facts, linted.file);
  const linesAround = (node: TSESTree.Node): readonly [number, number] | undefined => {
    const fn = enclosingFunction(node);
    return fn ? [fn.loc.start.line, fn.loc.end.line] : undefined;
  };
  const keys = facts.sourceCode.visitorKeys;
  const stack: TSESTree.Node[] = [facts.sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.ExpressionStatement) {
      const dropped = droppedCall(node.expression);
      if (dropped?.call.type === AST_NODE_TYPES.CallExpression && !facts.resolveFunction(dropped.call.callee)) {
        const callee = skipWrappers(dropped.call.callee);
        const root = rootOf(callee);
        const chained = dropped.voided || skipWrappers(node.expression) !== dropped.call;
        // `this.a.b();` is everywhere in class components; only a visibly dropped promise is worth the type checker.
        const viaThis = root.type === AST_NODE_TYPES.ThisExpression && callee !== root && chained;
        const imported = root.type === AST_NODE_TYPES.Identifier && importOf(facts, root) !== undefined;
        const imports = imported || viaThis ? declarations.of(callee) : null;
        if (imports !== null) {
          candidates.push({
            nameEnd: callee.type === AST_NODE_TYPES.MemberExpression ? callee.property.range[1] : callee.range[1],
            how: 'fire-and-forget',
            chained,
            hasRejectionHandler: dropped.hasRejectionHandler,
            imports,
            line: dropped.call.loc.start.line,
            call: linted.text.slice(dropped.call.callee.range[0], dropped.call.callee.range[1]).replace(/\s+/g, ''),
            siteFunctionLines: linesAround(dropped.call),
          });
        }
      }
    }
    pushChildren(stack, node, keys);
  }
  // Dispatcher callbacks the file could not resolve itself (`setImmediate(runReport)` with an import).
  for (const site of facts.dispatchSites) {
    if (site.kind !== 'dispatcher' || site.target) continue;
    const argument = site.call.arguments.find((a) => a.type === AST_NODE_TYPES.Identifier || a.type === AST_NODE_TYPES.MemberExpression);
    if (!argument) continue;
    const imports = declarations.of(argument);
    // A parameter, a local variable, a member of this class: never another file's function.
    if (imports === null) continue;
    candidates.push({
      nameEnd: argument.range[1],
      how: 'dispatcher',
      chained: true,
      hasRejectionHandler: false,
      imports,
      line: site.call.loc.start.line,
      call: site.calleeName ?? 'dispatcher',
      siteFunctionLines: linesAround(site.call),
    });
  }
  return candidates.length > 0 ? { file: linted.file, text: linted.text, candidates, isolated: declarations.isolated } : undefined;
}

/** The root of a member chain: `a` in `a.b.c`, `this` in `this.jobs.run`. */
function rootOf(node: TSESTree.Node): TSESTree.Node {
  let root = node;
  while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
  return root;
}

/** The module an identifier is imported from (`import { run } from './jobs'`), else undefined. */
function importOf(facts: FileFacts, identifier: TSESTree.Identifier): string | undefined {
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier.name)?.defs[0];
  return def?.type === 'ImportBinding' && def.parent.type === AST_NODE_TYPES.ImportDeclaration ? def.parent.source.value : undefined;
}

/** Files whose `const`, `this.x: T` and parameters are read as TypeScript (in JavaScript, `require` makes aliases and assignments declare members). */
const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

/**
 * Which of a file's imports may declare the function a name (`run`, `jobs.run`, `this.jobs.run`,
 * `options.onDone`) resolves to, read without types, so that the type checker's program holds
 * those modules rather than every import of the file:
 * - an imported name: its module;
 * - a member chain from a parameter, a variable or a member of this class: the modules its
 *   declared type names (`private jobs: JobRunner`, `constructor(private readonly jobs: JobRunner)`,
 *   `private jobs = new JobRunner()`), through local interfaces, type aliases and type parameters;
 * - a name no declaration in the file binds (a global): none (the program has no library);
 * - null when it cannot be another file's function at all: a parameter or a local variable
 *   itself (the checker gives that declaration, never an alias), a member of this class
 *   (`this.refresh`: its own declaration comes first);
 * - undefined (any import) when the file does not say: an untyped member, an inherited one, a
 *   JavaScript file.
 */
class DeclaringImports {
  private readonly typescript: boolean;
  private readonly isModule: boolean;
  /** A module that declares nothing global (see {@link CrossFileInput.isolated}). */
  readonly isolated: boolean;

  constructor(
    private readonly facts: FileFacts,
    file: string,
  ) {
    this.typescript = TYPESCRIPT_FILE.test(file);
    // A script's top-level names are global: another file may declare them too.
    this.isModule = facts.sourceCode.ast.body.some(
      (statement) =>
        statement.type === AST_NODE_TYPES.ImportDeclaration ||
        statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
        statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
        statement.type === AST_NODE_TYPES.ExportAllDeclaration ||
        statement.type === AST_NODE_TYPES.TSExportAssignment,
    );
    this.isolated =
      this.isModule &&
      !facts.sourceCode.ast.body.some(
        (statement) => statement.type === AST_NODE_TYPES.TSModuleDeclaration && (statement.kind === 'global' || statement.id.type === AST_NODE_TYPES.Literal),
      );
  }

  /** The imports for a name or member chain (see the class comment). */
  of(expression: TSESTree.Node): readonly string[] | null | undefined {
    const root = rootOf(expression);
    if (root.type === AST_NODE_TYPES.ThisExpression) return this.ofThisMember(root, expression);
    if (root.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = ASTUtils.findVariable(this.facts.sourceCode.getScope(root), root.name);
    const def = variable?.defs[0];
    if (!variable || !def) return [];
    if (def.type === 'ImportBinding') return def.parent.type === AST_NODE_TYPES.ImportDeclaration ? [def.parent.source.value] : undefined;
    const local =
      def.type === 'Parameter' || (def.type === 'Variable' && this.typescript && (this.isModule || (variable.scope.type !== 'global' && variable.scope.type !== 'module')));
    if (!local) return undefined;
    if (expression === root) return null;
    // `options.onDone`, `deps.jobs.run`: what the parameter's or variable's declared type names.
    const annotation = def.name.typeAnnotation?.typeAnnotation;
    return annotation && this.typescript ? this.ofType(annotation, new Set()) : undefined;
  }

  private ofThisMember(root: TSESTree.ThisExpression, expression: TSESTree.Node): readonly string[] | null | undefined {
    const first = root.parent;
    const body = this.typescript ? thisClassBody(root) : undefined;
    if (!body || first?.type !== AST_NODE_TYPES.MemberExpression || first.object !== root) return undefined;
    const name = memberName(first);
    const isPrivate = first.property.type === AST_NODE_TYPES.PrivateIdentifier;
    let member: InstanceMember | undefined;
    for (const candidate of instanceMembers(body)) {
      if (candidate.name === name && candidate.isPrivate === isPrivate) member = candidate;
    }
    // Inherited, or declared by a merged interface: any import may hold it.
    if (!member) return undefined;
    if (expression === first) return null;
    if (member.typeAnnotation) return this.ofType(member.typeAnnotation, new Set());
    if (member.kind === 'parameter') return [];
    if (member.kind !== 'field') return undefined;
    // `private jobs = new JobRunner()`; no initializer: implicitly `any`.
    if (!member.value) return [];
    const value = skipTypeWrappers(member.value);
    if (value.type !== AST_NODE_TYPES.NewExpression) return undefined;
    const constructed = rootOf(value.callee);
    return constructed.type === AST_NODE_TYPES.Identifier && importOf(this.facts, constructed) !== undefined ? [importOf(this.facts, constructed)!] : undefined;
  }

  /** The imports a type names; undefined when it names a class or value of this file (its own types are not read). */
  private ofType(type: TSESTree.Node, seen: Set<TSESTree.Node>): readonly string[] | undefined {
    const found = new Set<string>();
    const keys = this.facts.sourceCode.visitorKeys;
    const stack: TSESTree.Node[] = [type];
    while (stack.length > 0) {
      const node = stack.pop()!;
      let reference: TSESTree.Node | undefined;
      if (node.type === AST_NODE_TYPES.TSTypeReference) reference = node.typeName;
      else if (node.type === AST_NODE_TYPES.TSTypeQuery) reference = node.exprName;
      else if (node.type === AST_NODE_TYPES.TSInterfaceHeritage || node.type === AST_NODE_TYPES.TSClassImplements) reference = node.expression;
      else if (node.type === AST_NODE_TYPES.TSThisType) return undefined;
      if (node.type === AST_NODE_TYPES.TSImportType) {
        const argument = node.argument;
        if (argument.type !== AST_NODE_TYPES.TSLiteralType || argument.literal.type !== AST_NODE_TYPES.Literal || typeof argument.literal.value !== 'string') return undefined;
        found.add(argument.literal.value);
      }
      if (reference) {
        while (reference.type === AST_NODE_TYPES.TSQualifiedName || reference.type === AST_NODE_TYPES.MemberExpression) reference = reference.type === AST_NODE_TYPES.TSQualifiedName ? reference.left : reference.object;
        if (reference.type === AST_NODE_TYPES.Identifier) {
          const sources = this.ofTypeName(reference, seen);
          if (!sources) return undefined;
          for (const source of sources) found.add(source);
        } else if (reference.type !== AST_NODE_TYPES.TSImportType) {
          return undefined;
        }
        // The name is read; its type arguments are walked below.
        if ('typeArguments' in node && node.typeArguments) stack.push(node.typeArguments);
        if (reference.type === AST_NODE_TYPES.TSImportType) stack.push(reference);
        continue;
      }
      pushChildren(stack, node, keys);
    }
    return [...found];
  }

  /** The imports a type's name stands for: its module, or what a local interface, type alias or type parameter names. */
  private ofTypeName(name: TSESTree.Identifier, seen: Set<TSESTree.Node>): readonly string[] | undefined {
    const def = ASTUtils.findVariable(this.facts.sourceCode.getScope(name), name.name)?.defs[0];
    if (!def) return [];
    if (def.type === 'ImportBinding') return def.parent.type === AST_NODE_TYPES.ImportDeclaration ? [def.parent.source.value] : undefined;
    if (def.type !== 'Type') return undefined;
    const declaration = def.node;
    if (seen.has(declaration)) return [];
    seen.add(declaration);
    switch (declaration.type) {
      case AST_NODE_TYPES.TSInterfaceDeclaration:
      case AST_NODE_TYPES.TSTypeAliasDeclaration:
        return this.ofType(declaration, seen);
      case AST_NODE_TYPES.TSTypeParameter: {
        const bounds = [declaration.constraint, declaration.default].filter((t): t is TSESTree.TypeNode => t !== undefined);
        const found: string[] = [];
        for (const bound of bounds) {
          const sources = this.ofType(bound, seen);
          if (!sources) return undefined;
          found.push(...sources);
        }
        return found;
      }
      default:
        return undefined;
    }
  }
}

/**
 * Cross-file dispatches from the changed files: dropped calls (`void run(id)`, `run(id).catch(f)`,
 * a statement-level call of an async function) and dispatcher callbacks that resolve, through the
 * type checker, to a function of another file of the repository.
 */
export function crossFileDispatches(compilerFor: () => ReviewCompiler, inputs: readonly CrossFileInput[]): CrossFileDispatch[] {
  if (inputs.length === 0) return [];
  const compiler = compilerFor();
  const { ts } = compiler;
  // A name imported from a package (`react`, `vitest`) is no function of the repository: the
  // program would resolve it no further than the compiler does here. The others may be.
  const live = new Map<CrossFileInput, CrossFileCandidate[]>();
  for (const input of inputs) {
    const fileName = compiler.fileName(input.file);
    const named = (c: CrossFileCandidate) => c.imports === undefined || c.imports.length === 0 || c.imports.some((s) => !compiler.namesNoRepositoryModule(s, fileName));
    live.set(input, input.candidates.filter(named));
  }
  // The program holds the changed files and the files they import (through re-exports), and
  // nothing else: no lib, no node_modules, no transitive closure.
  const files = new Set<string>();
  const sources = new Map<string, TS.SourceFile>();
  // Changed files with nothing to resolve, which no other file sees but through an import: parsed
  // and in the program only when a file of the program imports them.
  const idle = new Map<string, CrossFileInput>();
  for (const input of inputs) {
    const fileName = compiler.fileName(input.file);
    if (live.get(input)!.length === 0 && input.isolated) {
      files.add(fileName);
      idle.set(fileName, input);
      continue;
    }
    const source = compiler.sourceFile(fileName, input.text);
    if (!source) continue;
    files.add(fileName);
    sources.set(input.file, source);
  }
  for (const input of inputs) {
    const source = sources.get(input.file);
    // Imported names, and the declared types of the members and parameters they start from, say
    // which imports the checker needs; a name nothing narrows down may come from any import.
    const needsAll = input.candidates.some((c) => c.imports === undefined);
    if (source) compiler.addLocalImports(source, needsAll ? 'all' : new Set(input.candidates.flatMap((c) => c.imports!)), files);
  }
  // The files the checker reaches are those of the program it imports: an idle file nothing
  // imports changes no answer (it declares nothing global), so it is left out.
  const included = new Set([...files].filter((file) => !idle.has(file)));
  let program: TS.Program | undefined;
  for (;;) {
    program = compiler.program([...files].filter((file) => included.has(file)), false, program);
    const imported = compiler.importedFiles(program);
    const reached = [...idle.keys()].filter((file) => !included.has(file) && (imported === undefined || imported.has(file)));
    if (reached.length === 0) break;
    for (const file of reached) {
      compiler.sourceFile(file, idle.get(file)!.text);
      included.add(file);
    }
  }
  const checker = program.getTypeChecker();
  const dispatches: CrossFileDispatch[] = [];
  const resolveTarget = (expression: TS.Node): { file: string; position: number; async: boolean } | undefined => {
    let symbol = checker.getSymbolAtLocation(expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) {
      let fnNode: TS.Node | undefined = declaration;
      if (ts.isVariableDeclaration(declaration)) fnNode = declaration.initializer;
      if (!fnNode || !(ts.isFunctionDeclaration(fnNode) || ts.isMethodDeclaration(fnNode) || ts.isArrowFunction(fnNode) || ts.isFunctionExpression(fnNode))) {
        continue;
      }
      const file = declaration.getSourceFile();
      if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
      const relative = compiler.relative(file.fileName);
      if (relative.startsWith('..')) continue;
      const body = fnNode.body;
      if (!body) continue;
      const async = (ts.canHaveModifiers(fnNode) ? ts.getModifiers(fnNode) : undefined)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true;
      return { file: relative, position: body.getStart(file), async };
    }
    return undefined;
  };

  for (const input of inputs) {
    const source = sources.get(input.file);
    if (!source) continue;
    for (const candidate of live.get(input)!) {
      const tsNode = descendantAt(source, candidate.nameEnd - 1);
      const target = tsNode ? resolveTarget(tsNode) : undefined;
      if (!target || target.file === input.file) continue;
      if (!candidate.chained && !target.async) continue;
      dispatches.push({
        targetFile: target.file,
        targetPosition: target.position,
        site: { file: input.file, line: candidate.line, how: candidate.how, call: candidate.call, hasRejectionHandler: candidate.hasRejectionHandler, tracked: false },
        siteFunctionLines: candidate.siteFunctionLines,
      });
    }
  }
  return dispatches;
}

/** The innermost node, tokens included, whose full range (with trivia) holds an offset. */
function descendantAt(source: TS.SourceFile, position: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  let node: TS.Node = source;
  for (;;) {
    if (position < node.pos || position >= node.end) return found;
    const next = node.getChildren(source).find((child) => position >= child.pos && position < child.end);
    if (!next) return found;
    found = next;
    node = next;
  }
}

/** At most this many files that may register jobs are read: a review stays cheap on a large repository. */
const MAX_REGISTERING_FILES = 200;

/**
 * Jobs in the changed files that another file registers, from the same per-program index as the
 * type-aware rules (src/analysis/tasks/registrations.ts): a changed `processDeploymentJob` that
 * `queueSetup.ts` hands to `queue.process(...)`, a changed Temporal activity a workflow proxies,
 * the `perform()` of a changed `BaseTask` subclass whose base method a queue callback calls.
 * The program holds the changed files, the repository files whose text may register a job
 * (`git grep`, then the same text test as the index), and what those import.
 */
export async function registrationDispatches(
  compilerFor: () => ReviewCompiler,
  root: string,
  range: ReviewRange,
  changed: ReadonlyMap<string, string>,
  vocabulary: CompiledVocabulary,
  read: (files: readonly string[]) => Promise<ReadonlyMap<string, string>>,
): Promise<CrossFileDispatch[]> {
  if (changed.size === 0) return [];
  const registering = await registeringFiles(root, range, vocabulary, read);
  if (registering.size === 0 && vocabulary.taskBaseClasses.length === 0) return [];
  const compiler = compilerFor();
  const mentions = mayRegister(vocabulary);
  // Registration sites, read without types: only a file whose calls may name another file's
  // function, or call a job method, needs the program; `setTimeout(() => ...)` adds nothing.
  const sites = new Map<string, RegistrationNeeds>();
  for (const [file, text] of [...changed, ...registering]) {
    if (sites.has(file) || !mentions(text)) continue;
    const source = compiler.sourceFile(compiler.fileName(file), text);
    if (source) sites.set(file, registrationNeeds(compiler.ts, vocabulary, source));
  }
  const methodNames = new Set([...sites.values()].flatMap((needs) => [...needs.methodNames]));
  // A changed class whose method a failure-recording callback may call (`perform()` of a `BaseTask` subclass).
  const overrides = (text: string): boolean => /\bextends\b/.test(text) && [...methodNames].some((name) => text.includes(name));
  const needed = (file: string): boolean => {
    const needs = sites.get(file);
    return needs !== undefined && (needs.namedCallbacks || (needs.methodNames.size > 0 && [...changed.values()].some(overrides)));
  };
  if (![...sites.keys()].some(needed)) return [];
  // The program: the changed files that register or may override a job method, the registering
  // files that need types, and what those import. Any other changed file is a target when it is
  // among their imports: a registration can only name a function of a file its site reaches.
  const files = new Set<string>();
  const primary: string[] = [];
  for (const [file, text] of changed) {
    if (!needed(file) && !overrides(text)) continue;
    const fileName = compiler.fileName(file);
    if (!compiler.sourceFile(fileName, text)) continue;
    files.add(fileName);
    primary.push(fileName);
  }
  for (const [file, text] of registering) {
    if (changed.has(file) || !needed(file)) continue;
    const fileName = compiler.fileName(file);
    const source = compiler.sourceFile(fileName, text);
    if (!source) continue;
    files.add(fileName);
    compiler.addLocalImports(source, 'all', files);
  }
  for (const target of primary) compiler.addLocalImports(compiler.sourceFile(target)!, 'all', files);
  const targets = [...changed.keys()].map((file) => compiler.fileName(file)).filter((fileName) => files.has(fileName));
  // With the standard library: a worker's `Record<string, typeof BaseTask>` must resolve for the
  // index to see which base method its callback calls.
  const program = compiler.program(files, true);
  const dispatches: CrossFileDispatch[] = [];
  for (const target of targets) {
    const file = compiler.relative(target);
    const compiled = program.getSourceFile(target);
    if (!compiled) continue;
    for (const job of jobsDeclaredIn(program, vocabulary, compiler.ts, compiled)) {
      const body = (job.declaration as TS.FunctionLikeDeclaration).body;
      if (!job.site || !body) continue;
      const siteFile = compiler.relative(job.site.fileName);
      if (siteFile === file) continue;
      dispatches.push({
        targetFile: file,
        targetPosition: body.getStart(compiled),
        site: { file: siteFile, line: job.site.line, how: 'dispatcher', call: job.site.call, hasRejectionHandler: false, tracked: false },
        siteFunctionLines: undefined,
        recordsFailure: job.recordsFailure,
      });
    }
  }
  return dispatches;
}

/** Repository files whose text may register a job (queue processors and activity proxies), read at the head. */
async function registeringFiles(
  root: string,
  range: ReviewRange,
  vocabulary: CompiledVocabulary,
  read: (files: readonly string[]) => Promise<ReadonlyMap<string, string>>,
): Promise<Map<string, string>> {
  // Fixed strings for git grep; the index's own text test then keeps the real candidates.
  const words = new Set<string>(vocabulary.source.activityProxies);
  for (const dispatcher of vocabulary.dispatchers) {
    if (dispatcher.recordsFailure && !dispatcher.events && !dispatcher.importedFrom) words.add(dispatcher.pattern.member);
  }
  const files = await sourceFilesMentioning(root, range, [...words], SOURCE_PATHSPECS, MAX_REGISTERING_FILES);
  const texts = await read(files);
  const registers = mayRegister(vocabulary);
  return new Map([...texts].filter(([, text]) => registers(text)));
}
