/**
 * Callees that end the status, and failure hooks that record it (issue 14, open point 1): a
 * same-file function or method summarised once, a function of another file (type-aware), a
 * callee of another file handed the entity's id (without types), and a framework's failure hook
 * (`onFailed`, `@OnQueueFailed`, `worker.on('failed')`) after a rethrowing catch.
 */
import rule from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

const baseTask = { 'background-tasks': { taskBaseClasses: ['BaseTask.perform'] } };

createRuleTester().run('require-status-updates (callees and failure hooks)', rule, {
  valid: [
    {
      name: 'Valid because the catch singles out DelayedError and rethrows it untouched: BullMQ delays the job, and every other error sets failed (seen in a public backend: refly apps/api/src/modules/schedule/schedule.processor.ts:519)',
      code: `
import { DelayedError, WorkerHost } from '@nestjs/bullmq';
export class ScheduleProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.prisma.scheduleRecord.update({ where: { id: job.data.id }, data: { status: 'processing' } });
      await this.startWorkflow(job.data);
      await this.prisma.scheduleRecord.update({ where: { id: job.data.id }, data: { status: 'completed' } });
    } catch (error) {
      if (error instanceof DelayedError) {
        throw error;
      }
      await this.prisma.scheduleRecord.update({ where: { id: job.data.id }, data: { status: 'failed' } });
      throw error;
    }
  }
}`,
    },
    {
      name: 'Valid because the private onProcess of the same class sets Completed, and the catch sets Errored (seen in outline/outline APIImportTask)',
      code: `
class ImportTask {
  async performInBackground(task: ImportTaskModel) {
    try {
      task.state = ImportTaskState.InProgress;
      await task.save();
      return await this.onProcess(task);
    } catch (err) {
      task.state = ImportTaskState.Errored;
      await task.save();
    }
  }
  private async onProcess(task: ImportTaskModel) {
    const output = await this.fetchPage(task);
    await sequelize.transaction(async (transaction) => {
      task.output = output;
      task.state = ImportTaskState.Completed;
      await task.save({ transaction });
    });
  }
}`,
    },
    {
      name: 'Valid because a module function of the same file ends the status with done, and the caller records failures (seen in Dokploy/dokploy)',
      code: `
async function finishDeployment(id: string) {
  await build(id);
  await updateDeploymentStatus(id, 'done');
}
export async function deployInBackground(id: string) {
  try {
    await updateDeploymentStatus(id, 'running');
    await finishDeployment(id);
  } catch (error) {
    logger.error('deploy failed', error);
    await updateDeploymentStatus(id, 'error');
  }
}`,
    },
    {
      name: 'Valid because the same-file callee sets done on success and error in a catch around all its work, so its throw is recorded too',
      code: `
async function runBuild(id: string) {
  try {
    await build(id);
    await setStatus(id, 'done');
  } catch (error) {
    await setStatus(id, 'error');
    throw error;
  }
}
export async function buildInBackground(id: string) {
  await setStatus(id, 'running');
  await runBuild(id);
}`,
    },
    {
      name: 'Valid because the callee reaches the completed write through another same-file function (summaries follow calls)',
      code: `
async function complete(job: Job) {
  await jobs.update(job.id, { status: 'completed' });
}
async function finish(job: Job) {
  await upload(job);
  await complete(job);
}
export async function exportInBackground(job: Job) {
  try {
    await jobs.update(job.id, { status: 'processing' });
    await finish(job);
  } catch (e) {
    await jobs.update(job.id, { status: 'failed' });
  }
}`,
    },
    {
      name: 'Valid because the catch rethrows for the retry and the BaseTask worker calls onFailed, which sets Errored (seen in outline/outline APIImportTask)',
      settings: baseTask,
      code: `
export default class APIImportTask extends BaseTask<Props> {
  public async perform({ importTaskId }: Props) {
    const importTask = await ImportTask.findByPk(importTaskId);
    try {
      importTask.state = ImportTaskState.InProgress;
      await importTask.save();
      await this.download(importTask);
      importTask.state = ImportTaskState.Completed;
      await importTask.save();
    } catch (err) {
      importTask.error = String(err);
      await importTask.save();
      throw err; // throw error for retry.
    }
  }
  public async onFailed({ importTaskId }: Props) {
    await sequelize.transaction(async (transaction) => {
      const importTask = await ImportTask.findByPk(importTaskId, { transaction });
      importTask.state = ImportTaskState.Errored;
      await importTask.save({ transaction });
    });
  }
}`,
    },
    {
      name: 'Valid because Bull calls the @OnQueueFailed hook, which sets the failed status, after the rethrowing @Process handler fails (seen in a public NestJS backend)',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async handle(job: Job<{ id: string }>) {
    await this.exports.update(job.data.id, { status: 'processing' });
    try {
      await this.render(job.data.id);
      await this.exports.update(job.data.id, { status: 'completed' });
    } catch (error) {
      this.logger.error('export failed', error);
      throw error;
    }
  }
  @OnQueueFailed()
  async onFail(job: Job<{ id: string }>) {
    await this.exports.update(job.data.id, { status: 'failed' });
  }
}`,
    },
    {
      name: "Valid because BullMQ emits 'failed' and the listener of this file sets the failed status after the processor rethrows",
      code: `
const worker = new Worker('imports', async (job) => {
  await prisma.importJob.update({ where: { id: job.data.id }, data: { status: 'RUNNING' } });
  try {
    await runImport(job.data.id);
    await prisma.importJob.update({ where: { id: job.data.id }, data: { status: 'COMPLETED' } });
  } catch (error) {
    logger.error('import failed', error);
    throw error;
  }
});
worker.on('failed', async (job, error) => {
  await prisma.importJob.update({ where: { id: job!.data.id }, data: { status: 'FAILED', error: String(error) } });
});`,
    },
    {
      name: 'Valid because (without types) deployApplication, imported from another file and handed the application id, is taken to end the status when it returns (seen in Dokploy/dokploy)',
      code: `
import { deployApplication, updateApplicationStatus } from '@dokploy/server';
export const processDeploymentInBackground = async (job: DeployJob) => {
  try {
    await updateApplicationStatus(job.data.applicationId, 'running');
    await deployApplication({ applicationId: job.data.applicationId, titleLog: job.data.titleLog });
  } catch (error) {
    await updateApplicationStatus(job.data.applicationId, 'error');
  }
};`,
    },
    {
      name: 'Valid because (without types) a method of an injected service handed the deployment id is taken to end the status when it returns (seen in a public NestJS backend)',
      code: `
class Deployer {
  async deployInBackground(deployment: Deployment) {
    try {
      await this.repo.update(deployment.id, { status: 'running' });
      await this.deploymentService.run(deployment.id);
    } catch (error) {
      await this.repo.update(deployment.id, { status: 'failed' });
    }
  }
}`,
    },
    {
      name: 'Valid because a recursive same-file callee is summarised once, without looping, and ends the status',
      code: `
async function drain(id: string, page: number): Promise<void> {
  const rows = await fetchPage(id, page);
  if (rows.length > 0) return drain(id, page + 1);
  await setStatus(id, 'done');
}
export async function drainInBackground(id: string) {
  try {
    await setStatus(id, 'running');
    await drain(id, 0);
  } catch (e) {
    await setStatus(id, 'failed');
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the catch rethrows on a flag, not for an error class it singles out: that path leaves the record in processing (near miss of refly schedule.processor.ts:519)',
      code: `
import { WorkerHost } from '@nestjs/bullmq';
export class ScheduleProcessor extends WorkerHost {
  async process(job: Job) {
    try {
      await this.prisma.scheduleRecord.update({ where: { id: job.data.id }, data: { status: 'processing' } });
      await this.startWorkflow(job.data);
      await this.prisma.scheduleRecord.update({ where: { id: job.data.id }, data: { status: 'completed' } });
    } catch (error) {
      if (job.data.retryable) {
        throw error;
      }
      await this.prisma.scheduleRecord.update({ where: { id: job.data.id }, data: { status: 'failed' } });
      throw error;
    }
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 6, data: { status: 'processing', exit: 'the `throw` at line 11', task: 'ScheduleProcessor.process' } }],
    },
    {
      name: 'Invalid because a same-file callee that sets no status does not end running (the end of the function leaves it)',
      code: `
async function render(id: string) {
  await draw(id);
}
export async function renderInBackground(id: string) {
  try {
    await setStatus(id, 'running');
    await render(id);
  } catch (e) {
    await setStatus(id, 'failed');
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 7, data: { status: 'running', exit: 'the end of the function (line 12)', task: 'renderInBackground' } }],
    },
    {
      name: 'Invalid because the callee ends the status only when it returns: a throw from it reaches a catch that only logs (Dokploy/dokploy deployments-queue shape)',
      code: `
async function finish(id: string) {
  await build(id);
  await setStatus(id, 'done');
}
export async function buildInBackground(id: string) {
  try {
    await setStatus(id, 'running');
    await finish(id);
  } catch (error) {
    console.log('Error', error);
  }
}`,
      errors: [
        { messageId: 'stuckInProgress', line: 8, data: { status: 'running', exit: 'the catch clause at line 10 (which sets no failed status)', task: 'buildInBackground' } },
      ],
    },
    {
      name: 'Invalid because (without types) the imported deployApplication is only taken to end the status on return: its throw reaches a catch that only logs (seen in Dokploy/dokploy deployments-queue.ts)',
      code: `
import { deployApplication, updateApplicationStatus } from '@dokploy/server';
export const processDeploymentInBackground = async (job: DeployJob) => {
  try {
    await updateApplicationStatus(job.data.applicationId, 'running');
    await deployApplication({ applicationId: job.data.applicationId });
  } catch (error) {
    console.log('Error', error);
  }
};`,
      errors: [
        { messageId: 'stuckInProgress', line: 5, data: { status: 'running', exit: 'the catch clause at line 7 (which sets no failed status)', task: 'processDeploymentInBackground' } },
      ],
    },
    {
      name: 'Invalid because an imported callee that is not handed the entity id says nothing about its status',
      code: `
import { sendReport } from './report.js';
export async function reportInBackground(id: string) {
  try {
    await setStatus(id, 'running');
    await sendReport(owner);
  } catch (e) {
    await setStatus(id, 'failed');
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 5, data: { status: 'running', exit: 'the end of the function (line 10)', task: 'reportInBackground' } }],
    },
    {
      name: 'Invalid because the @OnQueueFailed hook only logs: the rethrown failure leaves the export processing',
      code: `
@Processor('exports')
export class ExportProcessor {
  @Process()
  async handle(job: Job<{ id: string }>) {
    await this.exports.update(job.data.id, { status: 'processing' });
    try {
      await this.render(job.data.id);
      await this.exports.update(job.data.id, { status: 'completed' });
    } catch (error) {
      this.logger.error('export failed', error);
      throw error;
    }
  }
  @OnQueueFailed()
  onFail(job: Job, error: Error) {
    this.logger.error('failed', error);
  }
}`,
      errors: [
        { messageId: 'stuckInProgress', line: 6, data: { status: 'processing', exit: 'the `throw` at line 12', task: 'ExportProcessor.handle' } },
      ],
    },
    {
      name: 'Invalid because an onFailed method does not run for work no framework runs: a setImmediate job that rethrows leaves running',
      code: `
class Reindexer {
  start(id: string) {
    setImmediate(async () => {
      await setStatus(id, 'running');
      try {
        await this.reindex(id);
        await setStatus(id, 'done');
      } catch (error) {
        logger.error('reindex failed', error);
        throw error;
      }
    });
  }
  async onFailed(id: string) {
    await setStatus(id, 'failed');
  }
}`,
      errors: [
        { messageId: 'stuckInProgress', line: 5, data: { status: 'running', exit: 'the `throw` at line 11', task: 'the setImmediate callback' } },
      ],
    },
    {
      name: "Invalid because without types nothing says job.type has only the two compared values: the chain's implicit else is a path to the end",
      code: `
import { deployApp } from './deploy-service.js';
declare function updateApplicationStatus(id: string, status: string): Promise<void>;
type DeployJob = { type: 'deploy' | 'redeploy'; id: string };
export async function deployInBackground(job: DeployJob) {
  try {
    await updateApplicationStatus(job.id, 'running');
    if (job.type === 'redeploy') {
      await deployApp({ appId: job.id });
    } else if (job.type === 'deploy') {
      await deployApp({ appId: job.id });
    }
  } catch (error) {
    await updateApplicationStatus(job.id, 'error');
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 7, data: { status: 'running', exit: 'the end of the function (line 16)', task: 'deployInBackground' } }],
    },
  ],
});

createTypedRuleTester().run('require-status-updates (callees in another file, type-aware)', rule, {
  valid: [
    {
      name: 'Valid because (type-aware) deployApp in deploy-service.ts sets done itself, and this catch sets error (seen in Dokploy/dokploy deployApplication)',
      code: `
import { deployApp } from './deploy-service.js';
declare function updateApplicationStatus(id: string, status: string): Promise<void>;
export async function deployInBackground(appId: string) {
  try {
    await updateApplicationStatus(appId, 'running');
    await deployApp({ appId });
  } catch (error) {
    await updateApplicationStatus(appId, 'error');
  }
}`,
    },
    {
      name: "Valid because (type-aware) job.type is 'deploy' | 'redeploy', so the else-if chain has no implicit else path (seen in Dokploy/dokploy deployments-queue.ts)",
      code: `
import { deployApp } from './deploy-service.js';
declare function updateApplicationStatus(id: string, status: string): Promise<void>;
type DeployJob = { type: 'deploy' | 'redeploy'; id: string };
export async function deployInBackground(job: DeployJob) {
  try {
    await updateApplicationStatus(job.id, 'running');
    if (job.type === 'redeploy') {
      await deployApp({ appId: job.id });
    } else if (job.type === 'deploy') {
      await deployApp({ appId: job.id });
    }
  } catch (error) {
    await updateApplicationStatus(job.id, 'error');
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because (type-aware) notifyApp in deploy-service.ts sets no status, so the end of the function leaves running',
      code: `
import { notifyApp } from './deploy-service.js';
declare function updateApplicationStatus(id: string, status: string): Promise<void>;
export async function deployInBackground(appId: string) {
  try {
    await updateApplicationStatus(appId, 'running');
    await notifyApp(appId);
  } catch (error) {
    await updateApplicationStatus(appId, 'error');
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 6, data: { status: 'running', exit: 'the end of the function (line 11)', task: 'deployInBackground' } }],
    },
    {
      name: 'Invalid because (type-aware) deployApp can throw before its own try (findApplication), and this catch only logs (Dokploy/dokploy deployments-queue.ts:74)',
      code: `
import { deployApp } from './deploy-service.js';
declare function updateApplicationStatus(id: string, status: string): Promise<void>;
export async function deployInBackground(appId: string) {
  try {
    await updateApplicationStatus(appId, 'running');
    await deployApp({ appId });
  } catch (error) {
    console.log('Error', error);
  }
}`,
      errors: [
        { messageId: 'stuckInProgress', line: 6, data: { status: 'running', exit: 'the catch clause at line 8 (which sets no failed status)', task: 'deployInBackground' } },
      ],
    },
    {
      name: "Invalid because (type-aware) job.type may also be 'rollback', which no branch handles: the end of the function leaves running",
      code: `
import { deployApp } from './deploy-service.js';
declare function updateApplicationStatus(id: string, status: string): Promise<void>;
type DeployJob = { type: 'deploy' | 'redeploy' | 'rollback'; id: string };
export async function deployInBackground(job: DeployJob) {
  try {
    await updateApplicationStatus(job.id, 'running');
    if (job.type === 'redeploy') {
      await deployApp({ appId: job.id });
    } else if (job.type === 'deploy') {
      await deployApp({ appId: job.id });
    }
  } catch (error) {
    await updateApplicationStatus(job.id, 'error');
  }
}`,
      errors: [{ messageId: 'stuckInProgress', line: 7, data: { status: 'running', exit: 'the end of the function (line 16)', task: 'deployInBackground' } }],
    },
  ],
});
