/**
 * The one place where text from the reviewed repository (file names, task names, rule messages
 * that quote its code, `eslint-disable` reasons) is made safe for where it is shown. The PR
 * under review controls that text, so nothing it holds may start a heading, a list, a link,
 * raw HTML, a mention, a new line (`\n`, a lone `\r`, U+2028/U+2029, NEL) or a terminal
 * escape sequence. Each function is total: any input gives inert output.
 */

/** Every character a renderer treats as a line break (ESLint's, CommonMark's and NEL). */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
/** C0/C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** ASCII punctuation: CommonMark lets any of it be backslash-escaped, and some of it is syntax. */
const MARKDOWN_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const ZERO_WIDTH_SPACE = '\u200b';

/** Text without control characters (ESC, BEL, bidirectional overrides); line breaks kept. */
export function withoutControls(text: string): string {
  return text.replace(CONTROLS, '');
}

/** One line of plain text: line breaks become spaces, controls and tabs are dropped or flattened. */
export function oneLineText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROLS, '');
}

/**
 * Breaks what GitHub and GitLab turn into links or notifications inside plain text, which
 * backslashes do not stop: bare URLs (`https://`, `www.`), `@mentions` and `#123` references.
 */
function defuseAutolinks(text: string): string {
  return text
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
    .replace(/([@#!])(?=[\w-])/g, `$1${ZERO_WIDTH_SPACE}`);
}

/** Markdown inline text (also safe in a GFM table cell): every punctuation mark escaped. */
export function markdownText(text: string): string {
  return defuseAutolinks(oneLineText(text)).replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** A Markdown code span that holds any text: the fence is longer than any backtick run in it. */
export function markdownCode(text: string): string {
  const flat = oneLineText(text);
  if (flat === '') return markdownText(text);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space on each side keeps a leading or trailing backtick off the fence (CommonMark strips one).
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : '';
  // `|` ends a GFM table cell even inside a code span unless escaped, and the escape is dropped there.
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/**
 * A rule message: its `code` quotes (how rules quote code) become code spans, the rest plain
 * text. A name holding a backtick only shifts which parts are code; every part stays inert.
 */
export function markdownMessage(text: string): string {
  const parts = oneLineText(text).split('`');
  if (parts.length % 2 === 0) return markdownText(text);
  return parts.map((part, i) => (i % 2 === 1 ? markdownCode(part) : markdownText(part))).join('');
}

/** Text inside an HTML element (a `<summary>`): entities for markup, no line breaks, no mentions. */
export function htmlText(text: string): string {
  return defuseAutolinks(oneLineText(text)).replace(/[&<>"'`\\*_[\]|~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A link target: an absolute http(s) base (or none) and a repository path, percent-encoded. */
export function linkTarget(base: string | undefined, file: string, line: number): string {
  const encoded = file
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  const prefix = base && /^https?:\/\/[^\s<>()]+$/i.test(base) ? (base.endsWith('/') ? base : `${base}/`) : '';
  return `${prefix}${encoded}#L${Math.max(1, Math.trunc(line))}`;
}

/** A Markdown link to a file line. */
export function markdownLink(base: string | undefined, file: string, line: number): string {
  return `[${markdownText(`${file}:${line}`)}](${linkTarget(base, file, line)})`;
}

/** One line for a terminal: no escape sequences (ESC, BEL, CSI, OSC), no line breaks. */
export function terminalText(text: string): string {
  return oneLineText(text);
}
