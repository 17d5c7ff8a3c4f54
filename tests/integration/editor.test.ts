/**
 * The editor, for real: starts `vscode-eslint-language-server` (the server of the VS Code
 * ESLint extension, from `vscode-langservers-extracted`) over stdio on a small workspace that
 * uses the plugin through its flat config, and drives it the way VS Code does: initialize,
 * answer `workspace/configuration` with the extension's settings, open a file, pull
 * diagnostics (`textDocument/diagnostic`), ask for code actions, run "show documentation",
 * edit the file and pull again.
 *
 * The files opened are the fixtures under fixtures/lint (positions checked against their
 * `.expected.json`) and the first ❌ example of every rule doc, each edited into the ✅ example
 * that follows it. ESLint's Node API on the same workspace is the oracle for everything else:
 * the editor must show exactly what `eslint` reports, with the same ranges and suggestions.
 * It runs once with ESLint 10 (the repository's) and once with ESLint 9 in the workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';
import { ruleDocExamples, extensionFor } from '../helpers/doc-examples.js';
import { ensureEslint9 } from './helpers/eslint9.js';
import { LspClient } from './helpers/lsp.js';
import { killAllChildren, ROOT } from './helpers/process.js';
import { createWorkspace, removeAllWorkspaces, type Workspace } from './helpers/workspace.js';

const PREFIX = 'background-tasks/';
const SERVER = path.join(ROOT, 'node_modules', 'vscode-langservers-extracted', 'bin', 'vscode-eslint-language-server');

const CONFIG = `import backgroundTasks from 'eslint-plugin-background-tasks';

export default [
  { ...backgroundTasks.configs.recommended, files: ['fixtures/**/*.ts'], ignores: ['fixtures/**/strict-*'] },
  { ...backgroundTasks.configs.strict, files: ['fixtures/**/strict-*.ts'] },
  { ...backgroundTasks.configs.all, files: ['doc-cases/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'] },
];
`;

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface Diagnostic {
  range: Range;
  message: string;
  severity?: number;
  source?: string;
  code?: string | number;
  codeDescription?: { href: string };
}
interface CodeAction {
  title: string;
  kind?: string;
  command?: { command: string; arguments?: unknown[] };
}

interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies LSP text edits (0-based line/character positions) to a text, as an editor does. */
function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position): number => lineStarts[p.line]! + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

/** The text edits of a `workspace/applyEdit` request for one document. */
function editsOf(params: unknown, uri: string): TextEdit[] {
  const edit = (params as { edit: { documentChanges?: { textDocument: { uri: string }; edits: TextEdit[] }[]; changes?: Record<string, TextEdit[]> } }).edit;
  if (edit.documentChanges) return edit.documentChanges.filter((c) => c.textDocument.uri === uri).flatMap((c) => c.edits);
  return edit.changes?.[uri] ?? [];
}

/** What the extension answers to `workspace/configuration` (vscode-eslint's `ConfigurationSettings`). */
function extensionSettings(workspace: Workspace): Record<string, unknown> {
  return {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    experimental: { useFlatConfig: false },
    codeActionOnSave: { enable: false, mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workingDirectory: { mode: 'location' },
    workspaceFolder: { name: path.basename(workspace.dir), uri: pathToFileURL(workspace.dir).href },
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    timeBudget: { onValidation: { warn: 8000, error: 16000 }, onFixes: { warn: 3000, error: 6000 } },
  };
}

/** The client capabilities VS Code announces that the ESLint server looks at. */
const CAPABILITIES = {
  workspace: { configuration: true, workspaceFolders: true, executeCommand: { dynamicRegistration: false }, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true, willSave: false, willSaveWaitUntil: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    codeAction: {
      dynamicRegistration: false,
      isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll', 'source.fixAll.eslint'] } },
    },
  },
  window: { workDoneProgress: false },
};

/** ESLint's 1-based line/column range as an LSP range. */
function lspRange(message: ESLint.LintResult['messages'][number]): Range {
  return {
    start: { line: message.line - 1, character: message.column - 1 },
    end: { line: (message.endLine ?? message.line) - 1, character: (message.endColumn ?? message.column) - 1 },
  };
}

/** The meta of one of our rules, by its prefixed id. */
const ruleMeta = (ruleId: string): { docs?: { url?: string }; hasSuggestions?: boolean } =>
  (plugin.rules as Record<string, { meta: { docs?: { url?: string }; hasSuggestions?: boolean } }>)[ruleId.slice(PREFIX.length)]!.meta;
const ruleOf = (d: Diagnostic): string | undefined => (typeof d.code === 'string' && d.code.startsWith(PREFIX) ? d.code : undefined);
const ours = (items: Diagnostic[]): Diagnostic[] => items.filter((d) => ruleOf(d) !== undefined);
const byPosition = <T extends { range: Range }>(a: T, b: T): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/** The ESLint the workspace resolves (the server loads the workspace's ESLint, as in VS Code). */
const VERSIONS: { label: string; resolve(): Promise<{ dir: string; links: Record<string, string> } | { skip: string }> }[] = [
  { label: 'ESLint 10', resolve: async () => ({ dir: path.join(ROOT, 'node_modules', 'eslint'), links: {} }) },
  {
    label: 'ESLint 9',
    async resolve() {
      const eslint9 = await ensureEslint9();
      return eslint9.ok ? { dir: eslint9.dir, links: { eslint: eslint9.dir } } : { skip: eslint9.reason };
    },
  },
];

for (const eslintVersion of VERSIONS) {
  describe(`vscode-eslint-language-server with the plugin, ${eslintVersion.label}`, () => {
    let skip: string | undefined;
    let eslintDir = '';
    let workspace: Workspace;
    let client: LspClient;
    let eslint: ESLint;
    let version = 0;
    const timings: { file: string; ms: number; cold: boolean }[] = [];

    const fixtureDir = path.join(ROOT, 'fixtures', 'lint');
    const fixtures = fs.readdirSync(fixtureDir).filter((f) => /\.ts$/.test(f) && fs.existsSync(path.join(fixtureDir, f.replace(/\.ts$/, '.expected.json'))));
    const docCases = Object.keys(plugin.rules).flatMap((rule) => {
      const examples = ruleDocExamples(ROOT, rule);
      const bad = examples.find((e) => e.kind === 'incorrect' && !e.options);
      if (!bad) return [];
      const good = examples.slice(examples.indexOf(bad) + 1).find((e) => e.kind === 'correct' && !e.options);
      return [{ rule, bad, good }];
    });

    /** A test that is skipped, with the reason, when this ESLint cannot be installed. */
    const maybe = (name: string, fn: () => Promise<void> | void) =>
      it(name, async (context) => {
        if (skip) context.skip(skip);
        await fn();
      });

    beforeAll(async () => {
      const resolved = await eslintVersion.resolve();
      if ('skip' in resolved) {
        skip = resolved.skip;
        console.warn(`[editor] ${skip}`);
        return;
      }
      const files: Record<string, string> = { 'eslint.config.js': CONFIG };
      for (const f of fixtures) files[`fixtures/${f}`] = fs.readFileSync(path.join(fixtureDir, f), 'utf8');
      for (const c of docCases) files[`doc-cases/${c.rule}.${extensionFor(c.bad.language)}`] = c.bad.code;
      eslintDir = resolved.dir;
      workspace = createWorkspace(files, { links: resolved.links });
      const api = createRequire(import.meta.url)(resolved.dir) as { ESLint: typeof ESLint };
      eslint = new api.ESLint({ cwd: workspace.dir });
      client = new LspClient(process.execPath, [SERVER, '--stdio'], { cwd: workspace.dir, configuration: () => extensionSettings(workspace) });
      const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
        processId: process.pid,
        clientInfo: { name: 'Visual Studio Code', version: '1.99.0' },
        rootUri: pathToFileURL(workspace.dir).href,
        workspaceFolders: [{ name: path.basename(workspace.dir), uri: pathToFileURL(workspace.dir).href }],
        capabilities: CAPABILITIES,
        initializationOptions: {},
      });
      expect(init.capabilities.diagnosticProvider).toMatchObject({ identifier: 'eslint' });
      expect(init.capabilities.codeActionProvider).toBeDefined();
      client.notify('initialized', {});
    }, 600_000);

    afterAll(async () => {
      await client?.close();
      killAllChildren();
      removeAllWorkspaces();
      if (timings.length > 0) {
        const cold = timings.find((t) => t.cold);
        const warm = timings.filter((t) => !t.cold).map((t) => t.ms);
        const median = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)];
        console.log(
          `[editor] ${eslintVersion.label}: open -> diagnostics: first file ${cold?.ms.toFixed(0)} ms (cold: loads ESLint, the config and the parser); ` +
            `next ${warm.length} files median ${median?.toFixed(0)} ms, max ${Math.max(...warm).toFixed(0)} ms`,
        );
      }
    });

    /** Opens (or replaces) a document and pulls its diagnostics, timing open -> diagnostics. */
    async function openAndPull(relative: string, text: string): Promise<Diagnostic[]> {
      const uri = pathToFileURL(workspace.file(relative)).href;
      const started = performance.now();
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: ++version, text } });
      const report = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
      timings.push({ file: relative, ms: performance.now() - started, cold: timings.length === 0 });
      expect(report.kind).toBe('full');
      return report.items;
    }

    /** What ESLint's Node API reports for the same text in the same workspace. */
    async function expectedFor(relative: string, text: string) {
      const [result] = await eslint.lintText(text, { filePath: workspace.file(relative) });
      const fatal = result!.messages.filter((m) => m.fatal || m.ruleId === null);
      expect(fatal, `${relative} must parse and be linted`).toEqual([]);
      return result!.messages.filter((m) => m.ruleId?.startsWith(PREFIX));
    }

    /** Asserts the editor shows exactly ESLint's diagnostics of our rules, with the same ranges. */
    async function expectSameAsEslint(relative: string, text: string, items: Diagnostic[]) {
      const expected = await expectedFor(relative, text);
      const actual = ours(items)
        .map((d) => ({ rule: ruleOf(d), range: d.range, message: d.message, severity: d.severity, href: d.codeDescription?.href }))
        .sort(byPosition);
      expect(actual).toEqual(
        expected
          .map((m) => ({
            rule: m.ruleId,
            range: lspRange(m),
            message: m.message,
            severity: m.severity === 2 ? 1 : 2,
            href: ruleMeta(m.ruleId!).docs?.url,
          }))
          .sort(byPosition),
      );
      return expected;
    }

    async function codeActionsFor(relative: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
      const uri = pathToFileURL(workspace.file(relative)).href;
      return client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], triggerKind: 1 },
      });
    }

    /** Asserts the quick fixes: "show documentation" (which opens our doc URL) and every suggestion ESLint has. */
    async function expectCodeActions(relative: string, diagnostic: Diagnostic, suggestions: string[]) {
      const rule = ruleOf(diagnostic)!;
      const actions = await codeActionsFor(relative, diagnostic);
      const titles = actions.map((a) => a.title);
      expect(titles).toContain(`Show documentation for ${rule}`);
      expect(titles).toContain(`Disable ${rule} for this line`);
      for (const desc of suggestions) expect(titles).toContain(`${desc} (${rule})`);
      if (!ruleMeta(rule).hasSuggestions) expect(titles.filter((t) => t.endsWith(`(${rule})`))).toEqual([]);

      const showDoc = actions.find((a) => a.title === `Show documentation for ${rule}`)!;
      await client.request('workspace/executeCommand', { command: showDoc.command!.command, arguments: showDoc.command!.arguments });
      const openDoc = await client.nextServerRequest('eslint/openDoc');
      expect(openDoc.params).toEqual({ url: `https://github.com/background-tasks/eslint-plugin-background-tasks/blob/v${plugin.meta.version}/rules-docs/${rule.slice(PREFIX.length)}.md` });
    }

    maybe('has something to open: every fixture and every rule doc has a ❌ example', () => {
      expect(fixtures.length).toBeGreaterThan(0);
      expect(docCases.map((c) => c.rule).sort()).toEqual(Object.keys(plugin.rules).sort());
    });

    for (const fixture of fixtures) {
      maybe(`shows the diagnostics of fixtures/lint/${fixture} at their expected positions`, async () => {
        const relative = `fixtures/${fixture}`;
        const text = fs.readFileSync(path.join(fixtureDir, fixture), 'utf8');
        const items = await openAndPull(relative, text);
        const expectedPositions = JSON.parse(fs.readFileSync(path.join(fixtureDir, fixture.replace(/\.ts$/, '.expected.json')), 'utf8')) as {
          rule: string;
          line: number;
          column: number;
        }[];
        expect(
          ours(items)
            .map((d) => ({ rule: ruleOf(d)!.slice(PREFIX.length), line: d.range.start.line + 1, column: d.range.start.character + 1 }))
            .sort((a, b) => a.line - b.line || a.column - b.column),
        ).toEqual([...expectedPositions].sort((a, b) => a.line - b.line || a.column - b.column));
        const messages = await expectSameAsEslint(relative, text, items);
        for (const d of ours(items).slice(0, 1)) {
          const message = messages.find((m) => m.line === d.range.start.line + 1 && m.column === d.range.start.character + 1)!;
          await expectCodeActions(relative, d, (message.suggestions ?? []).map((s) => s.desc));
        }
      });
    }

    maybe("the server linted with the workspace's ESLint", () => {
      const loaded = client.notifications
        .map((n) => (n.params as { message?: string } | undefined)?.message ?? '')
        .map((message) => /ESLint library loaded from: (.+)$/m.exec(message)?.[1]?.trim())
        .filter((found): found is string => found !== undefined);
      expect(loaded.length, 'the server logs where it loaded ESLint from').toBeGreaterThan(0);
      for (const libraryPath of loaded) expect(fs.realpathSync(libraryPath).startsWith(fs.realpathSync(eslintDir) + path.sep)).toBe(true);
    });

    for (const { rule, bad, good } of docCases) {
      maybe(`${rule}: the doc's ❌ example (${bad.heading}) is flagged, with its quick fixes, and editing it into the ✅ example clears it`, async () => {
        const relative = `doc-cases/${rule}.${extensionFor(bad.language)}`;
        const items = await openAndPull(relative, bad.code);
        const messages = await expectSameAsEslint(relative, bad.code, items);
        const flagged = ours(items).filter((d) => d.code === `${PREFIX}${rule}`);
        expect(flagged.length, `the ❌ example at rules-docs/${rule}.md:${bad.line} is flagged`).toBeGreaterThan(0);
        const first = flagged.sort(byPosition)[0]!;
        const message = messages.find((m) => m.ruleId === `${PREFIX}${rule}` && m.line === first.range.start.line + 1 && m.column === first.range.start.character + 1)!;
        await expectCodeActions(relative, first, (message.suggestions ?? []).map((s) => s.desc));

        if (!good) return;
        const uri = pathToFileURL(workspace.file(relative)).href;
        client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: good.code }] });
        const report = await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
        await expectSameAsEslint(relative, good.code, report.items);
        expect(report.items.filter((d) => d.code === `${PREFIX}${rule}`)).toEqual([]);
        client.notify('textDocument/didClose', { textDocument: { uri } });
      });
    }

    for (const { rule } of docCases.filter((c) => ruleMeta(`${PREFIX}${c.rule}`).hasSuggestions)) {
      maybe(`${rule}: offers its suggestions as quick fixes, and applying one makes exactly ESLint's edit`, async () => {
        const id = `${PREFIX}${rule}`;
        const candidates = ruleDocExamples(ROOT, rule).filter((e) => e.kind === 'incorrect' && !e.options);
        let applied = false;
        for (const [index, example] of candidates.entries()) {
          const relative = `doc-cases/${rule}-suggestion-${index}.${extensionFor(example.language)}`;
          const message = (await expectedFor(relative, example.code)).find((m) => m.ruleId === id && (m.suggestions?.length ?? 0) > 0);
          if (!message) continue;
          const items = await openAndPull(relative, example.code);
          const diagnostic = ours(items).find((d) => d.code === id && d.range.start.line === message.line - 1 && d.range.start.character === message.column - 1);
          expect(diagnostic, 'the editor shows the diagnostic that has the suggestion').toBeDefined();
          const suggestion = message.suggestions![0]!;
          const action = (await codeActionsFor(relative, diagnostic!)).find((a) => a.title === `${suggestion.desc} (${id})`);
          expect(action, `quick fix "${suggestion.desc}"`).toBeDefined();
          await client.request('workspace/executeCommand', { command: action!.command!.command, arguments: action!.command!.arguments });
          const request = await client.nextServerRequest('workspace/applyEdit');
          const uri = pathToFileURL(workspace.file(relative)).href;
          const expected = example.code.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + example.code.slice(suggestion.fix.range[1]);
          expect(applyTextEdits(example.code, editsOf(request.params, uri))).toBe(expected);
          client.notify('textDocument/didClose', { textDocument: { uri } });
          applied = true;
          break;
        }
        expect(applied, `a ❌ example of rules-docs/${rule}.md shows one of the rule's suggestions`).toBe(true);
      });
    }
  });
}
