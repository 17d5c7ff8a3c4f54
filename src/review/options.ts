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
