/** The review's option values, kept apart from the heavy modules so that the CLI can check flags first. */

export const FORMATS = ['markdown', 'json', 'sarif', 'github', 'terminal'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** An error's message on one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim())?.trim() ?? 'unknown error';
}

/**
 * The base for absolute file links at the reviewed commit: `--link-base`, else the CI's
 * environment (GitHub Actions, GitLab CI), else none (relative links).
 */
export function linkBaseFor(flag: string | undefined, head: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (flag !== undefined) return flag;
  if (!/^[0-9a-f]{40,64}$/.test(head)) return undefined;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${head}/`;
  if (env.CI_PROJECT_URL) return `${env.CI_PROJECT_URL}/-/blob/${head}/`;
  return undefined;
}

/** Whether to colour: FORCE_COLOR forces it (unless "0"), NO_COLOR turns it off, else a TTY decides. */
export function useColour(env: NodeJS.ProcessEnv, tty: boolean): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR) return false;
  return tty;
}
