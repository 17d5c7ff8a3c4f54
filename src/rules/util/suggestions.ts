/**
 * Fix builders for the rules' suggestions (editor quick fixes, never autofixes: each one changes
 * what the code does, on purpose). Every builder edits tokens and inserts text around the code
 * that stays, so comments and type annotations are kept; it returns undefined when it cannot
 * make the edit safely, and the rule then offers nothing.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction, isFunction } from '../../analysis/ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Fix = TSESLint.ReportFixFunction;
const { findVariable } = ASTUtils;
/** A reference's identifier. */
type Name = TSESTree.Identifier | TSESTree.JSXIdentifier;

/** `void task()` / `task()` as a statement: the expression that makes the promise, without `void`. */
function droppedExpression(statement: TSESTree.ExpressionStatement): { inner: TSESTree.Expression; voided: boolean } {
  const expression = statement.expression;
  if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void') return { inner: expression.argument, voided: true };
  return { inner: expression, voided: false };
}

/** Whether `await x` / `x.catch()` can be written around `x` without parentheses. */
function isMemberSafe(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.CallExpression ||
    node.type === AST_NODE_TYPES.NewExpression ||
    node.type === AST_NODE_TYPES.ChainExpression ||
    node.type === AST_NODE_TYPES.Identifier ||
    node.type === AST_NODE_TYPES.MemberExpression
  );
}

/** Removes the `void` keyword of `void x` and the space after it, leaving any comment in between. */
function removeVoid(sourceCode: SourceCode, statement: TSESTree.ExpressionStatement, fixer: TSESLint.RuleFixer): TSESLint.RuleFix {
  const keyword = sourceCode.getFirstToken(statement)!;
  const next = sourceCode.getTokenAfter(keyword, { includeComments: true })!;
  return fixer.removeRange([keyword.range[0], next.range[0]]);
}

/** The statement that holds `node` as its whole expression (through `void`, `.then()`, `.catch()` chains), if any. */
export function enclosingExpressionStatement(node: TSESTree.Node, stopAt?: TSESTree.Node): TSESTree.ExpressionStatement | undefined {
  for (let current: TSESTree.Node | undefined = node; current && current !== stopAt; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ExpressionStatement) return current;
    if (isFunction(current) || current.type === AST_NODE_TYPES.BlockStatement) return undefined;
  }
  return undefined;
}

/**
 * `task()` / `void task()` as a statement in an async function -> `await task()`: the function now
 * waits for it, and its rejection reaches the function's own error handling.
 */
export function awaitStatementFix(sourceCode: SourceCode, statement: TSESTree.ExpressionStatement): Fix | undefined {
  if (!enclosingFunction(statement)?.async) return undefined;
  const { inner, voided } = droppedExpression(statement);
  if (voided) {
    const keyword = sourceCode.getFirstToken(statement);
    if (keyword?.value !== 'void') return undefined;
    return (fixer) => fixer.replaceText(keyword, 'await');
  }
  if (!isMemberSafe(inner)) return undefined;
  return (fixer) => fixer.insertTextBefore(inner, 'await ');
}

/** `task()` / `void task()` -> `task().catch((error) => logger.error('task failed', error))`. */
export function catchStatementFix(sourceCode: SourceCode, statement: TSESTree.ExpressionStatement, logger: string, label: string): Fix {
  const { inner, voided } = droppedExpression(statement);
  const quoted = label.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const handler = `.catch((error) => ${logger}.error('${quoted} failed', error))`;
  // `work().catch()` with no handler: give that catch the handler rather than append a second one.
  if (
    inner.type === AST_NODE_TYPES.CallExpression &&
    inner.arguments.length === 0 &&
    inner.callee.type === AST_NODE_TYPES.MemberExpression &&
    !inner.callee.computed &&
    inner.callee.property.type === AST_NODE_TYPES.Identifier &&
    inner.callee.property.name === 'catch'
  ) {
    const closing = sourceCode.getLastToken(inner)!;
    return (fixer) => [
      ...(voided ? [removeVoid(sourceCode, statement, fixer)] : []),
      fixer.insertTextBefore(closing, `(error) => ${logger}.error('${quoted} failed', error)`),
    ];
  }
  const parens = !isMemberSafe(inner);
  return (fixer) => [
    ...(voided ? [removeVoid(sourceCode, statement, fixer)] : []),
    ...(parens ? [fixer.insertTextBefore(inner, '(')] : []),
    fixer.insertTextAfter(inner, `${parens ? ')' : ''}${handler}`),
  ];
}

/** Whether a `catch {` without a binding cannot get `(error)`: its body names an outer `error`. */
function bindingWouldShadow(sourceCode: SourceCode, clause: TSESTree.CatchClause): boolean {
  if (clause.param) return false;
  const [start, end] = clause.body.range;
  return (sourceCode.scopeManager?.scopes ?? []).some((scope) =>
    scope.references.some((r) => r.identifier.name === 'error' && r.identifier.range[0] >= start && r.identifier.range[1] <= end),
  );
}

/**
 * A catch that swallows its error -> `line` (a log call naming `error`) as the first statement of
 * its body, after the opening brace, so statements and comments already there stay as they are.
 */
export function logInCatchFix(sourceCode: SourceCode, clause: TSESTree.CatchClause, line: string): Fix | undefined {
  if (clause.param && clause.param.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (bindingWouldShadow(sourceCode, clause)) return undefined;
  const indent = /^\s*/.exec(sourceCode.lines[clause.loc.start.line - 1] ?? '')?.[0] ?? '';
  const step = indent.includes('\t') ? '\t' : '  ';
  const empty = clause.body.body.length === 0 && sourceCode.getCommentsInside(clause.body).length === 0;
  return (fixer) => [
    ...(clause.param ? [] : [fixer.insertTextBefore(clause.body, '(error) ')]),
    empty
      ? fixer.replaceText(clause.body, `{\n${indent}${step}${line}\n${indent}}`)
      : fixer.insertTextAfterRange([clause.body.range[0], clause.body.range[0] + 1], `\n${indent}${step}${line}`),
  ];
}

/**
 * A queue processor's catch that logs and returns -> `throw <error>;` as its last statement, so the
 * queue fails the job. Undefined without an identifier binding, or when the body ends in `return`.
 */
export function rethrowInCatchFix(sourceCode: SourceCode, clause: TSESTree.CatchClause): Fix | undefined {
  if (clause.param?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const last = clause.body.body.at(-1);
  if (!last || last.type === AST_NODE_TYPES.ReturnStatement) return undefined;
  const indent = /^\s*/.exec(sourceCode.lines[last.loc.start.line - 1] ?? '')?.[0] ?? '';
  const name = clause.param.name;
  return (fixer) => fixer.insertTextAfter(last, `\n${indent}throw ${name};`);
}

/**
 * A log call in a catch that drops the error -> the error as its last argument; a `catch {` without
 * a binding gets `(error)`. Undefined when the binding is a pattern, or when adding `error` would
 * shadow an outer `error` that the catch body uses.
 */
export function logErrorFix(sourceCode: SourceCode, clause: TSESTree.CatchClause, log: TSESTree.CallExpression): Fix | undefined {
  if (clause.param && clause.param.type !== AST_NODE_TYPES.Identifier) return undefined;
  const name = clause.param?.name ?? 'error';
  if (bindingWouldShadow(sourceCode, clause)) return undefined;
  const closing = sourceCode.getLastToken(log);
  if (closing?.value !== ')') return undefined;
  const last = log.arguments.at(-1);
  return (fixer) => [
    ...(clause.param ? [] : [fixer.insertTextBefore(clause.body, `(${name}) `)]),
    last ? fixer.insertTextAfter(last, `, ${name}`) : fixer.insertTextBefore(closing, name),
  ];
}

/** Whether a multi-line template literal lies in `range` (re-indenting its lines would change the string). */
function hasMultilineTemplate(sourceCode: SourceCode, range: TSESTree.Range): boolean {
  return sourceCode.ast.tokens.some(
    (token) => token.type === 'Template' && token.range[0] >= range[0] && token.range[1] <= range[1] && token.loc.start.line !== token.loc.end.line,
  );
}

/**
 * `const runner = ds.createQueryRunner(); <rest of the block>` -> the rest of the block in
 * `try { ... } finally { await runner.release(); }`. Only when the declaration is a statement of a
 * function's block with statements after it, and none of them is a hoisted function declaration (moving it
 * into the `try` would hide it from code above).
 */
export function releaseInFinallyFix(
  sourceCode: SourceCode,
  declaration: TSESTree.VariableDeclaration,
  session: string,
  release: string,
): Fix | undefined {
  const block = declaration.parent;
  const fn = enclosingFunction(declaration);
  if (block.type !== AST_NODE_TYPES.BlockStatement || !fn) return undefined;
  const body = block.body as TSESTree.Node[];
  const rest = body.slice(body.indexOf(declaration) + 1);
  if (rest.length === 0 || rest.some((s) => s.type === AST_NODE_TYPES.FunctionDeclaration)) return undefined;
  // A sync function cannot await the release: it is called, as a sync caller would.
  const awaitRelease = fn.async;
  const indent = /^\s*/.exec(sourceCode.lines[declaration.loc.start.line - 1] ?? '')?.[0] ?? '';
  const step = indent.includes('\t') ? '\t' : '  ';
  // Comments between the statements move with them, and so does one that ends the last statement's line.
  const last = rest.at(-1)!;
  const trailing = sourceCode.getCommentsAfter(last).filter((c) => c.loc.start.line === last.loc.end.line).at(-1);
  const range: TSESTree.Range = [rest[0]!.range[0], (trailing ?? last).range[1]];
  const text = sourceCode.text.slice(range[0], range[1]);
  const moved = hasMultilineTemplate(sourceCode, range) ? text : text.replace(/\n(?=[^\n])/g, `\n${step}`);
  const releaseCall = `${awaitRelease ? 'await ' : ''}${session}.${release}();`;
  return (fixer) =>
    fixer.replaceTextRange(range, `try {\n${indent}${step}${moved}\n${indent}} finally {\n${indent}${step}${releaseCall}\n${indent}}`);
}

/** A `using` / `await using` declarator with an initializer: a session whose scope ends it. */
function usingDeclarator(variable: TSESLint.Scope.Variable | null | undefined): TSESTree.VariableDeclarator | undefined {
  const def = variable?.defs[0];
  if (variable?.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  const declarator = def.node;
  const kind = declarator.parent.kind;
  return (kind === 'using' || kind === 'await using') && declarator.init && declarator.id.type === AST_NODE_TYPES.Identifier ? declarator : undefined;
}

/** `node`'s source with the identifiers in `replace` swapped (their name only: an Identifier's range may carry a type annotation). */
function textWithReplacements(sourceCode: SourceCode, node: TSESTree.Node, replace: ReadonlyMap<Name, string>): string {
  const edits = [...replace].filter(([id]) => id.range[0] >= node.range[0] && id.range[1] <= node.range[1]).sort(([a], [b]) => b.range[0] - a.range[0]);
  let text = sourceCode.text.slice(node.range[0], node.range[1]);
  for (const [id, name] of edits) {
    const start = id.range[0] - node.range[0];
    text = text.slice(0, start) + name + text.slice(start + id.name.length);
  }
  return text;
}

/**
 * A statement in a `catch` that writes through the failed `try` block's session -> the same
 * statement in a block of its own with a fresh session from the same opener:
 *
 *   await service.updateStatus(id, 'failed');
 *   -> { await using errorSession = infra.getSessionContext();
 *        await serviceProvider(errorSession).updateStatus(id, 'failed'); }
 *
 * Only for a session declared with `using` / `await using` in the same function or module (its opener can
 * simply be called again), used directly or through a `const` derived from it by a call
 * (`serviceProvider(session)`, which is called again with the fresh session).
 */
export function freshSessionFix(sourceCode: SourceCode, use: TSESTree.Node): Fix | undefined {
  if (use.type !== AST_NODE_TYPES.Identifier) return undefined;
  const statement = enclosingExpressionStatement(use);
  // Undefined at a module's top level, where `await using` is allowed too.
  const fn = enclosingFunction(use);
  const owner = fn ?? sourceCode.ast;
  if (!statement || !insideCatch(statement, owner)) return undefined;
  const scope = sourceCode.getScope(use);
  const variable = findVariable(scope, use.name);
  let session = usingDeclarator(variable);
  let derived: { variable: TSESLint.Scope.Variable; init: TSESTree.Expression } | undefined;
  if (!session) {
    // `const service = serviceProvider(session)`: derived from a `using` session by a call.
    const def = variable?.defs[0];
    if (variable?.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.node.parent.kind !== 'const') return undefined;
    const init = def.node.init;
    if (init?.type !== AST_NODE_TYPES.CallExpression && init?.type !== AST_NODE_TYPES.NewExpression) return undefined;
    const roots = new Set(
      sourceCode.getScope(init).references.filter((r) => r.identifier.range[0] >= init.range[0] && r.identifier.range[1] <= init.range[1]).map((r) => usingDeclarator(r.resolved))
        .filter((d) => d !== undefined),
    );
    if (roots.size !== 1) return undefined;
    session = [...roots][0];
    derived = { variable: variable!, init };
  }
  if (!session || enclosingFunction(session) !== fn) return undefined;
  const sessionVariable = sourceCode.getDeclaredVariables(session)[0];
  if (!sessionVariable || /\berrorSession\b/.test(sourceCode.getText(owner))) return undefined;
  const kind = session.parent.kind;
  if (kind === 'await using' && !(fn ? fn.async : sourceCode.ast.sourceType === 'module')) return undefined;
  const inStatement = (id: Name): boolean => id.range[0] >= statement.range[0] && id.range[1] <= statement.range[1];
  const replace = new Map<Name, string>();
  for (const reference of sessionVariable.references) {
    if (inStatement(reference.identifier)) replace.set(reference.identifier, 'errorSession');
  }
  if (derived) {
    const fresh = textWithReplacements(
      sourceCode,
      derived.init,
      new Map(sessionVariable.references.filter((r) => r.identifier.range[0] >= derived.init.range[0] && r.identifier.range[1] <= derived.init.range[1]).map((r) => [r.identifier, 'errorSession'])),
    );
    for (const reference of derived.variable.references) {
      if (inStatement(reference.identifier)) replace.set(reference.identifier, fresh);
    }
  }
  const indent = /^\s*/.exec(sourceCode.lines[statement.loc.start.line - 1] ?? '')?.[0] ?? '';
  const step = indent.includes('\t') ? '\t' : '  ';
  const opener = sourceCode.getText(session.init!);
  const body = textWithReplacements(sourceCode, statement, replace);
  if (hasMultilineTemplate(sourceCode, statement.range) && body.includes('\n')) return undefined;
  const moved = body.replace(/\n(?=[^\n])/g, `\n${step}`);
  return (fixer) => fixer.replaceText(statement, `{\n${indent}${step}${kind} errorSession = ${opener};\n${indent}${step}${moved}\n${indent}}`);
}

/** Whether `node` is inside a `catch` clause of `fn` itself (not of a nested function). */
function insideCatch(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return true;
    if (isFunction(current)) return false;
  }
  return false;
}
