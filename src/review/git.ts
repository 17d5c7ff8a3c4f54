/**
 * The git side of the review: the range, the changed files and their changed lines, file
 * contents at the head. Git runs through execFile with argument arrays only (never a shell),
 * and every list of names is read NUL-separated, so any file name is safe.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A problem with the environment (not a git repository, unknown revision): exit 2. */
export class ReviewEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewEnvironmentError';
  }
}

interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git with an argument array; never throws for a non-zero exit. */
export function git(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      { cwd, maxBuffer: 1024 * 1024 * 512, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new ReviewEnvironmentError(`cannot run git: ${error.message}`));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

async function gitOk(cwd: string, args: readonly string[], what: string): Promise<string> {
  const result = await git(cwd, args);
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new ReviewEnvironmentError(`${what}${detail ? `: ${detail}` : ''}`);
  }
  return result.stdout;
}

/** The repository's top-level directory; an environment error outside a repository. */
export async function repositoryRoot(dir: string): Promise<string> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new Error();
  } catch {
    throw new ReviewEnvironmentError(`not a directory: ${dir}`);
  }
  const result = await git(dir, ['rev-parse', '--show-toplevel']);
  if (result.code !== 0) throw new ReviewEnvironmentError(`not a git repository: ${dir}`);
  return result.stdout.replace(/\n$/, '');
}

/** A revision's commit id; an environment error when it does not name a commit. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  if (rev.startsWith('-')) throw new ReviewEnvironmentError(`unknown revision: ${rev}`);
  const result = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (result.code !== 0) throw new ReviewEnvironmentError(`unknown revision: ${rev}`);
  return result.stdout.trim();
}

/**
 * The default base: the upstream branch (unless it is this branch's own remote copy, which
 * would compare the branch with itself), else the remote's default branch, `main`, `master`.
 */
export async function defaultBase(root: string): Promise<string> {
  const current = (await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'])).stdout.trim();
  const upstream = (await git(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'])).stdout.trim();
  if (upstream && upstream.replace(/^[^/]+\//, '') !== current) return upstream;
  const remoteHead = (await git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).stdout.trim();
  const candidates = [...(remoteHead && remoteHead !== upstream ? [remoteHead] : []), 'main', 'master'];
  for (const name of candidates) {
    if (name === current) continue;
    const ref = name.includes('/') ? `refs/remotes/${name}` : `refs/heads/${name}`;
    const result = await git(root, ['rev-parse', '--verify', '--quiet', ref]);
    if (result.code === 0) return name;
  }
  throw new ReviewEnvironmentError(`no --base given, and no upstream, main or master other than the current branch${current ? ` ${current}` : ''} to default to`);
}

/** The review range: the merge-base of base and head, and head (undefined: the working tree). */
export interface ReviewRange {
  /** What the user named (`main`, `HEAD`, `WORKTREE`), for the report. */
  readonly baseName: string;
  readonly headName: string;
  /** Commit ids; `head` is undefined in worktree mode. */
  readonly mergeBase: string;
  readonly head: string | undefined;
}

/** Resolves `--base`/`--head`/`--worktree` to a range. */
export async function resolveRange(
  root: string,
  options: { base?: string; head?: string; worktree: boolean; all?: boolean },
): Promise<ReviewRange> {
  const baseName = options.base ?? (await defaultBase(root));
  const base = await resolveCommit(root, baseName);
  const headName = options.worktree ? 'WORKTREE' : (options.head ?? 'HEAD');
  const headCommit = await resolveCommit(root, options.worktree ? 'HEAD' : headName);
  const mergeBase = (await gitOk(root, ['merge-base', base, headCommit], `no merge-base between ${baseName} and ${headName}`)).trim();
  // A defaulted base that contains the head reviews nothing: fail instead of reporting green.
  if (options.base === undefined && !options.worktree && !options.all && mergeBase === headCommit) {
    throw new ReviewEnvironmentError(`the default base ${baseName} already contains ${headName}: nothing to compare; pass --base`);
  }
  return { baseName, headName, mergeBase, head: options.worktree ? undefined : headCommit };
}

/** A changed file and its changed lines at the head. */
export interface ChangedFile {
  readonly path: string;
  readonly oldPath: string | undefined;
  readonly status: 'added' | 'modified' | 'renamed' | 'copied';
  /** Inclusive 1-based line ranges of the head version that the change touches. */
  readonly ranges: readonly (readonly [number, number])[];
}

export interface ChangeSet {
  readonly files: readonly ChangedFile[];
  /** Files left out, with why (deleted, binary, not JS/TS). */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** The extensions of JS/TS source files. */
const SOURCE_EXTENSIONS = ['js', 'cjs', 'mjs', 'jsx', 'ts', 'cts', 'mts', 'tsx'];
const SOURCE_FILE = new RegExp(`\\.(?:${SOURCE_EXTENSIONS.join('|')})$`);
/** Files that hold JS/TS code the rules cannot parse: listed as not reviewed, never skipped silently. */
const EMBEDDED_CODE = /\.(?:vue|svelte|astro)$/i;

/** Whether a path is JS/TS source the rules lint (declaration files excluded). */
export function isSourceFile(file: string): boolean {
  return SOURCE_FILE.test(file) && !/\.d\.[cm]?ts$/.test(file) && !file.split('/').includes('node_modules');
}

interface NameStatus {
  readonly status: string;
  readonly path: string;
  readonly oldPath: string | undefined;
}

/** Parses `git diff --name-status -z` output. */
function parseNameStatus(out: string): NameStatus[] {
  const fields = out.split('\0');
  const entries: NameStatus[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++];
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const oldPath = fields[i++]!;
      entries.push({ status, oldPath, path: fields[i++]! });
    } else {
      entries.push({ status, path: fields[i++]!, oldPath: undefined });
    }
  }
  return entries;
}

/**
 * Splits a `git diff -p` into per-file chunks. Header lines are C-quoted by git when a name
 * holds a newline, so a chunk starts exactly at a line beginning `diff --git `; chunks come in
 * the same order as `--name-status` entries of the same diff, so no name is parsed from them.
 */
function splitPatch(patch: string): string[] {
  const chunks: string[] = [];
  let start = -1;
  let at = 0;
  while (at <= patch.length) {
    const next = patch.startsWith('diff --git ', at) ? at : -1;
    if (next === at) {
      if (start >= 0) chunks.push(patch.slice(start, at));
      start = at;
    }
    const newline = patch.indexOf('\n', at);
    if (newline < 0) break;
    at = newline + 1;
  }
  if (start >= 0) chunks.push(patch.slice(start));
  return chunks;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm;

/** The head-side line ranges of one file's hunks; a pure deletion marks the lines around it. */
function hunkRanges(chunk: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const match of chunk.matchAll(HUNK)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count === 0) ranges.push([Math.max(1, start), start + 1]);
    else ranges.push([start, start + count - 1]);
  }
  return ranges;
}

/** Why a changed file is not linted: code in a format the rules cannot parse, or not code. */
function skipReason(file: string): string {
  return EMBEDDED_CODE.test(file) ? `${file.slice(file.lastIndexOf('.'))} files are not supported` : 'not JS/TS';
}

/** Whether a skipped file may hold code that the review did not read. */
export const holdsUnreviewedCode = (reason: string): boolean => reason !== 'not JS/TS' && reason !== 'deleted' && reason !== 'binary';

/** The changed files of a range, with their changed lines (`git diff --unified=0 -M`). */
export async function changedFiles(root: string, range: ReviewRange): Promise<ChangeSet> {
  const revs = range.head ? [range.mergeBase, range.head] : [range.mergeBase];
  const common = ['--no-ext-diff', '--no-textconv', '--no-color', '-M', '--diff-filter=ACDMRT'];
  const names = parseNameStatus(await gitOk(root, ['diff', '--name-status', '-z', ...common, ...revs, '--'], 'git diff failed'));
  const patch = await gitOk(root, ['diff', '--unified=0', ...common, ...revs, '--'], 'git diff failed');
  const chunks = splitPatch(patch);
  const files: ChangedFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  names.forEach((entry, index) => {
    const chunk = chunks[index] ?? '';
    if (entry.status === 'D') skipped.push({ path: entry.path, reason: 'deleted' });
    else if (!isSourceFile(entry.path)) skipped.push({ path: entry.path, reason: skipReason(entry.path) });
    else if (/^Binary files .* differ$/m.test(chunk) || /^GIT binary patch$/m.test(chunk)) {
      skipped.push({ path: entry.path, reason: 'binary' });
    } else {
      const status = entry.status.startsWith('R')
        ? 'renamed'
        : entry.status.startsWith('C')
          ? 'copied'
          : entry.status === 'A'
            ? 'added'
            : 'modified';
      files.push({ path: entry.path, oldPath: entry.oldPath, status, ranges: hunkRanges(chunk) });
    }
  });
  if (!range.head) {
    // Untracked files are part of the working tree's change.
    const untracked = await gitOk(root, ['ls-files', '--others', '--exclude-standard', '-z'], 'git ls-files failed');
    for (const file of untracked.split('\0')) {
      if (!file) continue;
      if (!isSourceFile(file)) skipped.push({ path: file, reason: skipReason(file) });
      else files.push({ path: file, oldPath: undefined, status: 'added', ranges: [[1, Number.MAX_SAFE_INTEGER]] });
    }
  }
  return { files, skipped };
}

/** Every JS/TS file at the head (for `--all`), each wholly "changed". */
export async function allFiles(root: string, range: ReviewRange): Promise<ChangeSet> {
  const out = range.head
    ? await gitOk(root, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', range.head], 'git ls-tree failed')
    : await gitOk(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], 'git ls-files failed');
  const files: ChangedFile[] = [];
  for (const file of new Set(out.split('\0'))) {
    if (file && isSourceFile(file)) {
      files.push({ path: file, oldPath: undefined, status: 'modified', ranges: [[1, Number.MAX_SAFE_INTEGER]] });
    }
  }
  return { files, skipped: [] };
}

/** A file's text at the head (the working tree in worktree mode); undefined when it is gone. */
export async function readAtHead(root: string, range: ReviewRange, file: string): Promise<string | undefined> {
  if (!range.head) {
    try {
      return await fs.readFile(path.join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  }
  const result = await git(root, ['cat-file', 'blob', `${range.head}:${file}`]);
  return result.code === 0 ? result.stdout : undefined;
}

/** The last commit listed: a review reads its head's files three times (a commit's tree never changes). */
let lastListing: { readonly key: string; readonly listing: Promise<string> } | undefined;

/** `git ls-tree -r` of a commit, listed once while the same commit is asked for. */
function treeListing(root: string, commit: string): Promise<string> {
  const key = `${root}\0${commit}`;
  if (lastListing?.key !== key) {
    const listing = gitOk(root, ['ls-tree', '-r', '-z', '--full-tree', commit], 'git ls-tree failed');
    // A failure is not kept: the next caller sees it afresh.
    listing.catch(() => {
      if (lastListing?.listing === listing) lastListing = undefined;
    });
    lastListing = { key, listing };
  }
  return lastListing.listing;
}

/** The blobs of the head commit by repository-relative path (`/`-separated); undefined in worktree mode. */
export async function headBlobs(root: string, range: ReviewRange): Promise<ReadonlyMap<string, string> | undefined> {
  if (!range.head) return undefined;
  const listing = await treeListing(root, range.head);
  const blobs = new Map<string, string>();
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && oid) blobs.set(entry.slice(tab + 1), oid);
  }
  return blobs;
}

/**
 * Many files' texts at the head with two git processes (`ls-tree`, then `cat-file --batch` fed
 * object ids, never names): one process per file costs more than the lint on a large change.
 */
export async function readManyAtHead(root: string, range: ReviewRange, files: readonly string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (files.length === 0) return texts;
  if (!range.head) {
    for (const file of files) {
      const text = await readAtHead(root, range, file);
      if (text !== undefined) texts.set(file, text);
    }
    return texts;
  }
  const wanted = new Set(files);
  const listing = await treeListing(root, range.head);
  const oids: string[] = [];
  const names: string[] = [];
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const name = entry.slice(tab + 1);
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && oid && wanted.has(name)) {
      oids.push(oid);
      names.push(name);
    }
  }
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => reject(new ReviewEnvironmentError(`cannot run git: ${error.message}`)));
    child.on('close', () => resolve(Buffer.concat(chunks)));
    child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  });
  // Each answer: "<oid> blob <size>\n<content>\n".
  let at = 0;
  for (const name of names) {
    const headerEnd = output.indexOf(10, at);
    if (headerEnd < 0) break;
    const size = Number(output.toString('latin1', at, headerEnd).split(' ')[2]);
    if (!Number.isFinite(size)) break;
    texts.set(name, output.toString('utf8', headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return texts;
}

/** Test files at the head that mention any of the names (`git grep -F`, NUL-separated). */
export function testFilesMentioning(root: string, range: ReviewRange, names: readonly string[]): Promise<string[]> {
  const specs = [':(glob)**/*.test.*', ':(glob)**/*.spec.*', ':(glob)**/__tests__/**', ':(glob)**/test/**', ':(glob)**/tests/**'];
  return sourceFilesMentioning(root, range, names, specs);
}

/** Pathspecs of the files {@link isSourceFile} can accept: git grep does not read the others. */
export const SOURCE_PATHSPECS: readonly string[] = SOURCE_EXTENSIONS.map((extension) => `*.${extension}`);

/**
 * Source files at the head (or in the working tree) under `pathspecs` that mention any of the
 * words (`git grep -l -F`), in git's path order: the first `limit` of them, git being stopped once
 * they are found (a review reads no more, and a word as common as `process` matches a thousand files).
 */
export function sourceFilesMentioning(
  root: string,
  range: ReviewRange,
  words: readonly string[],
  pathspecs: readonly string[],
  limit = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  if (words.length === 0 || limit <= 0) return Promise.resolve([]);
  const args = ['grep', '-l', '-z', '-F', '-I', ...words.flatMap((word) => ['-e', word]), ...(range.head ? [range.head] : ['--untracked']), '--', ...pathspecs];
  const prefix = range.head ? `${range.head}:` : '';
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotePath=false', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } });
    const files: string[] = [];
    let pending = '';
    let done = false;
    const finish = (result: string[]) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    child.on('error', (error) => {
      if (!done) reject(new ReviewEnvironmentError(`cannot run git: ${error.message}`));
      done = true;
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (done) return;
      const entries = (pending + chunk).split('\0');
      pending = entries.pop()!;
      for (const entry of entries) {
        const file = prefix && entry.startsWith(prefix) ? entry.slice(prefix.length) : entry;
        if (!file || !isSourceFile(file)) continue;
        files.push(file);
        if (files.length >= limit) {
          child.kill();
          finish(files);
          return;
        }
      }
    });
    // 1: no match; anything else but 0 (a bad revision): nothing to report either.
    child.on('close', (code) => finish(code === 0 ? files : []));
  });
}
