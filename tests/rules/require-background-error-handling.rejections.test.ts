/**
 * require-background-error-handling's "awaits work outside try/catch" on the evidence of issue 13,
 * round 3 (src/analysis/tasks/rejections.ts): a process handler that logs unhandled rejections and
 * keeps running, Result-returning callees, signal-free timers, shutdown paths. Reports whose harm is
 * not the crash (a status left in progress, a silent catch) stay.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

const LOGS = { 'background-tasks': { processRejectionHandler: 'logs' } };

const cronCallback = `
setInterval(async () => {
  const usage = await collectUsage();
  await exportUsage(usage);
  logger.info('usage exported');
}, 60_000);`;

createRuleTester().run('require-background-error-handling (what cannot reject, who hears it)', rule, {
  valid: [
    // Valid because the metering process logs unhandled rejections and keeps running (seen in a public backend: NangoHQ/nango packages/metering/lib/crons/usage.ts:27, handler in packages/metering/lib/app.ts:25)
    { name: 'Valid because the processes log unhandled rejections (NangoHQ/nango packages/metering/lib/crons/usage.ts:27)', code: cronCallback, settings: LOGS },
    // Valid because the loop's awaited callee returns a Result that is tested with isErr() (seen in a public backend: NangoHQ/nango packages/orchestrator/lib/clients/processor.ts:60)
    {
      name: 'Valid because the awaited callee reports failure as a Result (NangoHQ/nango packages/orchestrator/lib/clients/processor.ts:60)',
      code: `
export class Processor {
  start() { void this.processingLoop(); }
  private async processingLoop() {
    while (!this.stopped) {
      const res = await this.orchestratorClient.dequeue({ limit: 10 });
      if (res.isErr()) {
        logger.error('dequeue failed', res.error);
        continue;
      }
      for (const task of res.value) this.queue.add(() => this.run(task));
    }
  }
}`,
    },
    // Valid because the awaited value goes to isErr(...) (seen in a public backend: NangoHQ/nango packages/orchestrator/lib/routes/v1/postDequeue.ts:69)
    {
      name: 'Valid because the awaited value is tested with isErr(res) (NangoHQ/nango postDequeue.ts:69)',
      code: `
import { isErr } from '@nangohq/utils';
export function onTaskCreated() {
  setImmediate(async () => {
    const res = await scheduler.dequeue({ groupKey, limit });
    if (isErr(res)) { respond(500); return; }
    respond(200, res.value);
  });
}`,
    },
    // Valid because the callback awaits only a signal-free timers/promises sleep (seen in a public backend: NangoHQ/nango packages/cli/lib/zeroYaml/dev.ts:153)
    {
      name: 'Valid because the only await is setTimeout from node:timers/promises without a signal (NangoHQ/nango dev.ts:153)',
      code: `
import { setTimeout } from 'node:timers/promises';
async function messageOnFinishInBackground() {
  await setTimeout(100);
  console.log('done');
}`,
    },
    // Valid because the task runs only as a SIGTERM handler: the process is shutting down
    {
      name: 'Valid because the task is the SIGTERM handler',
      code: `
process.on('SIGTERM', async () => {
  await server.close();
  await pool.end();
});
setImmediate(async () => { try { await warmup(); } catch (err) { logger.error('warmup failed', err); } });`,
    },
  ],
  invalid: [
    // Invalid because with a logging process handler a task that set an in-progress status still leaves it stuck
    {
      name: 'Invalid because an in-progress status is left behind even when the process logs the rejection',
      settings: LOGS,
      code: `
export function startExport(id: string) {
  setImmediate(async () => {
    await jobs.update(id, { status: 'processing' });
    await exportAll(id);
    await jobs.update(id, { status: 'completed' });
  });
}`,
      errors: [{ messageId: 'unrecordedStatus', line: 3, data: { task: 'the setImmediate callback', line: '5' } }],
    },
    // Invalid because a silent catch loses the failure whoever listens for unhandled rejections
    {
      name: 'Invalid because a silent catch stays reported with a logging process handler',
      options: [{ checkFallbackCatches: true }],
      settings: LOGS,
      code: `
export function startExport() {
  setImmediate(async () => {
    try {
      await exportAll();
    } catch (err) {
      metrics.increment('export');
    }
  });
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          data: { task: 'the setImmediate callback' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export function startExport() {
  setImmediate(async () => {
    try {
      await exportAll();
    } catch (err) {
      console.error(\`the setImmediate callback failed\`, err);
      metrics.increment('export');
    }
  });
}`,
            },
          ],
        },
      ],
    },
    // Invalid because without the handler the uncovered await is an unhandled rejection (the near miss of the cron case)
    {
      name: 'Invalid because without a process handler the uncovered await rejects unhandled',
      code: cronCallback,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'the setInterval callback', line: '3' } }],
    },
    // Invalid because the awaited value is read, not tested as a Result
    {
      name: 'Invalid because the awaited value is not tested as a Result',
      code: `
export function onTaskCreated() {
  setImmediate(async () => {
    const res = await scheduler.dequeue({ groupKey, limit });
    respond(200, res);
  });
}`,
      errors: [{ messageId: 'missingTryCatch', line: 3, data: { task: 'the setImmediate callback', line: '4' } }],
    },
  ],
});

/** The Result convention by type: the awaited type has `isErr`/`isOk`, whether or not this function tests it. */
const resultTyped = `
interface Result<T> { isErr(): boolean; isOk(): boolean; readonly value: T }
declare function dequeue(limit: number): Promise<Result<string[]>>;
export function onTaskCreated() {
  setImmediate(async () => {
    const res = await dequeue(10);
    respond(res);
  });
}`;

createRuleTester().run('require-background-error-handling (Result type, without types)', rule, {
  valid: [],
  invalid: [
    // Invalid because without type information nothing shows that dequeue reports failure as a value
    {
      name: 'Invalid because without types the untested awaited value proves nothing',
      code: resultTyped,
      errors: [{ messageId: 'missingTryCatch', line: 5, data: { task: 'the setImmediate callback', line: '6' } }],
    },
  ],
});

createTypedRuleTester().run('require-background-error-handling (Result type, type-aware)', rule, {
  valid: [
    // Valid because the awaited type is a Result (has isErr/isOk): the callee reports failure as a value (seen in a public backend: NangoHQ/nango packages/orchestrator/lib/clients/processor.ts:60, Result from @nangohq/utils)
    { name: 'Valid because the awaited type is a Result (NangoHQ/nango processor.ts:60)', code: resultTyped },
  ],
  invalid: [
    // Invalid because a plain Promise<string[]> can reject
    {
      name: 'Invalid because the awaited type is not a Result',
      code: resultTyped.replace('Promise<Result<string[]>>', 'Promise<string[]>'),
      errors: [{ messageId: 'missingTryCatch', line: 5, data: { task: 'the setImmediate callback', line: '6' } }],
    },
  ],
});
