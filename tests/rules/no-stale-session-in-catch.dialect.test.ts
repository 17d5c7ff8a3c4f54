/**
 * no-stale-session-in-catch and the project's database (issue 13, round 9): on MySQL or SQLite a
 * failed statement leaves the transaction usable, so the rule's premise (an aborted transaction)
 * holds only where the project may run on PostgreSQL. The files are linted as if they lay in the
 * fixture projects under fixtures/dialect, whose package.json names the drivers.
 */
import path from 'node:path';
import rule from '../../src/rules/no-stale-session-in-catch.js';
import { createRuleTester } from '../rule-tester.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/dialect');
const mysqlFile = path.join(fixtures, 'mysql-app/src/billing.service.ts');
const mixedFile = path.join(fixtures, 'mixed-app/src/billing.service.ts');

// Swetrix's shape: a duplicate-key insert fails, and the catch reads the row through the same transaction.
const charge = `
export class BillingService {
  async recordCharge(manager: EntityManager, chargeId: string) {
    const chargeRepository = manager.getRepository(Charge);
    try {
      await chargeRepository.insert({ id: chargeId });
    } catch (error) {
      const existing = await chargeRepository.findOne({ where: { id: chargeId } });
      return existing;
    }
  }
}`;

createRuleTester().run('no-stale-session-in-catch (database dialect)', rule, {
  valid: [
    // Valid because the project runs on MySQL only: a duplicate-key error rolls back that statement, not the transaction (seen in a public backend: Swetrix/swetrix backend/apps/cloud/src/user/user.controller.ts)
    { name: 'Valid because the project depends on mysql2 and on no PostgreSQL driver (Swetrix)', code: charge, filename: mysqlFile },
  ],
  invalid: [
    // Invalid because the project may run on PostgreSQL, where the failed insert aborts the transaction
    {
      name: 'Invalid because the project also depends on pg',
      code: charge,
      filename: mixedFile,
      errors: [{ messageId: 'staleSession', line: 8 }],
    },
    // Invalid because strict asks on every database: checkAllDatabases
    {
      name: 'Invalid because checkAllDatabases reports on a MySQL-only project (strict)',
      code: charge,
      filename: mysqlFile,
      options: [{ checkAllDatabases: true }],
      errors: [{ messageId: 'staleSession', line: 8 }],
    },
    // Invalid because a file outside any project names no driver
    {
      name: 'Invalid because a relative file name belongs to no project',
      code: charge,
      errors: [{ messageId: 'staleSession', line: 8 }],
    },
  ],
});
