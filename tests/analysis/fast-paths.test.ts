/**
 * The shortcuts taken for speed give the answers the long way gives: the traversal ESLint
 * computed vs a walk of our own, the remembered matcher answers, the reference index, the
 * session-scope text gate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { collectFromTraversal, walkOnce } from '../../src/analysis/facts.js';
import { mayOpenSessionByName } from '../../src/analysis/sessions/scopes.js';
import { ReferenceIndex } from '../../src/analysis/references.js';
import { MAX_REMEMBERED_NAMES, nameMatcher } from '../../src/model/names.js';
import { compileVocabulary, mergeSettings } from '../../src/model/settings.js';
import { DEFAULT_VOCABULARY } from '../../src/model/vocabulary.js';
import plugin from '../../src/index.js';
import { analyse } from './facts-helper.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/lint');

/** The SourceCode ESLint hands to rules for `code` (the steps of its traversal already computed). */
const sourceCodeOf = (code: string): Readonly<TSESLint.SourceCode> => analyse(code).facts.sourceCode;

describe('facts from ESLint\'s traversal', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'));

  it.each(files)('collects the same functions, calls and statements as a walk of our own (%s)', (file) => {
    const sourceCode = sourceCodeOf(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
    const fromTraversal = collectFromTraversal(sourceCode);
    expect(fromTraversal).toBeDefined();
    const walked = walkOnce(sourceCode);
    expect(fromTraversal!.functions).toEqual(walked.functions);
    expect(fromTraversal!.calls).toEqual(walked.calls);
    expect(fromTraversal!.statements).toEqual(walked.statements);
    // Not vacuous: the fixtures hold background code.
    expect(walked.functions.length + walked.calls.length).toBeGreaterThan(0);
  });

  it('keeps a parameter decorator call, which a walk that skipped identifiers would lose', () => {
    const sourceCode = sourceCodeOf(`class A { constructor(@Inject(TOKEN) private readonly x: X) {} }`);
    const names = (r: { calls: readonly TSESTree.Node[] }) =>
      r.calls.map((c) => (c.type === AST_NODE_TYPES.CallExpression && c.callee.type === AST_NODE_TYPES.Identifier ? c.callee.name : '?'));
    expect(names(collectFromTraversal(sourceCode)!)).toEqual(['Inject']);
    expect(names(walkOnce(sourceCode))).toEqual(['Inject']);
  });

  it('falls back to the walk when the SourceCode has no traverse()', () => {
    const sourceCode = sourceCodeOf(`setImmediate(async () => { await work(); });`);
    const withoutTraverse = Object.create(sourceCode, { traverse: { value: undefined } }) as Readonly<TSESLint.SourceCode>;
    expect(collectFromTraversal(withoutTraverse)).toBeUndefined();
  });
});

describe('remembered matcher answers', () => {
  it('answers a glob the same the first and the hundredth time, and exact names without globs', () => {
    const matcher = nameMatcher(['*Logger', 'logger']);
    for (let i = 0; i < 100; i += 1) {
      expect(matcher('AuditLogger')).toBe(true);
      expect(matcher('logger')).toBe(true);
      expect(matcher('LoggerFactory')).toBe(false);
      expect(matcher(undefined)).toBe(false);
    }
  });

  it('stays right past the bound on remembered names', () => {
    const matcher = nameMatcher(['*Queue']);
    for (let i = 0; i < MAX_REMEMBERED_NAMES + 10; i += 1) expect(matcher(`name${i}`)).toBe(false);
    expect(matcher('emailqueue')).toBe(false);
    expect(matcher('emailQueue')).toBe(true);
  });

  it('remembers background names and status phases without changing them', () => {
    const vocabulary = compileVocabulary(DEFAULT_VOCABULARY);
    for (let i = 0; i < 3; i += 1) {
      expect(vocabulary.isBackgroundName('reindexInBackground')).toBe(true);
      expect(vocabulary.isBackgroundName('backgroundColor')).toBe(false);
      expect(vocabulary.statusPhase('IN_PROGRESS')).toBe('in-progress');
      expect(vocabulary.statusPhase('paid')).toBeUndefined();
    }
  });
});

describe('ReferenceIndex', () => {
  it('resolves a reference through the scope manager and a declaration by lookup', () => {
    const file = analyse(`const runner = ds.createQueryRunner();\nrunner.release();\nconst o = { runner: 1 };`);
    const index = new ReferenceIndex(file.facts.sourceCode);
    const declared = file.node(AST_NODE_TYPES.Identifier, 'runner') as TSESTree.Identifier;
    const read = (file.node(AST_NODE_TYPES.MemberExpression, 'runner.release') as TSESTree.MemberExpression).object as TSESTree.Identifier;
    const key = file.node(AST_NODE_TYPES.Identifier, 'runner', 'last') as TSESTree.Identifier;
    expect(index.isReference(declared)).toBe(true); // the initialising write
    expect(index.isReference(read)).toBe(true);
    expect(index.isReference(key)).toBe(false); // a property key
    expect(index.variableOf(read)?.name).toBe('runner');
    expect(index.variableOf(read)).toBe(index.variableOf(declared));
    expect(index.variableOf(key)?.name).toBe('runner'); // by name lookup, as before the index
  });
});

describe('require-session-scope text gate', () => {
  const vocabulary = compileVocabulary(DEFAULT_VOCABULARY);

  it('lets through only files that name an opener or scope', () => {
    expect(mayOpenSessionByName(vocabulary, 'export const x = 1;')).toBe(false);
    expect(mayOpenSessionByName(vocabulary, 'const r = this.ds.createQueryRunner();')).toBe(true);
    expect(mayOpenSessionByName(vocabulary, 'await prisma.$transaction(async (tx) => {});')).toBe(true);
  });

  it('never gates when a name is a glob', () => {
    const globbed = compileVocabulary(mergeSettings({ sessionScopes: ['with*Session'] }));
    expect(mayOpenSessionByName(globbed, 'export const x = 1;')).toBe(true);
  });

  it('still reports an opener named only in settings', () => {
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(
      `export async function run(pool: Pool) {\n  const conn = await pool.lease();\n  await conn.query('select 1');\n}\n`,
      [
        {
          files: ['**/*.ts'],
          plugins: { 'background-tasks': plugin } as unknown as Linter.Config['plugins'],
          languageOptions: { parser: tsParser as Linter.Parser },
          settings: { 'background-tasks': { releasedSessions: [{ open: 'lease', on: '*pool', release: ['giveBack'] }] } },
          rules: { 'background-tasks/require-session-scope': 'error' },
        },
      ],
      'file.ts',
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line])).toEqual([['background-tasks/require-session-scope', 'unreleasedSession', 2]]);
  });
});
