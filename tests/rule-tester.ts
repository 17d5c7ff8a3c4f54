/** A RuleTester with the TypeScript parser, decorators on, and the plugin's settings hook. */
import { RuleTester } from '@typescript-eslint/rule-tester';

/** Creates the tester every rule test uses. */
export function createRuleTester(settings?: Record<string, unknown>): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    },
    ...(settings ? { settings } : {}),
  });
}
