/**
 * Background detection on the shapes that produced false tasks on real repositories
 * (bench/precision.md): which functions the shared facts call background, by label.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { getFileFacts } from '../../src/analysis/facts.js';

/** The labels of the background tasks the facts find in `code`. */
function taskLabels(code: string): string[] {
  let labels: string[] = [];
  const probe = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: unknown) {
      labels = getFileFacts(context as Readonly<TSESLint.RuleContext<string, readonly unknown[]>>).tasks.map((t) => t.label);
      return {};
    },
  };
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
        plugins: { probe: { rules: { tasks: probe as never } } },
        rules: { 'probe/tasks': 'error' },
      },
    ],
    { filename: 'file.ts' },
  );
  expect(messages).toEqual([]);
  return labels;
}

describe('background detection precision', () => {
  it('does not resolve a call of a callback parameter to the enclosing function', () => {
    expect(
      taskLabels(`
export const restore = async (file: string, emit: (line: string) => void) => {
  emit('Starting restore...');
  await run(file);
};
export async function tenant(req: unknown, res: unknown, next: () => void) {
  next();
}`),
    ).toEqual([]);
  });

  it('still finds a statement-level call of a local async function', () => {
    expect(
      taskLabels(`
async function reindex(id: string) { await index(id); }
export function onSave(id: string) {
  reindex(id);
}`),
    ).toEqual(['reindex']);
  });

  it('does not call a module-level entry point (main(), bootstrap().catch()) background', () => {
    expect(
      taskLabels(`
async function main() { await migrate(); }
async function bootstrap() { await listen(); }
main();
bootstrap().catch((error) => { console.error(error); process.exit(1); });
if (require.main === module) {
  void main();
}`),
    ).toEqual([]);
  });

  it('does not take a visual background for background work', () => {
    expect(
      taskLabels(`
export function getBackgroundColor() { return '#fff'; }
export function toggleRowBackground() { return 1; }
export const fadeOnDesktopBackgrounded = () => 'opacity: 0.5';
export function bgColor() { return 'red'; }
export function backgroundColor() { return 'blue'; }
export function ApiRunnerFooterBackground() { return null; }
export function shouldLoadBackgroundProcessors() { return true; }`),
    ).toEqual([]);
  });

  it("does not take a canvas's or a profile's background image for background work (issue 13, round 17: seen in a public backend, oldschoolbot OSRSCanvas.drawBackgroundPattern, MUser.resetBackground)", () => {
    expect(
      taskLabels(`
export class OSRSCanvas {
  async drawBackgroundPattern(ctx) { ctx.save(); await this.loadPattern(); ctx.restore(); }
}
export async function resetBackground(user) { await user.update({ bankBackground: 1 }); }
export async function setBackground(user, id) { await user.update({ bankBackground: id }); }`),
    ).toEqual([]);
    // Near misses: work named for running in the background keeps its name.
    expect(taskLabels(`export async function resetInBackground() {}
export async function syncBooksInBackground() {}`)).toEqual([
      'resetInBackground',
      'syncBooksInBackground',
    ]);
  });

  it("takes an imported after() (Next.js) as a dispatcher, and not mocha's global after() hook", () => {
    expect(taskLabels(`after(async () => { await closeDb(); });`)).toEqual([]);
    expect(taskLabels(`import { after } from 'mocha';\nafter(async () => { await closeDb(); });`)).toEqual([]);
    expect(
      taskLabels(`
import { after } from 'next/server';
export async function POST() {
  after(async () => { await audit(); });
}`),
    ).toEqual(['the after callback']);
  });

  it('still takes background work names (processInBackground, bgSync, backgroundExport)', () => {
    expect(
      taskLabels(`
export async function processInBackground() {}
export async function bgSync() {}
export async function backgroundExport() {}`),
    ).toEqual(['processInBackground', 'bgSync', 'backgroundExport']);
  });
});
