/**
 * The docs cannot drift from the behaviour: every ❌ example of a rule doc is linted with that
 * rule and must be reported by it at least once; every ✅ example must not be reported by it.
 * Examples are linted through ESLint's Node API with the plugin's parser, the rule's default
 * options (or those of an `<!-- example-options: [...] -->` comment before the block), and
 * must parse.
 */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { extensionFor, ruleDocExamples } from '../helpers/doc-examples.js';

const root = path.resolve(import.meta.dirname, '../..');
const PREFIX = 'background-tasks/';

/** Lints one example with only `rule` on. */
async function lintExample(rule: string, code: string, language: string, options: unknown[] = []) {
  const config: Linter.Config = {
    ...plugin.configs.all,
    rules: { [`${PREFIX}${rule}`]: ['error', ...options] },
  };
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [config], ignore: false });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, 'rules-docs', `example.${extensionFor(language)}`) });
  return result!.messages;
}

describe.each(Object.keys(plugin.rules).sort())('rules-docs/%s.md examples', (rule) => {
  const examples = ruleDocExamples(root, rule);

  it.each(examples.map((e) => [`${e.kind === 'incorrect' ? '❌' : '✅'} line ${e.line} (${e.heading})`, e] as const))('%s', async (_title, example) => {
    const messages = await lintExample(rule, example.code, example.language, example.options);
    expect(messages.filter((m) => m.fatal || m.ruleId === null), `rules-docs/${rule}.md:${example.line} must parse`).toEqual([]);
    const ours = messages.filter((m) => m.ruleId === `${PREFIX}${rule}`);
    if (example.kind === 'incorrect') {
      expect(ours.length, `the ❌ example at rules-docs/${rule}.md:${example.line} is reported by ${rule}`).toBeGreaterThan(0);
    } else {
      expect(
        ours.map((m) => `${m.line}:${m.column} ${m.message}`),
        `the ✅ example at rules-docs/${rule}.md:${example.line} is not reported by ${rule}`,
      ).toEqual([]);
    }
  });
});
