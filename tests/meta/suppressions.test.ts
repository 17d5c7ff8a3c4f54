/**
 * `// eslint-disable-next-line background-tasks/<rule> -- reason` works for every rule: the
 * finding leaves `messages`, appears in `suppressedMessages` with the reason as its
 * justification (what editors, SARIF output and the review report read), and the directive
 * is not reported as unused. Each rule is exercised on the first ❌ example of its doc.
 */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { extensionFor, ruleDocExamples } from '../helpers/doc-examples.js';

const root = path.resolve(import.meta.dirname, '../..');
const PREFIX = 'background-tasks/';
const REASON = 'legacy job, migrated in JIRA-123';

async function lint(code: string, language: string) {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.all as Linter.Config, { linterOptions: { reportUnusedDisableDirectives: 'error' } }],
    ignore: false,
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, 'rules-docs', `example.${extensionFor(language)}`) });
  return result!;
}

describe.each(Object.keys(plugin.rules).sort())('%s', (rule) => {
  const id = `${PREFIX}${rule}`;
  const example = ruleDocExamples(root, rule).find((e) => e.kind === 'incorrect' && !e.options);

  it('is suppressed by eslint-disable-next-line with a reason, and the reason is kept', async () => {
    expect(example, `rules-docs/${rule}.md has a ❌ example`).toBeDefined();
    const before = await lint(example!.code, example!.language);
    const target = before.messages.find((m) => m.ruleId === id);
    expect(target, `the ❌ example is reported by ${rule}`).toBeDefined();

    const lines = example!.code.split('\n');
    const indent = /^\s*/.exec(lines[target!.line - 1]!)![0];
    lines.splice(target!.line - 1, 0, `${indent}// eslint-disable-next-line ${id} -- ${REASON}`);
    const after = await lint(lines.join('\n'), example!.language);

    const line = target!.line + 1;
    expect(after.messages.filter((m) => m.ruleId === id && m.line === line)).toEqual([]);
    expect(after.messages.filter((m) => m.ruleId === null || m.message.includes('Unused eslint-disable'))).toEqual([]);
    const suppressed = after.suppressedMessages.filter((m) => m.ruleId === id && m.line === line);
    expect(suppressed.length).toBe(before.messages.filter((m) => m.ruleId === id && m.line === target!.line).length);
    for (const message of suppressed) {
      expect(message.column).toBe(target!.column);
      expect(message.suppressions).toEqual([{ kind: 'directive', justification: REASON }]);
    }
  });

  it('is suppressed by a block eslint-disable / eslint-enable pair with a reason', async () => {
    const code = `/* eslint-disable ${id} -- ${REASON} */\n${example!.code}/* eslint-enable ${id} */\n`;
    const result = await lint(code, example!.language);
    expect(result.messages.filter((m) => m.ruleId === id)).toEqual([]);
    expect(result.suppressedMessages.filter((m) => m.ruleId === id).length).toBeGreaterThan(0);
    for (const message of result.suppressedMessages) expect(message.suppressions).toEqual([{ kind: 'directive', justification: REASON }]);
  });
});
