/**
 * The code examples of a rule doc: every fenced block that follows a `❌` (incorrect) or
 * `✅` (correct) marker line, or whose first line is a marker comment (`// ❌ Wrong: ...`).
 * Blocks without a marker (option snippets, types) are not examples.
 * An HTML comment `<!-- example-options: {...} -->` between the marker and the block gives the
 * rule options that example is linted with (default options otherwise).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DocExample {
  kind: 'incorrect' | 'correct';
  /** Fence language: ts, tsx, js, ... */
  language: string;
  code: string;
  /** 1-based line of the opening fence in the doc. */
  line: number;
  /** The `### ` heading the example sits under. */
  heading: string;
  /** Rule options for this example, when the doc gives them. */
  options?: unknown[];
}

/** `❌ Incorrect`, `✅ Correct`, `#### ❌ Wrong`, `**✅ Right**`: a marker line, not a sentence with an emoji. */
const MARKER = /^[#*\s]*(❌|✅)\s*\**\s*(Incorrect|Correct|Wrong|Right|Bad|Good)\b/i;

/** `// ❌ Wrong: ...` as the first line of a block. */
const COMMENT_MARKER = /^\s*\/\/\s*(❌|✅)\s*(Incorrect|Correct|Wrong|Right|Bad|Good)\b/i;

const CODE_LANGUAGES = new Set(['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts', 'typescript', 'javascript']);

/** Parses the ❌/✅ examples of one markdown text. */
export function parseExamples(markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  let marker: DocExample['kind'] | undefined;
  let options: unknown[] | undefined;
  let heading = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const start = i;
      const body: string[] = [];
      for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!);
      const language = fence[1]!.toLowerCase();
      const inline = COMMENT_MARKER.exec(body[0] ?? '');
      const kind = marker ?? (inline ? (inline[1] === '❌' ? 'incorrect' : 'correct') : undefined);
      if (kind && CODE_LANGUAGES.has(language)) {
        examples.push({ kind, language, code: `${body.join('\n')}\n`, line: start + 1, heading, ...(options ? { options } : {}) });
      }
      marker = undefined;
      options = undefined;
      continue;
    }
    if (line.startsWith('#') && !MARKER.test(line)) {
      heading = line.replace(/^#+\s*/, '');
      marker = undefined;
    }
    const optionsComment = /^<!--\s*example-options:\s*(.*?)\s*-->$/.exec(line.trim());
    if (optionsComment) options = JSON.parse(optionsComment[1]!) as unknown[];
    else if (MARKER.test(line)) marker = line.includes('❌') ? 'incorrect' : 'correct';
  }
  return examples;
}

/** The examples of `rules-docs/<rule>.md`. */
export function ruleDocExamples(root: string, rule: string): DocExample[] {
  return parseExamples(fs.readFileSync(path.join(root, 'rules-docs', `${rule}.md`), 'utf8'));
}

/** A file extension the config's `files` globs match, for an example's fence language. */
export function extensionFor(language: string): string {
  if (language === 'typescript') return 'ts';
  if (language === 'javascript') return 'js';
  return language;
}
