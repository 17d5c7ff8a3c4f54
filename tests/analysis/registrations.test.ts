/**
 * The registration index is built once per TypeScript program, lazily, and only in type-aware
 * mode: linting every file of the typed fixture project builds it once; untyped linting never.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { registrationIndexStats } from '../../src/analysis/tasks/registrations.js';
import { TYPED_FIXTURE_DIR } from '../typed-rule-tester.js';

const FILES = ['file.ts', 'tasks.ts', 'consumer.ts', 'sessions.ts', 'statuses.ts', 'base-task.ts', 'registrations.ts'];

function eslint(typed: boolean): ESLint {
  return new ESLint({
    cwd: TYPED_FIXTURE_DIR,
    overrideConfigFile: true,
    overrideConfig: [
      {
        ...plugin.configs.recommended,
        files: ['**/*.ts'],
        languageOptions: {
          ...plugin.configs.recommended.languageOptions,
          parserOptions: typed ? { projectService: true, tsconfigRootDir: TYPED_FIXTURE_DIR } : {},
        },
      },
    ],
  });
}

describe('registration index', () => {
  it('is built once for a type-aware run over a whole project', async () => {
    const before = registrationIndexStats.builds;
    await eslint(true).lintFiles(FILES.map((f) => path.join(TYPED_FIXTURE_DIR, f)));
    expect(registrationIndexStats.builds - before).toBe(1);
  });

  it('is never built without type information', async () => {
    const before = registrationIndexStats.builds;
    await eslint(false).lintFiles(FILES.map((f) => path.join(TYPED_FIXTURE_DIR, f)));
    expect(registrationIndexStats.builds - before).toBe(0);
  });
});
