/**
 * Lifecycle logging of jobs named by an options property (issue 14, round 2): a wrapper that logs
 * each run where the job is registered (`run: withWorkerEventLog('x', run)`, vocabulary
 * `lifecycleLoggingWrappers`) is the job's lifecycle log.
 */
import rule from '../../src/rules/require-lifecycle-logging.js';
import { createRuleTester } from '../rule-tester.js';

const worker = (wrapped: string): string => `
async function runSearch(job: DequeuedJob<{ bookmarkId: string }>) {
  const bookmark = await loadBookmark(job.data.bookmarkId);
  await searchIndex.add(bookmark);
}
export const worker = queueClient.createRunner(queue, { run: ${wrapped} });`;

createRuleTester().run('require-lifecycle-logging (createRunner jobs)', rule, {
  valid: [
    {
      name: 'Valid because withWorkerEventLog logs every run of the job where it is registered (seen in karakeep-app/karakeep searchWorker.ts)',
      code: worker(`withWorkerTracing('searchWorker.run', withWorkerEventLog('searchWorker.run', runSearch))`),
    },
  ],
  invalid: [
    {
      name: 'Invalid because a tracing wrapper alone logs nothing: the createRunner job logs neither its start nor its completion',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: worker(`withWorkerTracing('searchWorker.run', runSearch)`),
      errors: [{ messageId: 'missingLifecycleLogging', line: 2, data: { kind: 'Queue job', task: 'runSearch' } }],
    },
  ],
});
