/**
 * no-floating-background-task on failures reported as values beyond the Result methods (issue 13,
 * round 4): an `[error, value]` tuple, a tested `{ success }` / `{ ok }` flag beside its error or
 * data, and same-file `#private` methods that catch everything; each with the near miss that stays.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-floating-background-task.js';
import { createRuleTester } from '../rule-tester.js';

const valid: ValidTestCase<Options>[] = [
  // Valid because the awaited helper hands the failure back as the first element of an [error, value] tuple (seen in a public backend: triggerdotdev/trigger.dev packages/cli-v3/src/entryPoints/managed/controller.ts:266)
  {
    name: 'Valid because the awaited value is an [error, value] tuple (trigger.dev managed/controller.ts:266)',
    code: `
export function armRetry(run: () => Promise<void>) {
  setTimeout(async () => {
    const [error] = await tryCatch(run());
    if (error) logger.error('run failed', { error });
  }, 1000);
}`,
  },
  // Valid because a tuple whose first element is named like an error (`cleanupError`) carries the failure (seen in a public backend: triggerdotdev/trigger.dev packages/cli-v3/src/entryPoints/managed/controller.ts:616)
  {
    name: 'Valid because the tuple element is named *Error (trigger.dev managed/controller.ts:616)',
    code: `
export function scheduleCleanup(provider: { cleanup(): Promise<void> }) {
  setImmediate(async () => {
    const [cleanupError, count] = await tryCatch(provider.cleanup());
    if (cleanupError) logger.error('cleanup failed', { cleanupError, count });
  });
}`,
  },
  // Valid because the fetcher returns { success, error } and the caller tests the flag and reads the error (seen in a public backend: triggerdotdev/trigger.dev packages/cli-v3/src/entryPoints/dev-run-controller.ts:799, wrapZodFetch)
  {
    name: 'Valid because a { success } result is tested and its error read (trigger.dev dev-run-controller.ts:799)',
    code: `
export class DevRunController {
  private async startAttempt(runId: string) {
    const start = await this.httpClient.dev.startRunAttempt(runId);
    if (!start.success) {
      logger.error('could not start attempt', { error: start.error });
      return;
    }
    this.attempt = start.data;
  }
  run(runId: string) {
    void this.startAttempt(runId);
  }
}`,
  },
  // Valid because wrapThrowsAsync turns a throw into { ok: false, error } and the caller tests it (seen in a public backend: formbricks/formbricks packages/js-core/src/lib/common/command-queue.ts:102)
  {
    name: 'Valid because an { ok, error } result is tested (formbricks command-queue.ts:102)',
    code: `
export function drain(executeCommand: () => Promise<void>) {
  setTimeout(async () => {
    const result = await wrapThrowsAsync(executeCommand)();
    if (!result.ok) console.error('command failed', result.error);
  }, 0);
}`,
  },
  // Valid because the #private method catches everything, and this.#name now resolves to it (seen in a public backend: triggerdotdev/trigger.dev internal-packages/replication/src/client.ts:558, #cleanupAttempt)
  {
    name: 'Valid because a #private callee catches everything (trigger.dev replication/src/client.ts:558)',
    code: `
export class ReplicationClient {
  subscribe() {
    setTimeout(async () => {
      await this.#cleanupAttempt();
    }, 1000);
  }
  async #cleanupAttempt() {
    try {
      await this.client.end();
    } catch (error) {
      this.logger.error('cleanup failed', { error });
    }
  }
}`,
  },
  // Valid because tick awaits a const holding an async IIFE whose try/catch logs and does not rethrow (seen in a public backend: triggerdotdev/trigger.dev apps/webapp/app/v3/mollifier/mollifierStaleSweep.server.ts:227)
  {
    name: 'Valid because the awaited const is an IIFE that catches everything (trigger.dev mollifierStaleSweep.server.ts:227)',
    code: `
export function startSweep(intervalMs: number) {
  let inFlight = false;
  const tick = async () => {
    if (inFlight) return;
    inFlight = true;
    const run = (async () => {
      try {
        await runSweepOnce();
      } catch (err) {
        logger.warn('sweep failed', { err });
      } finally {
        inFlight = false;
      }
    })();
    await run;
  };
  return setInterval(() => {
    void tick();
  }, intervalMs);
}`,
  },
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // Invalid because mysql2's `[rows, fields]` tuple carries data, not an error: the query still rejects
  {
    name: 'Invalid because a tuple whose first element is not an error proves nothing',
    code: `
export function armRefresh() {
  setTimeout(async () => {
    const [rows] = await pool.query('SELECT 1');
    cache.set(rows);
  }, 1000);
}`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setTimeout' } }],
  },
  // Invalid because fetch's Response has `ok` but fetch rejects on a network failure, and nothing reads an error or data
  {
    name: 'Invalid because a fetch Response ok test does not catch the rejection',
    code: `
export function armPing(url: string) {
  setTimeout(async () => {
    const res = await fetch(url);
    if (!res.ok) console.error('ping failed', res.status);
  }, 1000);
}`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setTimeout' } }],
  },
  // Invalid because the #private method awaits the write outside any try/catch
  {
    name: 'Invalid because a #private callee that does not catch still rejects',
    code: `
export class ReplicationClient {
  subscribe() {
    setTimeout(async () => {
      await this.#cleanupAttempt();
    }, 1000);
  }
  async #cleanupAttempt() {
    await this.client.end();
  }
}`,
    errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setTimeout' } }],
  },
  // Invalid because the awaited const holds a promise of work that does not catch
  {
    name: 'Invalid because the awaited const holds a promise that can reject',
    code: `
export function startSweep(intervalMs: number) {
  const tick = async () => {
    const run = (async () => {
      await runSweepOnce();
    })();
    await run;
  };
  return setInterval(() => {
    void tick();
  }, intervalMs);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 10,
        data: { task: 'tick' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export function startSweep(intervalMs: number) {
  const tick = async () => {
    const run = (async () => {
      await runSweepOnce();
    })();
    await run;
  };
  return setInterval(() => {
    tick().catch((error) => console.error('tick failed', error));
  }, intervalMs);
}`,
          },
        ],
      },
    ],
  },
];

createRuleTester().run('no-floating-background-task (failures reported as values)', rule, { valid, invalid });
