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
  private readonly directories = new Map<string, { hasNodeModules: boolean; packageName: string | undefined }>();
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
   * Whether a bare specifier (`react`) can only name a package under a `node_modules` directory:
   * the resolution is Node's or a bundler's (not the classic one, which looks for files up the
   * tree), and no `baseUrl` makes bare names paths. `paths`, `#imports` and a package's own name
   * are checked per specifier ({@link notInstalled}).
   */
  private bareSpecifiersReachOnlyPackages(): boolean {
    const { ModuleResolutionKind } = this.ts;
    const kind = this.options.moduleResolution;
    const nodeLike = kind === ModuleResolutionKind.Node10 || kind === ModuleResolutionKind.Node16 || kind === ModuleResolutionKind.NodeNext || kind === ModuleResolutionKind.Bundler;
    return nodeLike && this.options.baseUrl === undefined;
  }

  /**
   * Whether a module specifier names a package that no directory above the importing file has a
   * `node_modules` for (a checkout without its dependencies installed): it resolves to nothing,
   * so the program is told so without the lookup. Relative and absolute paths, `#imports`,
   * `paths` patterns and the name of a package the file lies in are resolved as usual.
   */
  private notInstalled(specifier: string, containingFile: string): boolean {
    if (/^[./#]/.test(specifier) || /^[A-Za-z]:[\\/]|^[A-Za-z][\w+.-]*:\/\//.test(specifier) || this.matchesPaths(specifier)) return false;
    const name = specifier.startsWith('@') ? specifier.split('/', 2).join('/') : specifier.split('/', 1)[0]!;
    for (let dir = path.dirname(key(containingFile)); ; dir = path.dirname(dir)) {
      const facts = this.directoryFacts(dir);
      if (facts.hasNodeModules || facts.packageName === name) return false;
      if (path.dirname(dir) === dir) return true;
    }
  }

  /** Whether a specifier matches a `paths` pattern (`~/*`, `@server/*`, an exact key). */
  private matchesPaths(specifier: string): boolean {
    for (const pattern of Object.keys(this.options.paths ?? {})) {
      const star = pattern.indexOf('*');
      if (star < 0 ? specifier === pattern : specifier.length >= pattern.length - 1 && specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a directory has a `node_modules` directory, and the name its package.json gives; read once. */
  private directoryFacts(dir: string): { hasNodeModules: boolean; packageName: string | undefined } {
    let facts = this.directories.get(dir);
    if (!facts) {
      let packageName: string | undefined;
      const manifest = this.ts.sys.readFile(path.join(dir, 'package.json'));
      try {
        const name = manifest === undefined ? undefined : (JSON.parse(manifest) as { name?: unknown }).name;
        packageName = typeof name === 'string' ? name : undefined;
      } catch {
        // An unreadable manifest names no package.
      }
      facts = { hasNodeModules: this.ts.sys.directoryExists(path.join(dir, 'node_modules')), packageName };
      this.directories.set(dir, facts);
    }
    return facts;
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
    // The DOM's declarations (a third of the standard library's text) name nothing a job
    // registration in server code resolves: `Record`, `typeof` and the ES types are what it needs.
    if (withLib) options.lib = this.libWithoutDom(options);
    const host = ts.createCompilerHost(options, true);
    host.jsDocParsingMode = this.jsDocParsingMode;
    // The program resolves every import again (even with noResolve): from the lookups already made.
    host.getModuleResolutionCache = () => this.resolutionCache;
    if (this.bareSpecifiersReachOnlyPackages()) {
      // As the program would resolve them, but a package's name with no `node_modules` directory
      // to look in: the lookup would walk every ancestor directory to find nothing.
      host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, resolutionOptions, containingSourceFile) =>
        literals.map((literal) =>
          this.notInstalled(literal.text, containingFile)
            ? { resolvedModule: undefined }
            : ts.resolveModuleName(
                literal.text,
                containingFile,
                resolutionOptions,
                host,
                this.resolutionCache,
                redirectedReference,
                ts.getModeForUsageLocation(containingSourceFile, literal, resolutionOptions),
              ),
        );
    }
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

  /** The program's standard library files without the DOM's (`lib.dom.d.ts`, `lib.dom.iterable.d.ts`, `lib.webworker*.d.ts`). */
  private libWithoutDom(options: TS.CompilerOptions): string[] {
    const isDom = (name: string): boolean => /(?:^|[\\/])lib\.(?:dom|webworker|scripthost)[.\w-]*\.d\.ts$/i.test(name);
    if (options.lib) return options.lib.filter((name) => !isDom(name));
    // No `lib` in the tsconfig: the target's default, which carries the DOM (`lib.es2020.full.d.ts`), without it.
    return [this.ts.getDefaultLibFileName(options).replace(/\.full\.d\.ts$/, '.d.ts')];
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
