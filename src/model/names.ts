/** Name matching shared by the vocabulary: exact names and `*` globs. */

/** A compiled set of names and globs (`logger`, `*Logger`, `*queue`). */
export interface NameMatcher {
  (name: string | undefined): boolean;
  readonly source: readonly string[];
}

const regexpCache = new Map<string, RegExp>();
/** A bound on the answers a matcher remembers (a long-running editor session sees many names). */
export const MAX_REMEMBERED_NAMES = 10_000;

/**
 * `answer` with its results remembered per name: names repeat within and across files, and
 * some answers run a regular expression. Bounded: the memory is dropped when it is full.
 */
export function rememberAnswers<T>(answer: (name: string) => T): (name: string) => T {
  const answers = new Map<string, T>();
  return (name) => {
    const known = answers.get(name);
    if (known !== undefined || answers.has(name)) return known!;
    if (answers.size >= MAX_REMEMBERED_NAMES) answers.clear();
    const result = answer(name);
    answers.set(name, result);
    return result;
  };
}

/** Text with the characters regular expressions give a meaning escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A cheap text test: whether a text contains any of the words (none when `words` is empty). */
export function textMentions(words: readonly string[], flags = ''): (text: string) => boolean {
  if (words.length === 0) return () => false;
  const re = new RegExp(words.map(escapeRegExp).join('|'), flags);
  return (text) => re.test(text);
}

function globToRegExp(glob: string): RegExp {
  let re = regexpCache.get(glob);
  if (!re) {
    const body = glob.split('*').map(escapeRegExp).join('.*');
    re = new RegExp(`^${body}$`);
    regexpCache.set(glob, re);
  }
  return re;
}

/** Builds a matcher that accepts a name equal to an entry or matching an entry's `*` glob. */
export function nameMatcher(entries: readonly string[]): NameMatcher {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const entry of entries) {
    if (entry.includes('*')) globs.push(globToRegExp(entry));
    else exact.add(entry);
  }
  if (globs.length === 0) {
    return Object.assign((name: string | undefined): boolean => name !== undefined && exact.has(name), { source: entries });
  }
  const globsMatch = rememberAnswers((name) => globs.some((re) => re.test(name)));
  const match = (name: string | undefined): boolean => name !== undefined && (exact.has(name) || globsMatch(name));
  return Object.assign(match, { source: entries });
}

/** A callee pattern split into receiver glob and member: `*queue.process` -> (`*queue`, `process`). */
export interface CalleePattern {
  /** Receiver glob, or undefined for a plain function call (`setImmediate`). */
  readonly receiver: NameMatcher | undefined;
  readonly member: string;
}

/** Parses `fn`, `obj.method` or `*glob.method` (the last dot separates the member). */
export function parseCalleePattern(pattern: string): CalleePattern {
  const dot = pattern.lastIndexOf('.');
  if (dot <= 0) return { receiver: undefined, member: pattern };
  return { receiver: nameMatcher([pattern.slice(0, dot)]), member: pattern.slice(dot + 1) };
}

/** Whether a call's callee (receiver name, member name) fits a pattern. */
export function calleeFits(pattern: CalleePattern, receiver: string | undefined, member: string): boolean {
  if (pattern.member !== member) return false;
  return pattern.receiver === undefined ? receiver === undefined : pattern.receiver(receiver);
}

/**
 * A matcher of file paths by globs (`**` any folders, `*` any characters but `/`), matched against
 * the path's end, so `jobs/*.ts` matches `/repo/src/jobs/mail.ts`. Windows separators count as `/`.
 */
export function pathMatcher(globs: readonly string[]): (filename: string) => boolean {
  if (globs.length === 0) return () => false;
  const parts = globs.map((glob) =>
    glob
      .replace(/^\.?\//, '')
      .split(/(\*\*\/|\*\*|\*)/)
      .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : escapeRegExp(part)))
      .join(''),
  );
  const re = new RegExp(`(?:^|/)(?:${parts.join('|')})$`);
  return rememberAnswers((filename) => re.test(filename.replace(/\\/g, '/')));
}
