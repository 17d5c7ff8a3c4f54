import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-stale-session-in-catch.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const message = (session: string, line: number, clause: 'catch' | 'finally') => ({
  session,
  line: String(line),
  clause,
});

/** Cases whose outcome is the same with and without type information (both modes run them). */
const cases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
    {
      name: 'Valid because the catch rolls the transaction back before the finally runs on the connection again (seen in a public backend: ohmyform/api src/migrations/sqlite.migration.ts:26)',
      code: `
export async function up(queryRunner: QueryRunner) {
  await queryRunner.query('PRAGMA foreign_keys=off');
  await queryRunner.query('BEGIN TRANSACTION');
  try {
    await realUp(queryRunner);
    await queryRunner.query('COMMIT');
  } catch (e) {
    await queryRunner.query('ROLLBACK');
    throw e;
  } finally {
    await queryRunner.query('PRAGMA foreign_keys=on');
  }
}`,
    },
    {
      name: 'Valid because a pooled pg client that never runs BEGIN is in autocommit: its finally must unlock the advisory lock on that same connection (seen in a public backend: bluesky-social/atproto, ozone materialized-view-refresher.ts)',
      code: `
async function refresh(db: Database) {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_try_advisory_lock($1)', [LOCK_ID]);
    await client.query('REFRESH MATERIALIZED VIEW CONCURRENTLY stats');
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
    client.release();
  }
}`,
    },
    {
      name: 'Valid because inTransaction() only reads the Mongo session\'s state before aborting it (seen in a public backend: laudspeaker/laudspeaker, events.preprocessor.ts)',
      code: `
async function run(connection: Connection) {
  const transactionSession = await connection.startSession();
  transactionSession.startTransaction();
  try {
    await this.eventModel.create([event], { session: transactionSession });
    await transactionSession.commitTransaction();
  } catch (err) {
    if (transactionSession.inTransaction()) await transactionSession.abortTransaction();
    throw err;
  } finally {
    await transactionSession.endSession();
  }
}`,
    },
    {
      name: 'Valid because the commit in finally runs only when the catch set no error (seen in a public backend: opencollective/opencollective-api, scripts/smart-dump.ts)',
      code: `
async function restore(sequelize: Sequelize) {
  const transaction = await sequelize.transaction();
  let err;
  try {
    await sequelize.query('INSERT INTO t SELECT * FROM s', { transaction });
  } catch (e) {
    err = e;
    await transaction.rollback();
  } finally {
    if (!err) await transaction.commit();
  }
}`,
    },
    {
      name: 'Valid because the seed template records the failure through a fresh error session',
      code: `
async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  try {
    await using dbSession = infra.getSessionContext();
    const service = serviceProvider(dbSession);
    await service.updateStatus(entityId, 'in_progress');
    await service.updateStatus(entityId, 'completed');
  } catch (e) {
    logger.error(\`Background operation failed for \${entityId}: \${e}\`);
    await using errorSession = infra.getSessionContext();
    const errorService = serviceProvider(errorSession);
    await errorService.updateStatus(entityId, 'failed', String(e));
  }
}`,
    },
    {
      name: 'Valid because the QueryRunner is only rolled back and released (TypeORM)',
      code: `
async function charge(id: string) {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.manager.update(Invoice, id, { paid: true });
    await runner.commitTransaction();
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}`,
    },
    {
      name: 'Valid because the pg client only runs a raw ROLLBACK in catch',
      code: `
async function move() {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('update jobs set status = $1', ['running']);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}`,
    },
    {
      name: 'Valid because a fresh Prisma transaction is opened inside the catch',
      code: `
async function backgroundCharge(id: string) {
  try {
    await prisma.$transaction(async (tx) => { await tx.invoice.update({ where: { id }, data: { status: 'processing' } }); });
  } catch (err) {
    await prisma.$transaction(async (tx) => { await tx.invoice.update({ where: { id }, data: { status: 'failed' } }); });
  }
}`,
    },
    {
      name: 'Valid because prisma used directly (not a transaction) is a client, not a session',
      code: `
async function backgroundCharge(id: string) {
  try {
    await prisma.invoice.update({ where: { id }, data: { status: 'processing' } });
  } catch (err) {
    await prisma.invoice.update({ where: { id }, data: { status: 'failed' } });
  }
}`,
    },
    {
      name: 'Valid because the Drizzle catch writes through the db client outside the failed transaction',
      code: `
async function runCleanupInBackground(jobId: number) {
  try {
    await db.transaction(async (tx) => { await tx.delete(jobs).where(eq(jobs.expired, true)); });
  } catch (err) {
    logger.error('cleanup failed', err);
    await db.update(jobs).set({ status: 'failed' }).where(eq(jobs.id, jobId));
  }
}`,
    },
    {
      name: 'Valid because the catch only logs and rethrows',
      code: `
async function run(tx: Prisma.TransactionClient) {
  try {
    await tx.job.update({ where: { id: 1 }, data: {} });
  } catch (err) {
    logger.error({ err, tx }, 'failed');
    this.logger.error('failed', err);
    throw err;
  }
}`,
    },
    {
      name: 'Valid because Knex trx is only rolled back in catch',
      code: `
async function move() {
  const trx = await knex.transaction();
  try {
    await trx('orders').insert({ id: 1 });
    await trx.commit();
  } catch (err) {
    await trx.rollback(err);
  }
}`,
    },
    {
      name: 'Valid because the Sequelize unmanaged transaction is only rolled back in catch',
      code: `
async function move() {
  const t = await sequelize.transaction();
  try {
    await Order.create({ id: 1 }, { transaction: t });
    await t.commit();
  } catch (err) {
    await t.rollback();
    await Order.update({ status: 'failed' }, { where: { id: 1 } });
  }
}`,
    },
    {
      name: 'Valid because the MikroORM fork is only used in the try; the catch forks a new one',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() {
    const em = this.em.fork();
    try {
      await em.flush();
    } catch (err) {
      const errorEm = this.em.fork();
      await errorEm.nativeUpdate(Job, { id: 1 }, { status: 'failed' });
    }
  }
}`,
    },
    {
      name: 'Valid because MikroORM em.transactional in the catch opens a fresh context',
      code: `
async function sweep(orm: MikroORM) {
  try {
    await orm.em.transactional(async (em) => { await em.flush(); });
  } catch (err) {
    await orm.em.transactional(async (em) => { await em.nativeUpdate(Job, { id: 1 }, { status: 'failed' }); });
  }
}`,
    },
    {
      name: 'Valid because the session is ended by a helper in finally that receives it',
      code: `
async function run() {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('select 1');
  } finally {
    await releaseQuietly(runner);
  }
}`,
    },
    {
      name: 'Valid because the finally calls a local helper that releases its parameter',
      code: `
async function cleanup(client: PoolClient) { client.release(); }
async function run() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    await cleanup(client);
  }
}`,
    },
    {
      name: 'Valid because the catch uses a session that the try did not use',
      code: `
async function run(a: Session, b: Session) {
  const first = await a.getRepository(Job);
  const second = await b.getRepository(Job);
  try {
    await first.save({});
  } catch (err) {
    await second.save({ failed: true });
  }
}`,
    },
    {
      name: 'Valid because a Kysely sql`rollback` statement ends the transaction',
      code: `
async function run(trx: Transaction<DB>) {
  try {
    await trx.insertInto('jobs').values({}).execute();
  } catch (err) {
    await sql\`rollback\`.execute(trx);
  }
}`,
    },
    {
      name: 'Valid because a Prisma raw ROLLBACK template ends the transaction',
      code: `
async function run(tx: Prisma.TransactionClient) {
  try {
    await tx.job.create({ data: {} });
  } catch (err) {
    await tx.$executeRaw\`ROLLBACK\`;
  }
}`,
    },
    {
      name: 'Valid because a try without a session has nothing stale',
      code: `
async function run(tx: Prisma.TransactionClient) {
  try {
    await fetch('https://example.com');
  } catch (err) {
    await tx.job.update({ where: { id: 1 }, data: { status: 'failed' } });
  }
}`,
    },
    {
      name: 'Valid because the scope callback catch opens a fresh transaction from the client',
      code: `
async function run() {
  await dataSource.transaction(async (manager) => {
    try {
      await manager.save(Job, {});
    } catch (err) {
      await dataSource.transaction(async (fresh) => { await fresh.update(Job, 1, { status: 'failed' }); });
    }
  });
}`,
    },
    {
      name: 'Valid because the Mongoose session is only aborted and ended',
      code: `
async function run() {
  const session = await mongoose.startSession();
  try {
    session.startTransaction();
    await Order.create([{}], { session });
  } catch (err) {
    await session.abortTransaction();
  } finally {
    await session.endSession();
  }
}`,
    },
    {
      name: 'Valid because the using session is disposed, not written, in the finally',
      code: `
async function run() {
  const session = infra.getSessionContext();
  try {
    await serviceProvider(session).run();
  } finally {
    await session[Symbol.asyncDispose]();
  }
}`,
    },
    {
      name: 'Valid because a bare synchronous call in finally is bookkeeping, not a query (TypeORM internals)',
      code: `
async function build() {
  try {
    await this.queryRunner.getTables([]);
  } finally {
    this.queryRunner.disableSqlMemory();
    await this.queryRunner.release();
  }
}`,
    },
    {
      name: "Valid because this.em in a background method is no-request-session-in-background's to report",
      code: `
class Digest {
  @Cron('0 7 * * *')
  async send() {
    try {
      await this.em.find(Digest, {});
    } catch (err) {
      await this.em.persistAndFlush(new Failure(err));
    }
  }
}`,
    },
    {
      name: 'Valid because an option adds a project-specific ending method',
      code: `
async function run(session: Session) {
  try {
    await session.save({});
  } catch (err) {
    await session.discard();
  }
}`,
      options: [{ endingMethods: ['discard'] }],
    },
    {
      name: 'Valid because a singleton client (this.prisma) is no session of the try: each call in the catch runs on its own',
      code: `
class Reports {
  async processInBackground(id: string) {
    try {
      await this.prisma.report.update({ where: { id }, data: { status: 'running' } });
    } catch (err) {
      await this.prisma.report.update({ where: { id }, data: { status: 'failed' } });
    }
  }
}`,
    },
    {
      name: 'Valid because a repository from the factory (this.dataSource) built before the try is no session',
      code: `
class Reports {
  async processInBackground(id: string) {
    const repo = this.dataSource.getRepository(Report);
    try {
      await repo.update(id, { status: 'running' });
    } catch (err) {
      await repo.update(id, { status: 'failed' });
    }
  }
}`,
    },
    {
      name: 'Valid because an injected repository is bound to no scoped session',
      code: `
class Reports {
  constructor(@InjectRepository(Report) private readonly reports: Repository<Report>) {}
  async processInBackground(id: string) {
    const reports = this.reports;
    try {
      await reports.update(id, { status: 'running' });
    } catch (err) {
      await reports.update(id, { status: 'failed' });
    }
  }
}`,
    },
    {
      name: 'Valid because the catch of a service built from this.session before the try opens a fresh session',
      code: `
class Reports {
  async processInBackground(id: string) {
    const service = new ReportService(this.session);
    try {
      await service.run(id);
    } catch (err) {
      await using errorSession = this.infra.getSessionContext();
      await new ReportService(errorSession).updateStatus(id, 'failed');
    }
  }
}`,
    },
    {
      name: 'Valid because the catch only rolls back and releases a QueryRunner aliased from this.queryRunner before the try',
      code: `
class Reports {
  async processInBackground(id: string) {
    const runner = this.queryRunner;
    try {
      await runner.manager.update(Report, id, { status: 'running' });
    } catch (err) {
      await runner.rollbackTransaction();
      await runner.release();
      throw err;
    }
  }
}`,
    },
    {
      name: 'Valid because the catch only logs the service built from this.session before the try',
      code: `
class Reports {
  async processInBackground(id: string) {
    const service = serviceProvider(this.session);
    try {
      await service.run(id);
    } catch (err) {
      logger.error('report failed', { err, service });
      throw err;
    }
  }
}`,
    },
    {
      name: 'Valid because the try did not use the service built from this.session before it',
      code: `
class Reports {
  async processInBackground(id: string) {
    const service = new ReportService(this.session);
    try {
      await fetch(\`/reports/\${id}\`);
    } catch (err) {
      await service.updateStatus(id, 'failed');
    }
  }
}`,
    },
    {
      name: 'Valid because this.request(...) calls a method of the class (an HTTP client helper), not a request-scoped session (seen in a public backend: inbox-zero apps/web/utils/recall/client.ts:146)',
      code: `
export class RecallClient {
  async cancelBot(id: string): Promise<void> {
    try {
      await this.request(\`/bot/\${id}/\`, { method: 'DELETE' });
    } catch (error) {
      await this.request(\`/bot/\${id}/leave_call/\`, { method: 'POST' });
    }
  }
  private async request(path: string, init: RequestInit) {
    return fetch(this.baseUrl + path, init);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the catch records the failure on the session and rolls back only in a branch',
      code: `
export async function up(queryRunner: QueryRunner) {
  await queryRunner.query('BEGIN TRANSACTION');
  try {
    await realUp(queryRunner);
    await queryRunner.query('COMMIT');
  } catch (e) {
    await queryRunner.query('INSERT INTO migration_failures (name) VALUES ($1)', ['up']);
    if (e.code !== 'SQLITE_BUSY') await queryRunner.query('ROLLBACK');
    throw e;
  } finally {
    await queryRunner.query('PRAGMA foreign_keys=on');
  }
}`,
      errors: [
        { messageId: 'staleSession', line: 8, data: message('queryRunner', 5, 'catch') },
        { messageId: 'staleSession', line: 12, data: message('queryRunner', 5, 'finally') },
      ],
    },
    {
      name: 'Invalid because the pooled pg client runs BEGIN: after a failed statement its transaction is aborted',
      code: `
async function refresh(db: Database) {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE stats SET n = n + 1');
    await client.query('COMMIT');
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
    client.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 9, data: message('client', 5, 'finally') }],
    },
    {
      name: 'Invalid because the finally writes through the transaction on the branch where the catch set the error',
      code: `
async function restore(knex: Knex) {
  const trx = await knex.transaction();
  let err;
  try {
    await trx('t').insert({ a: 1 });
  } catch (e) {
    err = e;
  } finally {
    if (err) await trx('failures').insert({ a: 1 });
    if (!err) await trx.commit();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 10, data: message('trx', 6, 'finally') }],
    },
    {
      name: 'Invalid because a service built from this.session before the try writes the failed status in catch (issue 15)',
      code: `
class Reports {
  async processInBackground(id: string) {
    const service = new ReportService(this.session);
    try {
      await service.run(id);
    } catch (err) {
      await service.updateStatus(id, 'failed');
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('service (from this.session)', 6, 'catch') }],
    },
    {
      name: 'Invalid because serviceProvider(this.session) before the try is reused in catch',
      code: `
class Reports {
  async processInBackground(id: string) {
    const service = serviceProvider(this.session);
    try {
      await service.run(id);
    } catch (err) {
      await service.updateStatus(id, 'failed');
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('service (from this.session)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a TypeORM repository from this.session before the try writes in catch',
      code: `
class Reports {
  async processInBackground(id: string) {
    const repo = this.session.getRepository(Report);
    try {
      await repo.save({ id, status: 'running' });
    } catch (err) {
      await repo.update(id, { status: 'failed' });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('repo (from this.session)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a MikroORM repository from an alias of this.em before the try writes in catch',
      code: `
class Reports {
  @Cron('0 * * * *')
  async sweep() {
    const em = this.em;
    const repo = em.getRepository(Job);
    try {
      await repo.nativeUpdate({ status: 'queued' }, { status: 'running' });
    } catch (err) {
      await repo.nativeUpdate({ status: 'running' }, { status: 'failed' });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 10, data: message('repo (from this.em)', 8, 'catch') }],
    },
    {
      name: 'Invalid because a QueryRunner destructured from this before the try writes in catch',
      code: `
class Reports {
  async processInBackground(id: string) {
    const { queryRunner } = this;
    try {
      await queryRunner.manager.update(Report, id, { status: 'running' });
    } catch (err) {
      await queryRunner.manager.update(Report, id, { status: 'failed' });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('queryRunner (from this.queryRunner)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a Prisma delegate of this.tx taken before the try writes in catch',
      code: `
class Reports {
  async processInBackground(id: string) {
    const reports = this.tx.report;
    try {
      await reports.update({ where: { id }, data: { status: 'running' } });
    } catch (err) {
      await reports.update({ where: { id }, data: { status: 'failed' } });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('reports (from this.tx)', 6, 'catch') }],
    },
    {
      name: 'Invalid because an alias of the Sequelize this.transaction is passed in catch options',
      code: `
class Reports {
  async processInBackground(id: string) {
    const t = this.transaction;
    try {
      await Report.update({ status: 'running' }, { where: { id }, transaction: t });
    } catch (err) {
      await Report.update({ status: 'failed' }, { where: { id }, transaction: t });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('t (from this.transaction)', 6, 'catch') }],
    },
    {
      name: 'Invalid because an alias of the Knex this.trx is called in catch',
      code: `
class Reports {
  async processInBackground(id: string) {
    const trx = this.trx;
    try {
      await trx('reports').where({ id }).update({ status: 'running' });
    } catch (err) {
      await trx('reports').where({ id }).update({ status: 'failed' });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('trx (from this.trx)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a service built from a captured request session before the try writes in catch',
      code: `
app.post('/reports/:id', (req, res) => {
  const service = new ReportService(req.db);
  setImmediate(async () => {
    try {
      await service.run(req.params.id);
    } catch (err) {
      await service.updateStatus(req.params.id, 'failed');
    }
  });
  res.sendStatus(202);
});`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('service', 6, 'catch') }],
    },
    {
      name: 'Invalid because a Prisma delegate taken before the try in the transaction callback writes in catch',
      code: `
async function charge(id: string) {
  await prisma.$transaction(async (tx) => {
    const invoices = tx.invoice;
    try {
      await invoices.update({ where: { id }, data: { status: 'processing' } });
    } catch (err) {
      await invoices.update({ where: { id }, data: { status: 'failed' } });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('invoices (from tx)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a TypeORM repository from the transactional manager before the try writes in catch',
      code: `
async function run(id: string) {
  await dataSource.transaction(async (manager) => {
    const jobs = manager.getRepository(Job);
    try {
      await jobs.save({ id, status: 'running' });
    } catch (err) {
      await jobs.update(id, { status: 'failed' });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('jobs (from manager)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a Kysely service built before the try writes in catch',
      code: `
async function run(db: Kysely<DB>, id: string) {
  await db.transaction().execute(async (trx) => {
    const jobs = new JobRepository(trx);
    try {
      await jobs.start(id);
    } catch (err) {
      await jobs.fail(id);
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('jobs (from trx)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a Drizzle service built before the try writes in catch',
      code: `
async function run(id: string) {
  await db.transaction(async (tx) => {
    const jobs = new JobService(tx);
    try {
      await jobs.start(id);
    } catch (err) {
      await jobs.fail(id);
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('jobs (from tx)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a service built from a pg client before the try writes in catch',
      code: `
async function run(id: string) {
  const client = await pool.connect();
  const jobs = new JobRepository(client);
  try {
    await jobs.start(id);
  } catch (err) {
    await jobs.fail(id);
  } finally {
    client.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('jobs (from client)', 6, 'catch') }],
    },
    {
      name: 'Invalid because a MikroORM repository from a fork in a transaction before the try writes in catch',
      code: `
async function run(id: string) {
  const em = orm.em.fork();
  await em.begin();
  const jobs = em.getRepository(Job);
  try {
    await jobs.nativeUpdate({ id }, { status: 'running' });
  } catch (err) {
    await jobs.nativeUpdate({ id }, { status: 'failed' });
  }
}`,
      errors: [{ messageId: 'staleSession', line: 9, data: message('jobs (from em)', 7, 'catch') }],
    },
    {
      name: 'Invalid because the TypeORM QueryRunner writes the failed status in catch (example)',
      code: `
async function chargeInBackground(invoiceId: string) {
  const runner = this.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.manager.update('invoices', invoiceId, { status: 'processing' });
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    logger.error(\`charge \${invoiceId} failed\`, err);
    await runner.manager.update('invoices', invoiceId, { status: 'failed' });
  } finally {
    await runner.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 12, column: 11, data: message('runner', 7, 'catch') }],
    },
    {
      name: 'Invalid because the seed broken variant reuses the session for the error status',
      code: `
async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  await using dbSession = infra.getSessionContext();
  const service = serviceProvider(dbSession);
  try {
    await service.updateStatus(entityId, 'in_progress');
    await service.doWork(entityId);
  } catch (e) {
    logger.error(\`failed for \${entityId}\`, e);
    await service.updateStatus(entityId, 'failed', String(e));
  }
}`,
      errors: [{
        messageId: 'staleSession', line: 11, column: 11, data: message('service (from dbSession)', 7, 'catch'),
        suggestions: [
          {
            messageId: 'useFreshSession',
            output: `
async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  await using dbSession = infra.getSessionContext();
  const service = serviceProvider(dbSession);
  try {
    await service.updateStatus(entityId, 'in_progress');
    await service.doWork(entityId);
  } catch (e) {
    logger.error(\`failed for \${entityId}\`, e);
    {
      await using errorSession = infra.getSessionContext();
      await serviceProvider(errorSession).updateStatus(entityId, 'failed', String(e));
    }
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because the seed broken variant builds a service from the stale session in catch',
      code: `
async function backgroundOperation(entityId: string) {
  await using dbSession = infra.getSessionContext();
  try {
    await serviceProvider(dbSession).doWork(entityId);
  } catch (e) {
    await serviceProvider(dbSession).updateStatus(entityId, 'failed');
  }
}`,
      errors: [{
        messageId: 'staleSession', line: 7, column: 27, data: message('dbSession', 5, 'catch'),
        suggestions: [
          {
            messageId: 'useFreshSession',
            output: `
async function backgroundOperation(entityId: string) {
  await using dbSession = infra.getSessionContext();
  try {
    await serviceProvider(dbSession).doWork(entityId);
  } catch (e) {
    {
      await using errorSession = infra.getSessionContext();
      await serviceProvider(errorSession).updateStatus(entityId, 'failed');
    }
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because the Prisma interactive transaction is used in its own catch',
      code: `
async function charge(id: string) {
  await prisma.$transaction(async (tx) => {
    try {
      await tx.invoice.update({ where: { id }, data: { status: 'processing' } });
    } catch (err) {
      await tx.invoice.update({ where: { id }, data: { status: 'failed' } });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, column: 13, data: message('tx', 5, 'catch') }],
    },
    {
      name: 'Invalid because a Prisma model delegate (tx.invoice) is derived from the transaction',
      code: `
async function charge(id: string) {
  await prisma.$transaction(async (tx) => {
    const invoices = tx.invoice;
    try {
      await invoices.update({ where: { id }, data: {} });
    } catch (err) {
      await invoices.update({ where: { id }, data: { status: 'failed' } });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('invoices (from tx)', 6, 'catch') }],
    },
    {
      name: 'Invalid because the TypeORM transactional manager is used in its catch',
      code: `
async function run() {
  await dataSource.transaction(async (manager) => {
    try {
      await manager.save(Job, {});
    } catch (err) {
      await manager.update(Job, 1, { status: 'failed' });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, data: message('manager', 5, 'catch') }],
    },
    {
      name: 'Invalid because a repository from the QueryRunner is used in catch',
      code: `
async function run() {
  const runner = dataSource.createQueryRunner();
  const jobs = runner.manager.getRepository(Job);
  try {
    await jobs.save({});
  } catch (err) {
    await runner.rollbackTransaction();
    await jobs.update(1, { status: 'failed' });
  } finally {
    await runner.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 9, data: message('jobs (from runner)', 6, 'catch') }],
    },
    {
      name: 'Invalid because the pg client writes after the failed statement (aborted transaction)',
      code: `
async function move() {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('update jobs set status = $1', ['running']);
  } catch (err) {
    await client.query('update jobs set status = $1', ['failed']);
  } finally {
    client.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('client', 5, 'catch') }],
    },
    {
      name: 'Invalid because the Knex trx is called after rollback in catch',
      code: `
async function move() {
  const trx = await knex.transaction();
  try {
    await trx('orders').insert({ id: 1 });
    await trx.commit();
  } catch (err) {
    await trx.rollback();
    await trx('orders').update({ status: 'failed' });
  }
}`,
      errors: [{ messageId: 'staleSession', line: 9, column: 11, data: message('trx', 5, 'catch') }],
    },
    {
      name: 'Invalid because the Knex callback transaction writes in its catch',
      code: `
async function move() {
  await knex.transaction(async (trx) => {
    try {
      await trx('orders').insert({ id: 1 });
    } catch (err) {
      await trx('orders').update({ status: 'failed' });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, data: message('trx', 5, 'catch') }],
    },
    {
      name: 'Invalid because the Sequelize unmanaged transaction is passed in catch options',
      code: `
async function move() {
  const t = await sequelize.transaction();
  try {
    await Order.create({ id: 1 }, { transaction: t });
    await t.commit();
  } catch (err) {
    await t.rollback();
    await Order.update({ status: 'failed' }, { where: { id: 1 }, transaction: t });
  }
}`,
      errors: [{ messageId: 'staleSession', line: 9, column: 79, data: message('t', 5, 'catch') }],
    },
    {
      name: 'Invalid because the Sequelize managed transaction is used in its catch',
      code: `
async function move() {
  await sequelize.transaction(async (t) => {
    try {
      await Order.create({ id: 1 }, { transaction: t });
    } catch (err) {
      await Job.update({ status: 'failed' }, { where: {}, transaction: t });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, data: message('t', 5, 'catch') }],
    },
    {
      name: 'Invalid because the Kysely transaction writes in its catch',
      code: `
async function settle(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    try {
      await trx.updateTable('batches').set({ settled: true }).execute();
    } catch (err) {
      await trx.insertInto('failures').values({}).execute();
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, data: message('trx', 5, 'catch') }],
    },
    {
      name: 'Invalid because the Drizzle transaction writes in its catch',
      code: `
async function cleanup() {
  await db.transaction(async (tx) => {
    try {
      await tx.delete(jobs);
    } catch (err) {
      await tx.update(jobs).set({ status: 'failed' });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, data: message('tx', 5, 'catch') }],
    },
    {
      name: 'Invalid because the MikroORM fork with the failed unit of work is flushed again in catch (persist is bookkeeping)',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() {
    const em = this.em.fork();
    try {
      await em.flush();
    } catch (err) {
      em.persist(new Failure());
      await em.flush();
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 10, data: message('em', 7, 'catch') }],
    },
    {
      name: 'Invalid because the MikroORM transactional em is used in its catch',
      code: `
async function sweep(orm: MikroORM) {
  await orm.em.transactional(async (em) => {
    try {
      await em.flush();
    } catch (err) {
      await em.nativeUpdate(Job, { id: 1 }, { status: 'failed' });
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, data: message('em', 5, 'catch') }],
    },
    {
      name: 'Invalid because the finally writes through the session the try used, in the transaction it began',
      code: `
async function run() {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await runner.query('select 1');
  } finally {
    await runner.manager.save(AuditLog, {});
    await runner.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('runner', 6, 'finally') }],
    },
    {
      name: 'Invalid because a request session of a request method is reused in catch',
      code: `
class Users {
  async create(dto: Dto) {
    try {
      await this.em.persistAndFlush(new User(dto));
    } catch (err) {
      return this.em.findOne(User, { email: dto.email });
    }
  }
}`,
      errors: [{ messageId: 'staleSession', line: 7, column: 14, data: message('this.em', 5, 'catch') }],
    },
    {
      name: 'Invalid because a helper that does not end the session receives it in catch',
      code: `
async function run(session: Session) {
  try {
    await session.save({});
  } catch (err) {
    await markFailed(session, err);
  }
}`,
      errors: [{ messageId: 'staleSession', line: 6, column: 22, data: message('session', 4, 'catch') }],
    },
    {
      name: 'Invalid because a service built from the transaction in catch writes through it',
      code: `
async function run() {
  await dataSource.transaction(async (manager) => {
    try {
      await new JobService(manager).run();
    } catch (err) {
      await new JobService(manager).markFailed();
    }
  });
}`,
      errors: [{ messageId: 'staleSession', line: 7, column: 28, data: message('manager', 5, 'catch') }],
    },
    {
      name: 'Invalid because a nested try inside the outer try still used the session',
      code: `
async function run(tx: Prisma.TransactionClient) {
  try {
    try {
      await tx.job.create({ data: {} });
    } finally {
      logger.info('done');
    }
  } catch (err) {
    await tx.job.update({ where: { id: 1 }, data: { status: 'failed' } });
  }
}`,
      errors: [{ messageId: 'staleSession', line: 10, data: message('tx', 5, 'catch') }],
    },
    {
      name: 'Invalid because a pg client assigned to a let inside the try is written to in catch',
      code: `
async function move(id: string) {
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('BEGIN');
  } catch (err) {
    await client?.query('ROLLBACK');
    await client?.query('update jobs set status = $1 where id = $2', ['failed', id]);
  } finally {
    client?.release();
  }
}`,
      errors: [{ messageId: 'staleSession', line: 9, column: 11, data: message('client', 5, 'catch') }],
    },
    {
      name: 'Invalid because each stale use in the catch is reported',
      code: `
async function run(trx: Knex.Transaction) {
  try {
    await trx('a').insert({});
  } catch (err) {
    await trx('a').update({ failed: true });
    await trx.raw('insert into failures default values');
  }
}`,
      errors: [
        { messageId: 'staleSession', line: 6, data: message('trx', 4, 'catch') },
        { messageId: 'staleSession', line: 7, data: message('trx', 4, 'catch') },
      ],
    },
  ],
};

type Changed = { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] };

/** Sessions known only by their type: names the vocabulary does not know. */
const typeAwareFinds: Changed[] = [
  {
    syntacticName: 'Valid because without type information db is not known to be a session',
    typedName: 'Invalid because (type-aware) db is a Prisma.TransactionClient, closed once its transaction failed',
    code: `
import type { Prisma } from '@prisma/client';
export async function charge(db: Prisma.TransactionClient, id: string) {
  try {
    await db.job.update({ where: { id }, data: { status: 'running' } });
  } catch (error) {
    await db.job.update({ where: { id }, data: { status: 'failed' } });
    throw error;
  }
}`,
    errors: [{ messageId: 'staleSession', line: 7, data: message('db', 5, 'catch') }],
  },
  {
    syntacticName: 'Valid because without type information this.orm is not known to be a session',
    typedName: "Invalid because (type-aware) this.orm is a MikroORM EntityManager whose failed flush left its unit of work stale",
    code: `
import type { EntityManager } from '@mikro-orm/postgresql';
export class Jobs {
  constructor(private readonly orm: EntityManager) {}
  async save(job: { id: string }) {
    try {
      await this.orm.persistAndFlush(job);
    } catch (error) {
      await this.orm.persistAndFlush({ failedJob: job.id });
    }
  }
}`,
    errors: [{ messageId: 'staleSession', line: 9, data: message('this.orm', 7, 'catch') }],
  },
  {
    syntacticName: 'Valid because without type information work is not known to be a TypeORM EntityManager',
    typedName: 'Invalid because (type-aware) work is a TypeORM EntityManager used for a write in finally',
    code: `
import type { EntityManager } from 'typeorm';
export async function close(work: EntityManager, order: unknown) {
  try {
    await work.save(order);
  } finally {
    await work.save({ audit: 'closed' });
  }
}`,
    errors: [{ messageId: 'staleSession', line: 7, data: message('work', 5, 'finally') }],
  },
];

/** Openers by name whose value's type has nothing to end: type information clears the report. */
const typeAwareClears: Changed[] = [
  {
    syntacticName: 'Invalid because without type information a getSession() value used for queries looks like a database session',
    typedName: 'Valid because (type-aware) auth.getSession() returns a Supabase auth session, which no failed query can make stale',
    code: `
import type { AuthClient } from '@supabase/supabase-js';
export async function audit(auth: AuthClient) {
  const session = await auth.getSession();
  try {
    await session.query('select 1');
  } catch (error) {
    await session.query('insert into failures default values');
  }
}`,
    errors: [{ messageId: 'staleSession', line: 8, data: message('session', 6, 'catch') }],
  },
];

/** Same outcome in both modes, with library types the checker can read. */
const typedValid: Valid[] = [
  {
    // Issue 13, round 3: an ambiguous opener is a database session only with evidence, in both modes.
    name: 'Valid because auth.getSession() read for its fields is a login, not a database session (issue 13: a session is a database session only with evidence)',
    code: `
import type { AuthClient } from '@supabase/supabase-js';
export async function audit(auth: AuthClient) {
  const session = await auth.getSession();
  try {
    await store.save(session.data);
  } catch (error) {
    await store.save({ failed: session.data });
  }
}`,
  },
  {
    name: 'Valid because a PrismaClient is no transaction: each call in the catch runs on its own',
    code: `
import type { PrismaClient } from '@prisma/client';
export async function charge(client: PrismaClient, id: string) {
  try {
    await client.job.update({ where: { id }, data: { status: 'running' } });
  } catch (error) {
    await client.job.update({ where: { id }, data: { status: 'failed' } });
  }
}`,
  },
  {
    name: 'Valid because the transaction client is only logged in the catch',
    code: `
import type { Prisma } from '@prisma/client';
export async function charge(db: Prisma.TransactionClient, id: string) {
  try {
    await db.job.update({ where: { id }, data: { status: 'running' } });
  } catch (error) {
    logger.error('charge failed', { error, db });
    throw error;
  }
}`,
  },
  {
    name: 'Valid because an HTTP client is no session, even when the try block failed on it',
    code: `
import type { AxiosInstance } from 'axios';
export async function notify(http: AxiosInstance, id: string) {
  try {
    await http.post('/done', { id });
  } catch (error) {
    await http.post('/failed', { id });
  }
}`,
  },
  {
    name: 'Valid because the catch uses a session the try block did not use',
    code: `
import type { Prisma } from '@prisma/client';
export async function charge(db: Prisma.TransactionClient, audit: Prisma.TransactionClient, id: string) {
  try {
    await db.job.update({ where: { id }, data: { status: 'running' } });
  } catch (error) {
    await audit.job.update({ where: { id }, data: { status: 'failed' } });
  }
}`,
  },
];

createRuleTester().run('no-stale-session-in-catch (syntactic)', rule, {
  valid: [
    ...cases.valid,
    ...typedValid,
    ...typeAwareFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code })),
    {
      name: 'Valid because browser code holds no database session, whatever the catch of a UI model does with a service built on this.session (seen in a public backend: nocobase packages/core/client-v2/src/flow/models/blocks/form/QuickEditFormModel.tsx:383)',
      filename: 'packages/client/src/models/QuickEditFormModel.tsx',
      code: `
export class QuickEditFormModel {
  async submitInBackground(id: string) {
    const service = new ReportService(this.session);
    try {
      await service.run(id);
    } catch (err) {
      await service.updateStatus(id, 'failed');
    }
  }
}`,
    },
  ],
  invalid: [...cases.invalid, ...typeAwareClears.map(({ syntacticName, code, errors }) => ({ name: syntacticName, code, errors }))],
});

createTypedRuleTester().run('no-stale-session-in-catch (type-aware)', rule, {
  valid: [...cases.valid, ...typedValid, ...typeAwareClears.map(({ typedName, code }) => ({ name: typedName, code }))],
  invalid: [...cases.invalid, ...typeAwareFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors }))],
});

const withSettings = createRuleTester({ 'background-tasks': { endingStatements: ['DISCARD ALL'], endingMethods: ['reset'] } });

withSettings.run('no-stale-session-in-catch (settings)', rule, {
  valid: [
    {
      name: "Valid because settings['background-tasks'] adds an ending statement and an ending method",
      code: `
async function run() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } catch (err) {
    await client.query('discard all');
    await client.reset();
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because settings do not make other statements ending',
      code: `
async function run() {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('select 1');
  } catch (err) {
    await client.query('insert into failures default values');
  }
}`,
      errors: [{ messageId: 'staleSession', line: 8, data: message('client', 5, 'catch') }],
    },
  ],
});
