/**
 * What the review's registration pass reads without a program (registrationNeeds): a file whose
 * registration calls cannot name another file's function or a job method adds nothing to the
 * program, so a change to ordinary client code builds none.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as TS from 'typescript';
import { registrationNeeds } from '../../dist/analysis/tasks/registrations.js';
import { vocabularyFromSettings } from '../../dist/model/settings.js';

const ts = createRequire(import.meta.url)('typescript') as typeof TS;
const vocabulary = vocabularyFromSettings({});
const needs = (code: string) => {
  const result = registrationNeeds(ts, vocabulary, ts.createSourceFile('/repo/src/file.ts', code, ts.ScriptTarget.Latest, true));
  return { namedCallbacks: result.namedCallbacks, methodNames: [...result.methodNames].sort() };
};

describe('registrationNeeds', () => {
  it('needs nothing for inline callbacks of a dispatcher that records no failure, a global member or the file own function', () => {
    // Valid because none of these callbacks can be a function another file declares.
    expect(
      needs(`import { env } from './env';
function tick() {}
export function start() {
  setTimeout(() => tick(), env.DELAY);
  setTimeout(window.print, 0);
  setInterval(tick, 1000);
}
`),
    ).toEqual({ namedCallbacks: true, methodNames: [] });
    // The imported `env.DELAY` above is a member access the checker must see (the index asks about every argument).
    expect(needs(`function tick() {}\nsetTimeout(() => tick(), 10);\nsetTimeout(window.print, 0);\nsetInterval(tick, 1000);\n`)).toEqual({ namedCallbacks: false, methodNames: [] });
  });

  it('needs the checker for an imported callback, and for this.member in a class that extends another', () => {
    expect(needs(`import { processJob } from './jobs';\ndeclare const queue: { process(f: unknown): void };\nqueue.process(processJob);\n`).namedCallbacks).toBe(true);
    expect(needs(`import { Base } from './base';\nclass W extends Base { start() { setTimeout(this.run, 10); } }\n`).namedCallbacks).toBe(true);
    // Valid because a class that extends nothing declares its members in this file.
    expect(needs(`class W { run() {} start() { setTimeout(this.run, 10); } }\n`).namedCallbacks).toBe(false);
  });

  it('names the methods a failure-recording callback calls on an instance it constructs', () => {
    expect(
      needs(`declare const tasks: Record<string, new () => { perform(p: object): Promise<void> }>;
declare function taskQueue(): { process(fn: (job: { data: { name: string } }) => Promise<unknown>): void };
taskQueue().process(async (job) => {
  const task = new tasks[job.data.name]!();
  logger.info('start');
  return task.perform(job.data);
});
declare const logger: { info(m: string): void };
`),
    ).toEqual({ namedCallbacks: false, methodNames: ['perform'] });
  });
});
