/** The exported configs: rule sets, strict options, and the type-checked variant end to end. */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../dist/index.js';
import { TYPED_FIXTURE_DIR } from './typed-rule-tester.js';

const FLOATING = 'background-tasks/no-floating-background-task';

describe('configs', () => {
  it('puts no-floating-background-task in recommended and require-background-timeout in strict only', () => {
    expect(plugin.configs.recommended.rules).toHaveProperty([FLOATING], 'error');
    expect(plugin.configs.recommended.rules).not.toHaveProperty(['background-tasks/require-background-timeout']);
    expect(plugin.configs.strict.rules).toHaveProperty(['background-tasks/require-background-timeout'], 'error');
  });

  it('turns requireTracking on in strict only', () => {
    expect(plugin.configs.strict.rules?.[FLOATING]).toEqual(['error', { requireTracking: true }]);
    expect(plugin.configs.all.rules?.[FLOATING]).toEqual(['error', { requireTracking: true }]);
  });

  it('recommended-type-checked is recommended with parserOptions.projectService', () => {
    const typed = plugin.configs['recommended-type-checked'];
    expect(typed.rules).toEqual(plugin.configs.recommended.rules);
    expect(typed.files).toEqual(plugin.configs.recommended.files);
    expect(typed.languageOptions?.parserOptions).toEqual({ projectService: true });
    expect(typed.name).toBe('background-tasks/recommended-type-checked');
  });

  async function lintConsumer(config: Linter.Config) {
    const eslint = new ESLint({ cwd: TYPED_FIXTURE_DIR, overrideConfigFile: true, overrideConfig: [config] });
    const [result] = await eslint.lintFiles([path.join(TYPED_FIXTURE_DIR, 'consumer.ts')]);
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
    return result!.messages.filter((m) => m.ruleId === FLOATING).map((m) => m.line);
  }

  it('recommended (syntactic) cannot see that an imported function returns a promise', async () => {
    expect(await lintConsumer(plugin.configs.recommended as Linter.Config)).toEqual([]);
  });

  it('recommended-type-checked reports the imported async call, not the one that catches everything', async () => {
    expect(await lintConsumer(plugin.configs['recommended-type-checked'] as Linter.Config)).toEqual([6]);
  });
});
