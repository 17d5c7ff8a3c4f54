/**
 * require-session-scope's concurrent queries and the project's database driver (issue 13, round
 * 10): pg, mysql2 and SQLite queue the queries sent on one connection, so `Promise.all` over one
 * transaction's queries runs them one after another and the rollback waits behind them; MSSQL's
 * tedious refuses a second request on a busy connection. The files are linted as if they lay in
 * the fixture projects under fixtures/dialect, whose package.json names the drivers.
 */
import path from 'node:path';
import rule from '../../src/rules/require-session-scope.js';
import { createRuleTester } from '../rule-tester.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/dialect');

const move = `
async function move(dataSource: DataSource, a: Item, b: Item) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await Promise.all([runner.manager.save(a), runner.manager.save(b)]);
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}`;

createRuleTester().run('require-session-scope (database driver)', rule, {
  valid: [
    {
      name: 'Valid because mysql2 queues the queries of one connection (seen in a public backend: chartbrew on Sequelize, Swetrix on TypeORM)',
      code: move,
      filename: path.join(fixtures, 'mysql-app/src/move.ts'),
      options: [{ checkTransactionUse: true }],
    },
    {
      name: 'Valid because pg and mysql2 both queue the queries of one connection',
      code: move,
      filename: path.join(fixtures, 'mixed-app/src/move.ts'),
      options: [{ checkTransactionUse: true }],
    },
  ],
  invalid: [
    {
      name: 'Invalid because MSSQL refuses a second request on a busy connection',
      code: move,
      filename: path.join(fixtures, 'mssql-app/src/move.ts'),
      options: [{ checkTransactionUse: true }],
      errors: [{ messageId: 'concurrentQueries', line: 7 }],
    },
  ],
});

/** onroutebc vehicles/src/modules/permit-application-payment/application/application.service.ts: startTransaction() before the try whose finally releases. */
const startBeforeTry = `
async function issue(dataSource: DataSource, permit: Permit) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.save(permit);
    await queryRunner.commitTransaction();
  } catch (err) {
    await queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}`;

createRuleTester().run('require-session-scope (SQL Server query runners, issue 13 round 17)', rule, {
  valid: [
    {
      name: "Valid because TypeORM's SQL Server runner takes its connection in startTransaction itself: connect() and release() hold nothing, so no connection leaks (seen in a public backend: onroutebc's vehicles API on mssql)",
      code: startBeforeTry,
      filename: path.join(fixtures, 'mssql-app/src/issue.ts'),
      options: [{ requireTransactionStartInTry: true }],
    },
  ],
  invalid: [
    {
      name: 'Invalid near miss: on pg the runner holds its pooled connection from connect(), and a failed BEGIN before the try leaks it',
      code: startBeforeTry,
      filename: path.join(fixtures, 'mixed-app/src/issue.ts'),
      options: [{ requireTransactionStartInTry: true }],
      errors: [{ messageId: 'transactionStartOutsideTry', line: 5 }],
    },
  ],
});
