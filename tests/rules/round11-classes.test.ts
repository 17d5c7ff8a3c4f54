/**
 * The false-positive classes of held-out set 15 (issue 13, round 11), each with the near miss that
 * stays reported: cleanup catches, a reason written beside the `try`, functions that end the
 * process, `[result, error]` tuples, a session handed to an object the function returns, and a
 * `COMMIT` in `finally`.
 */
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import sessionScope from '../../src/rules/require-session-scope.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';

const tester = createRuleTester();

tester.run('require-background-error-handling (round 11: cleanup, reasons, shutdown, tuples)', errorHandling, {
  valid: [
    {
      name: 'Valid because the empty catches only remove temporary spill files (seen in a public backend: supabase/storage src/internal/streams/hash-stream.ts:246)',
      code: `
import fsp from 'node:fs/promises';
export class HashSpillWritable {
  cleanupLater() {
    setImmediate(async () => {
      try {
        if (this.filePath) await fsp.rm(this.filePath, { force: true });
      } catch {}
      try {
        if (this.tmpDir) await fsp.rm(this.tmpDir, { force: true, recursive: true });
      } catch {}
    });
  }
}`,
    },
    {
      name: 'Valid because the empty catch only discards a response body (seen in a public backend: supabase/storage src/storage/renderer/image.ts:747)',
      code: `
export function renderLater(response: Response) {
  setImmediate(async () => {
    try {
      await response.body?.cancel();
    } catch {}
  });
}`,
    },
    {
      name: 'Valid because the reason for the empty catch is written as the first line of the try (seen in a public backend: apitable packages/room-server/src/shared/interceptor/api.usage.interceptor.ts:115)',
      code: `
export class ApiUsageInterceptor {
  intercept(entity: ApiUsage) {
    setImmediate(async () => {
      try {
        // catch for duplicate requests
        await this.apiUsageRepository.insertByEntity(entity);
      } catch (e) {}
    });
  }
}`,
    },
    {
      name: 'Valid because the shutdown listener ends the process: a rejection only changes how it ends (seen in a public backend: overleaf services/history-v1/backup-verifier-app.mjs:76)',
      settings: NONE,
      code: `
const shutdownEmitter = new EventEmitter();
shutdownEmitter.once('shutdown', async (code) => {
  logger.info({ code }, 'shutting down');
  await mongodb.client.close();
  process.exit(code);
});`,
    },
    {
      name: 'Valid because each settled item reports its failure as a [result, error] tuple and logs it (seen in a public backend: papra apps/papra-server/src/modules/app/events/events.services.ts:87)',
      code: `
export function emitEvent(handlers, payload) {
  setImmediate(async () => {
    await Promise.allSettled(
      handlers.map(async ({ handler }) => {
        const [, error] = await safely(async () => handler(payload));
        if (error) {
          logger.error({ error }, 'Error in event handler');
        }
      }),
    );
  });
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because an empty catch around a database delete is not cleanup: `destroy` deletes a row',
      options: [{ checkEmptyCatches: true }],
      code: `
export function purgeLater(user: User) {
  setImmediate(async () => {
    try {
      await user.destroy();
    } catch {}
  });
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export function purgeLater(user: User) {
  setImmediate(async () => {
    try {
      await user.destroy();
    } catch (error) {
      console.error(\`the setImmediate callback failed\`, error);
    }
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a bare acknowledgement above the try gives no reason',
      options: [{ checkEmptyCatches: true }],
      code: `
export function recordLater(entity: ApiUsage) {
  setImmediate(async () => {
    // ignore
    try {
      await repository.insert(entity);
    } catch (e) {}
  });
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 7,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export function recordLater(entity: ApiUsage) {
  setImmediate(async () => {
    // ignore
    try {
      await repository.insert(entity);
    } catch (e) {
      console.error(\`the setImmediate callback failed\`, e);
    }
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a listener that exits the process only on one branch is no shutdown path',
      settings: NONE,
      code: `
emitter.on('tick', async (code) => {
  await jobs.runDue();
  if (code) process.exit(code);
});`,
      errors: [{ messageId: 'missingTryCatch', line: 2 }],
    },
  ],
});

tester.run('no-floating-background-task (round 11: shutdown)', floating, {
  valid: [
    {
      name: 'Valid because the shutdown listener ends the process (seen in a public backend: overleaf services/history-v1/backup-verifier-app.mjs:76)',
      settings: NONE,
      code: `
const shutdownEmitter = new EventEmitter();
shutdownEmitter.once('shutdown', async (code) => {
  await mongodb.client.close();
  await setTimeout(100);
  process.exit(code);
});`,
    },
    {
      name: 'Valid because the graceful shutdown runs only from signal and failure handlers and exits the process (seen in a public backend: papra apps/papra-server/src/modules/app/graceful-shutdown/graceful-shutdown.usecases.ts:38)',
      settings: NONE,
      code: `
async function gracefulShutdown({ services, exitCode = 0 }) {
  await services.executeShutdownHandlers();
  setTimeout(() => process.exit(exitCode), 500);
}
export function registerShutdownHooks({ services }) {
  process.on('uncaughtException', (error) => {
    logger.error({ error }, 'Uncaught exception');
    void gracefulShutdown({ services, exitCode: 1 });
  });
  process.on('SIGINT', () => void gracefulShutdown({ services }));
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a listener that only logs is no shutdown path',
      settings: NONE,
      code: `
emitter.on('tick', async () => {
  await jobs.runDue();
  logger.info('ran');
});`,
      errors: [{ messageId: 'floatingCallback', line: 2 }],
    },
  ],
});

tester.run('require-session-scope (round 11: a session handed to a returned object)', sessionScope, {
  valid: [
    {
      name: 'Valid because the client is handed to the transaction object the function returns, which releases it (seen in a public backend: supabase/storage src/internal/database/pg-connection.ts:435)',
      code: `
export class PgConnection {
  async beginTransaction(options) {
    const client = await this.pool.connect();
    const transaction = new PgTransaction(client, options);
    try {
      await transaction.runSetupQuery('BEGIN');
      return transaction;
    } catch (e) {
      client.release(e);
      throw e;
    }
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the object holding the client is not returned: nothing ends it on success',
      code: `
export class PgConnection {
  async ping() {
    const client = await this.pool.connect();
    const probe = new Probe(client);
    try {
      await probe.run('select 1');
    } catch (e) {
      client.release(e);
      throw e;
    }
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 4 }],
    },
  ],
});

const afterCommit = (logBody: string): string => `
async function logSuccess(event: AuditEvent) {
${logBody}
}
export async function updatePolicy(id: number, body: PolicyBody) {
  const transaction = await sequelize.transaction();
  try {
    await updatePolicyQuery(id, body, transaction);
    await transaction.commit();
    await logSuccess({ eventType: 'Update', description: 'Updated policy ' + id });
    return body;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}`;

const innerTry = (handler: string): string => `
export async function createTraining(body: TrainingBody) {
  const transaction = await sequelize.transaction();
  try {
    await createTrainingQuery(body, transaction);
    await transaction.commit();
    try {
      const users = await getAllUsersQuery();
      await notify(users);
    } catch (error) {
  ${handler}
    }
    return body;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}`;

tester.run('require-session-scope (round 11: work after the commit that cannot fail)', sessionScope, {
  valid: [
    {
      name: 'Valid because the lookup after the commit has an inner catch that logs and does not rethrow: its failure never reaches the rollback (seen in a public backend: bluewave-labs/verifywise Servers/controllers/trainingRegistar.ctrl.ts:196)',
      options: [{ checkTransactionUse: true }],
      code: innerTry('    logger.error(error);'),
    },
    {
      name: 'Valid because the audit log helper after the commit catches everything, so it cannot make the catch roll back a committed transaction (seen in a public backend: bluewave-labs/verifywise Servers/controllers/policy.ctrl.ts)',
      options: [{ checkTransactionUse: true }],
      code: afterCommit(`  try {
    await EventLog.create(event);
  } catch (error) {
    logger.error('could not write the event log', error);
  }`),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the inner catch around the lookup after the commit rethrows: its failure reaches the rollback',
      options: [{ checkTransactionUse: true }],
      code: innerTry('    throw error;'),
      errors: [{ messageId: 'workAfterCommit', line: 8, data: { work: 'getAllUsersQuery()', commit: 'transaction.commit()' } }],
    },
    {
      name: 'Invalid because the helper after the commit can reject: the catch then rolls back a committed transaction',
      options: [{ checkTransactionUse: true }],
      code: afterCommit(`  await EventLog.create(event);`),
      errors: [{ messageId: 'workAfterCommit', line: 10, data: { work: 'logSuccess()', commit: 'transaction.commit()' } }],
    },
  ],
});

const commitInFinally = (finallyBody: string): string => `
export async function createOrganizations(pool, orgs) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      await Promise.all(orgs.map((org) => client.query('select app_public.create_organization($1)', [org])));
    } finally {
${finallyBody}
    }
  } finally {
    await client.release();
  }
}`;

tester.run('no-stale-session-in-catch (round 11: COMMIT in finally)', staleSession, {
  valid: [
    {
      name: 'Valid because the finally ends the transaction with COMMIT, which PostgreSQL turns into a ROLLBACK after a failure (seen in a public backend: graphile/starter @app/server/src/middleware/installCypressServerCommand.ts:211)',
      code: commitInFinally("      await client.query('commit');"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the finally runs another query on the failed transaction before committing',
      code: commitInFinally("      await client.query('insert into audit values ($1)', ['done']);\n      await client.query('commit');"),
      errors: [{ messageId: 'staleSession', line: 9 }],
    },
  ],
});
