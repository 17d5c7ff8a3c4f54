/**
 * require-background-error-handling on failures reported as values beyond the Result methods
 * (issue 13, round 4): an `[error, value]` tuple, a tested `{ success }` flag, a `#private` callee
 * that catches everything; each with the near miss that stays reported.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-background-error-handling (failures reported as values)', rule, {
  valid: [
    // Valid because the only await destructures an [error, value] tuple from tryCatch (seen in a public backend: triggerdotdev/trigger.dev packages/cli-v3/src/entryPoints/managed/controller.ts:266)
    {
      name: 'Valid because the await yields an [error, value] tuple (trigger.dev managed/controller.ts:266)',
      code: `
setInterval(async () => {
  const [error] = await tryCatch(runner.execute());
  if (error) logger.error('execution failed', { error });
}, 1000);`,
    },
    // Valid because the { success } result is tested and its error logged (seen in a public backend: triggerdotdev/trigger.dev packages/cli-v3/src/entryPoints/dev-run-controller.ts:799, wrapZodFetch)
    {
      name: 'Valid because a { success } result is tested (trigger.dev dev-run-controller.ts:799)',
      code: `
setImmediate(async () => {
  const completion = await httpClient.completeRunAttempt(runId);
  if (!completion.success) logger.error('completion failed', { error: completion.error });
});`,
    },
    // Valid because the awaited #private method catches and logs everything (seen in a public backend: triggerdotdev/trigger.dev internal-packages/replication/src/client.ts:571)
    {
      name: 'Valid because a #private callee catches everything (trigger.dev replication/src/client.ts:571)',
      code: `
export class ReplicationClient {
  subscribe() {
    setImmediate(async () => {
      await this.#cleanupAttempt();
    });
  }
  async #cleanupAttempt() {
    try {
      await this.client.end();
    } catch (error) {
      this.logger.error('cleanup failed', { error });
    }
  }
}`,
    },
  ],
  invalid: [
    // Invalid because `[rows]` is data, not an error: the query still rejects outside try/catch
    {
      name: 'Invalid because a data tuple does not carry the failure',
      code: `
setInterval(async () => {
  const [rows] = await pool.query('SELECT 1');
  cache.set(rows);
}, 1000);`,
      errors: [{ messageId: 'missingTryCatch', line: 2, data: { task: 'the setInterval callback', line: '3' } }],
    },
    // Invalid because the #private callee awaits outside try/catch, so its failure escapes
    {
      name: 'Invalid because a #private callee that does not catch still rejects',
      code: `
export class ReplicationClient {
  subscribe() {
    setImmediate(async () => {
      await this.#cleanupAttempt();
    });
  }
  async #cleanupAttempt() {
    await this.client.end();
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 4, data: { task: 'the setImmediate callback', line: '5' } }],
    },
  ],
});
