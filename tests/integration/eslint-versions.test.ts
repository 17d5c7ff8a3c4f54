/**
 * The plugin in every ESLint setup a user has, through the real `eslint` CLI: ESLint 10 (this
 * repository's) and ESLint 9 (installed into node_modules/.cache), flat configs written as
 * .js / .mjs / .cjs / .ts, `--cache`, `--fix-dry-run`, `--concurrency`, `--print-config`,
 * the config array's names (what `--inspect-config` shows), and typescript-eslint's configs
 * (plain and type-checked) in the same config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { ensureEslint9 } from './helpers/eslint9.js';
import { killAllChildren, ROOT, runNode, type RunResult } from './helpers/process.js';
import { createWorkspace, removeAllWorkspaces, type Workspace } from './helpers/workspace.js';

const RULE = 'background-tasks/no-request-session-in-background';

/** Issue 2's file: `this.session` in a background method of a TypeScript class. */
const WORKER_TS = `export class ReportService {
  constructor(private readonly session: Session) {}

  async processInBackground(id: string): Promise<void> { try {
    await this.session.update(id, { status: 'done' });
  } catch (error) { console.error(\`report \${id} failed\`, error); throw error; } }
}

interface Session {
  update(id: string, data: object): Promise<void>;
}
`;
const WORKER_FINDING = { file: 'src/worker.ts', rule: RULE, line: 5, column: 11 };

/** A near miss: a forked session is the task's own. */
const CLEAN_TS = `export class DigestService {
  constructor(private readonly em: { fork(): { flush(): Promise<void> } }) {}

  async sendInBackground(): Promise<void> {
    try {
      const em = this.em.fork();
      await em.flush();
    } catch (error) {
      console.error('digest failed', error);
      throw error;
    }
  }
}
`;

/** Issue 2's two-line config. */
const TWO_LINE_CONFIG = `import plugin from 'eslint-plugin-background-tasks';
export default [plugin.configs.recommended];
`;

const CONFIG_FILES: Record<string, string> = {
  'eslint.config.js': TWO_LINE_CONFIG,
  'eslint.config.mjs': TWO_LINE_CONFIG,
  'eslint.config.cjs': `const backgroundTasks = require('eslint-plugin-background-tasks');

module.exports = [backgroundTasks.configs.recommended];
`,
  'eslint.config.ts': `import backgroundTasks from 'eslint-plugin-background-tasks';
import type { Linter } from 'eslint';

const config: Linter.Config[] = [backgroundTasks.configs.recommended];
export default config;
`,
};

/** The README's: typescript-eslint's configs through ESLint's defineConfig (tseslint.config() is deprecated). */
const TSESLINT_CONFIG = `import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import backgroundTasks from 'eslint-plugin-background-tasks';

export default defineConfig(tseslint.configs.recommended, backgroundTasks.configs.recommended);
`;

const TSESLINT_TYPED_CONFIG = `import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import backgroundTasks from 'eslint-plugin-background-tasks';

export default defineConfig(
  tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  backgroundTasks.configs.recommended,
);
`;

/** ESLint's `defineConfig` with the named config in `extends` (ESLint >= 9.22). */
const DEFINE_CONFIG = `import { defineConfig } from 'eslint/config';
import backgroundTasks from 'eslint-plugin-background-tasks';

export default defineConfig({
  files: ['src/**/*.ts'],
  plugins: { 'background-tasks': backgroundTasks },
  extends: ['background-tasks/recommended'],
});
`;

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', noEmit: true }, include: ['src'] }, null, 2);

interface Finding {
  file: string;
  rule: string | null;
  line: number;
  column: number;
}

interface Version {
  label: string;
  /** The eslint package directory, or why it cannot be tested. */
  resolve(): Promise<{ dir: string; links: Record<string, string> } | { skip: string }>;
}

const VERSIONS: Version[] = [
  { label: 'ESLint 10 (the repository)', resolve: async () => ({ dir: path.join(ROOT, 'node_modules', 'eslint'), links: {} }) },
  {
    label: 'ESLint 9',
    async resolve() {
      const eslint9 = await ensureEslint9();
      if (!eslint9.ok) return { skip: eslint9.reason };
      return { dir: eslint9.dir, links: { eslint: eslint9.dir, jiti: path.join(eslint9.nodeModules, 'jiti') } };
    },
  },
];

afterAll(() => {
  killAllChildren();
  removeAllWorkspaces();
});

for (const version of VERSIONS) {
  describe(version.label, () => {
    let eslintDir = '';
    let links: Record<string, string> = {};
    let skip: string | undefined;

    beforeAll(async () => {
      const resolved = await version.resolve();
      if ('skip' in resolved) {
        skip = resolved.skip;
        console.warn(`[eslint-versions] ${skip}`);
        return;
      }
      eslintDir = resolved.dir;
      links = resolved.links;
      const { version: installed } = JSON.parse(fs.readFileSync(path.join(eslintDir, 'package.json'), 'utf8')) as { version: string };
      console.log(`[eslint-versions] ${version.label}: eslint ${installed}`);
    }, 600_000);

    /** A workspace with the red flag, a near miss and the given config files. */
    function workspaceWith(files: Record<string, string>): Workspace {
      return createWorkspace({ 'src/worker.ts': WORKER_TS, 'src/clean.ts': CLEAN_TS, ...files }, { links });
    }

    function eslint(workspace: Workspace, args: string[]): Promise<RunResult> {
      return runNode(path.join(eslintDir, 'bin', 'eslint.js'), args, { cwd: workspace.dir, timeoutMs: 120_000 });
    }

    /** Runs `eslint --format json`, expects a clean exit (0 or 1), returns sorted findings. */
    async function lint(workspace: Workspace, args: string[] = ['.']): Promise<Finding[]> {
      const result = await eslint(workspace, ['--format', 'json', ...args]);
      expect([0, 1], `eslint ${args.join(' ')}: ${result.stderr}`).toContain(result.code);
      const results = JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string | null; line: number; column: number; fatal?: boolean; message: string }[] }[];
      const findings = results.flatMap((r) =>
        r.messages.map((m) => ({ file: path.relative(workspace.dir, r.filePath).split(path.sep).join('/'), rule: m.ruleId, line: m.line, column: m.column })),
      );
      return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || String(a.rule).localeCompare(String(b.rule)));
    }

    const maybe = (name: string, fn: () => Promise<void>, timeout?: number) =>
      it(
        name,
        async (context) => {
          if (skip) context.skip(skip);
          await fn();
        },
        timeout,
      );

    for (const [configFile, text] of Object.entries(CONFIG_FILES)) {
      maybe(`${configFile}: the two-line recommended config reports this.session in a background method of a TS file`, async () => {
        const workspace = workspaceWith({ [configFile]: text });
        expect(await lint(workspace)).toEqual([WORKER_FINDING]);
      });
    }

    maybe("defineConfig() with extends: ['background-tasks/recommended'] (the named config, by its name)", async () => {
      const workspace = workspaceWith({ 'eslint.config.js': DEFINE_CONFIG });
      expect(await lint(workspace)).toEqual([WORKER_FINDING]);
    });

    it('eslint.config.ts with Node.js native type stripping (--flag unstable_native_nodejs_ts_config)', async (context) => {
      if (skip) context.skip(skip);
      const features = process.features as { typescript?: string };
      if (features.typescript !== 'strip' && features.typescript !== 'transform') {
        context.skip(`native .ts config loading needs Node >= 22.6 with type stripping (this is ${process.version}); ESLint uses jiti instead, tested above`);
      }
      const workspace = workspaceWith({ 'eslint.config.ts': CONFIG_FILES['eslint.config.ts']! });
      expect(await lint(workspace, ['--flag', 'unstable_native_nodejs_ts_config', '.'])).toEqual([WORKER_FINDING]);
    });

    maybe('--cache: the second run reads the cache and reports the same; a changed file is linted again', async () => {
      const workspace = workspaceWith({ 'eslint.config.js': TWO_LINE_CONFIG });
      const args = ['--cache', '--cache-location', '.eslintcache', '.'];
      expect(await lint(workspace, args)).toEqual([WORKER_FINDING]);
      const cache = fs.readFileSync(workspace.file('.eslintcache'), 'utf8');
      expect(cache).toContain('worker.ts');
      expect(await lint(workspace, args)).toEqual([WORKER_FINDING]);
      workspace.write('src/worker.ts', WORKER_TS.replace('this.session.update', 'this.session.fork().update'));
      expect(await lint(workspace, args)).toEqual([]);
    });

    maybe('--fix-dry-run: reports, writes nothing, and never rewrites a red flag', async () => {
      const workspace = workspaceWith({ 'eslint.config.js': TWO_LINE_CONFIG });
      const result = await eslint(workspace, ['--fix-dry-run', '--format', 'json', '.']);
      expect(result.code).toBe(1);
      const results = JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string }[]; output?: string }[];
      const worker = results.find((r) => r.filePath.endsWith('worker.ts'))!;
      expect(worker.messages.map((m) => m.ruleId)).toEqual([RULE]);
      if (worker.output !== undefined) expect(worker.output).toContain('this.session.update');
      expect(fs.readFileSync(workspace.file('src/worker.ts'), 'utf8')).toBe(WORKER_TS);
    });

    maybe('--concurrency=auto and --concurrency=2 (worker threads) report exactly what one thread reports', async () => {
      const files: Record<string, string> = { 'eslint.config.js': TWO_LINE_CONFIG };
      for (let i = 0; i < 24; i += 1) {
        files[`src/jobs/worker-${i}.ts`] = WORKER_TS;
        files[`src/jobs/clean-${i}.ts`] = CLEAN_TS;
      }
      const workspace = workspaceWith(files);
      const single = await lint(workspace, ['--concurrency=off', '.']);
      expect(single.filter((f) => f.rule === RULE)).toHaveLength(25);
      expect(single.filter((f) => f.rule !== RULE)).toEqual([]);
      expect(await lint(workspace, ['--concurrency=auto', '.'])).toEqual(single);
      expect(await lint(workspace, ['--concurrency=2', '.'])).toEqual(single);
    });

    maybe('--print-config shows the plugin by name@version, its parser and its rules', async () => {
      const workspace = workspaceWith({ 'eslint.config.js': TWO_LINE_CONFIG });
      const result = await eslint(workspace, ['--print-config', 'src/worker.ts']);
      expect(result.code, result.stderr).toBe(0);
      const config = JSON.parse(result.stdout) as { plugins: string[]; rules: Record<string, unknown[]>; language?: string; languageOptions: { parser: string } };
      expect(config.plugins).toContain(`background-tasks:eslint-plugin-background-tasks@${plugin.meta.version}`);
      expect(config.languageOptions.parser).toMatch(/^typescript-eslint\/parser@8\.72\.0$/);
      for (const rule of Object.keys(plugin.configs.recommended.rules!)) expect(config.rules[rule]?.[0]).toBe(2);
    });

    maybe('the config array carries the named configs (what --inspect-config lists)', async () => {
      const workspace = workspaceWith({ 'eslint.config.js': TSESLINT_CONFIG });
      const script = workspace.file('names.mjs');
      fs.writeFileSync(script, "const { default: config } = await import('./eslint.config.js');\nconsole.log(JSON.stringify(config.map((c) => c.name ?? null)));\n");
      const result = await runNode(script, [], { cwd: workspace.dir, timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      const names = JSON.parse(result.stdout) as (string | null)[];
      expect(names).toContain('background-tasks/recommended');
      expect(names).toContain('typescript-eslint/base');
      expect(plugin.configs.strict.name).toBe('background-tasks/strict');
      expect(plugin.configs.all.name).toBe('background-tasks/all');
    });

    maybe("with typescript-eslint's recommended configs: both report, no conflict, one parser", async () => {
      const workspace = workspaceWith({ 'eslint.config.js': TSESLINT_CONFIG, 'src/any.ts': 'export const value: any = 1;\n' });
      expect(await lint(workspace)).toEqual([
        { file: 'src/any.ts', rule: '@typescript-eslint/no-explicit-any', line: 1, column: 21 },
        WORKER_FINDING,
      ]);
      const printed = await eslint(workspace, ['--print-config', 'src/worker.ts']);
      const config = JSON.parse(printed.stdout) as { plugins: string[]; languageOptions: { parser: string } };
      expect(config.languageOptions.parser).toBe('typescript-eslint/parser@8.72.0');
      expect(config.plugins).toEqual(expect.arrayContaining(['@typescript-eslint:@typescript-eslint/eslint-plugin@8.72.0', `background-tasks:eslint-plugin-background-tasks@${plugin.meta.version}`]));
    });

    maybe("with typescript-eslint's type-checked configs and projectService: typed rules keep their type information", async () => {
      const workspace = workspaceWith({
        'eslint.config.js': TSESLINT_TYPED_CONFIG,
        'tsconfig.json': TSCONFIG,
        // Inside a function: a module's own top-level call is its entry point, which our rules leave alone.
        'src/floating.ts': "export async function tick(): Promise<void> {\n  await fetch('http://localhost/');\n}\nexport function start(): void {\n  tick();\n}\n",
      });
      // Only src/ is in the tsconfig: the config file itself is not part of the typed project.
      const findings = await lint(workspace, ['src']);
      expect(findings.filter((f) => f.rule === null)).toEqual([]);
      expect(findings).toContainEqual({ file: 'src/floating.ts', rule: '@typescript-eslint/no-floating-promises', line: 5, column: 3 });
      // Both plugins see the dropped async call, and ours the request session. The exported `tick`
      // may be awaited by other modules, so its body is not asked for a try/catch: the dropped call
      // is the defect, reported once.
      expect(findings.filter((f) => f.rule?.startsWith('background-tasks/'))).toEqual([
        { file: 'src/floating.ts', rule: 'background-tasks/no-floating-background-task', line: 5, column: 3 },
        WORKER_FINDING,
      ]);
    });
  });
}
