/**
 * The one SARIF 2.1.0 writer: the ESLint formatter (`formatters/sarif.ts`) and bgtask-review's
 * renderer both describe their rules and results in the small shapes below and get the same
 * log structure: rule index, `help`/`fullDescription` on every rule (GitHub's ingestion flags
 * rules without them), the tool version, %SRCROOT%-relative URIs, suppressions, fingerprints.
 */
import { createHash } from 'node:crypto';

/** A rule (or checklist item) as SARIF describes it. */
export interface SarifRuleInput {
  readonly id: string;
  readonly name?: string;
  readonly shortDescription: string;
  /** Defaults to the short description. */
  readonly fullDescription?: string;
  /** Plain-text help; defaults to the full description and the docs link. */
  readonly help?: string;
  readonly helpMarkdown?: string;
  readonly helpUri?: string;
  readonly level?: SarifLevel;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export type SarifLevel = 'error' | 'warning' | 'note';

/** One result. `file` is relative to the repository (or the run's cwd), with forward slashes. */
export interface SarifResultInput {
  readonly ruleId: string | undefined;
  readonly level: SarifLevel;
  readonly message: string;
  readonly file: string;
  readonly startLine: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** What identifies the result apart from where it is (no line numbers, no message wording). */
  readonly identity: string;
  readonly suppression?: { readonly kind: 'inSource' | 'external'; readonly justification?: string };
}

export interface SarifTool {
  readonly name: string;
  readonly version?: string;
  readonly informationUri: string;
  readonly rules: readonly SarifRuleInput[];
}

/** Percent-encodes each path segment of a relative file path for a SARIF `uri`. */
export function sarifUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * Serialises a SARIF log. Rules named by results but missing from `tool.rules` are added with
 * their id as description. Fingerprints hash the identity, the file and the occurrence of that
 * identity in the file, so they survive code moving and never collide within a run.
 */
export function sarifLog(tool: SarifTool, results: readonly SarifResultInput[]): string {
  const rules = tool.rules.map(describeRule);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const ruleIndex = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = rules.length;
      rules.push(describeRule({ id, shortDescription: id }));
      index.set(id, i);
    }
    return i;
  };
  const occurrences = new Map<string, number>();
  const sarifResults = results.map((r) => {
    const key = `${r.ruleId ?? ''}\0${r.file}\0${r.identity}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return {
      ...(r.ruleId !== undefined ? { ruleId: r.ruleId, ruleIndex: ruleIndex(r.ruleId) } : {}),
      level: r.level,
      message: { text: r.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: sarifUri(r.file), uriBaseId: '%SRCROOT%' },
            region: {
              startLine: Math.max(1, r.startLine),
              ...(r.startColumn !== undefined ? { startColumn: Math.max(1, r.startColumn) } : {}),
              ...(r.endLine !== undefined ? { endLine: Math.max(1, r.endLine) } : {}),
              ...(r.endColumn !== undefined ? { endColumn: Math.max(1, r.endColumn) } : {}),
            },
          },
        },
      ],
      partialFingerprints: { 'bgtaskIdentity/v2': createHash('sha256').update(`${key}\0${occurrence}`).digest('hex') },
      ...(r.suppression
        ? {
            suppressions: [
              { kind: r.suppression.kind, status: 'accepted', ...(r.suppression.justification ? { justification: r.suppression.justification } : {}) },
            ],
          }
        : {}),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            ...(tool.version ? { version: tool.version, semanticVersion: tool.version } : {}),
            informationUri: tool.informationUri,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function describeRule(rule: SarifRuleInput) {
  const full = rule.fullDescription ?? rule.shortDescription;
  const help = rule.help ?? (rule.helpUri ? `${full} See ${rule.helpUri}` : full);
  return {
    id: rule.id,
    ...(rule.name ? { name: rule.name } : {}),
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: full },
    help: { text: help, ...(rule.helpMarkdown ? { markdown: rule.helpMarkdown } : {}) },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    ...(rule.level ? { defaultConfiguration: { level: rule.level } } : {}),
    ...(rule.properties ? { properties: rule.properties } : {}),
  };
}

/** A message's identity for fingerprints: its message id, else its text without numbers. */
export function messageIdentity(message: { readonly messageId?: string | undefined; readonly message: string }): string {
  return message.messageId ?? message.message.replace(/\d+/g, '#');
}
