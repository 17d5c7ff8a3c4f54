import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** Cases whose outcome is the same with and without type information (both modes run them). */
const cases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
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
  ],
  invalid: [
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
      errors: [{ messageId: 'unrecordedStatus', line: 4, column: 9, data: { task: 'ImportListener.onImport', line: '5' } }],
    },
    {
      name: 'Invalid because a @Cron job that writes outside try/catch loses which work failed: @nestjs/schedule logs only the bare error',
      code: `
export class CleanupService {
  @Cron('0 * * * *')
  async purge() {
    await this.sessions.deleteMany({ where: { expired: true } });
  }
}`,
      errors: [{ messageId: 'unloggedWrite', line: 4, column: 9, data: { task: 'CleanupService.purge', line: '5', framework: '@Cron' } }],
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
        { messageId: 'unloggedWrite', line: 4, column: 9, data: { task: 'SignupListener.createWorkspace', line: '5', framework: '@OnEvent' } },
      ],
    },
    {
      name: 'Invalid because an empty catch swallows the error; the suggestion logs it through this.logger',
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
setImmediate(async () => {
  await knex('emails').insert({ to: 'a' });
});`,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'the setImmediate callback', line: '3' } }],
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
      errors: [{ messageId: 'unrecordedStatus', line: 4, data: { task: 'MailProcessor.process', line: '5' } }],
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
      name: 'Invalid because a warn log that names the work but not the error object loses its message and stack',
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
  ],
};

type Changed = { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] };

/** Awaited callees in another file that catch everything themselves: type information clears the report. */
const typeAwareClears: Changed[] = [
  {
    syntacticName: 'Invalid because without type information an awaited function from another file may reject',
    typedName: 'Valid because (type-aware) safeReindexAll, in another file, catches everything itself',
    code: `
import { safeReindexAll } from './tasks';
export async function reindexInBackground() {
  await safeReindexAll();
}`,
    errors: [{ messageId: 'missingTryCatch', line: 3, data: { task: 'reindexInBackground', line: '4' } }],
  },
  {
    syntacticName: "Invalid because without type information an injected service's awaited method may reject",
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
}`,
    errors: [{ messageId: 'missingTryCatch', line: 3, data: { task: 'reindexInBackground', line: '4' } }],
  },
];

createRuleTester().run('require-background-error-handling (syntactic)', rule, {
  valid: [...cases.valid, ...typedValid],
  invalid: [
    ...cases.invalid,
    ...typedInvalid,
    ...typeAwareClears.map(({ syntacticName, code, errors }) => ({ name: syntacticName, code, errors })),
    ...typeAwareChanges.map(({ name, code, syntacticErrors }) => ({ name: `${name} (syntactic: a swallowed error)`, code, errors: syntacticErrors })),
  ],
});

createTypedRuleTester().run('require-background-error-handling (type-aware)', rule, {
  // Cases with their own file name lie outside the typed fixture project.
  valid: [...cases.valid.filter((c) => typeof c === 'string' || c.filename === undefined), ...typedValid, ...typeAwareClears.map(({ typedName, code }) => ({ name: typedName, code }))],
  invalid: [
    ...cases.invalid,
    ...typedInvalid,
    ...typeAwareChanges.map(({ name, code, typedErrors }) => ({ name: `${name} (type-aware: a log without the error)`, code, errors: typedErrors })),
  ],
});
