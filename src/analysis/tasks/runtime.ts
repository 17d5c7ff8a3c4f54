/**
 * Where a file runs. Browser code (a file importing React, MobX, Angular, Vue) and test code (a
 * file importing a test runner) have no server process to shut down, no job status and no
 * production log: the strict rules about a background task's lifecycle (tracking, lifecycle
 * logging, timeouts, status tracking) do not apply to them, while an unhandled rejection or a
 * swallowed error still does.
 */
import { AST_NODE_TYPES, type TSESLint } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';

const browserBySource = new WeakMap<object, Map<CompiledVocabulary, boolean>>();

/** Whether a file is browser or test code, outside a server task's lifecycle (see above). */
export function isOutsideServerLifecycle(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): boolean {
  return isBrowserFile(sourceCode, vocabulary) || isTestFile(sourceCode, vocabulary);
}

/** Whether a file imports a test runner (`vitest`, `node:test`, `@jest/globals`, `mocha`). */
export function isTestFile(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): boolean {
  return sourceCode.ast.body.some(
    (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && vocabulary.isTestRunnerModule(statement.source.value),
  );
}

/** Whether a file imports a browser UI module (`react`, `mobx`, `@angular/core`, or a subpath of one). */
export function isBrowserFile(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): boolean {
  let byVocabulary = browserBySource.get(sourceCode);
  if (!byVocabulary) {
    byVocabulary = new Map();
    browserBySource.set(sourceCode, byVocabulary);
  }
  let browser = byVocabulary.get(vocabulary);
  if (browser === undefined) {
    browser = sourceCode.ast.body.some(
      (statement) =>
        statement.type === AST_NODE_TYPES.ImportDeclaration &&
        statement.importKind !== 'type' &&
        isBrowserModule(vocabulary, statement.source.value),
    );
    byVocabulary.set(vocabulary, browser);
  }
  return browser;
}

function isBrowserModule(vocabulary: CompiledVocabulary, source: string): boolean {
  if (vocabulary.isBrowserModule(source)) return true;
  const slash = source.startsWith('@') ? source.indexOf('/', source.indexOf('/') + 1) : source.indexOf('/');
  return slash > 0 && vocabulary.isBrowserModule(source.slice(0, slash));
}
