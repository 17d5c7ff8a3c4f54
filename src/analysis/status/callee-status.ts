/**
 * What a called function does to a status, as its caller sees it (issue 14, open point 1).
 *
 *     await updateStatus(id, 'running');
 *     return await this.onProcess(task);      // onProcess sets `completed`: the caller has ended it
 *     await deployApplication({ id });        // another file: sets `done`, and `error` in its catch
 *
 * Each function is summarised once (a WeakMap on its node: per file for same-file callees, per
 * parsed source file for callees in another file) by one walk of its body:
 *
 *   endsOnReturn   it writes a completed, failed or domain status outside a catch clause
 *                  (so when it returns, the in-progress state is over);
 *   endsOnThrow    every top-level statement that can throw is a `try` whose catch writes a failed
 *                  status (so a throw out of it has ended the state too);
 *   writesFailure  it writes a failed status somewhere (a failure hook such as `onFailed`).
 *
 * Same-file callees are resolved by the file's facts; a callee in another file only with a program
 * (type-aware mode): the checker finds its declaration, and that file's text is parsed once into
 * ESTree so the same summary serves both. Without types a callee in another file is unknown.
 */
import { createRequire } from 'node:module';
import { parse } from '@typescript-eslint/parser';
import { ASTUtils, AST_NODE_TYPES, TSESLint, type ParserServicesWithTypeInformation, type TSESTree } from '@typescript-eslint/utils';
import type * as TS from 'typescript';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, containsNode, isFunction, memberName, propertyName, pushChildren, skipWrappers, type FunctionNode } from '../ast.js';
import type { TypeFacts } from '../types.js';
import type { FileFacts } from '../facts.js';
import { logCallOf } from '../tasks/logging.js';
import { forwardedStatusUpdate, summaryOnce } from './forwarded-status.js';
import { savedObjects, statusUpdateOf, statusUpdateOfAssignment, type StatusUpdate } from './status.js';

/** A callee's effect on a status, from its own body. */
export interface StatusSummary {
  readonly endsOnReturn: boolean;
  readonly endsOnThrow: boolean;
  readonly writesFailure: boolean;
}

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];
type Resolve = (callee: TSESTree.Node) => FunctionNode | undefined;

const NOTHING: StatusSummary = { endsOnReturn: false, endsOnThrow: false, writesFailure: false };
const summaries = new WeakMap<FunctionNode, StatusSummary>();

/** The status summary of a function (cached on the node; a recursive call sees "nothing" while it is being summarised). */
export function summariseFunction(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: VisitorKeys, resolve: Resolve | undefined): StatusSummary {
  return summaryOnce(summaries, fn, NOTHING, () => computeSummary(fn, vocabulary, keys, resolve));
}

/** Whether a status write ends an in-progress state with a value the code names (not a parameter passed through). */
function ends(update: StatusUpdate | undefined): boolean {
  return update !== undefined && update.phase !== 'in-progress' && update.value !== 'a computed status';
}

function computeSummary(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: VisitorKeys, resolve: Resolve | undefined): StatusSummary {
  let endsOnReturn = false;
  let writesFailure = false;
  /** Assignments (`task.state = Completed`) count once the object is saved (`task.save(...)`, `repo.save(task)`). */
  const assigned: { object: string; inCatch: boolean; failure: boolean }[] = [];
  const saved = new Set<string>();
  const writeOf = writesWith(vocabulary, keys, localTargets(resolve));
  const stack: { node: TSESTree.Node; inCatch: boolean; argument: boolean }[] = [{ node: fn.body, inCatch: false, argument: false }];
  while (stack.length > 0) {
    const { node, inCatch, argument } = stack.pop()!;
    // Nested functions count only as callbacks of a call (`transaction(async (t) => ...)`): they run within.
    if (isFunction(node) && !argument) continue;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const update = writeOf(node);
      if (ends(update)) {
        if (!inCatch) endsOnReturn = true;
        if (update!.phase === 'failed') writesFailure = true;
      } else if (!update && resolve && !inCatch) {
        const target = resolve(node.callee);
        if (target && target !== fn && summariseFunction(target, vocabulary, keys, resolve).endsOnReturn) endsOnReturn = true;
      }
      for (const name of savedObjects(vocabulary, node)) saved.add(name);
      const parts = calleeParts(node);
      // `task.save({ transaction })` saves its receiver too.
      if (parts?.receiver !== undefined && vocabulary.isSaveMethod(parts.member)) saved.add(parts.receiver);
    } else if (node.type === AST_NODE_TYPES.AssignmentExpression) {
      const update = statusUpdateOfAssignment(vocabulary, node);
      if (ends(update)) assigned.push({ object: update!.object!, inCatch, failure: update!.phase === 'failed' });
    }
    const childInCatch = inCatch || node.type === AST_NODE_TYPES.CatchClause;
    const children: TSESTree.Node[] = [];
    pushChildren(children, node, keys);
    const isCall = node.type === AST_NODE_TYPES.CallExpression;
    for (const child of children) stack.push({ node: child, inCatch: childInCatch, argument: isCall });
  }
  for (const a of assigned) {
    if (!saved.has('*') && !saved.has(a.object)) continue;
    if (!a.inCatch) endsOnReturn = true;
    if (a.failure) writesFailure = true;
  }
  return { endsOnReturn, endsOnThrow: endsOnReturn && guardedThrows(fn, vocabulary, keys, resolve), writesFailure };
}

/** Whether a node writes a status: directly (./status.ts), or through a helper that forwards its argument (./forwarded-status.ts). */
export type StatusWriteOf = (node: TSESTree.Node) => StatusUpdate | undefined;

type Target = (call: TSESTree.CallExpression) => { readonly fn: FunctionNode; readonly resolve: Resolve | undefined } | undefined;

/** Same-file callees found by `resolve`, each with the resolver for the calls in its body. */
function localTargets(resolve: Resolve | undefined): Target | undefined {
  if (!resolve) return undefined;
  return (call) => {
    const fn = resolve(call.callee);
    return fn ? { fn, resolve } : undefined;
  };
}

/** Direct status writes, and calls of a helper `target` finds that forwards a status argument into a write. */
function writesWith(vocabulary: CompiledVocabulary, keys: VisitorKeys, target: Target | undefined, types?: TypeFacts): StatusWriteOf {
  return (node) => {
    const direct = statusUpdateOf(vocabulary, node, types);
    if (direct || !target || node.type !== AST_NODE_TYPES.CallExpression) return direct;
    return forwardedStatusUpdate(node, () => target(node), vocabulary, keys, types);
  };
}

/**
 * Whether every top-level statement of a function that can throw is a `try` whose catch writes a
 * failed status: then a throw out of the function has recorded the failure first. Work before the
 * `try` (`await findApplicationById(id)` in Dokploy's `deployApplication`) can still throw past it.
 */
function guardedThrows(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: VisitorKeys, resolve: Resolve | undefined): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  let guarded = false;
  const writeOf = writesWith(vocabulary, keys, localTargets(resolve));
  for (const statement of fn.body.body) {
    if (statement.type === AST_NODE_TYPES.TryStatement && statement.handler) {
      if (!catchRecordsFailure(statement.handler, keys, writeOf)) return false;
      guarded = true;
    } else if (canThrow(statement, vocabulary, keys)) {
      return false;
    }
  }
  return guarded;
}

/** Whether a catch clause writes a failed (or other non-completed, not in-progress) status: it records the failure. */
export function catchRecordsFailure(handler: TSESTree.CatchClause, keys: VisitorKeys, writeOf: StatusWriteOf): boolean {
  return containsNode(handler.body, keys, (node) => {
    const update = writeOf(node);
    return update !== undefined && update.phase !== 'in-progress' && update.phase !== 'completed';
  });
}

/** A call, `await` or `new` other than a log call (outside nested functions). */
function canThrow(statement: TSESTree.Node, vocabulary: CompiledVocabulary, keys: VisitorKeys): boolean {
  return containsNode(statement, keys, (node) =>
    node.type === AST_NODE_TYPES.AwaitExpression ||
    node.type === AST_NODE_TYPES.NewExpression ||
    (node.type === AST_NODE_TYPES.CallExpression && !logCallOf(vocabulary, node)),
  );
}

// --- callees in another file (type-aware mode) ---------------------------------------------

let tsModule: typeof TS | undefined;
function loadTypeScript(): typeof TS {
  tsModule ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return tsModule;
}

/** Functions of a parsed foreign file by end offset (a method's ESTree function starts at its parameters, but ends with its body), parsed once per `ts.SourceFile` (the next program reuses unchanged ones). */
const foreignFunctions = new WeakMap<TS.SourceFile, Map<number, FunctionNode>>();

/** The ESTree function for a declaration of another project file, or undefined (declaration files, packages, parse errors). */
function foreignFunction(declaration: TS.SignatureDeclaration, keys: VisitorKeys): FunctionNode | undefined {
  const file = declaration.getSourceFile();
  if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) return undefined;
  let byEnd = foreignFunctions.get(file);
  if (!byEnd) {
    byEnd = new Map();
    foreignFunctions.set(file, byEnd);
    try {
      const ast = parse(file.text, { range: true, loc: false, jsx: /\.[jt]sx$/.test(file.fileName), comment: false, tokens: false });
      const stack: TSESTree.Node[] = [ast as unknown as TSESTree.Node];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (isFunction(node) && !byEnd.has(node.range[1])) byEnd.set(node.range[1], node);
        pushChildren(stack, node, keys);
      }
    } catch {
      // Rules never throw: an unparsable file costs the summary, not the lint run.
    }
  }
  if (!(declaration as TS.FunctionLikeDeclaration).body) return undefined;
  return byEnd.get(declaration.end);
}

/**
 * The function a call invokes: one of this file (calls in its body resolve through the file's
 * facts), or (type-aware mode) a project function of another file (calls in its body do not
 * resolve). Undefined when the callee is unknown.
 */
export function calleeFunction(facts: FileFacts, call: TSESTree.CallExpression): { fn: FunctionNode; resolve: Resolve | undefined } | undefined {
  const keys = facts.sourceCode.visitorKeys;
  const local = facts.resolveFunction(call.callee);
  if (local) return { fn: local, resolve: (callee) => facts.resolveFunction(callee) };
  const services = facts.sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) return undefined;
  try {
    const ts = loadTypeScript();
    const tsCall = services.esTreeNodeToTSNodeMap.get(call) as TS.Node | undefined;
    if (!tsCall || !ts.isCallExpression(tsCall)) return undefined;
    const declaration = services.program.getTypeChecker().getResolvedSignature(tsCall)?.getDeclaration();
    if (!declaration || !ts.isFunctionLike(declaration) || declaration.getSourceFile() === tsCall.getSourceFile()) return undefined;
    const fn = foreignFunction(declaration, keys);
    return fn ? { fn, resolve: undefined } : undefined;
  } catch {
    return undefined;
  }
}

/** The status summary of a call's callee (see `calleeFunction`); undefined when the callee is unknown. */
export function calleeStatusSummary(facts: FileFacts, call: TSESTree.CallExpression): StatusSummary | undefined {
  const callee = calleeFunction(facts, call);
  return callee ? summariseFunction(callee.fn, facts.vocabulary, facts.sourceCode.visitorKeys, callee.resolve) : undefined;
}

/**
 * Status writes in a file: direct ones, and calls of a helper (same file, or another file's in
 * type-aware mode) that forwards a status argument into a write.
 */
export function statusWriteOf(facts: FileFacts, types?: TypeFacts): StatusWriteOf {
  return writesWith(facts.vocabulary, facts.sourceCode.visitorKeys, (call) => calleeFunction(facts, call), types);
}

// --- callees without a summary (no types): handed the entity's id ---------------------------

/** What a callee handed the entity's id is assumed to do without types: end the status when it returns, not when it throws. */
export const HANDED_OFF: StatusSummary = { endsOnReturn: true, endsOnThrow: false, writesFailure: false };

/** The source text of the values that name the entity an in-progress write is about: `job.id`, `deploymentId`, `where: { id }`. */
export function entityIds(update: StatusUpdate, sourceCode: Readonly<TSESLint.SourceCode>): string[] {
  const node = update.node;
  if (node.type === AST_NODE_TYPES.AssignmentExpression) return update.object === undefined ? [] : [update.object, `${update.object}.id`];
  const ids: string[] = [];
  const addValue = (value: TSESTree.Node): void => {
    const inner = skipWrappers(value);
    if (inner.type === AST_NODE_TYPES.Identifier || inner.type === AST_NODE_TYPES.MemberExpression) ids.push(sourceCode.getText(inner));
  };
  for (const argument of node.arguments) {
    const inner = skipWrappers(argument);
    if (inner.type !== AST_NODE_TYPES.ObjectExpression) {
      addValue(inner);
      continue;
    }
    // `{ where: { id } }` (Prisma, Sequelize options): the criteria's values.
    for (const property of inner.properties) {
      if (property.type !== AST_NODE_TYPES.Property) continue;
      const key = propertyName(property.key, property.computed);
      const value = skipWrappers(property.value);
      if (key === 'where' && value.type === AST_NODE_TYPES.ObjectExpression) {
        for (const criterion of value.properties) if (criterion.type === AST_NODE_TYPES.Property) addValue(criterion.value);
      } else if (key !== undefined && /(?:^|[a-z_])(?:id|Id|ID)$/.test(key)) {
        addValue(value);
      }
    }
  }
  return ids;
}

/**
 * Whether a call hands one of `ids` to a function of another file whose body this file cannot see:
 * an imported function (`deployApplication({ applicationId })`) or a method of an injected service
 * (`this.deployments.run(id)`). Such a callee usually ends the status itself (Dokploy's does).
 */
export function handsOffEntity(call: TSESTree.CallExpression, ids: ReadonlySet<string>, facts: FileFacts): boolean {
  const callee = skipWrappers(call.callee);
  const sourceCode = facts.sourceCode;
  const handed = call.arguments.some((argument) => {
    const inner = skipWrappers(argument);
    if (inner.type !== AST_NODE_TYPES.ObjectExpression) return ids.has(sourceCode.getText(inner));
    return inner.properties.some((p) => p.type === AST_NODE_TYPES.Property && ids.has(sourceCode.getText(skipWrappers(p.value))));
  });
  if (!handed) return false;
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    // `this.deploymentService.deploy(id)`: a service injected into this class.
    const object = skipWrappers(callee.object);
    return object.type === AST_NODE_TYPES.MemberExpression && object.object.type === AST_NODE_TYPES.ThisExpression && !facts.vocabulary.isLogger(memberName(object));
  }
  if (callee.type !== AST_NODE_TYPES.Identifier) return false;
  const definition = ASTUtils.findVariable(sourceCode.getScope(callee), callee.name)?.defs[0];
  return definition?.type === TSESLint.Scope.DefinitionType.ImportBinding;
}
