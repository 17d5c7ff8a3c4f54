/**
 * Every rule's doc is complete: one doc per rule and none without a rule, the generated header,
 * the sections users look for, ❌ and ✅ examples (tests/meta/doc-examples.test.ts lints them),
 * a row in the README table, and a docs URL to it. (The rule's test file, export and config
 * entries are tests/meta/plugin.test.ts's.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { ruleDocExamples } from '../helpers/doc-examples.js';

const root = path.resolve(import.meta.dirname, '../..');
const ruleNames = Object.keys(plugin.rules).sort();

type Meta = { docs?: { url?: string; description?: string; recommended?: string }; hasSuggestions?: boolean; type?: string };
const metaOf = (name: string): Meta => (plugin.rules as Record<string, { meta: Meta }>)[name]!.meta;

describe('rule docs', () => {
  it('has a doc for every rule and no doc without a rule', () => {
    const docs = fs
      .readdirSync(path.join(root, 'rules-docs'))
      .filter((f) => f.endsWith('.md') && f !== 'checklist.md')
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    expect(docs).toEqual(ruleNames);
  });

  it('cites no internal document: users have the README and the rule docs, not the spec', () => {
    for (const file of ['README.md', ...fs.readdirSync(path.join(root, 'rules-docs')).map((f) => `rules-docs/${f}`)]) {
      expect(fs.readFileSync(path.join(root, file), 'utf8'), file).not.toMatch(/\bSPEC\b|shared\/spec/);
    }
  });

  it('lists every rule in the README rules table', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const name of ruleNames) expect(readme).toMatch(new RegExp(`^\\| \\[${name}\\]\\(rules-docs/${name}\\.md\\) +\\|`, 'm'));
  });
});

describe.each(ruleNames)('%s', (name) => {
  const meta = metaOf(name);
  const doc = fs.readFileSync(path.join(root, 'rules-docs', `${name}.md`), 'utf8');

  it('points meta.docs.url at its doc and describes itself imperatively', () => {
    expect(meta.docs?.url).toBe(`https://github.com/background-tasks/eslint-plugin-background-tasks/blob/v${plugin.meta.version}/rules-docs/${name}.md`);
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
