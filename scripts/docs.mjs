#!/usr/bin/env node
// What eslint-doc-generator (the rules table, each rule doc's header and options list) cannot say:
// that a rule *uses* type information when it is there without *requiring* it (its 💭 column is
// for `requiresTypeChecking`). Each rules-docs/<rule>.md gets that line right after its generated
// header, for every rule in src/rules/index.ts. `node scripts/docs.mjs` writes it; `--check` fails
// (exit 1) on drift. Run after the generator: `npm run docs:update` / `npm run docs:check`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const { default: plugin } = await import(path.join(root, 'dist', 'index.js'));

const HEADER_END = '<!-- end auto-generated rule header -->';
const BEGIN = '<!-- begin auto-generated rule type information -->';
const END = '<!-- end auto-generated rule type information -->';

/** The block for one rule: the 💭 line, or nothing between the markers. */
function typeInformation(rule) {
  const line = rule.meta.docs?.usesTypeInformation
    ? "Uses type information when `parserOptions.projectService` is set (`configs['recommended-type-checked']`), and works without it.\n\n"
    : '';
  return `${BEGIN}\n\n${line}${END}`;
}

/** The doc with the block in place: replaced between its markers, or inserted after the header. */
function withTypeInformation(text, rule, file) {
  const start = text.indexOf(BEGIN);
  const stop = text.indexOf(END);
  if (start !== -1 && stop !== -1) return text.slice(0, start) + typeInformation(rule) + text.slice(stop + END.length);
  const header = text.indexOf(HEADER_END);
  if (header === -1) throw new Error(`${file}: no "${HEADER_END}" marker (run npm run docs:update, which runs eslint-doc-generator first)`);
  const at = header + HEADER_END.length;
  return `${text.slice(0, at)}\n\n${typeInformation(rule)}${text.slice(at)}`;
}

const problems = [];
for (const [name, rule] of Object.entries(plugin.rules)) {
  const file = path.join(root, 'rules-docs', `${name}.md`);
  const relative = path.relative(root, file);
  if (!fs.existsSync(file)) {
    problems.push(`${relative} is missing: write it (why, ## Examples, ## Options, ## When Not To Use It, ## Related Rules), then npm run docs:update`);
    continue;
  }
  const before = fs.readFileSync(file, 'utf8');
  let after;
  try {
    after = withTypeInformation(before, rule, relative);
  } catch (error) {
    problems.push(error.message);
    continue;
  }
  if (after === before) continue;
  if (check) problems.push(`${relative} is out of date: run npm run docs:update`);
  else fs.writeFileSync(file, after);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`docs: ${p}`);
  process.exit(1);
}
console.log(check ? 'docs: in sync' : 'docs: updated');
