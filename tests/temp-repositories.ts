/** Temporary repositories for tests that need a project on disk (package.json files, other packages). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * A maker of temporary repositories (relative path -> text; a package.json named `app` unless given),
 * all removed after the test file.
 */
export function temporaryRepositories(prefix: string): (files: Record<string, string>) => string {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });
  return (files) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    roots.push(root);
    for (const [relative, text] of Object.entries({ 'package.json': '{"name":"app","private":true}', ...files })) {
      const file = path.join(root, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    return root;
  };
}

/** A timer's async callback whose await is not caught: reported unless the project's processes hear its rejection. */
export const HEARTBEAT = `
export function start(store: Store) {
  return setInterval(async () => {
    await store.touch();
  }, 1000);
}`;
