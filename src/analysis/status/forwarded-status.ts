/**
 * Status writes made through a pass-through helper (issue 14, round 3):
 *
 *     await this.updateFileOperation(fileOperation, { state: FileOperationState.Complete, url });
 *     ...
 *     private async updateFileOperation(op: FileOperation, options: Partial<FileOperation>) {
 *       await op.update({ ...options, error: ... }, { hooks: false });   // `options` is the written fields
 *     }
 *
 * A function "forwards" a parameter into a status write when the parameter reaches the written
 * fields or the status value of a write in its own body: passed as the fields (`repo.update(id,
 * fields)`), spread into them (`{ ...options }`), put under `data` / `$set`, given as the status
 * (`{ status }`, `updateStatus(id, status)`, `job.status = status` with the job saved), or handed on
 * to another helper that forwards it. The summary is one walk of the function's body, cached on
 * its node, like ./callee-status.ts's. A call of such a helper whose argument at that position
 * carries a status (an object literal with a status field, or a status value the vocabulary or the
 * types know) is then that status write, for every status check.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, isFunction, propertyName, pushChildren, skipTypeWrappers, type FunctionNode } from '../ast.js';
import type { TypeFacts } from '../types.js';
import { savedObjects, statusAssignmentObject, statusValue, writtenFields, type StatusUpdate } from './status.js';

/** A parameter (by position) that reaches a status write: as the written fields, or as the status value. */
export interface StatusForward {
  readonly index: number;
  readonly kind: 'fields' | 'value';
}

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];
type Resolve = (callee: TSESTree.Node) => FunctionNode | undefined;

const NONE: readonly StatusForward[] = [];
const forwardsCache = new WeakMap<FunctionNode, readonly StatusForward[]>();

/** A per-function summary, computed once: while it is being computed, a recursive call sees `pending`. */
export function summaryOnce<T>(cache: WeakMap<FunctionNode, T>, fn: FunctionNode, pending: T, compute: () => T): T {
  const cached = cache.get(fn);
  if (cached !== undefined) return cached;
  cache.set(fn, pending);
  const result = compute();
  cache.set(fn, result);
  return result;
}

/** The parameters a function forwards into a status write (cached on the node; a recursive call sees none while it is summarised). */
export function statusForwards(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: VisitorKeys, resolve: Resolve | undefined): readonly StatusForward[] {
  return summaryOnce(forwardsCache, fn, NONE, () => computeForwards(fn, vocabulary, keys, resolve));
}

function computeForwards(fn: FunctionNode, vocabulary: CompiledVocabulary, keys: VisitorKeys, resolve: Resolve | undefined): readonly StatusForward[] {
  const params = new Map<string, number>();
  fn.params.forEach((param, index) => {
    const inner = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
    if (inner.type === AST_NODE_TYPES.Identifier) params.set(inner.name, index);
  });
  if (params.size === 0) return NONE;
  const found = new Map<string, StatusForward>();
  const add = (name: string | undefined, kind: StatusForward['kind']): void => {
    const index = name === undefined ? undefined : params.get(name);
    if (index !== undefined) found.set(`${index}:${kind}`, { index, kind });
  };
  /** `job.status = status` counts once `job` is saved in the same body. */
  const assigned: { object: string; param: string }[] = [];
  const saved = new Set<string>();
  const stack: { node: TSESTree.Node; argument: boolean }[] = [{ node: fn.body, argument: false }];
  while (stack.length > 0) {
    const { node, argument } = stack.pop()!;
    // Nested functions count only as callbacks of a call (`transaction(async (t) => t.job.update(fields))`).
    if (isFunction(node) && !argument) continue;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      forwardsOfCall(node, vocabulary, keys, resolve, fn, add);
      for (const name of savedObjects(vocabulary, node)) saved.add(name);
      const parts = calleeParts(node);
      if (parts?.receiver !== undefined && vocabulary.isSaveMethod(parts.member)) saved.add(parts.receiver);
    } else if (node.type === AST_NODE_TYPES.AssignmentExpression) {
      const object = statusAssignmentObject(vocabulary, node);
      const value = skipTypeWrappers(node.right);
      if (object !== undefined && value.type === AST_NODE_TYPES.Identifier) assigned.push({ object, param: value.name });
    }
    const children: TSESTree.Node[] = [];
    pushChildren(children, node, keys);
    const isCall = node.type === AST_NODE_TYPES.CallExpression;
    for (const child of children) stack.push({ node: child, argument: isCall });
  }
  for (const a of assigned) if (saved.has('*') || saved.has(a.object)) add(a.param, 'value');
  return found.size === 0 ? NONE : [...found.values()];
}

/** What one call of the body forwards: a status write's fields or value, or a further helper's forwarded argument. */
function forwardsOfCall(
  call: TSESTree.CallExpression,
  vocabulary: CompiledVocabulary,
  keys: VisitorKeys,
  resolve: Resolve | undefined,
  fn: FunctionNode,
  add: (name: string | undefined, kind: StatusForward['kind']) => void,
): void {
  const parts = calleeParts(call);
  const name = parts?.member;
  if (name !== undefined && vocabulary.isStatusMethod(name)) {
    // `markAsFailed(...)` carries its value in its name; `updateStatus(id, status)` in an argument.
    const prefixed = vocabulary.source.statusMethodPrefixes.some((p) => name.startsWith(p) && name.length > p.length) && !vocabulary.source.statusMethods.includes(name);
    if (prefixed) return;
    for (const argument of call.arguments) {
      const inner = skipTypeWrappers(argument);
      if (inner.type === AST_NODE_TYPES.Identifier) add(inner.name, 'value');
      else if (inner.type === AST_NODE_TYPES.ObjectExpression) fieldsForwards(inner, vocabulary, add, true);
    }
    return;
  }
  if (name !== undefined && vocabulary.isStatusWriteMethod(name)) {
    for (const argument of call.arguments) {
      const inner = skipTypeWrappers(argument);
      // `repo.update(criteria, fields)`: a parameter given whole is the fields (a criteria parameter never carries a status field at a call site).
      if (inner.type === AST_NODE_TYPES.Identifier) add(inner.name, 'fields');
      else if (inner.type === AST_NODE_TYPES.ObjectExpression) fieldsForwards(inner, vocabulary, add, true);
    }
    return;
  }
  // `this.save(op, { ...options, updatedAt })` where `save` forwards its second parameter: a chain of helpers.
  const target = resolve?.(call.callee);
  if (!target || target === fn) return;
  for (const forward of statusForwards(target, vocabulary, keys, resolve)) {
    const argument = call.arguments[forward.index];
    if (!argument) continue;
    const inner = skipTypeWrappers(argument);
    if (inner.type === AST_NODE_TYPES.Identifier) add(inner.name, forward.kind);
    else if (forward.kind === 'fields' && inner.type === AST_NODE_TYPES.ObjectExpression) fieldsForwards(inner, vocabulary, add, false);
  }
}

/**
 * The parameters an object of written fields carries on: spread (`{ ...options }`), the status
 * value (`{ status }`, `{ state: options.state }` is the whole `options`), and with `nested` the
 * `data` / `$set` member (`{ where: { id }, data: fields }`, `{ data: { ...fields } }`).
 */
function fieldsForwards(
  object: TSESTree.ObjectExpression,
  vocabulary: CompiledVocabulary,
  add: (name: string | undefined, kind: StatusForward['kind']) => void,
  nested: boolean,
): void {
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) {
      const spread = skipTypeWrappers(property.argument);
      if (spread.type === AST_NODE_TYPES.Identifier) add(spread.name, 'fields');
      continue;
    }
    const key = propertyName(property.key, property.computed);
    const value = skipTypeWrappers(property.value);
    if (vocabulary.isStatusField(key)) {
      if (value.type === AST_NODE_TYPES.Identifier) add(value.name, 'value');
      else if (value.type === AST_NODE_TYPES.MemberExpression && value.object.type === AST_NODE_TYPES.Identifier && vocabulary.isStatusField(propertyName(value.property, value.computed))) {
        add(value.object.name, 'fields');
      }
    } else if (nested && vocabulary.isStatusWriteKey(key)) {
      if (value.type === AST_NODE_TYPES.Identifier) add(value.name, 'fields');
      else if (value.type === AST_NODE_TYPES.ObjectExpression) fieldsForwards(value, vocabulary, add, false);
    }
  }
}

/**
 * The status a call writes through a helper that forwards one of its parameters (`target`, the
 * callee's function): the status field of the object literal given as forwarded fields, or a
 * known status value given as the forwarded value. Undefined for any other call.
 */
export function forwardedStatusUpdate(
  call: TSESTree.CallExpression,
  /** The callee's function and how calls in its body resolve (none for another file's), asked only when an argument carries a status. */
  target: () => { readonly fn: FunctionNode; readonly resolve: Resolve | undefined } | undefined,
  vocabulary: CompiledVocabulary,
  keys: VisitorKeys,
  types?: TypeFacts,
): StatusUpdate | undefined {
  // Cheap test first, on the arguments alone: most calls carry no status, and then the callee is never resolved.
  const carried: { index: number; kind: StatusForward['kind']; phase: StatusUpdate['phase']; value: string }[] = [];
  call.arguments.forEach((argument, index) => {
    const inner = skipTypeWrappers(argument);
    if (inner.type === AST_NODE_TYPES.ObjectExpression) {
      const property = writtenFields(vocabulary, inner);
      if (property) carried.push({ index, kind: 'fields', ...pick(statusValue(vocabulary, property.value, types)) });
    } else if (inner.type !== AST_NODE_TYPES.SpreadElement) {
      // By its text only: asking the checker about every argument of every call would cost the typed run dearly.
      const value = statusValue(vocabulary, inner);
      if (value.known) carried.push({ index, kind: 'value', ...pick(value) });
    }
  });
  if (carried.length === 0) return undefined;
  const callee = target();
  if (!callee) return undefined;
  const forwards = statusForwards(callee.fn, vocabulary, keys, callee.resolve);
  for (const c of carried) {
    if (forwards.some((f) => f.index === c.index && f.kind === c.kind)) return { node: call, phase: c.phase, value: c.value, form: 'method' };
  }
  return undefined;
}

function pick(value: { phase: StatusUpdate['phase']; value: string }): { phase: StatusUpdate['phase']; value: string } {
  return { phase: value.phase, value: value.value };
}
