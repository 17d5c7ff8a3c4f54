/**
 * Status updates (SPEC sections 2 and 5): calls and assignments that set an entity's status,
 * and the phase of the value they write. Pure shape checks over one node; the path
 * reasoning lives in ./status-flow.ts.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeMemberName, calleeParts, memberName, propertyName, skipTypeWrappers, skipWrappers, stringValue } from '../ast.js';
import type { TypeFacts } from '../types.js';

/** Where a value leaves the in-progress state: only `in-progress` keeps it (SPEC section 5). */
export type StatusPhase = 'in-progress' | 'completed' | 'failed' | 'other';

/** How the update is written. */
export type StatusForm = 'method' | 'orm' | 'assignment';

export interface StatusUpdate {
  /** The call or assignment that writes the status (where reports land). */
  readonly node: TSESTree.CallExpression | TSESTree.AssignmentExpression;
  readonly phase: StatusPhase;
  /** The value as written, for messages: `processing`, `JobStatus.Running`. */
  readonly value: string;
  readonly form: StatusForm;
  /** For an assignment: the name of the object whose field is set (`job` in `job.status = ...`). */
  readonly object?: string;
}

/**
 * The phase and text of a status value: a string in any case, an enum member by member name.
 * With `types` (type-aware mode), a value whose name says nothing (`JobState.Broken`, an
 * imported `FAILED` constant) gets its phase from its string literal type, from any file.
 */
export function statusValue(
  vocabulary: CompiledVocabulary,
  node: TSESTree.Node,
  types?: TypeFacts,
): { phase: StatusPhase; value: string; known: boolean } {
  const result = syntacticStatusValue(vocabulary, node, types);
  if (result.known || !types) return result;
  const inner = skipTypeWrappers(node);
  if (inner.type !== AST_NODE_TYPES.Identifier && inner.type !== AST_NODE_TYPES.MemberExpression) return result;
  // Asked only for status values whose text the vocabulary does not know.
  const literal = types.stringLiteralValue(inner);
  const phase = literal === undefined ? undefined : vocabulary.statusPhase(literal);
  if (phase === undefined) return result;
  const value = inner.type === AST_NODE_TYPES.Identifier ? inner.name : result.value;
  return { phase, value, known: true };
}

function syntacticStatusValue(
  vocabulary: CompiledVocabulary,
  node: TSESTree.Node,
  types: TypeFacts | undefined,
): { phase: StatusPhase; value: string; known: boolean } {
  const inner = skipTypeWrappers(node);
  const text = stringValue(inner);
  if (text !== undefined) {
    const phase = vocabulary.statusPhase(text);
    if (phase === 'in-progress' && vocabulary.isRestingStateValue(text) && setsResourceField(vocabulary, inner) && !writesTerminalStatus(vocabulary, inner)) {
      return { phase: 'other', value: text, known: true };
    }
    return { phase: phase ?? 'other', value: text, known: phase !== undefined };
  }
  if (inner.type === AST_NODE_TYPES.MemberExpression) {
    const member = memberName(inner);
    if (member !== undefined) {
      const phase = vocabulary.statusPhase(member);
      const object = inner.object.type === AST_NODE_TYPES.Identifier ? `${inner.object.name}.` : '';
      return { phase: phase ?? 'other', value: `${object}${member}`, known: phase !== undefined };
    }
  }
  if (inner.type === AST_NODE_TYPES.ConditionalExpression) {
    // `ok ? Status.Completed : Status.Failed` ends the in-progress state unless both branches keep it.
    const a = statusValue(vocabulary, inner.consequent, types);
    const b = statusValue(vocabulary, inner.alternate, types);
    const phase: StatusPhase = a.phase === 'in-progress' && b.phase === 'in-progress' ? 'in-progress' : 'other';
    return { phase, value: `${a.value} / ${b.value}`, known: a.known || b.known };
  }
  return { phase: 'other', value: 'a computed status', known: false };
}

/**
 * `project.state = 'running'`: a value assigned to a field of an object that is no job
 * (vocabulary `jobEntityPattern`: not `job.status = 'running'`). Status methods
 * (`setStatus(id, 'running')`) and ORM writes keep the in-progress reading.
 */
function setsResourceField(vocabulary: CompiledVocabulary, value: TSESTree.Node): boolean {
  const assignment = value.parent;
  if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.right !== value) return false;
  const target = assignment.left;
  if (target.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = skipWrappers(target.object);
  const name = object.type === AST_NODE_TYPES.Identifier ? object.name : object.type === AST_NODE_TYPES.MemberExpression ? memberName(object) : undefined;
  return name !== undefined && !vocabulary.isJobEntity(name);
}

const terminalWritesByProgram = new WeakMap<TSESTree.Program, boolean>();

/**
 * Whether the file of a node writes a completed or failed status as a string: `{ status: 'done' }`,
 * `job.state = 'failed'`, `setStatus(id, 'completed')`. Without one, `'running'` or `'active'`
 * (vocabulary `restingStateValues`) is a resource's steady state, not a job's step that some path
 * must end (issue 13, round 15). Walked once per file, and only for files that write such a value.
 */
function writesTerminalStatus(vocabulary: CompiledVocabulary, node: TSESTree.Node): boolean {
  let program: TSESTree.Node = node;
  while (program.parent) program = program.parent;
  if (program.type !== AST_NODE_TYPES.Program) return true;
  let known = terminalWritesByProgram.get(program);
  if (known !== undefined) return known;
  known = false;
  const isTerminal = (value: TSESTree.Node): boolean => {
    const text = stringValue(skipTypeWrappers(value));
    const phase = text === undefined ? undefined : vocabulary.statusPhase(text);
    return phase === 'completed' || phase === 'failed';
  };
  const stack: unknown[] = [program];
  while (stack.length > 0 && !known) {
    const current = stack.pop() as TSESTree.Node;
    if (current.type === AST_NODE_TYPES.Property && vocabulary.isStatusField(propertyName(current.key, current.computed)) && isTerminal(current.value)) known = true;
    else if (
      current.type === AST_NODE_TYPES.AssignmentExpression &&
      current.left.type === AST_NODE_TYPES.MemberExpression &&
      vocabulary.isStatusField(memberName(current.left)) &&
      isTerminal(current.right)
    ) {
      known = true;
    } else if (current.type === AST_NODE_TYPES.CallExpression && vocabulary.isStatusMethod(calleeMemberName(current)) && current.arguments.some(isTerminal)) {
      known = true;
    }
    for (const key in current) {
      if (key === 'parent') continue;
      const value = (current as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') stack.push(item);
      } else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string') {
        stack.push(value);
      }
    }
  }
  terminalWritesByProgram.set(program, known);
  return known;
}

/**
 * Whether an in-progress write sets a resource's resting state rather than a job's step: an enum
 * member (`DomainState.Active`, `ApplicationState.Running`) whose enum, as the file's text names it,
 * has other members that are neither in progress nor an end (`DomainState.Inactive`,
 * `ApplicationState.Stopped`) and no completed or failed member, neither there nor among the file's
 * status writes (`written`, whose phases type-aware mode may know). Nothing ends such a state, so no
 * path can leave it stuck (issue 13, round 12: seen in a public backend, laf's reconcilers, 15
 * reports judged false).
 */
export function setsRestingState(update: StatusUpdate, written: readonly StatusUpdate[], vocabulary: CompiledVocabulary, text: string): boolean {
  if (syncsObservedState(update, vocabulary)) return true;
  const dot = update.value.lastIndexOf('.');
  const owner = dot > 0 ? update.value.slice(0, dot) : '';
  if (!/^[A-Za-z_$][\w$]*$/.test(owner)) return false;
  if (written.some((other) => other.value.startsWith(`${owner}.`) && (other.phase === 'completed' || other.phase === 'failed'))) return false;
  const members = new RegExp(`\\b${owner.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g');
  let resting = false;
  for (const match of text.matchAll(members)) {
    const phase = vocabulary.statusPhase(match[1]!);
    if (phase === 'completed' || phase === 'failed') return false;
    if (phase === undefined) resting = true;
  }
  if (resting) return true;
  // `Status.active` of an enum declared elsewhere (a wallet's `active | disabled`), in a file that names
  // no completed or failed status at all: a steady state that nothing here ends, not a job's step
  // (issue 13, round 20: seen in a public backend, Masamasa_BE's quidax-wallet.cron.ts, 4 reports judged false).
  const member = update.value.slice(dot + 1);
  return (
    vocabulary.isRestingStateValue(member) &&
    !written.some((other) => other.phase === 'completed' || other.phase === 'failed') &&
    !namesTerminalStatus(text, vocabulary)
  );
}

/**
 * Whether a resting-state write (`'Running'`, `'active'`) runs only when the row does not hold that
 * state yet (`if (environment.status !== 'Running') { update({ status: 'Running' }) }`): a poll that
 * mirrors what it observes into the row, not a job that claims a step (issue 13, round 21: seen in a
 * public backend, briefer's Jupyter health watch).
 */
function syncsObservedState(update: StatusUpdate, vocabulary: CompiledVocabulary): boolean {
  if (!vocabulary.isRestingStateValue(statusWord(update))) return false;
  let child: TSESTree.Node = update.node;
  for (let current: TSESTree.Node | undefined = update.node.parent; current; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.ArrowFunctionExpression) return false;
    if (current.type !== AST_NODE_TYPES.IfStatement || current.consequent !== child) continue;
    const test = current.test;
    if (test.type !== AST_NODE_TYPES.BinaryExpression || (test.operator !== '!==' && test.operator !== '!=')) continue;
    for (const [field, value] of [
      [test.left, test.right],
      [test.right, test.left],
    ] as const) {
      if (field.type === AST_NODE_TYPES.MemberExpression && vocabulary.isStatusField(memberName(field)) && statusValue(vocabulary, value).value === update.value) return true;
    }
  }
  return false;
}

/** The word a status write sets: `Processing` of `S3uploadStatus.Processing`, `running` of `'running'`. */
function statusWord(update: StatusUpdate): string {
  return update.value.slice(update.value.lastIndexOf('.') + 1).replace(/^['"`]|['"`]$/g, '');
}

/** An enum member (`JobStatus.FAILED`, not a call such as `Logger.error(...)`) or a quoted word. */
const STATUS_LIKE_WORD = /\b[A-Z][\w$]*\.([A-Za-z_$][\w$]*)\b(?!\s*\()|['"`]([\w -]{2,20})['"`]/g;

/** Whether a file's text names a completed or failed status anywhere, as an enum member or a string. */
function namesTerminalStatus(text: string, vocabulary: CompiledVocabulary): boolean {
  for (const match of text.matchAll(STATUS_LIKE_WORD)) {
    const phase = vocabulary.statusPhase((match[1] ?? match[2])!);
    if (phase === 'completed' || phase === 'failed') return true;
  }
  return false;
}

/**
 * A column that says when a row last moved: a stale-row sweep compares it with a cutoff. A claim's
 * time (`lastAttemptAt`, `leasedAt`, `pickedAt`) too (issue 13, round 21: seen in a public backend,
 * AirQo-api's email queue, which puts `processing` rows older than 30 s back to `pending`).
 */
const TIMESTAMP_COLUMN = /(?:updated|modified|started|locked|heartbeat|last_?update|lastUpdate|last_?seen|processing_?since|claimed|last_?attempt|attempted_?at|last_?run|leased|lease_?until|picked)\w*/i;
/** A comparison with a cutoff, in any ORM's filter syntax or in SQL. */
const CUTOFF_COMPARISON = /LessThan(?:OrEqual)?\(|\$lte?\b|\blte?\s*:|Op\.lte?\b|<=|\s<\s|\bisBefore\b|\binterval\s*'/;

/**
 * Whether the file holds a sweep that takes rows back from an in-progress status: a query that
 * filters on the same value (`S3uploadStatus.Processing`, or `'PROCESSING'` in SQL) and on a
 * timestamp before a cutoff (`lastUpdateTimestamp <= :yesterday`, `updatedAt: LessThan(cutoff)`).
 * A job that throws after writing the status is then re-run or failed by that sweep, not stuck
 * (issue 13, round 17: seen in a public backend, onroutebc's `processTpsStuckRecords`, 4 reports
 * judged false). Text-based, like `setsRestingState`: the sweep is usually a method of the same service.
 */
export function recoveredBySweep(update: StatusUpdate, text: string): boolean {
  // Asked by require-status-updates and require-background-error-handling about the same write.
  let recovered = sweepByWrite.get(update.node);
  if (recovered === undefined) sweepByWrite.set(update.node, (recovered = findSweep(update, text)));
  return recovered;
}

const sweepByWrite = new WeakMap<TSESTree.Node, boolean>();

function findSweep(update: StatusUpdate, text: string): boolean {
  const member = statusWord(update);
  if (!/^[\w$-]+$/.test(member)) return false;
  const escaped = member.replace(/\$/g, '\\$');
  // The enum member (`.Processing`) or the value as a quoted word (`'PROCESSING'`, `"processing"`).
  const mention = new RegExp(`\\.${escaped}\\b|['"\`]${escaped}['"\`]`, 'gi');
  for (const match of text.matchAll(mention)) {
    const at = match.index;
    if (at >= update.node.range[0] && at < update.node.range[1]) continue;
    const window = text.slice(Math.max(0, at - 300), at + 300);
    if (TIMESTAMP_COLUMN.test(window) && CUTOFF_COMPARISON.test(window)) return true;
  }
  return false;
}

/** The status field of an object literal, if it has one: `{ status: 'running' }`. */
function statusProperty(vocabulary: CompiledVocabulary, object: TSESTree.ObjectExpression): TSESTree.Property | undefined {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    if (vocabulary.isStatusField(propertyName(property.key, property.computed))) return property;
  }
  return undefined;
}

/** The status field of the written fields of an object literal: its own, or its `data` / `$set` / `update` member's. */
export function writtenFields(vocabulary: CompiledVocabulary, object: TSESTree.ObjectExpression): TSESTree.Property | undefined {
  const direct = statusProperty(vocabulary, object);
  if (direct) return direct;
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    if (!vocabulary.isStatusWriteKey(propertyName(property.key, property.computed))) continue;
    const value = skipTypeWrappers(property.value);
    if (value.type === AST_NODE_TYPES.ObjectExpression) {
      const found = statusProperty(vocabulary, value);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A status update made by a call: a status method (`updateStatus(id, 'running')`,
 * `markAsProcessing()`), or an ORM write whose fields include the status
 * (`repo.update(id, { status })`, `prisma.job.update({ data: { status } })`, `.set({ status })`).
 */
export function statusUpdateOfCall(
  vocabulary: CompiledVocabulary,
  call: TSESTree.CallExpression,
  types?: TypeFacts,
): StatusUpdate | undefined {
  const quick = calleeMemberName(call);
  if (quick === undefined || !(vocabulary.isStatusMethod(quick) || vocabulary.isStatusWriteMethod(quick))) return undefined;
  const parts = calleeParts(call);
  if (!parts) return undefined;
  const name = parts.member;
  if (vocabulary.isStatusMethod(name)) {
    const prefix = vocabulary.source.statusMethodPrefixes.find((p) => name.startsWith(p) && name.length > p.length);
    if (prefix !== undefined && !vocabulary.source.statusMethods.includes(name)) {
      const suffix = name.slice(prefix.length);
      const phase = vocabulary.statusPhase(suffix) ?? 'other';
      return { node: call, phase, value: suffix, form: 'method' };
    }
    let fallback: { phase: StatusPhase; value: string } | undefined;
    for (const argument of call.arguments) {
      const inner = skipTypeWrappers(argument);
      if (inner.type === AST_NODE_TYPES.ObjectExpression) {
        const property = statusProperty(vocabulary, inner);
        if (property) return { node: call, ...pick(statusValue(vocabulary, property.value, types)), form: 'method' };
        continue;
      }
      const value = statusValue(vocabulary, inner, types);
      if (value.known) return { node: call, ...pick(value), form: 'method' };
      if (!fallback && inner.type !== AST_NODE_TYPES.Identifier) fallback = pick(value);
    }
    return { node: call, ...(fallback ?? { phase: 'other', value: 'a computed status' }), form: 'method' };
  }
  if (!vocabulary.isStatusWriteMethod(name)) return undefined;
  // The last object argument with a status field: TypeORM `update(criteria, fields)`, Sequelize `update(fields, options)`.
  for (let i = call.arguments.length - 1; i >= 0; i -= 1) {
    const inner = skipTypeWrappers(call.arguments[i]!);
    if (inner.type !== AST_NODE_TYPES.ObjectExpression) continue;
    const property = writtenFields(vocabulary, inner);
    if (property) return { node: call, ...pick(statusValue(vocabulary, property.value, types)), form: 'orm' };
    // MongoDB's `updateMany(filter, { $set: ... })`: the update document is the write; the filter
    // before it only selects (issue 13, round 12: laf's `{ state: ApplicationState.Running }` filters).
    if (hasUpdateOperator(inner)) return undefined;
  }
  return undefined;
}

/** `{ $set: ..., $inc: ... }`: a MongoDB update document. */
function hasUpdateOperator(object: TSESTree.ObjectExpression): boolean {
  return object.properties.some((property) => property.type === AST_NODE_TYPES.Property && propertyName(property.key, property.computed)?.startsWith('$') === true);
}

function pick(value: { phase: StatusPhase; value: string }): { phase: StatusPhase; value: string } {
  return { phase: value.phase, value: value.value };
}

/** The name of the object an assignment writes a status field of: `job.status = ...` -> `job`. */
export function statusAssignmentObject(vocabulary: CompiledVocabulary, node: TSESTree.AssignmentExpression): string | undefined {
  if (node.operator !== '=' || node.left.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (!vocabulary.isStatusField(memberName(node.left))) return undefined;
  return objectName(node.left.object);
}

/** `job` -> `job`, `this.job` -> `this.job`; undefined for anything else. */
export function objectName(node: TSESTree.Node): string | undefined {
  const inner = skipTypeWrappers(node);
  if (inner.type === AST_NODE_TYPES.Identifier) return inner.name;
  if (inner.type === AST_NODE_TYPES.MemberExpression && inner.object.type === AST_NODE_TYPES.ThisExpression) {
    const name = memberName(inner);
    return name === undefined ? undefined : `this.${name}`;
  }
  return undefined;
}

/** A status assignment (`job.status = JobStatus.Running`); it counts once the object is saved. */
export function statusUpdateOfAssignment(
  vocabulary: CompiledVocabulary,
  node: TSESTree.AssignmentExpression,
  types?: TypeFacts,
): StatusUpdate | undefined {
  const object = statusAssignmentObject(vocabulary, node);
  if (object === undefined) return undefined;
  return { node, ...pick(statusValue(vocabulary, node.right, types)), form: 'assignment', object };
}

/** The status update a call or assignment makes, if any. */
export function statusUpdateOf(vocabulary: CompiledVocabulary, node: TSESTree.Node, types?: TypeFacts): StatusUpdate | undefined {
  if (node.type === AST_NODE_TYPES.CallExpression) return statusUpdateOfCall(vocabulary, node, types);
  if (node.type === AST_NODE_TYPES.AssignmentExpression) return statusUpdateOfAssignment(vocabulary, node, types);
  return undefined;
}

/**
 * The objects a call persists: `repo.save(job)` -> [`job`], `job.save()` -> [`job`];
 * `em.flush()` persists everything (`'*'`). Empty when the call is not a save.
 */
export function savedObjects(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): string[] {
  if (!vocabulary.isSaveMethod(calleeMemberName(call))) return [];
  const parts = calleeParts(call);
  if (!parts || !vocabulary.isSaveMethod(parts.member)) return [];
  const saved: string[] = [];
  for (const argument of call.arguments) {
    const name = objectName(skipWrappers(argument));
    if (name !== undefined) saved.push(name);
  }
  if (call.arguments.length === 0) {
    const receiver = parts.object ? objectName(parts.object) : undefined;
    saved.push(receiver ?? '*', '*');
  }
  return saved;
}

/** JavaScript built-ins whose methods share names with ORM writes (`Object.create`, `Reflect.set`): never a database. */
const BUILT_INS = new Set(['Object', 'Array', 'Reflect', 'Promise', 'JSON', 'Math', 'Number', 'String', 'Symbol', 'Date', 'Intl', 'Atomics']);

/** Whether a call writes to the database (option `requireStatusTracking`). */
export function isDatabaseWrite(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): boolean {
  if (!vocabulary.isDatabaseWriteMethod(calleeMemberName(call))) return false;
  const parts = calleeParts(call);
  if (!parts || parts.receiver === undefined || BUILT_INS.has(parts.receiver)) return false;
  return !vocabulary.isLogger(parts.receiver) && !vocabulary.isNonDatabaseReceiver(parts.receiver);
}
