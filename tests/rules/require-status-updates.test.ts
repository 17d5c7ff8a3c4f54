import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** 40 sequential `if`s between the in-progress and the completed update: 2^40 paths, a few hundred segments. */
const manyIfs = Array.from({ length: 40 }, (_, i) => `    if (flags[${i}]) await service.step${i}(id);`).join('\n');

/** Cases whose outcome is the same with and without type information (both modes run them). */
const cases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
    {
      name: 'Valid because requireStatusTracking: a queue processor writing its results has its state recorded by the queue (seen in ghostfolio/ghostfolio)',
      options: [{ requireStatusTracking: true }],
      code: `
class Importer {
  @Process('import')
  async importRows(job: Job) {
    await this.repo.save(job.data.rows);
  }
}`,
    },
    {
      name: 'Valid because requireStatusTracking: a per-event listener\'s writes have no job status (seen in teableio/teable)',
      options: [{ requireStatusTracking: true }],
      code: `
class PinListener {
  @OnEvent('space.delete')
  async spaceAndBaseDelete(event: SpaceDeleteEvent) {
    await this.prisma.pinResource.deleteMany({ where: { id: event.spaceId } });
  }
}`,
    },
    {
      name: 'Valid because requireStatusTracking: a setTimeout flush writes documents, not a job (seen in karakeep-app/karakeep)',
      options: [{ requireStatusTracking: true }],
      code: `
class BatchingDocumentQueue {
  schedule() {
    this.timer = setTimeout(async () => {
      await this.index.insertMany(this.pending);
    }, 100);
  }
}`,
    },
    {
      name: 'Valid because requireStatusTracking: a daily cron that schedules backups owns no job row (seen in karakeep-app/karakeep)',
      options: [{ requireStatusTracking: true }],
      code: `
cron.schedule('0 0 * * *', async () => {
  const users = await db.query.users.findMany();
  for (const user of users) await db.insert(backupSchedules).values({ userId: user.id });
});`,
    },
    {
      name: 'Valid because requireStatusTracking does not apply to browser code, which has no job status (seen in outline/outline)',
      options: [{ requireStatusTracking: true }],
      code: `
import { action } from 'mobx';
export class AuthStore {
  constructor() {
    void this.fetchAuth();
  }
  fetchAuth = async () => {
    const res = await client.post('/auth.info');
    this.rootStore.users.add(res.data.user);
    await this.rootStore.preferences.save(res.data.preferences);
  };
}`,
    },
    {
      name: "Valid because requireStatusTracking skips a script's top-level main(), the process itself (seen in Dokploy/dokploy)",
      options: [{ requireStatusTracking: true }],
      code: `
async function main() {
  const records = await db.select().from(twoFactor);
  for (const record of records) await db.update(twoFactor).set({ secret: rotate(record) });
}

main().catch((err) => {
  console.error('Migration failed:', err);
  process.exit(1);
});`,
    },
    {
      name: 'Valid because requireStatusTracking does not count NestFactory.create as a database write (seen in ghostfolio/ghostfolio)',
      options: [{ requireStatusTracking: true }],
      code: `
export async function startWorkerInBackground() {
  const app = await NestFactory.create(WorkerModule);
  await app.init();
}`,
    },
    {
      name: "Valid because the seed's template sets completed in the try and failed through a fresh session in the catch",
      code: `
export async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  try {
    await using session = infra.getSessionContext();
    const service = serviceProvider(session);
    await service.updateStatus(entityId, 'in_progress');
    await service.doWork(entityId);
    await service.updateStatus(entityId, 'completed');
  } catch (e) {
    logger.error(\`Background operation failed for \${entityId}: \${e}\`);
    await using errorSession = infra.getSessionContext();
    await serviceProvider(errorSession).updateStatus(entityId, 'failed', String(e));
  }
}`,
    },
    {
      name: 'Valid because a request function may leave a status in progress (the rule only judges background code)',
      code: `
export async function startImport(id: string) {
  await repo.update(id, { status: 'processing' });
  await queue.add('import', { id });
}`,
    },
    {
      name: 'Valid because a background function without any status update is not judged by default',
      code: `
export async function cleanupInBackground() {
  await repo.delete({ expired: true });
}`,
    },
    {
      name: 'Valid because the only status written is a terminal one',
      code: `
export async function finishInBackground(id: string) {
  await repo.update(id, { status: 'completed' });
}`,
    },
    {
      name: 'Valid because an early return before the in-progress update leaves nothing stuck',
      code: `
export async function backgroundSync(id: string) {
  if (!id) return;
  try {
    await setStatus(id, 'running');
    await sync(id);
    await setStatus(id, 'done');
  } catch (err) {
    await setStatus(id, 'failed');
  }
}`,
    },
    {
      name: 'Valid because the early return sets a terminal status first',
      code: `
export async function backgroundSync(id: string) {
  try {
    await setStatus(id, 'running');
    const job = await load(id);
    if (!job) {
      await setStatus(id, 'cancelled');
      return;
    }
    await sync(job);
    await setStatus(id, 'done');
  } catch (err) {
    await setStatus(id, 'failed');
  }
}`,
    },
    {
      name: 'Valid because enum members are judged by member name (JobStatus.Running ... JobStatus.Completed / Failed)',
      code: `
class Jobs {
  @Cron('* * * * *')
  async tick() {
    try {
      await this.repo.update(this.id, { status: JobStatus.Running });
      await this.work();
      await this.repo.update(this.id, { status: JobStatus.Completed });
    } catch (e) {
      await this.repo.update(this.id, { status: JobStatus.Failed, error: String(e) });
    }
  }
}`,
    },
    {
      name: 'Valid because Prisma data updates set completed and failed',
      code: `
export async function renderInBackground(id: string) {
  try {
    await prisma.report.update({ where: { id }, data: { status: 'RUNNING' } });
    await render(id);
    await prisma.report.update({ where: { id }, data: { status: 'SUCCEEDED' } });
  } catch (error) {
    await prisma.report.update({ where: { id }, data: { status: 'FAILED', error: String(error) } });
  }
}`,
    },
    {
      name: 'Valid because a where-filter on status is not a status write',
      code: `
export async function sweepInBackground() {
  await prisma.job.deleteMany({ where: { status: 'processing' } });
  await prisma.job.findMany({ where: { status: 'running' } });
}`,
    },
    {
      name: 'Valid because assignment followed by save sets completed and failed (TypeORM)',
      code: `
export async function chargeInBackground(id: string) {
  const job = await repo.findOneByOrFail({ id });
  try {
    job.status = JobStatus.Processing;
    await repo.save(job);
    await charge(job);
    job.status = JobStatus.Done;
    await repo.save(job);
  } catch (e) {
    job.status = JobStatus.Failed;
    await repo.save(job);
  }
}`,
    },
    {
      name: 'Valid because an in-progress assignment that is never saved is not a status update',
      code: `
export async function previewInBackground(job: Job) {
  job.status = 'processing';
  await render(job);
}`,
    },
    {
      name: 'Valid because the status is set in fresh scope callbacks and completed in another one',
      code: `
export async function exportInBackground(id: string) {
  try {
    await dataSource.transaction(async (m) => {
      await m.update(Export, id, { status: 'processing' });
    });
    await writeExport(id);
    await dataSource.transaction(async (m) => {
      await m.update(Export, id, { status: 'completed' });
    });
  } catch (e) {
    await dataSource.transaction(async (m) => m.update(Export, id, { status: 'failed' }));
  }
}`,
    },
    {
      name: 'Valid because a loop body ends every iteration with a terminal status (judged per iteration)',
      code: `
export async function processQueueInBackground(jobs: Job[]) {
  for (const job of jobs) {
    try {
      await updateStatus(job.id, 'processing');
      await handle(job);
      await updateStatus(job.id, 'completed');
    } catch (e) {
      await updateStatus(job.id, 'failed', String(e));
    }
  }
}`,
    },
    {
      name: 'Valid because a switch writes a terminal status in every case',
      code: `
export async function backgroundDispatch(id: string, kind: string) {
  try {
    await markAsProcessing(id);
    switch (kind) {
      case 'a':
        await doA(id);
        await markAsCompleted(id);
        break;
      case 'b':
        await doB(id);
        await markAsCompleted(id);
        break;
      default:
        await markAsCancelled(id);
    }
  } catch (e) {
    await markAsFailed(id, e);
  }
}`,
    },
    {
      name: 'Valid because a domain status (paid) ends the in-progress state (SPEC section 5)',
      code: `
export async function chargeInBackground(id: string) {
  try {
    await repo.update(id, { status: 'processing' });
    await charge(id);
    await repo.update(id, { status: 'paid' });
  } catch (e) {
    await repo.update(id, { status: 'failed' });
  }
}`,
    },
    {
      name: 'Valid because a conditional completed/failed value ends the in-progress state',
      code: `
export async function checkInBackground(id: string) {
  await setStatus(id, 'running');
  let ok = false;
  try { ok = await check(id); } catch { ok = false; }
  await setStatus(id, ok ? Status.Completed : Status.Failed);
}`,
    },
    {
      name: 'Valid because a finally block writes the final status on every path',
      code: `
export async function backgroundJob(id: string) {
  let status = 'failed';
  await setStatus(id, 'running');
  try {
    await work(id);
    status = 'completed';
  } finally {
    await setStatus(id, status);
  }
}`,
    },
    {
      name: 'Valid because a catch that rethrows to a same-file caller that sets failed is enough',
      code: `
class Importer {
  async runInBackground(id: string) {
    try {
      await this.importInBackground(id);
    } catch (e) {
      await this.repo.update(id, { status: 'failed' });
    }
  }
  private async importInBackground(id: string) {
    await this.repo.update(id, { status: 'processing' });
    await this.fetch(id);
    await this.repo.update(id, { status: 'completed' });
  }
}`,
    },
    {
      name: 'Valid because a knex update with a status field finishes in both branches',
      code: `
export async function backgroundReindex(id: number) {
  await knex.transaction(async (trx) => {
    try {
      await trx('jobs').where({ id }).update({ status: 'in-progress' });
      await reindex(id);
      await trx('jobs').where({ id }).update({ status: 'done' });
    } catch (e) {
      await trx('jobs').where({ id }).update({ status: 'error' });
    }
  });
}`,
    },
    {
      name: 'Valid because drizzle .set({ status }) updates complete inside one transaction callback',
      code: `
export async function runCleanupInBackground(jobId: number) {
  try {
    await db.transaction(async (tx) => {
      await tx.update(jobs).set({ status: 'running' }).where(eq(jobs.id, jobId));
      await tx.delete(jobs).where(eq(jobs.expired, true));
      await tx.update(jobs).set({ status: 'completed' }).where(eq(jobs.id, jobId));
    });
  } catch (err) {
    await db.update(jobs).set({ status: 'failed', error: String(err) }).where(eq(jobs.id, jobId));
  }
}`,
    },
    {
      name: 'Valid because 40 sequential ifs between the updates stay fast and every path completes',
      code: `
export async function backgroundPipeline(id: string, flags: boolean[]) {
  try {
    await service.updateStatus(id, 'processing');
${manyIfs}
    await service.updateStatus(id, 'completed');
  } catch (e) {
    await service.updateStatus(id, 'failed', String(e));
  }
}`,
    },
    {
      name: 'Valid because the nested try/finally only releases the runner; the outer catch sets failed',
      code: `
export async function backgroundCharge(id: string) {
  try {
    await updateStatus(id, 'processing');
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query('select charge($1)', [id]);
    } finally {
      await runner.release();
    }
    await updateStatus(id, 'completed');
  } catch (e) {
    await updateStatus(id, 'failed', String(e));
  }
}`,
    },
    {
      name: 'Valid because MikroORM assignment + em.flush() persists the status',
      code: `
class Sync {
  @Cron('0 * * * *')
  async sync() {
    const em = this.em.fork();
    const job = await em.findOneOrFail(Job, 1);
    try {
      job.state = 'active';
      await em.flush();
      await this.pull();
      job.state = 'finished';
      await em.flush();
    } catch (e) {
      job.state = 'errored';
      await em.flush();
    }
  }
}`,
    },
    {
      name: 'Valid because a status method with an options object counts by its status field',
      code: `
export async function backgroundMail(id: string) {
  try {
    await jobs.setStatus(id, { status: 'started' });
    await send(id);
    await jobs.setStatus(id, { status: 'success' });
  } catch (e) {
    await jobs.setStatus(id, { status: 'failure', error: String(e) });
  }
}`,
    },
    {
      name: "Valid because requireErrorDetail: a React store's save status is a UI state, not a job's failed status (seen in a public backend: reactive-resume apps/web/src/features/resume/builder/draft.ts:225)",
      options: [{ requireErrorDetail: true }],
      code: `
import { useCallback } from 'react';
async function flushResumeSaveInBackground(resume: Resume) {
  try {
    await api.resume.save(resume);
    useResumeStore.getState().setSaveStatus('saved');
  } catch (error) {
    useResumeStore.getState().setSaveStatus('error');
  }
}`,
    },
    {
      name: 'Valid because requireErrorDetail accepts e.message in the failed update',
      options: [{ requireErrorDetail: true }],
      code: `
export async function backgroundMail(id: string) {
  try {
    await setStatus(id, 'running');
    await send(id);
    await setStatus(id, 'done');
  } catch (e) {
    await repo.update(id, { status: 'failed', error: e.message });
  }
}`,
    },
    {
      name: 'Valid because requireErrorDetail accepts the error passed in a .catch(handler) callback',
      options: [{ requireErrorDetail: true }],
      code: `
export async function backgroundSync(id: string) {
  await setStatus(id, 'running');
  await sync(id).catch(async (err) => {
    await setStatus(id, 'failed', err.message);
    throw err;
  });
  await setStatus(id, 'done');
}`,
    },
    {
      name: 'Valid because requireStatusTracking accepts a background writer that tracks a status',
      options: [{ requireStatusTracking: true }],
      code: `
export async function backgroundImport(id: string) {
  try {
    await repo.update(id, { status: 'processing' });
    await repo.save({ id, rows: 1 });
    await repo.update(id, { status: 'completed' });
  } catch (e) {
    await repo.update(id, { status: 'failed' });
  }
}`,
    },
    {
      name: 'Valid because requireStatusTracking does not count Object.create or Reflect.set as database writes',
      options: [{ requireStatusTracking: true }],
      code: `
export async function buildIndexInBackground() {
  const map = Object.create(null);
  Reflect.set(map, 'a', 1);
  await publish(map);
}`,
    },
    {
      name: 'Valid because requireStatusTracking ignores background functions that only read',
      options: [{ requireStatusTracking: true }],
      code: `
export async function warmCacheInBackground() {
  const rows = await repo.find();
  cache.set('rows', rows);
}`,
    },
    {
      name: 'Valid because work().catch(handler) that sets failed and rethrows hands the rejection to the handler',
      code: `
export async function backgroundSync(id: string) {
  await setStatus(id, 'running');
  await sync(id).catch(async (e) => {
    await setStatus(id, 'failed', String(e));
    throw e;
  });
  await setStatus(id, 'done');
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the update is stuck, but the silent catch itself is require-background-error-handling\'s to report (one problem, one report)',
      code: `
async function backgroundResize(imageId: string) {
  try {
    await service.updateStatus(imageId, 'processing');
    await service.resize(imageId);
    await service.updateStatus(imageId, 'done');
  } catch {}
}`,
      errors: [{ messageId: 'stuckInProgress', line: 4 }],
    },
    {
      name: 'Invalid because the catch logs but never sets the failed status (status-missing-failed example)',
      code: `
export async function backgroundResize(imageId: string) {
  const infra = infrastructureProvider();
  try {
    await using session = infra.getSessionContext();
    const service = serviceProvider(session);
    await service.updateStatus(imageId, 'processing');
    await service.resize(imageId);
    await service.updateStatus(imageId, 'done');
  } catch (err) {
    logger.error(\`resize \${imageId} failed\`, err);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 7,
          column: 11,
          data: {
            status: 'processing',
            exit: 'the catch clause at line 10 (which sets no failed status)',
            task: 'backgroundResize',
          },
        },
      ],
    },
    {
      name: 'Invalid because an early return leaves the status in progress',
      code: `
export async function backgroundSync(id: string) {
  try {
    await setStatus(id, 'running');
    const job = await load(id);
    if (!job) return;
    await sync(job);
    await setStatus(id, 'done');
  } catch (err) {
    await setStatus(id, 'failed');
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'running', exit: 'the `return` at line 6', task: 'backgroundSync' },
        },
      ],
    },
    {
      name: 'Invalid because there is no try/catch: an exception escapes with the status in progress',
      code: `
export async function backgroundSync(id: string) {
  await setStatus(id, 'running');
  await sync(id);
  await setStatus(id, 'done');
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'running', exit: 'an exception thrown at line 4', task: 'backgroundSync' },
        },
      ],
    },
    {
      name: 'Invalid because a throw statement leaves the function with the status in progress',
      code: `
export async function backgroundSync(id: string, ok: boolean) {
  await setStatus(id, 'running');
  if (!ok) throw new Error('bad input');
  setStatus(id, 'done');
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'running', exit: 'the `throw` at line 4', task: 'backgroundSync' },
        },
      ],
    },
    {
      name: 'Invalid because nothing after the in-progress update ever ends it',
      code: `
export function backgroundSync(id: string) {
  setStatus(id, 'running');
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'running', exit: 'the end of the function (line 4)', task: 'backgroundSync' },
        },
      ],
    },
    {
      name: 'Invalid because the nested try/finally rethrows past a function without an outer catch',
      code: `
export async function backgroundCharge(id: string) {
  await updateStatus(id, 'processing');
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('select charge($1)', [id]);
  } finally {
    await runner.release();
  }
  await updateStatus(id, 'completed');
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'processing', exit: 'an exception thrown at line 4', task: 'backgroundCharge' },
        },
      ],
    },
    {
      name: 'Invalid because the inner try/finally escapes to a catch that sets no failed status',
      code: `
export async function backgroundCharge(id: string) {
  try {
    await updateStatus(id, 'processing');
    try {
      await charge(id);
    } finally {
      release();
    }
    await updateStatus(id, 'completed');
  } catch (e) {
    logger.error('charge failed', e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'processing', exit: 'the catch clause at line 11 (which sets no failed status)', task: 'backgroundCharge' },
        },
      ],
    },
    {
      name: 'Invalid because continue skips the terminal status of this iteration (loops judged per iteration)',
      code: `
export async function processQueueInBackground(jobs: Job[]) {
  for (const job of jobs) {
    try {
      await updateStatus(job.id, 'processing');
      if (job.skip) continue;
      await handle(job);
      await updateStatus(job.id, 'completed');
    } catch (e) {
      await updateStatus(job.id, 'failed');
    }
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'processing', exit: 'the `continue` at line 6', task: 'processQueueInBackground' },
        },
      ],
    },
    {
      name: 'Invalid because break leaves the loop body that does the work with the status in progress',
      code: `
export async function processQueueInBackground(jobs: Job[]) {
  for (const job of jobs) {
    try {
      await updateStatus(job.id, 'processing');
      if (job.last) break;
      await handle(job);
      await updateStatus(job.id, 'completed');
    } catch (e) {
      await updateStatus(job.id, 'failed');
    }
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'processing', exit: 'the `break` at line 6', task: 'processQueueInBackground' },
        },
      ],
    },
    {
      name: 'Invalid because each iteration sets processing but only the batch is completed after the loop',
      code: `
export async function processQueueInBackground(jobs: Job[]) {
  try {
    for (const job of jobs) {
      await updateStatus(job.id, 'processing');
      await handle(job);
    }
    await updateStatus(jobs[0].id, 'done');
  } catch (e) {
    await updateStatus(jobs[0].id, 'failed');
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'processing', exit: 'the next iteration of the loop at line 4', task: 'processQueueInBackground' },
        },
      ],
    },
    {
      name: 'Invalid because one switch case ends without a terminal status',
      code: `
export async function backgroundDispatch(id: string, kind: string) {
  try {
    await markAsProcessing(id);
    switch (kind) {
      case 'a':
        await doA(id);
        await markAsCompleted(id);
        break;
      case 'b':
        await doB(id);
        break;
      default:
        await markAsCompleted(id);
    }
  } catch (e) {
    await markAsFailed(id, e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'Processing', exit: 'the end of the function (line 19)', task: 'backgroundDispatch' },
        },
      ],
    },
    {
      name: 'Invalid because an enum in-progress value (Status.IN_PROGRESS) is never ended on the catch path',
      code: `
class Jobs {
  @Cron('* * * * *')
  async tick() {
    try {
      await this.repo.update(this.id, { status: Status.IN_PROGRESS });
      await this.work();
      await this.repo.update(this.id, { status: Status.DONE });
    } catch (e) {
      this.logger.error('tick failed', e);
    }
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 6,
          data: {
            status: 'Status.IN_PROGRESS',
            exit: 'the catch clause at line 9 (which sets no failed status)',
            task: 'Jobs.tick',
          },
        },
      ],
    },
    {
      name: 'Invalid because a Prisma data update to RUNNING is never ended when render throws',
      code: `
export async function renderInBackground(id: string) {
  await prisma.report.update({ where: { id }, data: { status: 'RUNNING' } });
  await render(id);
  await prisma.report.update({ where: { id }, data: { status: 'SUCCEEDED' } });
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'RUNNING', exit: 'an exception thrown at line 4', task: 'renderInBackground' },
        },
      ],
    },
    {
      name: 'Invalid because the assignment + save of Processing is left on the catch path',
      code: `
export async function chargeInBackground(id: string) {
  const job = await repo.findOneByOrFail({ id });
  try {
    job.status = JobStatus.Processing;
    await repo.save(job);
    await charge(job);
    job.status = JobStatus.Done;
    await repo.save(job);
  } catch (e) {
    logger.error('charge failed', e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: {
            status: 'JobStatus.Processing',
            exit: 'the catch clause at line 10 (which sets no failed status)',
            task: 'chargeInBackground',
          },
        },
      ],
    },
    {
      name: 'Invalid because the status set inside a fresh scope callback is never ended in the outer function',
      code: `
export async function exportInBackground(id: string) {
  try {
    await dataSource.transaction(async (m) => {
      await m.update(Export, id, { status: 'processing' });
    });
    await writeExport(id);
  } catch (e) {
    logger.error('export failed', e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'processing', exit: 'the end of the function (line 11)', task: 'exportInBackground' },
        },
        {
          messageId: 'catchWithoutFailedStatus',
          line: 8,
          data: { task: 'exportInBackground', status: 'processing', line: '5' },
        },
      ],
    },
    {
      name: 'Invalid because the scope callback throws after its own in-progress update into a catch that sets nothing',
      code: `
export async function exportInBackground(id: string) {
  try {
    await dataSource.transaction(async (m) => {
      await m.update(Export, id, { status: 'processing' });
      await m.query('select 1');
      await m.update(Export, id, { status: 'completed' });
    });
  } catch (e) {
    logger.error('export failed', e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'processing', exit: 'the catch clause at line 9 (which sets no failed status)', task: 'exportInBackground' },
        },
      ],
    },
    {
      name: 'Invalid because knex update to in-progress is left stuck when reindex throws',
      code: `
export async function backgroundReindex(id: number) {
  await knex('jobs').where({ id }).update({ status: 'in-progress' });
  await reindex(id);
  await knex('jobs').where({ id }).update({ status: 'done' });
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'in-progress', exit: 'an exception thrown at line 4', task: 'backgroundReindex' },
        },
      ],
    },
    {
      name: 'Invalid because a second catch swallows the failure after the first exit is already named',
      code: `
export async function backgroundTwoSteps(id: string) {
  try {
    await setStatus(id, 'running');
    if (!id) return;
    try {
      await stepOne(id);
    } catch (e) {
      logger.warn('step one failed', e);
    }
    await setStatus(id, 'done');
  } catch (e) {
    await setStatus(id, 'failed');
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'running', exit: 'the `return` at line 5', task: 'backgroundTwoSteps' },
        },
      ],
    },
    {
      name: 'Invalid because the catch swallows the error and a separate early return also leaves it stuck',
      code: `
export async function backgroundTwoExits(id: string) {
  try {
    await setStatus(id, 'running');
    if (!id) return;
    await work(id);
    await setStatus(id, 'done');
  } catch (e) {
    logger.error('failed', e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'running', exit: 'the `return` at line 5', task: 'backgroundTwoExits' },
        },
        {
          messageId: 'catchWithoutFailedStatus',
          line: 8,
          column: 5,
          data: { task: 'backgroundTwoExits', status: 'running', line: '4' },
        },
      ],
    },
    {
      name: 'Invalid because the catch rethrows to a same-file caller that does not set failed',
      code: `
class Importer {
  async runInBackground(id: string) {
    try {
      await this.importInBackground(id);
    } catch (e) {
      this.logger.error('import failed', e);
    }
  }
  private async importInBackground(id: string) {
    try {
      await this.repo.update(id, { status: 'processing' });
      await this.fetch(id);
      await this.repo.update(id, { status: 'completed' });
    } catch (e) {
      throw e;
    }
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 12,
          data: { status: 'processing', exit: 'the `throw` at line 16', task: 'Importer.importInBackground' },
        },
      ],
    },
    {
      name: 'Invalid because markAsProcessing() without arguments is an in-progress status method',
      code: `
class Order {
  @OnEvent('order.paid')
  async onPaid() {
    await this.order.markAsProcessing();
    await this.ship();
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'Processing', exit: 'the end of the function (line 7)', task: 'Order.onPaid' },
        },
      ],
    },
    {
      name: 'Invalid because a BullMQ Worker callback that sets active is not completed on a thrown error',
      code: `
new Worker('mail', async (job) => {
  await db.update(mails).set({ state: 'ACTIVE' }).where(eq(mails.id, job.data.id));
  await send(job.data);
  await db.update(mails).set({ state: 'SENT' }).where(eq(mails.id, job.data.id));
});`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'ACTIVE', exit: 'an exception thrown at line 4', task: 'the new Worker callback' },
        },
      ],
    },
    {
      name: 'Invalid because Sequelize Model.update({ status }) to started has no terminal update on the catch path',
      code: `
export async function backgroundReport(id: number) {
  try {
    await Report.update({ status: 'started' }, { where: { id } });
    await build(id);
    await Report.update({ status: 'finished' }, { where: { id } });
  } catch (e) {
    console.error(e);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'started', exit: 'the catch clause at line 7 (which sets no failed status)', task: 'backgroundReport' },
        },
      ],
    },
    {
      name: 'Invalid because 40 sequential ifs with one early return stay fast and the return is named',
      code: `
export async function backgroundPipeline(id: string, flags: boolean[]) {
  try {
    await service.updateStatus(id, 'processing');
${manyIfs}
    if (flags[40]) return;
    await service.updateStatus(id, 'completed');
  } catch (e) {
    await service.updateStatus(id, 'failed', String(e));
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'processing', exit: 'the `return` at line 45', task: 'backgroundPipeline' },
        },
      ],
    },
    {
      name: 'Invalid because a failed status in .catch(handler) says nothing about the success path',
      code: `
export async function backgroundSync(id: string) {
  await setStatus(id, 'running');
  await sync(id).catch(async (e) => {
    await setStatus(id, 'failed', String(e));
  });
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 3,
          data: { status: 'running', exit: 'the end of the function (line 7)', task: 'backgroundSync' },
        },
      ],
    },
    {
      name: 'Invalid because requireErrorDetail wants the error in the failed update',
      options: [{ requireErrorDetail: true }],
      code: `
export async function backgroundMail(id: string) {
  try {
    await setStatus(id, 'running');
    await send(id);
    await setStatus(id, 'done');
  } catch (e) {
    logger.error('mail failed', e);
    await setStatus(id, 'failed');
  }
}`,
      errors: [{ messageId: 'missingErrorDetail', line: 9, data: { task: 'backgroundMail', error: 'e' } }],
    },
    {
      name: 'Invalid because requireErrorDetail wants the error even when the catch binds none',
      options: [{ requireErrorDetail: true }],
      code: `
export async function backgroundMail(id: string) {
  try {
    await setStatus(id, 'running');
    await send(id);
    await setStatus(id, 'done');
  } catch {
    await repo.update(id, { status: 'failed' });
  }
}`,
      errors: [{ messageId: 'missingErrorDetail', line: 8, data: { task: 'backgroundMail', error: 'error' } }],
    },
    {
      name: 'Invalid because requireErrorDetail: an assignment + save of Failed records no error field',
      options: [{ requireErrorDetail: true }],
      code: `
export async function chargeInBackground(job: Job) {
  try {
    job.status = 'processing';
    await repo.save(job);
    await charge(job);
    job.status = 'done';
    await repo.save(job);
  } catch (e) {
    logger.error('charge failed', e);
    job.status = 'failed';
    await repo.save(job);
  }
}`,
      errors: [{ messageId: 'missingErrorDetail', line: 11, data: { task: 'chargeInBackground', error: 'e' } }],
    },
    {
      name: 'Invalid because requireErrorDetail also applies to a .catch(handler) callback',
      options: [{ requireErrorDetail: true }],
      code: `
export async function backgroundSync(id: string) {
  await setStatus(id, 'running');
  await sync(id).catch(async (err) => {
    await setStatus(id, 'failed');
    throw err;
  });
  await setStatus(id, 'done');
}`,
      errors: [{ messageId: 'missingErrorDetail', line: 5, data: { task: 'backgroundSync', error: 'err' } }],
    },
    {
      name: 'Invalid because requireStatusTracking: a declared background writer never records a status',
      options: [{ requireStatusTracking: true }],
      code: `
class Importer {
  async importRowsInBackground(rows: Row[]) {
    await this.repo.save(rows);
  }
}`,
      errors: [{ messageId: 'missingStatusTracking', line: 3, column: 9, data: { kind: 'Background job', task: 'Importer.importRowsInBackground', target: '`repo.save`' } }],
    },
    {
      name: 'Invalid because requireStatusTracking: a queue job updates its own job row but never its status',
      options: [{ requireStatusTracking: true }],
      code: `
class Importer {
  @Process('import')
  async importRows(job: Job) {
    await this.rows.insert(job.data.rows);
    await prisma.importJob.update({ where: { id: job.data.id }, data: { rowsDone: job.data.rows.length } });
  }
}`,
      errors: [{ messageId: 'missingStatusTracking', line: 4, column: 9, data: { kind: 'Queue job', task: 'Importer.importRows', target: '`importJob.update`' } }],
    },
  ],
};

type Changed = { syntacticName: string; typedName: string; code: string; options?: Options; errors: Invalid['errors'] };

/** Status values from another file whose names say nothing: their literal types give the phase. */
const typeAwareFinds: Changed[] = [
  {
    syntacticName: 'Valid because without type information RUNNING from another file is not known to be an in-progress status',
    typedName: "Invalid because (type-aware) RUNNING is 'running', and an early return leaves it in progress",
    code: `
import { RUNNING, DONE } from './statuses';
export async function backgroundSync(id: string) {
  await setStatus(id, RUNNING);
  const job = await load(id);
  if (!job) return;
  await setStatus(id, DONE);
}`,
    errors: [{ messageId: 'stuckInProgress', line: 4, data: { status: 'RUNNING', exit: 'the `return` at line 6', task: 'backgroundSync' } }],
  },
  {
    syntacticName: 'Valid because without type information JobState.Busy is not known to be an in-progress status',
    typedName: "Invalid because (type-aware) JobState.Busy is 'processing', and the catch sets no failed status",
    code: `
import { JobState } from './statuses';
export async function backgroundResize(id: string) {
  try {
    await repo.update(id, { status: JobState.Busy });
    await resize(id);
    await repo.update(id, { status: JobState.Shipped });
  } catch (error) {
    logger.error('resize failed', error);
  }
}`,
    errors: [
      {
        messageId: 'stuckInProgress',
        line: 5,
        data: { status: 'JobState.Busy', exit: 'the catch clause at line 8 (which sets no failed status)', task: 'backgroundResize' },
      },
    ],
  },
  {
    syntacticName: 'Valid because without type information JobState.Broken is not known to be a failed status (requireErrorDetail)',
    typedName: "Invalid because (type-aware) JobState.Broken is 'failed', and it carries no error detail (requireErrorDetail)",
    options: [{ requireErrorDetail: true }],
    code: `
import { JobState } from './statuses';
export async function backgroundMail(id: string) {
  try {
    await setStatus(id, 'running');
    await send(id);
    await setStatus(id, 'done');
  } catch (e) {
    logger.error('mail failed', e);
    await setStatus(id, JobState.Broken);
  }
}`,
    errors: [{ messageId: 'missingErrorDetail', line: 10, data: { task: 'backgroundMail', error: 'e' } }],
  },
];

/** Same outcome in both modes. */
const typedValid: Valid[] = [
  {
    name: 'Valid because the imported in-progress constant is followed by the completed one on every path',
    code: `
import { RUNNING, DONE } from './statuses';
export async function backgroundSync(id: string) {
  try {
    await setStatus(id, RUNNING);
    await sync(id);
    await setStatus(id, DONE);
  } catch (error) {
    logger.error('sync failed', error);
    await setStatus(id, 'failed');
  }
}`,
  },
  {
    name: 'Valid because the catch records JobState.Broken, a failed status from another file',
    code: `
import { JobState } from './statuses';
export async function backgroundResize(id: string) {
  try {
    await repo.update(id, { status: 'processing' });
    await resize(id);
    await repo.update(id, { status: JobState.Shipped });
  } catch (error) {
    logger.error('resize failed', error);
    await repo.update(id, { status: JobState.Broken, error: String(error) });
  }
}`,
  },
];

createRuleTester().run('require-status-updates (syntactic)', rule, {
  valid: [
    ...cases.valid,
    ...typedValid,
    ...typeAwareFinds.map(({ syntacticName, code, options }) => ({ name: syntacticName, code, ...(options ? { options } : {}) })),
  ],
  invalid: cases.invalid,
});

createTypedRuleTester().run('require-status-updates (type-aware)', rule, {
  valid: [...cases.valid, ...typedValid],
  invalid: [...cases.invalid, ...typeAwareFinds.map(({ typedName, code, options, errors }) => ({ name: typedName, code, errors, ...(options ? { options } : {}) }))],
});
