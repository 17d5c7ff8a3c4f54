import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getFileFacts, type FileFacts } from '../analysis/facts.js';
import { isWithin } from '../analysis/ast.js';
import { isOutsideServerLifecycle } from '../analysis/tasks/runtime.js';
import {
  commitDependentCall,
  mayOpenTransaction,
  openTransactionAround,
  canRollBackAfter,
  passesTransaction,
  type CommitDependentCall,
  type OpenTransaction,
} from '../analysis/sessions/transactions.js';
import { getTypeFacts, type TypeFacts } from '../analysis/types.js';
import { extendVocabulary, vocabularyFromSettings } from '../model/settings.js';
import { createRule } from './util/create-rule.js';

export type Options = [
  {
    commitDependentCalls?: string[];
    afterCommitHooks?: string[];
    afterCommitPublishers?: string[];
    requireDispatchAfterCommit?: boolean;
  },
];
export type MessageIds = 'dispatchInTransaction' | 'moveAfterTransaction' | 'useAfterCommit';

const WHAT: Readonly<Record<CommitDependentCall['what'], string>> = {
  job: 'enqueues a job',
  message: 'publishes a message',
  mail: 'sends mail',
  webhook: 'sends a webhook',
  request: 'sends an HTTP request',
};

export default createRule<Options, MessageIds>({
  name: 'no-dispatch-in-transaction',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow enqueueing jobs, publishing events, sending mail or webhooks inside an open database transaction',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      dispatchInTransaction:
        '`{{call}}` {{what}} inside the open transaction of `{{transaction}}` (line {{line}}). Do it after the commit: {{fix}}.',
      moveAfterTransaction: 'Move `{{call}}` after the `{{transaction}}` call.',
      useAfterCommit: 'Run `{{call}}` in `{{session}}.afterCommit(...)`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          commitDependentCalls: {
            type: 'array',
            items: { type: 'string' },
            description: 'More calls that dispatch work to other processes (`*jobs.enqueue`, `notify`), added to the defaults.',
          },
          afterCommitHooks: {
            type: 'array',
            items: { type: 'string' },
            description: 'More methods whose callback runs after the commit (`onCommitted`), added to the defaults.',
          },
          afterCommitPublishers: {
            type: 'array',
            items: { type: 'string' },
            description: 'Publishers that deliver only after the caller\'s transaction commits (`eventBus.publish`), added to the defaults.',
          },
          requireDispatchAfterCommit: {
            type: 'boolean',
            description:
              'Also report a dispatch that is the transaction\'s last step, which a worker can still pick up before the commit (strict). By default only a dispatch that later work in the transaction can roll back is reported.',
          },
        },
      },
    ],
    defaultOptions: [{ commitDependentCalls: [], afterCommitHooks: [], afterCommitPublishers: [], requireDispatchAfterCommit: false }],
  },
  defaultOptions: [{ commitDependentCalls: [], afterCommitHooks: [], afterCommitPublishers: [], requireDispatchAfterCommit: false }],
  create(context, [options]) {
    const vocabulary = extendVocabulary(vocabularyFromSettings(context.settings), {
      commitDependentCalls: options.commitDependentCalls ?? [],
      afterCommitHooks: options.afterCommitHooks ?? [],
      afterCommitPublishers: options.afterCommitPublishers ?? [],
    });
    const sourceCode = context.sourceCode;
    // No transaction in the text, nothing open: most files stop here.
    if (!mayOpenTransaction(vocabulary, sourceCode.text)) return {};
    // Browser code opens no database transaction; a test's transaction rolls back on purpose.
    if (isOutsideServerLifecycle(sourceCode, vocabulary, context.filename, context.cwd)) return {};
    let facts: FileFacts | undefined;
    let types: TypeFacts | null | undefined;

    return {
      CallExpression(node) {
        facts ??= getFileFacts(context, vocabulary);
        const dispatch = commitDependentCall(facts, node);
        if (!dispatch) return;
        // Type-aware: the publisher's class waits for the caller's commit itself (Vendure's EventBus
        // awaits `transactionSubscriber.awaitCommit(...)` before its subscribers run).
        types ??= getTypeFacts(context, vocabulary) ?? null;
        if (types && types.calleeClassCalls(node, vocabulary.isCommitWaitMethod)) return;
        const open = openTransactionAround(facts, node);
        if (!open || passesTransaction(node, open.session)) return;
        // The last step before the commit is lost only if the commit fails (issue 13): strict asks for it.
        if (!options.requireDispatchAfterCommit && !canRollBackAfter(facts, open, node)) return;
        const call = dispatch.name;
        const transaction = open.via ? `${open.label}\` through \`${describeVia(open.via)}` : open.label;
        context.report({
          node,
          messageId: 'dispatchInTransaction',
          data: {
            call,
            what: WHAT[dispatch.what],
            transaction,
            line: String(open.start.loc.start.line),
            fix: fixHint(open),
          },
          suggest: suggestions(node, open, call),
        });
      },
    };

    function suggestions(
      node: TSESTree.CallExpression,
      open: OpenTransaction,
      call: string,
    ): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const result: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      const statement = ownStatement(node);
      // In a helper the transaction calls, the session has another name and the callback is elsewhere.
      if (!statement || open.via) return result;
      const session = open.session?.name;
      if (open.hasAfterCommit && session) {
        const text = sourceCode.getText(node);
        result.push({
          messageId: 'useAfterCommit',
          data: { call, session },
          fix: (fixer) => fixer.replaceText(statement, `${session}.afterCommit(() => ${text});`),
        });
      }
      const move = moveAfterTransaction(statement, open);
      if (move) result.push({ messageId: 'moveAfterTransaction', data: { call, transaction: open.label }, fix: move });
      return result;
    }

    /**
     * The transaction callback's own statement moved after the statement that awaits the
     * transaction, when nothing in it comes from inside the callback.
     */
    function moveAfterTransaction(
      statement: TSESTree.ExpressionStatement,
      open: OpenTransaction,
    ): TSESLint.ReportFixFunction | undefined {
      const callback = open.callback;
      if (open.kind !== 'callback' || !callback || !open.scopeCall) return undefined;
      if (callback.body.type !== AST_NODE_TYPES.BlockStatement || statement.parent !== callback.body) return undefined;
      const outer = awaitedStatement(open.scopeCall);
      if (!outer) return undefined;
      // Every name the statement reads must be declared outside the callback.
      const scope = sourceCode.getScope(statement);
      const reads = collectReads(statement, scope);
      if (reads.some((variable) => variable.defs.some((d) => isWithin(d.name, callback)))) return undefined;
      if (/\bthis\b/.test(sourceCode.getText(statement)) && callback.type !== AST_NODE_TYPES.ArrowFunctionExpression) return undefined;
      const text = sourceCode.getText(statement);
      const indent = ' '.repeat(outer.loc.start.column);
      const before = sourceCode.getTokenBefore(statement, { includeComments: true });
      return (fixer) => [
        fixer.removeRange([before ? before.range[1] : statement.range[0], statement.range[1]]),
        fixer.insertTextAfter(outer, `\n${indent}${text}`),
      ];
    }
  },
});

/** `this.notify()`: the helper call that carries the transaction's session. */
function describeVia(call: TSESTree.CallExpression): string {
  const callee = call.callee;
  if (callee.type === AST_NODE_TYPES.Identifier) return `${callee.name}()`;
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier) {
    return `${callee.object.type === AST_NODE_TYPES.ThisExpression ? 'this.' : ''}${callee.property.name}()`;
  }
  return 'a helper';
}

/** How to do it after the commit, for this kind of transaction. */
function fixHint(open: OpenTransaction): string {
  if (open.hasAfterCommit && open.session) return `\`${open.session.name}.afterCommit(() => ...)\`, or an outbox row written in the transaction`;
  switch (open.kind) {
    case 'callback':
      return 'after the callback returns, or an outbox row written in the transaction';
    case 'manual':
      return 'after the commit, outside the `try` that rolls back, or an outbox row written in the transaction';
    case 'hook':
      return 'an after-commit hook, or an outbox row written in the transaction';
    case 'decorated':
      return 'in the caller after the method returns, `runOnTransactionCommit(...)`, or an outbox row';
  }
}

/** The expression statement a call is (`queue.add(x);`, `await queue.add(x);`). */
function ownStatement(node: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  let current: TSESTree.Node = node;
  while (current.parent?.type === AST_NODE_TYPES.AwaitExpression || current.parent?.type === AST_NODE_TYPES.ChainExpression) current = current.parent;
  return current.parent?.type === AST_NODE_TYPES.ExpressionStatement ? current.parent : undefined;
}

/** `await prisma.$transaction(...);` as a statement of its own. */
function awaitedStatement(call: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  const parent = call.parent;
  if (parent?.type !== AST_NODE_TYPES.AwaitExpression) return undefined;
  return parent.parent?.type === AST_NODE_TYPES.ExpressionStatement ? parent.parent : undefined;
}

/** The variables a statement reads (through the scope manager's references). */
function collectReads(statement: TSESTree.Node, scope: TSESLint.Scope.Scope): TSESLint.Scope.Variable[] {
  const variables: TSESLint.Scope.Variable[] = [];
  const visit = (s: TSESLint.Scope.Scope): void => {
    for (const reference of s.references) {
      if (reference.resolved && isWithin(reference.identifier, statement)) variables.push(reference.resolved);
    }
    for (const child of s.childScopes) if (isWithin(child.block, statement)) visit(child);
  };
  visit(scope);
  return variables;
}
