/**
 * The reviewed revision's files, for the analysis that reads a callee's module from another file
 * (../analysis/tasks/foreign-callees.ts): a review of a commit must read that commit, not whatever
 * the working tree holds. Synchronous (the rules are), and asked only when a report is about to be
 * made, so one `git cat-file` per module read is cheap; each module is parsed once per review.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { OtherFileSource } from '../analysis/tasks/foreign-callees.js';

/** Files of a commit, from its blob ids by repository-relative path. */
export function revisionFiles(root: string, blobs: ReadonlyMap<string, string>): OtherFileSource {
  const blobOf = (file: string): string | undefined => {
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return blobs.get(relative.split(path.sep).join('/'));
  };
  return {
    // A blob id changes exactly when the text does.
    version: blobOf,
    read(file) {
      const blob = blobOf(file);
      if (blob === undefined) return undefined;
      try {
        return execFileSync('git', ['cat-file', 'blob', blob], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return undefined;
      }
    },
  };
}
