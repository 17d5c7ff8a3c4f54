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
