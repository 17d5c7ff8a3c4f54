/** A RuleTester in type-aware mode: the parser gets a program from tests/fixtures/typed. */
import path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';

/** The directory of the typed fixture project (tsconfig.json, file.ts, tasks.ts, orm.d.ts). */
export const TYPED_FIXTURE_DIR = path.resolve(import.meta.dirname, 'fixtures/typed');

/** Creates a tester whose parser runs with `projectService`, as `configs['recommended-type-checked']` does. */
export function createTypedRuleTester(settings?: Record<string, unknown>): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        ecmaVersion: 'latest',
        sourceType: 'module',
        projectService: true,
        tsconfigRootDir: TYPED_FIXTURE_DIR,
      },
    },
    ...(settings ? { settings } : {}),
  });
}
