/**
 * Type-aware mode: what the type checker adds when `parserOptions.projectService` (or
 * `project`) gives the parser a program. Every question has a syntactic fallback in the
 * rules; without a program `getTypeFacts` returns undefined and nothing here runs.
 * `typescript` is an optional peer dependency, so it is loaded only when a program exists.
 */
import { createRequire } from 'node:module';
import { AST_NODE_TYPES, type ParserServicesWithTypeInformation, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as TS from 'typescript';
import type { CompiledReleasedSession, CompiledVocabulary } from '../model/settings.js';
import { decoratorName, isFunction, type FunctionNode } from './ast.js';
import { catchesEverything } from './tasks/floating.js';

/** What the type checker answers for one file. */
export interface TypeFacts {
  /** Whether an expression's type is a Promise (or another thenable). */
  isPromise(node: TSESTree.Node): boolean;
  /** Whether an expression is a function (or method reference) whose calls return a Promise. */
  isPromiseReturningFunction(node: TSESTree.Node): boolean;
  /** Whether the function a call invokes, in any file, catches everything; undefined when unknown. */
  calleeCatchesEverything(call: TSESTree.CallExpression): boolean | undefined;
  /** Whether the function an expression refers to, in any file, catches everything. */
  functionCatchesEverything(node: TSESTree.Node): boolean | undefined;
  /** The session type name of an expression (`EntityManager`, `Knex.Transaction`), if it holds one. */
  sessionTypeName(node: TSESTree.Node): string | undefined;
  /** The external client type name of an expression (`AxiosInstance`, `HttpService`), if it is one. */
  externalClientTypeName(node: TSESTree.Node): string | undefined;
  /**
   * A session that must be ended explicitly, by its library type: the type name and the first
   * `releasedSessions` pattern whose ending methods the type has (`QueryRunner` -> `release`).
   */
  releasableSession(node: TSESTree.Node): { readonly typeName: string; readonly release: CompiledReleasedSession } | undefined;
  /** The string a value's type pins it to (`'failed'`, an enum member `= 'failed'`), if exactly one. */
  stringLiteralValue(node: TSESTree.Node): string | undefined;
  /** The logger type name of an expression (`pino.Logger`, `@nestjs/common.Logger`), if it is one. */
  loggerTypeName(node: TSESTree.Node): string | undefined;
  /** Whether a value's (awaited) type is known and has none of these methods, so it ends nothing. */
  lacksMethods(node: TSESTree.Node, methods: readonly string[]): boolean;
  /**
   * Whether the class that declares a called method, in any file, calls one of `methods`
   * (`this.transactionSubscriber.awaitCommit(...)` in Vendure's EventBus); false when unknown.
   */
  calleeClassCalls(call: TSESTree.CallExpression, methods: (name: string) => boolean): boolean;
  /** Whether a value's (awaited) type is a Result: every part has a `resultCheckMethods` method (`isErr`, `isOk`). */
  isResultValue(node: TSESTree.Node): boolean;
}

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

let tsModule: typeof TS | undefined;
function loadTypeScript(): typeof TS {
  tsModule ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return tsModule;
}

const cache = new WeakMap<object, Map<CompiledVocabulary, TypeFacts | null>>();

/** The type facts of the file being linted, or undefined when the parser has no program. */
export function getTypeFacts(context: AnyContext, vocabulary: CompiledVocabulary): TypeFacts | undefined {
  const sourceCode = context.sourceCode;
  let byVocabulary = cache.get(sourceCode);
  if (!byVocabulary) {
    byVocabulary = new Map();
    cache.set(sourceCode, byVocabulary);
  }
  let facts = byVocabulary.get(vocabulary);
  if (facts === undefined) {
    const services = sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
    facts = services?.program && services.esTreeNodeToTSNodeMap ? buildTypeFacts(services as ParserServicesWithTypeInformation, sourceCode, vocabulary) : null;
    byVocabulary.set(vocabulary, facts);
  }
  return facts ?? undefined;
}

function buildTypeFacts(
  services: ParserServicesWithTypeInformation,
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
): TypeFacts {
  const ts = loadTypeScript();
  const checker = services.program.getTypeChecker();
  const toTs = (node: TSESTree.Node): TS.Node => services.esTreeNodeToTSNodeMap.get(node);

  function isThenable(type: TS.Type): boolean {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
    if (type.isUnion()) return type.types.some(isThenable);
    const then = type.getProperty('then');
    if (!then) return false;
    const thenType = checker.getTypeOfSymbol(then);
    return thenType.getCallSignatures().length > 0;
  }

  function typeOf(node: TSESTree.Node): TS.Type | undefined {
    try {
      return checker.getTypeAtLocation(toTs(node));
    } catch {
      return undefined;
    }
  }

  /** The function-like declaration behind a call or a function reference (never throws). */
  function declarationOf(node: TS.Node): TS.SignatureDeclaration | undefined {
    try {
      return findDeclaration(node);
    } catch {
      return undefined;
    }
  }

  function findDeclaration(node: TS.Node): TS.SignatureDeclaration | undefined {
    let declaration: TS.Node | undefined;
    if (ts.isCallExpression(node)) {
      declaration = checker.getResolvedSignature(node)?.getDeclaration();
    } else {
      let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) declaration = declaration.initializer;
      if (declaration && ts.isPropertyDeclaration(declaration) && declaration.initializer) declaration = declaration.initializer;
    }
    return declaration && ts.isFunctionLike(declaration) ? declaration : undefined;
  }

  /** The TS twin of ./floating.ts `catchesEverything`, for declarations in other files. */
  function tsCatchesEverything(declaration: TS.SignatureDeclaration): boolean | undefined {
    // A declaration in this file has an ESTree twin: use the syntactic answer, so both modes agree.
    const estree = services.tsNodeToESTreeNodeMap.get(declaration as TS.Node) as TSESTree.Node | undefined;
    if (estree && isFunction(estree)) return catchesEverything(estree as FunctionNode, vocabulary, sourceCode.visitorKeys);
    const body = (declaration as TS.FunctionLikeDeclaration).body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) return undefined;
    let guarded = false;
    for (const statement of body.statements) {
      if (ts.isTryStatement(statement) && statement.catchClause && !guarded) {
        if (throws(statement.catchClause.block) || (statement.finallyBlock && throws(statement.finallyBlock))) return false;
        guarded = true;
      } else if (!isHarmless(statement)) {
        return false;
      }
    }
    return guarded;
  }

  /** Mirrors `isPlainValue` of ./floating.ts. */
  function isPlain(node: TS.Expression | undefined): boolean {
    if (node === undefined) return true;
    if (ts.isLiteralExpression(node) || ts.isIdentifier(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
    if (node.kind === ts.SyntaxKind.ThisKeyword || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return true;
    if (node.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isPrefixUnaryExpression(node)) return isPlain(node.operand);
    return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
  }

  /** Mirrors `isHarmlessStatement` of ./floating.ts. */
  function isHarmless(statement: TS.Statement): boolean {
    if (ts.isEmptyStatement(statement)) return true;
    if (ts.isReturnStatement(statement)) return isPlain(statement.expression);
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.every((d) => isPlain(d.initializer));
    if (ts.isIfStatement(statement)) {
      if (statement.elseStatement || !isPlain(statement.expression)) return false;
      const then = statement.thenStatement;
      const ret = ts.isBlock(then) && then.statements.length === 1 ? then.statements[0] : then;
      return ret !== undefined && ts.isReturnStatement(ret) && isPlain(ret.expression);
    }
    if (ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression)) {
      const callee = statement.expression.expression;
      if (!ts.isPropertyAccessExpression(callee)) return false;
      const receiver = callee.expression;
      const receiverName = ts.isIdentifier(receiver)
        ? receiver.text
        : ts.isPropertyAccessExpression(receiver)
          ? receiver.name.text
          : undefined;
      return vocabulary.isLogger(receiverName) && vocabulary.isLogMethod(callee.name.text);
    }
    return false;
  }

  function throws(node: TS.Node): boolean {
    let found = false;
    const visit = (child: TS.Node): void => {
      if (found) return;
      if (ts.isThrowStatement(child)) {
        found = true;
        return;
      }
      if (ts.isFunctionLike(child)) return;
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
    return found;
  }

  /**
   * The package a library declaration comes from: the ambient module (`declare module 'typeorm'`),
   * else the path after the last `node_modules/` (`@types/pg` -> `pg`, `.prisma/client`).
   */
  function packageOf(declaration: TS.Declaration): string | undefined {
    for (let node: TS.Node | undefined = declaration.parent; node; node = node.parent) {
      if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) return node.name.text;
    }
    const match = /.*node_modules\/((?:[@.][^/]+\/)?[^/]+)\//.exec(declaration.getSourceFile().fileName.replace(/\\/g, '/'));
    return match?.[1]?.replace(/^@types\//, '');
  }

  /**
   * The package-qualified name of a library type that matches (`typeorm.EntityManager`,
   * `knex.Knex.Transaction`): a project's own `Transaction` class, or Sentry's, is no session.
   */
  function libraryTypeName(type: TS.Type, matches: (name: string) => boolean): string | undefined {
    try {
      return findLibraryTypeName(type, matches);
    } catch {
      return undefined;
    }
  }

  function findLibraryTypeName(type: TS.Type, matches: (name: string) => boolean): string | undefined {
    const parts = type.isUnion() ? type.types : [type];
    for (const part of parts) {
      const symbols = [part.aliasSymbol, part.getSymbol()].filter((s): s is TS.Symbol => s !== undefined);
      for (const symbol of symbols) {
        const declaration = symbol.declarations?.[0];
        if (!declaration?.getSourceFile().isDeclarationFile) continue;
        const pkg = packageOf(declaration);
        if (!pkg) continue;
        // `"path/to/module".Knex.Transaction` -> `Knex.Transaction`
        const tail = checker.getFullyQualifiedName(symbol).replace(/^".*"\./, '');
        for (const name of [`${pkg}.${tail}`, `${pkg}.${symbol.name}`]) if (matches(name)) return name;
      }
    }
    return undefined;
  }

  /** The value a type stands for once awaited (`Promise<QueryRunner>` -> `QueryRunner`). */
  function awaited(type: TS.Type): TS.Type {
    if (!isThenable(type)) return type;
    try {
      return checker.getAwaitedType(type) ?? type;
    } catch {
      return type;
    }
  }

  /** The object parts of a type, without `null` / `undefined`; undefined when the type is not known. */
  function knownParts(type: TS.Type): TS.Type[] | undefined {
    const unknownFlags = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never;
    const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
    if (parts.length === 0 || parts.some((t) => t.flags & unknownFlags)) return undefined;
    return parts;
  }

  function hasMethod(type: TS.Type, name: string): boolean {
    const property = type.getProperty(name);
    return property !== undefined && checker.getTypeOfSymbol(property).getCallSignatures().length > 0;
  }

  return {
    isPromise(node) {
      const type = typeOf(node);
      return type !== undefined && isThenable(type);
    },
    isPromiseReturningFunction(node) {
      const type = typeOf(node);
      if (!type) return false;
      const signatures = type.getCallSignatures();
      return signatures.length > 0 && signatures.every((s) => isThenable(checker.getReturnTypeOfSignature(s)));
    },
    calleeClassCalls(call, methods) {
      const declaration = declarationOf(toTs(call));
      const owner = declaration?.parent;
      if (!owner || !ts.isClassLike(owner)) return false;
      let found = false;
      const visit = (node: TS.Node): void => {
        if (found) return;
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && methods(node.expression.name.text)) {
          found = true;
          return;
        }
        ts.forEachChild(node, visit);
      };
      visit(owner);
      return found;
    },
    calleeCatchesEverything(call) {
      const declaration = declarationOf(toTs(call));
      return declaration ? tsCatchesEverything(declaration) : undefined;
    },
    functionCatchesEverything(node) {
      const declaration = declarationOf(toTs(node));
      return declaration ? tsCatchesEverything(declaration) : undefined;
    },
    sessionTypeName(node) {
      const type = typeOf(node);
      return type ? libraryTypeName(type, (name) => vocabulary.isSessionType(name)) : undefined;
    },
    externalClientTypeName(node) {
      const type = typeOf(node);
      return type ? libraryTypeName(type, (name) => vocabulary.isExternalClientType(name)) : undefined;
    },
    stringLiteralValue(node) {
      const type = typeOf(node);
      try {
        return type?.isStringLiteral() ? type.value : undefined;
      } catch {
        return undefined;
      }
    },
    loggerTypeName(node) {
      const type = typeOf(node);
      return type ? libraryTypeName(type, (name) => vocabulary.isLoggerType(name)) : undefined;
    },
    releasableSession(node) {
      try {
        const raw = typeOf(node);
        if (!raw) return undefined;
        const type = awaited(raw);
        const typeName = libraryTypeName(type, (name) => vocabulary.isSessionType(name));
        if (!typeName) return undefined;
        const parts = knownParts(type) ?? [];
        const release = vocabulary.releasedSessions.find(
          (pattern) => pattern.release.length > 0 && parts.some((part) => pattern.release.every((method) => hasMethod(part, method))),
        );
        return release ? { typeName, release } : undefined;
      } catch {
        return undefined;
      }
    },
    lacksMethods(node, methods) {
      try {
        const raw = typeOf(node);
        if (!raw) return false;
        const parts = knownParts(awaited(raw));
        return parts !== undefined && parts.every((part) => methods.every((method) => !hasMethod(part, method)));
      } catch {
        return false;
      }
    },
    isResultValue(node) {
      try {
        const raw = typeOf(node);
        const parts = raw && knownParts(awaited(raw));
        return parts !== undefined && parts.every((part) => vocabulary.source.resultCheckMethods.some((method) => hasMethod(part, method)));
      } catch {
        return false;
      }
    },
  };
}

/**
 * Whether a class is request-scoped (a new instance per request): NestJS
 * `@Injectable({ scope: Scope.REQUEST })`, or a constructor parameter `@Inject(REQUEST)`.
 * Syntactic, so it works with or without type information.
 */
export function isRequestScopedClass(
  cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
): boolean {
  // Asked for every session-typed `this.x` of a class: read its decorators and constructor once.
  let byClass = requestScopedClasses.get(vocabulary);
  if (!byClass) requestScopedClasses.set(vocabulary, (byClass = new WeakMap()));
  let answer = byClass.get(cls);
  if (answer === undefined) byClass.set(cls, (answer = readRequestScope(cls, sourceCode, vocabulary)));
  return answer;
}

const requestScopedClasses = new WeakMap<CompiledVocabulary, WeakMap<TSESTree.Node, boolean>>();

function readRequestScope(
  cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
): boolean {
  const markerIn = (decorator: TSESTree.Decorator): boolean => {
    const expression = decorator.expression;
    if (expression.type !== AST_NODE_TYPES.CallExpression) return false;
    return expression.arguments.some((argument) => {
      if (argument.type === AST_NODE_TYPES.ObjectExpression) {
        return argument.properties.some(
          (p) => p.type === AST_NODE_TYPES.Property && vocabulary.isRequestScopeMarker(sourceCode.getText(p.value)),
        );
      }
      return vocabulary.isRequestScopeMarker(sourceCode.getText(argument));
    });
  };
  if (cls.decorators.some(markerIn)) return true;
  for (const member of cls.body.body) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'constructor') continue;
    for (const param of member.value.params) {
      if (param.decorators.some((d) => decoratorName(d) === 'Inject' && markerIn(d))) return true;
    }
  }
  return false;
}
