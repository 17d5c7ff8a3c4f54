/**
 * Where a file runs. Browser code (a file importing React, MobX, Angular, Vue) has no process
 * to shut down, no job status and no server log: the strict rules about a background task's
 * lifecycle (tracking, lifecycle logging, timeouts, status tracking) do not apply to it, while
 * an unhandled rejection or a swallowed error still does.
 */
import { AST_NODE_TYPES, type TSESLint } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../model/settings.js';

const browserBySource = new WeakMap<object, Map<CompiledVocabulary, boolean>>();

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
