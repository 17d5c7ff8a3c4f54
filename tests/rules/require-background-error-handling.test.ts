import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('require-background-error-handling', rule, {
  valid: [
    {
      name: 'Valid because an awaited chain with its own .catch(handler) cannot reject (seen in medusajs/medusa)',
      code: `
export function waitForEvent(eventBus: EventBus, eventName: string) {
  return new Promise((ok, nok) => {
    eventBus.subscribe(eventName, async (...args) => {
      return await listener.apply(eventBus, args).then(ok).catch(nok);
    });
    setTimeout(async () => {
      await eventBus.flush().catch((error) => logger.error('flush failed', error));
    }, 10);
  });
}`,
    },
    {
      name: "Valid because a script's top-level bootstrap() is the process itself, not background work (seen in ghostfolio/ghostfolio)",
      code: `
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  let levels;
  try {
    levels = JSON.parse(process.env.LOG_LEVELS);
  } catch {}
  await app.listen(3000);
}

bootstrap();`,
    },
    {
      name: 'Valid because the work is in a try/catch that logs the error and updates the status',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    logger.error(\`sync \${id} failed\`, err);
    await setStatus(id, 'failed');
  }
}`,
    },
    {
      name: 'Valid because a catch that rethrows is not silent',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    throw new SyncError(id, { cause: err });
  }
}`,
    },
    {
      name: 'Valid because a request function needs no try/catch',
      code: `
export async function handler(req: Request) {
  await sync(req.params.id);
}`,
    },
    {
      name: 'Valid because a BullMQ Worker records the failure and the callback sets no status',
      code: `
new Worker('mail', async (job) => {
  await send(job.data);
});`,
    },
    {
      name: 'Valid because a WorkerHost.process that sets no status is recorded by BullMQ',
      code: `
@Processor('mail')
class MailProcessor extends WorkerHost {
  async process(job: Job) {
    await this.mailer.send(job.data);
  }
}`,
    },
    {
      name: 'Valid because a catch that hands the error to a reporter is not silent',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    Sentry.captureException(err);
  }
}`,
    },
    {
      name: 'Valid because a catch that only updates the failed status is not silent',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch {
    await repo.update(id, { status: 'failed' });
  }
}`,
    },
    {
      name: 'Valid because every call site attaches a rejection handler',
      code: `
class Indexer {
  save(id: string) {
    this.reindex(id).catch((err) => logger.error(\`reindex \${id}\`, err));
  }
  private async reindex(id: string) {
    await index.put(id);
  }
}`,
    },
    {
      name: 'Valid because setup awaited before the covered work is accepted',
      code: `
export async function backgroundCharge(id: string) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('select charge($1)', [id]);
  } catch (err) {
    logger.error(\`charge \${id} failed\`, err);
  } finally {
    await runner.release();
  }
}`,
    },
    {
      name: 'Valid because a background function that awaits nothing cannot reject',
      code: `
setImmediate(() => {
  counter.increment();
});`,
    },
    {
      name: 'Valid because a catch in request code is not judged',
      code: `
export async function handler(id: string) {
  try {
    await sync(id);
  } catch {}
}`,
    },
    {
      name: 'Valid because logging the error object without an id is enough context for this rule',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    logger.error(err);
  }
}`,
    },
    {
      name: 'Valid because an inline scope callback is covered by the try/catch around its call',
      code: `
export async function backgroundSync(id: string) {
  try {
    await dataSource.transaction(async (m) => {
      await m.update(Job, id, { synced: true });
    });
  } catch (err) {
    logger.error(\`sync \${id} failed\`, err);
  }
}`,
    },
    {
      name: 'Valid because console.error with the error counts as error logging',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    console.error('sync failed', id, err);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because an @OnEvent handler awaits Prisma work without try/catch',
      code: `
class SignupListener {
  @OnEvent('user.signed-up', { async: true })
  async createWorkspace(event: { userId: string }) {
    await this.prisma.workspace.create({ data: { ownerId: event.userId } });
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 4, column: 9, data: { task: 'SignupListener.createWorkspace', line: '5' } }],
    },
    {
      name: 'Invalid because an empty catch swallows the error; the suggestion logs it through this.logger',
      code: `
class SignupListener {
  private readonly logger = new Logger('x');
  @OnEvent('user.deleted', { async: true })
  async removeWorkspace(event: { userId: string }) {
    try {
      await this.prisma.workspace.deleteMany({ where: { ownerId: event.userId } });
    } catch (err) {}
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 8,
          column: 7,
          data: { task: 'SignupListener.removeWorkspace', logger: 'this.logger', error: 'err' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'this.logger' },
              output: `
class SignupListener {
  private readonly logger = new Logger('x');
  @OnEvent('user.deleted', { async: true })
  async removeWorkspace(event: { userId: string }) {
    try {
      await this.prisma.workspace.deleteMany({ where: { ownerId: event.userId } });
    } catch (err) {
      this.logger.error(\`SignupListener.removeWorkspace failed\`, err);
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because an empty catch without binding gets one in the suggestion (module logger)',
      code: `
import { logger } from './logger';
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch {}
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          data: { task: 'backgroundSync', logger: 'logger', error: 'error' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'logger' },
              output: `
import { logger } from './logger';
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (error) {
    logger.error(\`backgroundSync failed\`, error);
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a comment-only catch is silent (no logger in the file: console)',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    // ignore
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 5,
          data: { task: 'backgroundSync', logger: 'console', error: 'e' },
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    console.error(\`backgroundSync failed\`, e);
    // ignore
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a catch that returns a default neither logs, rethrows nor updates status',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    return null;
  }
}`,
      errors: [{ messageId: 'silentCatch', line: 5, data: { task: 'backgroundSync', logger: 'console', error: 'e' }, suggestions: [] }],
    },
    {
      name: 'Invalid because the catch logs without the error object',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (e) {
    logger.error(\`sync \${id} failed\`);
  }
}`,
      errors: [{ messageId: 'logWithoutError', line: 5, data: { task: 'backgroundSync', error: 'e' } }],
    },
    {
      name: 'Invalid because a setImmediate callback awaits knex work without try/catch',
      code: `
setImmediate(async () => {
  await knex('emails').insert({ to: 'a' });
});`,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'the setImmediate callback', line: '3' } }],
    },
    {
      name: 'Invalid because a WorkerHost.process that sets a status itself must catch to record the failure',
      code: `
@Processor('mail')
class MailProcessor extends WorkerHost {
  async process(job: Job) {
    await this.repo.update(job.data.id, { status: 'processing' });
    await this.mailer.send(job.data);
    await this.repo.update(job.data.id, { status: 'sent' });
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 4, data: { task: 'MailProcessor.process', line: '5' } }],
    },
    {
      name: 'Invalid because try/finally without catch does not handle the failure',
      code: `
export async function backgroundCharge(id: string) {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('select charge($1)', [id]);
  } finally {
    await runner.release();
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'backgroundCharge', line: '5' } }],
    },
    {
      name: 'Invalid because a detached async forEach callback inside a task has no try/catch',
      code: `
export async function syncAllInBackground(ids: string[]) {
  try {
    ids.forEach(async (id) => {
      await sync(id);
    });
  } catch (err) {
    logger.error('sync all failed', err);
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 4, column: 17, data: { task: 'the ids.forEach callback', line: '5' } }],
    },
    {
      name: 'Invalid because a warn log that names the work but not the error object loses its message and stack',
      code: `
export async function backgroundSync(id: string) {
  try {
    await sync(id);
  } catch (err) {
    this.logger.warn('sync failed for ' + id);
  }
}`,
      errors: [{ messageId: 'logWithoutError', line: 5, data: { task: 'backgroundSync', error: 'err' } }],
    },
  ],
});
