/**
 * Small throwaway projects that use the plugin the way a user does: through
 * `node_modules/eslint-plugin-background-tasks` (a symlink to this repository, so the built
 * `dist/` and the package.json `exports` are what resolves) and a flat config file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './process.js';

/** Packages a workspace links from the repository's node_modules unless told otherwise. */
const DEFAULT_LINKS = ['eslint', 'typescript-eslint', '@typescript-eslint/parser', 'typescript', 'jiti'];

export interface WorkspaceOptions {
  /** Package name -> directory to link instead of the repository's copy (e.g. ESLint 9). */
  links?: Record<string, string>;
  /** Extra repository packages to link. */
  extra?: string[];
}

export interface Workspace {
  dir: string;
  /** Absolute path of a file in the workspace. */
  file(relative: string): string;
  write(relative: string, text: string): void;
  remove(): void;
}

const created: Workspace[] = [];

/** Creates a workspace under the OS temp dir with `files`, the plugin and its tools linked in. */
export function createWorkspace(files: Record<string, string>, options: WorkspaceOptions = {}): Workspace {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-it-')));
  const link = (name: string, target: string): void => {
    const at = path.join(dir, 'node_modules', name);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at, 'dir');
  };
  link('eslint-plugin-background-tasks', ROOT);
  for (const name of [...DEFAULT_LINKS, ...(options.extra ?? [])]) {
    link(name, options.links?.[name] ?? path.join(ROOT, 'node_modules', name));
  }
  // `npx eslint` finds the local binary first, as in a user's project.
  const bin = path.join(dir, 'node_modules', '.bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(path.join(dir, 'node_modules', 'eslint', 'bin', 'eslint.js'), path.join(bin, 'eslint'));
  const workspace: Workspace = {
    dir,
    file: (relative) => path.join(dir, relative),
    write(relative, text) {
      fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      fs.writeFileSync(path.join(dir, relative), text);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  for (const [relative, text] of Object.entries({ 'package.json': '{ "name": "workspace", "private": true, "type": "module" }\n', ...files })) {
    workspace.write(relative, text);
  }
  created.push(workspace);
  return workspace;
}

/** Removes every workspace created so far (call from `afterAll`). */
export function removeAllWorkspaces(): void {
  for (const workspace of created.splice(0)) workspace.remove();
}
