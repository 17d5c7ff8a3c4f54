/** The package's promises: every rule has a doc, a test, an export and a config entry. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const ruleNames = Object.keys(plugin.rules);
const ruleFiles = fs
  .readdirSync(path.join(root, 'src/rules'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

describe('plugin', () => {
  it('names itself after the package', () => {
    expect(plugin.meta).toEqual({ name: packageJson.name, version: packageJson.version, namespace: 'background-tasks' });
  });

  it('exports every rule file, and nothing else', () => {
    expect([...ruleNames].sort()).toEqual([...ruleFiles].sort());
  });

  it.each(ruleNames)('%s has a doc, a test, a docs URL and sound meta', (name) => {
    const rule = plugin.rules[name as keyof typeof plugin.rules]!;
    expect(fs.existsSync(path.join(root, 'rules-docs', `${name}.md`))).toBe(true);
    expect(fs.existsSync(path.join(root, 'tests/rules', `${name}.test.ts`))).toBe(true);
    expect(rule.meta?.docs?.url).toMatch(new RegExp(`rules-docs/${name}\\.md$`));
    expect(rule.meta?.docs?.description).toMatch(/^(Disallow|Require|Enforce)/);
    expect(rule.meta?.schema).toBeDefined();
  });

  it('puts recommended rules in every config and strict rules in strict and all', () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      const id = `background-tasks/${name}`;
      const level = rule.meta?.docs?.recommended;
      expect(id in plugin.configs.all.rules!).toBe(true);
      expect(id in plugin.configs.strict.rules!).toBe(level === 'recommended' || level === 'strict');
      expect(id in plugin.configs.recommended.rules!).toBe(level === 'recommended');
    }
  });

  it.each(['recommended', 'strict', 'all'] as const)('configs.%s is a complete flat config', (name) => {
    const config = plugin.configs[name];
    expect(config.name).toBe(`background-tasks/${name}`);
    expect(config.files).toEqual(['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}']);
    expect(config.languageOptions?.parser).toBeDefined();
    expect(config.plugins?.['background-tasks']).toBe(plugin);
  });
});
