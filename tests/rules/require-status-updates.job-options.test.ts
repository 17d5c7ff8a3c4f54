/**
 * Jobs named by a property of an options object (issue 14, round 2): karakeep's
 * `createRunner(queue, { run, onComplete, onError })`, `defineJob({ id, handler })`, and documenso's
 * `{ handler } satisfies JobDefinition`. The vocabulary holds these shapes (dispatchers with a
 * `jobProperty` / `failureCallback`, and `jobDefinitionTypes`), not the rules.
 */
import rule from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-status-updates (jobs named by an options property)', rule, {
  valid: [
    {
      name: 'Valid because (requireStatusTracking) the onError callback of the runner writes the feed status: the job tracks its status there (seen in karakeep-app/karakeep feedWorker.ts)',
      options: [{ requireStatusTracking: true }],
      code: `
async function run(req: DequeuedJob<{ feedId: string }>) {
  const entries = await fetchFeed(req.data.feedId);
  await db.insert(rssFeedImportsTable).values(entries);
}
export const worker = queueClient.createRunner(queue, {
  run: withWorkerTracing('feedWorker.run', run),
  onError: async (job) => {
    await db.update(rssFeedsTable).set({ lastFetchedStatus: 'failure' }).where(eq(rssFeedsTable.id, job.data!.feedId));
  },
});`,
    },
    {
      name: 'Valid because the runner calls onError with the failure, and onError writes the failure status after run rethrows (seen in karakeep-app/karakeep)',
      code: `
async function runImport(job: DequeuedJob<{ importId: string }>) {
  await db.update(imports).set({ status: 'running' }).where(eq(imports.id, job.data.importId));
  await importAll(job.data.importId);
  await db.update(imports).set({ status: 'completed' }).where(eq(imports.id, job.data.importId));
}
export class ImportWorker {
  static async build(queue: Queue<{ importId: string }>) {
    return (await getQueueClient()).createRunner(queue, {
      run: withWorkerTracing('importWorker.run', withWorkerEventLog('importWorker.run', runImport)),
      onComplete: async (job) => logger.info('done ' + job.id),
      onError: async (job) => {
        logger.error('import failed', job.error);
        await db.update(imports).set({ status: 'failed' }).where(eq(imports.id, job.data!.importId));
      },
    }, { concurrency: 1 });
  }
}`,
    },
    {
      name: 'Valid because an object with a handler property typed as another definition is not a job (a route definition)',
      code: `
export const ROUTE = {
  path: '/jobs',
  handler: async ({ payload }) => {
    await setStatus(payload.id, 'running');
    if (!payload.ok) return;
    await setStatus(payload.id, 'done');
  },
} satisfies RouteDefinition;`,
    },
    {
      name: 'Valid because a run property handed to a call that is not a runner (router.create) is not a job',
      code: `
router.create({
  run: async (id: string) => {
    await setStatus(id, 'running');
    if (!id) return;
    await setStatus(id, 'done');
  },
});`,
    },
    {
      name: 'Valid because a JobDefinition handler that only imports its module and calls it is a delegate: the job is the imported function (seen in documenso/documenso)',
      code: `
export const SEAL_DOCUMENT_JOB_DEFINITION = {
  id: 'internal.seal-document',
  handler: async ({ payload, io }) => {
    const handler = await import('./seal-document.handler');
    await setStatus(payload.id, 'running');
    await handler.run({ payload, io });
  },
} as const satisfies JobDefinition<typeof ID, Payload>;`,
    },
    {
      name: 'Valid because the job handler of a JobDefinition ends its status on every path (seen in documenso/documenso)',
      code: `
export const SEAL_DOCUMENT_JOB_DEFINITION = {
  id: 'internal.seal-document',
  handler: async ({ payload, io }) => {
    try {
      await prisma.backgroundJob.update({ where: { id: payload.jobId }, data: { status: 'PROCESSING' } });
      await io.runTask('seal', () => seal(payload.documentId));
      await prisma.backgroundJob.update({ where: { id: payload.jobId }, data: { status: 'COMPLETED' } });
    } catch (error) {
      await prisma.backgroundJob.update({ where: { id: payload.jobId }, data: { status: 'FAILED' } });
      throw error;
    }
  },
} as const satisfies JobDefinition<typeof ID, Payload>;`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because (requireStatusTracking) a createRunner job writes its import rows but nothing records a status, not even onError',
      options: [{ requireStatusTracking: true }],
      code: `
async function run(req: DequeuedJob<{ importId: string }>) {
  const rows = await readImport(req.data.importId);
  await db.insert(importJobs).values(rows);
}
export const worker = queueClient.createRunner(queue, {
  run,
  onError: async (job) => logger.error('import failed', job.error),
});`,
      errors: [{ messageId: 'missingStatusTracking', line: 2, data: { kind: 'Queue job', task: 'run', target: '`db.insert`' } }],
    },
    {
      name: 'Invalid because the function wrapped in createRunner({ run }) is a queue job, and an early return leaves its status running (karakeep-app/karakeep shape)',
      code: `
async function runBackup(job: DequeuedJob<{ backupId: string }>) {
  await db.update(backups).set({ status: 'running' }).where(eq(backups.id, job.data.backupId));
  const user = await loadUser(job.data.backupId);
  if (!user) return;
  await db.update(backups).set({ status: 'success' }).where(eq(backups.id, job.data.backupId));
}
export async function startBackupWorker(queue: Queue<{ backupId: string }>) {
  return (await getQueueClient()).createRunner(queue, {
    run: withWorkerTracing('backupWorker.run', withWorkerEventLog('backupWorker.run', runBackup)),
    onError: async (job) => logger.error('backup failed', job.error),
  }, { concurrency: 1 });
}`,
      errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'the `return` at line 5', task: 'runBackup' } }],
    },
    {
      name: 'Invalid because a thin delegate in run: hands the job to runCrawl, which can leave crawlStatus pending-running on an early return (karakeep-app/karakeep crawlerWorker shape)',
      code: `
async function runCrawl(job: DequeuedJob<{ bookmarkId: string }>, retries: number) {
  await db.update(bookmarkLinks).set({ crawlStatus: 'running' }).where(eq(bookmarkLinks.id, job.data.bookmarkId));
  const page = await crawl(job.data.bookmarkId, retries);
  if (!page) return;
  await db.update(bookmarkLinks).set({ crawlStatus: 'success' }).where(eq(bookmarkLinks.id, job.data.bookmarkId));
}
export const worker = queueClient.createRunner(queue, {
  run: withWorkerTracing('crawlerWorker.run', (job) => runCrawl(job, 3)),
});`,
      errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'the `return` at line 5', task: 'runCrawl' } }],
    },
    {
      name: 'Invalid because the handler of a JobDefinition (satisfies) is a job, and an early return leaves PROCESSING (documenso/documenso shape)',
      code: `
export const SEND_EMAIL_JOB_DEFINITION = {
  id: 'send.email',
  handler: async ({ payload }) => {
    await prisma.backgroundJob.update({ where: { id: payload.jobId }, data: { status: 'PROCESSING' } });
    const recipient = await prisma.recipient.findFirst({ where: { id: payload.recipientId } });
    if (!recipient) return;
    await mailer.send(recipient.email);
    await prisma.backgroundJob.update({ where: { id: payload.jobId }, data: { status: 'COMPLETED' } });
  },
} as const satisfies JobDefinition<typeof ID, Payload>;`,
      errors: [{ messageId: 'stuckInProgress', line: 5, data: { status: 'PROCESSING', exit: 'the `return` at line 7', task: 'handler' } }],
    },
    {
      name: 'Invalid because defineJob({ handler }) makes the handler a job (a typed variable works the same)',
      code: `
jobs.defineJob({
  id: 'reindex',
  handler: async ({ payload }) => {
    await setStatus(payload.id, 'running');
    if (!payload.force) return;
    await setStatus(payload.id, 'done');
  },
});
const CLEANUP: JobDefinition<'cleanup', Payload> = {
  id: 'cleanup',
  handler: async ({ payload }) => {
    await setStatus(payload.id, 'running');
    if (!payload.force) return;
    await setStatus(payload.id, 'done');
  },
};`,
      errors: [
        { messageId: 'stuckInProgress', line: 5, data: { status: 'running', exit: 'the `return` at line 6', task: 'handler' } },
        { messageId: 'stuckInProgress', line: 13, data: { status: 'running', exit: 'the `return` at line 14', task: 'handler' } },
      ],
    },
    {
      name: 'Invalid because the onError callback only logs: the rethrown failure leaves the import running',
      code: `
async function runImport(job: DequeuedJob<{ importId: string }>) {
  await db.update(imports).set({ status: 'running' }).where(eq(imports.id, job.data.importId));
  await importAll(job.data.importId);
  await db.update(imports).set({ status: 'completed' }).where(eq(imports.id, job.data.importId));
}
export const worker = queueClient.createRunner(queue, {
  run: runImport,
  onError: async (job) => logger.error('import failed', job.error),
});`,
      errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'an exception thrown at line 4', task: 'runImport' } }],
    },
  ],
});
