/** The exported configs: rule sets, strict options, and the type-checked variant end to end. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../dist/index.js';
import { TYPED_FIXTURE_DIR } from './typed-rule-tester.js';

const FLOATING = 'background-tasks/no-floating-background-task';

describe('configs', () => {
  it('puts no-floating-background-task in recommended and require-background-timeout in strict only', () => {
    expect(plugin.configs.recommended.rules).toHaveProperty([FLOATING], 'error');
    expect(plugin.configs.recommended.rules).not.toHaveProperty(['background-tasks/require-background-timeout']);
    expect(plugin.configs.strict.rules).toHaveProperty(['background-tasks/require-background-timeout'], 'error');
  });

  it('turns requireTracking on in strict only', () => {
    expect(plugin.configs.strict.rules?.[FLOATING]).toEqual(['error', { requireTracking: true }]);
    expect(plugin.configs.all.rules?.[FLOATING]).toBe('error');
  });

  it('reports fallback catches, logs without the error, logs below failure level, recurring jobs\' writes and synchronous catches in strict only; swallowed job failures need retry evidence in every config', () => {
    const rule = 'background-tasks/require-background-error-handling';
    expect(plugin.configs.recommended.rules).toHaveProperty([rule], 'error');
    expect(plugin.configs.strict.rules?.[rule]).toEqual([
      'error',
      { checkAllLogLevels: true, checkEmptyCatches: true, checkFallbackCatches: true, checkLogsWithoutError: true, checkRecurringJobs: true, checkSynchronousCatches: true },
    ]);
    expect(plugin.configs.all.rules?.[rule]).toBe('error');
  });

  it('leaves the checks rarely judged true on public backends to strict (issue 13)', () => {
    const dispatch = 'background-tasks/no-dispatch-in-transaction';
    const scope = 'background-tasks/require-session-scope';
    const stale = 'background-tasks/no-stale-session-in-catch';
    expect(plugin.configs.recommended.rules).toHaveProperty([stale], 'error');
    expect(plugin.configs.recommended.rules).toHaveProperty([dispatch], 'error');
    expect(plugin.configs.recommended.rules).toHaveProperty([scope], 'error');
    expect(plugin.configs.strict.rules?.[dispatch]).toEqual(['error', { requireDispatchAfterCommit: true }]);
    expect(plugin.configs.strict.rules?.[scope]).toEqual(['error', { requireTransactionStartInTry: true, checkTransactionUse: true, reportStoredSessions: true }]);
    expect(plugin.configs.strict.rules?.[stale]).toEqual(['error', { checkAllDatabases: true }]);
  });

  it('all is every rule at its default options, as ESLint\'s and typescript-eslint\'s all: strict is all plus the strict options', () => {
    const names = Object.keys(plugin.rules).map((name) => `background-tasks/${name}`).sort();
    expect(Object.keys(plugin.configs.all.rules ?? {}).sort()).toEqual(names);
    expect(Object.keys(plugin.configs.strict.rules ?? {}).sort()).toEqual(names);
    for (const name of names) expect(plugin.configs.all.rules?.[name]).toBe('error');
  });

  it('assumes unseen imported calls reject in strict only (recommended and all claim a rejection only with evidence)', () => {
    expect(plugin.configs.recommended.settings).toBeUndefined();
    expect(plugin.configs.strict.settings).toEqual({ 'background-tasks': { assumeUnseenCallsReject: true } });
    expect(plugin.configs.all.settings).toBeUndefined();
  });

  it('strict reports the void of an unseen imported helper that recommended leaves alone; both read a project module that shows whether it can reject', async () => {
    const code = (helper: string, from = './tasks') => `import { ${helper} } from '${from}';\nexport function onSaved() {\n  void ${helper}();\n}\n`;
    const lint = async (config: Linter.Config, helper = 'syncInBackground', from?: string) => {
      // No process-wide rejection handler: the claim is the crash.
      const noHandler: Linter.Config = { settings: { 'background-tasks': { processRejectionHandler: 'none' } } };
      const eslint = new ESLint({ cwd: TYPED_FIXTURE_DIR, overrideConfigFile: true, overrideConfig: [config, noHandler] });
      const [result] = await eslint.lintText(code(helper, from), { filePath: path.join(TYPED_FIXTURE_DIR, 'unseen-helper.ts') });
      expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
      return result!.messages.filter((m) => m.ruleId === FLOATING).map((m) => m.line);
    };
    // A module the file does not show (no such project file): recommended takes it as no evidence.
    expect(await lint(plugin.configs.recommended as Linter.Config, 'syncInBackground', './not-in-the-project')).toEqual([]);
    expect(await lint(plugin.configs.strict as Linter.Config, 'syncInBackground', './not-in-the-project')).toEqual([3]);
    // tasks.ts's syncInBackground awaits a reindex outside try/catch: read from the other file, it can reject (issue 14, shape 5).
    expect(await lint(plugin.configs.recommended as Linter.Config)).toEqual([3]);
    expect(await lint(plugin.configs.strict as Linter.Config)).toEqual([3]);
    // tasks.ts wraps refreshInBackground's whole body in try/catch: read from the other file, it cannot reject.
    expect(await lint(plugin.configs.strict as Linter.Config, 'refreshInBackground')).toEqual([]);
  });

  it('recommended-type-checked is recommended with parserOptions.projectService, on TypeScript files only', () => {
    const typed = plugin.configs['recommended-type-checked'];
    expect(typed.rules).toEqual(plugin.configs.recommended.rules);
    // JavaScript files (eslint.config.js) are in no tsconfig: the project service would fail on them.
    expect(typed.files).toEqual(['**/*.{ts,tsx,mts,cts}']);
    expect(typed.languageOptions?.parserOptions).toEqual({ projectService: true });
    expect(typed.name).toBe('background-tasks/recommended-type-checked');
  });

  it('documents every exported config in the README', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    for (const name of Object.keys(plugin.configs)) {
      expect(readme).toContain(name.includes('-') ? `| \`configs['${name}']\` |` : `| \`configs.${name}\` |`);
    }
  });

  it('disable-type-checked turns every way of getting a program off, and no rule off', () => {
    const off = plugin.configs['disable-type-checked'];
    expect(off).toEqual({
      name: 'background-tasks/disable-type-checked',
      languageOptions: { parserOptions: { project: false, projectService: false, program: null } },
    });
  });

  async function lintConsumer(config: Linter.Config) {
    const eslint = new ESLint({ cwd: TYPED_FIXTURE_DIR, overrideConfigFile: true, overrideConfig: [config] });
    const [result] = await eslint.lintFiles([path.join(TYPED_FIXTURE_DIR, 'consumer.ts')]);
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
    return result!.messages.filter((m) => m.ruleId === FLOATING).map((m) => m.line);
  }

  it('recommended (syntactic) cannot see that an imported function returns a promise', async () => {
    expect(await lintConsumer(plugin.configs.recommended as Linter.Config)).toEqual([]);
  });

  it('recommended-type-checked reports the imported async call, not the one that catches everything', async () => {
    expect(await lintConsumer(plugin.configs['recommended-type-checked'] as Linter.Config)).toEqual([6]);
  });

  describe('in a plain project: eslint.config.js, a tsconfig.json for src/, JavaScript beside TypeScript', () => {
    // Inside a function: a module's top-level call is its entry point, not a floating task (issue 13).
    // Returning a call: an async function that awaits and returns nothing cannot reject in practice.
    const FLOATING_TS = 'export async function tick(): Promise<unknown> { return fetch("/"); }\nexport function start(): void { tick(); }\n';
    const FLOATING_JS = 'async function tock() { return fetch("/"); }\nexport function go() { tock(); }\n';

    /** Lints the whole project with `configs`; returns every message as file:line rule (null for parsing errors). */
    async function lintProject(configs: Linter.Config[]): Promise<string[]> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-typed-'));
      try {
        const files: Record<string, string> = {
          'eslint.config.js': 'export default [];\n',
          'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', noEmit: true }, include: ['src'] }),
          'src/floating.ts': FLOATING_TS,
          'src/legacy.js': FLOATING_JS,
          'lib/seed.mjs': FLOATING_JS,
        };
        for (const [file, text] of Object.entries(files)) {
          fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          fs.writeFileSync(path.join(dir, file), text);
        }
        const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: configs });
        const results = await eslint.lintFiles(['.']);
        return results
          .flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId ?? m.message}`))
          .sort();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    it('recommended-type-checked alone: TypeScript typed, the config file and JavaScript not a parsing error', async () => {
      expect(await lintProject([plugin.configs['recommended-type-checked'] as Linter.Config])).toEqual([`src/floating.ts:2 ${FLOATING}`]);
    });

    it('recommended + recommended-type-checked: JavaScript gets the rules without types, TypeScript with them', async () => {
      expect(await lintProject([plugin.configs.recommended as Linter.Config, plugin.configs['recommended-type-checked'] as Linter.Config])).toEqual([
        `lib/seed.mjs:2 ${FLOATING}`,
        `src/floating.ts:2 ${FLOATING}`,
        `src/legacy.js:2 ${FLOATING}`,
      ]);
    });

    it('disable-type-checked on JavaScript files that a type-checked config covers: linted without types, not a parsing error', async () => {
      const typedEverywhere = { ...plugin.configs['recommended-type-checked'], files: ['**/*.{ts,js,mjs}'] } as Linter.Config;
      const broken = await lintProject([typedEverywhere]);
      expect(broken.filter((m) => m.includes('not found by the project service'))).toHaveLength(3);
      expect(await lintProject([typedEverywhere, { files: ['**/*.{js,mjs}'], ...plugin.configs['disable-type-checked'] } as Linter.Config])).toEqual([
        `lib/seed.mjs:2 ${FLOATING}`,
        `src/floating.ts:2 ${FLOATING}`,
        `src/legacy.js:2 ${FLOATING}`,
      ]);
    });
  });
});
