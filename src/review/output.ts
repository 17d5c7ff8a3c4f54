/** Output files: written atomically, and no temp file left behind by an interrupt. Light enough for the CLI to load first. */
import fs from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ReviewEnvironmentError } from './git.js';

/** Temp files being written, removed if the process is interrupted. */
const pendingOutputs = new Set<string>();

/** Removes temp files of writes still in progress (on SIGINT/SIGTERM). */
export function removePendingOutputs(): void {
  for (const temp of pendingOutputs) rmSync(temp, { force: true });
  pendingOutputs.clear();
}

/** Writes a file atomically: a temp file beside it, then a rename. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const target = path.resolve(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  pendingOutputs.add(temp);
  try {
    await fs.writeFile(temp, text, 'utf8');
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new ReviewEnvironmentError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    pendingOutputs.delete(temp);
  }
}
