/**
 * A job that a framework runs and whose failure it records (BullMQ, Bull, a Temporal worker, a
 * project's BaseTask queue) needs its own try/catch only when it sets an in-progress status that
 * a throw would leave stuck. Status writes that end or sweep statuses leave nothing to end.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

const settings = { 'background-tasks': { taskBaseClasses: ['CronTask.perform'] } };

createRuleTester().run('require-background-error-handling (framework-run jobs and status phases)', rule, {
  valid: [
    {
      name: 'Valid because a cron job that sweeps timed-out rows to error sets no in-progress status, and the queue records its failure (seen in outline/outline)',
      settings,
      code: `
export default class ErrorTimedOutFileOperationsTask extends CronTask {
  public async perform({ limit }: Props) {
    const fileOperations = await FileOperation.findAll({ where: { state: 'creating' }, limit });
    await Promise.all(
      fileOperations.map(async (fileOperation) => {
        fileOperation.state = FileOperationState.Error;
        await fileOperation.save({ hooks: false });
      }),
    );
  }
}`,
    },
    {
      name: 'Valid because a BullMQ processor that writes a terminal status at its end leaves nothing in progress when it throws (seen in dittofeed/dittofeed, a Temporal activity)',
      code: `
const worker = new Worker('broadcast', async (job) => {
  await computeProperties(job.data);
  await db.update(broadcasts).set({ status: 'completed' });
});`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the queue records the failure of the job, but not of the in-progress status the job set',
      settings,
      code: `
export default class ImportTask extends CronTask {
  public async perform({ id }: Props) {
    await this.imports.update(id, { state: 'processing' });
    await this.download(id);
    await this.imports.update(id, { state: 'completed' });
  }
}`,
      errors: [{ messageId: 'unrecordedStatus', line: 3 }],
    },
  ],
});

createRuleTester().run('require-background-error-handling (a catch that keeps the error)', rule, {
  valid: [
    {
      name: 'Valid because the catch keeps the error in an outer variable and the task rethrows it after Promise.all (seen in outline/outline)',
      settings: { 'background-tasks': { taskBaseClasses: ['BaseTask.perform'] } },
      code: `
export default class ValidateSSOAccessTask extends BaseTask<Props> {
  public async perform({ userId }: Props) {
    let error;
    const validity = await Promise.all(
      auths.map(async (authentication) => {
        try {
          return await authentication.validateAccess();
        } catch (err) {
          error = err;
          return false;
        }
      }),
    );
    if (error) throw error;
    await revoke(userId, validity);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because assigning something else than the error keeps nothing of the failure',
      options: [{ checkFallbackCatches: true }],
      code: `
export async function syncInBackground(id: string) {
  let failed = false;
  try {
    await sync(id);
  } catch (err) {
    failed = true;
  }
  return failed;
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          data: { task: 'syncInBackground', logger: 'console', error: 'err' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export async function syncInBackground(id: string) {
  let failed = false;
  try {
    await sync(id);
  } catch (err) {
    console.error(\`syncInBackground failed\`, err);
    failed = true;
  }
  return failed;
}`,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('require-background-error-handling (a catch that acts on a synchronous failure)', rule, {
  valid: [
    {
      name: 'Valid because the catch hands e.toString() to the admin notifications: the error is passed on (seen in a public backend: bpatrik/pigallery2 src/backend/model/jobs/JobManager.ts)',
      code: `
export class JobManager {
  runSchedules() {
    setTimeout(async () => {
      try {
        await this.run(this.schedule);
      } catch (e) {
        NotificationManager.warning('Job failed: ' + this.schedule.name, e.toString());
      }
    }, 1000);
  }
}`,
    },
    {
      name: 'Valid because a three-word comment names what the catch ignores (seen in a public backend: mendableai/firecrawl apps/js-sdk/firecrawl/src/v2/watcher.ts:146)',
      code: `
export function startPolling(jobId: string) {
  setInterval(async () => {
    try {
      emitter.emit('snapshot', await getCrawlStatus(jobId));
    } catch {
      // ignore polling errors
    }
  }, 2000);
}`,
    },
    {
      name: 'Valid because the catch answers the request with the failure, as a rethrow would (seen in a public backend: logchimp/logchimp packages/server/src/middlewares/auth/authRequired.ts:30)',
      code: `
const authenticateWithToken = async (req: Request, res: Response, next: NextFunction, token: string) => {
  let payload;
  try {
    payload = verifyJwtAuthToken(token, secretKey);
  } catch (err) {
    res.status(401).send({ code: 'INVALID_TOKEN' });
    return;
  }
  req.user = payload;
  next();
};
export const authRequired = (req: Request, res: Response, next: NextFunction) => {
  authenticateWithToken(req, res, next, extractToken(req));
};`,
    },
    {
      name: 'Valid because the error is named unused on purpose (catch (_)), the no-unused-vars convention (seen in a public backend: parse-community/parse-server src/ParseServer.js:478)',
      code: `
export async function verifyServerUrlInBackground(serverURL: string) {
  const isValidHttpUrl = (value: string) => {
    let url;
    try {
      url = new URL(value);
    } catch (_) {
      return false;
    }
    return url.protocol === 'https:';
  };
  if (!isValidHttpUrl(serverURL)) return;
  await request({ url: serverURL }).catch((response) => response);
}`,
    },
    {
      name: 'Valid because a log that leaves out an error named unused on purpose (catch (_)) is deliberate (seen in a public backend: louislam/uptime-kuma server/check-version.js:43)',
      code: `
export function startVersionCheck() {
  setInterval(async () => {
    try {
      const res = await axios.get(CHECK_URL);
      latestVersion = res.data.slow;
    } catch (_) {
      log.error('update-checker', 'Failed to check for new versions');
    }
  }, 48 * 3600 * 1000);
}`,
    },
    {
      name: 'Valid because the catch skips a file that vanished between readdir and stat: a per-item fallback (seen in Mintplex-Labs/anything-llm open-computer/services/interface-service/deliverables/poller.js:24)',
      code: `
export function startPoller(dir: string) {
  setInterval(() => {
    for (const file of fs.readdirSync(dir)) {
      let stat;
      try {
        stat = fs.statSync(path.join(dir, file));
      } catch {
        continue;
      }
      known.set(file, stat.mtimeMs);
    }
  }, 3000);
}`,
    },
    {
      name: 'Valid because the catch stops the heartbeat once the stream is closed (seen in simstudioai/sim apps/sim/lib/events/sse-endpoint.ts:86)',
      code: `
export function openStream(controller: ReadableStreamDefaultController) {
  const heartbeat = setInterval(() => {
    try {
      controller.enqueue(encoder.encode(': heartbeat\\n\\n'));
    } catch {
      clearInterval(heartbeat);
    }
  }, 15_000);
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the catch skips a job whose awaited work failed: the failure is lost',
      options: [{ checkFallbackCatches: true }],
      code: `
export function startWorker(jobs: Job[]) {
  setInterval(async () => {
    for (const job of jobs) {
      try {
        await job.run();
      } catch {
        continue;
      }
    }
  }, 3000);
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 7,
          data: { task: 'the setInterval callback' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export function startWorker(jobs: Job[]) {
  setInterval(async () => {
    for (const job of jobs) {
      try {
        await job.run();
      } catch (error) {
        console.error(\`the setInterval callback failed\`, error);
        continue;
      }
    }
  }, 3000);
}`,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('require-background-error-handling (Promise.allSettled whose results are dropped)', rule, {
  valid: [
    {
      name: 'Valid because the settled results are read: rejected items are logged',
      code: `
export class Jobs {
  @Cron('0 * * * *')
  async trialEnd() {
    const users = await this.users.findExpired();
    const results = await Promise.allSettled(users.map(async (user) => { await this.users.update(user.id, { plan: 'none' }); }));
    for (const result of results) if (result.status === 'rejected') this.logger.error(result.reason);
  }
}`,
    },
    {
      name: 'Valid because each mapped callback catches and logs its own failure',
      code: `
export class Jobs {
  @Cron('0 * * * *')
  async trialEnd() {
    const users = await this.users.findExpired();
    await Promise.allSettled(users.map(async (user) => {
      try {
        await this.users.update(user.id, { plan: 'none' });
      } catch (error) {
        this.logger.error(\`trial end failed for \${user.id}\`, error);
      }
    }));
  }
}`,
    },
    {
      name: 'Valid because the promise pool hands each failure to handleError',
      code: `
export class DecrementOnMatch {
  @OnEvent('bank.matched')
  async decrement({ ids }: Payload) {
    await PromisePool.for(ids)
      .handleError((error, id) => this.logger.error(\`decrement \${id} failed\`, error))
      .process(async (id) => { await this.accounts.decrement(id); });
  }
}`,
    },
    {
      name: 'Valid because a .then handler reads the settled results',
      code: `
export function flushAll(queues: Queue[]) {
  setInterval(() => {
    Promise.allSettled(queues.map((queue) => queue.flush())).then((results) => report(results));
  }, 1000);
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a promise pool without handleError collects the failed writes into a result nobody reads (seen in a public backend: bigcapitalhq/bigcapital packages/server/src/modules/BankingMatching/events/DecrementUncategorizedTransactionsOnMatch.ts:39)',
      code: `
export class DecrementOnMatch {
  @OnEvent('bank.matched')
  async decrement({ ids, trx }: Payload) {
    const rows = await this.model().query().whereIn('id', ids);
    await PromisePool.withConcurrency(1)
      .for(rows)
      .process(async (row) => {
        await this.accountModel().query(trx).findById(row.accountId).decrement('uncategorized', 1);
      });
  }
}`,
      errors: [{ messageId: 'discardedSettledResults', line: 6, data: { task: 'DecrementOnMatch.decrement', call: 'PromisePool.process' } }],
    },
    {
      name: 'Invalid because allSettled never rejects: its .catch never runs and each failed write is lost (seen in a public backend: Swetrix/swetrix backend/apps/cloud/src/task-manager/task-manager.service.ts:1762)',
      code: `
export class TaskManagerService {
  @Cron('0 */2 * * *')
  async fixTrialEndDates() {
    const users = await this.userService.find({ where: { trialEndDate: IsNull() } });
    const promises = _map(users, async (user) => {
      await this.userService.update(user.id, { trialEndDate: addDays(user.created, 14) });
    });
    await Promise.allSettled(promises).catch((reason) => {
      this.logger.error(\`fixTrialEndDates failed: \${reason}\`);
    });
  }
}`,
      errors: [{ messageId: 'discardedSettledResults', line: 9, data: { task: 'TaskManagerService.fixTrialEndDates', call: 'Promise.allSettled' } }],
    },
    {
      name: 'Invalid because the settled results of a timer callback are dropped',
      code: `
export function startSync(accounts: Account[]) {
  setInterval(async () => {
    await Promise.allSettled(accounts.map((account) => syncAccount(account)));
  }, 60_000);
}`,
      errors: [{ messageId: 'discardedSettledResults', line: 4, data: { task: 'the setInterval callback', call: 'Promise.allSettled' } }],
    },
  ],
});
