#!/usr/bin/env node
// Keeps the generated parts of the docs in sync with rule metadata:
// each rules-docs/<rule>.md header, and the rules table in README.md.
// `node scripts/docs.mjs` rewrites them; `--check` fails (exit 1) when they drift.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const { default: plugin } = await import(path.join(root, 'dist', 'index.js'));

const HEADER_BEGIN = '<!-- begin auto-generated rule header -->';
const HEADER_END = '<!-- end auto-generated rule header -->';
const LIST_BEGIN = '<!-- begin auto-generated rules list -->';
const LIST_END = '<!-- end auto-generated rules list -->';

/** Which configs enable a rule, from the configs themselves. */
function configsOf(name) {
  return ['recommended', 'strict', 'all'].filter((c) => `background-tasks/${name}` in (plugin.configs[c].rules ?? {}));
}

function header(name, rule) {
  const configs = configsOf(name);
  const badges = [
    configs.includes('recommended') ? '✅ Enabled in `recommended`, `strict` and `all`.' : `🔒 Enabled in ${configs.map((c) => `\`${c}\``).join(' and ')}.`,
    rule.meta.fixable ? '🔧 Automatically fixable with `--fix`.' : undefined,
    rule.meta.hasSuggestions ? '💡 Offers editor suggestions (quick fixes).' : undefined,
    rule.meta.docs.usesTypeInformation ? '💭 Uses type information when `parserOptions.projectService` is set; works without it.' : undefined,
  ].filter(Boolean);
  return `${HEADER_BEGIN}\n# background-tasks/${name}\n\n${rule.meta.docs.description}.\n\n${badges.map((b) => `${b}\n`).join('\n')}${HEADER_END}`;
}

function rulesTable() {
  const rows = Object.entries(plugin.rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rule]) => {
      const configs = configsOf(name);
      return `| [${name}](rules-docs/${name}.md) | ${rule.meta.docs.description} | ${configs.includes('recommended') ? '✅' : '🔒 strict'} | ${rule.meta.hasSuggestions ? '💡' : ''} |`;
    });
  return `${LIST_BEGIN}\n| Rule | Description | Config | Suggestions |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n${LIST_END}`;
}

function replaceBetween(text, begin, end, replacement, file) {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1) throw new Error(`${file}: missing ${begin} ... ${end} markers`);
  return text.slice(0, start) + replacement + text.slice(stop + end.length);
}

const problems = [];
function sync(file, update) {
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (before === undefined) {
    problems.push(`${path.relative(root, file)} is missing`);
    return;
  }
  let after;
  try {
    after = update(before);
  } catch (error) {
    problems.push(error.message);
    return;
  }
  if (after === before) return;
  if (check) problems.push(`${path.relative(root, file)} is out of date: run npm run docs:update`);
  else fs.writeFileSync(file, after);
}

for (const [name, rule] of Object.entries(plugin.rules)) {
  const file = path.join(root, 'rules-docs', `${name}.md`);
  sync(file, (text) => replaceBetween(text, HEADER_BEGIN, HEADER_END, header(name, rule), file));
}
sync(path.join(root, 'README.md'), (text) => replaceBetween(text, LIST_BEGIN, LIST_END, rulesTable(), 'README.md'));

if (problems.length > 0) {
  for (const p of problems) console.error(`docs: ${p}`);
  process.exit(1);
}
console.log(check ? 'docs: in sync' : 'docs: updated');
