/**
 * The shared suggestion builders (src/rules/util/suggestions.ts), through the rules that use them:
 * the edges every builder must respect. Comments stay, type annotations stay, a multi-line
 * template literal is never re-indented (that would change the string), and where an edit could
 * change what other code sees, no suggestion is offered. The everyday outputs are asserted in
 * each rule's own tests.
 */
import floating from '../../../src/rules/no-floating-background-task.js';
import stale from '../../../src/rules/no-stale-session-in-catch.js';
import errorHandling from '../../../src/rules/require-background-error-handling.js';
import sessionScope from '../../../src/rules/require-session-scope.js';
import { createRuleTester } from '../../rule-tester.js';

const tester = createRuleTester();

tester.run('no-floating-background-task suggestions', floating, {
  valid: [],
  invalid: [
    {
      name: 'Invalid because void drops the promise; a comment after void is kept by both suggestions',
      code: `
async function onSaved(id: string) {
  void /* reindex later */ reindexInBackground(id);
}
async function reindexInBackground(id: string) { await index.put(id); }`,
      errors: [
        {
          messageId: 'floatingTask',
          line: 3,
          suggestions: [
            {
              messageId: 'addCatch',
              data: { logger: 'console' },
              output: `
async function onSaved(id: string) {
  /* reindex later */ reindexInBackground(id).catch((error) => console.error('reindexInBackground failed', error));
}
async function reindexInBackground(id: string) { await index.put(id); }`,
            },
            {
              messageId: 'addAwait',
              data: { task: 'reindexInBackground' },
              output: `
async function onSaved(id: string) {
  await /* reindex later */ reindexInBackground(id);
}
async function reindexInBackground(id: string) { await index.put(id); }`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the call is dropped in a sync function: .catch() only, since await is not allowed there',
      code: `
function onSaved(id: string) {
  reindexInBackground(id);
}
async function reindexInBackground(id: string) { await index.put(id); }`,
      errors: [
        {
          messageId: 'floatingTask',
          line: 3,
          suggestions: [
            {
              messageId: 'addCatch',
              data: { logger: 'console' },
              output: `
function onSaved(id: string) {
  reindexInBackground(id).catch((error) => console.error('reindexInBackground failed', error));
}
async function reindexInBackground(id: string) { await index.put(id); }`,
            },
          ],
        },
      ],
    },
  ],
});

tester.run('require-session-scope suggestions', sessionScope, {
  valid: [],
  invalid: [
    {
      name: 'Invalid because the runner is never released; the annotation and the comments stay, the template literal is not re-indented',
      code: `
class Billing {
  async chargeInBackground(id: string) {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    // connect first
    await runner.connect();
    await runner.query(\`update invoices
set paid = true where id = $1\`, [id]); // one statement
  }
}`,
      errors: [
        {
          messageId: 'unreleasedSession',
          line: 4,
          suggestions: [
            {
              messageId: 'releaseInFinally',
              data: { session: 'runner', release: 'release' },
              output: `
class Billing {
  async chargeInBackground(id: string) {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    // connect first
    try {
      await runner.connect();
    await runner.query(\`update invoices
set paid = true where id = $1\`, [id]); // one statement
    } finally {
      await runner.release();
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the client is never released; no suggestion, since a function declaration after it would move into the try',
      code: `
async function count(pool: Pool) {
  const client = await pool.connect();
  return total();
  function total() { return client.query('select count(*) from jobs'); }
}`,
      errors: [{ messageId: 'unreleasedSession', line: 3, suggestions: [] }],
    },
  ],
});

tester.run('require-background-error-handling suggestions', errorHandling, {
  valid: [],
  invalid: [
    {
      name: 'Invalid because the catch has no binding and logs no error: the suggestion adds both',
      options: [{ checkLogsWithoutError: true }],
      code: `
export async function syncInBackground(id: string) {
  try {
    await sync(id);
  } catch {
    logger.error(\`sync \${id} failed\`);
  }
}`,
      errors: [
        {
          messageId: 'logWithoutError',
          line: 5,
          suggestions: [
            {
              messageId: 'passError',
              data: { error: 'error', log: 'logger.error' },
              output: `
export async function syncInBackground(id: string) {
  try {
    await sync(id);
  } catch (error) {
    logger.error(\`sync \${id} failed\`, error);
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the catch logs no error; no suggestion, since a binding named error would hide the outer error it uses',
      options: [{ checkLogsWithoutError: true }],
      code: `
export async function syncInBackground(id: string, error: string) {
  try {
    await sync(id);
  } catch {
    logger.error(\`sync \${id} failed: \${error}\`);
  }
}`,
      errors: [{ messageId: 'logWithoutError', line: 5, suggestions: [] }],
    },
  ],
});

tester.run('no-stale-session-in-catch suggestions', stale, {
  valid: [],
  invalid: [
    {
      name: 'Invalid because the stale session records the failure: the fresh one takes its place, the comment stays',
      code: `
async function backgroundOperation(entityId: string) {
  await using dbSession = infra.getSessionContext();
  try {
    await doWork(dbSession, entityId);
  } catch (e) {
    await markFailed(dbSession /* the session */, entityId, e);
  }
}`,
      errors: [
        {
          messageId: 'staleSession',
          line: 7,
          suggestions: [
            {
              messageId: 'useFreshSession',
              output: `
async function backgroundOperation(entityId: string) {
  await using dbSession = infra.getSessionContext();
  try {
    await doWork(dbSession, entityId);
  } catch (e) {
    {
      await using errorSession = infra.getSessionContext();
      await markFailed(errorSession /* the session */, entityId, e);
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the runner of the try is used in its catch; no suggestion, since a runner needs connect and release, not just a new call',
      code: `
async function backgroundOperation(id: string) {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await runner.query('update jobs set status = 1 where id = $1', [id]);
  } catch (e) {
    await runner.query('update jobs set status = 2 where id = $1', [id]);
  } finally {
    await runner.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, suggestions: [] }],
    },
  ],
});

tester.run('no-stale-session-in-catch suggestions at a module top level', stale, {
  valid: [],
  invalid: [
    {
      name: "Invalid because the doc's template reuses the failed session at the top level of a module: the fresh session is allowed there too",
      code: `
await using session = infra.getSessionContext();
const service = serviceProvider(session);
try {
  await service.doWork(id);
} catch (e) {
  await service.updateStatus(id, 'failed', String(e)); // the same, failed session
}`,
      errors: [
        {
          messageId: 'staleSession',
          line: 7,
          suggestions: [
            {
              messageId: 'useFreshSession',
              output: `
await using session = infra.getSessionContext();
const service = serviceProvider(session);
try {
  await service.doWork(id);
} catch (e) {
  {
    await using errorSession = infra.getSessionContext();
    await serviceProvider(errorSession).updateStatus(id, 'failed', String(e));
  } // the same, failed session
}`,
            },
          ],
        },
      ],
    },
  ],
});
