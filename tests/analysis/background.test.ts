import { describe, expect, it } from 'vitest';
import { analyse } from './facts-helper.js';

describe('background detection: the five ways of SPEC 2.1', () => {
  it('1. finds functions by name pattern (declarations, methods, arrows) and not other names', () => {
    const file = analyse(`
      export async function backgroundOperation(id: string) {}
      class A { async processInBackground() {} async bgSync() {} async background() {} async bgcolor() {} async save() {} }
      const runInBackground = async () => {};
      function debug() {}
    `);
    expect(file.taskLabels()).toEqual([
      'backgroundOperation',
      'A.processInBackground',
      'A.bgSync',
      'A.background',
      'runInBackground',
    ]);
    expect(file.facts.tasks.every((t) => t.reasons[0]!.kind === 'name')).toBe(true);
  });

  it('1. does not take a name for background when the code shows its caller waits for it (seen in langfuse web/src/features/in-app-agent/server/backgroundRunService.ts:182, 281, 355)', () => {
    const file = analyse(`
      export async function startBackgroundRun(params: Params) {
        const conversation = await ensureOwnedConversation(params);
        if (!params.model) throw new BaseError('PreconditionFailedError', 412, 'Assistant model is not configured.', true);
        await createQueuedRun(params.prisma, conversation.id);
      }
      export async function deleteBackgroundConversation(params: Params) {
        await params.prisma.conversation.update({ where: { id: params.id }, data: { deletedAt: new Date() } });
        return { success: true };
      }
      export async function enqueueInBackground(id: string) {
        await this.reportQueue.add('report', { id });
      }
      async function refreshBackgroundCache(id: string) {
        await cache.refresh(id);
      }
      export async function handler(id: string) {
        await refreshBackgroundCache(id);
      }
      // Still background: failures are handled inside (the throw is in a try), nothing is returned, nobody here awaits it.
      export async function syncInBackground(id: string) {
        try {
          const res = await fetchRemote(id);
          if (!res.ok) throw new Error('remote failed');
        } catch (error) {
          logger.error('sync failed', error);
          return;
        }
      }
    `);
    expect(file.taskLabels()).toEqual(['syncInBackground']);
  });

  it('1. honours a replaced backgroundNamePattern from settings', () => {
    const file = analyse(`function syncJob() {} function backgroundX() {}`, { backgroundNamePattern: 'Job$' });
    expect(file.taskLabels()).toEqual(['syncJob']);
  });

  it('2. finds a JSDoc @background tag on functions, methods, exported declarations and arrows', () => {
    const file = analyse(`
      /** Rebuilds. @background */
      export async function rebuild() {}
      class A {
        /**
         * @background
         */
        @Trace()
        async reindex() {}
        /** not background: @backgroundColor */
        async paint() {}
      }
      /** @background */
      const later = async () => {};
      // @background (a line comment is not JSDoc)
      function notThis() {}
    `);
    expect(file.taskLabels()).toEqual(['rebuild', 'A.reindex', 'later']);
    expect(file.facts.tasks.map((t) => t.reasons[0]!.kind)).toEqual(['jsdoc', 'jsdoc', 'jsdoc']);
  });

  it('3. finds background decorators, WorkerHost.process and @Processor process()', () => {
    const file = analyse(`
      class Jobs {
        @Cron('0 * * * *') async hourly() {}
        @OnEvent('user.created', { async: true }) async onUser() {}
        @Interval(1000) poll() {}
        @Timeout(500) once() {}
        @Process('email') async email() {}
        @OnQueueEvent('completed') done() {}
        @OnWorkerEvent('failed') failed() {}
        @EventPattern('x') onX() {}
        @MessagePattern('y') onY() {}
        @BackgroundTask() async custom() {}
        @Get('/') async route() {}
        @OnEvent('arrow') handle = async () => {};
      }
      class Consumer extends WorkerHost { async process(job: Job) {} async helper() {} }
      @Processor('audio') class Audio { async process(job: Job) {} }
      class Plain { async process() {} }
    `);
    expect(file.taskLabels()).toEqual([
      'Jobs.hourly',
      'Jobs.onUser',
      'Jobs.poll',
      'Jobs.once',
      'Jobs.email',
      'Jobs.done',
      'Jobs.failed',
      'Jobs.onX',
      'Jobs.onY',
      'Jobs.custom',
      'Jobs.handle',
      'Consumer.process',
      'Audio.process',
    ]);
    const byLabel = new Map(file.facts.tasks.map((t) => [t.label, t]));
    expect(byLabel.get('Jobs.email')!.frameworkRecordsFailure).toBe(true);
    expect(byLabel.get('Consumer.process')!.frameworkRecordsFailure).toBe(true);
    expect(byLabel.get('Audio.process')!.frameworkRecordsFailure).toBe(true);
    expect(byLabel.get('Jobs.hourly')!.frameworkRecordsFailure).toBe(false);
    expect(byLabel.get('Jobs.onUser')!.reasons[0]!.detail).toBe('@OnEvent');
  });

  it('4. finds callbacks of every default dispatcher, inline or by reference', () => {
    const file = analyse(`
      import { after } from 'next/server';
      setImmediate(async () => {});
      setTimeout(() => {}, 10);
      setInterval(function tick() {}, 10);
      process.nextTick(() => {});
      queueMicrotask(() => {});
      backgroundTasks.add(sendEmail, 1);
      this.tasks.addTask(async () => {});
      after(async () => {});
      res.on('finish', async () => {});
      res.on('data', () => {});
      new Worker('emails', processEmail);
      emailQueue.process(async (job) => {});
      agenda.define('sweep', async (job) => {});
      boss.work('q', async (job) => {});
      cron.schedule('* * * * *', async () => {});
      new CronJob('* * * * *', async () => {});
      eventEmitter.on('x', async () => {});
      items.forEach(() => {});
      async function sendEmail() {}
      async function processEmail() {}
    `);
    expect(file.taskLabels()).toEqual([
      'the setImmediate callback',
      'the setTimeout callback',
      'tick',
      'the process.nextTick callback',
      'the queueMicrotask callback',
      'the tasks.addTask callback',
      'the after callback',
      'the res.on callback',
      'the emailQueue.process callback',
      'the agenda.define callback',
      'the boss.work callback',
      'the cron.schedule callback',
      'the new CronJob callback',
      'the eventEmitter.on callback',
      'sendEmail',
      'processEmail',
    ]);
    const processEmail = file.facts.tasks.find((t) => t.label === 'processEmail')!;
    expect(processEmail.frameworkRecordsFailure).toBe(true);
    expect(processEmail.dispatchSites).toHaveLength(1);
    expect(processEmail.dispatchSites[0]!.calleeName).toBe('new Worker');
  });

  it('4. resolves this.method and this.method.bind(this) handed to a dispatcher', () => {
    const file = analyse(`
      class Poller {
        start() { setInterval(this.poll.bind(this), 1000); setImmediate(this.flush); }
        async poll() {}
        flush = async () => {};
      }
    `);
    expect(file.taskLabels()).toEqual(['Poller.poll', 'Poller.flush']);
  });

  it('4. adds dispatchers from settings', () => {
    const file = analyse(`jobs.enqueue(async () => {}); other.enqueue(async () => {});`, { dispatchers: ['jobs.enqueue'] });
    expect(file.taskLabels()).toEqual(['the jobs.enqueue callback']);
  });

  it('5. finds same-file callees of fire-and-forget calls, and not awaited, returned or assigned ones', () => {
    const file = analyse(`
      class Docs {
        async save(id: string) {
          void this.reindex(id);
          this.notify(id).catch((e) => log(e));
          this.audit(id);
          this.syncLater(id);
          await this.awaited(id);
          const p = this.assigned(id);
          return this.returned(id);
        }
        reindex(id: string) {}
        async notify(id: string) {}
        async audit(id: string) {}
        syncLater(id: string) {}
        async awaited(id: string) {}
        async assigned(id: string) {}
        async returned(id: string) {}
      }
      async function helper() {}
      function main() { helper(); }
    `);
    expect(file.taskLabels()).toEqual(['Docs.reindex', 'Docs.notify', 'Docs.audit', 'helper']);
    const kinds = file.facts.dispatchSites.map((s) => [s.calleeName, s.kind, s.voided, s.hasRejectionHandler]);
    expect(kinds).toEqual([
      ['reindex', 'fire-and-forget', true, false],
      ['notify', 'fire-and-forget', false, true],
      ['audit', 'fire-and-forget', false, false],
      ['helper', 'fire-and-forget', false, false],
    ]);
  });

  it('5. records a tracked fire-and-forget (waitUntil, tasks.add) as a dispatch site', () => {
    const file = analyse(`
      async function handler(ctx: Ctx) { ctx.waitUntil(refresh()); this.pendingTasks.add(refresh()); }
      async function refresh() {}
    `);
    expect(file.taskLabels()).toEqual(['refresh']);
    expect(file.facts.dispatchSites.map((s) => s.kind)).toEqual(['tracked', 'tracked']);
  });
});

describe('background detection: closures', () => {
  it('gives closures inside a task to that task; an inline-awaited closure is not a task of its own', () => {
    const file = analyse(`
      async function backgroundSweep(ids: string[]) {
        await Promise.all(ids.map(async (id) => remove(id)));
        ids.forEach((id) => log(id));
        const helper = async () => {};
        await helper();
        await db.transaction(async (tx) => {});
      }
    `);
    expect(file.taskLabels()).toEqual(['backgroundSweep']);
    const inner = file.node('ArrowFunctionExpression', 'async (id) => remove(id)');
    expect(file.facts.taskOf(inner)?.label).toBe('backgroundSweep');
    const scope = file.node('ArrowFunctionExpression', 'async (tx) => {}');
    expect(file.facts.taskOf(scope)?.label).toBe('backgroundSweep');
  });

  it('makes an async callback dropped inside a task a detached task of its own', () => {
    const file = analyse(`
      async function backgroundSweep(ids: string[]) {
        ids.forEach(async (id) => { await remove(id); });
      }
      async function request(ids: string[]) {
        ids.forEach(async (id) => { await remove(id); });
      }
    `);
    expect(file.taskLabels()).toEqual(['backgroundSweep', 'the ids.forEach callback']);
    expect(file.facts.tasks[1]!.reasons[0]!.kind).toBe('detached');
  });

  it('does not count a timer that resolves an awaited promise (a sleep) as background', () => {
    const file = analyse(`
      async function handler() {
        await new Promise((resolve) => setTimeout(() => resolve(1), 10));
        return new Promise<void>((resolve) => { setImmediate(() => resolve()); });
      }
    `);
    expect(file.taskLabels()).toEqual([]);
  });

  it('leaves request code without a task', () => {
    const file = analyse(`app.post('/x', async (req, res) => { await save(req.body); res.end(); });`);
    expect(file.taskLabels()).toEqual([]);
    expect(file.facts.taskOf(file.node('CallExpression', 'save(req.body)'))).toBeUndefined();
  });

  it('handles code with no functions at all', () => {
    expect(analyse(`const x = 1;`).taskLabels()).toEqual([]);
  });
});
