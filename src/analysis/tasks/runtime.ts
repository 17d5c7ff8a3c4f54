/**
 * Where a file runs. Browser code (a file importing React, MobX, Angular, Vue, a `.tsx`/`.jsx`
 * file, or one that reads `window`/`document`) and test code (a file importing a test runner, or
 * under a test folder or named `*.spec.*`) have no server process to shut down, no job status and
 * no production log. The strict rules about a background task's lifecycle (tracking, lifecycle
 * logging, timeouts, status tracking) never apply to them, and the recommended rules about
 * unhandled rejections and lost failures skip them too (issue 13): a browser logs an unhandled
 * rejection and keeps running, and a test runner reports it as a failed test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { textMentions } from '../../model/names.js';
import { calleeMemberName, isFunction, requireCall } from '../ast.js';

/** The vocabulary lists where a file runs depends on; rule options never set them. */
const RUNTIME_FIELDS = [
  'browserModules',
  'browserPackageSuffixes',
  'serverModules',
  'browserGlobals',
  'pageCallbackMethods',
  'testPackageWords',
  'testRunnerModules',
  'scriptPathParts',
  'packageToolFolders',
  'staticAssetFolders',
  'clientFolders',
  'serverFolders',
  'sourceTestFolders',
  'testPathParts',
] as const;

const runtimeKeys = new WeakMap<CompiledVocabulary, number>();
const runtimeIds = new Map<string, number>();

/**
 * One key for every vocabulary that agrees on where files run: each rule compiles its own
 * vocabulary from its options, and without this key every rule would answer the same question
 * again for every file (issue 17: 8 rules x each file).
 */
function runtimeKey(vocabulary: CompiledVocabulary): number {
  let key = runtimeKeys.get(vocabulary);
  if (key === undefined) {
    const text = JSON.stringify(RUNTIME_FIELDS.map((field) => vocabulary.source[field]));
    key = runtimeIds.get(text);
    if (key === undefined) {
      key = runtimeIds.size;
      runtimeIds.set(text, key);
    }
    runtimeKeys.set(vocabulary, key);
  }
  return key;
}

const browserBySource = new WeakMap<object, Map<number, boolean>>();
const outsideBySource = new WeakMap<object, Map<string, boolean>>();

/** Whether a file is browser or test code, outside a server task's lifecycle (see above); `filename` adds path-based signs. */
export function isOutsideServerLifecycle(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  filename?: string,
  cwd?: string,
): boolean {
  let byKey = outsideBySource.get(sourceCode);
  if (!byKey) {
    byKey = new Map();
    outsideBySource.set(sourceCode, byKey);
  }
  const key = `${runtimeKey(vocabulary)}\0${filename ?? ''}\0${cwd ?? ''}`;
  let outside = byKey.get(key);
  if (outside === undefined) {
    outside = computeOutsideServerLifecycle(sourceCode, vocabulary, filename, cwd);
    byKey.set(key, outside);
  }
  return outside;
}

function computeOutsideServerLifecycle(
  sourceCode: Readonly<TSESLint.SourceCode>,
  vocabulary: CompiledVocabulary,
  filename: string | undefined,
  cwd: string | undefined,
): boolean {
  return (
    isBrowserFile(sourceCode, vocabulary) ||
    isTestFile(sourceCode, vocabulary) ||
    (filename !== undefined &&
      (isUiFileName(filename) ||
        isTestPath(filename, vocabulary, cwd) ||
        isBrowserPath(filename, vocabulary, cwd) ||
        isClientBesideServer(filename, vocabulary) ||
        isUiPackage(filename, vocabulary) ||
        isUiHooksModule(sourceCode, filename, vocabulary) ||
        isTestPackage(filename, vocabulary)))
  );
}

/**
 * Whether a file is a module of UI hooks: everything it exports is a function named `use<Name>`
 * (React hooks, Vue composables: `export function useRoles() { ... }`), its packages depend on a
 * UI library (`browserModules`, the monorepo's root included), and no server folder (`serverFolders`)
 * lies on its path. Hooks run in a component's render; the async functions they hand out are event
 * handlers in a page (issue 13, round 16: seen in a public app, charmverse's
 * apps/webapp/components/[pageId]/DocumentPage/hooks/useReward.ts, which imports only the app's HTTP
 * client and its other hooks). A Nuxt `server/utils/useDb.ts` is server code.
 */
function isUiHooksModule(sourceCode: Readonly<TSESLint.SourceCode>, filename: string, vocabulary: CompiledVocabulary): boolean {
  const exported: string[] = [];
  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const declaration = statement.declaration;
      if (!(isFunction(declaration) && declaration.id)) return false;
      exported.push(declaration.id.name);
    } else if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      if (statement.exportKind === 'type') continue;
      const declaration = statement.declaration;
      if (!declaration) return false;
      if (declaration.type === AST_NODE_TYPES.TSTypeAliasDeclaration || declaration.type === AST_NODE_TYPES.TSInterfaceDeclaration) continue;
      if (declaration.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id) exported.push(declaration.id.name);
      else if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init || !isFunction(declarator.init)) return false;
          exported.push(declarator.id.name);
        }
      } else return false;
    }
  }
  if (exported.length === 0 || !exported.every((name) => /^use[A-Z]/.test(name))) return false;
  if (!path.isAbsolute(filename) || path.dirname(filename).split(path.sep).some((part) => vocabulary.isServerFolder(part))) return false;
  const dependencies = projectDependencies(filename);
  return dependencies !== undefined && dependencies.some((name) => vocabulary.isBrowserModule(name));
}

/** What the nearest package.json says about its package: name, keywords, dependencies. */
interface PackageFacts {
  /** The folder that holds the package.json. */
  readonly dir: string;
  readonly name: string;
  readonly keywords: readonly string[];
  /** `dependencies` and `peerDependencies`. */
  readonly dependencies: readonly string[];
  /** The version range each of those asks for (`^4.3.4`). */
  readonly ranges: ReadonlyMap<string, string>;
  /** The commands of its `scripts` (`next start`, `node dist/server.js`). */
  readonly scripts: readonly string[];
  /** The commands of its scripts named `start*` (`start`, `start:prod`). */
  readonly startScripts: readonly string[];
  readonly devDependencies: readonly string[];
}

/** The nearest package.json above a directory, cached per directory. */
const packageByDir = new Map<string, PackageFacts | null>();

function nearestPackage(dir: string): PackageFacts | null {
  const cached = packageByDir.get(dir);
  if (cached !== undefined) return cached;
  let result: PackageFacts | null;
  const file = path.join(dir, 'package.json');
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      name?: unknown;
      keywords?: unknown;
      dependencies?: object;
      peerDependencies?: object;
      devDependencies?: object;
      scripts?: object;
    };
    const declared = { ...json.peerDependencies, ...json.dependencies } as Record<string, unknown>;
    result = {
      dir,
      name: typeof json.name === 'string' ? json.name : '',
      keywords: Array.isArray(json.keywords) ? json.keywords.filter((k): k is string => typeof k === 'string') : [],
      dependencies: [...Object.keys(json.dependencies ?? {}), ...Object.keys(json.peerDependencies ?? {})],
      devDependencies: Object.keys(json.devDependencies ?? {}),
      ranges: new Map(Object.entries(declared).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
      scripts: Object.values(json.scripts ?? {}).filter((command): command is string => typeof command === 'string'),
      startScripts: Object.entries(json.scripts ?? {}).flatMap(([name, command]) => (name.startsWith('start') && typeof command === 'string' ? [command] : [])),
    };
  } catch {
    const parent = path.dirname(dir);
    result = parent === dir ? null : nearestPackage(parent);
  }
  packageByDir.set(dir, result);
  return result;
}

/**
 * Whether the package a file belongs to depends on one of `specs` (`cron@4.3.4`: that package at
 * that version or later) by the lowest version its declared range admits (`^4.3.4`, `4.4.0`,
 * `~6.1.3`). A range whose lowest version is older, or that names none (`*`, `latest`, a tag), does not count.
 */
export function dependsOnAtLeast(filename: string | undefined, specs: readonly string[] | undefined): boolean {
  if (!filename || !specs || specs.length === 0 || !path.isAbsolute(filename)) return false;
  const facts = nearestPackage(path.dirname(filename));
  if (!facts) return false;
  // A workspace package uses what the monorepo's root declares when it declares nothing itself
  // (issue 13, round 16: seen in a public backend, charmverse's apps/webapp takes `next` from the root).
  const root = outermostPackageDir(path.dirname(filename));
  const outer = root !== null && root !== facts.dir ? nearestPackage(root) : null;
  return specs.some((spec) => {
    const at = spec.lastIndexOf('@');
    if (at <= 0) return false;
    const name = spec.slice(0, at);
    const range = facts.ranges.get(name) ?? outer?.ranges.get(name);
    if (range === undefined) return false;
    const wanted = parseVersion(spec.slice(at + 1));
    // `name@0.0.0` asks only whether the package is there, whatever its spec: a URL, a git ref, a
    // tag (issue 13, round 21: seen in a public backend, alkem-io/server's `"typeorm": "https://pkg.pr.new/..."`).
    if (compareVersions(wanted, parseVersion('0.0.0')) <= 0) return true;
    const lowest = lowestVersion(range);
    return lowest !== undefined && compareVersions(lowest, wanted) >= 0;
  });
}

/**
 * Whether a script of the package a file belongs to runs one of `commands` (`next start`): the
 * package is started by that framework's own server, not by a custom one (`node dist/server.mjs`).
 */
export function packageScriptRuns(filename: string | undefined, commands: readonly string[]): boolean {
  if (!filename || commands.length === 0 || !path.isAbsolute(filename)) return false;
  const facts = nearestPackage(path.dirname(filename));
  // `npx next start`, `pnpm exec next start`: the same command through the package manager's runner.
  const runner = /^(?:npx(?:\s+--no-install)?|pnpm\s+exec|yarn(?:\s+run)?|bunx)\s+/;
  return (
    facts !== null &&
    facts.scripts.some((script) =>
      commands.some((command) =>
        script
          .split(/\s*(?:&&|\|\||;)\s*/)
          .some((part) => part.replace(/^(?:\w+=\S*\s+)*/, '').replace(runner, '').startsWith(command)),
      ),
    )
  );
}

/**
 * Whether the package's production start scripts run Node with `--unhandled-rejections=warn` (or
 * `warn-with-error-code`), on the command line or in `NODE_OPTIONS`: Node then prints an unhandled
 * rejection with its error and keeps running. Every `start*` script that runs `node` itself must say
 * so; development runners (`ts-node-dev`, `nodemon`) are not the deployed process. Issue 13, round 19:
 * seen in a public backend, isomercms-backend's package.json (5 reports judged false).
 */
export function startScriptsWarnOnRejections(filename: string | undefined): boolean {
  if (!filename || !path.isAbsolute(filename)) return false;
  const facts = nearestPackage(path.dirname(filename));
  const nodeStarts = (facts?.startScripts ?? []).filter((command) => /^(?:[\w]+=(?:'[^']*'|"[^"]*"|\S*)\s+)*node\s/.test(command.trim()));
  return nodeStarts.length > 0 && nodeStarts.every((command) => /--unhandled-rejections[= ](?:warn|warn-with-error-code)\b/.test(command));
}

/**
 * The runtime dependencies of the packages a file belongs to: its nearest package.json and the
 * project's outermost one (a monorepo's root often holds the drivers); undefined outside any package.
 */
function projectDependencies(filename: string | undefined): readonly string[] | undefined {
  if (!filename || !path.isAbsolute(filename)) return undefined;
  const dir = path.dirname(filename);
  const nearest = nearestPackage(dir);
  if (!nearest) return undefined;
  const root = outermostPackageDir(dir);
  const outer = root !== null && root !== nearest.dir ? nearestPackage(root) : null;
  return outer ? [...nearest.dependencies, ...outer.dependencies] : nearest.dependencies;
}

/**
 * Whether the packages a file belongs to depend on a database whose transactions stay usable
 * after a failed statement (MySQL, SQLite: `nonAbortingDatabasePackages`) and on none that aborts
 * them or keeps failed changes (PostgreSQL drivers, MikroORM: `abortingDatabasePackages`). A
 * project that names no driver (Prisma's is in its schema) does not qualify.
 */
export function usesOnlyNonAbortingDatabases(filename: string | undefined, vocabulary: CompiledVocabulary): boolean {
  const dependencies = projectDependencies(filename);
  return dependencies !== undefined && dependencies.some((name) => vocabulary.isNonAbortingDatabasePackage(name)) && !dependencies.some((name) => vocabulary.isAbortingDatabasePackage(name));
}

/**
 * Whether the packages a file belongs to depend on a driver that queues a connection's queries
 * (`queuingDatabasePackages`: pg, mysql2, SQLite) and on none that refuses a second request on a
 * busy connection (`nonQueuingDatabasePackages`: MSSQL): queries sent at once on one transaction
 * then still run one after another.
 */
export function usesOnlyQueuingDatabases(filename: string | undefined, vocabulary: CompiledVocabulary): boolean {
  const dependencies = projectDependencies(filename);
  return dependencies !== undefined && dependencies.some((name) => vocabulary.isQueuingDatabasePackage(name)) && !dependencies.some((name) => vocabulary.isNonQueuingDatabasePackage(name));
}

/**
 * Whether the packages a file belongs to use MikroORM only with its MongoDB driver: that driver flushes
 * without a transaction unless `implicitTransactions` is set, so a subscriber's `afterUpdate` runs after
 * the write is stored (issue 13, round 18: seen in a public backend, hpi-schul-cloud/schulcloud-server's
 * apps/server/src/modules/user/repo/user-event-subscriber.ts).
 */
export function usesMikroOrmOnlyOnMongo(filename: string | undefined): boolean {
  const dependencies = projectDependencies(filename);
  if (dependencies === undefined || !dependencies.includes('@mikro-orm/mongodb')) return false;
  return !dependencies.some((name) => name.startsWith('@mikro-orm/') && MIKRO_ORM_SQL_DRIVER.test(name.slice('@mikro-orm/'.length)));
}

const MIKRO_ORM_SQL_DRIVER = /^(?:postgresql|mysql|mariadb|sqlite|better-sqlite|libsql|mssql|knex|sql)$/;

/**
 * Whether the packages a file belongs to reach only SQL Server (`nonQueuingDatabasePackages`:
 * mssql, tedious) and no other database driver. TypeORM's SQL Server query runner takes its pooled
 * connection in `startTransaction()` itself (`connect()` and `release()` only set flags), so a start
 * before the `try` whose `finally` releases leaks nothing (issue 13, round 17: seen in a public
 * backend, onroutebc's vehicles API, 17 strict reports judged false).
 */
export function usesOnlySqlServer(filename: string | undefined, vocabulary: CompiledVocabulary): boolean {
  const dependencies = projectDependencies(filename);
  return (
    dependencies !== undefined &&
    dependencies.some((name) => vocabulary.isNonQueuingDatabasePackage(name)) &&
    !dependencies.some((name) => vocabulary.isQueuingDatabasePackage(name) || vocabulary.isAbortingDatabasePackage(name) || vocabulary.isNonAbortingDatabasePackage(name))
  );
}

type Version = readonly [number, number, number];

function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

/** The lowest version a simple range admits: `^4.3.4`, `~4.3.4`, `>=4.3.4`, `4.3.4`, `4.3.x`; undefined for anything else. */
function lowestVersion(range: string): Version | undefined {
  const match = /^\s*(?:\^|~|>=|=|v)?\s*(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(range);
  if (!match || range.includes('||') || /^\s*</.test(range)) return undefined;
  const part = (text: string | undefined) => (text === undefined || text === 'x' || text === '*' ? 0 : Number.parseInt(text, 10));
  return [Number.parseInt(match[1]!, 10), part(match[2]), part(match[3])];
}

function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether a file belongs to a package of test tooling: its nearest package.json is named or
 * tagged as one (`@vendure/testing`, `@acme/test-utils`, keyword `e2e`), per vocabulary
 * `testPackageWords`. Its helpers (data population for e2e runs, test servers) run under a
 * test runner, which reports a rejection as a failed test.
 */
function isTestPackage(filename: string, vocabulary: CompiledVocabulary): boolean {
  if (!path.isAbsolute(filename)) return false;
  const facts = nearestPackage(path.dirname(filename));
  return facts !== null && isTestPackageManifest(facts.name, facts.keywords, vocabulary);
}

/** Whether a package.json's name or keywords make it test tooling (vocabulary `testPackageWords`). */
export function isTestPackageManifest(name: string, keywords: readonly string[], vocabulary: CompiledVocabulary): boolean {
  const words = name.toLowerCase().split(/[@/._-]+/).filter((w) => w !== '');
  // `test-utils` as one entry matches the name's `test-utils` part too.
  const parts = name.toLowerCase().split(/[@/]+/).filter((w) => w !== '');
  return [...words, ...parts, ...keywords.map((k) => k.toLowerCase())].some((w) => vocabulary.isTestPackageWord(w));
}

/**
 * Whether a file belongs to a UI package: its nearest package.json depends on a UI library
 * (vocabulary `browserModules`) and on no server framework or database client (`serverModules`),
 * like a Vue app's shared helpers that import neither Vue nor `window` themselves, or the
 * package's name declares a browser build (`browserPackageSuffixes`).
 */
/** The UI-package answer per package folder and vocabulary: every file of a package asks the same question. */
const uiPackageByDir = new Map<string, boolean>();

function isUiPackage(filename: string, vocabulary: CompiledVocabulary): boolean {
  if (!path.isAbsolute(filename)) return false;
  const facts = nearestPackage(path.dirname(filename));
  if (!facts) return false;
  const key = `${runtimeKey(vocabulary)}\0${facts.dir}`;
  let answer = uiPackageByDir.get(key);
  if (answer === undefined) uiPackageByDir.set(key, (answer = packageIsUi(facts, vocabulary)));
  return answer;
}

function packageIsUi(facts: PackageFacts, vocabulary: CompiledVocabulary): boolean {
  // A package named for the browser (`@atproto/oauth-client-browser`) says where it runs.
  if (vocabulary.source.browserPackageSuffixes.some((suffix) => facts.name.endsWith(suffix))) return true;
  // A bundled front end lists everything, its UI library too, as devDependencies and has no runtime
  // dependency at all (issue 13, round 15: seen in a public backend, xen-orchestra's packages/xo-web).
  if (facts.dependencies.length === 0) return isUiDependencyList(facts.devDependencies, vocabulary);
  return isUiDependencyList(facts.dependencies, vocabulary);
}

/** Whether a package's dependencies make it a UI package: a UI library (`browserModules`) and no server framework (`serverModules`). */
export function isUiDependencyList(dependencies: readonly string[], vocabulary: CompiledVocabulary): boolean {
  return dependencies.some((d) => vocabulary.isBrowserModule(d)) && !dependencies.some((d) => vocabulary.isServerModule(d));
}

/** Whether a rule's file is server code (neither browser nor test code): where the recommended task rules apply. */
export function isServerCode(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, vocabulary: CompiledVocabulary): boolean {
  return !isOutsideServerLifecycle(context.sourceCode, vocabulary, context.filename, context.cwd) && !isScriptPath(context.filename, vocabulary, context.cwd);
}

/** Whether a path is a script, CLI or seed run by hand (`/scripts/`, `/bin/`, `/seeds/`), from the repository's root: a failure ends that run loudly, as its author wants. */
export function isScriptPath(filename: string, vocabulary: CompiledVocabulary, cwd?: string): boolean {
  const normalized = projectRelativePath(filename, cwd);
  return vocabulary.scriptPathParts.some((part) => normalized.includes(part)) || inPackageToolFolder(filename, vocabulary);
}

/**
 * Whether a file lies below a folder of developer tools (vocabulary `packageToolFolders`: `tools`)
 * that sits directly in a package's folder, beside its package.json: `packages/web/tools/oauthFlow.ts`
 * (seen in a public backend: sourcebot), not `server/tools/documents.ts` (outline's LLM tools, server code).
 */
function inPackageToolFolder(filename: string, vocabulary: CompiledVocabulary): boolean {
  if (!path.isAbsolute(filename) || vocabulary.packageToolFolders.length === 0) return false;
  const root = outermostPackageDir(path.dirname(filename));
  if (root === null) return false;
  for (let dir = path.dirname(filename); dir.length > root.length; dir = path.dirname(dir)) {
    if (vocabulary.packageToolFolders.includes(path.basename(dir)) && nearestPackage(path.dirname(dir))?.dir === path.dirname(dir)) return true;
  }
  return false;
}

/**
 * Whether a file imports a test runner (`vitest`, `node:test`, `@jest/globals`, `mocha`), also by a
 * top-level `require` (`const { expect } = require('@playwright/test')`, seen in a public backend:
 * saltcorn's Playwright page objects).
 */
export function isTestFile(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): boolean {
  return sourceCode.ast.body.some((statement) => {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) return vocabulary.isTestRunnerModule(statement.source.value);
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
    return statement.declarations.some((declarator) => {
      const required = requireCall(declarator.init);
      return required !== undefined && vocabulary.isTestRunnerModule(required.module);
    });
  });
}

const TEST_SUITE_FOLDER = /^(?:functional|integration|acceptance|e2e|api|unit|load|smoke|system|regression|contract|component|performance|perf)[-_]?[Tt]ests?$/;

/**
 * Whether a path is test code by its folders or name (`/__tests__/`, `/test/`, `.spec.`), per vocabulary
 * `testPathParts`, or by a test-data folder inside a source tree (`src/test/fixtures/`, `sourceTestFolders`),
 * from the project's root (see `projectRelativePath`).
 */
export function isTestPath(filename: string, vocabulary: CompiledVocabulary, cwd?: string): boolean {
  const normalized = projectRelativePath(filename, cwd);
  if (vocabulary.testPathParts.some((part) => normalized.includes(part))) return true;
  const folders = normalized.split('/').slice(0, -1);
  // A suite folder named for its kind: `functionalTests/`, `acceptance_tests/`, `api-test/` (issue 13,
  // round 17: seen in a public backend, mage-server's service/functionalTests/stack.ts).
  if (folders.some((folder) => TEST_SUITE_FOLDER.test(folder))) return true;
  // `src/test/fixtures/`, `src/users/fixtures/`: a test folder of vocabulary `sourceTestFolders` below a `src` folder.
  const source = folders.indexOf('src');
  return source >= 0 && folders.slice(source + 1).some((folder) => vocabulary.sourceTestFolders.includes(folder));
}

/**
 * Whether a path, from the project's root, lies in a folder of static assets for browsers
 * (vocabulary `staticAssetFolders`: `public/src/client/chat.js`) that no `src` folder holds (a
 * `src/api/public/` folder is a server's public API).
 */
function isBrowserPath(filename: string, vocabulary: CompiledVocabulary, cwd?: string): boolean {
  const folders = projectRelativePath(filename, cwd).split('/').slice(0, -1);
  const asset = folders.findIndex((folder) => vocabulary.source.staticAssetFolders.includes(folder));
  return asset >= 0 && !folders.slice(0, asset).includes('src');
}

const foldersByDir = new Map<string, readonly string[]>();

/** The folder names a directory holds, cached per directory. */
function subfolders(dir: string): readonly string[] {
  let names = foldersByDir.get(dir);
  if (names === undefined) {
    try {
      names = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch {
      names = [];
    }
    foldersByDir.set(dir, names);
  }
  return names;
}

/**
 * Whether a file lies below a client folder (vocabulary `clientFolders`: `client`, `client-v2`,
 * `frontend`) whose parent also holds a server folder (`serverFolders`: `server`, `backend`), up to
 * the project's root: the repository keeps its client and its server apart, and this is the
 * client (seen in public backends: nocobase's plugins, audiobookshelf). A `frontend` folder
 * (`frontEndFolders`) says so by its name, unless a server folder lies below it on the path.
 */
function isClientBesideServer(filename: string, vocabulary: CompiledVocabulary): boolean {
  if (!path.isAbsolute(filename)) return false;
  const root = outermostPackageDir(path.dirname(filename));
  let serverBelow = false;
  for (let dir = path.dirname(filename); ; ) {
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    const name = path.basename(dir);
    // Below the project's root only: where the checkout lives (`/home/ci/frontend/...`) says nothing.
    if (vocabulary.isFrontEndFolder(name) && !serverBelow && dir !== root) return true;
    if (vocabulary.isServerFolder(name)) serverBelow = true;
    if (vocabulary.isClientFolder(name) && subfolders(parent).some((sibling) => vocabulary.isServerFolder(sibling))) return true;
    if (dir === root) return false;
    dir = parent;
  }
}

/**
 * A file's path from its project's root, with `/` separators: from ESLint's working directory
 * when the file lies in it (where the user runs ESLint, as for any ESLint path), else from the
 * outermost folder with a package.json (`/packages/testing/src/x.ts`), else as given. Where the
 * repository is checked out (`/home/ci/tests/app/`) is no sign of test code.
 */
function projectRelativePath(filename: string, cwd?: string): string {
  // Asked by the test, browser and script path checks of every rule for the same file.
  const key = `${cwd ?? ''}\0${filename}`;
  let relative = relativePaths.get(key);
  if (relative === undefined) {
    if (relativePaths.size >= MAX_CACHED_PATHS) relativePaths.clear();
    relative = computeProjectRelativePath(filename, cwd);
    relativePaths.set(key, relative);
  }
  return relative;
}

/** Paths kept by projectRelativePath; an editor session that opens more files starts over. */
const MAX_CACHED_PATHS = 20_000;
const relativePaths = new Map<string, string>();

function computeProjectRelativePath(filename: string, cwd?: string): string {
  if (path.isAbsolute(filename)) {
    if (cwd !== undefined && path.isAbsolute(cwd) && filename.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep)) {
      return `/${path.relative(cwd, filename).replace(/\\/g, '/')}`;
    }
    const root = outermostPackageDir(path.dirname(filename));
    if (root !== null) return `/${path.relative(root, filename).replace(/\\/g, '/')}`;
  }
  return filename.replace(/\\/g, '/');
}

/**
 * The folder a project's files live under: ESLint's working directory when it holds the file and the
 * file's outermost package.json folder (and is not the filesystem's root), else that outermost folder
 * (a monorepo's root); undefined for a relative file name.
 */
export function projectRoot(filename: string, cwd?: string): string | undefined {
  if (!path.isAbsolute(filename)) return undefined;
  const root = outermostPackageDir(path.dirname(filename));
  const underCwd = cwd !== undefined && path.isAbsolute(cwd) && path.dirname(cwd) !== cwd && filename.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep);
  // A checkout whose packages sit side by side with no package.json above them (Socioboard's
  // socioboard-api/{Common,Feeds,Publish,...}): the folder ESLint runs in holds them all, and the
  // servers that load a shared package by path are among its siblings (issue 13, round 13).
  if (underCwd && (root === null || (root !== cwd && root.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep)))) return cwd;
  return root ?? undefined;
}

const outermostByDir = new Map<string, string | null>();

/** The outermost folder at or above `dir` that holds a package.json, cached per folder. */
function outermostPackageDir(dir: string): string | null {
  const cached = outermostByDir.get(dir);
  if (cached !== undefined) return cached;
  const parent = path.dirname(dir);
  const above = parent === dir ? null : outermostPackageDir(parent);
  const result = above ?? (fs.existsSync(path.join(dir, 'package.json')) ? dir : null);
  outermostByDir.set(dir, result);
  return result;
}

/** JSX files are UI components. */
export function isUiFileName(filename: string): boolean {
  return /\.(tsx|jsx)$/.test(filename);
}

/** Whether a file imports a browser UI module (`react`, `mobx`, `@angular/core`, or a subpath of one), or reads a browser global. */
export function isBrowserFile(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): boolean {
  let byVocabulary = browserBySource.get(sourceCode);
  if (!byVocabulary) {
    byVocabulary = new Map();
    browserBySource.set(sourceCode, byVocabulary);
  }
  const key = runtimeKey(vocabulary);
  let browser = byVocabulary.get(key);
  if (browser === undefined) {
    browser =
      sourceCode.ast.body.some(
        (statement) =>
          statement.type === AST_NODE_TYPES.ImportDeclaration &&
          statement.importKind !== 'type' &&
          isBrowserModule(vocabulary, statement.source.value),
      ) ||
      isAmdModule(sourceCode.ast) ||
      readsBrowserGlobal(sourceCode, vocabulary);
    byVocabulary.set(key, browser);
  }
  return browser;
}

/**
 * An AMD module (`define(['jquery', 'api'], function ($, api) { ... })` at the top level): a
 * RequireJS browser bundle; Node loads CommonJS and ES modules, never AMD (seen in a public
 * backend: NodeBB public/src/client).
 */
function isAmdModule(program: TSESTree.Program): boolean {
  return program.body.some((statement) => {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.CallExpression) return false;
    const call = statement.expression;
    const last = call.arguments[call.arguments.length - 1];
    return call.callee.type === AST_NODE_TYPES.Identifier && call.callee.name === 'define' && last !== undefined && isFunction(last);
  });
}

function isBrowserModule(vocabulary: CompiledVocabulary, source: string): boolean {
  if (vocabulary.isBrowserModule(source)) return true;
  // A single-file component (`import Modal from './Modal.svelte'`) renders in a page (issue 13,
  // round 16: seen in a public app, api-subventions-asso's SvelteKit front end).
  if (/\.(?:svelte|vue)$/.test(source)) return true;
  const slash = source.startsWith('@') ? source.indexOf('/', source.indexOf('/') + 1) : source.indexOf('/');
  return slash > 0 && vocabulary.isBrowserModule(source.slice(0, slash));
}

/**
 * Whether the file reads an undeclared browser global (`window.location`, `document.cookie`).
 * Not counted: `typeof window` (an isomorphic guard: the code also runs on a server) and reads
 * inside a page callback (`page.evaluate(() => document.title)` runs in a crawler's browser).
 */
function readsBrowserGlobal(sourceCode: Readonly<TSESLint.SourceCode>, vocabulary: CompiledVocabulary): boolean {
  const text = sourceCode.text;
  // One pass over the text for all names first: most server files name none of them.
  if (!mentionsBrowserGlobal(vocabulary.browserGlobals)(text)) return false;
  const names = [...vocabulary.browserGlobals].filter((name) => text.includes(name));
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return false;
  const references: TSESLint.Scope.Reference[] = [];
  for (const name of names) {
    const variable = globalScope.set.get(name);
    // Declared by the file itself (`const window = ...`): not the browser's.
    if (variable && variable.defs.length > 0) continue;
    if (variable) references.push(...variable.references);
    for (const reference of globalScope.through) if (reference.identifier.name === name) references.push(reference);
  }
  return references.some((reference) => !isTypeofOperand(reference.identifier) && !insidePageCallback(reference.identifier, vocabulary));
}

const browserGlobalTests = new WeakMap<ReadonlySet<string>, (text: string) => boolean>();

function mentionsBrowserGlobal(globals: ReadonlySet<string>): (text: string) => boolean {
  let test = browserGlobalTests.get(globals);
  if (!test) browserGlobalTests.set(globals, (test = textMentions([...globals])));
  return test;
}

function isTypeofOperand(identifier: TSESTree.Node): boolean {
  const parent = identifier.parent;
  return parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'typeof';
}

function insidePageCallback(node: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (
      isFunction(current) &&
      current.parent?.type === AST_NODE_TYPES.CallExpression &&
      current.parent.arguments.includes(current as TSESTree.CallExpressionArgument) &&
      vocabulary.isPageCallbackMethod(calleeMemberName(current.parent))
    ) {
      return true;
    }
  }
  return false;
}
