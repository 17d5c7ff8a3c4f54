/** Temporary repositories for tests that need a project on disk (package.json files, other packages). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Linter, type Rule } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';

/**
 * A maker of temporary repositories (relative path -> text; a package.json named `app` unless given),
 * all removed after the test file.
 */
export function temporaryRepositories(prefix: string): (files: Record<string, string>) => string {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });
  return (files) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    roots.push(root);
    for (const [relative, text] of Object.entries({ 'package.json': '{"name":"app","private":true}', ...files })) {
      const file = path.join(root, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    return root;
  };
}

/** A timer's async callback whose await is not caught: reported unless the project's processes hear its rejection. */
export const HEARTBEAT = `
export function start(store: Store) {
  return setInterval(async () => {
    await store.touch();
  }, 1000);
}`;

/**
 * The message ids (or messages) one rule reports on `code` linted as `relative` inside `root`, as
 * `npx eslint .` run there would: rules that read the project (its package.json files, start scripts,
 * rejection handlers) see it from there.
 */
export function reportsInRepository(rule: Rule.RuleModule, root: string, relative: string, code: string): string[] {
  return lintInRepository(rule, root, relative, code).map((m) => m.messageId ?? m.message);
}

/** As {@link reportsInRepository}, each report as `messageId@line`. */
export function reportedLinesInRepository(rule: Rule.RuleModule, root: string, relative: string, code: string): string[] {
  return lintInRepository(rule, root, relative, code).map((m) => `${m.messageId ?? m.message}@${m.line}`);
}

function lintInRepository(rule: Rule.RuleModule, root: string, relative: string, code: string): Linter.LintMessage[] {
  const linter = new Linter({ cwd: root });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.{ts,js}'],
        languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
        plugins: { bt: { rules: { rule } } },
        rules: { 'bt/rule': 'error' },
      },
    ],
    { filename: path.join(root, relative) },
  );
}
