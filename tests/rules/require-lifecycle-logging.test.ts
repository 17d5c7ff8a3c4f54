import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-lifecycle-logging.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** Cases whose outcome is the same with and without type information (both modes run them). */
const cases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
    {
      name: 'Valid because a queue processor with no status of its own is per-event work: its start and end lines would be noise (seen in a public backend: usertour apps/server/src/analytics processors)',
      code: `
@Processor('webhooks')
export class WebhookProcessor extends WorkerHost {
  async process(job: Job<WebhookDelivery>) {
    await this.http.post(job.data.url, job.data.payload);
    await this.prisma.webhookAttempt.create({ data: { deliveryId: job.data.id } });
  }
}`,
    },
    {
      name: 'Valid because a job declared by its name that sets no status is not asked (seen in a public backend: mirlo processProfileBackground, a profile background image)',
      code: `
export async function processProfileBackground(userId: string, file: Upload) {
  await storage.put(\`backgrounds/\${userId}\`, file);
  await prisma.user.update({ where: { id: userId }, data: { background: file.name } });
}`,
    },
    {
      name: 'Valid because a scheduled job that logs its start is not silent: a missing completion line alone is reported only with requireBothLogs',
      code: `
export class CleanupService {
  @Cron('0 3 * * *')
  async purgeExpiredSessions() {
    this.logger.log('purging expired sessions');
    await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}`,
    },
    {
      name: 'Valid because the cron callback logs done and the same-file exec it awaits through a tracing wrapper logs Starting (seen in a public backend: NangoHQ/nango packages/server/lib/crons/deleteOldData.ts:59, crons/trial.ts:37)',
      code: `
import * as cron from 'node-cron';
export function deleteOldData(): void {
  cron.schedule('*/5 * * * *', async () => {
    const start = Date.now();
    try {
      await tracer.trace('nango.server.cron.deleteOldData', async () => {
        await exec();
      });
      logger.info('done');
    } catch (err) {
      report(new Error('cron_failed_to_hard_delete_old_data', { cause: err }));
    }
    metrics.duration('delete_old_data', Date.now() - start);
  });
}
export async function exec(): Promise<void> {
  const locking = await getLocking();
  logger.info('Starting');
  await deleteJobsByDate(locking);
}`,
    },
    {
      name: 'Valid because a daily telemetry cron is best-effort work, not a job (seen in novuhq/novu)',
      code: `
class UserInfoService {
  @Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT)
  async sendDailyUserTelemetry() {
    if (isSelfHosted && telemetryEnabled) {
      const userData = await this.getUserData();
      await sendDataToNovuTrace(this.httpService, 'User Info', userData);
    }
  }
}`,
    },
    {
      name: 'Valid because a declared background method whose only work is enqueueing hands its lifecycle to the queued job (seen in karakeep-app/karakeep)',
      code: `
class Backup {
  async triggerBackgroundJob({ delayMs }: { delayMs?: number } = {}) {
    await BackupQueue.enqueue({ userId: this.ctx.user.id, backupId: this.backup.id }, { delayMs });
  }
}`,
    },
    {
      name: 'Valid because a save with no status set first (store.save()) does not make a helper a job (seen in hoppscotch/hoppscotch)',
      code: `
class UpdaterService {
  onFinished() { this.saveUpdateState({ status: UpdateStatus.INSTALLING }); }
  private async saveUpdateState(state: UpdateState) {
    try {
      await this.store.set('updateState', state);
      await this.store.save();
    } catch (error) {
      console.error('Failed to save update state:', error);
    }
  }
}`,
    },
    {
      name: "Valid because Medusa's injected logger_ member is a logger (seen in medusajs/medusa)",
      code: `
class RedisEventBusService {
  worker_ = async (job: BullJob) => {
    this.logger_.info(\`Processing \${job.name}\`);
    await this.process(job);
    await this.ack(job);
    this.logger_.info(\`Processed \${job.name}\`);
  };
  start() { this.worker = new Worker('events', this.worker_); }
}`,
    },
    {
      name: 'Valid because a queue worker that dispatches each job name to one call delegates its lifecycle (seen in medusajs/medusa)',
      code: `
this.worker = new Worker(this.queueName, async (job) => {
  if (allowedJobs.includes(job.name)) {
    await this.executeTransaction(job.data.workflowId, job.data.transactionId);
  }
  if (job.name === JobType.SCHEDULE) {
    await this.executeScheduledJob(job.data.jobId, job.data.schedulerOptions);
  }
});`,
    },
    {
      name: "Valid because a queue's own bookkeeping (job.state = 'active', never saved) is no job status (seen in Dokploy/dokploy)",
      code: `
class InMemoryQueue {
  schedule() { for (const key of this.partitions.keys()) void this.drainPartition(key); }
  private async drainPartition(key: string) {
    const partition = this.partitions.get(key);
    const concurrency = await this.resolveConcurrency(key);
    while (partition.active.length < concurrency) {
      const job = partition.waiting.shift();
      job.state = 'active';
      await this.runJob(job);
    }
  }
}`,
    },
    {
      name: 'Valid because a weekly cron that only hands its work to one call under a feature flag delegates its lifecycle (seen in hoppscotch/hoppscotch)',
      code: `
class PostHogService {
  @Cron(CronExpression.EVERY_WEEK)
  async handleCron() {
    if (this.configService.get('INFRA.ALLOW_ANALYTICS_COLLECTION') === 'true') {
      await this.capture();
    }
  }
}`,
    },
    {
      name: "Valid because a per-request after() hook that sets no job status is not a job: a log line per request would be spam (seen in documenso/documenso)",
      code: `
import { after } from 'next/server';
export async function POST(request: Request) {
  after(async () => {
    await db.insert(auditLog).values({ path: request.url });
  });
  return Response.json({ ok: true });
}`,
    },
    {
      name: 'Valid because a per-event @OnEvent listener is not a job: a start and completion log per event would be spam (seen in teableio/teable)',
      code: `
class AttachmentListener {
  @OnEvent('record.create')
  async recordCreateListener(event: RecordCreateEvent) {
    await this.attachmentsService.createTable(event.payload);
    await this.attachmentsService.updateTable(event.payload);
  }
}`,
    },
    {
      name: 'Valid because a setInterval callback is polling, not a job (seen in outline/outline)',
      code: `
setInterval(async () => {
  const stalled = await this.queue.getStalled();
  await this.report(stalled);
}, 30000);`,
    },
    {
      name: 'Valid because a cron firing every minute is polling, not a job with a lifecycle of its own (seen in novuhq/novu)',
      code: `
class Jobs {
  @Cron(CronExpression.EVERY_MINUTE)
  async tick() {
    await this.work();
    this.logger.log('tick done');
  }
}`,
    },
    {
      name: "Valid because a six-field cron every 10 seconds is polling (seen in Dokploy/dokploy)",
      code: `
cron.schedule('*/10 * * * * *', async () => {
  await checkHealth();
  await recordMetrics();
});`,
    },
    {
      name: 'Valid because a fire-and-forget helper that sets no job status is not a job (seen in novuhq/novu)',
      code: `
class IdempotencyInterceptor {
  intercept(key: string, body: unknown) { void this.setCache(key, body).catch(() => undefined); }
  private async setCache(key: string, body: unknown) {
    await this.cache.set(key, body);
    await this.cache.expire(key, 60);
  }
}`,
    },
    {
      name: 'Valid because a thin queue worker hands its job to one call: the queue records its active and completed states (seen in Dokploy/dokploy)',
      code: `
export const firstWorker = new Worker('backupQueue', async (job: Job<QueueJob>) => {
  logger.info({ data: job.data }, 'Running job first worker');
  await runJobs(job.data);
});`,
    },
    {
      name: "Valid because @OnWorkerEvent('completed') logs every job's completion for the processor (seen in a public NestJS backend)",
      code: `
@Processor('render')
class RenderProcessor extends WorkerHost {
  async process(job: Job) {
    const doc = await this.documents.find(job.data.id);
    await this.renderer.render(doc);
  }
  @OnWorkerEvent('completed')
  onCompleted(job: Job) { this.logger.log(\`render \${job.id} completed\`); }
}`,
    },
    {
      name: 'Valid because a start log after the lookup of the work still precedes the work (seen in ghostfolio/ghostfolio)',
      code: `
class DataGatheringProcessor {
  @Process('gather')
  async gather(job: Job) {
    const profile = await this.profiles.find(job.data.symbol);
    this.logger.log(\`gathering \${profile.symbol} started\`);
    await this.gatherer.gather(profile);
    this.logger.log(\`gathering \${profile.symbol} completed\`);
  }
}`,
    },
    {
      name: "Valid because a BullMQ job writing to its own log (job.log) is lifecycle logging in another form (seen in a public BullMQ worker)",
      code: `
new Worker('import', async (job) => {
  await job.log('import started');
  const rows = await readRows(job.data.file);
  await saveRows(rows);
  await job.log('import completed');
});`,
    },
    {
      name: 'Valid because test code (a file importing vitest) has no production log for a task lifecycle (seen in Dokploy/dokploy)',
      code: `
import { describe, expect, it } from 'vitest';
describe('InMemoryQueue', () => {
  it('runs jobs', async () => {
    const queue = new InMemoryQueue({ resolveConcurrency: () => 2 });
    queue.process(async (job) => {
      started.push(job.data.id);
      await job.done;
    });
    await queue.run();
    expect(started).toHaveLength(1);
  });
});`,
    },
    {
      name: "Valid because mocha's global after(...) hook is not Next.js after() (seen in novuhq/novu)",
      code: `
after(async () => {
  await testServer.teardown();
});`,
    },
    {
      name: "Valid because node:test's after(...) hook is not Next.js after()",
      code: `
import { after } from 'node:test';
after(async () => {
  await db.destroy();
});`,
    },
    {
      name: 'Valid because browser code (a React hook) has no server log for a task lifecycle (seen in outline/outline)',
      code: `
import { useEffect } from 'react';
export function useEmbeds(integrations: Store) {
  useEffect(() => {
    async function fetchEmbedIntegrations() {
      try {
        await integrations.fetchAll({ service: 'embed' });
      } catch (err) {
        toast.error(err.message);
      }
    }
    void fetchEmbedIntegrations();
  }, [integrations]);
}`,
    },
    {
      name: "Valid because calling a callback parameter (passport's done) does not start the function in the background (seen in ghostfolio/ghostfolio, documenso/documenso)",
      code: `
export class GoogleStrategy extends PassportStrategy(Strategy, 'google') {
  public async validate(_request: unknown, token: string, profile: Profile, done: Function) {
    try {
      const jwt = await this.authService.validateOAuthLogin({ provider: 'GOOGLE', thirdPartyId: profile.id });
      done(null, { jwt });
    } catch (error) {
      this.logger.error(error);
      done(error, false);
    }
  }
}`,
    },
    {
      name: "Valid because a script's top-level main() is the process itself, not background work (seen in Dokploy/dokploy, documenso/documenso)",
      code: `
const main = async () => {
  const client = initClient(contract, { baseUrl });
  await client.createDocument({ body });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});`,
    },
    {
      name: 'Valid because the function logs before its first and after its last awaited work',
      code: `
export async function backgroundExport(id: string) {
  logger.info(\`export \${id} started\`);
  try {
    await writeExport(id);
    logger.info(\`export \${id} completed\`);
  } catch (err) {
    logger.error(\`export \${id} failed\`, err);
  }
}`,
    },
    {
      name: 'Valid because this.logger in a Nest cron counts',
      code: `
class Digest {
  @Cron('0 7 * * *')
  async send() {
    this.logger.log('digest started');
    await this.em.fork().nativeDelete(Digest, {});
    this.logger.log('digest completed');
  }
}`,
    },
    {
      name: 'Valid because a request function is not judged',
      code: `
export async function handler(id: string) {
  await writeExport(id);
}`,
    },
    {
      name: 'Valid because a background callback that awaits nothing is not judged',
      code: `
setImmediate(() => {
  counter.increment();
});`,
    },
    {
      name: 'Valid because console counts when consoleIsLifecycleLogger is set',
      settings: { 'background-tasks': { consoleIsLifecycleLogger: true } },
      code: `
export async function backgroundExport(id: string) {
  console.info('start', id);
  await writeExport(id);
  console.info('done', id);
}`,
    },
    {
      name: 'Valid because the awaits in catch and finally are failure handling, not the work',
      code: `
export async function backgroundExport(id: string) {
  logger.info('start', id);
  try {
    await writeExport(id);
    logger.info('done', id);
  } catch (err) {
    await markFailed(id);
  } finally {
    await release();
  }
}`,
    },
    {
      name: 'Valid because a completion log in finally runs when the work ends',
      code: `
export async function backgroundExport(id: string) {
  logger.info('export started', id);
  try {
    await writeExport(id);
  } finally {
    logger.info('export finished', id);
  }
}`,
    },
    {
      name: 'Valid because a closure detached inside a task is covered by the task\'s own lifecycle logs',
      code: `
export async function syncAllInBackground(ids: string[]) {
  logger.info('sync started');
  ids.forEach(async (id) => {
    await sync(id);
  });
  await flushAll();
  logger.info('sync completed');
}`,
    },
    {
      name: 'Valid because a pino-style *Logger member counts',
      code: `
class Mailer {
  @Process('mail')
  async send(job: Job) {
    this.mailLogger.debug({ id: job.id }, 'mail started');
    await this.transport.send(job.data);
    this.mailLogger.debug({ id: job.id }, 'mail sent');
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a scheduled job that logs nothing on its success path is silent',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: `
export class CleanupService {
  @Cron('0 3 * * *')
  async purgeExpiredSessions() {
    await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    await this.prisma.verificationToken.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}`,
      errors: [{ messageId: 'missingLifecycleLogging', line: 4, data: { kind: 'Scheduled job', task: 'CleanupService.purgeExpiredSessions' } }],
    },
    {
      name: 'Invalid because a queue job that tracks its status logs nothing on its success path',
      code: `
@Processor('exports')
export class ExportProcessor extends WorkerHost {
  async process(job: Job<{ id: string }>) {
    await this.prisma.export.update({ where: { id: job.data.id }, data: { status: 'processing' } });
    await this.exporter.run(job.data.id);
    await this.prisma.export.update({ where: { id: job.data.id }, data: { status: 'completed' } });
  }
}`,
      errors: [{ messageId: 'missingLifecycleLogging', line: 4, data: { kind: 'Queue job', task: 'ExportProcessor.process' } }],
    },
    {
      name: 'Invalid because a per-request after() hook that marks an export processing is a job and logs nothing',
      code: `
import { after } from 'next/server';
export async function POST(request: Request) {
  after(async () => {
    await db.update(exportsTable).set({ status: 'processing' });
    await renderExport(request.url);
    await db.update(exportsTable).set({ status: 'completed' });
  });
  return Response.json({ ok: true });
}`,
      errors: [{ messageId: 'missingLifecycleLogging', line: 4, data: { kind: 'Background job', task: 'the after callback' } }],
    },
    {
      name: 'Invalid because an hourly cron job logs neither its start nor its completion',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: `
class CronService {
  @Cron(CronExpression.EVERY_HOUR)
  async gatherMarketData() {
    await this.dataGathering.gatherHourly();
    await this.dataGathering.gatherRecent();
  }
}`,
      errors: [{ messageId: 'missingLifecycleLogging', line: 4, data: { kind: 'Scheduled job', task: 'CronService.gatherMarketData' } }],
    },
    {
      name: 'Invalid because the function only logs its failure (strict-lifecycle example)',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
export async function backgroundExport(exportId: string) {
  try {
    await writeExport(exportId);
  } catch (err) {
    logger.error(\`export \${exportId} failed\`, err);
  }
}`,
      errors: [
        {
          messageId: 'missingLifecycleLogging',
          line: 2,
          data: { kind: 'Background job', task: 'backgroundExport' },
        },
      ],
    },
    {
      name: 'Invalid because console does not count for lifecycle logging by default',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
export async function backgroundExport(id: string) {
  console.log('start', id);
  await writeExport(id);
  console.log('done', id);
}`,
      errors: [
        {
          messageId: 'missingLifecycleLogging',
          line: 2,
          data: { kind: 'Background job', task: 'backgroundExport' },
        },
      ],
    },
    {
      name: 'Invalid because the start is logged but not the completion',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
export async function backgroundExport(id: string) {
  logger.info('start', id);
  await writeExport(id);
}`,
      errors: [
        {
          messageId: 'missingCompletionLog',
          line: 2,
          data: { kind: 'Background job', task: 'backgroundExport', line: '4' },
        },
      ],
    },
    {
      name: 'Invalid because the completion is logged but not the start',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
class Jobs {
  @Cron('0 * * * *')
  async tick() {
    await this.work();
    await this.cleanup();
    this.logger.log('tick done');
  }
}`,
      errors: [
        {
          messageId: 'missingStartLog',
          line: 4,
          data: { kind: 'Scheduled job', task: 'Jobs.tick', line: '6' },
        },
      ],
    },
    {
      name: 'Invalid because the same-file delegate the cron awaits logs only its failure, so the start is in no log (near miss of the nango crons)',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
import * as cron from 'node-cron';
export function trialCron(): void {
  cron.schedule('*/5 * * * *', async () => {
    const start = Date.now();
    await tracer.trace('nango.cron.trial', async () => {
      await exec();
    });
    logger.info('done');
    metrics.duration('trial', Date.now() - start);
  });
}
async function exec(): Promise<void> {
  try {
    await expireTrials();
  } catch (err) {
    logger.error('trial cron failed', err);
  }
}`,
      errors: [
        {
          messageId: 'missingStartLog',
          line: 4,
          data: { kind: 'Scheduled job', task: 'the cron.schedule callback', line: '7' },
        },
      ],
    },
    {
      name: 'Invalid because startLevels asks for info and the start is logged at debug',
      options: [{ checkAllJobs: true, requireBothLogs: true, startLevels: ['info'] }],
      code: `
export async function backgroundExport(id: string) {
  logger.debug('start', id);
  await writeExport(id);
  logger.info('done', id);
}`,
      errors: [
        {
          messageId: 'missingStartLog',
          line: 2,
          data: { kind: 'Background job', task: 'backgroundExport', line: '4' },
        },
      ],
    },
    {
      // Two steps in the try: a try around one call is a hand-off (tests/rules/round15-classes.test.ts).
      name: 'Invalid because a log in catch is failure logging, not completion',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
new Worker('mail', async (job) => {
  logger.info('mail started', job.id);
  try {
    await send(job.data);
    await mails.markSent(job.id);
  } catch (err) {
    logger.error('mail failed', err);
    throw err;
  }
});`,
      errors: [
        {
          messageId: 'missingCompletionLog',
          line: 2,
          column: 20,
          data: { kind: 'Queue job', task: 'the new Worker callback', line: '5' },
        },
      ],
    },
  ],
};

type Changed = { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] };

/** The options under which a job declared by its name, with no status, is checked (the reports below were written for them). */
const allJobs: Options = [{ checkAllJobs: true, requireBothLogs: true }];

/** Loggers known only by their type: type information clears the report. */
const typeAwareClears: Changed[] = [
  {
    syntacticName: 'Invalid because without type information this.audit is not known to be a logger',
    typedName: 'Valid because (type-aware) this.audit is a pino Logger that logs the start and the completion',
    code: `
import type { Logger } from 'pino';
export class Exporter {
  constructor(private readonly audit: Logger) {}
  async exportInBackground(id: string) {
    this.audit.info('export started', { id });
    await storage.write(id);
    this.audit.info('export completed', { id });
  }
}`,
    errors: [{ messageId: 'missingLifecycleLogging', line: 5 }],
  },
  {
    syntacticName: 'Invalid because without type information events is not known to be a logger',
    typedName: 'Valid because (type-aware) events is a NestJS Logger',
    code: `
import { Logger } from '@nestjs/common';
const events = new Logger('export');
export async function exportInBackground(id: string) {
  events.log(\`export \${id} started\`);
  await storage.write(id);
  events.log(\`export \${id} completed\`);
}`,
    errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
  },
];

/** Same outcome in both modes. */
const typedValid: Valid[] = [
  {
    name: 'Valid because a pino logger named logger counts by name and by type',
    code: `
import type { Logger } from 'pino';
export async function exportInBackground(logger: Logger, id: string) {
  logger.info('export started', { id });
  await storage.write(id);
  logger.info('export completed', { id });
}`,
  },
];

const typedInvalid: Invalid[] = [
  {
    name: 'Invalid because a metrics client with an info method is no logger, by name or by type',
    options: [{ checkAllJobs: true, requireBothLogs: true }],
    code: `
import type { AxiosInstance } from 'axios';
export async function exportInBackground(http: AxiosInstance & { info(message: string): void }, id: string) {
  http.info('export started');
  await storage.write(id);
  http.info('export completed');
}`,
    errors: [{ messageId: 'missingLifecycleLogging', line: 3 }],
  },
];

createRuleTester().run('require-lifecycle-logging (syntactic)', rule, {
  valid: [...cases.valid, ...typedValid],
  invalid: [...cases.invalid, ...typedInvalid, ...typeAwareClears.map(({ syntacticName, code, errors }) => ({ name: syntacticName, code, errors, options: allJobs }))],
});

createTypedRuleTester().run('require-lifecycle-logging (type-aware)', rule, {
  valid: [...cases.valid, ...typedValid, ...typeAwareClears.map(({ typedName, code }) => ({ name: typedName, code, options: allJobs }))],
  invalid: [...cases.invalid, ...typedInvalid],
});
