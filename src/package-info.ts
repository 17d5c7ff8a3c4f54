/** This package's name, version and where its sources and docs live, read once from package.json. */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  homepage: string;
};

export const PACKAGE_NAME = packageJson.name;
export const PACKAGE_VERSION = packageJson.version;

/** The repository on GitHub (the homepage without its `#readme`). */
export const REPOSITORY_URL = packageJson.homepage.replace(/#.*$/, '');

/**
 * The tree of this release (its git tag), as typescript-eslint and unicorn link their docs: an old
 * install keeps pointing at the docs of the rules it runs, not at whatever `main` says today.
 */
export const RELEASE_TREE_URL = `${REPOSITORY_URL}/blob/v${PACKAGE_VERSION}/`;
