/**
 * A success status written before the job's last fallible step (issue 14, shape 4): a failure
 * after it is recorded over a success already reported, or the queue retries a job whose entity
 * already says it succeeded. Logging, notifications whose failure is caught, cleanup and the save
 * of the written object are allowed after completion.
 */
import rule from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-status-updates (success before the last fallible step)', rule, {
  valid: [
    {
      name: 'Valid because the success email after Complete has its failure caught and logged (seen in outline/outline, the fixed form)',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async perform(job: Job<{ id: string }>) {
    try {
      await this.fileOperations.update(job.data.id, { state: 'creating' });
      const url = await this.export(job.data.id);
      await this.fileOperations.update(job.data.id, { state: 'complete', url });
      await new ExportSuccessEmail({ id: job.data.id }).schedule().catch((err) => this.logger.error('email failed', err));
    } catch (error) {
      await this.fileOperations.update(job.data.id, { state: 'error' });
      throw error;
    }
  }
}`,
    },
    {
      name: 'Valid because the notification after completed sits in its own try/catch that only logs (seen in a public NestJS backend)',
      code: `
const worker = new Worker('imports', async (job) => {
  try {
    await prisma.importJob.update({ where: { id: job.data.id }, data: { status: 'PROCESSING' } });
    await runImport(job.data.id);
    await prisma.importJob.update({ where: { id: job.data.id }, data: { status: 'COMPLETED' } });
    try {
      await notifier.send(job.data.userId, 'import done');
    } catch (error) {
      logger.warn('notification failed', error);
    }
  } catch (error) {
    await prisma.importJob.update({ where: { id: job.data.id }, data: { status: 'FAILED' } });
    throw error;
  }
});`,
    },
    {
      name: 'Valid because only logging follows the completed write',
      code: `
export async function reindexInBackground(id: string) {
  try {
    await setStatus(id, 'running');
    await reindex(id);
    await setStatus(id, 'done');
    logger.info('reindex finished', { id });
  } catch (error) {
    logger.error('reindex failed', error);
    await setStatus(id, 'failed');
  }
}`,
    },
    {
      name: 'Valid because the completed write goes through the query runner of an open transaction: a later failure rolls it back (TypeORM)',
      code: `
export async function settleInBackground(id: string) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.update(Payout, id, { status: 'processing' });
    await queryRunner.manager.update(Payout, id, { status: 'completed' });
    await queryRunner.manager.insert(Ledger, { payoutId: id });
    await queryRunner.commitTransaction();
  } catch (error) {
    await queryRunner.rollbackTransaction();
    await payouts.update(id, { status: 'failed' });
  } finally {
    await queryRunner.release();
  }
}`,
    },
    {
      name: "Valid because each item's done status belongs to that item: work after the loop does not undo it (seen in a public backend's batch job)",
      code: `
export async function syncInBackground(ids: string[]) {
  try {
    for (const id of ids) {
      await setStatus(id, 'running');
      await sync(id);
      await setStatus(id, 'done');
    }
    await reportSummary(ids);
  } catch (error) {
    await setStatus(ids[0], 'failed');
  }
}`,
    },
    {
      name: 'Valid because the save after job.status = completed is the write itself (Sequelize instance, MikroORM-style assignment)',
      code: `
export async function exportInBackground(job: ExportJob) {
  try {
    job.status = 'processing';
    await job.save();
    await render(job);
    job.status = 'completed';
    await job.save();
  } catch (error) {
    job.status = 'failed';
    await job.save();
  }
}`,
    },
    {
      name: 'Valid because the cleanup after success is in finally: it is not a step of the job',
      code: `
export async function exportInBackground(id: string) {
  try {
    await exportsRepo.update(id, { status: 'processing' });
    await upload(id);
    await exportsRepo.update(id, { status: 'completed' });
  } catch (error) {
    await exportsRepo.update(id, { status: 'failed' });
  } finally {
    await fs.promises.rm(tmpDir(id), { recursive: true });
  }
}`,
    },
    {
      name: 'Valid because a background function that tracks no status lifecycle (only one completed write) is not judged',
      code: `
export async function cleanupInBackground(id: string) {
  await db.update(exportsTable).set({ status: 'done' }).where(eq(exportsTable.id, id));
  await purgeFiles(id);
}`,
    },
    {
      name: 'Valid because a failure of the work after completed escapes a setImmediate callback that no framework retries (an unhandled rejection: the error-handling rule reports that)',
      code: `
export function start(id: string) {
  setImmediate(async () => {
    try {
      await setStatus(id, 'running');
      await work(id);
      await setStatus(id, 'done');
    } catch (error) {
      await setStatus(id, 'failed');
      return;
    }
    await notify(id);
  });
}`,
    },
    {
      name: 'Valid because the cleanup after success is a same-file function whose whole body is a try/catch that logs: it cannot fail (seen in karakeep-app/karakeep backupWorker.ts)',
      code: `
async function cleanupOldBackups(userId: string) {
  try {
    const old = await Backup.findOld(userId);
    for (const backup of old) await backup.delete();
  } catch (error) {
    logger.error('cleanup failed', error);
  }
}
export async function backupInBackground(backup: BackupModel) {
  try {
    await backup.update({ status: 'running' });
    await createArchive(backup);
    await backup.update({ status: 'success' });
    await cleanupOldBackups(backup.userId);
  } catch (error) {
    await backup.update({ status: 'failure' });
    throw error;
  }
}`,
    },
    {
      name: 'Valid because requireSuccessLast is off',
      options: [{ requireSuccessLast: false }],
      code: `
const worker = new Worker('reports', async (job) => {
  try {
    await reports.update(job.data.id, { status: 'processing' });
    await build(job.data.id);
    await reports.update(job.data.id, { status: 'completed' });
    await webhooks.send(job.data.id);
  } catch (error) {
    await reports.update(job.data.id, { status: 'failed' });
    throw error;
  }
});`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the cleanup after success can fail (it catches nothing), and the catch writes failure over the finished backup (karakeep-app/karakeep shape)',
      code: `
async function cleanupOldBackups(userId: string) {
  const old = await Backup.findOld(userId);
  for (const backup of old) await backup.delete();
}
export async function backupInBackground(backup: BackupModel) {
  try {
    await backup.update({ status: 'running' });
    await createArchive(backup);
    await backup.update({ status: 'success' });
    await cleanupOldBackups(backup.userId);
  } catch (error) {
    await backup.update({ status: 'failure' });
    throw error;
  }
}`,
      errors: [
        {
          messageId: 'successBeforeFallibleWork',
          line: 10,
          data: {
            task: 'backupInBackground',
            status: 'success',
            work: 'cleanupOldBackups()',
            line: '11',
            outcome: 'its catch then writes a failed status over a job that already reported success',
          },
        },
      ],
    },
    {
      name: 'Invalid because Complete is written before the success email, whose failure the catch records as error and rethrows for a retry (seen in outline/outline ExportTask.ts)',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async perform(job: Job<{ id: string }>) {
    try {
      await this.fileOperations.update(job.data.id, { state: 'creating' });
      const url = await this.export(job.data.id);
      await this.fileOperations.update(job.data.id, { state: 'complete', url });
      await new ExportSuccessEmail({ id: job.data.id }).schedule();
    } catch (error) {
      await this.fileOperations.update(job.data.id, { state: 'error' });
      throw error;
    }
  }
}`,
      errors: [
        {
          messageId: 'successBeforeFallibleWork',
          line: 9,
          data: {
            task: 'ExportProcessor.perform',
            status: 'complete',
            work: 'schedule()',
            line: '10',
            outcome: 'its catch then writes a failed status over a job that already reported success',
          },
        },
      ],
    },
    {
      name: 'Invalid because a BullMQ processor writes COMPLETED (Prisma) before an uncaught webhook call: BullMQ fails and retries a job whose row says it succeeded (its failed listener records FAILED over it)',
      code: `
const worker = new Worker('reports', async (job) => {
  await prisma.report.update({ where: { id: job.data.id }, data: { status: 'PROCESSING' } });
  await build(job.data.id);
  await prisma.report.update({ where: { id: job.data.id }, data: { status: 'COMPLETED' } });
  await webhooks.send(job.data.id);
});
worker.on('failed', async (job) => {
  await prisma.report.update({ where: { id: job!.data.id }, data: { status: 'FAILED' } });
});`,
      errors: [
        {
          messageId: 'successBeforeFallibleWork',
          line: 5,
          data: {
            task: 'the new Worker callback',
            status: 'COMPLETED',
            work: 'webhooks.send()',
            line: '6',
            outcome: 'the queue then fails and retries a job whose entity already says it succeeded',
          },
        },
      ],
    },
    {
      name: 'Invalid because Drizzle sets done before the report upload, and the catch then writes failed over it',
      code: `
export async function buildReportInBackground(id: string) {
  try {
    await db.update(reports).set({ status: 'running' }).where(eq(reports.id, id));
    const file = await render(id);
    await db.update(reports).set({ status: 'done' }).where(eq(reports.id, id));
    await storage.upload(file);
  } catch (error) {
    await db.update(reports).set({ status: 'failed' }).where(eq(reports.id, id));
  }
}`,
      errors: [
        {
          messageId: 'successBeforeFallibleWork',
          line: 6,
          data: {
            task: 'buildReportInBackground',
            status: 'done',
            work: 'storage.upload()',
            line: '7',
            outcome: 'its catch then writes a failed status over a job that already reported success',
          },
        },
      ],
    },
    {
      name: 'Invalid because a Bull @Process handler (TypeORM) writes completed, then enqueues the next step; the rethrowing catch lets Bull retry a completed job',
      code: `
@Processor('imports')
export class ImportProcessor {
  @Process()
  async handle(job: Job<{ id: string }>) {
    try {
      await this.imports.update(job.data.id, { status: 'processing' });
      await this.load(job.data.id);
      await this.imports.update(job.data.id, { status: 'completed' });
      await this.indexQueue.add('index', { id: job.data.id });
    } catch (error) {
      this.logger.error('import failed', error);
      throw error;
    }
  }
}`,
      errors: [
        { messageId: 'stuckInProgress', line: 7 },
        {
          messageId: 'successBeforeFallibleWork',
          line: 9,
          data: {
            task: 'ImportProcessor.handle',
            status: 'completed',
            work: 'indexQueue.add()',
            line: '10',
            outcome: 'the queue then fails and retries a job whose entity already says it succeeded',
          },
        },
      ],
    },
    {
      name: 'Invalid because a Mongoose job marks the export completed before the callback request, in a switch case',
      code: `
export async function runExportInBackground(job: ExportJob) {
  try {
    switch (job.kind) {
      case 'csv':
        await ExportModel.findByIdAndUpdate(job.id, { status: 'processing' });
        await writeCsv(job);
        await ExportModel.findByIdAndUpdate(job.id, { status: 'completed' });
        await fetch(job.callbackUrl, { method: 'POST' });
        break;
      default:
        break;
    }
  } catch (error) {
    await ExportModel.findByIdAndUpdate(job.id, { status: 'failed' });
  }
}`,
      errors: [
        {
          messageId: 'successBeforeFallibleWork',
          line: 8,
          data: {
            task: 'runExportInBackground',
            status: 'completed',
            work: 'fetch()',
            line: '9',
            outcome: 'its catch then writes a failed status over a job that already reported success',
          },
        },
      ],
    },
  ],
});
