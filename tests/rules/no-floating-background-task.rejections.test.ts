/**
 * no-floating-background-task on the evidence of issue 13, round 3: whether a dropped promise can
 * reject, and whether anyone hears it (src/analysis/tasks/rejections.ts). A process-wide handler that
 * logs and keeps running, Result-returning callees, signal-free timers from `node:timers/promises`,
 * and shutdown paths; each with the near miss that stays reported.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-floating-background-task.js';
import { ASSUME_UNSEEN_CALLS_REJECT, createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const LOGS = { 'background-tasks': { processRejectionHandler: 'logs' } };

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
  // Valid because every promise of the dropped Promise.all has a handler: mapped through a const, or listed (seen in a public backend: novuhq/novu libs/application-generic/src/services/metrics/metrics.service.ts:35)
  {
    name: 'Valid because Promise.all waits only for promises that each catch (novu metrics service)',
    code: `
async function record(service: Service, name: string) { await service.recordMetric(name); }
export class MetricsService {
  recordMetric(name: string, value: number): void {
    const proms = this.services.map((service) => {
      return service.recordMetric(name, value).catch((e) => Logger.error(\`Failed to record \${name}: \${e}\`));
    });
    Promise.all(proms);
    void Promise.all([record(a, name).catch(log), record(b, name).catch(log)]);
  }
}`,
  },
  // Valid because the call is dropped in the callback of the module's top-level app.listen: the server's startup (seen in a public backend: mendableai/firecrawl apps/playwright-service-ts/api.ts:252)
  {
    name: 'Valid because the server starts its browser in the top-level app.listen callback (firecrawl playwright service)',
    code: `
let browser;
const initializeBrowser = async () => { browser = await chromium.launch({ headless: true }); };
app.listen(port, () => {
  initializeBrowser().then(() => { console.log('Server is running on port ' + port); });
});`,
  },
  // Valid because the handler is registered for every signal of a list, in a loop (seen in a public backend: jitsucom/jitsu services/profiles/src/index.ts:94)
  {
    name: 'Valid because the shutdown handler is registered in a loop over a list of signals (jitsu profiles)',
    code: `
export async function main() {
  const signalTraps = ['SIGTERM', 'SIGINT', 'SIGUSR2'];
  const gracefulShutdown = async () => {
    await server.close();
    process.exit(0);
  };
  signalTraps.forEach((type) => {
    process.once(type, () => {
      gracefulShutdown();
    });
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => { void pool.end(); });
  }
}`,
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
  // Valid because the callee's only await has a handler and its return is an object literal: a call inside the literal is not a promise the function adopts (seen in a public backend: simstudioai/sim apps/sim/lib/copilot/persistence/tool-confirm/index.ts:176)
  {
    name: 'Valid because the awaited callee catches its read and returns an object literal (sim tool-confirm)',
    code: `
export async function getConfirmation(id: string) {
  const [row] = await getAsyncToolCalls([id]).catch((err) => { logger.warn('read failed', err); return []; });
  if (!row) return null;
  return { status: row.status, timestamp: row.updatedAt?.toISOString?.() };
}
export function waitFor(id: string) {
  const check = async () => {
    const latest = await getConfirmation(id);
    return latest !== null;
  };
  void check();
}`,
  },
  // Valid because the async arrow only returns the call of a plain method whose whole body is a try/catch that logs (seen in a public backend: boxyhq/jackson npm/src/db/db.ts:63)
  {
    name: 'Valid because the async interval callback calls a plain method that catches everything (jackson db.ts)',
    code: `
export class DB {
  start() {
    this.statsIntervalId = setInterval(async () => this.publishStats(), 60_000);
  }
  private publishStats() {
    try {
      const stats = this.getStats();
      metrics.gauge('dbTotalConnections', stats.total);
    } catch (err) {
      console.error('Error publishing stats', err);
    }
  }
}`,
  },
  // Valid because the static method of this file's class wraps its whole body in try/catch (seen in a public backend: Mintplex-Labs/anything-llm server/utils/AiProviders/anthropic/index.js:58)
  {
    name: 'Valid because the static method of the same class catches everything (anything-llm AnthropicLLM)',
    code: `
export class AnthropicLLM {
  constructor(model: string) {
    this.model = model;
    AnthropicLLM.fetchModelMaxTokens(this.model).then((maxTokens) => { this.maxTokens = maxTokens; });
  }
  static async fetchModelMaxTokens(modelName: string) {
    try {
      const model = await anthropic.models.retrieve(modelName);
      return Number(model.max_tokens ?? 4096);
    } catch (error) {
      console.error('Error fetching model max tokens', error);
      return 4096;
    }
  }
}`,
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
  // Invalid because one promise of the listed Promise.all has no handler
  {
    name: 'Invalid because Promise.all lists a promise without a handler',
    code: `
async function record(name: string) { await store.write(name); }
export function flush(name: string) {
  void Promise.all([record(name).catch(log), record(name)]);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'Promise.all' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
async function record(name: string) { await store.write(name); }
export function flush(name: string) {
  Promise.all([record(name).catch(log), record(name)]).catch((error) => console.error('Promise.all failed', error));
}`,
          },
        ],
      },
    ],
  },
  // Invalid because the listen call is not at the module's top level: it runs whenever start() is called
  {
    name: 'Invalid because the listen callback belongs to a function, not to the module startup',
    code: `
const initializeBrowser = async () => { await chromium.launch({ headless: true }); };
export function start(app: Express) {
  app.listen(port, () => {
    initializeBrowser();
  });
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 5,
        data: { task: 'initializeBrowser' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
const initializeBrowser = async () => { await chromium.launch({ headless: true }); };
export function start(app: Express) {
  app.listen(port, () => {
    initializeBrowser().catch((error) => console.error('initializeBrowser failed', error));
  });
}`,
          },
        ],
      },
    ],
  },
  // Invalid because the list holds an event that is not a shutdown signal
  {
    name: 'Invalid because the loop registers the handler for a message event too',
    code: `
async function closeConnections() { await pool.end(); }
export function listen() {
  const events = ['SIGTERM', 'message'];
  events.forEach((type) => {
    process.on(type, () => {
      void closeConnections();
    });
  });
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 7,
        data: { task: 'closeConnections' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
async function closeConnections() { await pool.end(); }
export function listen() {
  const events = ['SIGTERM', 'message'];
  events.forEach((type) => {
    process.on(type, () => {
      closeConnections().catch((error) => console.error('closeConnections failed', error));
    });
  });
}`,
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
  // Invalid because the plain method hands back a promise: its try/catch does not catch the promise's rejection
  {
    name: 'Invalid because the plain method returns a promise from inside its try',
    code: `
export class DB {
  start() {
    setInterval(async () => this.publishStats(), 60_000);
  }
  private publishStats() {
    try {
      return this.store.saveStats();
    } catch (err) {
      console.error('Error publishing stats', err);
    }
  }
}`,
    errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setInterval' } }],
  },
  // Invalid because the static method of this file's class awaits outside any try
  {
    name: 'Invalid because the static method of the same class can reject',
    code: `
export class AnthropicLLM {
  constructor(model: string) {
    AnthropicLLM.fetchModelMaxTokens(model).then((maxTokens) => { this.maxTokens = maxTokens; });
  }
  static async fetchModelMaxTokens(modelName: string) {
    const model = await anthropic.models.retrieve(modelName);
    return Number(model.max_tokens ?? 4096);
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'AnthropicLLM.fetchModelMaxTokens' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export class AnthropicLLM {
  constructor(model: string) {
    AnthropicLLM.fetchModelMaxTokens(model).then((maxTokens) => { this.maxTokens = maxTokens; }).catch((error) => console.error('AnthropicLLM.fetchModelMaxTokens failed', error));
  }
  static async fetchModelMaxTokens(modelName: string) {
    const model = await anthropic.models.retrieve(modelName);
    return Number(model.max_tokens ?? 4096);
  }
}`,
          },
        ],
      },
    ],
  },
  // Invalid because the returned call is a promise the async function adopts
  {
    name: 'Invalid because the callee returns an unhandled call',
    code: `
export async function getConfirmation(id: string) {
  return { row: await getAsyncToolCalls([id]) };
}
export function waitFor(id: string) {
  void getConfirmation(id);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 6,
        data: { task: 'getConfirmation' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export async function getConfirmation(id: string) {
  return { row: await getAsyncToolCalls([id]) };
}
export function waitFor(id: string) {
  getConfirmation(id).catch((error) => console.error('getConfirmation failed', error));
}`,
          },
        ],
      },
    ],
  },
];

createRuleTester().run('no-floating-background-task (what cannot reject)', rule, {
  valid,
  invalid,
});
