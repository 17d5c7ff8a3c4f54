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

/**
 * The settings the `strict` and `all` configs add: every call may reject, even an imported helper
 * this file does not show (`recommended` does not assume it, issue 13 round 5).
 */
export const ASSUME_UNSEEN_CALLS_REJECT = { 'background-tasks': { assumeUnseenCallsReject: true } };

/** Settings for a project whose processes install no rejection handler (the scan is not asked). */
export const NO_PROCESS_HANDLER = { 'background-tasks': { processRejectionHandler: 'none' } };

/** The options `configs.strict` gives require-background-error-handling (`STRICT_OPTIONS` in src/configs.ts). */
export const STRICT_ERROR_HANDLING_OPTIONS = [
  { checkAllLogLevels: true, checkEmptyCatches: true, checkFallbackCatches: true, checkLogsWithoutError: true, checkRecurringJobs: true, checkSynchronousCatches: true },
] as const;
