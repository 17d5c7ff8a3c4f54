/** Project specifiers: relative paths, tsconfig `paths`/`baseUrl` (through `extends`), package.json `imports`. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearModuleSpecifierCaches, isProjectSpecifier, projectModuleBases, stripJsonComments, type ProjectFileSource } from '../../src/analysis/module-specifiers.js';

/** An in-memory project: absolute path -> text. */
function project(files: Record<string, string>): ProjectFileSource {
  return { version: (file) => (file in files ? '1' : undefined), read: (file) => files[file] };
}

afterEach(() => clearModuleSpecifierCaches());

describe('module specifiers', () => {
  it('reads tsconfig paths with comments and trailing commas, longest prefix first', () => {
    const files = project({
      '/repo/tsconfig.json': '{\n  // aliases\n  "compilerOptions": {\n    "baseUrl": "./",\n    "paths": { "@/*": ["src/*"], "@/jobs/*": ["workers/jobs/*",], },\n  },\n}',
    });
    expect(projectModuleBases('/repo/src/a.ts', '@/services/mail', files)).toEqual(['/repo/src/services/mail']);
    expect(projectModuleBases('/repo/src/a.ts', '@/jobs/sync', files)).toEqual(['/repo/workers/jobs/sync']);
    expect(isProjectSpecifier('/repo/src/a.ts', '@/x', files)).toBe(true);
    // baseUrl also maps bare names; a file must then exist there for the module to be the project's.
    expect(projectModuleBases('/repo/src/a.ts', 'bullmq', files)).toEqual(['/repo/bullmq']);
  });

  it('inherits paths through a relative extends, resolved from the config that declares them', () => {
    const files = project({
      '/repo/tsconfig.base.json': '{ "compilerOptions": { "paths": { "@server/*": ["./server/src/*"] } } }',
      '/repo/apps/api/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" } }',
    });
    expect(projectModuleBases('/repo/apps/api/src/main.ts', '@server/lib/x', files)).toEqual(['/repo/server/src/lib/x']);
    expect(isProjectSpecifier('/repo/apps/api/src/main.ts', '@nestjs/common', files)).toBe(false);
  });

  it('maps package.json subpath imports through their conditions, without the .js extension', () => {
    const files = project({ '/repo/package.json': '{ "imports": { "#connectors/*": { "types": "./src/connectors/*.ts", "default": "./build/connectors/*.js" }, "#db": "./src/db.js" } }' });
    expect(projectModuleBases('/repo/src/a/b.ts', '#connectors/user', files)).toEqual(['/repo/src/connectors/user.ts']);
    expect(projectModuleBases('/repo/src/a/b.ts', '#db', files)).toEqual(['/repo/src/db']);
    expect(projectModuleBases('/repo/src/a/b.ts', '#other', files)).toEqual([]);
  });

  it('finds no alias without a config, in an unreadable one, or for node: modules', () => {
    expect(projectModuleBases('/repo/a.ts', '@/x', project({}))).toEqual([]);
    expect(projectModuleBases('/repo/a.ts', '@/x', project({ '/repo/tsconfig.json': '{ not json' }))).toEqual([]);
    expect(projectModuleBases('/repo/a.ts', 'node:fs', project({ '/repo/tsconfig.json': '{ "compilerOptions": { "baseUrl": "." } }' }))).toEqual([]);
    expect(projectModuleBases('/repo/src/a.ts', '../b', project({}))).toEqual([path.resolve('/repo/b')]);
  });

  it('keeps slashes and commas inside strings', () => {
    expect(JSON.parse(stripJsonComments('{ "a": "//not a comment, /* nor this */", "b": [1, 2, /* c */ ], }'))).toEqual({ a: '//not a comment, /* nor this */', b: [1, 2] });
  });
});
