/**
 * no-floating-background-task on the evidence of issue 13, round 3: whether a dropped promise can
 * reject, and whether anyone hears it (src/analysis/tasks/rejections.ts). A process-wide handler that
 * logs and keeps running, Result-returning callees, signal-free timers from `node:timers/promises`,
 * and shutdown paths; each with the near miss that stays reported.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-floating-background-task.js';
import { ASSUME_UNSEEN_CALLS_REJECT, createRuleTester } from '../rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const LOGS = { 'background-tasks': { processRejectionHandler: 'logs' } };
const NONE = { 'background-tasks': { processRejectionHandler: 'none' } };

const heartbeat = `
export class Runner {
  start() {
    setInterval(async () => {
      await this.store.touch(this.taskId);
    }, 1000);
  }
}`;

createRuleTester().run('no-floating-background-task (process rejection handler)', rule, {
  valid: [
    // Valid because the project's processes log unhandled rejections and keep running (stated in settings) (seen in a public backend: NangoHQ/nango packages/runner/lib/monitor.ts:155, handler in packages/runner/lib/app.ts:47)
    { name: 'Valid because the processes log unhandled rejections and keep running (NangoHQ/nango packages/runner/lib/monitor.ts:155)', code: heartbeat, settings: LOGS },
    // Valid because a void call's rejection reaches the logging process handler (seen in a public backend: Unleash/unleash src/lib/features/scheduler/scheduler-service.ts:96, handler in src/lib/server-impl.ts:290)
    {
      name: 'Valid because a voided call reaches the logging process handler (Unleash/unleash scheduler-service.ts:96)',
      code: `
export class Tracker {
  record(id: string) { void this.flush(id); }
  private async flush(id: string) { await this.db.insert(id); }
}`,
      settings: LOGS,
    },
  ],
  invalid: [
    // Invalid because 'none' states that no process handler exists: the rejection ends the process
    {
      name: 'Invalid because processRejectionHandler none: the rejection ends the process',
      code: heartbeat,
      settings: NONE,
      errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setInterval' } }],
    },
    // Invalid because without any handler (a relative file name: no project to scan) the default 'auto' finds none
    {
      name: 'Invalid because auto finds no handler for a file outside any project',
      code: heartbeat,
      errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setInterval' } }],
    },
  ],
});

/** Cases of the other evidence (Result values, timers, shutdown), under the default settings. */
const valid: Valid[] = [
  // Valid because every await of the callback tests its value as a Result: the callees report failure as a value (seen in a public backend: NangoHQ/nango packages/runner/lib/server.ts:95)
  {
    name: 'Valid because the awaited value is tested with isErr() (NangoHQ/nango packages/runner/lib/server.ts:95)',
    code: `
export function startHeartbeat(taskId: string) {
  return setInterval(async () => {
    const res = await jobsClient.postHeartbeat({ taskId });
    if (res.isErr()) {
      logger.error('failed to send heartbeat', res.error);
    }
  }, 1000);
}`,
  },
  // Valid because the same callee's result is tested with isErr(...) elsewhere in the file (seen in a public backend: NangoHQ/nango packages/runner/lib/monitor.ts:201)
  {
    name: 'Valid because the same callee is tested as a Result elsewhere in the file (NangoHQ/nango packages/runner/lib/monitor.ts:201)',
    code: `
import { isErr } from '@nangohq/utils';
export async function idleOnce() {
  const res = await jobsClient.postIdle({ nodeId });
  if (isErr(res)) logger.error('idle failed', res.error);
}
export function armIdle() {
  setTimeout(async () => {
    await jobsClient.postIdle({ nodeId });
  }, 1000);
}`,
  },
  // Valid because the callee awaits only setTimeout from node:timers/promises without a signal, then prints (seen in a public backend: NangoHQ/nango packages/cli/lib/zeroYaml/dev.ts:171)
  {
    name: 'Valid because the callee awaits only a signal-free timers/promises setTimeout (NangoHQ/nango packages/cli/lib/zeroYaml/dev.ts:171)',
    code: `
import { setTimeout } from 'node:timers/promises';
async function messageOnFinish() {
  await setTimeout(100);
  console.log('done');
}
export function onChange() {
  void messageOnFinish();
}`,
  },
  // Valid because the loop's only uncovered await is a renamed timers/promises sleep; the fetch is in try/catch (seen in a public backend: NangoHQ/nango packages/shared/lib/services/providers.ts:50)
  {
    name: 'Valid because the only uncovered await is a renamed timers/promises setTimeout (NangoHQ/nango packages/shared/lib/services/providers.ts:50)',
    code: `
import { setTimeout as sleep } from 'timers/promises';
async function pollProviders() {
  while (true) {
    await sleep(60_000);
    try {
      await refreshProviders();
    } catch (err) {
      logger.error('Failed to fetch providers.json', err);
    }
  }
}
export function start() {
  void pollProviders();
}`,
  },
  // Valid because the awaited promise's executor takes no reject: it settles only by resolving
  {
    name: 'Valid because the only uncovered await is a resolve-only new Promise',
    code: `
async function tick() {
  await new Promise((resolve) => setTimeout(resolve, 500));
  try { await work(); } catch (err) { logger.error('tick failed', err); }
}
export function start() { void tick(); }`,
  },
  // Valid because the callback runs only in the SIGTERM handler: the process is being torn down (seen in a public backend: langfuse/langfuse web/src/utils/shutdown.ts:39)
  {
    name: 'Valid because a signal-guarded branch runs only while the process shuts down (langfuse/langfuse web/src/utils/shutdown.ts:39)',
    code: `
export const shutdown = async (signal: string) => {
  if (signal === 'SIGTERM' || signal === 'SIGINT') {
    return await new Promise<void>((resolve) => {
      setTimeout(async () => {
        await prisma.$disconnect();
        resolve();
      }, 110_000);
    });
  }
};`,
  },
  // Valid because the dropped promise is in a function registered with process.on('SIGTERM', ...)
  {
    name: 'Valid because the function is registered as the SIGTERM handler',
    code: `
async function closeConnections() { await pool.end(); }
function onSigterm() {
  void closeConnections();
}
process.on('SIGTERM', onSigterm);`,
  },
  // Valid because the helper is called only from the SIGINT handler
  {
    name: 'Valid because the helper is called only from an inline SIGINT handler',
    code: `
async function closeConnections() { await pool.end(); }
function drain() { void closeConnections(); }
process.once('SIGINT', () => {
  drain();
});`,
  },
];

const invalid: Invalid[] = [
  // Invalid because the awaited value is not tested as a Result: the near miss of the heartbeat
  {
    name: 'Invalid because the awaited value is used but never tested as a Result',
    code: `
export function startHeartbeat(taskId: string) {
  return setInterval(async () => {
    const res = await jobsClient.postHeartbeat({ taskId });
    logger.info('heartbeat', res.status);
  }, 1000);
}`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setInterval' } }],
  },
  // Invalid because the global setTimeout is not the timers/promises one: decided by the import, not the name
  {
    name: 'Invalid because a setTimeout that is not imported from timers/promises proves nothing (strict: unseen calls may reject)',
    settings: ASSUME_UNSEEN_CALLS_REJECT,
    code: `
import { setTimeout } from './sleep';
async function messageOnFinish() {
  await setTimeout(100);
  console.log('done');
}
export function onChange() {
  void messageOnFinish();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 8,
        data: { task: 'messageOnFinish' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { setTimeout } from './sleep';
async function messageOnFinish() {
  await setTimeout(100);
  console.log('done');
}
export function onChange() {
  messageOnFinish().catch((error) => console.error('messageOnFinish failed', error));
}`,
          },
        ],
      },
    ],
  },
  // Invalid because a timers/promises timer given an abort signal rejects when aborted
  {
    name: 'Invalid because the timers/promises timer has a signal and rejects on abort',
    code: `
import { setTimeout } from 'node:timers/promises';
async function waitAndPrint(signal: AbortSignal) {
  await setTimeout(100, undefined, { signal });
  console.log('done');
}
export function onChange(signal: AbortSignal) {
  void waitAndPrint(signal);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 8,
        data: { task: 'waitAndPrint' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { setTimeout } from 'node:timers/promises';
async function waitAndPrint(signal: AbortSignal) {
  await setTimeout(100, undefined, { signal });
  console.log('done');
}
export function onChange(signal: AbortSignal) {
  waitAndPrint(signal).catch((error) => console.error('waitAndPrint failed', error));
}`,
          },
        ],
      },
    ],
  },
  // Invalid because the helper is called from the SIGTERM handler and from a request path too
  {
    name: 'Invalid because the helper also runs outside the shutdown path',
    code: `
async function closeConnections() { await pool.end(); }
function drain() { void closeConnections(); }
process.on('SIGTERM', () => drain());
export function reset() { drain(); }`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'closeConnections' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
async function closeConnections() { await pool.end(); }
function drain() { closeConnections().catch((error) => console.error('closeConnections failed', error)); }
process.on('SIGTERM', () => drain());
export function reset() { drain(); }`,
          },
        ],
      },
    ],
  },
  // Invalid because the branch is taken for a non-shutdown value
  {
    name: 'Invalid because the guarding branch does not test a shutdown signal',
    code: `
export const onEvent = async (kind: string) => {
  if (kind === 'refresh') {
    setTimeout(async () => { await cache.rebuild(); }, 1000);
  }
};`,
    errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setTimeout' } }],
  },
];

createRuleTester().run('no-floating-background-task (what cannot reject)', rule, {
  valid,
  invalid,
});
