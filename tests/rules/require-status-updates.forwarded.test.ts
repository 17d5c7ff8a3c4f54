/**
 * Status writes through a pass-through helper (issue 14, round 3): a same-file function that hands
 * one of its parameters on to the write (`this.updateFileOperation(op, { state })` in outline's
 * ExportTask) makes its call that status write, for the stuck-in-progress and the
 * success-before-fallible-work checks alike.
 */
import rule from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

createRuleTester().run('require-status-updates (status written through a helper)', rule, {
  valid: [
    {
      name: 'Valid because the success email after Complete has its failure caught, and every state goes through the helper (seen in outline/outline, the fixed form)',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async perform(job: Job<{ id: string }>) {
    const fileOperation = await FileOperation.findByPk(job.data.id, { rejectOnEmpty: true });
    try {
      await this.updateFileOperation(fileOperation, { state: FileOperationState.Creating });
      const url = await this.export(fileOperation);
      await this.updateFileOperation(fileOperation, { state: FileOperationState.Complete, url });
      await new ExportSuccessEmail({ id: fileOperation.id }).schedule().catch((err) => Logger.error('email failed', err));
    } catch (error) {
      await this.updateFileOperation(fileOperation, { state: FileOperationState.Error, error });
      throw error;
    }
  }

  private async updateFileOperation(fileOperation: FileOperation, options: Partial<FileOperation>) {
    await fileOperation.update({ ...options, error: options.error ? String(options.error) : undefined }, { hooks: false });
  }
}`,
    },
    {
      name: 'Valid because the helper does not pass its argument on to a write: it only publishes an event, so its call is no status write and nothing is left in progress (seen in a public NestJS backend)',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async perform(job: Job<{ id: string }>) {
    try {
      await this.publish(job.data.id, { state: 'processing' });
      await this.export(job.data.id);
    } catch (error) {
      this.logger.error('export failed', error);
    }
  }

  private async publish(id: string, payload: { state: string }) {
    await this.events.emit('export.progress', { id, at: Date.now() });
  }
}`,
    },
    {
      name: 'Valid because the helper forwards its second parameter, but the status sits in the first, which it only reads (seen in a public Prisma backend)',
      code: `
async function saveRun(meta: { status: string }, fields: { output?: string }) {
  await prisma.run.update({ where: { id: meta.id }, data: { ...fields } });
}
export async function runInBackground(id: string) {
  try {
    await saveRun({ id, status: 'running' }, {});
    await execute(id);
  } catch (error) {
    logger.error('run failed', error);
  }
}`,
    },
    {
      name: 'Valid because the job status goes through a Prisma helper on every path: running, then completed, and failed in the catch (seen in a public BullMQ backend)',
      code: `
const setStatus = (id: string, status: string) => prisma.importJob.update({ where: { id }, data: { status } });
const worker = new Worker('imports', async (job) => {
  try {
    await setStatus(job.data.id, 'PROCESSING');
    await runImport(job.data.id);
    await setStatus(job.data.id, 'COMPLETED');
  } catch (error) {
    await setStatus(job.data.id, 'FAILED');
    throw error;
  }
});`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because Complete is written through the pass-through helper before the success email, whose failure the catch records as Error and rethrows for a retry (seen in outline/outline server/queues/tasks/ExportTask.ts)',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async perform(job: Job<{ id: string }>) {
    const fileOperation = await FileOperation.findByPk(job.data.id, { rejectOnEmpty: true });
    try {
      await this.updateFileOperation(fileOperation, { state: FileOperationState.Creating });
      const url = await this.export(fileOperation);
      await this.updateFileOperation(fileOperation, { state: FileOperationState.Complete, url });
      await new ExportSuccessEmail({ id: fileOperation.id }).schedule();
    } catch (error) {
      await this.updateFileOperation(fileOperation, { state: FileOperationState.Error, error });
      throw error;
    }
  }

  private async updateFileOperation(fileOperation: FileOperation, options: Partial<FileOperation>) {
    await fileOperation.update({ ...options, error: options.error ? String(options.error) : undefined }, { hooks: false });
  }
}`,
      errors: [
        {
          messageId: 'successBeforeFallibleWork',
          line: 10,
          data: {
            task: 'ExportProcessor.perform',
            status: 'FileOperationState.Complete',
            work: 'schedule()',
            line: '11',
            outcome: 'its catch then writes a failed status over a job that already reported success',
          },
        },
      ],
    },
    {
      name: 'Invalid because PROCESSING is written through a Prisma helper and the catch only logs: a failed import stays PROCESSING (seen in a public BullMQ backend)',
      code: `
const setStatus = (id: string, status: string) => prisma.importJob.update({ where: { id }, data: { status } });
const worker = new Worker('imports', async (job) => {
  try {
    await setStatus(job.data.id, 'PROCESSING');
    await runImport(job.data.id);
    await setStatus(job.data.id, 'COMPLETED');
  } catch (error) {
    logger.error('import failed', error);
  }
});`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 5,
          data: { status: 'PROCESSING', exit: 'the catch clause at line 8 (which sets no failed status)', task: 'the new Worker callback' },
        },
      ],
    },
    {
      name: 'Invalid because running is written through a TypeORM helper that assigns the status parameter and saves, and an early return leaves it (seen in a public NestJS backend)',
      code: `
@Processor('reports')
export class ReportProcessor {
  @Process()
  async handle(job: Job<{ id: string }>) {
    const report = await this.reports.findOneByOrFail({ id: job.data.id });
    await this.mark(report, ReportStatus.Running);
    const rows = await this.load(report);
    if (rows.length === 0) return;
    await this.render(report, rows);
    await this.mark(report, ReportStatus.Completed);
  }

  private async mark(report: Report, status: ReportStatus) {
    report.status = status;
    await this.reports.save(report);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 7,
          data: { status: 'ReportStatus.Running', exit: 'the `return` at line 9', task: 'ReportProcessor.handle' },
        },
      ],
    },
    {
      name: 'Invalid because the status reaches a Drizzle `set` through two helpers, and the catch only logs (seen in a public Drizzle backend)',
      code: `
async function patchJob(id: string, fields: Partial<typeof jobs.$inferInsert>) {
  await db.update(jobs).set(fields).where(eq(jobs.id, id));
}
async function saveJob(id: string, fields: Partial<typeof jobs.$inferInsert>) {
  await patchJob(id, { ...fields, updatedAt: new Date() });
}
export async function syncInBackground(id: string) {
  await saveJob(id, { status: 'running' });
  try {
    await syncAccount(id);
    await saveJob(id, { status: 'done' });
  } catch (error) {
    console.error('sync failed', error);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 9,
          data: { status: 'running', exit: 'the catch clause at line 13 (which sets no failed status)', task: 'syncInBackground' },
        },
      ],
    },
  ],
});

createTypedRuleTester().run('require-status-updates (status written through a helper of another file, type-aware)', rule, {
  valid: [
    {
      name: 'Valid because (type-aware) the helper in deploy-service.ts writes the failed status the catch hands it (seen in a public Prisma backend)',
      code: `
import { saveImportJob } from './deploy-service.js';
declare function runImport(id: string): Promise<void>;
export async function importInBackground(id: string) {
  try {
    await saveImportJob(id, { status: 'PROCESSING' });
    await runImport(id);
    await saveImportJob(id, { status: 'COMPLETED' });
  } catch (error) {
    await saveImportJob(id, { status: 'FAILED', error: String(error) });
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because (type-aware) PROCESSING goes through a helper of another file that spreads its fields into a Prisma update, and the catch only logs (seen in a public Prisma backend)',
      code: `
import { saveImportJob } from './deploy-service.js';
declare function runImport(id: string): Promise<void>;
export async function importInBackground(id: string) {
  try {
    await saveImportJob(id, { status: 'PROCESSING' });
    await runImport(id);
    await saveImportJob(id, { status: 'COMPLETED' });
  } catch (error) {
    console.error('import failed', error);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 6,
          data: { status: 'PROCESSING', exit: 'the catch clause at line 9 (which sets no failed status)', task: 'importInBackground' },
        },
      ],
    },
  ],
});
