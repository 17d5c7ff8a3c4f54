import { ESLintUtils } from '@typescript-eslint/utils';

/** Where each rule's documentation lives (`meta.docs.url`). */
export const DOCS_BASE_URL = 'https://github.com/background-tasks/eslint-plugin-background-tasks/blob/main/rules-docs/';

/** Extra `meta.docs` fields of our rules. */
export interface BackgroundTasksDocs {
  /** The configs that enable the rule (`recommended` implies `strict` and `all`). */
  recommended: 'recommended' | 'strict';
  /** Whether the rule asks for type information when it is there (never required). */
  usesTypeInformation?: boolean;
}

/** `createRule({ name, meta, defaultOptions, create })` with the docs URL filled in. */
export const createRule = ESLintUtils.RuleCreator<BackgroundTasksDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
