import { describe, expect, it } from 'vitest';
import { jobsOf, startsJob, writesJobEntity } from '../../src/analysis/tasks/jobs.js';
import type { TSESTree } from '@typescript-eslint/utils';
import { analyse } from './facts-helper.js';

/** `label: kind` for every job of a snippet. */
function jobs(code: string): string[] {
  const file = analyse(code);
  return jobsOf(file.facts).map((job) => `${job.task.label}: ${job.kind}`);
}

describe('jobs: which background tasks the strict checks are about', () => {
  it('finds queue processors, schedules and declared work', () => {
    expect(
      jobs(`
        class P { @Process('mail') async send(job) {} }
        @Processor('render') class R extends WorkerHost { async process(job) {} }
        new Worker('q', async (job) => {});
        agenda.define('digest', async (job) => {});
        class C { @Cron('0 * * * *') async hourly() {} @Timeout(5000) async once() {} }
        cron.schedule('0 0 * * *', async () => {});
        export async function exportInBackground(id: string) {}
      `),
    ).toEqual([
      'P.send: queue',
      'R.process: queue',
      'the new Worker callback: queue',
      'the agenda.define callback: queue',
      'C.hourly: schedule',
      'C.once: schedule',
      'the cron.schedule callback: schedule',
      'exportInBackground: declared',
    ]);
  });

  it('leaves out listeners, polling and request hooks', () => {
    expect(
      jobs(`
        class L { @OnEvent('x') async on(e) { await this.a(); } @Interval(1000) async poll() {} @EventPattern('y') async m() {} }
        class F { @Cron(CronExpression.EVERY_30_SECONDS) async fast() {} @Cron('* * * * *') async everyMinute() {} @Cron('*/2 * * * *') async twoMinutes() {} }
        setInterval(async () => { await check(); }, 1000);
        app.get('/', (req, res) => { res.on('finish', async () => { await audit(); }); setImmediate(async () => { await cache.set('k', 1); }); });
      `),
    ).toEqual([]);
  });

  it('counts detached work as a job only when it sets an in-progress status that is persisted', () => {
    expect(
      jobs(`
        function a(id) { setImmediate(async () => { await repo.update(id, { status: 'processing' }); }); }
        function b(job) { setImmediate(async () => { job.status = 'running'; await repo.save(job); }); }
        function c(job) { setImmediate(async () => { job.state = 'active'; await run(job); }); }
        function d() { setImmediate(async () => { await store.save(); }); }
      `),
    ).toEqual(['the setImmediate callback: detached', 'the setImmediate callback: detached']);
  });

  it('recognises writes to a job entity and job-starting calls', () => {
    const file = analyse(`
      async function w() {
        await prisma.importJob.update({ data: { rows: 1 } });
        await this.jobRepository.save(job);
        await db.update(deployments).set({ x: 1 });
        await prisma.user.update({ data: { name: 'x' } });
      }
      function r() { deploy(data).catch(log); sdk.shutdown().catch(log); }
    `);
    const calls = [
      "prisma.importJob.update({ data: { rows: 1 } })",
      'this.jobRepository.save(job)',
      'db.update(deployments)',
      "prisma.user.update({ data: { name: 'x' } })",
    ].map((text) => file.node('CallExpression', text) as TSESTree.CallExpression);
    expect(calls.map((call) => writesJobEntity(file.facts, call))).toEqual([true, true, true, false]);
    const deploy = file.node('CallExpression', 'deploy(data)') as TSESTree.CallExpression;
    const shutdown = file.node('CallExpression', 'sdk.shutdown()') as TSESTree.CallExpression;
    expect([startsJob(file.facts, deploy), startsJob(file.facts, shutdown)]).toEqual([true, false]);
  });
});
