/**
 * Child processes for the integration tests: every child runs in its own process group with
 * a deadline, and `killAllChildren()` (called from each file's `afterAll`) ends whatever is
 * still alive, grandchildren included, so a failed test never leaves a server behind.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const live = new Set<ChildProcess>();
// Children run in their own process groups: end them even when the test worker exits abruptly.
process.once('exit', () => killAllChildren());

/** Ends a child and its whole process group (children are spawned `detached`, so the group is theirs). */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Ends every child these helpers started that is still running. */
export function killAllChildren(): void {
  for (const child of live) killTree(child);
  live.clear();
}

/** Spawns a long-lived child (a language server) in its own process group, tracked for cleanup. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (with its group) after this many milliseconds; the result then has `code: null`. */
  timeoutMs?: number;
  input?: string;
}

/** Runs a command to completion (argument array, no shell) and collects its output. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
      killTree(child);
    }, options.timeoutMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    // A child that exits without reading its input must not fail the test run with EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.input ?? '');
  });
}

/** Runs a Node script with the current Node binary. */
export function runNode(script: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return run(process.execPath, [script, ...args], options);
}
