/**
 * The false-positive classes of held-out set 20 (issue 13, round 13), each with the near miss that
 * stays reported: combinators over promises that only resolve, a `new Promise` without `reject`
 * chained to a plain method, functions taken from a queue of catching wrappers, class fields that
 * hold a map, awaits after an unconditional `return`, and fallbacks whose catch has no binding.
 */
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import requestSession from '../../src/rules/no-request-session-in-background.js';
import lifecycle from '../../src/rules/require-lifecycle-logging.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';

const tester = createRuleTester();

/** latitude-llm packages/platform/op-gepa/src/client.ts:169-184 and :237, shortened. */
function gepaClient(race: string): string {
  return `
export class GepaClient {
  async stop(): Promise<void> {
    if (this.process && !this.process.killed) {
      const process = this.process;
      process.kill('SIGTERM');
      await Promise.race([
        new Promise<void>((resolve) => {
          process.once('exit', () => resolve());
        }),
        ${race},
      ]);
    }
    this.cleanup();
  }
  private setupAbortSignal(signal: AbortSignal): void {
    signal.addEventListener('abort', () => {
      void this.stop();
    });
  }
}`;
}
const RESOLVE_ONLY_TIMER = `new Promise<void>((resolve) => {
          setTimeout(resolve, 5_000);
        })`;
const FLUSHING_CLIENT = `this.transport.flush()`;

/** Zeppelin backend/src/Queue.ts:31-63, shortened. */
function queue(pushed: string): string {
  return `
export class Queue {
  protected running = false;
  protected queue: Array<() => Promise<void>> = [];
  public add(fn: () => Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      ${pushed}
      if (!this.running) this.next();
    });
  }
  public next(): void {
    this.running = true;
    const fn = this.queue.shift()!;
    new Promise((resolve) => {
      void fn().then(resolve);
      setTimeout(resolve, 10_000);
    }).then(() => this.next());
  }
}`;
}
const CATCHING_WRAPPER = `this.queue.push(async () => {
        try {
          resolve(await fn());
        } catch (err) {
          reject(err);
        }
      });`;

const UNCAUGHT_WRAPPER = 'this.queue.push(async () => resolve(await fn()));';

tester.run('no-floating-background-task (round 13: resolve-only combinators, queues of catching wrappers)', floating, {
  valid: [
    {
      name: 'Valid because Promise.race over two promises that only resolve cannot reject, so stop() cannot either (seen in a public backend: latitude-llm packages/platform/op-gepa/src/client.ts:237)',
      settings: NONE,
      code: gepaClient(RESOLVE_ONLY_TIMER),
    },
    {
      name: 'Valid because the function taken from the queue is always the wrapper add() pushes, which hands every error to the caller, and the new Promise around it has no reject (seen in a public backend: Zeppelin backend/src/Queue.ts:57-59)',
      settings: NONE,
      code: queue(CATCHING_WRAPPER),
    },
  ],
  invalid: [
    {
      name: 'Invalid because one promise in the race can reject (a transport flush), so the dropped stop() can too',
      settings: NONE,
      code: gepaClient(FLUSHING_CLIENT),
      errors: [
        {
          messageId: 'floatingTask',
          line: 18,
          suggestions: [
            {
              messageId: 'addCatch',
              output: gepaClient(FLUSHING_CLIENT).replace('void this.stop();', "this.stop().catch((error) => console.error('this.stop failed', error));"),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the wrapper the queue holds does not catch, so the rejection of the function taken from it is unhandled',
      settings: NONE,
      code: queue(UNCAUGHT_WRAPPER),
      errors: [
        {
          messageId: 'floatingTask',
          line: 15,
          suggestions: [
            {
              messageId: 'addCatch',
              output: queue(UNCAUGHT_WRAPPER).replace('void fn().then(resolve);', "fn().then(resolve).catch((error) => console.error('fn failed', error));"),
            },
          ],
        },
      ],
    },
  ],
});

/** Zeppelin backend/src/data/cleanup/configs.ts:9-13 with backend/src/data/Configs.ts:11-14, shortened. */
function configCleanup(beforeQuery: string): string {
  return `
async function cleanupConfigs() {
  const repository = dataSource.getRepository(Config);
${beforeQuery}
  await repository.delete({ createdAt: LessThan(cutoff()) });
}
async function cleanup() {
  await cleanupConfigs();
  setTimeout(cleanup, 3_600_000);
}
setTimeout(cleanup, 30_000);`;
}

/** mx-space apps/core/src/modules/update/update.controller.ts:73-79, as a timer. */
function versionWatch(catchHead: string): string {
  return `
export function watchVersion(versionPath: string) {
  setInterval(async () => {
    let versionInfo: string;
    try {
      const data = await readFile(versionPath, { encoding: 'utf8' });
      versionInfo = data.split('\\n')[0];
    } ${catchHead}
      versionInfo = '';
    }
    offerUpdate(versionInfo);
  }, 60_000);
}`;
}

tester.run('require-background-error-handling (round 13: resolve-only combinators, unreachable awaits, fallbacks without a binding)', errorHandling, {
  valid: [
    {
      name: 'Valid because the awaited race settles only by resolving (seen in a public backend: latitude-llm packages/platform/op-gepa/src/client.ts:169)',
      settings: NONE,
      code: gepaClient(RESOLVE_ONLY_TIMER),
    },
    {
      name: 'Valid because the awaited cleanup returns before its query runs, so the timer callback cannot reject (seen in a public backend: Zeppelin backend/src/data/cleanup/configs.ts:13)',
      settings: NONE,
      options: [{ checkAllLogLevels: true }],
      code: configCleanup("  // FIXME: The query below doesn't work on MySQL 8.0. Pending an update.\n  return;"),
    },
    {
      name: 'Valid because a fallback value in a catch without an error binding is the author saying the error does not matter, even with checkFallbackCatches (seen in a public backend: mx-space apps/core/src/modules/update/update.controller.ts:76)',
      settings: NONE,
      options: [{ checkFallbackCatches: true }],
      code: versionWatch('catch {'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the cleanup returns only under a condition, so its query can run and reject',
      settings: NONE,
      code: configCleanup('  if (disabled) return;'),
      errors: [{ messageId: 'missingTryCatch', line: 7 }],
    },
    {
      name: 'Invalid because with checkFallbackCatches a fallback that binds the error and drops it is reported',
      settings: NONE,
      options: [{ checkFallbackCatches: true }],
      code: versionWatch('catch (err) {'),
      errors: [
        {
          messageId: 'silentCatch',
          line: 8,
          suggestions: [
            {
              messageId: 'addLogging',
              output: versionWatch('catch (err) {').replace("    } catch (err) {\n", "    } catch (err) {\n      console.error(`the setInterval callback failed`, err);\n"),
            },
          ],
        },
      ],
    },
  ],
});

/** skyra src/lib/moderation/managers/loggers/base/LoggerTypeManager.ts:43 and :103-107, shortened. */
function loggerTypeManager(field: string): string {
  return `
export abstract class LoggerTypeManager {
  ${field}
  public set(id: string, entry: LoggerTypeContext) {
    this.context.set(id, {
      timeout: setTimeout(() => this.context.delete(id), 30_000).unref(),
      entry,
    });
  }
}`;
}

tester.run('no-request-session-in-background (round 13: a field that holds a map)', requestSession, {
  valid: [
    {
      name: 'Valid because a field created as a Collection (a Map) holds logging context, not a database session, though it has a delete method (seen in a public bot: skyra LoggerTypeManager.ts:105)',
      code: loggerTypeManager('context = new Collection<string, { timeout: NodeJS.Timeout; entry: LoggerTypeContext }>();'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because a field typed as an EntityManager is a database session, used by the timer after the request',
      code: loggerTypeManager('constructor(private readonly context: EntityManager) {}'),
      errors: [{ messageId: 'requestMember', line: 6 }],
    },
  ],
});

const STRICT_CATCHES = [{ checkAllLogLevels: true, checkFallbackCatches: true, checkLogsWithoutError: true, checkSynchronousCatches: true }] as const;

tester.run('require-background-error-handling (round 13, set 22: errors carried by a derived name, error lists, closing a socket)', errorHandling, {
  valid: [
    {
      name: 'Valid because the catch logs and records a message built from the error, through a name it declares (seen in a public server: Haraka outbound/hmail.js:130)',
      settings: NONE,
      options: STRICT_CATCHES,
      code: `
export function watchQueue(item: HMailItem) {
  setInterval(async () => {
    try {
      item.todo = JSON.parse(await readFile(item.path, 'utf8'));
    } catch (err) {
      const errMsg = \`Error reading queue file \${item.filename}: \${err}\`;
      item.logerror(errMsg);
      item.temp_fail(errMsg);
    }
  }, 1000);
}`,
    },
    {
      name: 'Valid because the catch records the failure on the error list the caller gets back (seen in a public server: matrix-appservice-irc src/DebugApi.ts:392)',
      settings: NONE,
      options: STRICT_CATCHES,
      code: `
export function scheduleKill(roomId: string, result: { stages: string[]; error: string[] }) {
  setTimeout(async () => {
    try {
      await intent.sendMessage(roomId, notice);
      result.stages.push('Left notice in room');
    } catch (e) {
      result.error.push('Failed to send a leave notice');
    }
  }, 0);
}`,
    },
    {
      name: 'Valid because the try only ends a socket that is being turned away, cleanup whose failure loses nothing (seen in a public server: zone-mta services/receiver.js:202)',
      settings: NONE,
      options: STRICT_CATCHES,
      code: `
export function refuse(socket: Socket) {
  setTimeout(() => {
    try {
      return socket.end('421 Process not yet initialized\\r\\n');
    } catch (E) {
      // ignore
    }
  }, 1000);
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the message derived from the error is declared but never logged nor recorded, so the failure is lost',
      settings: NONE,
      options: STRICT_CATCHES,
      code: `
export function watchQueue(item: HMailItem) {
  setInterval(async () => {
    try {
      item.todo = JSON.parse(await readFile(item.path, 'utf8'));
    } catch (err) {
      const errMsg = \`Error reading queue file \${item.filename}: \${err}\`;
      item.retries += 1;
    }
  }, 1000);
}`,
      errors: [{ messageId: 'silentCatch', line: 6, suggestions: [{ messageId: 'addLogging', output: `
export function watchQueue(item: HMailItem) {
  setInterval(async () => {
    try {
      item.todo = JSON.parse(await readFile(item.path, 'utf8'));
    } catch (err) {
      console.error(\`the setInterval callback failed\`, err);
      const errMsg = \`Error reading queue file \${item.filename}: \${err}\`;
      item.retries += 1;
    }
  }, 1000);
}` }] }],
    },
  ],
});

/** Socioboard socioboard-api/Common/Models/upload.model.js:618-632, shortened. */
function templateCleanup(unlink: string): string {
  return `
export function cleanupTemplates(userId: number) {
  return templates.findAll({ where: { user_id: userId } }).then((data) => {
    Promise.all(
      data.map((template) => {
        ${unlink}
      }),
    );
  });
}`;
}
const CALLBACK_UNLINK = `fs.unlink(template.media_url, (error) => {
          if (error) logger.info(error.message);
        });`;
const PROMISE_UNLINK = 'return fs.promises.unlink(template.media_url);';

/** Socioboard socioboard-api/Common/Models/task.model.js:447-470, shortened. */
function insightsCron(last: string): string {
  return `
export function startCrons() {
  schedule.scheduleJob('00 22 * * *', () => {
    new Promise((resolve, reject) => {
      return socialAccounts
        .findAll({ where: { account_type: 4 } })
        .then((accounts) => updateInsights(accounts))
        .then(() => ${last})
        .catch((error) => logger.error(error.message));
    });
  });
}`;
}

/** puter src/puter-js/src/modules/Peer.js:300 and :386, shortened. */
function peerConnection(constructor: string): string {
  return `
export class PuterPeerConnection {
  constructor(iceServers: RTCIceServer[]) {
    this.peerconnection = new ${constructor}({ iceServers });
    this.socket.on('answer', (answer) => {
      this.setRemoteDescription(answer);
    });
  }
  async setRemoteDescription(description: RTCSessionDescriptionInit) {
    await this.peerconnection.setRemoteDescription(description);
  }
}`;
}

tester.run('no-floating-background-task (round 13, set 21: lists of undefined, executors that never reject, WebRTC in the browser)', floating, {
  valid: [
    {
      name: 'Valid because Promise.all over a map whose callback returns nothing waits for a list of undefined, which cannot reject (seen in a public backend: Socioboard Common/Models/upload.model.js:620)',
      settings: NONE,
      code: templateCleanup(CALLBACK_UNLINK),
    },
    {
      name: 'Valid because the executor never names its reject, and the chain inside it ends in a catch that logs (seen in a public backend: Socioboard Common/Models/task.model.js:451)',
      settings: NONE,
      code: insightsCron('resolve()'),
    },
    {
      name: 'Valid because a file that creates an RTCPeerConnection runs in a browser, which logs an unhandled rejection and keeps the page (seen in a public app: puter src/puter-js/src/modules/Peer.js:386)',
      settings: NONE,
      code: peerConnection('RTCPeerConnection'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the map callback returns the unlink promise, so Promise.all can reject',
      settings: NONE,
      code: templateCleanup(PROMISE_UNLINK),
      errors: [
        {
          messageId: 'floatingTask',
          line: 4,
          suggestions: [{ messageId: 'addCatch', output: templateCleanup(PROMISE_UNLINK).replace(/\n {6}\}\),\n {4}\);/, "\n      }),\n    ).catch((error) => console.error('Promise.all failed', error));") }],
        },
      ],
    },
    {
      name: 'Invalid because the executor calls reject in a callback, so the dropped promise can reject',
      settings: NONE,
      code: insightsCron("reject(new Error('done'))"),
      errors: [
        {
          messageId: 'floatingTask',
          line: 4,
          suggestions: [{ messageId: 'addCatch', output: insightsCron("reject(new Error('done'))").replace('\n    });\n  });', "\n    }).catch((error) => logger.error('new Promise failed', error));\n  });") }],
        },
      ],
    },
    {
      name: 'Invalid because a peer connection built from an imported class says nothing about a browser: the server process may run it',
      settings: NONE,
      code: peerConnection('PeerConnection'),
      errors: [
        {
          messageId: 'floatingTask',
          line: 6,
          suggestions: [
            {
              messageId: 'addCatch',
              output: peerConnection('PeerConnection').replace('this.setRemoteDescription(answer);', "this.setRemoteDescription(answer).catch((error) => console.error('this.setRemoteDescription failed', error));"),
            },
          ],
        },
      ],
    },
  ],
});

/** A cron callback that awaits a logging helper of its file under a guard (the shape of krawler's lib/cli.js:191, with a logger). */
function guardedCron(helperBody: string): string {
  return `
import { CronJob } from 'cron';
async function runJob() {
${helperBody}
}
export function start(options: Options) {
  return new CronJob(options.cron, async () => {
    if (!health.isRunning) {
      await runJob();
    }
    await healthcheck(options);
  });
}`;
}

tester.run('require-lifecycle-logging (round 13, set 23: both ends logged by an awaited helper)', lifecycle, {
  valid: [
    {
      name: 'Valid because the awaited helper of the same file logs the start and the end of the run (a held-out public tool: krawler lib/cli.js:191 logs so through runJobWithOptions)',
      code: guardedCron("  logger.info('Launching job');\n  const tasks = await app.service('jobs').create(job);\n  logger.info(`Job terminated: ${tasks.length} tasks`);"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because neither the cron callback nor the helper it awaits logs the run',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: guardedCron("  const tasks = await app.service('jobs').create(job);\n  return tasks;"),
      errors: [{ messageId: 'missingLifecycleLogging', line: 8 }],
    },
  ],
});
