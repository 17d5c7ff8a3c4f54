/**
 * `npm install` into a throwaway prefix for the integration tests: offline-first from npm's cache
 * (so a warm CI cache costs seconds), no lockfile or save, no install scripts, and a quick failure
 * when the registry is down. The caller decides whether "unreachable" means skip or fail.
 */
import { run, type RunResult } from './process.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Network failures, as npm prints them. */
export const NETWORK_ERROR = /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH|HOSTUNREACH)|network|offline|FETCH_ERROR/i;

/** Installs `specs` (names, versions or tarball paths) into `prefix`. */
export function npmInstall(prefix: string, specs: readonly string[], options: { save?: boolean } = {}): Promise<RunResult> {
  return run(
    npm,
    [
      'install',
      ...(options.save ? [] : ['--no-save', '--no-package-lock']),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      // Fail within a minute when the registry is down, rather than after minutes of back-off.
      '--fetch-retries=1',
      '--fetch-retry-mintimeout=2000',
      '--fetch-retry-maxtimeout=10000',
      '--prefix',
      prefix,
      ...specs,
    ],
    { cwd: prefix, timeoutMs: 300_000 },
  );
}

/** Runs any other npm command (argument array, no shell). */
export function npmRun(cwd: string, args: readonly string[], timeoutMs = 120_000): Promise<RunResult> {
  return run(npm, args, { cwd, timeoutMs });
}
