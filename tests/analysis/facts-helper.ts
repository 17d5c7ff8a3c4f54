/** Runs the analysis core on a snippet through ESLint's Linter, as rules see it. */
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getFileFacts, type FileFacts } from '../../src/analysis/facts.js';

/** The facts of a snippet, plus a lookup of nodes by their source text. */
export interface AnalysedFile {
  readonly facts: FileFacts;
  /** The first node of a type whose text is exactly `text` (`last`: the last such node). */
  readonly node: (type: string, text: string, last?: 'last') => TSESTree.Node;
  /** Labels of the task roots, in source order. */
  readonly taskLabels: () => string[];
}

/** Lints `code` with a capturing rule and returns the facts the core computed. */
export function analyse(code: string, settings?: Record<string, unknown>): AnalysedFile {
  let captured: FileFacts | undefined;
  const nodes: TSESTree.Node[] = [];
  const capture: TSESLint.RuleModule<never> = {
    meta: { type: 'problem', schema: [], messages: {} },
    defaultOptions: [],
    create(context) {
      captured = getFileFacts(context);
      return {
        '*'(node: TSESTree.Node) {
          nodes.push(node);
        },
      };
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser },
        plugins: { t: { rules: { capture } } } as unknown as Linter.Config['plugins'],
        rules: { 't/capture': 'error' },
        ...(settings ? { settings: { 'background-tasks': settings } } : {}),
      },
    ],
    'file.ts',
  );
  const fatal = messages.find((m) => m.fatal || !m.ruleId);
  if (fatal) throw new Error(fatal.message);
  const facts = captured!;
  return {
    facts,
    node(type, text, last) {
      const matches = (n: TSESTree.Node) => n.type === type && facts.sourceCode.getText(n) === text;
      const found = last ? nodes.findLast(matches) : nodes.find(matches);
      if (!found) throw new Error(`no ${type} with text ${text}`);
      return found;
    },
    taskLabels: () => facts.tasks.map((t) => t.label),
  };
}
