/** The flat configs: `recommended`, `strict`, `all`, each complete with its parser. */
import type { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { rules } from './rules/index.js';

export const PLUGIN_NAME = 'background-tasks';

/** Files every config applies to. */
export const LINTED_FILES = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}'];

/**
 * Files the type-checked config applies to. JavaScript files (`eslint.config.js` first of all)
 * are usually in no tsconfig, and the project service would make each one a parsing error.
 */
export const TYPED_FILES = ['**/*.{ts,tsx,mts,cts}'];

/**
 * Settings the strict config adds: every call may reject, even an imported helper this file does
 * not show (`recommended` claims a rejection only where the code shows one can happen, issue 13).
 */
const STRICT_SETTINGS = { assumeUnseenCallsReject: true };

/** Options the strict config sets on rules that have strict-only options. */
const STRICT_OPTIONS: Record<string, unknown[]> = {
  'no-floating-background-task': [{ requireTracking: true }],
  'require-status-updates': [{ requireErrorDetail: true, requireStatusTracking: true }],
  'require-session-scope': [{ requireTransactionStartInTry: true, checkTransactionUse: true, reportStoredSessions: true }],
  'require-background-error-handling': [
    { checkAllLogLevels: true, checkEmptyCatches: true, checkFallbackCatches: true, checkLogsWithoutError: true, checkRecurringJobs: true, checkSynchronousCatches: true },
  ],
  'no-dispatch-in-transaction': [{ requireDispatchAfterCommit: true }],
  'no-stale-session-in-catch': [{ checkAllDatabases: true }],
  'require-lifecycle-logging': [{ checkScheduledJobs: true }],
};

type ConfigName = 'recommended' | 'strict' | 'all';

/** Every config the plugin exports: the three rule sets, `recommended` with type information, and its off switch. */
export type PluginConfigName = ConfigName | 'recommended-type-checked' | 'disable-type-checked';

/** Rule entries of a config, from each rule's `meta.docs.recommended`. */
function ruleEntries(config: ConfigName): Linter.RulesRecord {
  const entries: Linter.RulesRecord = {};
  for (const [name, rule] of Object.entries(rules)) {
    const level = rule.meta.docs?.recommended;
    const included = config === 'all' || level === 'recommended' || (config === 'strict' && level === 'strict');
    if (!included) continue;
    // `all` is every rule at its defaults, as ESLint's and typescript-eslint's `all`; `strict` adds the strict options.
    const strictOptions = config === 'strict' ? STRICT_OPTIONS[name] : undefined;
    entries[`${PLUGIN_NAME}/${name}`] = strictOptions ? ['error', ...strictOptions] : 'error';
  }
  return entries;
}

/** Builds the configs around the plugin object (which they reference). */
export function buildConfigs(plugin: NonNullable<Linter.Config['plugins']>[string]): Record<PluginConfigName, Linter.Config> {
  const make = (config: ConfigName): Linter.Config => ({
    name: `${PLUGIN_NAME}/${config}`,
    files: LINTED_FILES,
    languageOptions: {
      parser: tsParser as Linter.Parser,
      sourceType: 'module',
    },
    plugins: { [PLUGIN_NAME]: plugin },
    rules: ruleEntries(config),
    ...(config === 'strict' ? { settings: { [PLUGIN_NAME]: STRICT_SETTINGS } } : {}),
  });
  const recommended = make('recommended');
  // Type-aware mode: rules that use type information get a program from the nearest tsconfig.
  const recommendedTypeChecked: Linter.Config = {
    ...recommended,
    name: `${PLUGIN_NAME}/recommended-type-checked`,
    files: TYPED_FILES,
    languageOptions: { ...recommended.languageOptions, parserOptions: { projectService: true } },
  };
  // As typescript-eslint's `disableTypeChecked`: no program for the files it is given. Our rules
  // never require type information, so every rule stays on.
  const disableTypeChecked: Linter.Config = {
    name: `${PLUGIN_NAME}/disable-type-checked`,
    languageOptions: { parserOptions: { project: false, projectService: false, program: null } },
  };
  return {
    recommended,
    strict: make('strict'),
    all: make('all'),
    'recommended-type-checked': recommendedTypeChecked,
    'disable-type-checked': disableTypeChecked,
  };
}

export { STRICT_OPTIONS };
