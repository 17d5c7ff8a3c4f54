/**
 * Logger calls (SPEC section 5 vocabulary: `loggers`, `logMethods`, `consoleIsLifecycleLogger`)
 * and what they carry: the error object of a catch, an identifier of the work.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeMemberName, calleeParts, enclosingFunction, instanceMembers, isWithin, skipWrappers, type FunctionNode } from '../ast.js';
import { enclosingClassBody } from '../function-index.js';
import type { TypeFacts } from '../types.js';

export interface LogCall {
  readonly node: TSESTree.CallExpression;
  /** The receiver as named by the vocabulary: `logger`, `console`. */
  readonly logger: string;
  /** The log method: `info`, `error`. */
  readonly level: string;
}

/**
 * A call through a logger: `logger.info(...)`, `this.logger.error(...)`, `log(...)`.
 * With `lifecycle`, `console` counts only when the vocabulary says so. With `types`
 * (type-aware mode), a log method called on a receiver of a logger type counts whatever
 * its name (`this.audit.info(...)` on a pino `Logger`).
 */
export function logCallOf(
  vocabulary: CompiledVocabulary,
  call: TSESTree.CallExpression,
  lifecycle = false,
  types?: TypeFacts,
): LogCall | undefined {
  const quick = calleeMemberName(call);
  if (!vocabulary.isLogMethod(quick) && !vocabulary.isLogger(quick)) return undefined;
  const parts = calleeParts(call);
  if (!parts) return undefined;
  if (parts.receiver === undefined) {
    // A logger used as a function: `log('started')`, `debug('x')` from the debug package is not one.
    if (vocabulary.isLogger(parts.member) && parts.member !== 'console') return { node: call, logger: parts.member, level: 'log' };
    // `error('JWT token is not valid.')` with `import { error, info } from '../helpers/log'`: the
    // project's log functions, one per level (issue 13, round 14: seen in a public backend, sogeBot).
    return vocabulary.isLogMethod(parts.member) && levelFunctionsOfLoggerModules(call).has(parts.member)
      ? { node: call, logger: parts.member, level: parts.member }
      : undefined;
  }
  if (!vocabulary.isLogMethod(parts.member)) return undefined;
  if (!vocabulary.isLogger(parts.receiver)) {
    // Asked only for log-method calls on receivers not named as loggers: few nodes.
    const callee = skipWrappers(call.callee);
    if (!types || callee.type !== AST_NODE_TYPES.MemberExpression || !types.loggerTypeName(callee.object)) return undefined;
  }
  if (lifecycle && parts.receiver === 'console' && !vocabulary.source.consoleIsLifecycleLogger) return undefined;
  return { node: call, logger: parts.receiver, level: parts.member };
}

const levelFunctionsByProgram = new WeakMap<TSESTree.Node, ReadonlySet<string>>();

/** The names a module imports from a logging module (`../helpers/log`, `./logger`, `@app/logging`), once per file. */
function levelFunctionsOfLoggerModules(node: TSESTree.Node): ReadonlySet<string> {
  let program: TSESTree.Node = node;
  while (program.parent) program = program.parent;
  let names = levelFunctionsByProgram.get(program);
  if (names) return names;
  const found = new Set<string>();
  if (program.type === AST_NODE_TYPES.Program) {
    for (const statement of program.body) {
      if (statement.type !== AST_NODE_TYPES.ImportDeclaration || !/(?:^|\/)log(?:s|ger|ging)?(?:\.[cm]?[jt]s)?$/i.test(statement.source.value)) continue;
      for (const specifier of statement.specifiers) {
        if (specifier.type === AST_NODE_TYPES.ImportSpecifier) found.add(specifier.local.name);
      }
    }
  }
  names = found;
  levelFunctionsByProgram.set(program, names);
  return names;
}

/** Whether any reference to a variable lies within a node. */
export function referencesWithin(variable: TSESLint.Scope.Variable | undefined, node: TSESTree.Node): boolean {
  return variable !== undefined && variable.references.some((ref) => isWithin(ref.identifier, node));
}

/**
 * Whether a log call passes the catch's error or something derived from it: `err`, `err.message`,
 * `${err}`, `{ err }`, `String(err)`, or a variable of the clause computed from it
 * (`const error = err as Error; log(error.message)`, `const msg = e instanceof Error ? e.message : String(e)`).
 * Only the stack may be lost then: the failure and its cause are logged (issue 13).
 */
export function logPassesError(
  sourceCode: Readonly<TSESLint.SourceCode>,
  log: LogCall,
  clause: TSESTree.CatchClause,
): boolean {
  if (!clause.param) return false;
  const variables = errorVariables(sourceCode, clause);
  return variables.some((variable) => log.node.arguments.some((argument) => referencesWithin(variable, argument)));
}

/** Where a path through a catch stands: nothing logged at failure level yet, a failure logged without the error, the error logged. */
const NONE = 1;
const LOST = 2;
const LOGGED = 4;

/**
 * A failure-level log without the error, when some path through a catch clause ends (returns, jumps or runs off its end) after a
 * failure-level log (`failureLogMethods`: `logger.error(...)`) that does not carry the error,
 * with no log of the error on that path: karakeep's video worker logs `err.stderr` when the
 * error has one and only a generic line otherwise. Logging the error once anywhere on the path
 * covers it (a value derived from it counts, as in `logPassesError`); a path that logs nothing,
 * or only below failure level (`logger.info('unsupported URL, skipping')`), is the author's
 * classification of an expected error, not a lost one. `if` / `else` and early exits are
 * followed; loops, `switch` and nested `try` count as if every log in them ran.
 */
export function logLosingError(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  clause: TSESTree.CatchClause,
  logs: readonly LogCall[],
): LogCall | undefined {
  const marked = logs.map((log) => ({
    log,
    range: log.node.range,
    passes: logPassesError(sourceCode, log, clause),
    // A log in a callback (`cleanup().catch(() => logger.error('cleanup failed'))`) is about the callback's own failure.
    failure: vocabulary.isFailureLogMethod(log.level) && enclosingFunction(log.node) === enclosingFunction(clause),
  }));
  let lostExit = false;
  /** The states after a node's logs, as if each of them ran. */
  const flat = (node: TSESTree.Node, states: number): number => {
    const inside = marked.filter((log) => log.range[0] >= node.range[0] && log.range[1] <= node.range[1]);
    if (inside.some((log) => log.passes)) return states === 0 ? 0 : LOGGED;
    if (inside.some((log) => log.failure) && states & NONE) return (states & ~NONE) | LOST;
    return states;
  };
  const exit = (states: number): number => {
    if (states & LOST) lostExit = true;
    return 0;
  };
  const run = (node: TSESTree.Node, states: number): number => {
    if (states === 0) return 0;
    switch (node.type) {
      case AST_NODE_TYPES.BlockStatement: {
        let current = states;
        for (const statement of node.body) current = run(statement, current);
        return current;
      }
      case AST_NODE_TYPES.IfStatement: {
        const tested = flat(node.test, states);
        return run(node.consequent, tested) | (node.alternate ? run(node.alternate, tested) : tested);
      }
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.BreakStatement:
      case AST_NODE_TYPES.ContinueStatement:
        return exit(flat(node, states));
      case AST_NODE_TYPES.ThrowStatement:
        // Rethrown: the caller has the error.
        return 0;
      default:
        return flat(node, states);
    }
  };
  exit(run(clause.body, NONE));
  if (!lostExit) return undefined;
  // The first such log in source order: where the suggestion adds the error.
  const lost = marked.filter((entry) => entry.failure && !entry.passes).sort((a, b) => a.range[0] - b.range[0]);
  return lost[0]?.log;
}

const errorVariablesCache = new WeakMap<TSESTree.CatchClause, TSESLint.Scope.Variable[]>();

/** The caught value's variables and the clause's variables computed from them, to a fixpoint. */
function errorVariables(sourceCode: Readonly<TSESLint.SourceCode>, clause: TSESTree.CatchClause): TSESLint.Scope.Variable[] {
  const cached = errorVariablesCache.get(clause);
  if (cached) return cached;
  const derived = [...sourceCode.getDeclaredVariables(clause)];
  const candidates: TSESLint.Scope.Variable[] = [];
  const catchScope = sourceCode.scopeManager?.acquire(clause);
  const stack = catchScope ? [...catchScope.childScopes] : [];
  while (stack.length > 0) {
    const scope = stack.pop()!;
    // Only the clause's own blocks: a nested function's variables are its own work.
    if (scope.type === 'function') continue;
    candidates.push(...scope.variables);
    stack.push(...scope.childScopes);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const candidate of candidates) {
      if (derived.includes(candidate)) continue;
      const sources = candidate.references.flatMap((reference) => (reference.writeExpr ? [reference.writeExpr] : []));
      if (sources.some((source) => derived.some((variable) => referencesWithin(variable, source)))) {
        derived.push(candidate);
        grew = true;
      }
    }
  }
  errorVariablesCache.set(clause, derived);
  return derived;
}

/**
 * Whether a log call names the work: it references a parameter of the background function
 * or a variable declared in it (`logger.error(\`resize ${imageId} failed\`)`).
 */
export function logNamesWork(sourceCode: Readonly<TSESLint.SourceCode>, log: LogCall, fn: FunctionNode): boolean {
  const scope = sourceCode.scopeManager?.acquire(fn);
  if (!scope) return false;
  return scope.variables.some(
    (variable) => variable.name !== 'arguments' && log.node.arguments.some((argument) => referencesWithin(variable, argument)),
  );
}

/**
 * The logger a suggestion should call at a node: a logger member of the enclosing class
 * (`this.logger`, constructor parameter properties included), a logger variable in scope,
 * else `console`.
 */
export function loggerExpressionAt(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  node: TSESTree.Node,
): string {
  const body = enclosingClassBody(node);
  const member = body && cached(classLoggers, vocabulary, body, () => classLogger(vocabulary, body));
  if (member) return member;
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(node); scope; scope = scope.upper) {
    const variable = cached(scopeLoggers, vocabulary, scope, () => scopeLogger(vocabulary, scope!));
    if (variable) return variable;
  }
  return 'console';
}

// Asked once per report: a class's members and a scope's variables are read once, not per report.
const classLoggers = new WeakMap<CompiledVocabulary, WeakMap<TSESTree.ClassBody, string | null>>();
const scopeLoggers = new WeakMap<CompiledVocabulary, WeakMap<TSESLint.Scope.Scope, string | null>>();

function cached<K extends object>(cache: WeakMap<CompiledVocabulary, WeakMap<K, string | null>>, vocabulary: CompiledVocabulary, key: K, compute: () => string | undefined): string | undefined {
  let byKey = cache.get(vocabulary);
  if (!byKey) cache.set(vocabulary, (byKey = new WeakMap()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = compute() ?? null));
  return value ?? undefined;
}

/** A logger member of a class (`this.logger`), constructor parameter properties included. */
function classLogger(vocabulary: CompiledVocabulary, body: TSESTree.ClassBody): string | undefined {
  for (const member of instanceMembers(body)) {
    // Fields with a value slot (not abstract ones or auto-accessors) and parameter properties.
    if (member.node.type !== AST_NODE_TYPES.PropertyDefinition && member.kind !== 'parameter') continue;
    if (member.name !== 'console' && vocabulary.isLogger(member.name)) return `this.${member.name}`;
  }
  return undefined;
}

/** A logger variable declared in a scope itself. */
function scopeLogger(vocabulary: CompiledVocabulary, scope: TSESLint.Scope.Scope): string | undefined {
  for (const variable of scope.variables) {
    if (variable.name !== 'console' && vocabulary.isLogger(variable.name) && variable.defs.length > 0) return variable.name;
  }
  return undefined;
}
