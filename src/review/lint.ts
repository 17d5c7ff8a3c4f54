/**
 * Runs our rules in-process on the changed files and turns their messages into Findings.
 * The repository's ESLint config (when it has one and loading it is allowed) supplies
 * `settings['background-tasks']` and our rules' levels and options; only our rules run, so a
 * repository's other plugins and type-aware rules cost nothing here. The parse is kept: the
 * task analysis reads the same SourceCode the rules saw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import type { TSESLint } from '@typescript-eslint/utils';
import plugin from '../index.js';
import { LINTED_FILES, PLUGIN_NAME } from '../configs.js';
import { itemsForMessage, type Severity } from '../model/checklist.js';
import type { Finding } from '../model/finding.js';
import { mergeSettings, SETTINGS_KEY, SettingsError, vocabularyFromSettings, type CompiledVocabulary } from '../model/settings.js';
import { ReviewEnvironmentError } from './git.js';
import { oneLine } from './options.js';

const CONFIG_FILES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];

export interface LintOptions {
  /** Load the repository's ESLint config (runs its code; off for forks). */
  readonly useEslintConfig: boolean;
  /** A JSON file holding `settings['background-tasks']` (or the block itself). */
  readonly settingsFile: string | undefined;
  /** The text of `eslint-suppressions.json` at the reviewed revision, if there is one. */
  readonly bulkSuppressions?: string | undefined;
}

/** How the repository's ESLint config covers a file. */
export type Coverage = 'linted' | 'ignored' | 'unconfigured';

/** The result of linting one file. */
export interface LintedFile {
  readonly file: string;
  readonly text: string;
  /** Undefined when the file does not parse. */
  readonly sourceCode: Readonly<TSESLint.SourceCode> | undefined;
  readonly vocabulary: CompiledVocabulary;
  readonly findings: readonly Finding[];
  /** Rules (without prefix) that ran on the file. */
  readonly enabledRules: ReadonlySet<string>;
  readonly parseError: { readonly line: number; readonly message: string } | undefined;
}

type Rules = NonNullable<Linter.Config['rules']>;

/**
 * configs.recommended's parser, without the ESTree <-> TypeScript node maps: they serve only
 * type-aware rules (never on here: the review lints without a program) and cost the review a
 * tenth of its memory, since it keeps the parse of the files whose tasks it reports.
 */
const REVIEW_LANGUAGE_OPTIONS: Linter.LanguageOptions = {
  ...plugin.configs.recommended.languageOptions,
  parserOptions: { ...(plugin.configs.recommended.languageOptions?.parserOptions as Linter.ParserOptions | undefined), preserveNodeMaps: false },
};

interface FileConfig {
  readonly rules: Rules;
  readonly settings: unknown;
}

/** Lints files with our rules; one instance per review run. */
export class RuleRunner {
  private readonly linter: Linter;
  private repoEslint: ESLint | undefined;
  /** The same config with ignores off: tells a file no config object matches from an ignored one. */
  private unignoredEslint: ESLint | undefined;
  private readonly configCache = new Map<string, Linter.Config[]>();
  /** Where the settings came from, for the report. */
  readonly configSource: string;

  private constructor(
    private readonly root: string,
    private readonly fixedSettings: unknown,
    configFile: string | undefined,
    private readonly bulkSuppressions: BulkSuppressions | undefined,
  ) {
    this.linter = new Linter({ cwd: root });
    if (configFile) {
      this.repoEslint = new ESLint({ cwd: root });
      this.unignoredEslint = new ESLint({ cwd: root, ignore: false });
    }
    this.configSource = fixedSettings !== undefined ? 'settings file' : configFile ? configFile : 'configs.recommended';
  }

  /** Reads the settings file and finds the repository's config; environment errors for unreadable ones. */
  static async create(root: string, options: LintOptions): Promise<RuleRunner> {
    let settings: unknown;
    if (options.settingsFile !== undefined) {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(path.resolve(options.settingsFile), 'utf8'));
      } catch (error) {
        throw new ReviewEnvironmentError(`cannot read settings file ${options.settingsFile}: ${oneLine(error)}`);
      }
      settings = raw && typeof raw === 'object' && SETTINGS_KEY in raw ? (raw as Record<string, unknown>)[SETTINGS_KEY] : raw;
      checkSettings(settings, options.settingsFile);
    }
    const configFile = options.useEslintConfig ? CONFIG_FILES.find((name) => fs.existsSync(path.join(root, name))) : undefined;
    return new RuleRunner(root, settings, configFile, parseBulkSuppressions(options.bulkSuppressions));
  }

  /**
   * Whether the repository's ESLint config lints a file, ignores it on purpose (an `ignores`
   * pattern), or has no config object for it (a config written for `.js` only): the last is
   * reviewed anyway, with the defaults, rather than silently skipped.
   */
  async coverage(file: string): Promise<Coverage> {
    if (!this.repoEslint || !this.unignoredEslint) return 'linted';
    const full = path.join(this.root, file);
    try {
      if (!(await this.repoEslint.isPathIgnored(full))) return 'linted';
      return (await this.unignoredEslint.isPathIgnored(full)) ? 'unconfigured' : 'ignored';
    } catch (error) {
      throw new ReviewEnvironmentError(`cannot load the repository's ESLint config: ${oneLine(error)}`);
    }
  }

  /** Lints one file's text (the head version) with our rules. */
  async lint(file: string, text: string): Promise<LintedFile> {
    const config = await this.configFor(file);
    const filename = path.join(this.root, file);
    const messages = this.linter.verify(text, config, { filename });
    // Present since ESLint 8.8; missing from the type declarations.
    const suppressed = (this.linter as unknown as { getSuppressedMessages(): Linter.SuppressedLintMessage[] }).getSuppressedMessages();
    const sourceCode = this.linter.getSourceCode() as unknown as Readonly<TSESLint.SourceCode> | null;
    const settings = config[0]!.settings ?? {};
    const vocabulary = vocabularyFromSettings(settings as Record<string, unknown>);
    const enabledRules = new Set(
      Object.entries(config[0]!.rules ?? {})
        .filter(([, level]) => severityOf(level) !== 0)
        .map(([name]) => name.slice(PLUGIN_NAME.length + 1)),
    );
    const fatal = messages.find((m) => m.fatal);
    const bulk = this.bulkSuppressedRules(file, messages);
    const findings = [...messages, ...suppressed]
      .filter((m) => m.ruleId?.startsWith(`${PLUGIN_NAME}/`))
      .map((m) => toFinding(file, m, config[0]!.rules ?? {}, m.severity === 2 && bulk.has(m.ruleId!)))
      .sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
    return {
      file,
      text,
      sourceCode: fatal ? undefined : (sourceCode ?? undefined),
      vocabulary,
      findings,
      enabledRules,
      parseError: fatal ? { line: fatal.line, message: fatal.message } : undefined,
    };
  }

  /**
   * Rules whose errors in a file ESLint's bulk suppressions file (`eslint-suppressions.json`)
   * covers: like ESLint, all of a rule's errors when there are no more than the recorded count.
   */
  private bulkSuppressedRules(file: string, messages: readonly Linter.LintMessage[]): Set<string> {
    const recorded = this.bulkSuppressions?.[file];
    const rules = new Set<string>();
    if (!recorded) return rules;
    const counts = new Map<string, number>();
    for (const m of messages) if (m.severity === 2 && m.ruleId) counts.set(m.ruleId, (counts.get(m.ruleId) ?? 0) + 1);
    for (const [rule, count] of counts) if (count <= (recorded[rule]?.count ?? -1)) rules.add(rule);
    return rules;
  }

  private async configFor(file: string): Promise<Linter.Config[]> {
    const own = await this.repoConfig(file);
    const key = JSON.stringify(own);
    let config = this.configCache.get(key);
    if (!config) {
      config = [
        {
          files: LINTED_FILES,
          languageOptions: REVIEW_LANGUAGE_OPTIONS,
          plugins: { [PLUGIN_NAME]: plugin },
          rules: own.rules,
          settings: own.settings === undefined ? {} : { [SETTINGS_KEY]: own.settings },
          linterOptions: { reportUnusedDisableDirectives: 'off' },
        },
      ];
      this.configCache.set(key, config);
    }
    return config;
  }

  /** Our rules' levels and the settings for a file, from the repository's config or the defaults. */
  private async repoConfig(file: string): Promise<FileConfig> {
    const recommended = plugin.configs.recommended.rules ?? {};
    if (!this.repoEslint) return { rules: recommended, settings: this.fixedSettings };
    let computed: Linter.Config | undefined;
    try {
      computed = (await this.repoEslint.calculateConfigForFile(path.join(this.root, file))) as Linter.Config | undefined;
    } catch (error) {
      this.repoEslint = undefined;
      throw new ReviewEnvironmentError(`cannot load the repository's ESLint config: ${oneLine(error)}`);
    }
    const ours: Rules = {};
    for (const [name, entry] of Object.entries(computed?.rules ?? {})) {
      if (name.startsWith(`${PLUGIN_NAME}/`) && name.slice(PLUGIN_NAME.length + 1) in plugin.rules) ours[name] = entry;
    }
    // A config that does not enable our plugin still gets its red flags reviewed.
    const rules = Object.keys(ours).length > 0 ? ours : recommended;
    const settings = this.fixedSettings ?? (computed?.settings as Record<string, unknown> | undefined)?.[SETTINGS_KEY];
    if (this.fixedSettings === undefined && settings !== undefined) checkSettings(settings, 'the ESLint config');
    return { rules, settings };
  }
}

/** ESLint's bulk suppressions file: file -> rule -> how many errors it tolerates. */
type BulkSuppressions = Record<string, Record<string, { count: number } | undefined> | undefined>;

/** ESLint's bulk suppressions file, at the repository root. */
export const BULK_SUPPRESSIONS_FILE = 'eslint-suppressions.json';

function parseBulkSuppressions(text: string | undefined): BulkSuppressions | undefined {
  if (text === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(text);
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('must be an object');
    return data as BulkSuppressions;
  } catch (error) {
    throw new ReviewEnvironmentError(`cannot read ${BULK_SUPPRESSIONS_FILE}: ${oneLine(error)}`);
  }
}

function checkSettings(settings: unknown, where: string): void {
  try {
    mergeSettings(settings);
  } catch (error) {
    if (error instanceof SettingsError) throw new ReviewEnvironmentError(`${where}: ${error.message}`);
    throw error;
  }
}

function severityOf(entry: Rules[string]): number {
  const level = Array.isArray(entry) ? entry[0] : entry;
  return level === 'error' || level === 2 ? 2 : level === 'warn' || level === 1 ? 1 : 0;
}

function toFinding(file: string, message: Linter.LintMessage | Linter.SuppressedLintMessage, rules: Rules, bulkSuppressed: boolean): Finding {
  const ruleId = message.ruleId!.slice(PLUGIN_NAME.length + 1);
  const level = severityOf(rules[message.ruleId!]);
  const severity: Severity = level === 1 ? 'warning' : 'error';
  const suppression =
    'suppressions' in message
      ? message.suppressions[0]
      : bulkSuppressed
        ? { kind: 'file', justification: `bulk-suppressed in ${BULK_SUPPRESSIONS_FILE}` }
        : undefined;
  const rule = (plugin.rules as Record<string, { meta?: { docs?: { url?: string } } }>)[ruleId];
  return {
    ruleId,
    messageId: message.messageId,
    items: itemsForMessage(ruleId, message.messageId).map((entry) => entry.id),
    file,
    line: message.line,
    column: message.column,
    endLine: message.endLine ?? message.line,
    endColumn: message.endColumn ?? message.column,
    severity,
    message: message.message,
    docsUrl: rule?.meta?.docs?.url,
    suggestions: (message.suggestions ?? []).map((s) => ({ description: s.desc, fix: { range: s.fix.range, text: s.fix.text } })),
    suppression: suppression ? { kind: suppression.kind === 'directive' ? 'directive' : 'file', justification: suppression.justification } : undefined,
  };
}
