/**
 * The per-file facts cache: every rule of a file shares one build, and nothing of a file stays
 * reachable through the cache once ESLint is done with it (a file's AST kept alive through the
 * next file's parse raised the peak memory of whole lint runs).
 */
import { setTimeout as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { getFileFacts, type FileFacts } from '../../src/analysis/facts.js';

const CODE = `
import { Injectable } from '@nestjs/common';
@Injectable()
export class Jobs {
  start(): void {
    setImmediate(async () => {
      await this.repository.save({});
    });
  }
}
`;

/** Lints `code` with probe rules that each ask for the facts and report what they got. */
function lintWithProbes(code: string, ruleCount: number): { facts: FileFacts[]; sourceCode: WeakRef<object> } {
  const facts: FileFacts[] = [];
  let sourceCode: WeakRef<object> | undefined;
  const rules: Record<string, TSESLint.RuleModule<never>> = {};
  for (let i = 0; i < ruleCount; i += 1) {
    rules[`probe${i}`] = {
      meta: { type: 'problem', schema: [], messages: {} },
      defaultOptions: [],
      create(context) {
        sourceCode ??= new WeakRef(context.sourceCode);
        // Half the probes ask at once, half at the end of the file (as rules that wait for a node do).
        if (i % 2 === 0) facts.push(getFileFacts(context));
        return i % 2 === 0 ? {} : { 'Program:exit': () => void facts.push(getFileFacts(context)) };
      },
    };
  }
  new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser },
        plugins: { t: { rules } } as unknown as Linter.Config['plugins'],
        rules: Object.fromEntries(Object.keys(rules).map((name) => [`t/${name}`, 'error'])),
      },
    ],
    'file.ts',
  );
  return { facts, sourceCode: sourceCode! };
}

describe('per-file facts cache', () => {
  it('builds the facts once per file, for all the rules that ask', () => {
    const { facts } = lintWithProbes(CODE, 4);
    expect(facts).toHaveLength(4);
    expect(new Set(facts).size).toBe(1);
    expect(facts[0]!.tasks.length).toBeGreaterThan(0);
  });

  it('builds new facts for the next file', () => {
    const first = lintWithProbes(CODE, 2).facts[0];
    const second = lintWithProbes(CODE, 2).facts[0];
    expect(second).not.toBe(first);
    expect(second!.tasks.map((t) => t.label)).toEqual(first!.tasks.map((t) => t.label));
  });

  it('keeps nothing of a file reachable once its lint is over', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const { sourceCode } = lintWithProbes(CODE, 2);
    // The cache lets go in a microtask after the lint, and this test's own WeakRef keeps its target
    // until the job ends: let it end, then collect.
    await tick(0);
    gc();
    expect(sourceCode.deref()).toBeUndefined();
  });
});
