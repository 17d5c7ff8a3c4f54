/**
 * `require-session-scope`'s manual-transaction checks (SPEC 3.1): TypeORM QueryRunner, `pg` BEGIN,
 * Knex and Sequelize unmanaged transactions. Kept apart from the rule's main test file, which
 * covers scopes and escapes.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-session-scope.js';
import { createRuleTester } from '../rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const valid: Valid[] = [
  {
    name: 'Valid because how a transaction is used (work after its commit, a bypassing write, concurrent queries) is reported only with checkTransactionUse (judged false in every public backend it was seen in, issue 13)',
    code: `
async function invite(dataSource: DataSource, dto: Dto) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await this.inviteRepository.save(dto);
    await Promise.all([runner.manager.save(Invite, dto), runner.manager.save(Audit, dto)]);
    await runner.commitTransaction();
    await this.mailer.sendInvite(dto.email);
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}`,
  },
  // Valid because a MongoDB ClientSession holds no pooled connection and starts its transaction without I/O (issue 13, round 6)
  {
    name: 'Valid because a Mongo ClientSession started before the try leaks no connection, even under requireTransactionStartInTry (seen in a public backend: laudspeaker packages/server/src/api/accounts/accounts.service.ts)',
    code: `
async function update(connection: Connection, dataSource: DataSource) {
  const transactionSession = await connection.startSession();
  transactionSession.startTransaction();
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await Account.updateOne({ id: 1 }, { plan: 'pro' }, { session: transactionSession });
    await transactionSession.commitTransaction();
  } catch (err) {
    await transactionSession.abortTransaction();
    throw err;
  } finally {
    await transactionSession.endSession();
    await queryRunner.release();
  }
}`,
    options: [{ requireTransactionStartInTry: true }],
  },
  {
    name: 'Valid because an unused Mongo transaction beside a TypeORM one guards nothing that could be lost (seen in public backends: laudspeaker auth.service.ts:305, erxes accounting Transactions.ts:457)',
    code: `
async function register(connection: Connection, dataSource: DataSource, dto: Dto) {
  const transactionSession = await connection.startSession();
  transactionSession.startTransaction();
  try {
    await dataSource.transaction(async (manager) => manager.save(Account, dto));
    await transactionSession.commitTransaction();
  } catch (err) {
    await transactionSession.abortTransaction();
    throw err;
  } finally {
    await transactionSession.endSession();
  }
}`,
  },
  {
    name: 'Valid because an error path that skips endSession() of a Mongo ClientSession leaks no pooled connection (seen in a public backend: laudspeaker customers.service.ts:5917)',
    code: `
async function importRows(connection: Connection, rows: Row[]) {
  const clientSession = await connection.startSession();
  await Customer.insertMany(rows, { session: clientSession });
  await clientSession.endSession();
}`,
  },
  // Valid because the catch logs the real error before the rollback: a failing rollback only changes what is rethrown (issue 13, round 6)
  {
    name: 'Valid because the catch logs the error before rolling back, so work after the commit loses no failure (seen in a public backend: laudspeaker packages/server/src/api/journeys/start.processor.ts:176)',
    code: `
class StartProcessor {
  async process(job: Job) {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      await queryRunner.manager.save(Step, job.data.steps);
      await queryRunner.commitTransaction();
      await this.transitionQueue.addBulk(job.data.next);
    } catch (e) {
      this.logger.error(e, 'start failed');
      await queryRunner.rollbackTransaction();
      throw e;
    } finally {
      await queryRunner.release();
    }
  }
}`,
  },
  {
    name: "Valid because without requireTransactionStartInTry (strict) TypeORM's documented shape, startTransaction() before the try, is not reported",
    code: `
async function transfer(dataSource: DataSource) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.update(Account, 1, { balance: 0 });
    await queryRunner.commitTransaction();
  } catch (err) {
    await queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}`,
  },
  {
    name: "Valid because TypeORM's documented QueryRunner shape starts the transaction inside the try, works through queryRunner.manager and commits last",
    code: `
async function transfer(dataSource: DataSource, from: string, to: string) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.startTransaction();
    await queryRunner.manager.decrement(Account, { id: from }, 'balance', 10);
    await queryRunner.manager.increment(Account, { id: to }, 'balance', 10);
    await queryRunner.commitTransaction();
  } catch (err) {
    await queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}`,
  },
  {
    name: 'Valid because the work after the commit is outside the try that rolls back',
    code: `
async function pay(pool: Pool, id: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('update invoices set paid = true where id = $1', [id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  await notifyPaid(id);
}`,
  },
  {
    name: 'Valid because the rollback is guarded by isTransactionActive, so work after the commit cannot roll it back',
    code: `
async function importAll(dataSource: DataSource, rows: Row[]) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.manager.insert(Row, rows);
    await runner.commitTransaction();
    await this.searchIndex.refresh();
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}`,
  },
  {
    name: 'Valid because the Sequelize unmanaged transaction is passed to every write (seen in a public backend: outline/outline, server/migrations)',
    code: `
async function up(queryInterface, Sequelize) {
  const transaction = await queryInterface.sequelize.transaction();
  try {
    await queryInterface.addColumn('notifications', 'viewedAt', { type: Sequelize.DATE }, { transaction });
    await queryInterface.addIndex('notifications', ['viewedAt'], { transaction });
    await transaction.commit();
  } catch (err) {
    await transaction.rollback();
    throw err;
  }
}`,
  },
  {
    name: 'Valid because the Knex writes are bound to the transaction with .transacting(trx), and a read through the pool harms nothing',
    code: `
async function move(ids: string[]) {
  const trx = await knex.transaction();
  try {
    const rows = await knex('items').whereIn('id', ids);
    await knex('archive').insert(rows).transacting(trx);
    await trx('items').whereIn('id', ids).delete();
    await trx.commit();
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
  },
  {
    name: 'Valid because the queries on the runner are awaited one after another',
    code: `
async function seed(dataSource: DataSource, users: User[]) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    for (const user of users) await runner.manager.save(user);
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}`,
  },
  {
    name: 'Valid because Promise.all over different pool queries is not one connection',
    code: `
async function stats(pool: Pool) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('update stats set n = n + 1');
    const [a, b] = await Promise.all([pool.query('select 1'), pool.query('select 2')]);
    await client.query('COMMIT');
    return [a, b];
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}`,
  },
  // An early `return` between the start and the commit (issue 14, round 12): near misses.
  {
    name: 'Valid because every return after the start commits or rolls back first',
    code: `
async function create(req: Request, res: Response) {
  const t = await sequelize.transaction();
  try {
    const project = await Project.findByPk(req.body.id, { transaction: t });
    if (!project) {
      await t.rollback();
      return res.status(404).json({ message: 'no project' });
    }
    await Assessment.create({ projectId: project.id }, { transaction: t });
    await t.commit();
    return res.status(201).json({});
  } catch (error) {
    await t.rollback();
    return res.status(500).json({ message: String(error) });
  }
}`,
  },
  {
    name: 'Valid because the return before the start leaves nothing open, and the one in the catch is the error path',
    code: `
async function remove(req: Request, res: Response) {
  if (!req.params.id) return res.status(400).end();
  const trx = await knex.transaction();
  try {
    await trx('items').where({ id: req.params.id }).del();
    await trx.commit();
  } catch (error) {
    await trx.rollback();
    return res.status(500).end();
  }
  return res.status(204).end();
}`,
  },
  {
    name: 'Valid because the transaction is handed to a helper (which may end it) before the return, or is the returned value',
    code: `
async function open(req: Request) {
  const t = await sequelize.transaction();
  req.transaction = t;
  if (req.query.dryRun) return undefined;
  return t;
}
async function finishLater(items: Item[]) {
  const trx = await knex.transaction();
  try {
    await this.importer.run(items, trx);
    if (items.length === 0) return;
    await trx.commit();
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
  },
  {
    name: 'Valid because a finally that rolls back an active transaction covers the return',
    code: `
async function transfer(dataSource: DataSource, amount: number) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    if (amount <= 0) return;
    await runner.manager.update(Account, 1, { balance: amount });
    await runner.commitTransaction();
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}`,
  },
  {
    name: 'Valid because the return is on another branch than the start, or inside a callback',
    code: `
async function sync(flag: boolean, rows: Row[]) {
  if (flag) {
    const t = await sequelize.transaction();
    try {
      await Row.bulkCreate(rows, { transaction: t });
      await t.commit();
    } catch (error) {
      await t.rollback();
      throw error;
    }
  } else {
    return;
  }
}
async function each(rows: Row[]) {
  const trx = await knex.transaction();
  try {
    const ids = rows.map((row) => {
      return row.id;
    });
    await trx('rows').insert(ids);
    await trx.commit();
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
  },
];

const invalid: Invalid[] = [
  {
    name: 'Invalid because the early return between sequelize.transaction() and commit() leaves the transaction open on its connection (seen in a public backend: verifywise assessment.ctrl.ts)',
    code: `
async function createAssessment(req: Request, res: Response) {
  const transaction = await sequelize.transaction();
  try {
    const project = await Project.findByPk(req.body.projectId, { transaction });
    if (!project) {
      return res.status(400).json({ message: 'no project' });
    }
    await Assessment.create({ projectId: project.id }, { transaction });
    await transaction.commit();
    return res.status(201).json({});
  } catch (error) {
    await transaction.rollback();
    return res.status(500).json({ message: String(error) });
  }
}`,
    errors: [{ messageId: 'returnLeavesOpen', line: 7, data: { session: 'transaction', line: '3' } }],
  },
  {
    name: 'Invalid because a Knex unmanaged transaction is left open by the return inside the loop',
    code: `
async function importRows(rows: Row[]) {
  const trx = await knex.transaction();
  try {
    for (const row of rows) {
      if (!row.valid) return false;
      await trx('rows').insert(row);
    }
    await trx.commit();
    return true;
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
    errors: [{ messageId: 'returnLeavesOpen', line: 6, data: { session: 'trx', line: '3' } }],
  },
  {
    name: "Invalid because pg's BEGIN is left open by the return, with no finally to end it",
    code: `
async function pay(pool: Pool, id: string) {
  const client = await pool.connect();
  await client.query('BEGIN');
  const { rows } = await client.query('select * from invoices where id = $1', [id]);
  if (rows.length === 0) return null;
  await client.query('update invoices set paid = true where id = $1', [id]);
  await client.query('COMMIT');
  client.release();
  return rows[0];
}`,
    errors: [
      { messageId: 'releasedOutsideFinally', line: 3 },
      { messageId: 'returnLeavesOpen', line: 6, data: { session: 'client', line: '4' } },
    ],
  },
  {
    name: 'Invalid because startTransaction() runs before the try whose finally releases the runner: its failure leaks the connection',
    code: `
async function transfer(dataSource: DataSource) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.update(Account, 1, { balance: 0 });
    await queryRunner.commitTransaction();
  } catch (err) {
    await queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}`,
    options: [{ requireTransactionStartInTry: true }],
    errors: [{ messageId: 'transactionStartOutsideTry', line: 5, data: { start: 'queryRunner.startTransaction()', session: 'queryRunner' } }],
  },
  {
    name: "Invalid because pg's BEGIN runs before the try whose finally releases the client",
    code: `
async function pay(pool: Pool, id: string) {
  const client = await pool.connect();
  await client.query('BEGIN');
  try {
    await client.query('update invoices set paid = true where id = $1', [id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}`,
    options: [{ requireTransactionStartInTry: true }],
    errors: [{ messageId: 'transactionStartOutsideTry', line: 4, data: { start: "client.query('BEGIN')", session: 'client' } }],
  },
  {
    name: 'Invalid (checkTransactionUse) because the mail after commitTransaction() is inside the try whose catch rolls back: its failure rolls back a committed transaction',
    options: [{ checkTransactionUse: true }],
    code: `
async function invite(dataSource: DataSource, dto: Dto) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.manager.save(Invite, dto);
    await runner.commitTransaction();
    await this.mailer.sendInvite(dto.email);
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}`,
    errors: [{ messageId: 'workAfterCommit', line: 9, data: { work: 'this.mailer.sendInvite()', commit: 'runner.commitTransaction()' } }],
  },
  {
    name: 'Invalid (checkTransactionUse) because work follows the Knex commit inside the try whose catch calls trx.rollback()',
    options: [{ checkTransactionUse: true }],
    code: `
async function importRows(rows: Row[]) {
  const trx = await knex.transaction();
  try {
    await trx('rows').insert(rows);
    await trx.commit();
    await reindex(rows);
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
    errors: [{ messageId: 'workAfterCommit', line: 7, data: { work: 'reindex()', commit: 'trx.commit()' } }],
  },
  {
    name: 'Invalid (checkTransactionUse) because the writes go through the injected repository, not queryRunner.manager: the transaction guards nothing',
    options: [{ checkTransactionUse: true }],
    code: `
class UsersService {
  async create(dto: Dto) {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      const user = await this.userRepository.save(dto);
      await this.profileRepository.save({ userId: user.id });
      await queryRunner.commitTransaction();
    } catch (err) {
      await queryRunner.rollbackTransaction();
      throw err;
    } finally {
      await queryRunner.release();
    }
  }
}`,
    errors: [
      { messageId: 'bypassedTransaction', line: 8, data: { write: 'this.userRepository.save()', session: 'queryRunner', line: '7' } },
      { messageId: 'bypassedTransaction', line: 9, data: { write: 'this.profileRepository.save()', session: 'queryRunner', line: '7' } },
    ],
  },
  {
    name: 'Invalid (checkTransactionUse) because the Sequelize write does not pass { transaction: t }',
    options: [{ checkTransactionUse: true }],
    code: `
import { User, Profile } from '../models';
async function signup(values: Attrs) {
  const t = await sequelize.transaction();
  try {
    const user = await User.create(values, { transaction: t });
    await Profile.create({ userId: user.id });
    await t.commit();
  } catch (error) {
    await t.rollback();
    throw error;
  }
}`,
    errors: [{ messageId: 'bypassedTransaction', line: 7, data: { write: 'Profile.create()', session: 't', line: '4' } }],
  },
  {
    name: "Invalid (checkTransactionUse) because the unmanaged transaction is used only to commit and roll back (seen in a public backend: outline/outline, server/commands/userProvisioner.ts)",
    options: [{ checkTransactionUse: true }],
    code: `
async function provision(ctx: APIContext, team: Team, email: string) {
  const transaction = await User.sequelize!.transaction();
  try {
    if (team && !(await team.isDomainAllowed(email))) throw new Error('domain');
    const user = await User.createWithCtx(ctx, { email, teamId: team.id });
    await transaction.commit();
    return user;
  } catch (err) {
    await transaction.rollback();
    throw err;
  }
}`,
    errors: [{ messageId: 'unusedTransaction', line: 3, data: { session: 'transaction', start: 'sequelize.transaction()', line: '7' } }],
  },
  {
    name: 'Invalid (checkTransactionUse) because Promise.all runs two queries at once on one QueryRunner',
    options: [{ checkTransactionUse: true }],
    code: `
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
}`,
    errors: [{ messageId: 'concurrentQueries', line: 7, data: { session: 'runner', count: '2' } }],
  },
  {
    name: 'Invalid (checkTransactionUse) because Promise.all over items.map runs many queries at once on one pg client',
    options: [{ checkTransactionUse: true }],
    code: `
async function tag(pool: Pool, ids: string[]) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await Promise.all(ids.map((id) => client.query('update items set tagged = true where id = $1', [id])));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}`,
    errors: [{ messageId: 'concurrentQueries', line: 6, data: { session: 'client', count: 'several' } }],
  },
];

createRuleTester().run('require-session-scope (manual transactions)', rule, { valid, invalid });
