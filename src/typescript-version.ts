/**
 * Refuses, in one line, a TypeScript that typescript-eslint 8 cannot parse with. TypeScript 7 is the
 * native port, without the JavaScript compiler API: the parser would otherwise fail on every file
 * with a stack trace that does not say why.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The highest TypeScript major typescript-eslint 8 supports (its peer range is `<6.1.0`). */
const HIGHEST_SUPPORTED_MAJOR = 6;

/** The version of the `typescript` package this plugin (and so its parser) resolves, if any. */
export function installedTypeScriptVersion(from: string | URL = import.meta.url): string | undefined {
  let manifest: string;
  try {
    manifest = createRequire(from).resolve('typescript/package.json');
  } catch {
    return undefined; // TypeScript is an optional peer: JavaScript-only projects need none.
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}

/** The one-line error for an unsupported TypeScript version, or undefined when it is supported. */
export function unsupportedTypeScriptMessage(version: string | undefined): string | undefined {
  const major = Number(/^(\d+)\./.exec(version ?? '')?.[1]);
  if (!Number.isInteger(major) || major <= HIGHEST_SUPPORTED_MAJOR) return undefined;
  return `eslint-plugin-background-tasks: typescript@${version} is installed, but typescript-eslint 8 needs typescript >=4.8.4 <6.1.0 (TypeScript 7 has no JavaScript API yet); install typescript@~6.0 to lint.`;
}

const message = unsupportedTypeScriptMessage(installedTypeScriptVersion());
if (message) throw new Error(message);
