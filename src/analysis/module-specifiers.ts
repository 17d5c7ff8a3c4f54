/**
 * Which import specifiers name the project's own modules, and where those modules lie, read
 * without type information: relative paths (`./utils`), the aliases of the nearest
 * tsconfig.json or jsconfig.json (`compilerOptions.paths` and `baseUrl`: `@server/lib/refreshToken`,
 * `@/services/mail`) and the package's subpath imports (package.json `imports`:
 * `#connectors/userService`). Issue 13/14: most services on held-out backends are imported by
 * alias (seen in public backends: jellyseerr's `@server/*`, matters-server's `#connectors/*`), so
 * a callee in another file was unseen unless its import was relative.
 *
 * Config files are read through the caller's file source (the disk for ESLint, the reviewed
 * revision for bgtask-review) and cached per folder. A config that cannot be read or parsed
 * adds no alias: a specifier it would have mapped stays a package's.
 */
import path from 'node:path';

/** Reads the project's files: a key that changes with the file, and its text. */
export interface ProjectFileSource {
  version(file: string): string | undefined;
  read(file: string): string | undefined;
}

/** One `paths` entry: `@server/*` -> [`/abs/server/*`]. */
interface PathAlias {
  readonly prefix: string;
  readonly suffix: string;
  readonly wildcard: boolean;
  readonly targets: readonly string[];
}

interface AliasConfig {
  readonly aliases: readonly PathAlias[];
  /** `compilerOptions.baseUrl`, absolute: bare specifiers also resolve below it. */
  readonly baseUrl: string | undefined;
}

/** Subpath imports of a package.json: `#x/*` -> [`/abs/src/x/*`]. */
interface SubpathImports {
  readonly aliases: readonly PathAlias[];
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** `extends` chains followed before giving up (a cycle, or a deep base chain). */
const MAX_EXTENDS = 4;

const aliasesByDir = new Map<string, AliasConfig | null>();
const importsByDir = new Map<string, SubpathImports | null>();
let cachedFor: ProjectFileSource | undefined;

/** Forgets every config read (tests, or a new file source). */
export function clearModuleSpecifierCaches(): void {
  aliasesByDir.clear();
  importsByDir.clear();
}

function useSource(files: ProjectFileSource): void {
  if (cachedFor !== files) {
    clearModuleSpecifierCaches();
    cachedFor = files;
  }
}

/** `./x`, `../x`: a module of the project itself, not a package. */
export function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

/**
 * The paths, without extension, that a specifier imported by `fromFile` may name in the project:
 * one for a relative path, the targets of the matching alias otherwise (most specific first);
 * empty for a package's specifier.
 */
export function projectModuleBases(fromFile: string, specifier: string, files: ProjectFileSource): readonly string[] {
  if (isRelative(specifier)) return [path.resolve(path.dirname(fromFile), specifier)];
  if (!path.isAbsolute(fromFile) || specifier.startsWith('node:')) return [];
  useSource(files);
  if (specifier.startsWith('#')) {
    const imports = subpathImports(path.dirname(fromFile), files);
    return imports ? substitute(imports.aliases, specifier) : [];
  }
  const config = aliasConfig(path.dirname(fromFile), files);
  if (!config) return [];
  const mapped = substitute(config.aliases, specifier);
  if (mapped.length > 0) return mapped;
  return config.baseUrl === undefined ? [] : [path.resolve(config.baseUrl, specifier)];
}

/**
 * Whether a specifier names a module of the project rather than a package: relative, or mapped by
 * the nearest config's `paths` or the package's `imports`. (A bare name below `baseUrl` counts only
 * once a file is found there: see `projectModuleBases`.)
 */
export function isProjectSpecifier(fromFile: string | undefined, specifier: string, files: ProjectFileSource): boolean {
  if (isRelative(specifier)) return true;
  if (fromFile === undefined || !path.isAbsolute(fromFile)) return false;
  useSource(files);
  if (specifier.startsWith('#')) return (subpathImports(path.dirname(fromFile), files)?.aliases.some((alias) => matches(alias, specifier)) ?? false);
  const config = aliasConfig(path.dirname(fromFile), files);
  if (!config) return false;
  return config.aliases.some((alias) => matches(alias, specifier)) || config.baseUrl !== undefined;
}

function matches(alias: PathAlias, specifier: string): boolean {
  if (!alias.wildcard) return specifier === alias.prefix;
  return specifier.length >= alias.prefix.length + alias.suffix.length && specifier.startsWith(alias.prefix) && specifier.endsWith(alias.suffix);
}

/** TypeScript's rule: of the patterns that match, the one with the longest prefix wins. */
function substitute(aliases: readonly PathAlias[], specifier: string): readonly string[] {
  let best: PathAlias | undefined;
  for (const alias of aliases) {
    if (!matches(alias, specifier)) continue;
    if (!best || alias.prefix.length > best.prefix.length || (!alias.wildcard && best.wildcard)) best = alias;
  }
  if (!best) return [];
  const star = best.wildcard ? specifier.slice(best.prefix.length, specifier.length - best.suffix.length) : '';
  return best.targets.map((target) => target.replace('*', star));
}

// ---------------------------------------------------------------------------------------------
// tsconfig.json / jsconfig.json
// ---------------------------------------------------------------------------------------------

/** The alias config of the nearest tsconfig.json or jsconfig.json at or above a folder. */
function aliasConfig(dir: string, files: ProjectFileSource): AliasConfig | null {
  const cached = aliasesByDir.get(dir);
  if (cached !== undefined) return cached;
  let result: AliasConfig | null;
  const configFile = CONFIG_NAMES.map((name) => path.join(dir, name)).find((file) => files.version(file) !== undefined);
  if (configFile) result = readAliasConfig(configFile, files);
  else {
    const parent = path.dirname(dir);
    result = parent === dir || path.basename(dir) === 'node_modules' ? null : aliasConfig(parent, files);
  }
  aliasesByDir.set(dir, result);
  return result;
}

interface CompilerPaths {
  paths?: { value: Record<string, unknown>; dir: string };
  baseUrl?: string;
}

function readAliasConfig(configFile: string, files: ProjectFileSource): AliasConfig | null {
  const options = compilerPaths(configFile, files, 0);
  if (!options.paths && options.baseUrl === undefined) return null;
  // `paths` resolve from `baseUrl` when one is set, else from the config that declares them.
  const from = options.baseUrl ?? options.paths?.dir ?? path.dirname(configFile);
  const aliases: PathAlias[] = [];
  for (const [pattern, targets] of Object.entries(options.paths?.value ?? {})) {
    const alias = pathAlias(pattern, targets, from);
    if (alias) aliases.push(alias);
  }
  return { aliases, baseUrl: options.baseUrl };
}

/** `paths` and `baseUrl` of a config, inherited through relative `extends` (the nearer config wins). */
function compilerPaths(configFile: string, files: ProjectFileSource, depth: number): CompilerPaths {
  const json = readJsonc(configFile, files);
  if (!isObject(json)) return {};
  const dir = path.dirname(configFile);
  const inherited: CompilerPaths = {};
  const bases = typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
  if (depth < MAX_EXTENDS) {
    for (const base of bases) {
      if (typeof base !== 'string' || !isRelative(base)) continue;
      const baseFile = path.resolve(dir, base.endsWith('.json') ? base : `${base}.json`);
      Object.assign(inherited, definedOnly(compilerPaths(baseFile, files, depth + 1)));
    }
  }
  const options = isObject(json.compilerOptions) ? json.compilerOptions : {};
  const own: CompilerPaths = {};
  if (isObject(options.paths)) own.paths = { value: options.paths, dir };
  if (typeof options.baseUrl === 'string') own.baseUrl = path.resolve(dir, options.baseUrl);
  return { ...inherited, ...definedOnly(own) };
}

function definedOnly(paths: CompilerPaths): CompilerPaths {
  const result: CompilerPaths = {};
  if (paths.paths) result.paths = paths.paths;
  if (paths.baseUrl !== undefined) result.baseUrl = paths.baseUrl;
  return result;
}

function pathAlias(pattern: string, targets: unknown, from: string): PathAlias | undefined {
  const list = (Array.isArray(targets) ? targets : [targets]).filter((target): target is string => typeof target === 'string');
  const star = pattern.indexOf('*');
  if (list.length === 0 || pattern.indexOf('*', star + 1) !== -1) return undefined;
  return {
    prefix: star === -1 ? pattern : pattern.slice(0, star),
    suffix: star === -1 ? '' : pattern.slice(star + 1),
    wildcard: star !== -1,
    targets: list.map((target) => path.resolve(from, target)),
  };
}

// ---------------------------------------------------------------------------------------------
// package.json `imports`
// ---------------------------------------------------------------------------------------------

/** The `imports` of the nearest package.json at or above a folder. */
function subpathImports(dir: string, files: ProjectFileSource): SubpathImports | null {
  const cached = importsByDir.get(dir);
  if (cached !== undefined) return cached;
  let result: SubpathImports | null;
  const manifest = path.join(dir, 'package.json');
  if (files.version(manifest) !== undefined) {
    const json = readJsonc(manifest, files);
    const imports = isObject(json) && isObject(json.imports) ? json.imports : {};
    const aliases: PathAlias[] = [];
    for (const [pattern, target] of Object.entries(imports)) {
      const resolved = conditionalTarget(target);
      const alias = resolved === undefined ? undefined : pathAlias(pattern, [resolved.replace(/\.(?:c|m)?js$/, '')], dir);
      if (alias) aliases.push(alias);
    }
    result = { aliases };
  } else {
    const parent = path.dirname(dir);
    result = parent === dir || path.basename(dir) === 'node_modules' ? null : subpathImports(parent, files);
  }
  importsByDir.set(dir, result);
  return result;
}

/** `"./src/x/*.js"`, or the first path of a conditions object (`{ "types": ..., "default": ... }`), preferring source-like conditions. */
function conditionalTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target : undefined;
  if (!isObject(target)) return undefined;
  for (const condition of ['types', 'development', 'node', 'import', 'require', 'default']) {
    const value = conditionalTarget(target[condition]);
    if (value !== undefined) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON with comments
// ---------------------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJsonc(file: string, files: ProjectFileSource): unknown {
  const text = files.read(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(stripJsonComments(text));
  } catch {
    return undefined;
  }
}

/** tsconfig.json is JSON with comments and trailing commas; strings (`"@/*"`) keep their slashes. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (char === ',') {
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next]!)) next += 1;
      // A trailing comma: only whitespace (comments are gone by the time JSON.parse reads) before the closer.
      if (text[next] !== '}' && text[next] !== ']' && !(text[next] === '/' && trailingAfterComments(text, next))) out += char;
      i += 1;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

/** Whether only comments and whitespace lie between `from` and the next `}` or `]`. */
function trailingAfterComments(text: string, from: number): boolean {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) i += 1;
    else if (text[i] === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (text[i] === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else return text[i] === '}' || text[i] === ']';
  }
  return false;
}
