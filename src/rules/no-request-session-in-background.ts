import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { getFileFacts } from '../analysis/facts.js';
import { enclosingFunction, memberName, owningClass, type FunctionNode } from '../analysis/ast.js';
import { opensFreshSession, type SessionInfo } from '../analysis/sessions/sessions.js';
import type { BackgroundTask } from '../analysis/tasks/background.js';
import { getTypeFacts, isRequestScopedClass } from '../analysis/types.js';
import { extendVocabulary, vocabularyFromSettings } from '../model/settings.js';
import { dependsOnAtLeast, isOutsideServerLifecycle } from '../analysis/tasks/runtime.js';
import { createRule } from './util/create-rule.js';

const ENTITY_MANAGER_MEMBERS = new Set(['em', 'entityManager', 'manager']);
const TYPEORM = ['typeorm@0.0.0'];
const MIKRO_ORM = ['@mikro-orm/core@0.0.0'];

export type Options = [
  {
    requestScopedMembers?: string[];
    requestSessionMembers?: string[];
  },
];
export type MessageIds = 'requestMember' | 'capturedRequestSession' | 'requestSessionArgument';

export default createRule<Options, MessageIds>({
  name: 'no-request-session-in-background',
  meta: {
    type: 'problem',
    docs: {
      description: "Disallow using a request's database session in background work",
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    messages: {
      requestMember: "`{{session}}` is the request's session, used by {{task}}, which runs after the request ended.",
      capturedRequestSession: '`{{session}}` belongs to the request, but background code ({{task}}) uses it after the request ended.',
      requestSessionArgument: "`{{session}}` is the request's session, handed to background work (`{{dispatch}}`) that outlives it.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          requestScopedMembers: {
            type: 'array',
            items: { type: 'string' },
            description: '`this.<member>` names that hold a request-scoped session, added to the defaults.',
          },
          requestSessionMembers: {
            type: 'array',
            items: { type: 'string' },
            description: 'Members of a request object (`req.<member>`) that hold its session, added to the defaults.',
          },
        },
      },
    ],
    defaultOptions: [{ requestScopedMembers: [], requestSessionMembers: [] }],
  },
  defaultOptions: [{ requestScopedMembers: [], requestSessionMembers: [] }],
  create(context, [options]) {
    const vocabulary = extendVocabulary(vocabularyFromSettings(context.settings), {
      requestScopedMembers: options.requestScopedMembers ?? [],
      requestSessionMembers: options.requestSessionMembers ?? [],
    });
    // Browser and test code hold no production request session (`this.context` of a UI model, a test's fixture).
    if (isOutsideServerLifecycle(context.sourceCode, vocabulary, context.filename, context.cwd)) return {};
    const facts = getFileFacts(context, vocabulary);
    if (facts.tasks.length === 0 && facts.dispatchSites.length === 0) return {};
    const types = getTypeFacts(context, vocabulary);
    const reported = new Set<TSESTree.Node>();
    /** The task of the function being traversed (innermost first). */
    const taskStack: (BackgroundTask | undefined)[] = [];
    const currentTask = (): BackgroundTask | undefined => taskStack.at(-1);

    function report(node: TSESTree.Node, messageId: MessageIds, session: SessionInfo, data: Record<string, string>): void {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId, data: { session: session.name, ...data } });
    }

    /**
     * A use that only opens a fresh session from it (`this.em.fork()`), reaches its factory
     * (`this.em.connection`), replaces it, or calls a method of the same name is fine.
     */
    function isHarmlessUse(node: TSESTree.Node, name: string): boolean {
      if (opensFreshSession(vocabulary, node)) return true;
      const parent = node.parent;
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
        return vocabulary.isFactoryName(memberName(parent));
      }
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node) {
        return !vocabulary.isCallableSessionName(name) || facts.resolveFunction(node) !== undefined;
      }
      return parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node;
    }

    function isRequestSession(info: SessionInfo): boolean {
      return info.kind === 'request-member' || info.kind === 'request-value';
    }

    /** Variables captured by a task that hold a request session declared in request code. */
    function checkCaptured(task: BackgroundTask): void {
      const scope = context.sourceCode.scopeManager?.acquire(task.fn);
      if (!scope) return;
      for (const reference of scope.through) {
        const identifier = reference.identifier;
        if (identifier.type !== AST_NODE_TYPES.Identifier || !reference.resolved || reference.isWrite()) continue;
        if (facts.taskOf(identifier) !== task) continue;
        const info = facts.classify(identifier);
        if (!isRequestSession(info)) continue;
        const declaredIn = info.declaredIn;
        if (declaredIn && facts.taskOf(declaredIn.body) !== undefined) continue;
        if (isHarmlessUse(identifier, identifier.name)) continue;
        report(identifier, 'capturedRequestSession', info, { task: task.label });
      }
    }

    /**
     * Type-aware: `this.<member>` under any name whose type is a session: a transaction or query
     * runner always, an EntityManager when the class is request-scoped (NestJS `Scope.REQUEST`).
     */
    function checkTypedMember(node: TSESTree.MemberExpression, name: string, task: BackgroundTask): void {
      if (!types) return;
      const typeName = types.sessionTypeName(node);
      if (!typeName || isHarmlessUse(node, name)) return;
      if (!vocabulary.isTransactionType(typeName) && !inRequestScopedClass(node)) return;
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId: 'requestMember', data: { session: `this.${name}`, task: task.label } });
    }

    /**
     * `this.em` of a TypeORM project (no MikroORM): the data source's one `EntityManager`, injected
     * into a singleton, not a request's (issue 13, round 15: seen in a public backend, Joystream/orion's
     * RelevanceService, given `globalEm`). A request-scoped class (`Scope.REQUEST`) still holds the request's.
     */
    function isGlobalEntityManager(node: TSESTree.MemberExpression, name: string): boolean {
      if (!ENTITY_MANAGER_MEMBERS.has(name)) return false;
      if (!dependsOnAtLeast(context.filename, TYPEORM) || dependsOnAtLeast(context.filename, MIKRO_ORM)) return false;
      return !inRequestScopedClass(node);
    }

    /** Whether the class around a node (through nested functions) is request-scoped (NestJS `Scope.REQUEST`). */
    function inRequestScopedClass(node: TSESTree.Node): boolean {
      const fn = enclosingFunction(node);
      let cls = fn ? owningClass(fn) : undefined;
      for (let outer = fn; !cls && outer; outer = enclosingFunction(outer)) cls = owningClass(outer);
      return cls !== undefined && isRequestScopedClass(cls, context.sourceCode, vocabulary);
    }

    return {
      ':function'(node: FunctionNode) {
        const own = facts.taskRootedAt(node);
        taskStack.push(own ?? currentTask());
        if (own) checkCaptured(own);
      },
      ':function:exit'() {
        taskStack.pop();
      },
      MemberExpression(node) {
        const task = currentTask();
        if (!task) return;
        const object = node.object;
        const name = memberName(node);
        if (name === undefined) return;
        if (object.type === AST_NODE_TYPES.ThisExpression) {
          if (!vocabulary.isRequestScopedMember(name)) {
            checkTypedMember(node, name, task);
            return;
          }
        } else if (!vocabulary.isRequestSessionMember(name)) {
          return;
        }
        if (isHarmlessUse(node, name)) return;
        if (object.type === AST_NODE_TYPES.ThisExpression && isGlobalEntityManager(node, name)) return;
        const info = facts.classify(node);
        if (info.kind === 'request-member' || (info.kind === 'request-value' && object.type !== AST_NODE_TYPES.ThisExpression)) {
          report(node, info.kind === 'request-member' ? 'requestMember' : 'capturedRequestSession', info, {
            task: task.label,
          });
        }
      },
      'VariableDeclarator[init.type="ThisExpression"] > ObjectPattern > Property'(node: TSESTree.Property) {
        const task = currentTask();
        if (!task) return;
        const value = node.value.type === AST_NODE_TYPES.AssignmentPattern ? node.value.left : node.value;
        if (value.type !== AST_NODE_TYPES.Identifier) return;
        const info = facts.classify(value);
        if (info.kind === 'request-member') report(node, 'requestMember', info, { task: task.label });
      },
      'Program:exit'() {
        for (const site of facts.dispatchSites) {
          for (const argument of site.valueArguments) {
            const info = facts.classify(argument);
            if (!isRequestSession(info)) continue;
            const declaredIn = info.declaredIn;
            if (declaredIn && facts.taskOf(declaredIn.body) !== undefined) continue;
            report(argument, 'requestSessionArgument', info, { dispatch: site.calleeName ?? 'background call' });
          }
        }
      },
    };
  },
});

