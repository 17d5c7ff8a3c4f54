#!/usr/bin/env node
// The demo: lints the bundled example project with configs.recommended and prints the findings.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { default: plugin } = await import(path.join(root, 'dist', 'index.js'));
const cwd = path.join(root, 'fixtures', 'lint');
const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
const results = await eslint.lintFiles(['**/*.ts']);
const formatter = await eslint.loadFormatter('stylish');
console.log(`Linting ${results.length} example files in fixtures/lint with background-tasks/recommended:`);
console.log(await formatter.format(results));
