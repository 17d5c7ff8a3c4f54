/**
 * Background work registered in another file (issue 14, shape 5). The job's own file shows
 * nothing background: the worker file (tests/fixtures/typed/registrations.ts) registers it. With
 * type information the program-wide registration index makes it a background task, so the rules
 * judge it; without, it stays a request function unless `taskBaseClasses` names its base class.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import errorHandling, { type MessageIds as ErrorIds, type Options as ErrorOptions } from '../../src/rules/require-background-error-handling.js';
import statusUpdates, { type MessageIds as StatusIds, type Options as StatusOptions } from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Changed<M extends string, O extends readonly unknown[]> = {
  syntacticName: string;
  typedName: string;
  code: string;
  errors: InvalidTestCase<M, O>['errors'];
};

const statusFinds: Changed<StatusIds, StatusOptions>[] = [
  {
    syntacticName: 'Valid because without type information processEmailJob is not known to be registered by another file',
    typedName:
      'Invalid because (type-aware) registrations.ts registers processEmailJob with new Worker(name, fn), and an early return leaves its status running',
    code: `
export async function processEmailJob(job: { id: string }) {
  await updateStatus(job.id, 'running');
  const mail = await load(job.id);
  if (!mail) return;
  await send(mail);
  await updateStatus(job.id, 'done');
}`,
    errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'the `return` at line 5', task: 'processEmailJob' } }],
  },
  {
    syntacticName: 'Valid because without type information processImport (an arrow const) is not known to be registered',
    typedName: 'Invalid because (type-aware) registrations.ts hands processImport to queue.process, as Dokploy does (Dokploy/dokploy)',
    code: `
export const processImport = async (job: { id: string }) => {
  await repo.update(job.id, { status: 'processing' });
  const rows = await read(job.id);
  if (rows.length === 0) return;
  await repo.update(job.id, { status: 'completed' });
};`,
    errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'processing', exit: 'the `return` at line 5', task: 'processImport' } }],
  },
  {
    syntacticName: 'Valid because without type information chargeCard is not known to be a Temporal activity',
    typedName: 'Invalid because (type-aware) registrations.ts proxies chargeCard with proxyActivities<typeof activities>(), as dittofeed does (dittofeed/dittofeed)',
    code: `
export async function chargeCard(id: string) {
  await setStatus(id, 'running');
  const card = await cards.find(id);
  if (!card) return;
  await setStatus(id, 'done');
}`,
    errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'the `return` at line 5', task: 'chargeCard' } }],
  },
  {
    syntacticName: 'Valid because without type information (and no taskBaseClasses) a BaseTask subclass is not known to run as a job',
    typedName:
      "Invalid because (type-aware) the worker calls BaseTask's abstract perform(), so ExportTask.perform runs as a job, as in Outline (outline/outline)",
    code: `
import { BaseTask } from './base-task.js';
export class ExportTask extends BaseTask<{ id: string }> {
  async perform({ id }: { id: string }) {
    await exports.update(id, { status: 'processing' });
    const file = await render(id);
    if (!file) return;
    await exports.update(id, { status: 'completed' });
  }
}`,
    errors: [{ messageId: 'stuckInProgress', line: 5, data: { status: 'processing', exit: 'the `return` at line 7', task: 'ExportTask.perform' } }],
  },
  {
    syntacticName: 'Valid because without type information a subclass of a subclass of BaseTask is not known to run as a job',
    typedName: 'Invalid because (type-aware) the index follows the class chain: CsvExport extends ExportBase extends BaseTask',
    code: `
import { BaseTask } from './base-task.js';
abstract class ExportBase extends BaseTask<{ id: string }> {}
export class CsvExport extends ExportBase {
  async perform({ id }: { id: string }) {
    await setStatus(id, 'running');
    if (!id) return;
    await setStatus(id, 'done');
  }
}`,
    errors: [{ messageId: 'stuckInProgress', line: 6, data: { status: 'running', exit: 'the `return` at line 7', task: 'CsvExport.perform' } }],
  },
];

/** Same outcome with and without type information. */
const statusValid: ValidTestCase<StatusOptions>[] = [
  {
    name: 'Valid because a function of the same name that nobody registers stays a request function',
    code: `
export async function processEmailJobLater(job: { id: string }) {
  await updateStatus(job.id, 'running');
  if (!job) return;
}`,
  },
  {
    name: "Valid because a BaseTask subclass's other methods are not what the worker runs",
    code: `
import { BaseTask } from './base-task.js';
export class ExportTask extends BaseTask<{ id: string }> {
  async perform() {}
  describe() {
    void setStatus('x', 'running');
    return 'export';
  }
}`,
  },
  {
    name: "Valid because a job calling a repository's abstract findById does not make every repository a job",
    code: `
import { BaseRepository } from './base-task.js';
export class UserRepository extends BaseRepository {
  async findById(id: string) {
    await setStatus(id, 'running');
    if (!id) return undefined;
    return { id };
  }
}`,
  },
  {
    name: 'Valid because no worker runs a BaseView subclass (an abstract method alone does not make a job)',
    code: `
import { BaseView } from './base-task.js';
export class Page extends BaseView {
  async render() {
    await setStatus('page', 'running');
    if (Math.random() > 1) return '';
    return 'html';
  }
}`,
  },
];

const errorFinds: Changed<ErrorIds, ErrorOptions>[] = [
  {
    syntacticName: 'Valid because without type information processEmailJob is not known to be a queue processor',
    typedName:
      'Invalid because (type-aware) processEmailJob is a BullMQ processor registered in registrations.ts, and its catch swallows the failure',
    code: `
export async function processEmailJob(job: { id: string }) {
  try {
    await send(job.id);
  } catch (error) {}
}`,
    errors: [
      {
        messageId: 'silentCatch',
        line: 5,
        data: { task: 'processEmailJob', logger: 'console', error: 'error' },
        suggestions: [
          {
            messageId: 'addLogging',
            data: { logger: 'console' },
            output: `
export async function processEmailJob(job: { id: string }) {
  try {
    await send(job.id);
  } catch (error) {
    console.error(\`processEmailJob failed\`, error);
  }
}`,
          },
        ],
      },
    ],
  },
];

const syntactic = createRuleTester();
const typed = createTypedRuleTester();

syntactic.run('require-status-updates (registrations, without types)', statusUpdates, {
  valid: [...statusFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code })), ...statusValid],
  invalid: [],
});
typed.run('require-status-updates (registrations, type-aware)', statusUpdates, {
  valid: statusValid,
  invalid: statusFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors })),
});
syntactic.run('require-background-error-handling (registrations, without types)', errorHandling, {
  valid: errorFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code })),
  invalid: [],
});
typed.run('require-background-error-handling (registrations, type-aware)', errorHandling, {
  valid: [],
  invalid: errorFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors })),
});

/** The one-line recipe without types: `taskBaseClasses` names the project's job base class. */
const settings = { 'background-tasks': { taskBaseClasses: ['BaseTask.perform', 'BaseProcessor.perform'] } };
const withSettings = createRuleTester();
withSettings.run('require-status-updates (taskBaseClasses, without types)', statusUpdates, {
  valid: [
    {
      name: 'Valid because only the named method of a named base class runs as a job (seen in outline/outline: onFailed is a hook)',
      settings,
      code: `
export default class ImportTask extends BaseTask<Props> {
  public async onFailed({ id }: Props) {
    await this.imports.update(id, { status: 'running' });
    if (!id) return;
  }
}`,
    },
    {
      name: 'Valid because a class extending another base is not a job',
      settings,
      code: `
export class Page extends BaseView {
  async perform(id: string) {
    await setStatus(id, 'running');
    if (!id) return;
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because taskBaseClasses names BaseTask.perform, and the perform() of its subclass can leave the status running (outline/outline shape)',
      settings,
      code: `
export default class ImportTask extends BaseTask<Props> {
  public async perform({ id }: Props) {
    await this.imports.update(id, { status: 'running' });
    const file = await this.download(id);
    if (!file) return;
    await this.imports.update(id, { status: 'completed' });
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 4, data: { status: 'running', exit: 'the `return` at line 6', task: 'ImportTask.perform' } }],
    },
  ],
});

/** The untyped stand-in for registered functions: `taskModules` names the files whose exports are jobs. */
const moduleSettings = { 'background-tasks': { taskModules: ['**/activities.ts', 'server/jobs/*.ts'] } };
withSettings.run('require-status-updates (taskModules, without types)', statusUpdates, {
  valid: [
    {
      name: 'Valid because a function that the activities file does not export is a helper, not an activity',
      settings: moduleSettings,
      filename: 'packages/backend-lib/src/broadcasts/activities.ts',
      code: `
async function loadBroadcast(id: string) {
  await setStatus(id, 'running');
  if (!id) return;
}
export const unused = loadBroadcast;`,
    },
    {
      name: 'Valid because a file outside taskModules keeps its exports request functions',
      settings: moduleSettings,
      filename: 'server/routes/jobs.ts',
      code: `
export async function markBroadcastStatus(id: string) {
  await setStatus(id, 'running');
  if (!id) return;
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because taskModules makes the exports of activities.ts Temporal activities (dittofeed/dittofeed shape), and this one can leave running',
      settings: moduleSettings,
      filename: 'packages/backend-lib/src/broadcasts/activities.ts',
      code: `
export async function markBroadcastStatus(id: string) {
  await setStatus(id, 'running');
  const broadcast = await getBroadcast(id);
  if (!broadcast) return;
  await setStatus(id, 'done');
}`,
      errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'the `return` at line 5', task: 'markBroadcastStatus' } }],
    },
    {
      name: 'Invalid because an exported arrow in a server/jobs file runs as a job',
      settings: moduleSettings,
      filename: '/repo/server/jobs/cleanup.ts',
      code: `
export const cleanup = async (id: string) => {
  await setStatus(id, 'processing');
  if (!id) return;
  await setStatus(id, 'done');
};`,
      errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'processing', exit: 'the `return` at line 4', task: 'cleanup' } }],
    },
  ],
});
