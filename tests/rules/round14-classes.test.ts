/**
 * The false-positive classes of held-out sets 24 and 25 (issue 13, round 14), each with the near
 * miss that stays reported: a project's own decorator named like a scheduler's, a catch that goes on
 * only for an error its own `try` throws, a JavaScript method that returns nothing, combinators over
 * a function whose promises only resolve, work whose function ends the process when it fails, a
 * request object handed on whole, a session opened once at startup, a probe that sets a flag, the
 * project's per-level log functions, and a job that posts its start and end to a chat channel.
 */
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import requestSession from '../../src/rules/no-request-session-in-background.js';
import lifecycle from '../../src/rules/require-lifecycle-logging.js';
import sessionScope from '../../src/rules/require-session-scope.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE, STRICT_ERROR_HANDLING_OPTIONS as STRICT_CATCHES } from '../rule-tester.js';

const tester = createRuleTester();

/** rocketadmin backend/src/entities/table/table.controller.ts:205 with its decorator's import, shortened. */
function timeoutController(importLine: string): string {
  return `${importLine}
export class TableController {
  @Timeout()
  async findTablesInConnection(connectionId: string) {
    const rows = await this.useCase.execute(connectionId);
    await this.audit.record(connectionId);
    return rows;
  }
}`;
}

/** rocketadmin backend/src/entities/cron-jobs/cron-jobs.service.ts:30-43, shortened. */
function slackCron(startMessage: string, endMessage = '`midnight cron finished at ${this.getCurrentTime()}`'): string {
  return `import { Cron, CronExpression } from '@nestjs/schedule';
export class CronJobsService {
  @Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT)
  async handleCron(): Promise<void> {
    try {
      await slackPostMessage(${startMessage}, Constants.EXCEPTIONS_CHANNELS);
      await this.checkUsersLogsAndUpdateActionsUseCase.execute();
      await slackPostMessage(${endMessage}, Constants.EXCEPTIONS_CHANNELS);
    } catch (e) {
      Sentry.captureException(e);
    }
  }
}`;
}

tester.run('require-lifecycle-logging (round 14: look-alike decorators, lifecycle messages)', lifecycle, {
  valid: [
    {
      name: "Valid because @Timeout() is the project's own request-timeout decorator, imported by a relative path, on an HTTP handler: no scheduled job (seen in a public backend: rocketadmin backend/src/entities/table/table.controller.ts:205)",
      code: timeoutController("import { Timeout } from '../../decorators/timeout.decorator.js';"),
    },
    {
      name: 'Valid because the cron job posts "started" and "finished" messages to the team channel: its lifecycle is recorded (seen in a public backend: rocketadmin backend/src/entities/cron-jobs/cron-jobs.service.ts:37-39)',
      code: slackCron('`midnight cron started at ${this.getCurrentTime()}`'),
    },
  ],
  invalid: [
    {
      name: "Invalid because @Timeout() from @nestjs/schedule makes the method a one-shot scheduled job that logs nothing",
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: timeoutController("import { Timeout } from '@nestjs/schedule';"),
      errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
    },
    {
      name: 'Invalid because the messages the job posts are counts, which say neither that it started nor that it finished',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: slackCron('`Retrieved ${count} email addresses`', '`Sent ${sent} reminders`'),
      errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
    },
  ],
});

/** sogeBot src/bot/database/migration/postgres/12.5.x/1584981805762-dashboardPerTypeAndUser.ts:15-58, shortened. */
function markerMigration(guardedMessage: string): string {
  return `
export class dashboardPerTypeAndUser1584981805762 {
  public async up(queryRunner: QueryRunner): Promise<void> {
    try {
      try {
        broadcasterId = Number(JSON.parse((await queryRunner.query('SELECT "value" from "settings"'))[0].value));
      } catch (e) {
        throw new Error('broadcasterId');
      }
      await queryRunner.addColumns('dashboard', [columnUserId, columnType]);
    } catch (e) {
      if (e.message !== '${guardedMessage}') {
        throw new Error(e);
      }
      await queryRunner.query('TRUNCATE TABLE "widget" CASCADE');
    }
  }
}`;
}

tester.run('no-stale-session-in-catch (round 14: a catch that goes on only for its own signal)', staleSession, {
  valid: [
    {
      name: "Valid because the catch rethrows everything but the 'broadcasterId' error its own try throws, after a query that succeeded (seen in a public backend: sogeBot's TypeORM migration src/bot/database/migration/postgres/12.5.x/1584981805762-dashboardPerTypeAndUser.ts:52)",
      code: markerMigration('broadcasterId'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the message the catch goes on for is not one its try throws: a failed statement can carry it',
      code: markerMigration('duplicate key'),
      errors: [
        {
          messageId: 'staleSession',
          line: 15,
        },
      ],
    },
  ],
});

/** modmailbot src/queue.js:20-33, shortened. */
function modmailQueue(next: string): string {
  return `
class Queue {
  ${next}
  run() {
    const fn = this.queue.shift();
    new Promise(resolve => {
      fn().then(resolve);
      setTimeout(resolve, 10000);
    }).then(() => this.next());
  }
}`;
}
const PLAIN_NEXT = `next() {
    if (this.queue.length === 0) {
      this.running = false;
      return;
    }
    this.run();
  }`;
const ASYNC_NEXT = `async next() {
    await this.store.save(this.queue);
    this.run();
  }`;

/** modmailbot src/main.js:53-60 and :87-100, shortened. */
function guildWait(notAvailable: string): string {
  return `
function start() {
  Promise.all([
    ...config.mainServerId.map(id => waitForGuild(id)),
    waitForGuild(config.inboxServerId),
  ]).then(() => {
    clearTimeout(waitNoteTimeout);
    resolve();
  });
}

function waitForGuild(guildId) {
  if (bot.guilds.has(guildId)) {
    return Promise.resolve();
  }
  ${notAvailable}
}`;
}
const WAITS_FOR_EVENT = `return new Promise(resolve => {
    bot.on('guildAvailable', guild => {
      if (guild.id === guildId) resolve();
    });
  });`;
const FETCHES = 'return bot.getRESTGuild(guildId);';

/** fonoster mods/apiserver/src/voice/connectToAri.ts:45-93, shortened. */
function ariReconnect(notReady: string): string {
  return `
async function connectToAri(filesServer) {
  const open = await wait(connection);
  if (open) {
    const ari = await ariClient.connect(ASTERISK_ARI_PROXY_URL);
    ari.on('WebSocketMaxRetries', () => {
      attemptReconnection(filesServer);
    });
  } else {
    ${notReady}
  }
}

function attemptReconnection(filesServer) {
  setTimeout(() => {
    connectToAri(filesServer);
  }, 5000);
}

export { connectToAri };`;
}

tester.run('no-floating-background-task (round 14: plain JavaScript methods, resolve-only helpers, work that exits on failure)', floating, {
  valid: [
    {
      name: 'Valid because the promise without reject is chained to a JavaScript method that returns nothing, so the chain cannot reject by I/O (seen in a public backend: modmailbot src/queue.js:29)',
      settings: NONE,
      code: modmailQueue(PLAIN_NEXT),
    },
    {
      name: 'Valid because every promise in the list comes from a function whose promises only resolve, on an event (seen in a public backend: modmailbot src/main.js:53, waitForGuild)',
      settings: NONE,
      code: guildWait(WAITS_FOR_EVENT),
    },
    {
      name: 'Valid because the dropped function ends the process itself when its work fails (process.exit(1)): a rejection that ends it too is what its author chose (seen in a public backend: fonoster mods/apiserver/src/voice/connectToAri.ts:86)',
      settings: NONE,
      code: ariReconnect("logger.error('asterisk is not ready');\n    process.exit(1);"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the method the chain calls is async and saves, so the chain can reject',
      settings: NONE,
      code: modmailQueue(ASYNC_NEXT),
      errors: [
        {
          messageId: 'floatingTask',
          line: 9,
          suggestions: [
            {
              messageId: 'addCatch',
              output: modmailQueue(ASYNC_NEXT).replace('}).then(() => this.next());', "}).then(() => this.next()).catch((error) => console.error('new Promise failed', error));"),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the helper can return a REST call that rejects, so Promise.all can reject',
      settings: NONE,
      code: guildWait(FETCHES),
      errors: [
        {
          messageId: 'floatingTask',
          line: 3,
          suggestions: [
            {
              messageId: 'addCatch',
              output: guildWait(FETCHES).replace('    resolve();\n  });', "    resolve();\n  }).catch((error) => console.error('Promise.all failed', error));"),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the dropped function only logs when it cannot connect: its rejection is the only thing that would end the process',
      settings: NONE,
      code: ariReconnect("logger.error('asterisk is not ready');"),
      errors: [
        {
          messageId: 'floatingTask',
          line: 16,
          suggestions: [
            {
              messageId: 'addCatch',
              output: ariReconnect("logger.error('asterisk is not ready');").replace(
                'connectToAri(filesServer);\n  }, 5000);',
                "connectToAri(filesServer).catch((error) => logger.error('connectToAri failed', error));\n  }, 5000);",
              ),
            },
          ],
        },
      ],
    },
  ],
});

/** sogeBot src/bot/helpers/database.ts:6-13. */
function dbProbe(afterTry: string): string {
  return `
let isDbConnected = false;
async function setIsDbConnected() {
  try {
    isDbConnected = (await getManager()).connection.isConnected;
  } catch (e) {}
  ${afterTry}
}
setTimeout(() => {
  setIsDbConnected();
}, 5000);`;
}

const NOTIFY_CATCH = `import { error, info } from '../helpers/notify';
export async function checkJwt() {
  try {
    await axios.get('https://api.streamelements.com/kappa/v2/channels/me');
  } catch (e) {
    error('STREAMELEMENTS: JWT token is not valid.');
  }
}
setInterval(() => {
  checkJwt();
}, 60000);`;

tester.run('require-background-error-handling (round 14: probes, exported reconnects, per-level log functions)', errorHandling, {
  valid: [
    {
      name: 'Valid because the try only sets a flag that the next statement tests to retry: the failure is carried by the flag (seen in a public backend: sogeBot src/bot/helpers/database.ts:9)',
      settings: NONE,
      code: dbProbe('if (!isDbConnected) {\n    setTimeout(() => setIsDbConnected(), 1000);\n  }'),
    },
    {
      name: 'Valid because the function is exported with `export { connectToAri }` for callers that await it, so the one dropped call is no-floating-background-task\'s (seen in a public backend: fonoster mods/apiserver/src/voice/connectToAri.ts:45)',
      settings: NONE,
      code: ariReconnect("logger.error('asterisk is not ready');"),
    },
    {
      name: "Valid because the catch logs the error through the project's per-level log function, imported from its log module, even in strict (seen in a public backend: sogeBot src/bot/integrations/streamelements.ts:106)",
      settings: NONE,
      options: STRICT_CATCHES,
      code: `import { error, info } from '../helpers/log';
export async function checkJwt() {
  try {
    await axios.get('https://api.streamelements.com/kappa/v2/channels/me');
    info('STREAMELEMENTS: JWT token check OK.');
  } catch (e) {
    error('STREAMELEMENTS: JWT token is not valid.', e);
  }
}
setInterval(() => {
  checkJwt();
}, 60000);`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the retry does not look at what the try set: the failure is swallowed',
      options: [{ checkEmptyCatches: true }],
      settings: NONE,
      code: dbProbe('setTimeout(() => setIsDbConnected(), 1000);'),
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          suggestions: [
            {
              messageId: 'addLogging',
              output: dbProbe('setTimeout(() => setIsDbConnected(), 1000);').replace('} catch (e) {}', '} catch (e) {\n    console.error(`setIsDbConnected failed`, e);\n  }'),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the function is neither exported nor awaited: its dropped promise is its only caller',
      settings: NONE,
      code: ariReconnect("logger.error('asterisk is not ready');").replace('export { connectToAri };', ''),
      errors: [{ messageId: 'missingTryCatch', line: 2 }],
    },
    {
      name: 'Invalid in strict because `error` here is not imported from a log module, so nothing shows the catch logs',
      settings: NONE,
      options: STRICT_CATCHES,
      code: NOTIFY_CATCH,
      errors: [
        {
          messageId: 'silentCatch',
          line: 5,
          suggestions: [
            {
              messageId: 'addLogging',
              output: NOTIFY_CATCH.replace(
                "  } catch (e) {\n    error('STREAMELEMENTS: JWT token is not valid.');",
                "  } catch (e) {\n    console.error(`checkJwt failed`, e);\n    error('STREAMELEMENTS: JWT token is not valid.');",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid in strict because the log function from the log module is called without the error',
      settings: NONE,
      options: STRICT_CATCHES,
      code: NOTIFY_CATCH.replace('../helpers/notify', '../helpers/log'),
      errors: [
        {
          messageId: 'logWithoutError',
          line: 5,
          suggestions: [
            {
              messageId: 'passError',
              output: NOTIFY_CATCH.replace('../helpers/notify', '../helpers/log').replace("valid.');", "valid.', e);"),
            },
          ],
        },
      ],
    },
  ],
});

/** jambonz-feature-server lib/utils/place-outdial.js:197-198 and :411-423, shortened. */
function sipDialer(use: string): string {
  return `
class SingleDialer {
  @BackgroundTask()
  async _executeApp(tasks) {
    const cs = new ConfirmCallSession({ logger: this.logger, ${use} });
    await cs.exec();
  }
}`;
}

tester.run('no-request-session-in-background (round 14: a request object handed on whole)', requestSession, {
  valid: [
    {
      name: 'Valid because `this.req` is handed on whole to the object that runs the call, a SIP INVITE, not read as a database session (seen in a public backend: jambonz-feature-server lib/utils/place-outdial.js:422)',
      code: sipDialer('req: this.req'),
    },
  ],
  invalid: [
    {
      name: "Invalid because the background method reads the request's entity manager through `this.req`",
      code: sipDialer('em: this.req.em'),
      errors: [{ messageId: 'requestMember', line: 5 }],
    },
  ],
});

/** gitpod components/gitpod-db/src/migrate-migrations.ts:12-28, shortened. */
function migrateMigrations(alsoCalled: string): string {
  return `
async function migrateMigrationsTable() {
  const conn = await typeorm.getConnection();
  const runner = conn.createQueryRunner();
  await migration.up(runner);
  conn.close().catch((err) => log.error('cannot close connection', err));
}

migrateMigrationsTable().catch((err) => {
  console.error(err);
  process.exit(1);
});
${alsoCalled}`;
}

const ROUTE = "app.post('/migrate', async () => { await migrateMigrationsTable(); });";

tester.run('require-session-scope (round 14: a session opened once at startup)', sessionScope, {
  valid: [
    {
      name: "Valid because only the module's top level calls the function, once, and the process exits when it fails (seen in a public backend: gitpod components/gitpod-db/src/migrate-migrations.ts:17)",
      code: migrateMigrations(''),
    },
  ],
  invalid: [
    {
      name: 'Invalid because a route also runs the function, on every request: each failure leaks a query runner',
      code: migrateMigrations(ROUTE),
      errors: [
        {
          messageId: 'unreleasedSession',
          line: 4,
          suggestions: [
            {
              messageId: 'releaseInFinally',
              output: migrateMigrations(ROUTE).replace(
                "  await migration.up(runner);\n  conn.close().catch((err) => log.error('cannot close connection', err));\n}",
                "  try {\n    await migration.up(runner);\n    conn.close().catch((err) => log.error('cannot close connection', err));\n  } finally {\n    await runner.release();\n  }\n}",
              ),
            },
          ],
        },
      ],
    },
  ],
});

// --- Held-out sets 26 and 27 ---

/** petio api/requests/process.js:16-18 and :250-253, shortened. */
function mediaRequest(use: string): string {
  return `
class processRequest {
  constructor(req = {}, usr = {}) {
    this.request = req;
    this.user = usr;
  }
  @BackgroundTask()
  async sendToDvr() {
    ${use}
  }
}`;
}

tester.run('no-request-session-in-background (round 14: a request record read for its fields)', requestSession, {
  valid: [
    {
      name: "Valid because `this.request` is a media request's data, read for its fields after the response: nothing request-scoped is used (seen in a public backend: petio api/requests/process.js:252)",
      code: mediaRequest("if (this.request.type === 'movie') await new Radarr().processRequest(this.request.id);"),
    },
  ],
  invalid: [
    {
      name: "Invalid because the background method saves through the request's entity manager",
      code: mediaRequest('await this.request.em.persistAndFlush(order);'),
      errors: [{ messageId: 'requestMember', line: 9 }],
    },
  ],
});

/** mail-for-good server/controllers/list/import-csv.js:165-195, shortened. */
function uniqueRecords(lookup: string): string {
  return `
function getUniqueEmails(records, model, listId) {
  const pending = records.map((row) => {
    ${lookup}
  });
  const uniqueEmails = new Promise((resolve) => {
    Promise.all(pending).then((values) => resolve(values.filter((x) => x !== null)));
  });
  return uniqueEmails;
}`;
}
const RESOLVE_ONLY_LOOKUP = `return new Promise((resolve) => {
      model.findOne({ where: { listId, email: row.email } }).then((instance) => resolve(instance ? null : row));
    });`;
const QUERY_LOOKUP = 'return model.findOne({ where: { listId, email: row.email } });';

/** MediaTracker server/src/export/trakttv.ts:35-56, shortened. */
function devicePoll(onSuccess: string): string {
  return `
export function pollDeviceToken(deviceCode, onAuthenticated) {
  const handler = async () => {
    try {
      const res = await axios.post('https://api.trakt.tv/oauth/device/token', { code: deviceCode.device_code });
      ${onSuccess}
      await onAuthenticated(res.data);
    } catch (error) {}
  };
  const interval = setInterval(handler, deviceCode.interval * 1000);
}`;
}

/** bitcore packages/bitcore-node/src/providers/chain-state/evm/p2p/syncWorker.ts:35-55, shortened. */
function syncWorker(ending: string): string {
  return `
export class SyncWorker {
  async stop() {
    this.stopping = true;
    while (this.isWorking) {
      await wait(1000);
    }
    await Storage.stop();
    ${ending}
  }
  async messageHandler(msg) {
    switch (msg.message) {
      case 'shutdown':
        this.stop();
        return;
      default:
        this.syncBlock(msg);
    }
  }
}`;
}

tester.run('no-floating-background-task (round 14: resolve-only lists, workers that exit)', floating, {
  valid: [
    {
      name: 'Valid because every promise in the list is a new Promise without reject, and the handler only settles the promise around it (seen in a public backend: mail-for-good server/controllers/list/import-csv.js:189)',
      settings: NONE,
      code: uniqueRecords(RESOLVE_ONLY_LOOKUP),
    },
    {
      name: "Valid because the dropped stop() ends the worker's process with process.exit(0): a rejection only changes how it ends (seen in a public backend: bitcore packages/bitcore-node/src/providers/chain-state/evm/p2p/syncWorker.ts:49)",
      settings: NONE,
      code: syncWorker('process.exit(0);'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the list holds the queries themselves, which can reject',
      settings: NONE,
      code: uniqueRecords(QUERY_LOOKUP),
      errors: [
        {
          messageId: 'floatingTask',
          line: 7,
          suggestions: [
            {
              messageId: 'addCatch',
              output: uniqueRecords(QUERY_LOOKUP).replace(
                'resolve(values.filter((x) => x !== null)));',
                "resolve(values.filter((x) => x !== null))).catch((error) => console.error('Promise.all failed', error));",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a stop() that only drains and closes storage leaves the process running, and its rejection unhandled',
      settings: NONE,
      code: syncWorker("logger.info('stopped');"),
      errors: [
        {
          messageId: 'floatingTask',
          line: 14,
          suggestions: [
            {
              messageId: 'addCatch',
              output: syncWorker("logger.info('stopped');").replace('        this.stop();', "        this.stop().catch((error) => logger.error('this.stop failed', error));"),
            },
            { messageId: 'addAwait', output: syncWorker("logger.info('stopped');").replace('        this.stop();', '        await this.stop();') },
          ],
        },
      ],
    },
  ],
});

tester.run('require-background-error-handling (round 14: a poll that stops itself on success)', errorHandling, {
  valid: [
    {
      name: "Valid because the try stops its own interval once the token arrives: the empty catch is the poll's \"not yet\" (seen in a public backend: MediaTracker server/src/export/trakttv.ts:53)",
      settings: NONE,
      code: devicePoll('clearInterval(interval);'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because nothing stops the poll: every failure, the last one too, is swallowed',
      options: [{ checkEmptyCatches: true }],
      settings: NONE,
      code: devicePoll('this.token = res.data;'),
      errors: [
        {
          messageId: 'silentCatch',
          line: 8,
          suggestions: [
            {
              messageId: 'addLogging',
              output: devicePoll('this.token = res.data;').replace('} catch (error) {}', '} catch (error) {\n      console.error(`handler failed`, error);\n    }'),
            },
          ],
        },
      ],
    },
  ],
});

/** bitcore packages/bitcore-node/src/providers/chain-state/svm/api/csp.ts:349-362, shortened. */
function transformedTx(fallback: string): string {
  return `
export class SolanaStateProvider {
  async _getTransformedTx(rpc, network, tx) {
    try {
      const parsedTx = await rpc.getTransaction({ txid: tx.signature });
      return this.txTransform(network, { txStatuses: tx, tx: parsedTx });
    } catch (err) {
      ${fallback}
    }
  }
}`;
}

tester.run('no-stale-session-in-catch (round 14: fields read off a value named like a session)', staleSession, {
  valid: [
    {
      name: 'Valid because the catch only reads fields of `tx`, a signature-status record, to build its error result (seen in a public backend: bitcore packages/bitcore-node/src/providers/chain-state/svm/api/csp.ts:360)',
      code: transformedTx("return { error: err?.message, txid: tx.signature, chain: 'SOL', height: Number(tx.slot) };"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the catch runs a query on the failed transaction',
      code: transformedTx("await tx.query('UPDATE txs SET failed = true WHERE id = $1', [tx.id]);\n      throw err;"),
      errors: [{ messageId: 'staleSession', line: 8 }],
    },
  ],
});

/** multi-scrobbler src/backend/utils/debounce.ts:41-50, shortened (held-out set 29, fixed after it was judged). */
function debounce(funcType: string): string {
  return `
export const debounce = (func: ${funcType}, wait: number) => {
  let timeout: NodeJS.Timeout | null = null;
  return (...args: unknown[]) =>
    new Promise((resolve) => {
      clearTimeout(timeout);
      timeout = setTimeout(() => {
        timeout = null;
        void Promise.resolve(func.apply(this, [...args])).then(resolve);
      }, wait);
    });
};`;
}

tester.run('no-floating-background-task (round 14: a void callback wrapped in Promise.resolve)', floating, {
  valid: [
    {
      name: 'Valid because `func` is declared `() => void`: Promise.resolve of its result only resolves, and `.then(resolve)` settles the promise around it (seen in a public backend: multi-scrobbler src/backend/utils/debounce.ts:48)',
      settings: NONE,
      code: debounce('() => void'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because `func` may return a promise that rejects, which Promise.resolve adopts',
      settings: NONE,
      code: debounce('() => Promise<void>'),
      errors: [
        {
          messageId: 'floatingTask',
          line: 9,
          suggestions: [
            {
              messageId: 'addCatch',
              output: debounce('() => Promise<void>').replace(
                'void Promise.resolve(func.apply(this, [...args])).then(resolve);',
                "Promise.resolve(func.apply(this, [...args])).then(resolve).catch((error) => console.error('Promise.resolve failed', error));",
              ),
            },
          ],
        },
      ],
    },
  ],
});

/** emailengine workers/submit.js:155-166, shortened (held-out set 29, fixed after it was judged). */
function badQueueEntry(outerHandling: string): string {
  return `
const submitWorker = new Worker('submit', async (job) => {
  let queueEntry;
  try {
    queueEntry = msgpack.decode(await redis.hgetBuffer(key, job.data.queueId));
  } catch (err) {
    ${outerHandling}
    try {
      await redis.hdel(key, job.data.queueId);
    } catch (err) {
      // ignore
    }
    return;
  }
  await submitMessage(queueEntry);
});`;
}

tester.run('require-background-error-handling (round 14: an empty catch on a failure path already heard)', errorHandling, {
  valid: [
    {
      name: "Valid because the outer catch logs its error first: the empty catch only covers dropping the bad entry afterwards (seen in a public backend: emailengine workers/submit.js:163)",
      settings: NONE,
      code: badQueueEntry("logger.error({ msg: 'Failed to parse queued email entry', job: job.id, err });"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the outer catch logs without its error, so the inner empty catch is the only trace of either failure',
      options: [{ checkEmptyCatches: true }],
      settings: NONE,
      code: badQueueEntry("logger.warn({ msg: 'Skipping queued email entry', job: job.id });"),
      errors: [
        {
          messageId: 'silentCatch',
          line: 10,
          suggestions: [
            {
              messageId: 'addLogging',
              output: badQueueEntry("logger.warn({ msg: 'Skipping queued email entry', job: job.id });").replace(
                '    } catch (err) {\n      // ignore\n    }',
                '    } catch (err) {\n      console.error(`the new Worker callback failed`, err);\n      // ignore\n    }',
              ),
            },
          ],
        },
      ],
    },
  ],
});

/** mojaloop central-ledger src/models/transfer/facade.js:945-970, shortened (held-out set 31, fixed after it was judged). */
function timeoutInsert(transacting: string): string {
  return `
const timeoutExpireReserved = async (intervalMin, intervalMax) => {
  const knex = Db.getKnex();
  await knex.transaction(async (trx) => {
    await knex.from(knex.raw('transferTimeout (transferId, expirationDate)'))${transacting}
      .insert(function () {
        this.from('transfer AS t')
          .innerJoin(
            knex('transferTimeout AS tt')
              .select('tt.transferId')
              .innerJoin(knex('transferStateChange').select('transferId').where('transferStateChangeId', '>', intervalMin).as('ts'), 'ts.transferId', 'tt.transferId')
              .as('x'),
            'x.transferId',
            't.transferId',
          )
          .select('t.transferId', 't.expirationDate');
      });
  });
};`;
}

tester.run('require-session-scope (round 14: sub-queries of a query Knex sends through the transaction)', sessionScope, {
  valid: [
    {
      name: 'Valid because the sub-queries on the outer client become part of one INSERT ... SELECT that .transacting(trx) runs in the transaction (seen in a public backend: mojaloop central-ledger src/models/transfer/facade.js:955)',
      options: [{ checkTransactionUse: true }],
      code: timeoutInsert('.transacting(trx)'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because without .transacting(trx) the INSERT and its sub-queries run on the outer client, outside the transaction',
      options: [{ checkTransactionUse: true }],
      code: timeoutInsert(''),
      errors: [
        { messageId: 'outerClientInScope', line: 5 },
        { messageId: 'outerClientInScope', line: 9 },
        { messageId: 'outerClientInScope', line: 11 },
      ],
    },
  ],
});

/** cross-seed packages/cross-seed/src/jobs.ts:164-181, shortened (held-out set 30, fixed after it was judged). */
function jobLog(handler: string): string {
  return `
async function checkJobs() {
  const lastRuns = await db('job_log').select('*');
  for (const job of jobs) {
    if (!lastRuns.some((run) => run.name === job.name)) continue;
    job.run()
      .then(async (didRun) => {
        if (!didRun) return;
        await db('job_log').insert({ name: job.name, last_run: Date.now() }).onConflict('name').merge();
      })${handler};
  }
}
setInterval(() => {
  void checkJobs().catch((e) => logger.error(e));
}, 60_000);`;
}

tester.run('no-floating-background-task (round 14: an async handler a chain adopts)', floating, {
  valid: [
    {
      name: "Valid because `.then` adopts the async handler's promise and the chain ends in `.catch`: a failed log insert is caught (seen in a public backend: cross-seed packages/cross-seed/src/jobs.ts:165)",
      settings: NONE,
      code: jobLog('\n      .catch((e) => void logger.error(e))'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because nothing catches the chain, so a failed insert in its handler is unhandled',
      settings: NONE,
      code: jobLog(''),
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
  ],
});
