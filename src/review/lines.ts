/**
 * Line numbers in two dialects. Git counts only `\n` as a line break; ESLint (and TypeScript)
 * also count a lone `\r`, U+2028 and U+2029. A diff's changed lines must be translated before
 * they are compared with the rules' lines, or a file with CR-only endings (or a header of
 * U+2028 characters) hides its tasks from the review.
 */

/** Line ranges, inclusive and 1-based. */
export type LineRanges = readonly (readonly [number, number])[];

const EXTRA_BREAK = /\r(?!\n)|[\u2028\u2029]/;

/** Translates git's line ranges of a text into ESLint's line ranges of the same text. */
export function toEslintRanges(text: string, ranges: LineRanges): LineRanges {
  if (!EXTRA_BREAK.test(text)) return ranges;
  // first[g] / last[g]: ESLint's line at the start and at the end of git's line g.
  const first: number[] = [0, 1];
  const last: number[] = [0];
  let eslintLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      last.push(eslintLine);
      eslintLine += 1;
      first.push(eslintLine);
    } else if ((c === 13 && text.charCodeAt(i + 1) !== 10) || c === 0x2028 || c === 0x2029) {
      eslintLine += 1;
    }
  }
  last.push(eslintLine);
  const gitLines = last.length - 1;
  return ranges.map(([from, to]) => {
    const start = first[Math.min(Math.max(from, 1), gitLines)]!;
    const end = to >= gitLines ? Math.max(eslintLine, to) : last[Math.max(to, 1)]!;
    return [start, end] as const;
  });
}
