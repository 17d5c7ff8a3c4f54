/**
 * A second ESLint, major 9, for the version matrix: installed once with npm into
 * node_modules/.cache/bgtask-eslint9 (offline-first, nothing saved to the project), then reused.
 * When the npm registry cannot be reached the caller skips with the reason instead of failing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NETWORK_ERROR, npmInstall } from './npm.js';
import { ROOT } from './process.js';

/** Exact versions, so every machine tests the same thing. */
export const ESLINT9_PACKAGES = ['eslint@9.39.5', '@typescript-eslint/parser@8.72.0', 'jiti@2.7.0'];

const CACHE = path.join(ROOT, 'node_modules', '.cache', 'bgtask-eslint9');
/** Written when the registry was unreachable, so the next test file skips at once instead of retrying. */
const UNREACHABLE = `${CACHE}.unreachable`;
const UNREACHABLE_FOR_MS = 15 * 60_000;

export type Eslint9 = { ok: true; dir: string; nodeModules: string; version: string } | { ok: false; reason: string };


function installed(): Eslint9 | undefined {
  const manifest = path.join(CACHE, 'node_modules', 'eslint', 'package.json');
  if (!fs.existsSync(manifest)) return undefined;
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  const wanted = ESLINT9_PACKAGES[0]!.split('@')[1];
  if (version !== wanted) return undefined;
  if (!ESLINT9_PACKAGES.every((spec) => fs.existsSync(path.join(CACHE, 'node_modules', spec.slice(0, spec.lastIndexOf('@')), 'package.json')))) return undefined;
  return { ok: true, dir: path.join(CACHE, 'node_modules', 'eslint'), nodeModules: path.join(CACHE, 'node_modules'), version };
}

/** ESLint 9 from the cache, installing it first when needed (a few seconds with a warm npm cache). */
export async function ensureEslint9(): Promise<Eslint9> {
  const ready = installed();
  if (ready) return ready;
  if (fs.existsSync(UNREACHABLE) && Date.now() - fs.statSync(UNREACHABLE).mtimeMs < UNREACHABLE_FOR_MS) {
    return { ok: false, reason: fs.readFileSync(UNREACHABLE, 'utf8').trim() };
  }
  fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(path.join(CACHE, 'package.json'), '{ "name": "bgtask-eslint9", "private": true }\n');
  const result = await npmInstall(CACHE, ESLINT9_PACKAGES);
  const after = installed();
  if (result.code === 0 && after) {
    fs.rmSync(UNREACHABLE, { force: true });
    return after;
  }
  const output = `${result.stdout}\n${result.stderr}`;
  fs.rmSync(CACHE, { recursive: true, force: true });
  if (NETWORK_ERROR.test(output)) {
    const reason = `ESLint 9 not tested: the npm registry is unreachable (${output.trim().split('\n').find((l) => NETWORK_ERROR.test(l))?.trim()})`;
    fs.writeFileSync(UNREACHABLE, `${reason}\n`);
    return { ok: false, reason };
  }
  throw new Error(`npm install ${ESLINT9_PACKAGES.join(' ')} failed (exit ${result.code}):\n${output.slice(-3000)}`);
}
