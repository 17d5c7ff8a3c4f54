/**
 * require-background-error-handling on the queue jobs that round 2 of issue 14 recognises
 * (`createRunner(queue, { run })`): a nested catch that logs a failed status write inside an outer
 * catch that rethrows does not end the job, and cleanup in `finally` whose failure is ignored on
 * purpose is not a silent catch.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

const runner = (body: string): string => `
async function run(job: DequeuedJob<{ id: string }>) {
${body}
}
export const worker = queueClient.createRunner(queue, { run, onError: async (job) => logger.error('failed', job.error) });`;

createRuleTester().run('require-background-error-handling (createRunner jobs)', rule, {
  valid: [
    {
      name: 'Valid because the inner catch only guards the failed-status write; the outer catch rethrows, so the job still fails (seen in karakeep-app/karakeep backupWorker.ts)',
      code: runner(`  try {
    await createBackup(job.data.id);
  } catch (error) {
    try {
      await backups.update(job.data.id, { status: 'failure' });
    } catch (updateError) {
      logger.error('could not mark the backup failed', updateError);
    }
    throw error;
  }`),
    },
    {
      name: 'Valid because cleanup in finally ignores its failure on purpose (an empty catch with a comment; seen in karakeep-app/karakeep backupWorker.ts)',
      code: runner(`  try {
    await createBackup(job.data.id);
  } finally {
    try {
      await unlink(tempPath(job.data.id));
    } catch {
      // Ignore errors during cleanup
    }
  }`),
    },
  ],
  invalid: [
    {
      // The step is a write, not cleanup: `unlink(tmp)` alone is cleanup whose failure loses nothing (vocabulary cleanupCallees, round 11).
      name: 'Invalid because an empty catch without a comment in finally is still silent',
      code: runner(`  try {
    await createBackup(job.data.id);
  } finally {
    try {
      await markBackupDone(job.data.id);
    } catch {}
  }`),
      errors: [
        {
          messageId: 'silentCatch',
          line: 8,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: runner(`  try {
    await createBackup(job.data.id);
  } finally {
    try {
      await markBackupDone(job.data.id);
    } catch (error) {
      console.error(\`run failed\`, error);
    }
  }`),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a commented empty catch around the job work itself (not cleanup in finally) swallows the failure',
      code: runner(`  try {
    await createBackup(job.data.id);
  } catch {
    // ignore
  }`),
      errors: [
        {
          messageId: 'silentCatch',
          line: 5,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: runner(`  try {
    await createBackup(job.data.id);
  } catch (error) {
    console.error(\`run failed\`, error);
    // ignore
  }`),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the processor catch logs and nothing after it rethrows: the runner marks the failed job completed',
      code: runner(`  try {
    await createBackup(job.data.id);
  } catch (error) {
    logger.error('backup failed', error);
  }`),
      errors: [
        {
          messageId: 'swallowedJobFailure',
          line: 5,
          suggestions: [
            {
              messageId: 'rethrowAfterLogging',
              data: { error: 'error' },
              output: runner(`  try {
    await createBackup(job.data.id);
  } catch (error) {
    logger.error('backup failed', error);
    throw error;
  }`),
            },
          ],
        },
      ],
    },
  ],
});
