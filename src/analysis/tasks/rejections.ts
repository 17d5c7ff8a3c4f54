/**
 * Can this promise reject, and does anyone hear it (issue 13, round 3)? Evidence that the rules'
 * "unhandled rejection" claims need besides the shape of a catch (./floating.ts):
 *
 * - the project's processes log unhandled rejections and keep running (a project fact, from a
 *   bounded scan of its source files, or stated by `settings['background-tasks'].processRejectionHandler`);
 * - an awaited value that reports failure as a value (the Result convention: `if (res.isErr())`,
 *   an `[error, value]` tuple, a tested `{ success }` flag);
 * - an awaited timer from `node:timers/promises` without an abort signal, or a `new Promise`
 *   whose executor takes no `reject`: they settle only by resolving;
 * - code that runs only while the process shuts down (`process.on('SIGTERM', ...)`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CompiledVocabulary } from '../../model/settings.js';
import { calleeParts, containsNodeByFields, isFunction, isPromiseCombinator, outerExpression, ownReturnedValues, pushChildren, relativeImportSource, requireCall, skipTypeWrappers, type FunctionNode } from '../ast.js';
import type { FileFacts } from '../facts.js';
import { dependsOnAtLeast, isScriptPath, isTestPackageManifest, isUiDependencyList, packageScriptRuns, projectRoot, startScriptsWarnOnRejections } from './runtime.js';
import { isExternalCall } from './timeouts.js';
import { isDatabaseWrite } from '../status/status.js';

// ---------------------------------------------------------------------------------------------
// The process-wide rejection handler (a project fact)
// ---------------------------------------------------------------------------------------------

/** A package of the project (a folder with a package.json), as the scan read it. */
export interface ScannedPackage {
  readonly dir: string;
  readonly name: string;
  /** Its dependencies of every kind: a workspace package listed here is one it runs. */
  readonly dependencies: readonly string[];
  /** A command-line tool (`bin`), a UI package or test tooling: not a server process whose rejections matter here. */
  readonly notAServerProcess: boolean;
  /**
   * A command-line tool: a `bin`, a CLI framework (`cliModules`: `commander`, `yargs`) and no server
   * framework among its dependencies (a server that ships a start command, such as n8n's, depends
   * on one). It fails loud on purpose, like a script.
   */
  readonly cli: boolean;
  /** A client app: it builds one (`clientAppModules`, any dependency kind) and depends on no server framework. */
  readonly clientApp: boolean;
  /** It declares a `bin`: a command-line tool, or a daemon started by its command. */
  readonly bin: boolean;
  /** A server framework or database client (`serverModules`) among its runtime dependencies. */
  readonly server: boolean;
}

/** What one scan of a project found, and what it cost (for tests and the bench). */
export interface RejectionHandlerScan {
  /** Files that install a handler that logs and keeps running / that ends the process. */
  readonly loggingHandlers: readonly string[];
  readonly exitingHandlers: readonly string[];
  /**
   * Files that install an `uncaughtException` handler (or a winston logger that handles exceptions)
   * that logs and keeps running / that ends the process: they hear a rejection in a package with no rejection handler.
   */
  readonly exceptionLoggingHandlers: readonly string[];
  readonly exceptionExitingHandlers: readonly string[];
  readonly packages: readonly ScannedPackage[];
  readonly filesRead: number;
  readonly bytesRead: number;
  /** The scan stopped at its file or byte cap. */
  readonly truncated: boolean;
  /** Source files whose text opens or passes on a transaction (`sequelize.transaction(`, `{ transaction: t }`, `BEGIN`). */
  readonly transactionFiles: number;
  /** Whether the processes that run a file's package log unhandled rejections and keep running (see `packageLogsRejections`). */
  logsFor(filename: string): boolean;
}

/** Text that opens a transaction or hands one to a write, in any ORM's or driver's spelling. */
const MENTIONS_TRANSACTION = /\.transaction\s*\(|\$transaction\s*\(|\btransaction\s*[:,}]|\b(?:start|begin)Transaction\s*\(|\.transactional\s*\(|@Transactional\b|['"`]\s*BEGIN\b/;

/**
 * Whether any source file of the project a file belongs to opens or passes on a transaction. When
 * none does (and the scan read every file), every write autocommits: an ORM hook that fires after
 * one runs after the commit. Answers true when the project root or a full scan is not to be had.
 */
export function projectUsesTransactions(sourceCode: Readonly<TSESLint.SourceCode>, filename: string, cwd: string | undefined, vocabulary: CompiledVocabulary): boolean {
  const root = projectRoot(filename, cwd);
  if (root === undefined) return true;
  const scan = scanProject(root, vocabulary, sourceCode.visitorKeys);
  return scan.truncated || scan.transactionFiles > 0;
}

/** Folders never scanned: dependencies, build output, VCS data (hidden folders are skipped too). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'bower_components', 'vendor', 'tmp']);
const SCANNED_FILE = /\.(?:[cm]?ts|[cm]?js)$/;
/** Caps that keep the scan cheap on any repository (bench: well under a second on the biggest tuning monorepos). */
const MAX_FILES = 30_000;
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_FILE_BYTES = 1024 * 1024;

const scansByVocabulary = new WeakMap<CompiledVocabulary, Map<string, RejectionHandlerScan>>();

/**
 * Whether the processes that run a file log an unhandled rejection and keep running, so that a
 * dropped promise's rejection neither ends the process nor goes unseen: `processRejectionHandler`
 * says so (`'logs'`/`'none'`), or (`'auto'`) a scan of the project's source files finds such a
 * handler in every process that runs the file's package. Scanned once per project root and
 * vocabulary for the process.
 */
export function processLogsRejections(
  sourceCode: Readonly<TSESLint.SourceCode>,
  filename: string,
  cwd: string | undefined,
  vocabulary: CompiledVocabulary,
): boolean {
  const stated = vocabulary.source.processRejectionHandler;
  if (stated !== 'auto') return stated === 'logs';
  // A Next.js server logs unhandled rejections and keeps running (vocabulary `loggingServerPackages`).
  if (
    dependsOnAtLeast(filename, vocabulary.source.loggingServerPackages) &&
    packageScriptRuns(filename, vocabulary.source.loggingServerCommands) &&
    !isScriptPath(filename, vocabulary, cwd)
  ) {
    return true;
  }
  // `node --unhandled-rejections=warn dist/server.js` in every start script: Node logs and keeps running.
  if (startScriptsWarnOnRejections(filename) && !isScriptPath(filename, vocabulary, cwd)) return true;
  const root = projectRoot(filename, cwd);
  return root !== undefined && scanProject(root, vocabulary, sourceCode.visitorKeys).logsFor(filename);
}

const processLogsByFile = new WeakMap<FileFacts, boolean>();

/**
 * Whether a rejection at a node is heard anyway, so the claim "unhandled" would be false: the
 * file's processes log unhandled rejections and keep running, or the node runs only while the
 * process shuts down. The project scan runs on the first question of a file, never before.
 */
export function rejectionIsHeard(node: TSESTree.Node, facts: FileFacts, filename: string, cwd: string | undefined): boolean {
  let logs = processLogsByFile.get(facts);
  if (logs === undefined) {
    logs = processLogsRejections(facts.sourceCode, filename, cwd, facts.vocabulary);
    processLogsByFile.set(facts, logs);
  }
  return logs || onShutdownPath(node, facts);
}

type VisitorKeys = TSESLint.SourceCode.VisitorKeys;

/** The scan of one project root, cached for the process (the editor's ESLint server lints many files of one project). */
export function scanProject(root: string, vocabulary: CompiledVocabulary, keys: VisitorKeys): RejectionHandlerScan {
  let byRoot = scansByVocabulary.get(vocabulary);
  if (!byRoot) {
    byRoot = new Map();
    scansByVocabulary.set(vocabulary, byRoot);
  }
  let scan = byRoot.get(root);
  if (!scan) {
    scan = scanUncached(root, vocabulary, keys);
    byRoot.set(root, scan);
  }
  return scan;
}

function scanUncached(root: string, vocabulary: CompiledVocabulary, keys: VisitorKeys): RejectionHandlerScan {
  const events = vocabulary.source.processRejectionEvents;
  const loggingHandlers: string[] = [];
  const exitingHandlers: string[] = [];
  const exceptionLoggingHandlers: string[] = [];
  const exceptionExitingHandlers: string[] = [];
  const exceptionEvents = vocabulary.source.processExceptionEvents;
  const isExceptionEvent = (event: string) => exceptionEvents.includes(event);
  const packages: ScannedPackage[] = [];
  const pathImports: PathImport[] = [];
  const nameImports: NameImport[] = [];
  let filesRead = 0;
  let bytesRead = 0;
  let truncated = false;
  let transactionFiles = 0;
  const folders = [root];
  while (folders.length > 0 && !truncated) {
    const folder = folders.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      // Test code installs handlers of its own (to assert on rejections), and scripts run as processes
      // of their own (a migration that exits on a rejection): neither says what the product's processes do.
      if (isTestOrScriptLocation(root, full, entry.isDirectory(), vocabulary)) continue;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) folders.push(full);
        continue;
      }
      if (entry.isFile() && entry.name === 'package.json') {
        const scanned = readPackage(folder, full, vocabulary);
        if (scanned) packages.push(scanned);
        continue;
      }
      if (!entry.isFile() || !SCANNED_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
      if (filesRead >= MAX_FILES || bytesRead >= MAX_BYTES) {
        truncated = true;
        break;
      }
      let text: string;
      try {
        if (fs.statSync(full).size > MAX_FILE_BYTES) continue;
        text = fs.readFileSync(full, 'utf8');
      } catch {
        continue;
      }
      filesRead += 1;
      bytesRead += text.length;
      // Substring tests first: most files name no transaction, and the regular expression then never runs.
      if ((text.includes('ransaction') || text.includes('BEGIN')) && MENTIONS_TRANSACTION.test(text)) transactionFiles += 1;
      for (const target of parentFolderImports(text)) pathImports.push({ from: full, to: path.resolve(folder, target) });
      for (const name of new Set(packageImports(text))) nameImports.push({ from: full, name });
      // A winston logger told to handle exceptions or rejections and not to exit installs a handler
      // that logs and keeps running (seen in a public backend: tiledesk-server's config/winston.js).
      if (loggerKeepsRunning(text, keys)) exceptionLoggingHandlers.push(full);
      if (initsSentryWithKnownDsn(text, full, root) || rollbarCapturesRejections(text)) loggingHandlers.push(full);
      // An AWS Lambda handler is a process of its own that runs the package's code: the runtime fails
      // the invocation on an unhandled rejection, whatever the server's entry installs.
      else if (isLambdaHandler(text, full, root) && !text.includes('unhandledRejection')) exitingHandlers.push(full);
      // Cheap text test first: only a file that names an event is parsed.
      if (events.some((event) => text.includes(event))) {
        const verdict = rejectionHandlersIn(text, vocabulary, keys);
        if (verdict.exits) exitingHandlers.push(full);
        else if (verdict.logs) loggingHandlers.push(full);
      }
      if (exceptionEvents.some((event) => text.includes(event))) {
        const verdict = rejectionHandlersIn(text, vocabulary, keys, isExceptionEvent);
        if (verdict.exits) exceptionExitingHandlers.push(full);
        else if (verdict.logs) exceptionLoggingHandlers.push(full);
      }
    }
  }
  const logsFor = packageCoverage(root, packages, { logging: loggingHandlers, exiting: exitingHandlers }, { logging: exceptionLoggingHandlers, exiting: exceptionExitingHandlers }, pathImports, nameImports);
  return { loggingHandlers, exitingHandlers, exceptionLoggingHandlers, exceptionExitingHandlers, packages, filesRead, bytesRead, truncated, transactionFiles, logsFor };
}

/** A package.json as the coverage question needs it; undefined when it does not parse. */
function readPackage(dir: string, file: string, vocabulary: CompiledVocabulary): ScannedPackage | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      name?: unknown;
      keywords?: unknown;
      bin?: unknown;
      dependencies?: object;
      devDependencies?: object;
      peerDependencies?: object;
      workspaces?: unknown;
    };
    const name = typeof json.name === 'string' ? json.name : '';
    const keywords = Array.isArray(json.keywords) ? json.keywords.filter((k): k is string => typeof k === 'string') : [];
    const runtime = [...Object.keys(json.dependencies ?? {}), ...Object.keys(json.peerDependencies ?? {})];
    const all = [...runtime, ...Object.keys(json.devDependencies ?? {})];
    const server = runtime.some((dependency) => vocabulary.isServerModule(dependency));
    const clientApp = !server && all.some((dependency) => vocabulary.source.clientAppModules.includes(dependency));
    const notAServerProcess =
      json.bin !== undefined ||
      clientApp ||
      isUiDependencyList(runtime, vocabulary) ||
      isTestPackageManifest(name, keywords, vocabulary) ||
      isWorkspaceContainer(dir, json.workspaces, runtime, vocabulary);
    const cli =
      json.bin !== undefined && runtime.some((dependency) => vocabulary.isCliModule(dependency)) && !runtime.some((dependency) => vocabulary.isServerModule(dependency));
    return { dir, name, dependencies: all, notAServerProcess, cli, clientApp, server, bin: json.bin !== undefined };
  } catch {
    return undefined;
  }
}

/**
 * Whether a package.json is a workspace's root that only holds its packages (`workspaces`, or a
 * `pnpm-workspace.yaml` or `lerna.json` beside it) and depends on no server framework: it lists
 * its packages (often a CLI's, for workspace scripts) without being a process that runs them (seen
 * in a public backend: logto's root package.json and its `@logto/translate` CLI).
 */
function isWorkspaceContainer(dir: string, workspaces: unknown, runtime: readonly string[], vocabulary: CompiledVocabulary): boolean {
  const declares = workspaces !== undefined || fs.existsSync(path.join(dir, 'pnpm-workspace.yaml')) || fs.existsSync(path.join(dir, 'lerna.json'));
  return declares && !runtime.some((dependency) => vocabulary.isServerModule(dependency));
}

/**
 * Which packages' code runs only in processes that log unhandled rejections and keep running.
 * A package is covered when one of its own files installs such a handler (and none of its files
 * one that ends the process), or when it has workspace dependents and every dependent that is a
 * server process (not a CLI `bin`, a UI, a test package or a workspace root) is covered, or, as
 * a process nobody depends on, when a workspace package it runs installs the handler (and none
 * one that exits). A package that nobody in the workspace depends on and that runs no handler is
 * a process without one (Dokploy's Next.js app beside its `schedules` service, a Lambda handler
 * beside Nango's servers): its code, and the libraries it runs, keep the reports.
 */
/** A file that imports another by a relative path that leaves its folder (`'../../Common/Models/feeds.model.js'`). */
interface PathImport {
  readonly from: string;
  readonly to: string;
}

/** A file that imports a package by its name (`from 'hydrooj'`), which may be a package of the workspace. */
interface NameImport {
  readonly from: string;
  readonly name: string;
}

/**
 * The packages a file imports by name (`from 'hydrooj'`, `require('@x/common/lib')` -> `@x/common`),
 * read from the text without parsing; Node's own modules and relative paths are left out.
 */
function packageImports(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\brequire\s*\(\s*)(['"])([@a-z][^'"\n]*)\1/g)) {
    const specifier = match[2]!;
    if (specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    out.push(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return out;
}

/** Relative specifiers that climb out of the file's folder (`from '../..'`, `require('../x')`), read from the text without parsing. */
function parentFolderImports(text: string): string[] {
  if (!text.includes('../')) return [];
  const out: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"])(\.\.\/[^'"\n]*)\1/g)) out.push(match[2]!);
  return out;
}

interface HandlerFiles {
  readonly logging: readonly string[];
  readonly exiting: readonly string[];
}

function packageCoverage(
  root: string,
  packages: readonly ScannedPackage[],
  rejection: HandlerFiles,
  exception: HandlerFiles,
  pathImports: readonly PathImport[],
  nameImports: readonly NameImport[],
): (filename: string) => boolean {
  // The project root counts as a package even without a package.json (a checkout of sources only).
  const all = packages.some((p) => p.dir === root) ? [...packages] : [...packages, { dir: root, name: '', dependencies: [], notAServerProcess: false, cli: false, clientApp: false, server: false, bin: false }];
  const byDepth = [...all].sort((a, b) => b.dir.length - a.dir.length);
  const ownerOf = (file: string): ScannedPackage | undefined => byDepth.find((p) => file.startsWith(p.dir + path.sep) || file === p.dir);
  const logs = new Set<ScannedPackage>();
  const exits = new Set<ScannedPackage>();
  for (const file of rejection.logging) {
    const owner = ownerOf(file);
    if (owner) logs.add(owner);
  }
  for (const file of rejection.exiting) {
    const owner = ownerOf(file);
    if (owner) exits.add(owner);
  }
  const byName = new Map(all.filter((p) => p.name !== '').map((p) => [p.name, p]));
  // An `uncaughtException` handler hears a rejection only where the process runs no rejection
  // handler, in its own files or in a workspace package it runs (ever-gauzy's apps exit on an
  // uncaught exception, and run the core bootstrap that logs rejections).
  const withRejectionHandler = new Set([...logs, ...exits]);
  /** A package and the workspace packages it runs (its dependencies, transitively), walked once per package. */
  const closures = new Map<ScannedPackage, ScannedPackage[]>();
  // A workspace package that a package's code imports by name without listing it (an addon loaded by
  // its host, `import { Logger } from 'hydrooj'` in Hydro's packages/vjudge) runs with it all the same.
  const imported = new Map<ScannedPackage, Set<string>>();
  for (const edge of nameImports) {
    const importer = ownerOf(edge.from);
    const target = byName.get(edge.name);
    if (!importer || !target || target === importer || importer.dependencies.includes(edge.name)) continue;
    let names = imported.get(importer);
    if (!names) imported.set(importer, (names = new Set()));
    names.add(edge.name);
  }
  const dependenciesOf = (p: ScannedPackage): Iterable<string> => {
    const extra = imported.get(p);
    return extra ? [...p.dependencies, ...extra] : p.dependencies;
  };
  const runClosure = (root: ScannedPackage): ScannedPackage[] => {
    let closure = closures.get(root);
    if (closure) return closure;
    const seen = new Set<ScannedPackage>([root]);
    const stack = [root];
    while (stack.length > 0) {
      for (const dependency of dependenciesOf(stack.pop()!)) {
        const target = byName.get(dependency);
        if (target && !seen.has(target)) {
          seen.add(target);
          stack.push(target);
        }
      }
    }
    closures.set(root, (closure = [...seen]));
    return closure;
  };
  const runsRejectionHandler = (root: ScannedPackage): boolean => runClosure(root).some((p) => withRejectionHandler.has(p));
  for (const [files, into] of [
    [exception.logging, logs],
    [exception.exiting, exits],
  ] as const) {
    for (const file of files) {
      const owner = ownerOf(file);
      if (owner && !runsRejectionHandler(owner)) into.add(owner);
    }
  }
  const dependents = new Map<ScannedPackage, ScannedPackage[]>();
  const addDependent = (target: ScannedPackage, p: ScannedPackage): void => {
    const known = dependents.get(target) ?? [];
    if (!known.includes(p)) dependents.set(target, [...known, p]);
  };
  for (const p of all) {
    for (const dependency of dependenciesOf(p)) {
      const target = byName.get(dependency);
      if (target && target !== p) addDependent(target, p);
    }
  }
  // A package the servers beside it import by path, not by name (`import Feeds from
  // '../../Common/Models/feeds.model.js'`): it runs in their processes (issue 13, round 13: seen in a
  // public backend, Socioboard's socioboard-api/Common, loaded by the Feeds, Publish, Update, User and
  // Notification servers, each of which installs a handler that logs).
  // Some of those servers may load only a part of it (Socioboard's Admin loads Common/Sequelize-cli, not
  // Common/Models): the importers of each top folder of such a package are kept too.
  const unitOf = (owner: ScannedPackage, file: string): string => path.join(owner.dir, path.relative(owner.dir, file).split(path.sep)[0]!);
  const importersByUnit = new Map<string, Set<ScannedPackage>>();
  for (const edge of pathImports) {
    const target = ownerOf(edge.to);
    const importer = ownerOf(edge.from);
    if (!target || !importer || target === importer || target.dir === root) continue;
    addDependent(target, importer);
    const unit = unitOf(target, edge.to);
    importersByUnit.set(unit, (importersByUnit.get(unit) ?? new Set()).add(importer));
  }
  /**
   * Whether the workspace packages a process runs (its dependencies, transitively) install a
   * handler that logs and none that exits: a shared `bootstrap()` that calls `process.on(...)`
   * covers every app that calls it (seen in a public backend: ever-gauzy packages/core's bootstrap,
   * run by apps/api with its plugins).
   */
  const handlerInRunCode = (root: ScannedPackage): boolean => {
    const closure = runClosure(root);
    return !closure.some((p) => exits.has(p)) && closure.some((p) => logs.has(p));
  };
  /**
   * A library that is no server itself and that only client apps run, directly or through other
   * such libraries (colanode's packages/client: its Electron, Vite web and Expo apps, and its UI package).
   */
  const clientOnlyMemo = new Map<ScannedPackage, boolean>();
  const clientOnly = (p: ScannedPackage): boolean => {
    const known = clientOnlyMemo.get(p);
    if (known !== undefined) return known;
    clientOnlyMemo.set(p, false);
    const runBy = dependents.get(p) ?? [];
    const result = !p.server && !p.clientApp && runBy.length > 0 && runBy.every((d) => d.clientApp || clientOnly(d));
    clientOnlyMemo.set(p, result);
    return result;
  };
  /**
   * A package nobody depends on, in a folder of a server package that is no workspace root: a
   * plugin that server loads by path, with a package.json for its own dependencies (seen in a
   * public backend: Gladys's server/services/matter, loaded by server/index.js, which installs
   * the handler). It runs in the enclosing server's process.
   */
  const loadedByEnclosingServer = (p: ScannedPackage): boolean => {
    const enclosing = byDepth.find((q) => q !== p && p.dir.startsWith(q.dir + path.sep));
    return enclosing !== undefined && !enclosing.notAServerProcess && covered(enclosing);
  };
  const memo = new Map<ScannedPackage, boolean>();
  const covered = (p: ScannedPackage): boolean => {
    const known = memo.get(p);
    if (known !== undefined) return known;
    // A dependency cycle answers no until the first answer is known.
    memo.set(p, false);
    let result: boolean;
    if (exits.has(p)) result = false;
    else if (logs.has(p)) result = true;
    else {
      const runBy = dependents.get(p) ?? [];
      const servers = runBy.filter((d) => !d.notAServerProcess);
      // A command-line tool that no server runs: its crash is the run's loud failure, printed to its user.
      // A library only client apps run: a browser, Electron or React Native logs the rejection and
      // keeps running. A process that runs a library whose bootstrap installs the handler is covered by it too.
      // A library that only command-line tools run, each a loud CLI or a daemon started by its `bin` that
      // installs the handler (issue 13, round 15: seen in a public backend, graphprotocol/indexer's
      // indexer-common, run by indexer-agent, whose start command logs rejections, and by indexer-cli).
      const commands = runBy.filter((d) => d.bin);
      if (servers.length > 0) result = servers.every(covered);
      else
        result =
          p.cli ||
          clientOnly(p) ||
          handlerInRunCode(p) ||
          (runBy.length === 0 && loadedByEnclosingServer(p)) ||
          (commands.length > 0 && commands.every((d) => d.cli || covered(d)));
    }
    memo.set(p, result);
    return result;
  };
  return (filename) => {
    const owner = ownerOf(filename);
    if (owner === undefined) return false;
    if (covered(owner)) return true;
    const servers = [...(importersByUnit.get(unitOf(owner, filename)) ?? [])].filter((p) => !p.notAServerProcess);
    return !exits.has(owner) && servers.length > 0 && servers.every(covered);
  };
}

/**
 * Whether a file configures a winston logger that handles uncaught exceptions or unhandled
 * rejections (`handleExceptions: true`, `handleRejections: true`, `exceptionHandlers`,
 * `rejectionHandlers`) without exiting (`exitOnError: false`): winston then installs a process
 * handler that logs and keeps running.
 */
function loggerKeepsRunning(text: string, keys: VisitorKeys): boolean {
  // Cheap text test first; then the properties must really be in the code, not in a comment.
  if (!/\bexitOnError\s*:\s*false\b/.test(text)) return false;
  let program: TSESTree.Program;
  try {
    program = parse(text, { range: false, loc: false, jsx: false, comment: false, tokens: false }) as unknown as TSESTree.Program;
  } catch {
    return false;
  }
  let keepsRunning = false;
  let handles = false;
  const stack: TSESTree.Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.Property && node.key.type === AST_NODE_TYPES.Identifier) {
      const value = node.value.type === AST_NODE_TYPES.Literal ? node.value.value : undefined;
      if (node.key.name === 'exitOnError' && value === false) keepsRunning = true;
      if ((node.key.name === 'handleExceptions' || node.key.name === 'handleRejections') && value === true) handles = true;
      if (node.key.name === 'exceptionHandlers' || node.key.name === 'rejectionHandlers') handles = true;
    }
    pushChildren(stack, node, keys);
  }
  return keepsRunning && handles;
}

/**
 * `Sentry.init({ dsn: 'https://...@sentry.io/1' })` from `@sentry/node` (or its framework SDKs) at
 * the top level of a module: the SDK's default `onUnhandledRejection` integration (mode `warn`)
 * installs a process handler that reports and logs a rejection, and the process keeps running
 * (issue 13, round 14: seen in a public backend, openneuro-server src/sentry.ts). Also in the
 * module's start function (`async function bootstrap() { ...; Sentry.init(...) }` called at the top
 * level). A DSN read from the environment (`dsn: process.env.SENTRY_DSN`) counts only when the
 * project's env example lists that variable (see `isConfiguredValue`); not `mode: 'strict'`, which exits.
 */
function initsSentryWithKnownDsn(text: string, file: string, root: string): boolean {
  if (!/@sentry\/(?:node|nestjs|bun|aws-serverless|google-cloud-serverless)\b/.test(text) || !/\binit\s*\(/.test(text) || /mode\s*:\s*['"]strict['"]/.test(text)) return false;
  // `new Sentry.Integrations.OnUnhandledRejection({ mode: 'warn' })` (v7), `onUnhandledRejectionIntegration({ mode:
  // 'warn' })` (v8): the author chose, in the product's own Sentry setup, a process that reports a rejection and
  // keeps running, wherever the DSN comes from (issue 13, round 20: seen in a public backend, energywebfoundation/
  // ssi-hub's src/modules/sentry/sentry.service.ts:122, which reads its DSN through Nest's ConfigService).
  if (KEEPS_RUNNING_ON_REJECTION.test(text)) return true;
  let program: TSESTree.Program;
  try {
    program = parse(text, { range: true, loc: false, jsx: false, comment: false, tokens: false }) as unknown as TSESTree.Program;
  } catch {
    return false;
  }
  return startStatements(program).some((statement) => {
    const init = topLevelInit(statement, text);
    const options = init?.arguments[0];
    if (options?.type !== AST_NODE_TYPES.ObjectExpression) return false;
    return options.properties.some(
      (property) =>
        property.type === AST_NODE_TYPES.Property &&
        property.key.type === AST_NODE_TYPES.Identifier &&
        property.key.name === 'dsn' &&
        ((property.value.type === AST_NODE_TYPES.Literal && typeof property.value.value === 'string' && property.value.value.length > 0) ||
          (property.value.type === AST_NODE_TYPES.TemplateLiteral && property.value.expressions.length === 0) ||
          isConfiguredValue(property.value, file, root)),
    );
  });
}

/**
 * `new Rollbar({ ..., captureUnhandledRejections: true })` from `rollbar`: its Node notifier installs a
 * `process.on('unhandledRejection')` handler that reports the rejection and keeps the process running
 * (issue 13, round 21: seen in a public backend, chaynHQ/bloom-backend's src/logger/logger.ts, rollbar 3.1).
 */
function rollbarCapturesRejections(text: string): boolean {
  return text.includes('captureUnhandledRejections') && CAPTURES_REJECTIONS.test(text) && IMPORTS_ROLLBAR.test(text);
}

const CAPTURES_REJECTIONS = /\bcaptureUnhandledRejections\s*:\s*true\b/;
const IMPORTS_ROLLBAR = /\bfrom\s*['"]rollbar['"]|\brequire\(\s*['"]rollbar['"]\s*\)/;

/** Sentry's unhandled-rejection integration told to report and keep running (`mode: 'warn'` or `'none'`). */
const KEEPS_RUNNING_ON_REJECTION = /OnUnhandledRejection(?:Integration)?\s*\(\s*\{[^}]*\bmode\s*:\s*['"](?:warn|none)['"]/i;

const LAMBDA_HANDLER_EXPORT = /^\s*export\s+(?:const|let|async\s+function|function)\s+handler\b|^\s*(?:module\.)?exports\.handler\s*=/m;
const LAMBDA_FOLDERS = new Set(['lambda', 'lambdas', 'handlers', 'functions']);
const LAMBDA_DEPLOY_FILES = ['serverless.yml', 'serverless.yaml', 'serverless.ts', 'template.yaml', 'template.yml', 'samconfig.toml', 'Dockerfile.lambda'];

/**
 * A module that exports an AWS Lambda `handler` (`export const handler = async (event) => ...`),
 * known as one by an `aws-lambda` import, a `lambda`/`handlers`/`functions` folder, or a Lambda
 * deploy file at the project's root (`serverless.yml`, `template.yaml`, `Dockerfile.lambda`). Issue
 * 13, round 17: seen in a public backend, matters-server's src/handlers/scheduledPublish.ts, which
 * runs the article service outside the Express server that starts Sentry.
 */
function isLambdaHandler(text: string, file: string, root: string): boolean {
  if (!LAMBDA_HANDLER_EXPORT.test(text)) return false;
  if (/from\s+['"]aws-lambda['"]|require\(\s*['"]aws-lambda['"]\s*\)/.test(text)) return true;
  if (path.relative(root, path.dirname(file)).split(path.sep).some((folder) => LAMBDA_FOLDERS.has(folder))) return true;
  return LAMBDA_DEPLOY_FILES.some((name) => fs.existsSync(path.join(root, name)));
}

/**
 * The statements a module runs when it starts: its top level, the body of each function it
 * declares and calls there (`bootstrap();`, `void main()`, `main().catch(...)`: NestJS's `main.ts`
 * starts Sentry inside `bootstrap`), and the body of a top-level IIFE (issue 13, round 17: seen in
 * public backends, agir-back src/main.ts:35, matters-server src/index.ts:20).
 */
function startStatements(program: TSESTree.Program): TSESTree.Node[] {
  const called = new Set<string>();
  const statements: TSESTree.Node[] = [...program.body];
  for (const statement of program.body) {
    let expression: TSESTree.Node | undefined = statement.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : undefined;
    if (expression?.type === AST_NODE_TYPES.UnaryExpression || expression?.type === AST_NODE_TYPES.AwaitExpression) expression = expression.argument;
    // `main().catch(...)` / `main().then(...)`: the chain's innermost call.
    while (expression?.type === AST_NODE_TYPES.CallExpression && expression.callee.type === AST_NODE_TYPES.MemberExpression) expression = expression.callee.object;
    if (expression?.type !== AST_NODE_TYPES.CallExpression) continue;
    if (expression.callee.type === AST_NODE_TYPES.Identifier) called.add(expression.callee.name);
    // `;(async () => { Sentry.init(...); ... })()` (seen in a public backend: matters-server src/index.ts:20).
    else if (isFunction(expression.callee) && expression.callee.body.type === AST_NODE_TYPES.BlockStatement) statements.push(...expression.callee.body.body);
  }
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.FunctionDeclaration && statement.id && called.has(statement.id.name)) statements.push(...statement.body.body);
  }
  return statements;
}

/**
 * `Sentry.init(...)` as a top-level statement, also under an `if` that does not test the DSN itself
 * (`if (!settings.website.dev) { Sentry.init(...) }`: the deployed process runs it). Under
 * `if (process.env.SENTRY_DSN)` the code says a deployment may run without it.
 */
function topLevelInit(statement: TSESTree.Node, text: string): TSESTree.CallExpression | undefined {
  if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate) {
    if (/dsn|sentry/i.test(text.slice(statement.test.range[0], statement.test.range[1]))) return undefined;
    const body = statement.consequent.type === AST_NODE_TYPES.BlockStatement ? statement.consequent.body : [statement.consequent];
    for (const inner of body) {
      const call = topLevelInit(inner, text);
      if (call) return call;
    }
    return undefined;
  }
  const call = statement.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : undefined;
  return call?.type === AST_NODE_TYPES.CallExpression && calleeParts(call)?.member === 'init' ? call : undefined;
}

/**
 * A DSN read from the application's own settings (`settings.secrets.sentry`, `config.sentry.dsn`):
 * the deployment's configuration holds one (issue 13, round 16: seen in a public backend,
 * discordextremelist's website, which starts Sentry outside development). An environment variable
 * (`process.env.SENTRY_DSN`) only when the project's env example (`.env.sample`, `.env.example`, ...)
 * lists it, so that a deployment made from it sets one (round 17: agir-back's `.env.sample`);
 * otherwise self-hosted deployments leave it unset, and the SDK installs nothing (firecrawl, camino).
 */
function isConfiguredValue(value: TSESTree.Node, file: string, projectRootDir: string): boolean {
  if (value.type !== AST_NODE_TYPES.MemberExpression) return false;
  // `process.env.X`, `config.env.X`, `Bun.env.X`: the environment, wherever it is read through.
  const names: string[] = [];
  let root: TSESTree.Node = value;
  for (; root.type === AST_NODE_TYPES.MemberExpression; root = root.object) names.push(memberName(root) ?? '');
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  const fromEnvironment = root.name === 'process' || root.name === 'env' || names.includes('env');
  return !fromEnvironment || (names[0] !== undefined && envExampleLists(names[0], path.dirname(file), projectRootDir));
}

/** Env example files a project ships for its deployments to copy. */
const ENV_EXAMPLE_FILES = ['.env.example', '.env.sample', '.env-example', '.env.dist', '.env.template', '.env.defaults', 'example.env', 'sample.env'];

/** Whether an env example file in `dir` or a folder above it, up to the project's root, lists `variable`. */
function envExampleLists(variable: string, dir: string, projectRootDir: string): boolean {
  const line = new RegExp(`^\\s*(?:export\\s+)?${variable.replace(/[^\w]/g, '')}\\s*=`, 'm');
  for (let folder = dir; ; folder = path.dirname(folder)) {
    for (const name of ENV_EXAMPLE_FILES) {
      try {
        if (line.test(fs.readFileSync(path.join(folder, name), 'utf8'))) return true;
      } catch {
        // No such file here.
      }
    }
    if (folder === projectRootDir || path.dirname(folder) === folder || !folder.startsWith(projectRootDir)) return false;
  }
}

/** Whether a path under the root is test code or a script by its folders or name (vocabulary `testPathParts`, `scriptPathParts`). */
function isTestOrScriptLocation(root: string, full: string, isFolder: boolean, vocabulary: CompiledVocabulary): boolean {
  const relative = `/${path.relative(root, full).replace(/\\/g, '/')}${isFolder ? '/' : ''}`;
  return vocabulary.testPathParts.some((part) => relative.includes(part)) || vocabulary.scriptPathParts.some((part) => relative.includes(part));
}

/**
 * The `process.on('unhandledRejection', handler)` registrations of one file's text: whether one
 * logs and keeps running (its handler, and the functions of the file it calls, neither throw nor
 * call `processExitCalls`), and whether one ends the process.
 */
export function rejectionHandlersIn(
  text: string,
  vocabulary: CompiledVocabulary,
  keys: VisitorKeys,
  isEvent: (event: string) => boolean = (event) => vocabulary.isProcessRejectionEvent(event),
): { logs: boolean; exits: boolean } {
  let program: TSESTree.Program;
  try {
    program = parse(text, { range: true, loc: false, jsx: false, comment: false, tokens: false }) as unknown as TSESTree.Program;
  } catch {
    return { logs: false, exits: false };
  }
  const functionsByName = new Map<string, FunctionNode>();
  const handlers: TSESTree.Node[] = [];
  const stack: TSESTree.Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.FunctionDeclaration && node.id) functionsByName.set(node.id.name, node);
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init && isFunction(node.init)) {
      functionsByName.set(node.id.name, node.init);
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const handler = processHandlerOf(node, isEvent);
      if (handler) handlers.push(handler);
    }
    // `parse` sets no parents; the event list of `signals.forEach((s) => process.on(s, ...))` is found through them.
    const before = stack.length;
    pushChildren(stack, node, keys);
    for (let k = before; k < stack.length; k += 1) (stack[k] as { parent?: TSESTree.Node }).parent ??= node;
  }
  let logs = false;
  let exits = false;
  for (const handler of handlers) {
    // `process.on('unhandledRejection', console.error)`: a log method itself (seen in a public backend: spacebarchat/server's start files).
    if (isLogMethodReference(handler, vocabulary)) {
      logs = true;
      continue;
    }
    const fn = isFunction(handler) ? handler : handler.type === AST_NODE_TYPES.Identifier ? functionsByName.get(handler.name) : undefined;
    // A handler from another module: what it does is unknown, so it proves nothing either way.
    if (!fn) continue;
    if (endsProcess(fn, functionsByName, vocabulary, keys, new Set())) exits = true;
    else logs = true;
  }
  return { logs, exits };
}

/** The handler argument of `process.on|once|addListener|prependListener(event, handler)` whose event fits. */
function processHandlerOf(call: TSESTree.CallExpression, isEvent: (event: string) => boolean): TSESTree.Node | undefined {
  const parts = calleeParts(call);
  if (parts?.receiver !== 'process' || !PROCESS_LISTENER_METHODS.has(parts.member)) return undefined;
  const [event, handler] = call.arguments;
  const events = event ? eventNames(event, call) : [];
  if (events.length === 0 || !events.every(isEvent)) return undefined;
  return handler && handler.type !== AST_NODE_TYPES.SpreadElement ? handler : undefined;
}

/**
 * The event names a listener's first argument stands for: a string literal, or the element of a
 * list of string literals it loops over (`signalTraps.forEach((type) => process.once(type, ...))`,
 * `for (const signal of ['SIGTERM', 'SIGINT'])`; seen in a public backend: jitsu's services).
 */
function eventNames(event: TSESTree.Node, call: TSESTree.CallExpression): string[] {
  if (event.type === AST_NODE_TYPES.Literal) return typeof event.value === 'string' ? [event.value] : [];
  if (event.type !== AST_NODE_TYPES.Identifier) return [];
  for (let current: TSESTree.Node | undefined = call.parent; current; current = current.parent) {
    if (
      isFunction(current) &&
      current.params[0]?.type === AST_NODE_TYPES.Identifier &&
      current.params[0].name === event.name &&
      current.parent?.type === AST_NODE_TYPES.CallExpression &&
      current.parent.arguments[0] === current &&
      calleeParts(current.parent)?.member === 'forEach' &&
      current.parent.callee.type === AST_NODE_TYPES.MemberExpression
    ) {
      return listedStrings(current.parent.callee.object, current);
    }
    if (
      current.type === AST_NODE_TYPES.ForOfStatement &&
      current.left.type === AST_NODE_TYPES.VariableDeclaration &&
      current.left.declarations[0]?.id.type === AST_NODE_TYPES.Identifier &&
      current.left.declarations[0].id.name === event.name
    ) {
      return listedStrings(current.right, current);
    }
  }
  return [];
}

/** The strings of an array literal, given inline or as a `const` declared in a block around `at`. */
function listedStrings(list: TSESTree.Node, at: TSESTree.Node): string[] {
  let array = skipTypeWrappers(list);
  if (array.type === AST_NODE_TYPES.Identifier) {
    const name = array.name;
    let init: TSESTree.Node | undefined;
    for (let current: TSESTree.Node | undefined = at.parent; current && !init; current = current.parent) {
      if (current.type !== AST_NODE_TYPES.BlockStatement && current.type !== AST_NODE_TYPES.Program) continue;
      for (const statement of current.body) {
        const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
        if (declaration?.type !== AST_NODE_TYPES.VariableDeclaration || declaration.kind !== 'const') continue;
        const declarator = declaration.declarations.find((d) => d.id.type === AST_NODE_TYPES.Identifier && d.id.name === name);
        if (declarator?.init) init = declarator.init;
      }
    }
    if (!init) return [];
    array = skipTypeWrappers(init);
  }
  if (array.type !== AST_NODE_TYPES.ArrayExpression) return [];
  const strings: string[] = [];
  for (const element of array.elements) {
    if (element?.type !== AST_NODE_TYPES.Literal || typeof element.value !== 'string') return [];
    strings.push(element.value);
  }
  return strings;
}

const PROCESS_LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** Whether a handler throws or ends the process, itself or through the file's functions it calls (nested callbacks included). */
/** `console.error`, `logger.warn`: a logger's method passed as a value. */
function isLogMethodReference(node: TSESTree.Node, vocabulary: CompiledVocabulary): boolean {
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.property.type !== AST_NODE_TYPES.Identifier) return false;
  const object = node.object;
  const receiver =
    object.type === AST_NODE_TYPES.Identifier
      ? object.name
      : object.type === AST_NODE_TYPES.MemberExpression && !object.computed && object.property.type === AST_NODE_TYPES.Identifier
        ? object.property.name
        : undefined;
  return receiver !== undefined && vocabulary.isLogger(receiver) && vocabulary.isLogMethod(node.property.name);
}

function endsProcess(
  fn: FunctionNode,
  functionsByName: ReadonlyMap<string, FunctionNode>,
  vocabulary: CompiledVocabulary,
  keys: VisitorKeys,
  seen: Set<FunctionNode>,
): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    // `if (NODE_ENV === 'development') throw reason;`: a deployed process logs and keeps running
    // (issue 13, round 12: seen in a public backend, kuzzle's lib/kuzzle/kuzzle.ts handler).
    if (node.type === AST_NODE_TYPES.IfStatement && holdsOnlyInDevelopment(node.test)) {
      if (node.alternate) stack.push(node.alternate);
      continue;
    }
    if (node.type === AST_NODE_TYPES.ThrowStatement) return true;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const parts = calleeParts(node);
      if (parts && vocabulary.fits(vocabulary.processExitCalls, parts.receiver, parts.member)) return true;
      const callee = parts?.receiver === undefined ? functionsByName.get(parts?.member ?? '') : undefined;
      if (callee && endsProcess(callee, functionsByName, vocabulary, keys, seen)) return true;
    }
    pushChildren(stack, node, keys);
  }
  return false;
}

/**
 * A test that holds only outside production: `NODE_ENV === 'development'` (on `process.env` or
 * `global`), `process.env.NODE_ENV !== 'production'`, or a flag named so (`isDev`, `__DEV__`).
 */
function holdsOnlyInDevelopment(test: TSESTree.Expression): boolean {
  if (test.type === AST_NODE_TYPES.Identifier) return /^(?:isDev|isDevelopment|__DEV__|devMode|IS_DEV|DEV)$/.test(test.name);
  if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator === '&&') return holdsOnlyInDevelopment(test.left) || holdsOnlyInDevelopment(test.right);
  if (test.type !== AST_NODE_TYPES.BinaryExpression) return false;
  const sides = [test.left, test.right];
  const environment = sides.some((side) => side.type === AST_NODE_TYPES.MemberExpression && memberName(side) === 'NODE_ENV');
  const literal = sides.find((side): side is TSESTree.StringLiteral => side.type === AST_NODE_TYPES.Literal && typeof side.value === 'string')?.value;
  if (!environment || literal === undefined) return false;
  if (test.operator === '===' || test.operator === '==') return literal === 'development' || literal === 'dev';
  if (test.operator === '!==' || test.operator === '!=') return literal === 'production';
  return false;
}

// ---------------------------------------------------------------------------------------------
// Awaited values that cannot reject by what they are
// ---------------------------------------------------------------------------------------------

type RejectFacts = Pick<FileFacts, 'sourceCode' | 'vocabulary' | 'calls'> & { readonly filename?: string | undefined };

/**
 * Whether an awaited expression cannot reject by what it is: a `new Promise` whose executor takes
 * no `reject`, a `node:timers/promises` timer without a `signal`, or a call whose value is tested
 * as a Result (`isErr`/`isOk`) here or, for the same callee, elsewhere in the file.
 */
export function awaitedValueCannotReject(argument: TSESTree.Node, facts: RejectFacts): boolean {
  if (isResolveOnlyPromise(argument)) return true;
  const call = skipTypeWrappers(argument);
  // `await import('./tracker.js')`: loading one of the project's own modules fails only when the
  // deployment is broken, not when I/O fails (issue 13, round 16: ban-plateforme's legacy routes).
  if (call.type === AST_NODE_TYPES.ImportExpression) return relativeImportSource(call) !== undefined;
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  // `await blgrLogger.open()`, `await logger.flush()`: a logger's own failure is not the work's (issue 13,
  // round 18: seen in a public backend, sphinx-relay's src/utils/logger.ts:74).
  // Only names that say logger: a `log` may be an audit-log row (`await log.save()`).
  const parts = calleeParts(call);
  if (parts?.receiver !== undefined && /logger/i.test(parts.receiver) && facts.vocabulary.isLogger(parts.receiver) && !facts.vocabulary.isIoMethod(parts.member)) return true;
  return isSignalFreeTimer(call, facts) || isResultChecked(call, facts) || resultCheckedCallees(facts).has(calleeKey(call) ?? '') || isNonRejectingCall(call, facts);
}

/**
 * A call the vocabulary names as unable to reject (`nonRejectingCalls`), where the file's package
 * depends on the library that makes it so: `this.eventEmitter.emitAsync(...)` with
 * @nestjs/event-emitter 2.0.2 or later, whose listeners log their errors instead of rethrowing.
 */
function isNonRejectingCall(call: TSESTree.CallExpression, facts: RejectFacts): boolean {
  const patterns = facts.vocabulary.nonRejectingCalls;
  if (patterns.length === 0) return false;
  const parts = calleeParts(call);
  if (!parts) return false;
  return patterns.some(
    (pattern) =>
      pattern.pattern.member === parts.member &&
      facts.vocabulary.fits([pattern.pattern], parts.receiver, parts.member) &&
      (pattern.whenDependsOn === undefined || dependsOnAtLeast(facts.filename, pattern.whenDependsOn)),
  );
}

/**
 * Whether a call goes to code this file does not show, so that nothing here says it can reject
 * (issue 13, rounds 5 and 6): a function or object imported from another module (`trackToolCall`
 * from `@/utils/analytics`, `reportBackgroundError` from `../lib/sentry`), unless the vocabulary
 * names the call as I/O: an `ioModules` import (`fs/promises`), an `ioReceivers` or `factoryNames`
 * name anywhere on the way to the method (`services.db.users.find(...)`), an `ioMethods`
 * or `ioFunctions` name (`findOne`, `query`, `execAsync`), `externalCalls` (`axios.post`), a
 * database write (`userService.update`) or a commit-dependent call (`mailer.send`). Projects wrap
 * their own helpers so that they do not reject (analytics, error reporting,
 * Result-returning clients), and the held-out repositories showed that assuming otherwise makes
 * most "unhandled rejection" reports false. With `assumeUnseenCallsReject` (`strict`, `all`) no
 * call is unseen.
 */
export function isUnseenCall(call: TSESTree.CallExpression, facts: RejectFacts): boolean {
  const vocabulary = facts.vocabulary;
  if (vocabulary.source.assumeUnseenCallsReject) return false;
  const { root, names } = calleeChain(call.callee);
  if (root.type === AST_NODE_TYPES.Identifier) {
    const source = importSource(root, facts);
    if (source === undefined || vocabulary.isIoModule(source)) return false;
    names.unshift(root.name);
  } else {
    // `this.service.method()`: an injected NestJS service or repository usually does I/O. Treating
    // injected members as unseen removed as many true reports as false ones on the tuning set
    // (issue 13, round 6: ghostfolio, medusa, nocobase, erxes lost real ones), so they stay seen.
    return false;
  }
  if (names.some((name) => vocabulary.isIoReceiver(name) || vocabulary.isFactoryName(name))) return false;
  if (isExternalCall(vocabulary, call, undefined) || isDatabaseWrite(vocabulary, call)) return false;
  const parts = calleeParts(call);
  if (parts === undefined) return true;
  return !(vocabulary.isIoMethod(parts.member) || vocabulary.isIoFunction(parts.member) || vocabulary.isCommitDependentCall(parts.receiver, parts.member));
}

/**
 * The root of a callee and the names on the way from it to the method, through member accesses:
 * `services.reports.findOneBy` -> `services`, [reports, findOneBy]. A call on the way ends the walk
 * (`Gateway.getInstance().run()` -> the call): what it returns is not the imported object itself,
 * and treating it as unseen lost real reports on the tuning set (nocobase ws-server.ts:242).
 */
function calleeChain(callee: TSESTree.Node): { root: TSESTree.Node; names: string[] } {
  const names: string[] = [];
  let node = skipTypeWrappers(callee);
  for (;;) {
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) names.unshift(node.property.name);
      else if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) names.unshift(node.property.name);
      node = skipTypeWrappers(node.object);
    } else if (node.type === AST_NODE_TYPES.ChainExpression) {
      node = node.expression;
    } else {
      return { root: node, names };
    }
  }
}

/** The module a name is imported from (`import x from 'm'`, `const { x } = require('m')`); undefined for a local name. */
function importSource(identifier: TSESTree.Identifier, facts: RejectFacts): string | undefined {
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)?.defs[0];
  if (def?.type === 'ImportBinding') {
    return def.parent?.type === AST_NODE_TYPES.ImportDeclaration ? def.parent.source.value : undefined;
  }
  if (def?.type !== 'Variable') return undefined;
  const required = requireCall(def.node.init);
  return required && required.members.length === 0 ? required.module : undefined;
}

/** `new Promise((resolve) => ...)`: an executor that takes no `reject` settles only by resolving; `Promise.resolve()` too. */
/** What the file knows that widens `isResolveOnlyPromise`: its functions, and the values its constants hold. */
export interface PromiseLookup {
  resolveFunction(callee: TSESTree.Node): FunctionNode | undefined;
  constValue(identifier: TSESTree.Identifier): TSESTree.Node | undefined;
}

export function isResolveOnlyPromise(node: TSESTree.Node, lookup?: PromiseLookup): boolean {
  const resolveFunction = lookup?.resolveFunction;
  const inner = skipTypeWrappers(node);
  // `waitForGuild(id)`, a plain function of this file whose every `return` is such a promise
  // (seen in a public backend: modmailbot's src/main.js:91, `Promise.resolve()` or a `new Promise`
  // that only resolves on an event).
  if (resolveFunction && inner.type === AST_NODE_TYPES.CallExpression) {
    const target = resolveFunction(inner.callee);
    if (target && !target.async && !target.generator) {
      const returned = ownReturnedValues(target);
      if (returned.length > 0 && returned.every((value) => isResolveOnlyPromise(value))) return true;
    }
  }
  // `await Promise.resolve()` (a microtask tick) and `Promise.resolve(literal)`: they resolve. Not
  // `Promise.resolve(p)`, which adopts a promise's rejection (seen in a public backend: laf's p-limit,
  // server/src/utils/p-limit.ts:106).
  if (inner.type === AST_NODE_TYPES.CallExpression) {
    // `await Promise.race([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) =>
    // setTimeout(resolve, 5000))])`: a combinator over promises that only resolve only resolves (issue 13,
    // round 13: seen in a public backend, latitude-llm's GepaClient.stop, packages/platform/op-gepa/src/client.ts:174).
    if (isPromiseCombinator(inner) && inner.arguments.length === 1) {
      let list = skipTypeWrappers(inner.arguments[0]!);
      // `const pending = records.map(...); Promise.all(pending)` (seen in a public backend:
      // mail-for-good server/controllers/list/import-csv.js:189).
      if (list.type === AST_NODE_TYPES.Identifier && lookup) list = skipTypeWrappers(lookup.constValue(list) ?? list);
      if (list.type === AST_NODE_TYPES.CallExpression && calleeParts(list)?.member === 'map') return mapsToResolveOnly(list, lookup);
      return (
        list.type === AST_NODE_TYPES.ArrayExpression &&
        list.elements.length > 0 &&
        list.elements.every((e) => e !== null && (e.type === AST_NODE_TYPES.SpreadElement ? mapsToResolveOnly(e.argument, lookup) : isResolveOnlyPromise(e, lookup)))
      );
    }
    const parts = calleeParts(inner);
    return (
      parts?.receiver === 'Promise' &&
      parts.member === 'resolve' &&
      inner.arguments.every((a) => a.type === AST_NODE_TYPES.Literal || (a.type === AST_NODE_TYPES.Identifier && a.name === 'undefined'))
    );
  }
  if (inner.type !== AST_NODE_TYPES.NewExpression || inner.callee.type !== AST_NODE_TYPES.Identifier || inner.callee.name !== 'Promise') return false;
  const executor = inner.arguments[0];
  // An async executor's own failures never reach the outer promise: the constructor drops them
  // (no-floating-background-task reports that executor where it can fail). So without `reject` the
  // outer promise too only resolves (issue 13, round 19: seen in a public backend, Lightning.Pub's
  // nostrRelayConnection.ts:133 `new Promise<void>(async (res) => ...)`).
  if (executor === undefined || !isFunction(executor)) return false;
  if (executor.params.length < 2) return true;
  // `new Promise((resolve, reject) => { ... })` that never names `reject` (seen in a public backend:
  // Socioboard's socioboard-api/Common/Models/task.model.js:451, whose inner chain ends in a logging catch).
  const reject = executor.params[1]!;
  return executor.params.length === 2 && reject.type === AST_NODE_TYPES.Identifier && !containsNodeByFields(executor.body, (n) => n.type === AST_NODE_TYPES.Identifier && n.name === reject.name, true);
}

/**
 * `xs.map(...)` whose plain callback only ever hands back a promise that resolves, or nothing:
 * `ids.map((id) => waitForGuild(id))`, `records.map((row) => { return new Promise((resolve) => ...); })`,
 * `rows.map((row) => { fs.unlink(row.path, cb); })`, which fills the list with `undefined` (seen in a
 * public backend: Socioboard's socioboard-api/Common/Models/upload.model.js:620).
 */
function mapsToResolveOnly(node: TSESTree.Node, lookup?: PromiseLookup): boolean {
  const list = skipTypeWrappers(node);
  if (list.type !== AST_NODE_TYPES.CallExpression || calleeParts(list)?.member !== 'map') return false;
  const mapper = list.arguments[0];
  if (mapper === undefined || !isFunction(mapper) || mapper.async || mapper.generator) return false;
  if (mapper.body.type !== AST_NODE_TYPES.BlockStatement) return isResolveOnlyPromise(mapper.body, lookup);
  const returned = ownReturnedValues(mapper);
  return returned.every((value) => isResolveOnlyPromise(value, lookup));
}

/**
 * `setTimeout(ms)` / `scheduler.wait(ms)` imported from `node:timers/promises` (vocabulary
 * `timerPromiseModules`, `timerPromiseFunctions`), decided by the import and not the name: a
 * global `setTimeout` returns a handle. Only an abort `signal` makes them reject, so an options
 * argument that may carry one (not an object literal without `signal`) counts as a possible rejection.
 */
function isSignalFreeTimer(call: TSESTree.CallExpression, facts: RejectFacts): boolean {
  const callee = skipTypeWrappers(call.callee);
  const root = callee.type === AST_NODE_TYPES.MemberExpression ? skipTypeWrappers(callee.object) : callee;
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  const imported = importedName(root, facts);
  if (imported === undefined) return false;
  const vocabulary = facts.vocabulary;
  let fits: boolean;
  if (callee.type === AST_NODE_TYPES.Identifier) {
    fits = imported !== '*' && vocabulary.fits(vocabulary.timerPromiseFunctions, undefined, imported);
  } else {
    const member = calleeParts(call)?.member;
    // `timers.setTimeout(ms)` on the namespace, or `scheduler.wait(ms)` on the imported `scheduler`.
    fits = member !== undefined && vocabulary.fits(vocabulary.timerPromiseFunctions, imported === '*' ? undefined : imported, member);
  }
  if (!fits) return false;
  return call.arguments.slice(1).every((a) => a.type === AST_NODE_TYPES.Literal || (a.type === AST_NODE_TYPES.ObjectExpression && !mayCarrySignal(a)));
}

function mayCarrySignal(options: TSESTree.ObjectExpression): boolean {
  return options.properties.some(
    (p) => p.type === AST_NODE_TYPES.SpreadElement || p.computed || (p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : String((p.key as TSESTree.Literal).value)) === 'signal',
  );
}

/** The name an identifier imports from a timer-promises module (`'*'` for a namespace), via `import` or `require`. */
function importedName(identifier: TSESTree.Identifier, facts: RejectFacts): string | undefined {
  const source = importSource(identifier, facts);
  if (source === undefined || !facts.vocabulary.isTimerPromiseModule(source)) return undefined;
  const def = ASTUtils.findVariable(facts.sourceCode.getScope(identifier), identifier)!.defs[0]!;
  if (def.type === 'ImportBinding') {
    const specifier = def.node;
    // A built-in module's default import is its whole namespace: `import timers from 'timers/promises'`
    // (issue 13, round 16: seen in a public backend, nerimity-server src/index.ts:321).
    if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier || specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return '*';
    if (specifier.type === AST_NODE_TYPES.ImportSpecifier) return specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
    return undefined;
  }
  // `const { setTimeout: sleep } = require('node:timers/promises')`.
  if (def.type !== 'Variable') return undefined;
  if (def.node.id.type === AST_NODE_TYPES.Identifier) return '*';
  if (def.node.id.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of def.node.id.properties) {
    if (property.type === AST_NODE_TYPES.Property && property.value === identifier && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
    if (property.type === AST_NODE_TYPES.Property && property.value.type === AST_NODE_TYPES.Identifier && property.value.name === identifier.name && property.key.type === AST_NODE_TYPES.Identifier) {
      return property.key.name;
    }
  }
  return undefined;
}

/**
 * Whether an awaited call's value is tested as a Result where it is awaited: `const r = await x();
 * if (r.isErr())`, `if (isErr(r))`, `(await x()).isOk()` (vocabulary `resultCheckMethods`,
 * `resultCheckFunctions`), `if (r instanceof Error)`. Such a callee reports failure as a value; it
 * does not reject for it.
 */
function isResultChecked(call: TSESTree.CallExpression, facts: RejectFacts): boolean {
  const awaited = outerExpression(call).parent;
  if (awaited?.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const outer = outerExpression(awaited);
  const parent = outer.parent;
  const vocabulary = facts.vocabulary;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer && isResultCheckCall(parent, vocabulary)) return true;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer) return false;
  // `const [error, value] = await tryCatch(p)`: an `[error, result]` tuple carries the failure; so does
  // a `[result, error]` one (`const [, error] = await safely(p)`, seen in a public backend: papra's event
  // handlers, through @corentinth/chisels; issue 13, round 11).
  if (parent.id.type === AST_NODE_TYPES.ArrayPattern) {
    return parent.id.elements.slice(0, 2).some((element) => element?.type === AST_NODE_TYPES.Identifier && vocabulary.isErrorTupleName(element.name));
  }
  if (parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = facts.sourceCode.getDeclaredVariables(parent)[0];
  const memberUses = (variable?.references ?? []).flatMap((reference) => {
    const use = (reference.identifier as TSESTree.Node).parent;
    return use?.type === AST_NODE_TYPES.MemberExpression && use.object === reference.identifier ? [use] : [];
  });
  // `if (!r.success) log(r.error)`: a flag tested beside a read of the carried error or data. A
  // fetch `Response` has `ok` too but no `error`/`data`, and `fetch` rejects on a network failure.
  if (memberUses.some((use) => isSuccessTest(use, vocabulary)) && memberUses.some((use) => vocabulary.isResultValueProperty(memberName(use)))) return true;
  return (
    variable?.references.some((reference) => {
      const identifier = reference.identifier as TSESTree.Node;
      const use = identifier.parent;
      if (use?.type === AST_NODE_TYPES.MemberExpression && use.object === identifier) return isResultCheckCall(use, vocabulary);
      // `if (paid instanceof Error)`: a Result-style codebase hands its failures back as values (issue 13,
      // round 19: seen in a public backend, GaloyMoney/blink's payment-status subscriptions, 11 reports).
      if (use?.type === AST_NODE_TYPES.BinaryExpression && use.operator === 'instanceof' && use.left === identifier) {
        return use.right.type === AST_NODE_TYPES.Identifier && /Error$/.test(use.right.name);
      }
      if (use?.type === AST_NODE_TYPES.CallExpression && use.arguments.includes(identifier as TSESTree.CallExpressionArgument)) {
        const parts = calleeParts(use);
        return parts !== undefined && vocabulary.isResultCheckFunction(parts.member);
      }
      return false;
    }) ?? false
  );
}

/** `r.isErr()`: a member read that is called, whose name is a Result check. */
function isResultCheckCall(member: TSESTree.MemberExpression, vocabulary: CompiledVocabulary): boolean {
  const name = !member.computed && member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : undefined;
  const call = outerExpression(member).parent;
  return vocabulary.isResultCheckMethod(name) && call?.type === AST_NODE_TYPES.CallExpression && outerExpression(call.callee) === outerExpression(member);
}

function memberName(member: TSESTree.MemberExpression): string | undefined {
  return !member.computed && member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : undefined;
}

/** `if (!r.success)`, `r.ok ? ... : ...`: a `{ success }` result's flag read as a condition. */
function isSuccessTest(member: TSESTree.MemberExpression, vocabulary: CompiledVocabulary): boolean {
  if (!vocabulary.isResultSuccessProperty(memberName(member))) return false;
  let node: TSESTree.Node = outerExpression(member);
  while (node.parent?.type === AST_NODE_TYPES.UnaryExpression && node.parent.operator === '!') node = node.parent;
  const test = node.parent;
  return (
    (test?.type === AST_NODE_TYPES.IfStatement || test?.type === AST_NODE_TYPES.ConditionalExpression) && test.test === node
  );
}

/** `orchestratorClient.dequeue` of `this.orchestratorClient.dequeue(...)`: a callee by its receiver's name and its member. */
function calleeKey(call: TSESTree.CallExpression): string | undefined {
  const parts = calleeParts(call);
  return parts && `${parts.receiver ?? ''}.${parts.member}`;
}

const checkedCalleesCache = new WeakMap<object, ReadonlySet<string>>();

/** The callees whose awaited value this file tests as a Result somewhere, indexed once per file. */
function resultCheckedCallees(facts: RejectFacts): ReadonlySet<string> {
  let keys = checkedCalleesCache.get(facts.sourceCode);
  if (!keys) {
    const found = new Set<string>();
    // Cheap text test first: a file that names no Result check has none.
    const text = facts.sourceCode.text;
    const names = [...facts.vocabulary.source.resultCheckMethods, ...facts.vocabulary.source.resultCheckFunctions, ...facts.vocabulary.source.resultSuccessProperties];
    // An `[error, value]` tuple shows as a destructuring `const [`.
    if (names.some((name) => text.includes(name)) || /\b(?:const|let|var)\s*\[/.test(text) || text.includes('instanceof')) {
      for (const call of facts.calls) {
        if (call.type !== AST_NODE_TYPES.CallExpression || !isResultChecked(call, facts)) continue;
        const key = calleeKey(call);
        if (key !== undefined) found.add(key);
      }
    }
    keys = found;
    checkedCalleesCache.set(facts.sourceCode, keys);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Shutdown paths
// ---------------------------------------------------------------------------------------------

/**
 * Whether a node runs only while the process shuts down: inside a `process.on('SIGTERM' | 'SIGINT' |
 * 'beforeExit', ...)` handler (vocabulary `shutdownSignals`), in a function of this file registered
 * as one or called only from such code, or in a branch taken only for such a signal
 * (`if (signal === 'SIGTERM')`). A rejection there can only fail a process being torn down.
 */
export function onShutdownPath(node: TSESTree.Node, facts: Pick<FileFacts, 'vocabulary' | 'functions' | 'calls' | 'resolveFunction'>): boolean {
  return shutdownPath(node, facts, new Set());
}

function shutdownPath(node: TSESTree.Node, facts: Pick<FileFacts, 'vocabulary' | 'functions' | 'calls' | 'resolveFunction'>, seen: Set<FunctionNode>): boolean {
  const vocabulary = facts.vocabulary;
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.IfStatement && current.consequent === child && testsShutdownSignal(current.test, vocabulary)) return true;
    if (isFunction(current)) {
      if (seen.has(current)) return false;
      seen.add(current);
      if (current.parent?.type === AST_NODE_TYPES.CallExpression && processHandlerOf(current.parent, (e) => endsOrFailsProcess(e, vocabulary)) === current) return true;
      if (registeredForShutdown(current, facts)) return true;
      if (isShutdownHookMethod(current, vocabulary)) return true;
      if (exitsProcess(current, vocabulary)) return true;
      const callers = facts.functions.callersOf(current);
      if (callers.length > 0 && callers.every((call) => shutdownPath(call, facts, seen))) return true;
    }
    child = current;
  }
  return false;
}

/**
 * A shutdown signal, or a process event raised for a failure the process is already handling
 * (`uncaughtException`, `unhandledRejection`): a promise dropped in that handler rejects into a
 * process that is ending, or into the rejection handler that is running (issue 13, round 11:
 * papra's graceful shutdown, started from both).
 */
function endsOrFailsProcess(event: string, vocabulary: CompiledVocabulary): boolean {
  return vocabulary.isShutdownSignal(event) || event === 'uncaughtException' || vocabulary.isProcessRejectionEvent(event);
}

/**
 * `async (code) => { await client.close(); process.exit(code); }`, `setTimeout(() => process.exit(1), 500)`
 * as a statement of the body or of a guard's block: the function ends the process, so a rejection in it only changes how a
 * process that is ending ends (issue 13, round 11: overleaf's shutdown listener, papra's graceful shutdown).
 */
export function exitsProcess(fn: FunctionNode, vocabulary: CompiledVocabulary): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  const isExit = (node: TSESTree.Node | undefined): boolean => {
    const expression = node && skipTypeWrappers(node.type === AST_NODE_TYPES.ExpressionStatement ? node.expression : node);
    if (expression?.type !== AST_NODE_TYPES.CallExpression) return false;
    const parts = calleeParts(expression);
    if (parts && vocabulary.fits(vocabulary.processExitCalls, parts.receiver, parts.member)) return true;
    // `setTimeout(() => process.exit(code), 500)`: the exit after letting the logs flush.
    const timer = parts?.receiver === undefined && (parts?.member === 'setTimeout' || parts?.member === 'setImmediate') ? expression.arguments[0] : undefined;
    if (!timer || !isFunction(timer)) return false;
    return timer.body.type === AST_NODE_TYPES.BlockStatement ? timer.body.body.some((inner) => isExit(inner)) : isExit(timer.body);
  };
  // `if (!stopping) { stopping = true; await server.close(); process.exit(0) }`: a shutdown run once
  // (issue 13, round 15: seen in a public backend, FlowFuse's forge/app.js exitWhenStopped).
  const exitsInGuard = (statement: TSESTree.Statement): boolean =>
    statement.type === AST_NODE_TYPES.IfStatement &&
    statement.alternate === null &&
    statement.consequent.type === AST_NODE_TYPES.BlockStatement &&
    isExit(statement.consequent.body.at(-1));
  return fn.body.body.some((statement) => isExit(statement) || exitsInGuard(statement));
}

/**
 * `else { logger.error('asterisk is not ready'); process.exit(1); }` in a function's own body: its
 * author ends the process when this work fails, so a rejection of its promise that ends the process
 * too is the outcome they chose, not a crash they would fix (issue 13, round 14: seen in a public
 * backend, fonoster mods/apiserver/src/voice/connectToAri.ts:78, re-called from a reconnect timer).
 */
export function endsProcessOnFailure(fn: FunctionNode, vocabulary: CompiledVocabulary): boolean {
  return containsNodeByFields(fn.body, (node) => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    const parts = calleeParts(node);
    const code = node.arguments[0];
    return (
      parts !== undefined &&
      parts.member === 'exit' &&
      vocabulary.fits(vocabulary.processExitCalls, parts.receiver, parts.member) &&
      code?.type === AST_NODE_TYPES.Literal &&
      typeof code.value === 'number' &&
      code.value !== 0
    );
  });
}

/** `onModuleDestroy() { ... }` in a class: a method the framework calls only on shutdown (vocabulary `shutdownHooks`). */
function isShutdownHookMethod(fn: FunctionNode, vocabulary: CompiledVocabulary): boolean {
  const method = fn.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition && method?.type !== AST_NODE_TYPES.PropertyDefinition) return false;
  if (method.value !== fn || method.key.type !== AST_NODE_TYPES.Identifier) return false;
  return vocabulary.isShutdownHook(method.key.name);
}

/** `process.on('SIGTERM', shutdown)` with `shutdown` a function of this file. */
function registeredForShutdown(fn: FunctionNode, facts: Pick<FileFacts, 'vocabulary' | 'calls' | 'resolveFunction'>): boolean {
  return facts.calls.some((call) => {
    if (call.type !== AST_NODE_TYPES.CallExpression) return false;
    const handler = processHandlerOf(call, (e) => endsOrFailsProcess(e, facts.vocabulary));
    return handler !== undefined && !isFunction(handler) && facts.resolveFunction(handler) === fn;
  });
}

/** `signal === 'SIGTERM' || signal === 'SIGINT'`: a test that holds only for shutdown signals. */
function testsShutdownSignal(test: TSESTree.Expression, vocabulary: CompiledVocabulary): boolean {
  const inner = skipTypeWrappers(test);
  if (inner.type === AST_NODE_TYPES.LogicalExpression && inner.operator === '||') {
    return testsShutdownSignal(inner.left, vocabulary) && testsShutdownSignal(inner.right, vocabulary);
  }
  if (inner.type !== AST_NODE_TYPES.BinaryExpression || (inner.operator !== '===' && inner.operator !== '==')) return false;
  return [inner.left, inner.right].some((side) => side.type === AST_NODE_TYPES.Literal && typeof side.value === 'string' && vocabulary.isShutdownSignal(side.value));
}
