/**
 * no-stale-session-in-catch and helpers that end the session (issue 13, round 10): a catch may
 * hand the failed try's session to a helper whose use of it is ending it
 * (`entityManager.queryRunner?.rollbackTransaction()`), as a positional argument or as a property
 * of an object argument, in this file or in another file that exports it (read from that file,
 * src/analysis/tasks/foreign-callees.ts). Seen in a public backend: dailydotdev/daily-api
 * src/common/njord.ts, whose throwUserTransactionError rolls back and records the failure through
 * ctx.con; src/schema/posts.ts and users.ts import it.
 */
import path from 'node:path';
import { afterEach } from 'vitest';
import rule from '../../src/rules/no-stale-session-in-catch.js';
import { clearForeignModules } from '../../src/analysis/tasks/foreign-callees.js';
import { createRuleTester } from '../rule-tester.js';

const filename = path.resolve(import.meta.dirname, '../../fixtures/foreign/caller.ts');

afterEach(() => clearForeignModules());

const award = (helper: string, imports = '', argument = '{ ctx, entityManager, error }') => `${imports}
export async function awardUser(ctx: Context, transaction: UserTransaction) {
  return ctx.con.transaction(async (entityManager) => {
    try {
      await entityManager.getRepository(UserTransaction).save(transaction);
      return await transferCores({ ctx, transaction, entityManager });
    } catch (error) {
      if (error instanceof TransferError) {
        await ${helper}(${argument});
      }
      throw error;
    }
  });
}`;

const sameFileHelper = `
const throwTransferError = async ({ ctx, entityManager, error }: Args): Promise<never> => {
  await entityManager.queryRunner?.rollbackTransaction();
  await ctx.con.getRepository(UserTransaction).save({ status: 'failed', error: error.message });
  throw error;
};`;

const positionalHelper = `
async function abortTransfer(manager: EntityManager, error: Error) {
  await manager.queryRunner?.rollbackTransaction();
  logger.error('transfer failed', error);
}`;

const writingHelper = `
const recordTransferError = async ({ entityManager, error }: Args) => {
  await entityManager.getRepository(UserTransaction).save({ status: 'failed', error: error.message });
};`;

createRuleTester().run('no-stale-session-in-catch (helpers that end the session)', rule, {
  valid: [
    {
      name: 'Valid because the same-file helper only rolls the session back through its queryRunner (daily-api njord.ts throwUserTransactionError)',
      code: sameFileHelper + award('throwTransferError'),
      filename,
    },
    {
      name: 'Valid because a positional helper parameter is only rolled back',
      code: positionalHelper + award('abortTransfer', '', 'entityManager, error'),
      filename,
    },
    {
      name: 'Valid because the imported helper only rolls the session back (daily-api schema/posts.ts importing common/njord)',
      code: award('throwTransferError', "import { throwTransferError } from './transfer-errors';"),
      filename,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the same-file helper writes through the session it was given',
      code: writingHelper + award('recordTransferError'),
      filename,
      errors: [{ messageId: 'staleSession', line: 12 }],
    },
    {
      name: 'Invalid because the imported helper writes through the session it was given',
      code: award('recordTransferError', "import { recordTransferError } from './transfer-errors';"),
      filename,
      errors: [{ messageId: 'staleSession', line: 9 }],
    },
    {
      name: 'Invalid because the session is nested deeper than a property of the argument: the helper is not followed',
      code: sameFileHelper + award('throwTransferError', '', '{ ctx, error, session: { entityManager } }'),
      filename,
      errors: [{ messageId: 'staleSession', line: 14 }],
    },
  ],
});
