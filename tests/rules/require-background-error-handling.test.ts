import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-background-error-handling.js';
import { ASSUME_UNSEEN_CALLS_REJECT, createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** Cases whose outcome is the same with and without type information (both modes run them). */
const cases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
    // Valid in recommended because a fallback catch and a log without the error were judged true 6 times
    // in 70 on held-out public backends (issue 13, round 11): strict options checkFallbackCatches and
    // checkLogsWithoutError report them (the invalid cases below).
    {
      name: 'Valid because the catch logs the failure with its path, only without the errno (seen in a public backend: advplyr/audiobookshelf server/managers/LogManager.js:124)',
      code: `
export function rotateLogs(file: string) {
  setImmediate(async () => {
    try {
      await fs.unlink(file);
    } catch (err) {
      Logger.error('[LogManager] Failed to unlink log file ' + file);
    }
  });
}`,
    },
    {
      name: 'Valid because the catch falls back to an empty progress list on a first start (seen in a public backend: bpatrik/pigallery2 src/backend/model/jobs/JobProgressManager.ts:47)',
      code: `
export class JobProgressManager {
  constructor() {
    this.loadDB().catch(console.error);
  }
  private async loadDB(): Promise<void> {
    try {
      await fsp.access(this.dbPath);
    } catch (e) {
      return;
    }
    this.progresses = JSON.parse(await fsp.readFile(this.dbPath, 'utf8'));
  }
}`,
    },
    {
      name: 'Valid because the catch records the failed item on the job document it reports (seen in a public backend: apostrophecms/apostrophe modules/@apostrophecms/job/index.js:186)',
      code: `
export function runBatch(job, ids, change) {
  setImmediate(async () => {
    for (const id of ids) {
      try {
        await change(id);
        await self.success(job);
      } catch (err) {
        await self.failure(job);
      }
    }
  });
}`,
    },
    // Valid because a log below failure level says the author expected this failure (issue 13, round 8)
    {
      name: 'Valid because the catch logs only at warn level: an expected failure (seen in a public backend: refly-ai/refly apps/api/src/modules/schedule/schedule.processor.ts:159)',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    this.logger.warn('sync failed for ' + id);
  }
}`,
    },
    {
      name: 'Valid because the catch logs only at debug level that an optional module is missing (seen in a public backend: docmost apps/server/src/core/attachment/processors/attachment.processor.ts:44)',
      code: `
export class AttachmentProcessor extends WorkerHost {
  async process(job: Job) {
    let eeModule: any;
    try {
      eeModule = require('./ee/attachment-ee.service');
    } catch (err) {
      this.logger.debug('Attachment enterprise module not bundled in this build');
      return;
    }
    await eeModule.index(job.data.id);
  }
}`,
    },
    // Valid because a recurring job runs again at its next tick and @nestjs/schedule logs the failed run with its stack (issue 13, round 8)
    {
      name: 'Valid because a @Cron cleanup that writes outside try/catch is logged by the scheduler and rerun at the next tick (seen in a public backend: toeverything/AFFiNE packages/backend/server/src/core/auth/service.ts:430)',
      code: `
export class CleanupService {
  @Cron('0 * * * *')
  async purge() {
    await this.sessions.deleteMany({ where: { expired: true } });
  }
}`,
    },
    // Valid because nothing retries the job: the logged failure is what the team sees either way (issue 13, round 6)
    {
      name: 'Valid because an Agenda job catch that logs costs no retry: Agenda does not retry (seen in a public backend: growthbook packages/back-end/src/jobs/updateHoldoutStatus.ts:212)',
      code: `
agenda.define('digest', async (job) => {
  try {
    await digests.send(job.attrs.data.userId);
  } catch (error) {
    logger.error({ error }, 'digest failed');
  }
});`,
    },
    {
      name: 'Valid because a BullMQ processor whose file configures no retries loses no retry by logging its failure',
      code: `
const worker = new Worker('emails', async (job) => {
  try {
    await mailer.send(job.data);
  } catch (error) {
    logger.error('email job failed', error);
  }
});`,
    },
    {
      name: 'Valid because a tRPC mutation body named startBackgroundRun throws its own errors to the caller and returns what the client gets; only its name said background (seen in a public backend: langfuse web/src/features/in-app-agent/server/backgroundRunService.ts:182)',
      code: `
export async function startBackgroundRun(params: StartRunParams) {
  const conversation = await ensureOwnedConversation(params);
  if (!params.model) {
    throw new BaseError('PreconditionFailedError', 412, 'Assistant model is not configured.', true);
  }
  const run = await createQueuedRun({ prisma: params.prisma, conversationId: conversation.id });
  await enqueueInAppAgentRun({ prisma: params.prisma, runId: run.id });
  return { conversationId: conversation.id, runId: run.id };
}`,
    },
    {
      name: 'Valid because the catch hands a value derived from the error (its message, or a fallback) to a call that prints it (seen in a public backend: NangoHQ/nango packages/cli/lib/zeroYaml/dev.ts:132)',
      code: `
export function watch(watcher: Watcher) {
  watcher.on('change', async (filePath: string) => {
    const spinner = createSpinner(filePath);
    try {
      await compileOne(filePath);
      spinner.succeed();
    } catch (err) {
      spinner.fail();
      bufferOrDisplayError(filePath, err instanceof Error ? err.message : 'Unknown error');
      failingFiles.add(filePath);
    }
  });
}`,
    },
    {
      name: "Valid because the catch passes 'failed: ' + error.message to a reporting call (seen in a public backend: the same derived-value shape as nango's CLI watcher)",
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (error) {
    notifyFailure(id, error.message || 'sync failed');
    display('sync failed: ' + error.message);
  }
}`,
    },
    {
      name: 'Valid because the catch logs error.message through an alias of the caught value: the failure and its cause are logged, only the stack is lost (seen in a public backend: vendure packages/job-queue-plugin/src/bullmq/job-list-index.service.ts:120)',
      code: `
export class JobListIndexService {
  onModuleInit() {
    void this.updateJobIndex('1', 'active');
  }
  private async updateJobIndex(jobId: string, state: string) {
    try {
      await this.redis.zadd(state, Date.now(), jobId);
    } catch (err: unknown) {
      const error = err as Error;
      Logger.error(\`Failed to update job index: \${error.message}\`, loggerCtx);
    }
  }
}`,
    },
    {
      name: 'Valid because the catch logs a message computed from the caught value (e instanceof Error ? e.message : String(e)) (seen in a public backend)',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const line = \`sync \${id} failed: \${reason}\`;
    logger.warn(line);
  }
}`,
    },
    {
      name: 'Valid because the catch logs err?.message, e.toString() and { error: err.message }: each is derived from the caught value (seen in a public backend)',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    logger.error({ error: err?.message, id }, 'sync failed');
  }
  try {
    await sync(id);
  } catch (e) {
    logger.error('sync failed: ' + e.toString());
  }
}`,
    },
    {
      name: 'Valid because a destructured catch parameter is the error too: catch ({ message }) (seen in a public backend)',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch ({ message }) {
    logger.error(\`sync \${id} failed: \${message}\`);
  }
}`,
    },
    {
      name: "Valid because an empty catch whose comment says why is intentional, ESLint no-empty's convention (seen in a public backend)",
      code: `
export async function backgroundWarm(id: string) {
  try {
    await cache.refresh(id);
  } catch {
    // the next read rebuilds the entry, so a failed refresh costs one slow request
  }
}`,
    },
    {
      name: 'Valid because the empty catch guards a best-effort analytics ping: the function is named track (seen in a public backend: postiz-app apps/backend/src/services/auth/auth.service.ts:213)',
      code: `
export class AuthService {
  async register(email: string, visitor: string) {
    this._track('register', email, visitor).catch(() => {});
  }
  private async _track(name: string, email: string, visitor: string) {
    if (email && visitor) {
      try {
        await fetch('https://example.test/api/v1/goals', { method: 'POST', body: JSON.stringify({ name, email, visitor }) });
      } catch (err) {}
    }
  }
}`,
    },
    {
      name: 'Valid because every statement of the try is a best-effort call by vocabulary (posthog.capture, analytics.track) (seen in a public backend)',
      code: `
export async function backgroundSignup(userId: string) {
  try {
    await posthog.capture({ distinctId: userId, event: 'signup' });
    await this.analytics.track('signup', { userId });
  } catch {}
}`,
    },
    {
      name: 'Valid because the awaited call is told not to throw ({ throwOnError: false }) (seen in medusa packages/modules/workflow-engine-inmemory/src/utils/workflow-orchestrator-storage.ts:195)',
      code: `
export class Storage {
  schedule(workflowId: string, ms: number) {
    setTimeout(async () => {
      await this.orchestrator.run(workflowId, { throwOnError: false });
    }, ms);
  }
}`,
    },
    {
      name: 'Valid because Promise.allSettled collects the rejections of the async map callbacks (seen in dokploy packages/server/src/utils/docker/utils.ts:399)',
      code: `
export const cleanupAllBackground = async (serverId?: string) => {
  Promise.allSettled(
    commands.map(async (command) => {
      await execAsync(command);
    }),
  ).then((results) => console.log(results.length));
};`,
    },
    {
      name: 'Valid because @nestjs/event-emitter catches and logs a listener error, and this listener writes nothing itself (seen in teable apps/nestjs-backend/src/event-emitter/listeners/attachment.listener.ts:17)',
      code: `
export class AttachmentListener {
  @OnEvent(Events.TABLE_RECORD_CREATE, { async: true })
  async recordCreateListener(event: RecordCreateEvent) {
    await this.attachmentsTableService.createRecords(event.userId, event.tableId, event.records);
  }
}`,
    },
    {
      name: 'Valid because @nestjs/schedule catches and logs a cron error (seen in ghostfolio apps/api/src/services/cron/cron.service.ts:33)',
      code: `
export class CronService {
  @Cron(CronExpression.EVERY_HOUR)
  async runEveryHour() {
    await this.dataGatheringService.gather7Days();
  }
}`,
    },
    {
      name: 'Valid because a @MessagePattern handler answers its caller through the exception filters: request/reply, not background work (seen in a public NestJS microservice)',
      code: `
export class UsersController {
  @MessagePattern({ cmd: 'get_user' })
  async getUser(id: string) {
    return await this.usersRepository.update(id, { seenAt: new Date() });
  }
}`,
    },
    {
      name: 'Valid because every call hands the promise to waitUntil, which logs its rejection as a .catch(log) would (seen in a public backend: dub apps/web/lib/discounts/delete-discount-code.ts:130)',
      code: `
import { waitUntil } from '@vercel/functions';
export async function deleteDiscountCode(id: string) {
  const code = await prisma.discountCode.delete({ where: { id } });
  waitUntil(sendDeletedWebhooks([code]));
  return code;
}
async function sendDeletedWebhooks(codes: { id: string }[]) {
  const workspace = await prisma.workspace.findUniqueOrThrow({ where: { id: codes[0].id } });
  await sendWorkspaceWebhook({ workspace, trigger: 'discount.deleted', data: codes });
}`,
    },
    {
      name: 'Valid because the helper is exported: other modules may await it, and the call that drops it is no-floating-background-task\'s (seen in a public backend: dailydotdev/daily-api src/common/contentPreference.ts:83)',
      code: `
export const cleanNotificationPreference = async ({ entityManager, userId }: Args) => {
  await entityManager.getRepository(NotificationPreference).delete({ userId });
};
export async function unfollow(entityManager: EntityManager, userId: string) {
  await entityManager.getRepository(ContentPreference).delete({ userId });
  cleanNotificationPreference({ entityManager, userId });
}`,
    },
    {
      name: 'Valid because an awaited waitUntil(async () => ...) polling helper runs inside its caller (seen in karakeep packages/e2e_tests, tools/seed-snapshot/src/index.ts:198)',
      code: `
export async function seed() {
  await waitUntil(async () => {
    const res = await client.health();
    return res.ok;
  }, 'server is up');
}`,
    },
    {
      name: 'Valid because test code has no job and no production log (seen in karakeep packages/plugins/queue-restate/src/tests/semaphore.test.ts)',
      filename: '/repo/src/tests/semaphore.test.ts',
      code: `
export function run() {
  setTimeout(async () => { await queue.drain(); }, 10);
}`,
    },
    {
      name: 'Valid because browser code has no job status or server log (seen in hoppscotch-common src/helpers/teams/TeamCollectionAdapter.ts:305)',
      code: `
export class Adapter {
  constructor() { void this.initialize(); }
  private async initialize() { this.collections = await runGQLQuery(window.location.href); }
}`,
    },
    {
      name: 'Valid because a helper that triggers a background job is awaited by its caller, not background work itself (seen in karakeep packages/trpc/models/backups.ts:65)',
      code: `
export class Backup {
  async triggerBackgroundJob() {
    await BackupQueue.enqueue({ backupId: this.id });
  }
}`,
    },
    {
      name: 'Valid because an awaited chain with its own .catch(handler) cannot reject (seen in medusajs/medusa)',
      code: `
export function waitForEvent(eventBus: EventBus, eventName: string) {
  return new Promise((ok, nok) => {
    eventBus.subscribe(eventName, async (...args) => {
      return await listener.apply(eventBus, args).then(ok).catch(nok);
    });
    setTimeout(async () => {
      await eventBus.flush().catch((error) => logger.error('flush failed', error));
    }, 10);
  });
}`,
    },
    {
      name: "Valid because a script's top-level bootstrap() is the process itself, not background work (seen in ghostfolio/ghostfolio)",
      code: `
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  let levels;
  try {
    levels = JSON.parse(process.env.LOG_LEVELS);
  } catch {}
  await app.listen(3000);
}

bootstrap();`,
    },
    {
      name: 'Valid because the work is in a try/catch that logs the error and updates the status',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    logger.error(\`sync \${id} failed\`, err);
    await setStatus(id, 'failed');
  }
}`,
    },
    {
      name: 'Valid because a catch that rethrows is not silent',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    throw new SyncError(id, { cause: err });
  }
}`,
    },
    {
      name: 'Valid because a request function needs no try/catch',
      code: `
export async function handler(req: Request) {
  await sync(req.params.id);
}`,
    },
    {
      name: 'Valid because a BullMQ Worker records the failure and the callback sets no status',
      code: `
new Worker('mail', async (job) => {
  await send(job.data);
});`,
    },
    {
      name: 'Valid because a WorkerHost.process that sets no status is recorded by BullMQ',
      code: `
@Processor('mail')
class MailProcessor extends WorkerHost {
  async process(job: Job) {
    await this.mailer.send(job.data);
  }
}`,
    },
    {
      name: 'Valid because a catch that hands the error to a reporter is not silent',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    Sentry.captureException(err);
  }
}`,
    },
    {
      name: 'Valid because a catch that only updates the failed status is not silent',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch {
    await repo.update(id, { status: 'failed' });
  }
}`,
    },
    {
      name: 'Valid because every call site attaches a rejection handler',
      code: `
class Indexer {
  save(id: string) {
    this.reindex(id).catch((err) => logger.error(\`reindex \${id}\`, err));
  }
  private async reindex(id: string) {
    await index.put(id);
  }
}`,
    },
    {
      name: 'Valid because setup awaited before the covered work is accepted',
      code: `
export async function backgroundCharge(id: string) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('select charge($1)', [id]);
  } catch (err) {
    logger.error(\`charge \${id} failed\`, err);
  } finally {
    await runner.release();
  }
}`,
    },
    {
      name: 'Valid because a background function that awaits nothing cannot reject',
      code: `
setImmediate(() => {
  counter.increment();
});`,
    },
    {
      name: 'Valid because a catch in request code is not judged',
      code: `
export async function handler(id: string) {
  try {
    await sync(id);
  } catch {}
}`,
    },
    {
      name: 'Valid because logging the error object without an id is enough context for this rule',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    logger.error(err);
  }
}`,
    },
    {
      name: 'Valid because an inline scope callback is covered by the try/catch around its call',
      code: `
export async function backgroundSync(id: string) {
  try {
    await dataSource.transaction(async (m) => {
      await m.update(Job, id, { synced: true });
    });
  } catch (err) {
    logger.error(\`sync \${id} failed\`, err);
  }
}`,
    },
    {
      name: 'Valid because console.error with the error counts as error logging',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    console.error('sync failed', id, err);
  }
}`,
    },
    // Jobs that swallow their failure (SPEC 3.1): near misses.
    {
      name: 'Valid because the BullMQ processor logs and rethrows, so the job is retried and then failed (seen in a public backend)',
      code: `
const worker = new Worker('emails', async (job) => {
  try {
    await mailer.send(job.data);
  } catch (error) {
    logger.error('email job failed', { id: job.id, error });
    throw error;
  }
});`,
    },
    {
      name: 'Valid because a per-item catch inside a loop keeps a batch job going on purpose (seen in a public backend)',
      code: `
@Processor('sync')
export class SyncProcessor extends WorkerHost {
  async process(job: Job<{ ids: string[] }>) {
    for (const id of job.data.ids) {
      try {
        await this.sync.one(id);
      } catch (error) {
        this.logger.warn(\`sync of \${id} failed\`, error);
      }
    }
  }
}`,
    },
    {
      name: 'Valid because the processor catch records a failed status through a fresh call (Prisma)',
      code: `
@Processor('imports')
export class ImportProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.importer.run(job.data.id);
    } catch (error) {
      this.logger.error('import failed', error);
      await this.prisma.import.update({ where: { id: job.data.id }, data: { status: 'failed' } });
    }
  }
}`,
    },
    {
      name: 'Valid because the catch around an optional step is followed by the real work (seen in a public backend)',
      code: `
queue.process(async (job) => {
  try {
    await cache.invalidate(job.data.key);
  } catch (error) {
    logger.warn('cache invalidation failed', error);
  }
  await indexer.reindex(job.data.id);
});`,
    },
    {
      name: 'Valid because the catch hands the error to job.moveToFailed, which fails the job',
      code: `
const worker = new Worker('reports', async (job, token) => {
  try {
    await reports.build(job.data);
  } catch (error) {
    logger.error('report failed', error);
    await job.moveToFailed(error as Error, token!);
  }
});`,
    },
    {
      name: 'Valid because the Agenda job returns a result that carries the failure',
      code: `
agenda.define('cleanup', async (job) => {
  try {
    await cleanup.run(job.attrs.data);
  } catch (error) {
    logger.error('cleanup failed', error);
    return { ok: false };
  }
});`,
    },
    {
      name: 'Valid because an @OnEvent handler is not a queue job: the framework has no failed state to reach',
      code: `
class Listener {
  @OnEvent('user.created')
  async onCreated(event: UserCreated) {
    try {
      await this.mail.welcome(event.userId);
    } catch (error) {
      this.logger.error('welcome mail failed', error);
    }
  }
}`,
    },
    {
      name: 'Valid because the failure write has a .catch that logs its own error',
      code: `
const worker = new Worker('exports', async (job) => {
  try {
    await exporter.run(job.data.id);
  } catch (error) {
    await markAsFailed(job.data.id).catch((writeError) => logger.error('could not record failure', writeError));
    throw error;
  }
});`,
    },
    {
      name: 'Valid because .catch(() => null) on a read that records nothing is not a failure write (seen in a public backend)',
      code: `
const worker = new Worker('thumbs', async (job) => {
  const previous = await storage.head(job.data.key).catch(() => null);
  await thumbnails.render(job.data.key, previous);
});`,
    },
    {
      name: 'Valid because .catch(() => null) on a status write outside any catch records no failure (seen in a public backend)',
      code: `
class JobProvider {
  async processJob(job: Job) {
    await prisma.backgroundJob.update({ where: { id: job.id }, data: { status: Status.PROCESSING } }).catch(() => null);
    await this.run(job);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a helper of this module only, dropped by its one caller, keeps the report (near miss of the exported daily-api helper)',
      code: `
const cleanNotificationPreference = async ({ entityManager, userId }: Args) => {
  await entityManager.getRepository(NotificationPreference).delete({ userId });
};
export async function unfollow(entityManager: EntityManager, userId: string) {
  await entityManager.getRepository(ContentPreference).delete({ userId });
  cleanNotificationPreference({ entityManager, userId });
}`,
      errors: [{ messageId: 'missingTryCatch', line: 2 }],
    },
    {
      name: 'Invalid because a tracker that only keeps the promise (tasks.add) hears no rejection, unlike waitUntil',
      code: `
export class Mailer {
  private readonly tasks = new Set<Promise<void>>();
  send(id: string) {
    this.tasks.add(this.deliver(id));
  }
  private async deliver(id: string) {
    await this.smtp.send(id);
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 7, data: { task: 'Mailer.deliver', line: '8' } }],
    },
    {
      name: 'Invalid because the log has no reference to the caught value at all, not even through an alias',
      options: [{ checkLogsWithoutError: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    const error = new Error('sync failed');
    logger.error(error.message);
  }
}`,
      errors: [{
        messageId: 'logWithoutError', line: 5, data: { task: 'backgroundSync', error: 'err' },
        suggestions: [
          {
            messageId: 'passError',
            data: { error: 'err', log: 'logger.error' },
            output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    const error = new Error('sync failed');
    logger.error(error.message, err);
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because the catch only tests the error (instanceof) and passes a constant: the failure itself is lost (near miss of the nango CLI watcher)',
      options: [{ checkFallbackCatches: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    markDone(id, err instanceof TimeoutError);
  }
}`,
      errors: [{
        messageId: 'silentCatch', line: 5, data: { task: 'backgroundSync' },
        suggestions: [
          {
            messageId: 'addLogging',
            data: { logger: 'console' },
            output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    console.error(\`backgroundSync failed\`, err);
    markDone(id, err instanceof TimeoutError);
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because a TODO comment or commented-out code in an empty catch is no reason: the failure is lost',
      options: [{ checkEmptyCatches: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    // TODO handle this properly later on
    // logger.error(e);
  }
}`,
      errors: [{
        messageId: 'silentCatch', line: 5, data: { task: 'backgroundSync' },
        suggestions: [
          {
            messageId: 'addLogging',
            data: { logger: 'console' },
            output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    console.error(\`backgroundSync failed\`, e);
    // TODO handle this properly later on
    // logger.error(e);
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because an empty catch around a workflow start is not best-effort work: the post is never published and nobody knows why (seen in postiz-app libraries/nestjs-libraries/src/database/prisma/posts/posts.service.ts:752)',
      options: [{ checkEmptyCatches: true }],
      code: `
export class PostsService {
  async changeState(postId: string) {
    this.startWorkflow(postId).catch(() => {});
  }
  private async startWorkflow(postId: string) {
    try {
      await this.temporal.client.workflow.start('postWorkflow', { workflowId: postId });
    } catch (err) {}
  }
}`,
      errors: [{
        messageId: 'silentCatch', line: 9, data: { task: 'PostsService.startWorkflow' },
        suggestions: [
          {
            messageId: 'addLogging',
            data: { logger: 'console' },
            output: `
export class PostsService {
  async changeState(postId: string) {
    this.startWorkflow(postId).catch(() => {});
  }
  private async startWorkflow(postId: string) {
    try {
      await this.temporal.client.workflow.start('postWorkflow', { workflowId: postId });
    } catch (err) {
      console.error(\`PostsService.startWorkflow failed\`, err);
    }
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because an @OnEvent listener that sets a status must record the failure itself: the framework only logs',
      code: `
export class ImportListener {
  @OnEvent('import.requested', { async: true })
  async onImport(event: { id: string }) {
    await this.imports.update(event.id, { status: 'processing' });
    await this.importer.run(event.id);
    await this.imports.update(event.id, { status: 'completed' });
  }
}`,
      errors: [{ messageId: 'unrecordedStatus', line: 4, column: 9, data: { task: 'ImportListener.onImport', line: '6' } }],
    },
    {
      name: 'Invalid because a @Cron job that writes outside try/catch loses which work failed: @nestjs/schedule logs only the bare error (strict: checkRecurringJobs)',
      options: [{ checkRecurringJobs: true }],
      code: `
export class CleanupService {
  @Cron('0 * * * *')
  async purge() {
    await this.sessions.deleteMany({ where: { expired: true } });
  }
}`,
      errors: [{ messageId: 'writeOutsideTry', line: 4, column: 9, data: { task: 'CleanupService.purge', line: '5', framework: '@Cron' } }],
    },
    {
      name: 'Invalid because a silent catch after an in-progress status is reported here, not by require-status-updates',
      code: `
async function backgroundResize(imageId: string) {
  try {
    await service.updateStatus(imageId, 'processing');
    await service.resize(imageId);
    await service.updateStatus(imageId, 'done');
  } catch (err) {
    // ignore
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 7,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
async function backgroundResize(imageId: string) {
  try {
    await service.updateStatus(imageId, 'processing');
    await service.resize(imageId);
    await service.updateStatus(imageId, 'done');
  } catch (err) {
    console.error(\`backgroundResize failed\`, err);
    // ignore
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because an @OnEvent handler writes with Prisma outside try/catch: the framework logs only the bare error (error-handling-onevent example)',
      code: `
class SignupListener {
  @OnEvent('user.signed-up', { async: true })
  async createWorkspace(event: { userId: string }) {
    await this.prisma.workspace.create({ data: { ownerId: event.userId } });
  }
}`,
      errors: [
        { messageId: 'writeOutsideTry', line: 4, column: 9, data: { task: 'SignupListener.createWorkspace', line: '5', framework: '@OnEvent' } },
      ],
    },
    {
      name: 'Invalid because an empty catch swallows the error; the suggestion logs it through this.logger',
      options: [{ checkEmptyCatches: true }],
      code: `
class SignupListener {
  private readonly logger = new Logger('x');
  @OnEvent('user.deleted', { async: true })
  async removeWorkspace(event: { userId: string }) {
    try {
      await this.prisma.workspace.deleteMany({ where: { ownerId: event.userId } });
    } catch (err) {}
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 8,
          column: 7,
          data: { task: 'SignupListener.removeWorkspace', logger: 'this.logger', error: 'err' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'this.logger' },
              output: `
class SignupListener {
  private readonly logger = new Logger('x');
  @OnEvent('user.deleted', { async: true })
  async removeWorkspace(event: { userId: string }) {
    try {
      await this.prisma.workspace.deleteMany({ where: { ownerId: event.userId } });
    } catch (err) {
      this.logger.error(\`SignupListener.removeWorkspace failed\`, err);
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because an empty catch without binding gets one in the suggestion (module logger)',
      options: [{ checkEmptyCatches: true }],
      code: `
import { logger } from './logger';
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch {}
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          data: { task: 'backgroundSync', logger: 'logger', error: 'error' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'logger' },
              output: `
import { logger } from './logger';
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (error) {
    logger.error(\`backgroundSync failed\`, error);
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a comment-only catch is silent (no logger in the file: console)',
      options: [{ checkEmptyCatches: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    // ignore
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 5,
          data: { task: 'backgroundSync', logger: 'console', error: 'e' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    console.error(\`backgroundSync failed\`, e);
    // ignore
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a catch that returns a default neither logs, rethrows nor updates status',
      options: [{ checkFallbackCatches: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    return null;
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 5,
          data: { task: 'backgroundSync', logger: 'console', error: 'e' },
          // The log goes first: the statements already in the catch stay as they are.
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    console.error(\`backgroundSync failed\`, e);
    return null;
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the catch logs without the error object',
      options: [{ checkLogsWithoutError: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    logger.error(\`sync \${id} failed\`);
  }
}`,
      errors: [{
        messageId: 'logWithoutError', line: 5, data: { task: 'backgroundSync', error: 'e' },
        suggestions: [
          {
            messageId: 'passError',
            data: { error: 'e', log: 'logger.error' },
            output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    logger.error(\`sync \${id} failed\`, e);
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because a setImmediate callback awaits knex work without try/catch',
      code: `
export function queueMail() {
  setImmediate(async () => {
    await knex('emails').insert({ to: 'a' });
  });
}`,
      errors: [{ messageId: 'missingTryCatch', line: 3, data: { task: 'the setImmediate callback', line: '4' } }],
    },
    {
      name: 'Invalid because a WorkerHost.process that sets a status itself must catch to record the failure',
      code: `
@Processor('mail')
class MailProcessor extends WorkerHost {
  async process(job: Job) {
    await this.repo.update(job.data.id, { status: 'processing' });
    await this.mailer.send(job.data);
    await this.repo.update(job.data.id, { status: 'sent' });
  }
}`,
      errors: [{ messageId: 'unrecordedStatus', line: 4, data: { task: 'MailProcessor.process', line: '6' } }],
    },
    {
      name: 'Invalid because, assuming unseen calls reject (strict), a function named as background work that returns nothing to a caller is still a background task (near miss of the langfuse tRPC mutations)',
      settings: ASSUME_UNSEEN_CALLS_REJECT,
      code: `
export async function refreshInBackground(id: string) {
  const conversation = await loadConversation(id);
  await recomputeTitle(conversation);
}`,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'refreshInBackground', line: '3' } }],
    },
    {
      name: 'Invalid because try/finally without catch does not handle the failure',
      code: `
export async function backgroundCharge(id: string) {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('select charge($1)', [id]);
  } finally {
    await runner.release();
  }
}
export function onPaid(id: string) {
  void backgroundCharge(id);
}`,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'backgroundCharge', line: '5' } }],
    },
    {
      name: 'Invalid because a detached async forEach callback inside a task has no try/catch',
      code: `
export async function syncAllInBackground(ids: string[]) {
  try {
    ids.forEach(async (id) => {
      await sync(id);
    });
  } catch (err) {
    logger.error('sync all failed', err);
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 4, column: 17, data: { task: 'the ids.forEach callback', line: '5' } }],
    },
    {
      name: 'Invalid because a warn log that names the work but not the error object loses its message and stack (strict: checkAllLogLevels)',
      options: [{ checkAllLogLevels: true }],
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    this.logger.warn('sync failed for ' + id);
  }
}`,
      errors: [{
        messageId: 'logWithoutError', line: 5, data: { task: 'backgroundSync', error: 'err' },
        suggestions: [
          {
            messageId: 'passError',
            data: { error: 'err', log: 'this.logger.warn' },
            output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    this.logger.warn('sync failed for ' + id, err);
  }
}`,
          },
        ],
      }],
    },
    // Jobs that swallow their failure (SPEC 3.1), one case per job framework.
    // Invalid because the file gives its jobs retries (attempts: 3): the swallowed failure costs them
    {
      name: 'Invalid because the BullMQ processor swallows the failure of a job the same file enqueues with retries',
      code: `
export async function enqueueEmail(data: EmailData) {
  await emailQueue.add('send', data, { attempts: 3, backoff: { type: 'exponential', delay: 1000 } });
}
const worker = new Worker('emails', async (job) => {
  try {
    await mailer.send(job.data);
  } catch (error) {
    logger.error('email job failed', error);
  }
});`,
      errors: [
        {
          messageId: 'swallowedJobFailure',
          line: 8,
          data: { task: 'the new Worker callback', error: 'error' },
          suggestions: [
            {
              messageId: 'rethrowAfterLogging',
              data: { error: 'error' },
              output: `
export async function enqueueEmail(data: EmailData) {
  await emailQueue.add('send', data, { attempts: 3, backoff: { type: 'exponential', delay: 1000 } });
}
const worker = new Worker('emails', async (job) => {
  try {
    await mailer.send(job.data);
  } catch (error) {
    logger.error('email job failed', error);
    throw error;
  }
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the BullMQ processor logs and returns, so the queue marks the failed job completed',
      // No retry is configured in this file: option assumeJobsRetry reports it anyway.
      options: [{ assumeJobsRetry: true }],
      code: `
const worker = new Worker('emails', async (job) => {
  try {
    await mailer.send(job.data);
  } catch (error) {
    logger.error('email job failed', error);
  }
});`,
      errors: [
        {
          messageId: 'swallowedJobFailure',
          line: 5,
          data: { task: 'the new Worker callback', error: 'error' },
          suggestions: [
            {
              messageId: 'rethrowAfterLogging',
              data: { error: 'error' },
              output: `
const worker = new Worker('emails', async (job) => {
  try {
    await mailer.send(job.data);
  } catch (error) {
    logger.error('email job failed', error);
    throw error;
  }
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the @nestjs/bullmq WorkerHost.process catch only logs (seen in a public backend)',
      // No retry is configured in this file: option assumeJobsRetry reports it anyway.
      options: [{ assumeJobsRetry: true }],
      code: `
@Processor('imports')
export class ImportProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.importer.run(job.data.id);
    } catch (err) {
      this.logger.error(\`import \${job.data.id} failed\`, err);
    }
  }
}`,
      errors: [
        {
          messageId: 'swallowedJobFailure',
          line: 7,
          suggestions: [
            {
              messageId: 'rethrowAfterLogging',
              data: { error: 'err' },
              output: `
@Processor('imports')
export class ImportProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.importer.run(job.data.id);
    } catch (err) {
      this.logger.error(\`import \${job.data.id} failed\`, err);
      throw err;
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the Bull @Process handler logs the failure and the job completes',
      // No retry is configured in this file: option assumeJobsRetry reports it anyway.
      options: [{ assumeJobsRetry: true }],
      code: `
@Processor('mail')
export class MailProcessor {
  @Process('send')
  async send(job: Job) {
    try {
      await this.mailer.send(job.data);
    } catch (error) {
      this.logger.error('send failed', error);
      return;
    }
  }
}`,
      errors: [{ messageId: 'swallowedJobFailure', line: 8, suggestions: [] }],
    },
    {
      name: 'Invalid because the pg-boss worker catch logs and swallows, so pg-boss never retries',
      // No retry is configured in this file: option assumeJobsRetry reports it anyway.
      options: [{ assumeJobsRetry: true }],
      code: `
await boss.work('reindex', async ([job]) => {
  try {
    await search.reindex(job.data.id);
  } catch (e) {
    console.error('reindex failed', e);
  }
});`,
      errors: [
        {
          messageId: 'swallowedJobFailure',
          line: 5,
          suggestions: [
            {
              messageId: 'rethrowAfterLogging',
              data: { error: 'e' },
              output: `
await boss.work('reindex', async ([job]) => {
  try {
    await search.reindex(job.data.id);
  } catch (e) {
    console.error('reindex failed', e);
    throw e;
  }
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the Agenda job catch logs and the job is saved as succeeded',
      // No retry is configured in this file: option assumeJobsRetry reports it anyway.
      options: [{ assumeJobsRetry: true }],
      code: `
agenda.define('digest', async (job) => {
  try {
    await digests.send(job.attrs.data.userId);
  } catch (error) {
    logger.error({ error }, 'digest failed');
  }
});`,
      errors: [
        {
          messageId: 'swallowedJobFailure',
          line: 5,
          suggestions: [
            {
              messageId: 'rethrowAfterLogging',
              data: { error: 'error' },
              output: `
agenda.define('digest', async (job) => {
  try {
    await digests.send(job.attrs.data.userId);
  } catch (error) {
    logger.error({ error }, 'digest failed');
    throw error;
  }
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because .catch(() => null) on the failed-status write loses the failure record (Prisma)',
      code: `
@Processor('renders')
export class RenderProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.renderer.render(job.data.id);
    } catch (error) {
      await this.setStatus(job.data.id, 'failed').catch(() => null);
      throw error;
    }
  }
}`,
      errors: [
        {
          messageId: 'droppedFailureWrite',
          line: 8,
          data: {
            write: 'this.setStatus()',
            handler: '.catch(() => null)',
            effect: "discards the write's error, so a failed write leaves no failed status and no log",
          },
          suggestions: [
            {
              messageId: 'logFailureWriteError',
              data: { write: 'this.setStatus()' },
              output: `
@Processor('renders')
export class RenderProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.renderer.render(job.data.id);
    } catch (error) {
      await this.setStatus(job.data.id, 'failed').catch((writeError) => console.error('this.setStatus() failed', writeError));
      throw error;
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a bare .catch() on the onFailed hook handles nothing (seen in a public backend)',
      code: `
queue.process(async (job) => {
  const task = new TaskClass();
  try {
    return await task.perform(job.data);
  } catch (err) {
    await task.onFailed(job.data).catch(); // meant to suppress errors from onFailed
    logger.error('task failed', err);
    throw err;
  }
});`,
      errors: [
        {
          messageId: 'droppedFailureWrite',
          line: 7,
          data: {
            write: 'task.onFailed()',
            handler: '.catch()',
            effect: 'has no handler, so it handles nothing: a failed write still rejects and replaces the original error',
          },
          suggestions: [
            {
              messageId: 'logFailureWriteError',
              data: { write: 'task.onFailed()' },
              output: `
queue.process(async (job) => {
  const task = new TaskClass();
  try {
    return await task.perform(job.data);
  } catch (err) {
    await task.onFailed(job.data).catch((writeError) => console.error('task.onFailed() failed', writeError)); // meant to suppress errors from onFailed
    logger.error('task failed', err);
    throw err;
  }
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the conditional failed/pending status write in a catch swallows its own error (seen in a public backend)',
      code: `
class JobProvider {
  async processJob(job: Job) {
    try {
      await this.run(job);
    } catch (error) {
      await prisma.backgroundJob
        .update({ where: { id: job.id }, data: { status: isFinalAttempt(job) ? Status.FAILED : Status.PENDING } })
        .catch(() => null);
      throw error;
    }
  }
}`,
      errors: [
        {
          messageId: 'droppedFailureWrite',
          line: 9,
          data: {
            write: 'prisma.backgroundJob.update()',
            handler: '.catch(() => null)',
            effect: "discards the write's error, so a failed write leaves no failed status and no log",
          },
          suggestions: [
            {
              messageId: 'logFailureWriteError',
              data: { write: 'prisma.backgroundJob.update()' },
              output: `
class JobProvider {
  async processJob(job: Job) {
    try {
      await this.run(job);
    } catch (error) {
      await prisma.backgroundJob
        .update({ where: { id: job.id }, data: { status: isFinalAttempt(job) ? Status.FAILED : Status.PENDING } })
        .catch((writeError) => console.error('prisma.backgroundJob.update() failed', writeError));
      throw error;
    }
  }
}`,
            },
          ],
        },
      ],
    },
  ],
};

type Changed = { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] };

/** Awaited callees in another file that catch everything themselves: type information clears the report. */
const typeAwareClears: Changed[] = [
  {
    syntacticName: 'Invalid because, assuming unseen calls reject (strict), an awaited function from another file may reject',
    typedName: 'Valid because (type-aware) safeReindexAll, in another file, catches everything itself',
    code: `
import { safeReindexAll } from './tasks';
export async function reindexInBackground() {
  await safeReindexAll();
}`,
    errors: [{ messageId: 'missingTryCatch', line: 3, data: { task: 'reindexInBackground', line: '4' } }],
  },
  {
    syntacticName: "Invalid because, assuming unseen calls reject (strict), an injected service's awaited method may reject",
    typedName: 'Valid because (type-aware) IndexService.safeReindex, in another file, catches everything itself',
    code: `
import { IndexService } from './tasks';
export class Reindexer {
  constructor(private readonly index: IndexService) {}
  async reindexInBackground(id: string) {
    await this.index.safeReindex(id);
  }
}`,
    errors: [{ messageId: 'missingTryCatch', line: 5, data: { task: 'Reindexer.reindexInBackground', line: '6' } }],
  },
];

/** The strict catch checks: a fallback catch and a log without the error (issue 13, round 11). */
const CATCH_QUALITY: Options = [{ checkFallbackCatches: true, checkLogsWithoutError: true }];

/** Loggers known by their type: the catch logs, so the report becomes the exact one. */
const typeAwareChanges: { name: string; syntacticErrors: Invalid['errors']; typedErrors: Invalid['errors']; code: string }[] = [
  {
    name: 'Invalid because the catch logs through this.audit (a pino Logger) without the error',
    code: `
import type * as pino from 'pino';
export class Sync {
  constructor(private readonly audit: pino.Logger) {}
  async syncInBackground(id: string) {
    try {
      await remote.sync(id);
    } catch (error) {
      this.audit.error('sync failed');
    }
  }
}`,
    syntacticErrors: [
      {
        messageId: 'silentCatch',
        line: 8,
        data: { task: 'Sync.syncInBackground', logger: 'console', error: 'error' },
        suggestions: [{ messageId: 'addLogging', data: { logger: 'console' }, output: `
import type * as pino from 'pino';
export class Sync {
  constructor(private readonly audit: pino.Logger) {}
  async syncInBackground(id: string) {
    try {
      await remote.sync(id);
    } catch (error) {
      console.error(\`Sync.syncInBackground failed\`, error);
      this.audit.error('sync failed');
    }
  }
}` }],
      },
    ],
    typedErrors: [
      {
        messageId: 'logWithoutError',
        line: 8,
        data: { task: 'Sync.syncInBackground', error: 'error' },
        suggestions: [{ messageId: 'passError', data: { error: 'error', log: 'this.audit.error' }, output: `
import type * as pino from 'pino';
export class Sync {
  constructor(private readonly audit: pino.Logger) {}
  async syncInBackground(id: string) {
    try {
      await remote.sync(id);
    } catch (error) {
      this.audit.error('sync failed', error);
    }
  }
}` }],
      },
    ],
  },
];

/** Same outcome in both modes. */
const typedValid: Valid[] = [
  {
    name: 'Valid because a name alone shows no caller that drops the promise (seen in a public backend: inbox-zero apps/web/utils/logger-flush.ts:26 runWithBackgroundLoggerFlush, formbricks packages/jobs/src/contracts.ts:34)',
    code: `
export async function runWithBackgroundLoggerFlush(work: () => Promise<void>) {
  await work();
  await flushLogs();
}`,
  },
  {
    name: 'Valid because the dropped function only awaits an imported helper this file does not show (seen in a public backend: openstatus apps/workflows/src/lib/sentry.ts:32)',
    code: `
import { captureToSentry } from './sentry-client';
async function report(message: string) {
  await captureToSentry(message);
}
export function onFailure(message: string) {
  void report(message);
}`,
  },
  {
    name: 'Valid because Next.js catches and logs what an after() callback throws (seen in a public backend: inbox-zero apps/web/utils/actions/user.ts:211)',
    code: `
import { after } from 'next/server';
export async function deleteAccount(userId: string) {
  after(async () => {
    await fetch('https://api.example.com/users/' + userId, { method: 'DELETE' });
  });
  return { ok: true };
}`,
  },
  {
    name: 'Valid because the catch logs the error through a NestJS Logger named events',
    code: `
import { Logger } from '@nestjs/common';
const events = new Logger('sync');
export async function syncInBackground(id: string) {
  try {
    await remote.sync(id);
  } catch (error) {
    events.error('sync failed', error);
  }
}`,
  },
];

const typedInvalid: Invalid[] = [
  {
    name: 'Invalid because rethrowingReindex, in another file, rethrows, so awaiting it outside a try/catch is unhandled',
    code: `
import { rethrowingReindex } from './tasks';
export async function reindexInBackground() {
  await rethrowingReindex();
}
export function onChanged() {
  void reindexInBackground();
}`,
    errors: [{ messageId: 'missingTryCatch', line: 3, data: { task: 'reindexInBackground', line: '4' } }],
  },
];

createRuleTester().run('require-background-error-handling (syntactic)', rule, {
  valid: [...cases.valid, ...typedValid],
  invalid: [
    ...cases.invalid,
    // Without type information the imported callee is unseen: only the strict configs assume it rejects.
    ...typedInvalid.map((c) => ({ ...c, settings: ASSUME_UNSEEN_CALLS_REJECT })),
    ...typeAwareClears.map(({ syntacticName, code, errors }) => ({ name: syntacticName, code, errors, settings: ASSUME_UNSEEN_CALLS_REJECT })),
    ...typeAwareChanges.map(({ name, code, syntacticErrors }) => ({ name: `${name} (syntactic: a swallowed error)`, code, options: CATCH_QUALITY, errors: syntacticErrors })),
  ],
});

createTypedRuleTester().run('require-background-error-handling (type-aware)', rule, {
  // Cases with their own file name lie outside the typed fixture project.
  valid: [...cases.valid.filter((c) => typeof c === 'string' || c.filename === undefined), ...typedValid, ...typeAwareClears.map(({ typedName, code }) => ({ name: typedName, code }))],
  invalid: [
    ...cases.invalid,
    ...typedInvalid,
    ...typeAwareChanges.map(({ name, code, typedErrors }) => ({ name: `${name} (type-aware: a log without the error)`, code, options: CATCH_QUALITY, errors: typedErrors })),
  ],
});
