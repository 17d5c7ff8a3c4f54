/**
 * The package as npm publishes it: `npm pack`, then `npm install` of the tarball into temporary
 * projects with real dependencies from the registry (npm's cache makes reruns fast), linted through
 * the installed `eslint` CLI with ESM and CJS configs, typed and untyped.
 *
 * - newest ESLint 10 and 9, each with the newest typescript-eslint 8.x: one copy of typescript-eslint
 *   in `npm ls` (our dependencies are caret ranges, so npm dedupes them with the user's);
 * - the lowest versions we declare: ESLint 9.22.0 and typescript-eslint 8.72.0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK_ERROR, npmInstall, npmRun } from './helpers/npm.js';
import { killAllChildren, ROOT, runNode } from './helpers/process.js';

const REQUEST_SESSION = 'background-tasks/no-request-session-in-background';
const FLOATING = 'background-tasks/no-floating-background-task';
const ERROR_HANDLING = 'background-tasks/require-background-error-handling';

const FILES: Record<string, string> = {
  'package.json': '{ "name": "consumer", "private": true, "type": "module" }\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', noEmit: true }, include: ['src'] }, null, 2),
  // A request session in a background method: found with or without types.
  'src/worker.ts': `export class ReportService {
  constructor(private readonly session: { update(id: string): Promise<void> }) {}

  async processInBackground(id: string): Promise<void> {
    try {
      await this.session.update(id);
    } catch (error) {
      console.error(\`report \${id} failed\`, error);
      throw error;
    }
  }
}
`,
  // An async function called fire-and-forget from another file: only the type checker sees it.
  'src/tasks.ts': 'export async function reindexAll(): Promise<void> {}\n',
  'src/consumer.ts': "import { reindexAll } from './tasks.js';\n\nexport function onSaved(): void {\n  reindexAll();\n}\n",
  'src/any.ts': 'export const value: any = 1;\n',
  // JavaScript beside it, in no tsconfig (not under scripts/ and not at top level: a script's own
  // top-level call is its entry point, which the rules leave alone).
  'lib/seed.js': "async function seed() {\n  await fetch('http://localhost/seed');\n}\nexport function start() {\n  seed();\n}\n",
  // ESM, with ESLint's defineConfig and typescript-eslint's configs.
  'eslint.config.js': `import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import backgroundTasks from 'eslint-plugin-background-tasks';

export default defineConfig(
  { ignores: ['eslint.config.cjs'] },
  tseslint.configs.recommended,
  backgroundTasks.configs.recommended,
  backgroundTasks.configs['recommended-type-checked'],
);
`,
  // CJS: require() of the ESM package returns the plugin.
  'eslint.config.cjs': `const backgroundTasks = require('eslint-plugin-background-tasks');

module.exports = [backgroundTasks.configs.recommended];
`,
};

/** What the typed ESM config reports; the untyped CJS config misses only the cross-file call. */
const TYPED_FINDINGS = [
  // The dropped call makes seed() background work, whose await is outside any try/catch.
  `lib/seed.js:1 ${ERROR_HANDLING}`,
  `lib/seed.js:5 ${FLOATING}`,
  'src/any.ts:1 @typescript-eslint/no-explicit-any',
  `src/consumer.ts:4 ${FLOATING}`,
  `src/worker.ts:6 ${REQUEST_SESSION}`,
];
const UNTYPED_FINDINGS = [`lib/seed.js:1 ${ERROR_HANDLING}`, `lib/seed.js:5 ${FLOATING}`, `src/worker.ts:6 ${REQUEST_SESSION}`];

interface Setup {
  label: string;
  /** What the project installs beside the tarball. */
  dependencies: string[];
  /** The major version of ESLint expected, and the typescript-eslint version (or 'newest'). */
  eslintMajor: number;
  typescriptEslint: string;
}

const SETUPS: Setup[] = [
  { label: 'ESLint 10, newest typescript-eslint 8', dependencies: ['eslint@^10', 'typescript-eslint@^8', 'typescript@~6.0.3'], eslintMajor: 10, typescriptEslint: 'newest' },
  { label: 'ESLint 9, newest typescript-eslint 8', dependencies: ['eslint@^9', 'typescript-eslint@^8', 'typescript@~6.0.3'], eslintMajor: 9, typescriptEslint: 'newest' },
  { label: 'lowest: ESLint 9.22.0, typescript-eslint 8.72.0', dependencies: ['eslint@9.22.0', 'typescript-eslint@8.72.0', 'typescript@~6.0.3'], eslintMajor: 9, typescriptEslint: '8.72.0' },
];

const TMP = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-pack-')));
let tarball = '';

beforeAll(async () => {
  const packed = await npmRun(ROOT, ['pack', '--json', '--pack-destination', TMP]);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(TMP, info!.filename);
  const files = info!.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'rules-docs/checklist.md']));
  // The source maps pointed at a src/ that is not shipped.
  expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('tests/'))).toEqual([]);
}, 120_000);

afterAll(() => {
  killAllChildren();
  fs.rmSync(TMP, { recursive: true, force: true });
});

describe.each(SETUPS)('$label', (setup) => {
  const dir = path.join(TMP, setup.label.replace(/\W+/g, '-'));
  let skip: string | undefined;

  beforeAll(async () => {
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    // As a user adopts it: the project has ESLint and typescript-eslint, then adds the plugin (npm
    // reuses their typescript-eslint for our caret ranges; installed in one go, npm may not).
    let installed = await npmInstall(dir, setup.dependencies, { save: true });
    if (installed.code === 0) installed = await npmInstall(dir, [tarball], { save: true });
    const output = `${installed.stdout}\n${installed.stderr}`;
    if (installed.code !== 0 && NETWORK_ERROR.test(output)) {
      skip = `not tested: the npm registry is unreachable (${output.trim().split('\n').find((l) => NETWORK_ERROR.test(l))?.trim()})`;
      console.warn(`[package] ${setup.label}: ${skip}`);
      return;
    }
    expect(installed.code, output.slice(-3000)).toBe(0);
  }, 600_000);

  const maybe = (name: string, fn: () => Promise<void>) =>
    it(name, async (context) => {
      if (skip) context.skip(skip);
      await fn();
    });

  /** Lints the project with the installed eslint CLI; returns `file:line rule` per message (parsing errors included). */
  async function lint(args: string[]): Promise<string[]> {
    const result = await runNode(path.join(dir, 'node_modules', 'eslint', 'bin', 'eslint.js'), ['--format', 'json', ...args, '.'], { cwd: dir, timeoutMs: 120_000 });
    expect([0, 1], result.stderr).toContain(result.code);
    const results = JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string | null; line: number; message: string }[] }[];
    return results.flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId ?? m.message}`)).sort();
  }

  maybe('installs the versions it asks for, with one copy of typescript-eslint', async () => {
    const listed = await npmRun(dir, ['ls', '--all', '--json', 'eslint', 'typescript-eslint', '@typescript-eslint/parser', '@typescript-eslint/utils']);
    expect(listed.code, listed.stderr).toBe(0); // no missing or invalid peer
    const versions = new Map<string, Set<string>>();
    const walk = (deps: Record<string, { version: string; dependencies?: Record<string, never> }> | undefined): void => {
      for (const [name, node] of Object.entries(deps ?? {})) {
        if (!versions.has(name)) versions.set(name, new Set());
        versions.get(name)!.add(node.version);
        walk(node.dependencies);
      }
    };
    walk((JSON.parse(listed.stdout) as { dependencies?: Record<string, never> }).dependencies);
    const only = (name: string): string => {
      expect([...(versions.get(name) ?? [])], `${name} in npm ls`).toHaveLength(1);
      return [...versions.get(name)!][0]!;
    };
    const typescriptEslint = only('typescript-eslint');
    expect(only('@typescript-eslint/parser')).toBe(typescriptEslint);
    expect(only('@typescript-eslint/utils')).toBe(typescriptEslint);
    expect(Number(only('eslint').split('.')[0])).toBe(setup.eslintMajor);
    if (setup.typescriptEslint === 'newest') {
      const newest = await npmRun(dir, ['view', 'typescript-eslint@^8', 'version', '--json', '--prefer-offline']);
      const published = JSON.parse(newest.stdout) as string | string[];
      expect(typescriptEslint).toBe(Array.isArray(published) ? published.at(-1) : published);
    } else {
      expect(typescriptEslint).toBe(setup.typescriptEslint);
    }
  });

  maybe('eslint.config.js (ESM, defineConfig, typescript-eslint, type-checked): every finding, no parsing error', async () => {
    expect(await lint([])).toEqual(TYPED_FINDINGS);
  });

  maybe('eslint.config.cjs (CJS, require of the package): the findings without type information', async () => {
    expect(await lint(['--config', 'eslint.config.cjs'])).toEqual(UNTYPED_FINDINGS);
  });

  maybe('the docs URL of a finding points at this release', async () => {
    const script = path.join(dir, 'docs-url.mjs');
    fs.writeFileSync(script, "import plugin from 'eslint-plugin-background-tasks';\nconsole.log(plugin.rules['require-session-scope'].meta.docs.url);\n");
    const result = await runNode(script, [], { cwd: dir, timeoutMs: 60_000 });
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(result.stdout.trim()).toBe(`https://github.com/background-tasks/eslint-plugin-background-tasks/blob/v${version}/rules-docs/require-session-scope.md`);
  });
});
