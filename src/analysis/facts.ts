/**
 * The per-file facts every rule reads, computed once per file by the first rule that asks
 * and shared by the others.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { vocabularyFromSettings, type CompiledVocabulary } from '../model/settings.js';
import { isFunction, pushChildren, type CallLike, type FunctionNode } from './ast.js';
import { FunctionIndex } from './function-index.js';
import { BackgroundIndex, type BackgroundTask, type DispatchSite, type WalkResult } from './tasks/background.js';
import { ReferenceIndex } from './references.js';
import { SessionClassifier, type SessionInfo } from './sessions/sessions.js';

/** Everything the rules ask about one file. */
export interface FileFacts {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly vocabulary: CompiledVocabulary;
  /** The file's path as ESLint names it (relative imports resolve from it: ./tasks/foreign-callees.ts). */
  readonly filename: string | undefined;
  /** Background task roots, in source order. */
  readonly tasks: readonly BackgroundTask[];
  /** Every place this file starts background work. */
  readonly dispatchSites: readonly DispatchSite[];
  /** The task whose code contains a node (inline closures belong to their parent task). */
  taskOf(node: TSESTree.Node): BackgroundTask | undefined;
  /** The task a function starts, when it is a task root. */
  taskRootedAt(fn: FunctionNode): BackgroundTask | undefined;
  /** What an expression is, database-wise. */
  classify(expression: TSESTree.Node): SessionInfo;
  /** A function of this file that an expression stands for (`this.method`, `fn`, `fn.bind(this)`). */
  resolveFunction(expression: TSESTree.Node): FunctionNode | undefined;
  /** Which variable each identifier names. */
  readonly references: ReferenceIndex;
  /** This file's functions by what names them (`this.method`, `helper`, class members) and their callers, indexed once. */
  readonly functions: FunctionIndex;
  /** Every call and `new` of the file (decorator calls included), in source order, from the one walk. */
  readonly calls: readonly CallLike[];
}

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * The file being linted and its facts. ESLint lints one file at a time per thread and every rule
 * of a file runs in one synchronous `verify`, so one slot is enough. The slot is emptied by a
 * microtask queued when a file starts: it runs once that `verify` has returned, so the file's
 * SourceCode, AST, scopes and facts are not kept alive through the next file's parse (heap
 * snapshot after a parse: this slot was the only retainer of a stale SourceCode, bench/results.md).
 * A loop that lints file after file without awaiting keeps one file at most, as the slot is then
 * replaced. Not a WeakMap keyed by SourceCode (ESLint's rule contexts keep SourceCodes reachable
 * until the next full GC), nor a WeakRef (its target lives until the job ends: a synchronous loop
 * over a whole repository kept every file, and ran out of memory).
 */
let currentSource: object | undefined;
let currentFacts = new Map<CompiledVocabulary, FileFacts>();
let releaseQueued = false;

function releaseCurrentFile(): void {
  releaseQueued = false;
  currentSource = undefined;
  currentFacts = new Map();
}

/** The facts for the file a rule is linting, under the settings' vocabulary or a rule's extension of it. */
export function getFileFacts(context: AnyContext, vocabulary: CompiledVocabulary = vocabularyFromSettings(context.settings)): FileFacts {
  const sourceCode = context.sourceCode;
  if (currentSource !== sourceCode) {
    currentSource = sourceCode;
    currentFacts = new Map();
    if (!releaseQueued) {
      releaseQueued = true;
      queueMicrotask(releaseCurrentFile);
    }
  }
  const byVocabulary = currentFacts;
  let facts = byVocabulary.get(vocabulary);
  if (!facts) {
    facts = buildFacts(sourceCode, vocabulary, context.filename);
    byVocabulary.set(vocabulary, facts);
  }
  return facts;
}

/** Builds the facts of one file (exported for the reviewer and for tests). */
export function buildFacts(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary, filename?: string): FileFacts {
  const walk = collectFromTraversal(sourceCode) ?? walkOnce(sourceCode);
  const functions = new FunctionIndex(sourceCode, walk.calls);
  const background = new BackgroundIndex(sourceCode, vocabulary, walk, functions, filename);
  const references = new ReferenceIndex(sourceCode);
  const classifier = new SessionClassifier(
    references,
    vocabulary,
    (fn) => background.taskOf(fn) !== undefined,
    (callee) => functions.resolve(callee),
  );
  return {
    sourceCode,
    vocabulary,
    filename,
    tasks: background.tasks,
    dispatchSites: background.dispatchSites,
    taskOf: (node) => background.taskOf(node),
    taskRootedAt: (fn) => background.taskRootedAt(fn),
    classify: (expression) => classifier.classify(expression),
    resolveFunction: (expression) => functions.resolve(expression),
    references,
    functions,
    calls: walk.calls,
  };
}

/** Type-level subtrees hold no calls or functions that run. */
const TYPE_ONLY = new Set<string>([
  AST_NODE_TYPES.TSTypeAnnotation,
  AST_NODE_TYPES.TSInterfaceDeclaration,
  AST_NODE_TYPES.TSTypeAliasDeclaration,
  AST_NODE_TYPES.TSTypeParameterDeclaration,
  AST_NODE_TYPES.TSTypeParameterInstantiation,
  AST_NODE_TYPES.TSDeclareFunction,
  AST_NODE_TYPES.TSAbstractMethodDefinition,
]);

/** A step of `SourceCode#traverse()` (ESLint's language API): `kind` 1 visits a node, `phase` 1 enters it. */
interface TraversalStep {
  readonly kind: number;
  readonly phase?: number;
  readonly target: unknown;
}

/**
 * The nodes background detection needs, read off the traversal ESLint has already computed for
 * the rules (`SourceCode#traverse()` caches its steps before any rule runs), which is cheaper than
 * a walk of our own. Undefined when the ESLint in use has no such method (then ./facts walks).
 * Unlike the walk, it also reads type-level subtrees and abstract members: they hold no function
 * bodies, and their only calls are decorators, which dispatch nothing (a test compares the two).
 */
export function collectFromTraversal(sourceCode: Readonly<TSESLint.SourceCode>): WalkResult | undefined {
  const traverse = (sourceCode as { traverse?: () => Iterable<TraversalStep> }).traverse;
  if (typeof traverse !== 'function') return undefined;
  const functions: FunctionNode[] = [];
  const calls: CallLike[] = [];
  const statements: TSESTree.ExpressionStatement[] = [];
  const steps = traverse.call(sourceCode);
  // ESLint returns an array: index it rather than go through the iterator protocol.
  const list: readonly TraversalStep[] = Array.isArray(steps) ? steps : [...steps];
  for (let i = 0; i < list.length; i += 1) {
    const step = list[i]!;
    if (step.kind !== 1 || step.phase !== 1) continue;
    const node = step.target as TSESTree.Node;
    switch (node.type) {
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
        functions.push(node);
        break;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        calls.push(node);
        break;
      case AST_NODE_TYPES.ExpressionStatement:
        statements.push(node);
        break;
      default:
        break;
    }
  }
  return { functions, calls, statements };
}

/** Leaves and declarations with no call or function below them. */
const NO_CODE_BELOW = new Set<string>([
  AST_NODE_TYPES.Literal,
  AST_NODE_TYPES.ThisExpression,
  AST_NODE_TYPES.Super,
  AST_NODE_TYPES.TemplateElement,
  AST_NODE_TYPES.PrivateIdentifier,
  AST_NODE_TYPES.ImportDeclaration,
]);

/** One pre-order walk that collects the nodes background detection needs (exported for the test that compares it with the traversal). */
export function walkOnce(sourceCode: Readonly<TSESLint.SourceCode>): WalkResult {
  const functions: FunctionNode[] = [];
  const calls: CallLike[] = [];
  const statements: TSESTree.ExpressionStatement[] = [];
  const keys = sourceCode.visitorKeys;
  const stack: TSESTree.Node[] = [sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunction(node)) functions.push(node);
    else if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) calls.push(node);
    else if (node.type === AST_NODE_TYPES.ExpressionStatement) statements.push(node);
    if (TYPE_ONLY.has(node.type) || NO_CODE_BELOW.has(node.type)) continue;
    // Most identifiers are leaves; a parameter's decorators (`@Inject(x) y`) are calls.
    if (node.type === AST_NODE_TYPES.Identifier && node.decorators.length === 0) continue;
    pushChildren(stack, node, keys);
  }
  return { functions, calls, statements };
}
