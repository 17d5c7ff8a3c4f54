/**
 * The escaper every renderer uses for text from the reviewed repository. Each function is
 * checked on hostile examples (HTML, headings, links, mentions, line breaks of every kind,
 * terminal escapes) and on random strings against the property that makes it safe.
 */
/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { describe, expect, it } from 'vitest';
import {
  htmlText,
  linkTarget,
  markdownCode,
  markdownLink,
  markdownMessage,
  markdownText,
  oneLineText,
  terminalText,
  withoutControls,
} from '../../dist/review/render/escape.js';

const HOSTILE = [
  'a\n\n# Heading\n\n<img src=x onerror=alert(1)>',
  'run\r## also a heading',
  'x\u2028<script>alert(1)</script>\u2029[click](https://evil.example)',
  'see https://evil.example and www.evil.example',
  'ping @octocat and fixes #123',
  '`code` with ``double`` and a lone ` tick',
  '| a | b |',
  '![img](javascript:alert(1))',
  '&lt;b&gt; entity',
  '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 and \u001b[31mred\u001b[0m and bell\u0007',
  'right-to-left \u202egnp.exe',
  'tab\there\u0085nel',
];

/** Random strings over the characters that matter, plus letters. */
function randomStrings(count: number): string[] {
  const alphabet = 'ab `*_[]()<>#!|\\&@:/.-~"\'\n\r\u2028\u2029\u0085\t\u001b\u0007\u202e';
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
}
const SAMPLES = [...HOSTILE, ...randomStrings(500)];
const BREAKS = /[\n\r\u0085\u2028\u2029]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('markdownText', () => {
  it('leaves no line break, control, unescaped punctuation, bare URL or mention', () => {
    for (const sample of SAMPLES) {
      const out = markdownText(sample);
      expect(out).not.toMatch(BREAKS);
      expect(out).not.toMatch(CONTROL);
      // Remove every escaped pair: no ASCII punctuation may remain.
      expect(out.replace(/\\[!-/:-@[-`{-~]/g, '')).not.toMatch(/[!-/:-@[-`{-~]/);
      expect(out).not.toMatch(/:\\?\/\\?\//);
      expect(out).not.toMatch(/@\w/);
    }
  });

  it('keeps the text readable', () => {
    expect(markdownText('src/a b.ts')).toBe('src\\/a b\\.ts');
    expect(markdownText('a\n\n# H')).toBe('a  \\# H');
    expect(markdownText('@octocat')).toBe('\\@\u200boctocat');
  });
});

describe('markdownCode', () => {
  it('uses a fence longer than any backtick run inside, on one line', () => {
    for (const sample of SAMPLES) {
      const out = markdownCode(sample);
      expect(out).not.toMatch(BREAKS);
      expect(out).not.toMatch(CONTROL);
      const fence = /^`+/.exec(out)?.[0];
      if (fence === undefined) continue; // empty after flattening: plain text instead
      expect(out.endsWith(fence)).toBe(true);
      const inner = out.slice(fence.length, out.length - fence.length);
      const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((r) => r.length));
      expect(longest).toBeLessThan(fence.length);
      expect(inner.replace(/\\\|/g, '')).not.toContain('|');
    }
  });

  it('pads a leading or trailing backtick', () => {
    expect(markdownCode('`a')).toBe('`` `a ``');
    expect(markdownCode('Jobs.run')).toBe('`Jobs.run`');
  });
});

describe('markdownMessage', () => {
  it('turns code quotes into code spans and everything else into escaped text', () => {
    expect(markdownMessage('`this.session` is used <b>here</b>\n# not a heading')).toBe('`this.session` is used \\<b\\>here\\<\\/b\\> \\# not a heading');
    // A name with a backtick unbalances the quotes: the whole message becomes plain text.
    expect(markdownMessage('`a`b` x')).toBe('\\`a\\`b\\` x');
    for (const sample of SAMPLES) {
      const out = markdownMessage(sample);
      expect(out).not.toMatch(BREAKS);
      expect(out).not.toMatch(CONTROL);
    }
  });
});

describe('htmlText', () => {
  it('leaves no markup, line break or mention inside an HTML element', () => {
    for (const sample of SAMPLES) {
      const out = htmlText(sample);
      expect(out).not.toMatch(/[<>"'`]/);
      expect(out.replace(/&#\d+;/g, '')).not.toContain('&');
      expect(out).not.toMatch(BREAKS);
      expect(out).not.toMatch(CONTROL);
    }
  });
});

describe('links', () => {
  it('percent-encodes every path segment and accepts only an http(s) base', () => {
    expect(linkTarget(undefined, 'src/a (b)\n<c>.ts', 3)).toBe('src/a%20%28b%29%0A%3Cc%3E.ts#L3');
    expect(linkTarget('https://github.com/o/r/blob/abc', 'a.ts', 1)).toBe('https://github.com/o/r/blob/abc/a.ts#L1');
    expect(linkTarget('javascript:alert(1)//', 'a.ts', 1)).toBe('a.ts#L1');
    expect(markdownLink(undefined, 'a](https://evil.example).ts', 2)).toBe('[a\\]\\(https\\:\u200b\\/\\/evil\\.example\\)\\.ts\\:2](a%5D%28https%3A//evil.example%29.ts#L2)');
  });
});

describe('terminal and annotation text', () => {
  it('strips escape sequences and bell, and keeps one line', () => {
    for (const sample of SAMPLES) {
      const out = terminalText(sample);
      expect(out).not.toMatch(CONTROL);
      expect(out).not.toMatch(BREAKS);
    }
    expect(terminalText('\u001b[31mred\u001b[0m\u0007')).toBe('[31mred[0m');
    expect(withoutControls('a\n\u001bb')).toBe('a\nb');
    expect(oneLineText('a\r\nb\rc\u2028d')).toBe('a b c d');
  });
});
