/**
 * Every rule is complete: a source file, an export, a doc with the generated header and the
 * sections users look for, a test file, the right config entries, and a docs URL that points
 * at its doc. Adding a rule without one of these fails here, not in a user's editor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { ruleDocExamples } from '../helpers/doc-examples.js';

const root = path.resolve(import.meta.dirname, '../..');
const ruleNames = Object.keys(plugin.rules).sort();
const sourceFiles = fs
  .readdirSync(path.join(root, 'src', 'rules'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

type Meta = { docs?: { url?: string; description?: string; recommended?: string }; hasSuggestions?: boolean; type?: string };
const metaOf = (name: string): Meta => (plugin.rules as Record<string, { meta: Meta }>)[name]!.meta;

describe('the rule inventory', () => {
  it('exports exactly the rules that have a source file in src/rules', () => {
    expect(ruleNames).toEqual(sourceFiles);
  });

  it('has a doc for every rule and no doc without a rule', () => {
    const docs = fs
      .readdirSync(path.join(root, 'rules-docs'))
      .filter((f) => f.endsWith('.md') && f !== 'checklist.md')
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    expect(docs).toEqual(ruleNames);
  });

  it('lists every rule in the README rules table', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const name of ruleNames) expect(readme).toContain(`| [${name}](rules-docs/${name}.md) |`);
  });
});

describe.each(ruleNames)('%s', (name) => {
  const meta = metaOf(name);
  const doc = fs.readFileSync(path.join(root, 'rules-docs', `${name}.md`), 'utf8');

  it('has a test file', () => {
    expect(fs.existsSync(path.join(root, 'tests', 'rules', `${name}.test.ts`))).toBe(true);
  });

  it('is in the configs its meta names (recommended rules everywhere, strict-only rules in strict and all)', () => {
    const id = `background-tasks/${name}`;
    expect(plugin.configs.all.rules).toHaveProperty([id]);
    expect(plugin.configs.strict.rules).toHaveProperty([id]);
    const recommended = meta.docs?.recommended === 'recommended';
    expect(meta.docs?.recommended).toMatch(/^(recommended|strict)$/);
    expect(id in (plugin.configs.recommended.rules ?? {})).toBe(recommended);
  });

  it('points meta.docs.url at its doc and describes itself imperatively', () => {
    expect(meta.docs?.url).toBe(`https://github.com/background-tasks/eslint-plugin-background-tasks/blob/main/rules-docs/${name}.md`);
    expect(meta.docs?.description).toMatch(/^(Disallow|Require|Enforce) /);
  });

  it('has a doc with the generated header and the sections users look for', () => {
    expect(doc).toContain(`<!-- begin auto-generated rule header -->\n# background-tasks/${name}\n`);
    for (const section of ['## Examples', '## Options', '## When Not To Use It', '## Related Rules']) expect(doc).toContain(`\n${section}\n`);
  });

  it('has ❌ and ✅ examples in its doc', () => {
    const examples = ruleDocExamples(root, name);
    expect(examples.filter((e) => e.kind === 'incorrect').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.kind === 'correct').length).toBeGreaterThan(0);
  });
});
