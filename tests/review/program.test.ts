/**
 * The review's programs (src/review/program.ts): the registration pass's program carries the
 * standard library without the DOM's declarations (issue 17: a third of the library's text, and
 * nothing a job registration in server code resolves).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReviewCompiler } from '../../src/review/program.js';

const roots: string[] = [];

function repository(tsconfig: object): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-program-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig));
  fs.writeFileSync(
    path.join(root, 'worker.ts'),
    'export abstract class BaseTask { abstract perform(): Promise<void>; }\nexport const tasks: Record<string, typeof BaseTask> = {};\n',
  );
  return root;
}

/** The standard library files of a program with the library, by base name. */
function libraries(root: string): string[] {
  const compiler = ReviewCompiler.create(root, new Map());
  const program = compiler.program([compiler.fileName('worker.ts')], true);
  return program
    .getSourceFiles()
    .map((file) => path.basename(file.fileName))
    .filter((name) => name.startsWith('lib.'))
    .sort();
}

afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

describe('the registration program’s standard library', () => {
  it('keeps the ES libraries of the tsconfig and drops the DOM ones (seen in a public backend: outline tsconfig.json lib dom, es2020, dom.iterable)', () => {
    const names = libraries(repository({ compilerOptions: { target: 'es2020', lib: ['dom', 'es2020', 'dom.iterable', 'esnext.asynciterable'] } }));
    expect(names).toContain('lib.es2020.d.ts');
    expect(names).toContain('lib.es5.d.ts');
    expect(names.filter((name) => name.startsWith('lib.dom'))).toEqual([]);
  });

  it('takes the target’s default library without the DOM when the tsconfig names none', () => {
    const names = libraries(repository({ compilerOptions: { target: 'es2020' } }));
    expect(names).toContain('lib.es2020.d.ts');
    expect(names).not.toContain('lib.es2020.full.d.ts');
    expect(names.filter((name) => name.startsWith('lib.dom'))).toEqual([]);
  });

  it('still resolves Record and typeof a class, which a worker map needs', () => {
    const root = repository({ compilerOptions: { target: 'es2020', lib: ['dom', 'es2020'] } });
    const compiler = ReviewCompiler.create(root, new Map());
    const program = compiler.program([compiler.fileName('worker.ts')], true);
    const diagnostics = program.getSemanticDiagnostics().map((d) => compiler.ts.flattenDiagnosticMessageText(d.messageText, ' '));
    expect(diagnostics).toEqual([]);
  });
});
