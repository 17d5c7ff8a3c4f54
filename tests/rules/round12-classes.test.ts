/**
 * The false-positive classes of held-out set 17 (issue 13, round 12), each with the near miss that
 * stays reported: Lit web components, NestJS shutdown hooks, a dynamic `import()` with synchronous
 * handlers, and an authentication guard between a transaction's start and its commit.
 */
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import sessionScope from '../../src/rules/require-session-scope.js';
import statusUpdates from '../../src/rules/require-status-updates.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';

const tester = createRuleTester();

/** A dropped async helper called only from NestJS's onModuleDestroy (ultimate-backend libs/core/src/modules/subscription-base.provider.ts). */
const SHUTDOWN_HOOK = `
export class SubscriptionBaseProvider {
  async closeAsyncClients() {
    if (this.mqttClient) {
      await this.mqttClient.end(true);
    }
  }
  onModuleDestroy(): any {
    this.closeAsyncClients();
  }
}`;

tester.run('no-floating-background-task (round 12: web components, shutdown hooks, dynamic imports)', floating, {
  valid: [
    {
      name: 'Valid because a Lit web component runs in the browser, which logs an unhandled rejection and keeps the page (seen in a public app: padloc packages/app/src/elements/item-view.ts:146)',
      settings: NONE,
      code: `
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
@customElement('pl-item-view')
export class ItemView extends LitElement {
  async load() {
    await this.app.fetchItem(this.itemId);
  }
  updated() {
    this.load();
  }
}`,
    },
    {
      name: 'Valid because onModuleDestroy runs only while the application shuts down (seen in a public backend: ultimate-backend libs/core/src/modules/subscription-base.provider.ts:69)',
      settings: NONE,
      code: SHUTDOWN_HOOK,
    },
    {
      name: 'Valid because a dynamic import with a synchronous handler rejects only for a missing module, a deployment bug (seen in a public backend: keystone examples/graphql-ts-gql/keystone.ts:16)',
      settings: NONE,
      code: `
export async function onConnect() {
  if (process.argv.includes('dev')) {
    import('@ts-gql/compiler').then(({ watch }) => {
      watch(process.cwd());
    });
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the same component code without a UI import is server code',
      settings: NONE,
      code: `
export class ItemLoader {
  async load() {
    await this.db.items.findOne(this.itemId);
  }
  updated() {
    this.load();
  }
}`,
      errors: [{ messageId: 'floatingTask', line: 7, suggestions: [{ messageId: 'addCatch', data: { logger: 'console' }, output: `
export class ItemLoader {
  async load() {
    await this.db.items.findOne(this.itemId);
  }
  updated() {
    this.load().catch((error) => console.error('this.load failed', error));
  }
}` }] }],
    },
    {
      name: 'Invalid because onModuleInit is no shutdown hook: the process goes on running',
      settings: NONE,
      code: `
export class PlansService {
  async seedDatabasePlan() {
    const plans = await this.planRepository.find();
    if (plans.length === 0) await this.planRepository.create(DEFAULT_PLANS);
  }
  onModuleInit(): any {
    this.seedDatabasePlan();
  }
}`,
      errors: [{ messageId: 'floatingTask', line: 8, suggestions: [{ messageId: 'addCatch', data: { logger: 'console' }, output: `
export class PlansService {
  async seedDatabasePlan() {
    const plans = await this.planRepository.find();
    if (plans.length === 0) await this.planRepository.create(DEFAULT_PLANS);
  }
  onModuleInit(): any {
    this.seedDatabasePlan().catch((error) => console.error('this.seedDatabasePlan failed', error));
  }
}` }] }],
    },
    {
      name: 'Invalid because the dynamic import hands its module to async work that can fail',
      settings: NONE,
      code: `
export function startWorker() {
  import('./worker.js').then(async ({ run }) => {
    await run();
  });
}`,
      errors: [{ messageId: 'floatingTask', line: 3, suggestions: [{ messageId: 'addCatch', data: { logger: 'console' }, output: `
export function startWorker() {
  import('./worker.js').then(async ({ run }) => {
    await run();
  }).catch((error) => console.error('import(\\'./worker.js\\') failed', error));
}` }] }],
    },
  ],
});

tester.run('require-background-error-handling (round 12: shutdown hooks)', errorHandling, {
  valid: [
    {
      name: 'Valid because the dropped async helper runs only from onModuleDestroy (seen in a public backend: ultimate-backend libs/core/src/modules/subscription-base.provider.ts:62)',
      settings: NONE,
      code: SHUTDOWN_HOOK,
    },
  ],
  invalid: [],
});

tester.run('require-session-scope (round 12: a transaction left open by a return)', sessionScope, {
  valid: [
    {
      name: 'Valid because a 401/403 guard is an authentication check the auth middleware makes unreachable (seen in a public backend: verifywise Servers/controllers/task.ctrl.ts:49)',
      code: `
export async function createTask(req: Request, res: Response) {
  const transaction = await sequelize.transaction();
  try {
    const { userId, role } = req;
    if (!userId || !role) {
      return res.status(401).json({ message: 'Unauthorized' });
    }
    if (role !== 'Admin') return res.status(StatusCodes.FORBIDDEN).end();
    const task = await Task.create(req.body, { transaction });
    await transaction.commit();
    return res.status(201).json(task);
  } catch (error) {
    await transaction.rollback();
    return res.status(500).json({ message: String(error) });
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the 404 after a lookup leaves the transaction open (seen in a public backend: verifywise Servers/controllers/incident-management.ctrl.ts:297)',
      code: `
export async function updateIncident(req: Request, res: Response) {
  const transaction = await sequelize.transaction();
  try {
    const incident = await Incident.findByPk(req.params.id, { transaction });
    if (!incident) {
      return res.status(404).json({ message: 'Not found' });
    }
    await incident.update(req.body, { transaction });
    await transaction.commit();
    return res.status(200).json(incident);
  } catch (error) {
    await transaction.rollback();
    return res.status(500).json({ message: String(error) });
  }
}`,
      errors: [{ messageId: 'returnLeavesOpen', line: 7, data: { session: 'transaction', line: '3' } }],
    },
  ],
});

tester.run('no-floating-background-task (round 12: set 18, callees that cannot reject)', floating, {
  valid: [
    {
      name: 'Valid because `async () => await this.onCron()` adopts onCron, whose body catches everything (seen in a public backend: pg-boss src/timekeeper.ts:83)',
      settings: NONE,
      code: `
export class Timekeeper {
  start() {
    this.cronMonitorInterval = setInterval(async () => await this.onCron(), 1000);
  }
  async onCron() {
    try {
      const { rows } = await this.db.executeSql(this.sql);
      if (rows.length === 1) await this.cron();
    } catch (err) {
      this.emit('error', err);
    } finally {
      this.timekeeping = false;
    }
  }
}`,
    },
    {
      name: 'Valid because a const holding Promise.allSettled(...) never rejects, and its finally handler is synchronous (seen in a public backend: pg-boss src/manager.ts:790)',
      settings: NONE,
      code: `
export class Manager {
  offWork(workers: Worker[]) {
    const cleanupPromise = Promise.allSettled(workers.map(async (worker) => { await worker.stop(); }));
    this.pending.add(cleanupPromise);
    cleanupPromise.finally(() => {
      this.pending.delete(cleanupPromise);
    });
  }
}`,
    },
    {
      name: 'Valid because an async IIFE that awaits only Promise.resolve() awaits nothing that can fail (seen in a public backend: laf server/src/utils/p-limit.ts:106)',
      settings: NONE,
      code: `
export function pLimit(concurrency: number) {
  const queue = new Queue();
  let activeCount = 0;
  return (fn: () => Promise<void>) => {
    queue.enqueue(fn);
    (async () => {
      await Promise.resolve();
      if (activeCount < concurrency && queue.size > 0) queue.dequeue()();
    })();
  };
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the arrow awaits a same-file helper that can reject',
      settings: NONE,
      code: `
export class Timekeeper {
  start() {
    setInterval(async () => await this.onCron(), 1000);
  }
  async onCron() {
    const { rows } = await this.db.executeSql(this.sql);
    if (rows.length === 1) await this.cron();
  }
}`,
      errors: [{ messageId: 'floatingCallback', line: 4 }],
    },
    {
      name: 'Invalid because a const holding Promise.all(...) rejects with its first failure, and finally passes it on',
      settings: NONE,
      code: `
export class Manager {
  async offWork(workers: Worker[]) {
    const cleanupPromise = Promise.all(workers.map(async (worker) => { await worker.stop(); }));
    cleanupPromise.finally(() => {
      this.pending.delete(cleanupPromise);
    });
  }
}`,
      errors: [
        {
          messageId: 'floatingTask',
          line: 5,
          suggestions: [
            { messageId: 'addCatch', data: { logger: 'console' }, output: `
export class Manager {
  async offWork(workers: Worker[]) {
    const cleanupPromise = Promise.all(workers.map(async (worker) => { await worker.stop(); }));
    cleanupPromise.finally(() => {
      this.pending.delete(cleanupPromise);
    }).catch((error) => console.error('cleanupPromise failed', error));
  }
}` },
            { messageId: 'addAwait', data: { task: 'cleanupPromise' }, output: `
export class Manager {
  async offWork(workers: Worker[]) {
    const cleanupPromise = Promise.all(workers.map(async (worker) => { await worker.stop(); }));
    await cleanupPromise.finally(() => {
      this.pending.delete(cleanupPromise);
    });
  }
}` },
          ],
        },
      ],
    },
    {
      name: 'Invalid because Promise.resolve(p) adopts the rejection of the promise it is given',
      settings: NONE,
      code: `
export function refresh(load: () => Promise<void>) {
  (async () => {
    await Promise.resolve(load());
  })();
}`,
      errors: [{ messageId: 'floatingTask', line: 3, suggestions: [{ messageId: 'addCatch', data: { logger: 'console' }, output: `
export function refresh(load: () => Promise<void>) {
  (async () => {
    await Promise.resolve(load());
  })().catch((error) => console.error('async IIFE failed', error));
}` }] }],
    },
  ],
});

tester.run('require-status-updates (round 12: resting states and MongoDB filters)', statusUpdates, {
  valid: [
    {
      name: "Valid because DomainState.Active is a resource's resting state: the file names DomainState.Inactive and no completed or failed member (seen in a public backend: laf server/src/instance/instance-task.service.ts:200)",
      code: `
export class InstanceTaskService {
  @Cron(CronExpression.EVERY_SECOND)
  async tick() {
    this.handleStartingPhase().catch((err) => this.logger.error('handleStartingPhase error', err));
  }
  async handleStartingPhase() {
    const app = await db.collection('Application').findOne({ phase: 'Starting' });
    await db.collection('RuntimeDomain').updateOne({ appid: app.appid, state: DomainState.Inactive }, { $set: { state: DomainState.Active } });
    await db.collection('CronTrigger').updateMany({ appid: app.appid, state: TriggerState.Inactive }, { $set: { state: TriggerState.Active } });
    await db.collection('Application').updateOne({ appid: app.appid }, { $set: { phase: 'Started' } });
  }
}`,
    },
    {
      name: 'Valid because the status in a MongoDB filter only selects; the update document ($set) is the write (seen in a public backend: laf server/src/instance/instance-task.service.ts:78)',
      code: `
export class InstanceTaskService {
  @Cron(CronExpression.EVERY_SECOND)
  async handleRunningState() {
    await db.collection('Application').updateMany({ status: 'running', phase: 'Created' }, { $set: { phase: 'Starting', lockedAt: new Date(0) } });
    await this.kick();
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the enum also has an end (JobStatus.Failed), so JobStatus.Running is a step that a thrown error leaves stuck',
      code: `
export class ExportTaskService {
  @Cron(CronExpression.EVERY_MINUTE)
  async handle() {
    const job = await this.jobs.findOne({ where: { status: JobStatus.Queued } });
    await this.jobs.update(job.id, { status: JobStatus.Running });
    await this.exporter.run(job);
    await this.jobs.update(job.id, { status: JobStatus.Done });
  }
  isBroken(job: Job) {
    return job.status === JobStatus.Failed;
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 6 }],
    },
  ],
});
