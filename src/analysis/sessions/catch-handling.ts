/**
 * What a catch clause does with its error: logs it, rethrows it, records a status, or hands
 * it on (`reject(err)`, `Sentry.captureException(err)`). Shared by the rules that judge
 * catches, so that they agree on what a silent catch is. Cached per clause.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, containsAwait, containsNodeByFields, enclosingCatchClause, enclosingFunction, functionName, isFunction, isWithin, memberName, pushChildren, skipWrappers } from '../ast.js';
import { logCallOf, type LogCall } from '../tasks/logging.js';
import { statusAssignmentObject, statusUpdateOfCall } from '../status/status.js';
import type { TypeFacts } from '../types.js';

export interface CatchHandling {
  /** Logger calls inside the clause. */
  readonly logs: readonly LogCall[];
  /** The clause rethrows, records a status, or passes the error on to a call. */
  readonly handled: boolean;
  /** Neither logs nor handles: the failure disappears. */
  readonly silent: boolean;
}

// Type information can recognise more loggers, so typed and untyped answers are cached apart.
const cache = new WeakMap<TSESTree.CatchClause, CatchHandling>();
const typedCache = new WeakMap<TSESTree.CatchClause, CatchHandling>();

/** How a catch clause deals with its error (one walk of the clause, cached); `types` also finds loggers by type. */
export function catchHandling(
  vocabulary: CompiledVocabulary,
  clause: TSESTree.CatchClause,
  visitorKeys: TSESLint.SourceCode['visitorKeys'],
  types?: TypeFacts,
): CatchHandling {
  const store = types ? typedCache : cache;
  const cached = store.get(clause);
  if (cached) return cached;
  const errorName = clause.param?.type === AST_NODE_TYPES.Identifier ? clause.param.name : undefined;
  const errorNames = errorName === undefined ? [] : [errorName, ...derivedErrorNames(clause, errorName)];
  const carriesError = (node: TSESTree.Node): boolean => errorNames.some((name) => passesIdentifier(node, name));
  const logs: LogCall[] = [];
  let handled = false;
  const stack: TSESTree.Node[] = [clause.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.ThrowStatement) handled = true;
    else if (node.type === AST_NODE_TYPES.AssignmentExpression && statusAssignmentObject(vocabulary, node) !== undefined) {
      handled = true;
    } else if (node.type === AST_NODE_TYPES.AssignmentExpression && carriesError(node.right)) {
      // `error = err` keeps the error for after the loop or `Promise.all` (rethrown there): handed on.
      handled = true;
    } else if (node.type === AST_NODE_TYPES.CallExpression) {
      const log = logCallOf(vocabulary, node) ?? (types ? logCallOf(vocabulary, node, false, types) : undefined);
      if (log) logs.push(log);
      else if (statusUpdateOfCall(vocabulary, node)) handled = true;
      // `res.status(401).send(...)`: the request is answered with the failure, as a rethrow would.
      else if (answersRequest(vocabulary, node)) handled = true;
      else if (node.arguments.some(carriesError)) handled = true;
      // `result.error.push('Failed to remove alias')`: the failure is recorded on what the caller gets back.
      else if (recordsOnFailureList(vocabulary, node)) handled = true;
    }
    pushChildren(stack, node, visitorKeys);
  }
  const result = { logs, handled, silent: !handled && logs.length === 0 };
  store.set(clause, result);
  return result;
}

/**
 * `const errMsg = \`Error reading queue file: ${err}\``: names the catch declares with a value derived
 * from its error, which then carry it to a log or a record (issue 13, round 13: seen in a public
 * server, Haraka's outbound/hmail.js:131, `this.logerror(errMsg); this.temp_fail(errMsg)`).
 */
function derivedErrorNames(clause: TSESTree.CatchClause, errorName: string): string[] {
  const names: string[] = [];
  for (const statement of clause.body.body) {
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const declarator of statement.declarations) {
      if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.init && [errorName, ...names].some((name) => passesIdentifier(declarator.init!, name))) {
        names.push(declarator.id.name);
      }
    }
  }
  return names;
}

/** `result.error.push('Failed to send a leave notice')` (vocabulary `failureListNames`; seen in a public server: matrix-appservice-irc src/DebugApi.ts:393). */
function recordsOnFailureList(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): boolean {
  const parts = calleeParts(call);
  if (parts?.member !== 'push' || !parts.object) return false;
  const list = skipWrappers(parts.object);
  const name = list.type === AST_NODE_TYPES.Identifier ? list.name : list.type === AST_NODE_TYPES.MemberExpression ? memberName(list) : undefined;
  return vocabulary.isFailureListName(name);
}

/** `res.status(500).json(...)`, `reply.code(401).send()`, `res.sendStatus(404)`: a call on the response object. */
function answersRequest(vocabulary: CompiledVocabulary, call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = skipWrappers(call.callee);
  while (node.type === AST_NODE_TYPES.MemberExpression || node.type === AST_NODE_TYPES.CallExpression) {
    node = skipWrappers(node.type === AST_NODE_TYPES.MemberExpression ? node.object : node.callee);
  }
  return node.type === AST_NODE_TYPES.Identifier && node !== skipWrappers(call.callee) && vocabulary.isResponseObjectName(node.name);
}

/** Whether an argument carries the identifier or a value derived from it: `err`, `err.message`, `{ err }`, `new X(err)`, `${err}`, `e instanceof Error ? e.message : '?'`. */
export function passesIdentifier(argument: TSESTree.Node, name: string): boolean {
  const inner = skipWrappers(argument);
  if (inner.type === AST_NODE_TYPES.Identifier) return inner.name === name;
  if (inner.type === AST_NODE_TYPES.MemberExpression) return passesIdentifier(inner.object, name);
  if (inner.type === AST_NODE_TYPES.ObjectExpression) {
    return inner.properties.some((p) => p.type === AST_NODE_TYPES.Property && passesIdentifier(p.value, name));
  }
  if (inner.type === AST_NODE_TYPES.NewExpression || inner.type === AST_NODE_TYPES.CallExpression) {
    // `e.toString()`, `err.message.trim()`: a value read from the error (seen in a public backend: pigallery2's job manager).
    if (inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression && passesIdentifier(inner.callee.object, name)) return true;
    return inner.arguments.some((a) => passesIdentifier(a, name));
  }
  if (inner.type === AST_NODE_TYPES.TemplateLiteral) return inner.expressions.some((e) => passesIdentifier(e, name));
  // `err instanceof Error ? err.message : 'Unknown error'`: a value derived from the error (the test alone is not).
  if (inner.type === AST_NODE_TYPES.ConditionalExpression) return passesIdentifier(inner.consequent, name) || passesIdentifier(inner.alternate, name);
  // `err.message || 'failed'`, `'failed: ' + err.message`.
  if (inner.type === AST_NODE_TYPES.LogicalExpression || (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === '+')) {
    return passesIdentifier(inner.left, name) || passesIdentifier(inner.right, name);
  }
  return false;
}

/**
 * Whether a silent catch drops its error on purpose, by evidence a reader would accept
 * (issue 13): a comment inside the clause that says why (ESLint's `no-empty` convention: a block
 * holding a comment is not empty; a `TODO` or commented-out code is no reason), or best-effort
 * work by the vocabulary (`bestEffortCallees`, `bestEffortNamePattern`): the enclosing function is
 * one (`_track`, `sendTelemetry`), or every statement of the `try` calls one (`posthog.capture(...)`).
 */
export function silentOnPurpose(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  clause: TSESTree.CatchClause,
): boolean {
  if (sourceCode.getCommentsInside(clause.body).some((comment) => explainsWhy(comment.value))) return true;
  if (reasonBesideTry(sourceCode, clause)) return true;
  if (takesFallback(clause, sourceCode.visitorKeys) || namesErrorUnused(clause) || probesIntoTestedFlag(clause) || pollsUntilSuccess(clause)) return true;
  if (onHandledFailurePath(vocabulary, clause)) return true;
  const fn = enclosingFunction(clause);
  if (fn && vocabulary.isBestEffortCallee(functionName(fn))) return true;
  const statements = clause.parent.block.body;
  return statements.length > 0 && statements.every((statement) => callsBestEffort(vocabulary, statement) || onlyCleansUp(vocabulary, statement));
}

/**
 * `try { isDbConnected = (await getManager()).connection.isConnected; } catch (e) {}` followed by
 * `if (!isDbConnected) setTimeout(retry, 1000)`: the try only sets a flag and the next statement
 * tests it, so a failure is carried by the flag the code acts on (issue 13, round 14: seen in a
 * public backend, sogeBot's src/bot/helpers/database.ts:9, polling until the database is up).
 */
function probesIntoTestedFlag(clause: TSESTree.CatchClause): boolean {
  if (clause.body.body.length > 0) return false;
  const tryStatement = clause.parent;
  const [only] = tryStatement.block.body;
  if (tryStatement.block.body.length !== 1 || only?.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const assignment = only.expression;
  // An awaited probe (a connection that may not be up yet); a synchronous one is checkSynchronousCatches' to judge.
  if (assignment.type !== AST_NODE_TYPES.AssignmentExpression || assignment.left.type !== AST_NODE_TYPES.Identifier || !containsNodeByFields(assignment.right, (n) => n.type === AST_NODE_TYPES.AwaitExpression)) return false;
  const flag = assignment.left.name;
  const holder = tryStatement.parent;
  if (holder?.type !== AST_NODE_TYPES.BlockStatement && holder?.type !== AST_NODE_TYPES.Program) return false;
  const next = holder.body[holder.body.indexOf(tryStatement as TSESTree.Statement) + 1];
  return next?.type === AST_NODE_TYPES.IfStatement && containsNodeByFields(next.test, (n) => n.type === AST_NODE_TYPES.Identifier && n.name === flag);
}

/**
 * `catch (err) { logger.error({ msg: 'Failed to parse queued email entry', err }); try { await
 * redis.hdel(key, id); } catch (err) {} return; }`: an empty catch around a step of another catch
 * that logs or rethrows its own error. The failure that matters is already heard; the bookkeeping
 * step after it (dropping the bad entry, setting a dashboard's error flag) is best effort (issue 13,
 * round 14: seen in a public backend, emailengine workers/submit.js:163 and workers/webhooks.js:553).
 */
function onHandledFailurePath(vocabulary: CompiledVocabulary, clause: TSESTree.CatchClause): boolean {
  if (clause.body.body.length > 0) return false;
  const outer = enclosingCatchClause(clause.parent);
  if (!outer?.param || outer.param.type !== AST_NODE_TYPES.Identifier) return false;
  const outerError = outer.param.name;
  return containsNodeByFields(outer.body, (node) => {
    if (node.type === AST_NODE_TYPES.ThrowStatement) return !isWithin(node, clause.parent);
    if (node.type !== AST_NODE_TYPES.CallExpression || isWithin(node, clause.parent)) return false;
    const log = logCallOf(vocabulary, node);
    return log !== undefined && vocabulary.isFailureLogMethod(log.level) && node.arguments.some((argument) => passesIdentifier(argument, outerError));
  });
}

/**
 * `const handler = async () => { try { token = await poll(); clearInterval(interval); ... } catch (error) {} }`
 * run by `setInterval(handler, ms)`: the try stops its own timer once it succeeds, so an empty
 * catch is the poll's "not yet" (an OAuth device-code poll answers an error until the user
 * approves; issue 13, round 14: seen in a public backend, MediaTracker server/src/export/trakttv.ts:53).
 */
function pollsUntilSuccess(clause: TSESTree.CatchClause): boolean {
  if (clause.body.body.length > 0) return false;
  return clause.parent.block.body.some((statement) => {
    const parts = statementCallParts(statement);
    return parts !== undefined && parts.receiver === undefined && (parts.member === 'clearInterval' || parts.member === 'clearTimeout');
  });
}

/**
 * `// catch for duplicate requests` on the line above `try {`, or as the first line of the `try`:
 * the reason for an empty catch, written where the author put it (issue 13, round 11: apitable's
 * API-usage insert). Only for an empty catch, and only a comment that gives a reason.
 */
function reasonBesideTry(sourceCode: Readonly<TSESLint.SourceCode>, clause: TSESTree.CatchClause): boolean {
  if (clause.body.body.length > 0) return false;
  const tryStatement = clause.parent;
  const first = tryStatement.block.body[0];
  const inside = first ? sourceCode.getCommentsBefore(first) : [];
  const above = sourceCode.getCommentsBefore(tryStatement).filter((comment) => comment.loc.end.line >= tryStatement.loc.start.line - 1);
  return [...above, ...inside].some((comment) => explainsWhy(comment.value));
}

/**
 * `if (this.filePath) await fsp.rm(this.filePath, { force: true })`, `await response.body?.cancel()`:
 * removing a temporary file or discarding a stream is cleanup whose failure loses no job outcome
 * (vocabulary `cleanupCallees`; issue 13, round 11: supabase storage's spill files and image
 * bodies, overleaf's partial tarball), so a catch around only such steps may drop the error.
 */
function onlyCleansUp(vocabulary: CompiledVocabulary, statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate) return onlyCleansUp(vocabulary, statement.consequent);
  if (statement.type === AST_NODE_TYPES.BlockStatement) return statement.body.length > 0 && statement.body.every((inner) => onlyCleansUp(vocabulary, inner));
  const parts = statementCallParts(statement);
  return parts !== undefined && vocabulary.isCleanupCallee(parts.member);
}

/** The call an expression statement makes, through `await` and `void`: `await fsp.rm(path)`, `void track(...)`. */
function statementCallParts(statement: TSESTree.Statement): ReturnType<typeof calleeParts> {
  // `return socket.end('421 ...')` as well as `socket.end('421 ...');`
  const value = statement.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : statement.type === AST_NODE_TYPES.ReturnStatement ? statement.argument : null;
  if (!value) return undefined;
  let expression = skipWrappers(value);
  while (expression.type === AST_NODE_TYPES.AwaitExpression || expression.type === AST_NODE_TYPES.UnaryExpression) expression = skipWrappers(expression.argument);
  return expression.type === AST_NODE_TYPES.CallExpression ? calleeParts(expression) : undefined;
}

/**
 * `catch (_) { ... }`, `catch (_err)`: the error is named unused on purpose, the convention of
 * `no-unused-vars`' `caughtErrorsIgnorePattern: '^_'` (seen in public backends: parse-server's
 * URL check, uptime-kuma's update check, refly's cron preview; each judged a deliberate drop).
 */
export function namesErrorUnused(clause: TSESTree.CatchClause): boolean {
  return clause.param?.type === AST_NODE_TYPES.Identifier && clause.param.name.startsWith('_');
}

/**
 * A catch that acts on the failure instead of dropping it: it skips the item or leaves the loop
 * it runs in (`catch { continue; }` when a file vanished between `readdir` and `stat`), or stops
 * the timer it runs in (`catch { clearInterval(heartbeat); }` once the stream is closed). Seen in
 * public backends: anything-llm's deliverables poller, erxes' redlock owner loop, sim's SSE
 * heartbeat. A fallback value or a flag (`return null`, `failed = true`) still drops the error
 * itself, so those stay reported, as the spec's silent catch says; so does a skipped awaited step.
 */
function takesFallback(clause: TSESTree.CatchClause, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  // Awaited work that fails and is skipped silently is a lost job failure; only synchronous steps (a parse, a stat) fall back.
  if (containsAwait(clause.parent.block, keys)) return false;
  return clause.body.body.some((statement) => {
    if (statement.type === AST_NODE_TYPES.ContinueStatement || statement.type === AST_NODE_TYPES.BreakStatement) return true;
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const expression = skipWrappers(statement.expression);
    const parts = expression.type === AST_NODE_TYPES.CallExpression ? calleeParts(expression) : undefined;
    return parts !== undefined && parts.receiver === undefined && (parts.member === 'clearInterval' || parts.member === 'clearTimeout');
  });
}

/** Words that acknowledge a dropped error without saying why (`// ignore`, `// noop`, `// intentionally empty`). */
const ACKNOWLEDGEMENTS = new Set(
  'ignore ignored ignoring noop no op nothing empty swallow swallowed silently silent do error errors err e ex catch intentionally intentional on purpose here it this the any'.split(' '),
);

/**
 * A comment that gives a reason: two words beyond an acknowledgement, or one in a sentence of three
 * words (`ignore polling errors`), not a `TODO` and not commented-out code.
 */
function explainsWhy(text: string): boolean {
  const trimmed = text.replace(/^[\s*]+|[\s*]+$/g, '');
  if (/\b(TODO|FIXME|XXX|HACK)\b/.test(trimmed)) return false;
  // `// logger.error(err);`, `// throw e`: code switched off, not a reason.
  if (/[;{}]$|^(await|return|throw|const|let|var|console|this)\b|^[\w.$]+\(.*\)$/.test(trimmed)) return false;
  const words = trimmed.toLowerCase().match(/[a-z]+/g) ?? [];
  const meaningful = words.filter((word) => !ACKNOWLEDGEMENTS.has(word)).length;
  // `// ignore polling errors` names what is ignored (seen in a public backend: firecrawl's SDK watcher).
  return meaningful >= 2 || (meaningful === 1 && words.length >= 3);
}

/** `await analytics.track(...)`, `posthog.capture(...)`, `void this.metrics.increment(...)`. */
function callsBestEffort(vocabulary: CompiledVocabulary, statement: TSESTree.Statement): boolean {
  const parts = statementCallParts(statement);
  if (!parts) return false;
  const receiver = parts.receiver?.slice(parts.receiver.lastIndexOf('.') + 1);
  return vocabulary.isBestEffortCallee(parts.member) || (receiver !== undefined && vocabulary.isBestEffortName(receiver));
}

/**
 * `catch (error) { if (error instanceof DelayedError) throw error; ...; await markFailed(id); }`:
 * the catch singles out an error class and rethrows it untouched, so the author routes that
 * failure elsewhere on purpose (BullMQ's `DelayedError` moves the job to delayed, not failed).
 * Seen in a public backend: refly apps/api/src/modules/schedule/schedule.processor.ts:519.
 */
export function rethrowsSingledOutError(mark: TSESTree.Node | undefined): boolean {
  if (mark?.type !== AST_NODE_TYPES.ThrowStatement || mark.argument?.type !== AST_NODE_TYPES.Identifier) return false;
  const thrown = mark.argument.name;
  let child: TSESTree.Node = mark;
  for (let current: TSESTree.Node | undefined = mark.parent; current && !isFunction(current); current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return false;
    if (current.type === AST_NODE_TYPES.IfStatement && current.consequent === child && testsInstanceOf(current.test, thrown)) {
      const clause = enclosingCatchClause(current);
      return clause?.param?.type === AST_NODE_TYPES.Identifier && clause.param.name === thrown;
    }
    child = current;
  }
  return false;
}

/** `error instanceof DelayedError`, alone or in a `||` of such tests. */
function testsInstanceOf(test: TSESTree.Expression, name: string): boolean {
  if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator === '||') return testsInstanceOf(test.left, name) && testsInstanceOf(test.right, name);
  return test.type === AST_NODE_TYPES.BinaryExpression && test.operator === 'instanceof' && test.left.type === AST_NODE_TYPES.Identifier && test.left.name === name;
}
