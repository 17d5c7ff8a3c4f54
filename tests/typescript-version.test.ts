/** The load-time check: TypeScript 7 (no JavaScript API) stops the plugin with one clear line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { installedTypeScriptVersion, unsupportedTypeScriptMessage } from '../dist/typescript-version.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A module URL inside a temp project whose node_modules/typescript has `version` (none when undefined). */
function projectWith(version: string | undefined): URL {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-ts-'));
  dirs.push(dir);
  if (version !== undefined) {
    fs.mkdirSync(path.join(dir, 'node_modules', 'typescript'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'typescript', 'package.json'), JSON.stringify({ name: 'typescript', version }));
  }
  return pathToFileURL(path.join(dir, 'index.js'));
}

describe('TypeScript version check', () => {
  it('reads the version of the typescript package the plugin resolves', () => {
    expect(installedTypeScriptVersion(projectWith('7.0.2'))).toBe('7.0.2');
    expect(installedTypeScriptVersion()).toMatch(/^6\.0\./); // this repository's
  });

  it('accepts a project without TypeScript (JavaScript only)', () => {
    const url = projectWith(undefined);
    // Unless a typescript package sits above the temp dir, nothing resolves.
    const found = installedTypeScriptVersion(url);
    expect(unsupportedTypeScriptMessage(found)).toBeUndefined();
    expect(unsupportedTypeScriptMessage(undefined)).toBeUndefined();
  });

  it.each(['4.8.4', '5.9.3', '6.0.3', '6.1.0-dev.20260101'])('accepts TypeScript %s', (version) => {
    expect(unsupportedTypeScriptMessage(version)).toBeUndefined();
  });

  it.each(['7.0.2', '7.1.0-beta', '8.0.0'])('refuses TypeScript %s in one line that says what to install', (version) => {
    const message = unsupportedTypeScriptMessage(version);
    expect(message).toBe(
      `eslint-plugin-background-tasks: typescript@${version} is installed, but typescript-eslint 8 needs typescript >=4.8.4 <6.1.0 (TypeScript 7 has no JavaScript API yet); install typescript@~6.0 to lint.`,
    );
    expect(message).not.toContain('\n');
  });
});
