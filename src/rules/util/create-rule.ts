import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import { RELEASE_TREE_URL } from '../../package-info.js';

/** Where each rule's documentation lives (`meta.docs.url`), pinned to this release's tag. */
export const DOCS_BASE_URL = `${RELEASE_TREE_URL}rules-docs/`;

/** Extra `meta.docs` fields of our rules. */
export interface BackgroundTasksDocs {
  /** The configs that enable the rule (`recommended` implies `strict` and `all`). */
  recommended: 'recommended' | 'strict';
  /** Whether the rule asks for type information when it is there (never required). */
  usesTypeInformation?: boolean;
}

const withDocsUrl = ESLintUtils.RuleCreator<BackgroundTasksDocs>((name) => `${DOCS_BASE_URL}${name}.md`);

/**
 * `createRule({ name, meta, defaultOptions, create })` with the docs URL filled in: typescript-eslint's
 * `RuleCreator`, except that the options reach `create` through {@link withDefaults}. `RuleCreator`
 * deep-clones the defaults with `structuredClone` for every rule on every file, which cost about as
 * much as our background detection (CPU profile of a lint of 1,500 real files); the defaults are
 * frozen here instead, so no rule can change them.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, BackgroundTasksDocs>>,
): ReturnType<typeof withDocsUrl<Options, MessageIds>> {
  const created = withDocsUrl(rule);
  const defaults: Options = deepFreeze(created.meta.defaultOptions ?? rule.defaultOptions ?? ([] as unknown as Options));
  // ESLint hands every file of a config the same options array: merge once per array, not per file.
  const merged = new WeakMap<readonly unknown[], Options>();
  const optionsFor = (given: readonly unknown[]): Options => {
    let options = merged.get(given);
    if (!options) merged.set(given, (options = withDefaults(defaults, given)));
    return options;
  };
  return {
    ...created,
    create: (context: Readonly<TSESLint.RuleContext<MessageIds, Options>>) => rule.create(context, context.options ? optionsFor(context.options) : defaults),
  };
}

/**
 * The rule's options with the defaults under them, as typescript-eslint's `applyDefault` merges
 * them (objects merge key by key, recursively; anything else given replaces the default), without
 * copying what the user did not set.
 */
export function withDefaults<Options extends readonly unknown[]>(defaults: Options, given: readonly unknown[] | undefined): Options {
  if (!given || given.length === 0) return defaults;
  return defaults.map((fallback, i) => {
    const value = given[i];
    if (value === undefined) return fallback;
    return isPlainObject(fallback) && isPlainObject(value) ? mergeObjects(fallback, value) : value;
  }) as unknown as Options;
}

function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const key of Object.keys(over)) {
    const below = base[key];
    const value = over[key];
    merged[key] = isPlainObject(below) && isPlainObject(value) ? mergeObjects(below, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
