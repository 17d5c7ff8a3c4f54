/**
 * Which function of a file an expression stands for (`this.method`, `helper`, `fn.bind(this)`)
 * and which calls of the file reach each function, from indexes built once per file (owned by
 * ./facts.ts). A class whose methods call each other asks about every
 * method many times: scanning the class body or the file for each question made such a file
 * cost quadratic time (issue 17).
 */
import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { calleeParts, isFunction, skipWrappers, type CallLike, type FunctionNode } from './ast.js';

/** Per-file indexes of functions, methods and their callers, each built on first use. */
export class FunctionIndex {
  /** `resolve` answers by the expression (after wrappers); null: no function of this file. */
  private readonly resolved = new Map<TSESTree.Node, FunctionNode | null>();
  private readonly methodsByBody = new Map<TSESTree.ClassBody, ReadonlyMap<string, FunctionNode>>();
  private readonly propertiesByBody = new Map<TSESTree.ClassBody, ReadonlyMap<string, TSESTree.PropertyDefinition>>();
  private callers: Map<FunctionNode, CallLike[]> | undefined;

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    /** Every call of the file in source order (pre-order), from the walk ./facts.ts makes. */
    private readonly calls: readonly CallLike[],
  ) {}

  /** A function in this file that an expression stands for: inline, `this.method`, `fn`, `fn.bind(this)`. */
  resolve(expression: TSESTree.Node): FunctionNode | undefined {
    const node = skipWrappers(expression);
    if (isFunction(node)) return node;
    // Rules ask again about the calls detection already resolved: answer from the memo.
    const memo = this.resolved.get(node);
    if (memo !== undefined) return memo ?? undefined;
    const result = this.resolveUncached(node);
    this.resolved.set(node, result ?? null);
    return result;
  }

  /** The function a call invokes, when this file defines it (`this.method()`, `helper()`). */
  resolveCallee(call: TSESTree.CallExpression): FunctionNode | undefined {
    const callee = skipWrappers(call.callee);
    if (callee.type === AST_NODE_TYPES.Identifier || callee.type === AST_NODE_TYPES.MemberExpression) {
      return this.resolve(callee);
    }
    return undefined;
  }

  private resolveUncached(node: TSESTree.Node): FunctionNode | undefined {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const parts = calleeParts(node);
      if (parts?.member === 'bind' && parts.object) return this.resolve(parts.object);
      return undefined;
    }
    if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.ThisExpression) {
      const name = node.computed ? undefined : memberKeyName(node.property);
      const body = name === undefined ? undefined : enclosingClassBody(node);
      return body && this.methodsOf(body).get(name!);
    }
    // `AnthropicLLM.fetchModelMaxTokens()`: a static member of a class this file declares
    // (seen in a public backend: anything-llm's AI providers).
    if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.Identifier && !node.computed) {
      const name = memberKeyName(node.property);
      const body = name === undefined ? undefined : this.declaredClassBody(node.object);
      return body && staticMember(body, name!);
    }
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(this.sourceCode.getScope(node), node.name);
      const def = variable?.defs[0];
      if (!def) return undefined;
      // A parameter's def.node is its function: `next()` / `emit(line)` calls the callback, not the function itself.
      if (def.type === TSESLint.Scope.DefinitionType.Parameter) return undefined;
      if (isFunction(def.node)) return def.node;
      if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && isFunction(def.node.init)) {
        return def.node.init;
      }
    }
    return undefined;
  }

  /** The body of the class a name stands for in this file (`class A {}`, `const A = class {}`). */
  private declaredClassBody(identifier: TSESTree.Identifier): TSESTree.ClassBody | undefined {
    const def = ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier.name)?.defs[0];
    if (def?.type === TSESLint.Scope.DefinitionType.ClassName) return (def.node as TSESTree.ClassDeclaration).body;
    if (def?.type === TSESLint.Scope.DefinitionType.Variable && def.node.init?.type === AST_NODE_TYPES.ClassExpression) return def.node.init.body;
    return undefined;
  }

  /**
   * The methods and function-valued properties of a class body by name (`this.name` resolves to
   * them): the first member of that plain name whose value is a function, static or not, getters
   * and setters included; `#private` ones under `#name` (`this.#doRefresh()`), apart from a public
   * `name`; overload signatures and computed names are not indexed.
   */
  methodsOf(body: TSESTree.ClassBody): ReadonlyMap<string, FunctionNode> {
    let methods = this.methodsByBody.get(body);
    if (!methods) {
      const byName = new Map<string, FunctionNode>();
      for (const member of body.body) {
        if (
          (member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition) &&
          !member.computed &&
          member.value &&
          isFunction(member.value)
        ) {
          const name = memberKeyName(member.key);
          if (name !== undefined && !byName.has(name)) byName.set(name, member.value);
        }
      }
      this.methodsByBody.set(body, (methods = byName));
    }
    return methods;
  }

  /** The first property declaration of a class body with this identifier key (`warmup: Promise<void>`), for its type annotation. */
  propertyOf(body: TSESTree.ClassBody, name: string): TSESTree.PropertyDefinition | undefined {
    let properties = this.propertiesByBody.get(body);
    if (!properties) {
      const byName = new Map<string, TSESTree.PropertyDefinition>();
      for (const member of body.body) {
        if (member.type === AST_NODE_TYPES.PropertyDefinition && member.key.type === AST_NODE_TYPES.Identifier && !byName.has(member.key.name)) {
          byName.set(member.key.name, member);
        }
      }
      this.propertiesByBody.set(body, (properties = byName));
    }
    return properties.get(name);
  }

  /** The calls of this file whose callee resolves to a function (`this.helper(...)`, `helper(...)`), in source order. */
  callersOf(fn: FunctionNode): readonly CallLike[] {
    if (!this.callers) {
      this.callers = new Map();
      for (const call of this.calls) {
        const target = this.resolve(call.callee);
        if (!target) continue;
        const list = this.callers.get(target);
        if (list) list.push(call);
        else this.callers.set(target, [call]);
      }
    }
    return this.callers.get(fn) ?? [];
  }
}

/** A static method or function-valued static property of a class body by name. */
function staticMember(body: TSESTree.ClassBody, name: string): FunctionNode | undefined {
  for (const member of body.body) {
    if (
      (member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition) &&
      member.static &&
      !member.computed &&
      member.value &&
      isFunction(member.value) &&
      memberKeyName(member.key) === name
    ) {
      return member.value;
    }
  }
  return undefined;
}

/** A class member's key as `this.x` names it: `name`, or `#name` for a private one; undefined for other keys. */
function memberKeyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  return undefined;
}

/**
 * The class body whose members `this.x` names at a node: the nearest one around it. A non-arrow
 * function in between (whose `this` is its caller's) is not looked at, as before the index.
 */
export function enclosingClassBody(node: TSESTree.Node): TSESTree.ClassBody | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current;
  }
  return undefined;
}
