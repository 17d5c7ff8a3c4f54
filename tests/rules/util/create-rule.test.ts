/**
 * Our `createRule` hands `create` the options typescript-eslint's `RuleCreator` would, without
 * its per-file `structuredClone` of the defaults.
 */
import { ESLintUtils } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import plugin from '../../../src/index.js';
import { createRule, withDefaults } from '../../../src/rules/util/create-rule.js';

const DEFAULTS = [{ flag: false, names: ['a'], nested: { deep: 1, keep: 'x' } }, 'mode'] as const;

/** Given options and what `applyDefault` makes of them. */
const CASES: readonly (readonly unknown[] | undefined)[] = [
  undefined,
  [],
  [{}],
  [{ flag: true }],
  [{ names: ['b', 'c'] }],
  [{ nested: { deep: 2 } }],
  [{ nested: 'replaced' }],
  [{ extra: 1 }, 'other'],
  [undefined, 'other'],
  ['not an object'],
  [{ flag: undefined }],
];

describe('withDefaults', () => {
  it.each(CASES.map((given) => [JSON.stringify(given) ?? 'undefined', given] as const))('merges %s as applyDefault does', (_, given) => {
    expect(withDefaults(DEFAULTS, given)).toEqual(ESLintUtils.applyDefault(DEFAULTS, given ?? null));
  });

  it('changes neither the defaults nor the given options', () => {
    const defaults = structuredClone(DEFAULTS);
    const given = [{ nested: { deep: 2 } }];
    const before = structuredClone(given);
    withDefaults(defaults, given);
    expect(defaults).toEqual(DEFAULTS);
    expect(given).toEqual(before);
  });
});

describe('createRule', () => {
  it('passes the merged options to create and freezes the defaults', () => {
    const seen: unknown[] = [];
    const rule = createRule<[{ flag?: boolean; names?: string[] }], 'm'>({
      name: 'probe',
      meta: {
        type: 'problem',
        docs: { description: 'probe', recommended: 'recommended' },
        messages: { m: 'm' },
        schema: [],
        defaultOptions: [{ flag: false, names: ['a'] }],
      },
      defaultOptions: [{ flag: false, names: ['a'] }],
      create(_context, [options]) {
        seen.push(options);
        return {};
      },
    });
    const context = (options: unknown[]) => ({ options }) as unknown as Parameters<typeof rule.create>[0];
    rule.create(context([]));
    rule.create(context([{ flag: true }]));
    expect(seen).toEqual([{ flag: false, names: ['a'] }, { flag: true, names: ['a'] }]);
    expect(Object.isFrozen(rule.meta.defaultOptions![0]!.names)).toBe(true);
    expect(rule.meta.docs?.url).toMatch(/rules-docs\/probe\.md$/);
  });

  it('makes every rule of the plugin that has options (their defaults are frozen)', () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      const defaults = rule.meta?.defaultOptions;
      if (defaults) expect(Object.isFrozen(defaults[0]), name).toBe(true);
    }
  });
});
