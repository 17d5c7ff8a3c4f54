/**
 * bgtask-review and jobs registered in another file (issue 14, shape 5): the review's registration
 * program feeds the same per-program registration index as the type-aware rules, so a change to
 * a job that only another file registers is reviewed as a background task.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport } from '../../dist/review/run.js';
import { makeRepo, type TestRepo } from './repo.js';

const TSCONFIG = '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext" }, "include": ["src"] }\n';

const JOB = `export async function processDeploymentJob(job: { id: string }) {
  await updateDeploymentStatus(job.id, 'running');
  await deploy(job.id);
  await updateDeploymentStatus(job.id, 'done');
}
declare function updateDeploymentStatus(id: string, status: string): Promise<void>;
declare function deploy(id: string): Promise<void>;
`;

// Dokploy's shape: the queue setup imports the job and hands it to queue.process.
const QUEUE = `import { processDeploymentJob } from './deployments-queue.js';
declare const queue: { process(fn: (job: { id: string }) => Promise<void>): void };
export function setup() {
  queue.process(processDeploymentJob);
}
`;

const BASE_TASK = `export abstract class BaseTask<T extends object> {
  abstract perform(props: T): Promise<unknown>;
}
`;

// Outline's shape: the worker runs perform() of whichever BaseTask subclass the job names.
const WORKER = `import { BaseTask } from './base-task.js';
declare const tasks: Record<string, new () => BaseTask<object>>;
declare function taskQueue(): { process(fn: (job: { data: { name: string; props: object } }) => Promise<unknown>): Promise<void> };
export function init() {
  void taskQueue().process(async (job) => {
    const task = new tasks[job.data.name]!();
    return task.perform(job.data.props);
  });
}
`;

const EXPORT_TASK = `import { BaseTask } from './base-task.js';
export default class ExportTask extends BaseTask<{ id: string }> {
  async perform({ id }: { id: string }) {
    await render(id);
  }
}
declare function render(id: string): Promise<void>;
`;

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

describe('bgtask-review: jobs registered in another file', () => {
  it('reviews a changed job that another file hands to queue.process, with its registration as the dispatch site', async () => {
    repo = makeRepo({ 'tsconfig.json': TSCONFIG, 'src/deployments-queue.ts': JOB, 'src/queue-setup.ts': QUEUE });
    repo.write({ 'src/deployments-queue.ts': JOB.replace("'done'", "'finished'") });
    repo.commit('change the job only');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.tasks.map((t) => ({ name: t.name, file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { name: 'processDeploymentJob', file: 'src/deployments-queue.ts', dispatchedFrom: [{ file: 'src/queue-setup.ts', line: 4 }] },
    ]);
  });

  it("reviews a changed BaseTask subclass whose perform() a queue callback runs (Outline's shape)", async () => {
    repo = makeRepo({ 'tsconfig.json': TSCONFIG, 'src/base-task.ts': BASE_TASK, 'src/worker.ts': WORKER, 'src/math.ts': 'export const one = 1;\n' });
    repo.write({ 'src/export-task.ts': EXPORT_TASK });
    repo.commit('add a task');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.tasks.map((t) => ({ name: t.name, file: t.file, dispatchedFrom: t.dispatchedFrom }))).toEqual([
      { name: 'ExportTask.perform', file: 'src/export-task.ts', dispatchedFrom: [{ file: 'src/worker.ts', line: 5 }] },
    ]);
  });

  it('finds nothing for a changed function that no file registers', async () => {
    repo = makeRepo({ 'tsconfig.json': TSCONFIG, 'src/queue-setup.ts': QUEUE.replace('queue.process(processDeploymentJob);', 'void processDeploymentJob;') });
    repo.write({ 'src/deployments-queue.ts': JOB });
    repo.commit('add the job');
    const report = await buildReport({ root: repo.dir, base: 'HEAD~1', worktree: false, all: false, useEslintConfig: false });
    expect(report.tasks).toEqual([]);
  });
});
