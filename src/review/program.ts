/**
 * The review's TypeScript programs, built with the `typescript` package that the parser has
 * already loaded: one compiler in the process (ts-morph bundles a second copy, which cost the
 * review a second load and its memory), and each file parsed once for both cross-file passes.
 *
 * A program holds only the files the review adds (no transitive closure, no node_modules,
 * `noResolve`): resolving a callee or a registration to its declaration needs only the files
 * involved, which keeps a large repository's review small.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';

/** How deep re-exports are followed from a file the review adds. */
const MAX_IMPORT_DEPTH = 3;

/** Parsed files and the repository's compiler options, shared by the review's programs. */
export class ReviewCompiler {
  /** Parsed once, whichever program asks first; undefined: the file is not there. */
  private readonly parsed = new Map<string, TS.SourceFile | undefined>();
  private readonly resolutionCache: TS.ModuleResolutionCache;
  /**
   * JSDoc is parsed only where it gives types (JavaScript files): in TypeScript and declaration
   * files (the standard library is mostly JSDoc) it changes no type the checker resolves.
   */
  private readonly jsDocParsingMode: TS.JSDocParsingMode;

  private constructor(
    readonly ts: typeof TS,
    private readonly root: string,
    /** The repository's options with the review's overrides (without `noLib`, set per program). */
    private readonly options: TS.CompilerOptions,
    /** Texts git already read (absolute path -> head text): used instead of the working tree's. */
    private readonly texts: ReadonlyMap<string, string>,
  ) {
    this.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeInfo;
    this.resolutionCache = ts.createModuleResolutionCache(root, (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()), options);
  }

  /** The compiler for a repository with a root tsconfig.json; throws when the tsconfig cannot be read. */
  static create(root: string, texts: ReadonlyMap<string, string>): ReviewCompiler {
    const ts = createRequire(import.meta.url)('typescript') as typeof TS;
    const configPath = path.join(root, 'tsconfig.json');
    const read = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, ' '));
    // Options only: a host that lists no directory spares the walk over the repository that `include` would cost.
    const host: TS.ParseConfigHost = {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      readDirectory: () => [],
      fileExists: (file) => ts.sys.fileExists(file),
      readFile: (file) => ts.sys.readFile(file),
    };
    const parsed = ts.parseJsonConfigFileContent(read.config, host, root, undefined, configPath);
    const options: TS.CompilerOptions = { ...parsed.options, allowJs: true, noEmit: true, noResolve: true, types: [] };
    const absolute = new Map<string, string>();
    for (const [file, text] of texts) absolute.set(key(path.join(root, file)), text);
    return new ReviewCompiler(ts, root, options, absolute);
  }

  /** A file of the repository, parsed once: `text`, else the head text when git gave it, else the file on disk. */
  sourceFile(fileName: string, text?: string): TS.SourceFile | undefined {
    const file = key(fileName);
    if (this.parsed.has(file)) return this.parsed.get(file);
    text ??= this.texts.get(file) ?? this.ts.sys.readFile(file);
    // The options' script target, else the latest (what ts-morph parsed with before).
    const languageVersion = this.options.target ?? this.ts.ScriptTarget.Latest;
    const source = text === undefined ? undefined : this.ts.createSourceFile(file, text, { languageVersion, jsDocParsingMode: this.jsDocParsingMode }, true);
    this.parsed.set(file, source);
    return source;
  }

  /**
   * Adds to `into` the repository modules a file imports (`wanted`: only these specifiers, and not
   * the file's own re-exports, which bind no name in it; 'none': only its re-exports), then their
   * re-exports, {@link MAX_IMPORT_DEPTH} levels deep.
   */
  addLocalImports(source: TS.SourceFile, wanted: ReadonlySet<string> | 'all' | 'none', into: Set<string>, depth = 0): void {
    const { ts } = this;
    const specifiers: string[] = [];
    const exports: string[] = [];
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const specifier = statement.moduleSpecifier.text;
        if (wanted === 'all' || (wanted !== 'none' && wanted.has(specifier))) specifiers.push(specifier);
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) && (wanted === 'all' || wanted === 'none')) {
        exports.push(statement.moduleSpecifier.text);
      }
    }
    for (const specifier of [...specifiers, ...exports]) {
      if (!specifier) continue;
      const resolved = this.resolve(specifier, source.fileName);
      if (!resolved || resolved.isExternalLibraryImport || /\.d\.[cm]?ts$/.test(resolved.resolvedFileName)) continue;
      const file = key(resolved.resolvedFileName);
      if (path.relative(this.root, file).startsWith('..') || into.has(file)) continue;
      const added = this.sourceFile(file);
      if (!added) continue;
      into.add(file);
      if (depth < MAX_IMPORT_DEPTH) this.addLocalImports(added, 'none', into, depth + 1);
    }
  }

  /**
   * Whether a module specifier can name no module of the repository: in every resolution mode an
   * import may use (`require`, `import`, the options' default), it resolves into a `node_modules`
   * directory or outside the repository, or not at all (a package that is not installed). A
   * workspace package's symlink resolves to its sources, which are the repository's.
   */
  namesNoRepositoryModule(specifier: string, containingFile: string): boolean {
    const { ModuleKind } = this.ts;
    for (const mode of [undefined, ModuleKind.CommonJS, ModuleKind.ESNext] as const) {
      const resolved = this.resolve(specifier, containingFile, mode);
      if (!resolved) continue;
      const file = path.relative(this.root, key(resolved.resolvedFileName));
      if (!file.startsWith('..') && !file.split(path.sep).includes('node_modules')) return false;
    }
    return true;
  }

  private resolve(specifier: string, containingFile: string, mode?: TS.ResolutionMode): TS.ResolvedModuleFull | undefined {
    return this.ts.resolveModuleName(specifier, containingFile, this.options, this.ts.sys, this.resolutionCache, undefined, mode).resolvedModule;
  }

  /**
   * The repository files a program's files import (every module specifier, as the program
   * resolved it); undefined when this compiler does not expose its resolutions.
   */
  importedFiles(program: TS.Program): Set<string> | undefined {
    // Not in the declaration files, but on every program since TypeScript 5.3.
    const each = (program as { forEachResolvedModule?: (callback: (resolution: TS.ResolvedModuleWithFailedLookupLocations) => void) => void }).forEachResolvedModule;
    if (typeof each !== 'function') return undefined;
    const files = new Set<string>();
    each.call(program, ({ resolvedModule }) => {
      if (resolvedModule) files.add(key(resolvedModule.resolvedFileName));
    });
    return files;
  }

  /** A program of exactly these files (in this order), with the standard library when asked; `old` lends its parse and resolutions. */
  program(files: Iterable<string>, withLib: boolean, old?: TS.Program): TS.Program {
    const { ts } = this;
    const options: TS.CompilerOptions = { ...this.options, noLib: !withLib };
    const host = ts.createCompilerHost(options, true);
    host.jsDocParsingMode = this.jsDocParsingMode;
    // The program resolves every import again (even with noResolve): from the lookups already made.
    host.getModuleResolutionCache = () => this.resolutionCache;
    const libs = this.parsed;
    host.getSourceFile = (fileName, languageVersion) => {
      const file = key(fileName);
      if (libs.has(file)) return libs.get(file);
      // The standard library: outside the repository, parsed once as well.
      const text = ts.sys.readFile(file);
      const source = text === undefined ? undefined : ts.createSourceFile(file, text, languageVersion, true);
      libs.set(file, source);
      return source;
    };
    return ts.createProgram({ rootNames: [...files], options, host, oldProgram: old });
  }

  /** A repository-relative path with forward slashes. */
  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  /** The key of a repository file (absolute, forward slashes: the compiler's own spelling). */
  fileName(file: string): string {
    return key(path.join(this.root, file));
  }
}

/** An absolute path with forward slashes, as the compiler spells file names. */
const key = (file: string): string => path.resolve(file).split(path.sep).join('/');
