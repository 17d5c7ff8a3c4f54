import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-session-scope.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** Cases whose outcome is the same with and without type information (both modes run them). */
const cases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
    {
      name: "Valid because the catch hands the client to a helper named for ending it, and the try's commit helper releases it (seen in a public backend: evershopcommerce/evershop, lib/metafield/definition.ts)",
      code: `
import { commit, rollback, startTransaction } from '@evershop/postgres-query-builder';
export async function deleteDefinition(id: number) {
  const conn = await pool.connect();
  try {
    await startTransaction(conn);
    await conn.query('DELETE FROM metafield WHERE id = $1', [id]);
    await commit(conn);
  } catch (e) {
    await rollback(conn);
    throw e;
  }
}`,
    },
    {
      name: 'Valid because a session stored on an object or returned is reported only with reportStoredSessions (seen in a public backend: nocobase, whose transaction decorator hands it on inside the scope)',
      code: `
async function run(sequelize: Sequelize) {
  return sequelize.transaction(async (transaction) => {
    const instance = this.clone();
    instance.transaction = transaction;
    return runnable(instance, transaction);
  });
}`,
    },
    {
      name: 'Valid because the outer client inside its own transaction callback is reported only with checkTransactionUse',
      code: `
async function lock(db: Knex, key: number) {
  await db.transaction(async (trx) => {
    await db.raw('SELECT pg_advisory_lock(?)', [key]);
    await trx('jobs').update({ locked: true });
  });
}`,
    },
    {
      name: 'Valid because only synchronous statements (a guarded return, a listener) run between connect() and release(): no error can skip the release (seen in a public backend: payload packages/db-postgres/src/connect.ts:23)',
      code: `
export async function checkConnection(pool: Pool) {
  let client;
  client = await pool.connect();
  if (!client) return;
  client.on('error', (error) => logger.error('pool client error', error));
  client.release();
}`,
    },
    {
      name: 'Valid because the client opened in either branch of an if is released after it with only synchronous statements between (seen in a public backend: payload packages/db-postgres/src/connect.ts:23 and :26)',
      code: `
export async function connectWithReconnect(pool: Pool, reconnect: boolean) {
  let result;
  if (!reconnect) {
    result = await pool.connect();
  } else {
    try {
      result = await pool.connect();
    } catch (ignore) {
      setTimeout(() => void connectWithReconnect(pool, true), 1000);
    }
  }
  if (!result) {
    return;
  }
  result.prependListener('error', (err) => logger.error(err));
  result.release();
}`,
    },
    {
      name: 'Valid because a factory hands the session it opens back to its caller as a resolved promise (seen in a public backend: parse-server src/Adapters/Storage/Mongo/MongoStorageAdapter.js:1100)',
      code: `
class MongoStorageAdapter {
  createTransactionalSession() {
    const transactionalSection = this.client.startSession();
    transactionalSection.startTransaction();
    return Promise.resolve(transactionalSection);
  }
}`,
    },
    {
      name: "Valid because a decorator's callback maps the method's arguments: @transaction(...) opens no scope where it is written (seen in a public backend: nocobase packages/core/database/src/field-repository/array-field-repository.ts:45)",
      code: `
class ArrayFieldRepository {
  @transaction((args, transaction) => {
    return { values: args[0], transaction };
  })
  async set(options: { values: string[]; transaction?: Transaction }) {
    const { transaction } = options;
    await this.getInstance({ transaction });
  }
}`,
    },
    {
      name: "Valid because an auth guard's this.getSession(req, res) is a login read from a cache, not a database session: nothing is called on it that only a database session has (seen in a public backend: vendure packages/core/src/api/middleware/auth-guard.ts:62)",
      code: `
export class AuthGuard {
  async canActivate(context: ExecutionContext) {
    const { req, res, info } = parseContext(context);
    const session = await this.getSession(req, res, true);
    const requestContext = await this.requestContextService.fromRequest(req, info, [], session);
    await this.setActiveChannel(requestContext, session);
    return true;
  }
}`,
    },
    {
      name: 'Valid because an auth service startSession(user) starts a login, not a MongoDB session: nothing only a database session has is used (seen in a public backend)',
      code: `
export class LoginService {
  async login(user: User) {
    const session = await this.authService.startSession(user);
    await this.audit.record(session);
    session.touch();
    return { token: session.token, expiresAt: session.expiresAt };
  }
}`,
    },
    {
      name: 'Valid because an express-session / iron-session session is a cookie: save() and destroy() are no evidence of a database (seen in a public backend)',
      code: `
export async function logout(req: Request, sessionStore: Store) {
  const session = await sessionStore.getSession(req.cookies.sid);
  session.user = undefined;
  await session.save();
}`,
    },
    {
      name: "Valid because createQueryRunner('master').connection only reads the DataSource: the runner never connects, so nothing is taken (seen in a public backend: vendure packages/core/src/service/services/collection.service.ts:732)",
      code: `
export class CollectionService {
  async apply(collection: Collection) {
    const masterConnection = this.connection.rawConnection.createQueryRunner('master').connection;
    return masterConnection.getRepository(ProductVariant).createQueryBuilder('variant').getMany();
  }
  async applyThroughManager() {
    return this.dataSource.createQueryRunner('master').manager.connection.getRepository(ProductVariant).find();
  }
}`,
    },
    {
      name: 'Valid because a login session logged as { session } is a value in a log line, not a driver option (seen in a public backend: standardnotes/server packages/auth/src/Domain/Auth/AuthResponseFactory20200115.ts:52)',
      code: `
export class AuthResponseFactory {
  async createResponse(dto: Dto) {
    const sessionCreationResult = await this.createSession(dto);
    this.logger.debug('Created session payload for user', { userId: dto.user.uuid, session: sessionCreationResult });
    return { sessionBody: sessionCreationResult.sessionHttpRepresentation };
  }
}`,
    },
    {
      name: 'Valid because a Better Auth createSession() is a login handed to setSessionCookie(ctx, { session, user }), a function, not a driver method taking a { session } option (seen in a public backend: formbricks apps/web/modules/ee/sso/lib/better-auth-recovery-signin.ts:58)',
      code: `
export const recoverySignIn = async (ctx: Ctx, user: User) => {
  try {
    const session = await ctx.context.internalAdapter.createSession(user.id, false);
    if (!session) throw new Error('Failed to create recovery session');
    await setSessionCookie(ctx, { session, user });
  } catch (err) {
    logger.error(err, 'SSO recovery sign-in failed');
  }
};`,
    },
    {
      name: "Valid because the runner comes from a DataSource built here with type 'sqlite': TypeORM's SQLite runners share one handle and release() only clears caches (seen in a public backend: Flowise packages/components/nodes/recordmanager/SQLiteRecordManager/SQLiteRecordManager.ts:244)",
      code: `
const options = { type: 'better-sqlite3', database: 'cache.db' } as const;
export class CacheStore {
  private dataSource = new DataSource(options);
  async size(): Promise<number> {
    const queryRunner = this.dataSource.createQueryRunner();
    const rows = await queryRunner.query('select count(*) as n from entries');
    await queryRunner.release();
    return rows[0].n;
  }
}
export async function vacuum(file: string) {
  const dataSource = new DataSource({ type: 'sqlite', database: file });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.query('VACUUM');
  await queryRunner.release();
}`,
    },
    {
      name: 'Valid because the runner\'s own DataSource is destroyed in the finally around every use: TypeORM releases each connected query runner before ending the pool (seen in a public backend: Flowise packages/components/nodes/recordmanager/PostgresRecordManager/PostgresRecordManager.ts:225)',
      code: `
export class PostgresRecordManager {
  async createSchema(): Promise<void> {
    const dataSource = await this.getDataSource();
    try {
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.manager.query('CREATE TABLE IF NOT EXISTS records (key TEXT)');
      await queryRunner.release();
    } catch (e: any) {
      if ('code' in e && e.code === '23505') return;
      throw e;
    } finally {
      await dataSource.destroy();
    }
  }
  async getTime(): Promise<number> {
    const dataSource = new DataSource({ type: 'mysql', host: 'db' });
    await dataSource.initialize();
    const queryRunner = dataSource.createQueryRunner();
    try {
      const res = await queryRunner.manager.query('SELECT UNIX_TIMESTAMP(NOW()) AS now');
      await queryRunner.release();
      return Number.parseFloat(res[0].now);
    } finally {
      await dataSource.destroy();
    }
  }
}`,
    },
    {
      name: 'Valid because nestjs-cls carries the transaction client through the awaited rest of the scope (seen in teable packages/db-main-prisma/src/prisma.service.ts:122)',
      code: `
export class PrismaService {
  async runTransaction<R>(fn: (tx: unknown) => Promise<R>): Promise<R> {
    return await this.prisma.$transaction(async (prisma) => {
      this.cls.set('tx.client', prisma);
      try {
        return await fn(prisma);
      } finally {
        this.cls.set('tx.client', undefined);
      }
    });
  }
}`,
    },
    {
      name: 'Valid because a session only read for its fields is an auth record, not a connection, with or without types (seen in reactive-resume apps/server/src/http/auth.ts:137; was an invalid case of the syntactic mode)',
      code: `
import type { AuthClient } from '@supabase/supabase-js';
export async function auditInBackground(auth: AuthClient) {
  const session = await auth.getSession();
  logger.info('audit', session.data.session?.user.id);
}`,
    },
    {
      name: 'Valid because a pool client released by the very next statement has nothing in between to fail (seen in hoppscotch packages/hoppscotch-backend/src/prisma/prisma.service.ts:133)',
      code: `
export class PrismaService {
  async onModuleInit() {
    const client = await this.pool.connect();
    client.release();
    await this.$connect();
  }
}`,
    },
    {
      name: "Valid because a Koa middleware puts the transaction on the request's context for the awaited rest of the request (seen in outline server/middlewares/transaction.ts:16)",
      code: `
export function transaction() {
  return async function transactionMiddleware(ctx: AppContext, next: Next) {
    await sequelize.transaction(async (t: Transaction) => {
      ctx.state.transaction = t;
      return next();
    });
  };
}`,
    },
    {
      name: 'Valid because browser code has no database session: authClient.getSession() is a login (seen in dokploy apps/dokploy/components/dashboard/impersonation/impersonation-bar.tsx:64)',
      code: `
import { useEffect } from 'react';
export function useImpersonation() {
  useEffect(() => {
    const load = async () => { const session = await authClient.getSession(); setUser(session.data?.user); };
    void load();
  }, []);
}`,
    },
    {
      name: "Valid because sequelize.where/sequelize.literal inside its own transaction build SQL fragments, they run no query (seen in outline/outline)",
      code: `
export async function linkIssuesInBackground(projectJson: string) {
  await sequelize.transaction(async (transaction) => {
    const integrations = await Integration.findAll({
      where: {
        [Op.and]: sequelize.where(sequelize.literal('"issueSources"::jsonb @> :projectJson'), Op.eq, true),
      },
      replacements: { projectJson },
      transaction,
    });
    await Promise.all(integrations.map((i) => i.save({ transaction })));
  });
}`,
    },
    {
      name: 'Valid because the seed template opens its session with await using',
      code: `
export async function backgroundOperation(entityId: string) {
  try {
    const infra = infrastructureProvider();
    infra.initialize();
    await using dbSession = infra.getSessionContext();
    const service = serviceProvider(dbSession);
    await service.updateStatus(entityId, 'in_progress');
    await service.doWork(entityId);
    await service.updateStatus(entityId, 'completed');
  } catch (e) {
    logger.error(\`Background operation failed for \${entityId}\`, e);
    await using errorSession = infra.getSessionContext();
    await serviceProvider(errorSession).updateStatus(entityId, 'failed', String(e));
  }
}`,
    },
    {
      name: 'Valid because a TypeORM QueryRunner is released in finally',
      code: `
async function charge(id: string) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.manager.update(Invoice, id, { paid: true });
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
      name: 'Valid because a pg pool client is released in finally (optional call)',
      code: `
async function move(pool: Pool) {
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('BEGIN');
    await client.query('COMMIT');
  } finally {
    client?.release();
  }
}`,
    },
    {
      name: 'Valid because the session is released by a helper called in finally that receives it',
      code: `
async function sync() {
  const client = await this.pool.connect();
  try {
    await client.query('select 1');
  } finally {
    releaseQuietly(client);
  }
}`,
    },
    {
      name: 'Valid because em.fork() needs no release (MikroORM)',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() {
    const em = this.em.fork();
    await em.nativeDelete(Job, { done: true });
  }
}`,
    },
    {
      name: 'Valid because a session handed to serviceProvider inside its scope stays in the scope',
      code: `
async function backgroundExport(id: string) {
  await using session = infra.getSessionContext();
  const service = serviceProvider(session);
  const repo = session.getRepository(Export);
  await service.write(id, await repo.findOne(id));
}`,
    },
    {
      name: 'Valid because Promise.all of closures is awaited inside the Prisma transaction',
      code: `
async function importAll(rows: Row[]) {
  await prisma.$transaction(async (tx) => {
    await Promise.all(rows.map(async (row) => tx.row.create({ data: row })));
  });
}`,
    },
    {
      name: 'Valid because a collected array of promises is awaited inside the Drizzle transaction',
      code: `
async function importAll(rows: Row[]) {
  await db.transaction(async (tx) => {
    const pending = rows.map((row) => tx.insert(rowsTable).values(row));
    await Promise.all(pending);
  });
}`,
    },
    {
      name: 'Valid because the Sequelize managed transaction passes t to every query',
      code: `
async function transfer() {
  await sequelize.transaction(async (t) => {
    await Account.decrement('balance', { by: 5, where: { id: 1 }, transaction: t });
    await sequelize.query('select 1', { transaction: t });
  });
}`,
    },
    {
      name: 'Valid because the Knex transaction callback uses only trx',
      code: `
async function move() {
  await knex.transaction(async (trx) => {
    await trx('orders').insert({ id: 1 });
    await knex('logs').insert({ id: 1 }).transacting(trx);
  });
}`,
    },
    {
      name: 'Valid because an unmanaged Knex transaction is rolled back in catch',
      code: `
async function move() {
  const trx = await knex.transaction();
  try {
    await trx('orders').insert({ id: 1 });
    await trx.commit();
  } catch (err) {
    await trx.rollback(err);
    throw err;
  }
}`,
    },
    {
      name: 'Valid because an unmanaged Sequelize transaction is rolled back in catch',
      code: `
async function move() {
  const t = await sequelize.transaction();
  try {
    await Order.create({ id: 1 }, { transaction: t });
    await t.commit();
  } catch (err) {
    await t.rollback();
    throw err;
  }
}`,
    },
    {
      name: 'Valid because the Kysely callback awaits everything it starts',
      code: `
async function settle(id: string) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('batches').set({ settled: true }).where('id', '=', id).execute();
  });
}`,
    },
    {
      name: 'Valid because MikroORM routes the outer em to the transactional fork',
      code: `
async function sync(em: EntityManager) {
  await em.transactional(async (tx) => {
    await em.persistAndFlush(new Job());
  });
}`,
    },
    {
      name: 'Valid because a nested transaction opened from the outer client is a fresh scope',
      code: `
async function sync() {
  await prisma.$transaction(async (tx) => {
    await tx.job.create({ data: {} });
    logger.info(prisma.constructor.name);
  });
}`,
    },
    {
      name: 'Valid because a function returning a fresh QueryRunner hands it to its caller',
      code: `
function openRunner(): QueryRunner {
  const runner = dataSource.createQueryRunner();
  return runner;
}
const make = () => pool.connect();`,
    },
    {
      name: 'Valid because the old pg callback API hands the client to the callback',
      code: `
pool.connect((err, client, done) => { client.query('select 1', () => done()); });`,
    },
    {
      name: 'Valid because the transaction result (not the session) is returned',
      code: `
async function create(data: Data) {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data });
    return user;
  });
}`,
    },
    {
      name: 'Valid because a session stored in a local of the scope does not leave it',
      code: `
async function work() {
  await dataSource.transaction(async (manager) => {
    const ctx = { manager };
    const repo = manager.getRepository(User);
    await repo.save(ctx);
  });
}`,
    },
    {
      name: 'Valid because a synchronous forEach inside the scope runs before it closes (MikroORM persist)',
      code: `
async function work(items: Item[]) {
  await orm.em.transactional(async (em) => {
    items.forEach((item) => em.persist(item));
  });
}`,
    },
    {
      name: 'Valid because a timer that does not touch the session may outlive the scope',
      code: `
async function work() {
  await prisma.$transaction(async (tx) => {
    await tx.job.update({ where: { id: 1 }, data: {} });
    setTimeout(() => metrics.flush(), 100);
  });
}`,
    },
    {
      name: 'Valid because getSessionContext disposed by a finally is scoped',
      code: `
async function work() {
  const session = infra.getSessionContext();
  try {
    await serviceProvider(session).run();
  } finally {
    await session[Symbol.asyncDispose]();
  }
}`,
    },
    {
      name: 'Valid because a bare getSession() is an auth helper (next-auth), not a database session',
      code: `
export default async function handle(req, res) {
  const session = await getSession({ req });
  res.json(session);
}`,
    },
    {
      name: 'Valid because pool.connect().then hands the client to the callback',
      code: `
function run() {
  return pool.connect().then((client) => client.query('select 1').finally(() => client.release()));
}`,
    },
    {
      name: 'Valid because a classic Knex callback that returns no promise keeps the transaction open until it commits',
      code: `
function move() {
  return knex.transaction(function (trx) {
    trx('orders').insert({ id: 1 }).then(() => trx.commit()).catch(trx.rollback);
  });
}`,
    },
    {
      name: 'Valid because a promise executor chains the query into the promise the scope awaits',
      code: `
async function run() {
  await knex.transaction(async (trx) => {
    await new Promise((resolve, reject) => {
      trx('orders').insert({ id: 1 }).then(resolve, reject);
    });
  });
}`,
    },
    {
      name: 'Valid because a pg client kept in a connection map is owned by that object (driver code)',
      code: `
class Driver {
  async acquire() {
    const client = await this.pool.connect();
    const connection = new Connection(client);
    this.connections.set(client, connection);
    return connection;
  }
}`,
    },
    {
      name: 'Valid because the outer client call receives a value derived from the transaction',
      code: `
async function run() {
  await sequelize.transaction(async (transaction) => {
    const connection = transaction.getConnection();
    await sequelize.dialect.connectionManager.disconnect(connection);
  });
}`,
    },
    {
      name: 'Valid because getSessionContext with a callback is a scope callback, not a disposable',
      code: `
async function backgroundRun(id: string) {
  await infra.getSessionContext(async (session) => {
    await serviceProvider(session).run(id);
  });
}`,
    },
    {
      name: 'Valid because a QueryRunner stored on the request is released by whoever owns the request (NestJS interceptor)',
      code: `
class TransactionInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest();
    const runner = this.dataSource.createQueryRunner();
    await runner.startTransaction();
    req.queryRunner = runner;
    return next.handle();
  }
  async attach(req: Request) {
    const runner = this.dataSource.createQueryRunner();
    req.runner = runner;
  }
}`,
    },
    // Escapes through detached async work (SPEC 3.1): near misses.
    {
      name: 'Valid because the arrays of promises are spread into Promise.all, so every write is awaited (seen in a public backend)',
      code: `
async function sync(docs: Doc[], users: User[]) {
  await prisma.$transaction(async (tx) => {
    const a = docs.map(async (d) => tx.doc.update({ where: { id: d.id }, data: d }));
    const b = users.map(async (u) => tx.user.update({ where: { id: u.id }, data: u }));
    await Promise.all([...a, ...b]);
  });
}`,
    },
    {
      name: 'Valid because Promise.all over two single promises awaits both (seen in a public backend)',
      code: `
async function load(id: string) {
  return db.transaction(async (tx) => {
    const user = tx.select().from(users).where(eq(users.id, id));
    const teams = tx.select().from(memberships).where(eq(memberships.userId, id));
    return Promise.all([user, teams]);
  });
}`,
    },
    {
      name: 'Valid because a for...of loop awaits every destroy inside the Sequelize transaction (seen in a public backend)',
      code: `
async function remove(doc: Doc) {
  await sequelize.transaction(async (transaction) => {
    const children = await doc.getChildren({ transaction });
    for (const child of children) {
      await child.destroy({ transaction });
    }
  });
}`,
    },
    {
      name: 'Valid because a listener inside a promise executor settles the promise the Knex transaction awaits',
      code: `
async function copy() {
  await knex.transaction(async (trx) => {
    await new Promise<void>((resolve, reject) => {
      const stream = source.stream();
      stream.on('data', (row: Row) => rows.push(trx('copy').insert(row)));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
  });
}`,
    },
    {
      name: 'Valid because a listener registered on the transaction itself lives and dies with it (Knex query events)',
      code: `
async function run() {
  await knex.transaction(async (trx) => {
    trx.on('query-error', (error: Error) => trx.rollback(error));
    await trx('jobs').update({ done: true });
  });
}`,
    },
    {
      name: 'Valid because a listener that does not use the session may outlive the TypeORM transaction (seen in a public backend)',
      code: `
async function save(items: Item[]) {
  await this.dataSource.transaction(async (manager) => {
    await manager.save(items);
    this.events.on('saved', (e: Event) => this.metrics.count(e));
  });
}`,
    },
    {
      name: 'Valid because the async map inside the Kysely transaction is awaited through Promise.all of the variable',
      code: `
async function tag(ids: string[]) {
  await db.transaction().execute(async (trx) => {
    const writes = ids.map(async (id) => trx.insertInto('tags').values({ id }).execute());
    await Promise.all(writes);
  });
}`,
    },
    {
      name: 'Valid because a repository derived from the manager is used by an awaited Promise.all (TypeORM)',
      code: `
async function save(users: User[]) {
  await dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(UserEntity);
    await Promise.all(users.map(async (u) => repo.save(u)));
  });
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the helper the catch hands the client to is not named for ending it, and the release in the try is skipped by an error',
      code: `
export async function deleteDefinition(id: number) {
  const conn = await pool.connect();
  try {
    await conn.query('DELETE FROM metafield WHERE id = $1', [id]);
    conn.release();
  } catch (e) {
    await recordFailure(e, conn);
    throw e;
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 3, data: { session: 'conn', line: '6' } }],
    },
    {
      name: "Invalid because createQueryRunner('master').manager.getRepository(...) queries through a runner nobody holds: its first query takes a pooled connection for good (seen in vendure packages/core/src/connection/transactional-connection.ts:119)",
      code: `
export class TransactionalConnection {
  getRepository(target: Type) {
    return this.dataSource.createQueryRunner('master').manager.getRepository(target);
  }
}`,
      errors: [{ messageId: 'leakedSession', line: 4, data: { session: 'dataSource.createQueryRunner()', opener: 'dataSource.createQueryRunner()', release: 'release' } }],
    },
    {
      name: 'Invalid because a session opened on a factory (infra.openSession()) is a database session by evidence, and nothing closes it',
      code: `
async function audit(id: string) {
  const session = await infra.openSession();
  await session.query('update jobs set seen = true where id = $1', [id]);
}`,
      errors: [{
        messageId: 'unreleasedSession', line: 3, data: { session: 'session', opener: 'infra.openSession()', release: 'close' },
        suggestions: [
          {
            messageId: 'releaseInFinally',
            data: { session: 'session', release: 'close' },
            output: `
async function audit(id: string) {
  const session = await infra.openSession();
  try {
    await session.query('update jobs set seen = true where id = $1', [id]);
  } finally {
    await session.close();
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because a getSession() value handed to a query as its { session } option is a MongoDB session, and nothing ends it',
      code: `
async function move(client: Client) {
  const session = await client.getSession();
  await orders.insertOne({ id: 1 }, { session });
}`,
      errors: [{
        messageId: 'unreleasedSession', line: 3, data: { session: 'session', opener: 'client.getSession()', release: 'close' },
        suggestions: [
          {
            messageId: 'releaseInFinally',
            data: { session: 'session', release: 'close' },
            output: `
async function move(client: Client) {
  const session = await client.getSession();
  try {
    await orders.insertOne({ id: 1 }, { session });
  } finally {
    await session.close();
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because the loop that releases the client awaits a read first: its failure skips the release (seen in a public backend: NodeBB src/database/postgres/sorted.js:724)',
      code: `
export async function processSortedSet(pool: Pool, key: string, process: (rows: Row[]) => Promise<void>) {
  const client = await pool.connect();
  const cursor = client.query(new Cursor('select value from zset where key = $1', [key]));
  while (true) {
    const rows = await cursor.readAsync(100);
    if (!rows.length) {
      client.release();
      return;
    }
    await process(rows);
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 3, data: { session: 'client', line: '8' } }],
    },
    {
      name: 'Invalid because a return between connect() and release() that does not test the client leaves it checked out (near miss of the payload connection check)',
      code: `
export async function checkConnection(pool: Pool, enabled: boolean) {
  const client = await pool.connect();
  if (!enabled) return;
  client.release();
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 3, data: { session: 'client', line: '5' } }],
    },
    {
      name: 'Invalid because after the branch that opened it the client runs a query before the release (near miss of the payload connection check)',
      code: `
export async function check(pool: Pool, primary: boolean) {
  let client;
  if (primary) {
    client = await pool.connect();
  } else {
    client = await replica.connect();
  }
  await client.query('SELECT 1');
  client.release();
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 5, data: { session: 'client', line: '10' } }],
    },
    {
      name: 'Invalid because a client opened in a switch case runs a query in that case before the release after the switch',
      code: `
export async function check(pool: Pool, mode: string) {
  let client;
  switch (mode) {
    case 'rw':
      client = await pool.connect();
      await client.query('SELECT 1');
      break;
  }
  client.release();
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 6, data: { session: 'client', line: '10' } }],
    },
    {
      name: 'Invalid because the factory resolves with a value read from the session, not the session (near miss of the parse-server factory)',
      code: `
class MongoStorageAdapter {
  async createTransactionalSession() {
    const transactionalSection = this.client.startSession();
    transactionalSection.startTransaction();
    await this.audit.insertOne({ at: new Date() }, { session: transactionalSection });
    return Promise.resolve(transactionalSection.id);
  }
}`,
      errors: [
        {
          messageId: 'unreleasedSession',
          line: 4,
          suggestions: [
            {
              messageId: 'releaseInFinally',
              data: { session: 'transactionalSection', release: 'endSession' },
              output: `
class MongoStorageAdapter {
  async createTransactionalSession() {
    const transactionalSection = this.client.startSession();
    try {
      transactionalSection.startTransaction();
      await this.audit.insertOne({ at: new Date() }, { session: transactionalSection });
      return Promise.resolve(transactionalSection.id);
    } finally {
      await transactionalSection.endSession();
    }
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a pg client used for a query is released outside a finally (near miss of the connectivity check)',
      code: `
export class Repo {
  async count() {
    const client = await this.pool.connect();
    const result = await client.query('select count(*) from jobs');
    client.release();
    return result;
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 4, data: { session: 'client', line: '6' } }],
    },
    {
      name: 'Invalid because setup() receives the DataSource and never destroys it: a failing query skips the release and the runner keeps its connection (Flowise pgSaver.ts:54 shape)',
      code: `
export class PostgresSaver {
  private async setup(dataSource: DataSource): Promise<void> {
    try {
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.manager.query('CREATE TABLE IF NOT EXISTS checkpoints (id TEXT)');
      await queryRunner.release();
    } catch (error) {
      throw new Error('Error creating table');
    }
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 5, data: { session: 'queryRunner', line: '7' } }],
    },
    {
      name: 'Invalid because the Postgres DataSource is destroyed after the work, not in a finally: an error skips both the release and the destroy',
      code: `
export async function count() {
  const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  const rows = await queryRunner.query('select count(*) from jobs');
  await queryRunner.release();
  await dataSource.destroy();
  return rows;
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 5, data: { session: 'queryRunner', line: '7' } }],
    },
    {
      name: 'Invalid because the finally destroys another DataSource than the one the runner came from',
      code: `
export async function copy(source: DataSource) {
  const target = new DataSource({ type: 'postgres' });
  try {
    const queryRunner = source.createQueryRunner();
    await queryRunner.query('select 1');
    await queryRunner.release();
  } finally {
    await target.destroy();
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 5, data: { session: 'queryRunner', line: '7' } }],
    },
    {
      name: 'Invalid because the runner is used after the try whose finally destroys its DataSource (use outside the covered block)',
      code: `
export async function read(dataSource: DataSource) {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.query('select 1');
  } finally {
    await dataSource.destroy();
  }
  await queryRunner.query('select 2');
  await queryRunner.release();
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 3, data: { session: 'queryRunner', line: '10' } }],
    },
    {
      name: "Invalid because the DataSource options say type 'postgres': the runner holds a pooled connection that a failing query leaks",
      code: `
export class Store {
  private dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
  async size(): Promise<number> {
    const queryRunner = this.dataSource.createQueryRunner();
    const rows = await queryRunner.query('select count(*) as n from entries');
    await queryRunner.release();
    return rows[0].n;
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 5, data: { session: 'queryRunner', line: '7' } }],
    },
    {
      name: 'Invalid because the driver type is not visible in the file (a received DataSource may be Postgres), so the unguarded release is still reported (Flowise sqliteSaver.ts:47 shape)',
      code: `
const sqliteOptions = { type: 'sqlite', database: 'x.db' };
export class SqliteSaver {
  private async setup(dataSource: DataSource): Promise<void> {
    const queryRunner = dataSource.createQueryRunner();
    await queryRunner.manager.query('CREATE TABLE IF NOT EXISTS checkpoints (id TEXT)');
    await queryRunner.release();
  }
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 5, data: { session: 'queryRunner', line: '7' } }],
    },
    {
      name: 'Invalid because a pg pool built per search is never ended, and its client is released without a finally (Flowise vectorstores/Postgres/driver/TypeORM.ts:225 shape)',
      code: `
export async function search(options: PoolConfig, query: string) {
  const pool = new Pool(options);
  const conn = await pool.connect();
  const documents = await conn.query(query);
  conn.release();
  return documents.rows;
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 4, data: { session: 'conn', line: '6' } }],
    },
    {
      name: 'Invalid because a runner of the app-wide DataSource is released without a finally and nothing destroys its source (Flowise server enterprise/middleware/passport/index.ts:209 shape)',
      code: `
export async function countOrganizations() {
  const queryRunner = getRunningExpressApp().AppDataSource.createQueryRunner();
  await queryRunner.connect();
  const count = await organizationService.countOrganizations(queryRunner);
  await queryRunner.release();
  return count;
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 3, data: { session: 'queryRunner', line: '6' } }],
    },
    {
      name: 'Invalid because the seed broken variant opens the session without await using',
      code: `
async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  const session = infra.getSessionContext();
  const service = serviceProvider(session);
  await service.updateStatus(entityId, 'in_progress');
}`,
      errors: [
        {
          messageId: 'unscopedSession',
          line: 4,
          column: 9,
          data: { session: 'session', opener: 'infra.getSessionContext()', release: 'close' },
          suggestions: [
            {
              messageId: 'useAwaitUsing',
              data: { session: 'session' },
              output: `
async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  await using session = infra.getSessionContext();
  const service = serviceProvider(session);
  await service.updateStatus(entityId, 'in_progress');
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the suggestion keeps the type annotation of the declared session',
      code: `
async function run() {
  let session: SessionContext = infra.getSessionContext();
  await session.run();
}`,
      errors: [
        {
          messageId: 'unscopedSession',
          line: 3,
          suggestions: [
            {
              messageId: 'useAwaitUsing',
              data: { session: 'session' },
              output: `
async function run() {
  await using session: SessionContext = infra.getSessionContext();
  await session.run();
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because an unscoped session stored on this gets no suggestion',
      code: `
class Jobs {
  async start() {
    const session = infra.getSessionContext();
    this.session = session;
  }
}`,
      errors: [{ messageId: 'unscopedSession', line: 4, suggestions: [] }],
    },
    {
      name: 'Invalid because a non-async function cannot use await using (no suggestion)',
      code: `
function start() {
  const session = infra.getSessionContext();
  session.run();
}`,
      errors: [{ messageId: 'unscopedSession', line: 3, suggestions: [] }],
    },
    {
      name: 'Invalid because a TypeORM QueryRunner is never released',
      code: `
class Billing {
  async chargeInBackground(id: string) {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.manager.update(Invoice, id, { paid: true });
  }
}`,
      errors: [
        {
          messageId: 'unreleasedSession',
          line: 4,
          column: 11,
          data: { session: 'runner', opener: 'dataSource.createQueryRunner()', release: 'release' },
          suggestions: [
            {
              messageId: 'releaseInFinally',
              data: { session: 'runner', release: 'release' },
              output: `
class Billing {
  async chargeInBackground(id: string) {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.manager.update(Invoice, id, { paid: true });
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
      name: 'Invalid because the QueryRunner is released after the work, not in finally',
      code: `
async function charge(id: string) {
  const runner = dataSource.createQueryRunner();
  await runner.manager.update(Invoice, id, { paid: true });
  await runner.release();
}`,
      errors: [
        {
          messageId: 'releasedOutsideFinally',
          line: 3,
          data: { session: 'runner', opener: 'dataSource.createQueryRunner()', release: 'release', line: '5' },
        },
      ],
    },
    {
      name: 'Invalid because a pg pool client is never released',
      code: `
async function count(pool: Pool) {
  const client = await pool.connect();
  const { rows } = await client.query('select count(*) from jobs');
  return rows[0].count;
}`,
      errors: [{
        messageId: 'unreleasedSession', line: 3, data: { session: 'client', opener: 'pool.connect()', release: 'release' },
        suggestions: [
          {
            messageId: 'releaseInFinally',
            data: { session: 'client', release: 'release' },
            output: `
async function count(pool: Pool) {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('select count(*) from jobs');
    return rows[0].count;
  } finally {
    await client.release();
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because a pg client assigned to a let is released only on success',
      code: `
async function count() {
  let client;
  client = await this.pgPool.connect();
  await client.query('select 1');
  client.release();
}`,
      errors: [{ messageId: 'releasedOutsideFinally', line: 4, column: 3 }],
    },
    {
      name: 'Invalid because an unmanaged Knex transaction is never rolled back',
      code: `
async function move() {
  const trx = await knex.transaction();
  await trx('orders').insert({ id: 1 });
  await trx.commit();
}`,
      errors: [
        { messageId: 'unendedTransaction', line: 3, data: { session: 'trx', opener: 'knex.transaction()', release: 'commit' } },
      ],
    },
    {
      name: 'Invalid because an unmanaged Sequelize transaction has no rollback',
      code: `
async function move() {
  const t = await sequelize.transaction();
  await Order.create({ id: 1 }, { transaction: t });
}`,
      errors: [{ messageId: 'unendedTransaction', line: 3, data: { session: 't', opener: 'sequelize.transaction()', release: 'commit' } }],
    },
    {
      name: 'Invalid because a QueryRunner used straight from its opening is never held',
      code: `
async function ping() {
  await dataSource.createQueryRunner().query('select 1');
}`,
      errors: [{ messageId: 'leakedSession', line: 3, column: 9, data: { session: 'dataSource.createQueryRunner()', opener: 'dataSource.createQueryRunner()', release: 'release' } }],
    },
    {
      name: 'Invalid because a Mongoose session from startSession is never ended',
      code: `
async function move() {
  const session = await mongoose.startSession();
  await Order.create([{ id: 1 }], { session });
}`,
      errors: [{
        messageId: 'unreleasedSession', line: 3, data: { session: 'session', opener: 'mongoose.startSession()', release: 'endSession' },
        suggestions: [
          {
            messageId: 'releaseInFinally',
            data: { session: 'session', release: 'endSession' },
            output: `
async function move() {
  const session = await mongoose.startSession();
  try {
    await Order.create([{ id: 1 }], { session });
  } finally {
    await session.endSession();
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid because the Kysely transaction is used by a setImmediate callback (example)',
      code: `
class LedgerJobs {
  async backgroundSettle(batchId: string) {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('batches').set({ settled: true }).where('id', '=', batchId).execute();
      setImmediate(() => {
        void trx.insertInto('audit').values({ batchId }).execute();
      });
    });
  }
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 7,
          column: 14,
          data: {
            session: 'trx',
            scope: 'the `db.transaction().execute` callback',
            how: 'a callback deferred with `setImmediate` uses it',
          },
        },
      ],
    },
    {
      name: 'Invalid because the Prisma transaction client is used by a setTimeout callback',
      code: `
async function work() {
  await prisma.$transaction(async (tx) => {
    setTimeout(async () => { await tx.audit.create({ data: {} }); }, 10);
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 4,
          data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'a callback deferred with `setTimeout` uses it' },
        },
      ],
    },
    {
      name: 'Invalid (reportStoredSessions) because the TypeORM transactional manager is stored on this',
      options: [{ reportStoredSessions: true }],
      code: `
class Jobs {
  async run() {
    await this.dataSource.transaction(async (manager) => {
      this.manager = manager;
    });
  }
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 5,
          column: 22,
          data: { session: 'manager', scope: 'the `dataSource.transaction` callback', how: 'it is stored in `this.manager`' },
        },
      ],
    },
    {
      name: 'Invalid (reportStoredSessions) because a repository derived from the scoped manager is stored in an outer variable',
      options: [{ reportStoredSessions: true }],
      code: `
let repo;
async function run() {
  await dataSource.transaction(async (manager) => {
    repo = manager.getRepository(User);
  });
}`,
      errors: [{ messageId: 'escapingSession', line: 5, data: { session: 'manager', scope: 'the `dataSource.transaction` callback', how: 'it is stored in `repo`' } }],
    },
    {
      name: 'Invalid (reportStoredSessions) because the Sequelize transaction is returned out of its callback',
      options: [{ reportStoredSessions: true }],
      code: `
async function run() {
  const t = await sequelize.transaction(async (t) => {
    await Order.create({}, { transaction: t });
    return t;
  });
}`,
      errors: [{ messageId: 'escapingSession', line: 5, data: { session: 't', scope: 'the `sequelize.transaction` callback', how: 'it is returned out of the scope' } }],
    },
    {
      name: 'Invalid (reportStoredSessions) because a using session is returned from its block',
      options: [{ reportStoredSessions: true }],
      code: `
async function open() {
  await using session = infra.getSessionContext();
  return serviceProvider(session);
}`,
      errors: [{ messageId: 'escapingSession', line: 4, data: { session: 'session', scope: 'its `await using` block', how: 'it is returned out of the scope' } }],
    },
    {
      name: 'Invalid because a Drizzle transaction is used by a .then callback the scope does not await',
      code: `
async function run() {
  await db.transaction(async (tx) => {
    fetchRates().then((rates) => tx.insert(ratesTable).values(rates));
  });
}`,
      errors: [{ messageId: 'escapingSession', line: 4, data: { session: 'tx', scope: 'the `db.transaction` callback', how: 'a `.then()` callback that the scope does not await uses it' } }],
    },
    {
      name: 'Invalid because an async forEach callback outlives the Knex transaction',
      code: `
async function run(rows: Row[]) {
  await knex.transaction(async (trx) => {
    rows.forEach(async (row) => { await trx('rows').insert(row); });
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 4,
          data: { session: 'trx', scope: 'the `knex.transaction` callback', how: 'an async callback that nobody awaits (rows.forEach()) uses it' },
          suggestions: [
            {
              messageId: 'awaitAllInScope',
              data: { list: 'rows' },
              output: `
async function run(rows: Row[]) {
  await knex.transaction(async (trx) => {
    await Promise.all(rows.map(async (row) => { await trx('rows').insert(row); }));
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the transaction is passed to a fire-and-forget call',
      code: `
class Orders {
  async place() {
    await this.prisma.$transaction(async (tx) => {
      await tx.order.create({ data: {} });
      this.auditInBackground(tx);
    });
  }
  private async auditInBackground(tx: Tx) { await tx.audit.create({ data: {} }); }
}`,
      errors: [{
        messageId: 'escapingSession', line: 6, data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'it is passed to `this.auditInBackground()`, which is not awaited' },
        suggestions: [
          {
            messageId: 'awaitInScope',
            data: { session: 'tx' },
            output: `
class Orders {
  async place() {
    await this.prisma.$transaction(async (tx) => {
      await tx.order.create({ data: {} });
      await this.auditInBackground(tx);
    });
  }
  private async auditInBackground(tx: Tx) { await tx.audit.create({ data: {} }); }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid (checkTransactionUse) because sequelize.query inside its own transaction runs outside it, next to a fragment that does not',
      options: [{ checkTransactionUse: true }],
      code: `
async function archive(id: string) {
  await sequelize.transaction(async (t) => {
    await Doc.update({ archivedAt: sequelize.fn('NOW') }, { where: { id }, transaction: t });
    await sequelize.query('DELETE FROM views WHERE "documentId" = :id', { replacements: { id } });
  });
}`,
      errors: [{ messageId: 'outerClientInScope', line: 5, column: 11, data: { client: 'sequelize', scope: 'sequelize.transaction', session: 't' } }],
    },
    {
      name: 'Invalid (checkTransactionUse) because the outer Prisma client is used inside its own transaction',
      options: [{ checkTransactionUse: true }],
      code: `
async function signup(data: Data) {
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data });
    await prisma.user.update({ where: { id: user.id }, data: { active: true } });
  });
}`,
      errors: [{ messageId: 'outerClientInScope', line: 5, column: 11, data: { client: 'prisma', scope: 'prisma.$transaction', session: 'tx' } }],
    },
    {
      name: 'Invalid (checkTransactionUse) because a raw query through the outer Prisma client runs outside the transaction',
      options: [{ checkTransactionUse: true }],
      code: `
async function lock(id: string) {
  await prisma.$transaction(async (tx) => {
    await prisma.$executeRaw\`select pg_advisory_xact_lock(\${id})\`;
    await tx.job.update({ where: { id }, data: {} });
  });
}`,
      errors: [{ messageId: 'outerClientInScope', line: 4, column: 11, data: { client: 'prisma', scope: 'prisma.$transaction', session: 'tx' } }],
    },
    {
      name: 'Invalid (checkTransactionUse) because this.dataSource is used inside its own transaction (TypeORM)',
      options: [{ checkTransactionUse: true }],
      code: `
class Users {
  async signup() {
    await this.dataSource.transaction(async (manager) => {
      await manager.save(User, {});
      await this.dataSource.getRepository(Profile).save({});
    });
  }
}`,
      errors: [{ messageId: 'outerClientInScope', line: 6, data: { client: 'this.dataSource', scope: 'dataSource.transaction', session: 'manager' } }],
    },
    {
      name: 'Invalid (checkTransactionUse) because the outer Knex instance runs a query inside its own transaction',
      options: [{ checkTransactionUse: true }],
      code: `
async function move() {
  await knex.transaction(async (trx) => {
    await trx('orders').insert({ id: 1 });
    await knex('logs').insert({ id: 1 });
  });
}`,
      errors: [{ messageId: 'outerClientInScope', line: 5, data: { client: 'knex', scope: 'knex.transaction', session: 'trx' } }],
    },
    {
      name: 'Invalid (checkTransactionUse) because the Kysely db is used inside its own transaction',
      options: [{ checkTransactionUse: true }],
      code: `
async function move(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    await db.insertInto('logs').values({ id: 1 }).execute();
  });
}`,
      errors: [{ messageId: 'outerClientInScope', line: 4, data: { client: 'db', scope: 'db.transaction().execute', session: 'trx' } }],
    },
    {
      name: 'Invalid because a QueryRunner released in finally is used by a deferred callback',
      code: `
async function run() {
  const runner = dataSource.createQueryRunner();
  try {
    process.nextTick(() => runner.query('select 1'));
  } finally {
    await runner.release();
  }
}`,
      errors: [{ messageId: 'escapingSession', line: 5, data: { session: 'runner', scope: 'the `finally` that ends it', how: 'a callback deferred with `process.nextTick` uses it' } }],
    },
    {
      name: 'Invalid (reportStoredSessions) because a Sequelize managed transaction is pushed into an outer list',
      options: [{ reportStoredSessions: true }],
      code: `
const open: Transaction[] = [];
async function run() {
  await sequelize.transaction(async (t) => { open.push(t); });
}`,
      errors: [{ messageId: 'escapingSession', line: 4, data: { session: 't', scope: 'the `sequelize.transaction` callback', how: 'it is stored in `open`' } }],
    },
    {
      name: 'Invalid because a voided query inside the Prisma transaction is not awaited before commit',
      code: `
async function work() {
  await prisma.$transaction(async (tx) => {
    await tx.job.update({ where: { id: 1 }, data: {} });
    void tx.audit.create({ data: {} });
    tx.audit.create({ data: {} }).catch(report);
  });
}`,
      errors: [
        {
        messageId: 'escapingSession', line: 5, column: 10, data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'a query that uses it is started without `await` (`void`)' },
        suggestions: [
          {
            messageId: 'awaitInScope',
            data: { session: 'tx' },
            output: `
async function work() {
  await prisma.$transaction(async (tx) => {
    await tx.job.update({ where: { id: 1 }, data: {} });
    await tx.audit.create({ data: {} });
    tx.audit.create({ data: {} }).catch(report);
  });
}`,
          },
        ],
      },
        {
        messageId: 'escapingSession', line: 6, column: 5, data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'a query that uses it is started without `await` (`.catch()`)' },
        suggestions: [
          {
            messageId: 'awaitInScope',
            data: { session: 'tx' },
            output: `
async function work() {
  await prisma.$transaction(async (tx) => {
    await tx.job.update({ where: { id: 1 }, data: {} });
    void tx.audit.create({ data: {} });
    await tx.audit.create({ data: {} }).catch(report);
  });
}`,
          },
        ],
      },
      ],
    },
    {
      name: 'Invalid because an async IIFE nobody awaits uses the using session',
      code: `
async function work() {
  await using session = infra.getSessionContext();
  (async () => { await serviceProvider(session).run(); })();
}`,
      errors: [{ messageId: 'escapingSession', line: 4, column: 40, data: { session: 'session', scope: 'its `await using` block', how: 'an async callback that nobody awaits (an async function) uses it' } }],
    },
    {
      name: 'Invalid because an option adds a released session (generic-pool acquire)',
      code: `
async function run() {
  const conn = await this.pool.acquire();
  await conn.query('select 1');
}`,
      options: [{ releasedSessions: [{ open: 'acquire', on: '*pool', release: ['release', 'destroy'] }] }],
      errors: [{
        messageId: 'unreleasedSession', line: 3, data: { session: 'conn', opener: 'pool.acquire()', release: 'release' },
        suggestions: [
          {
            messageId: 'releaseInFinally',
            data: { session: 'conn', release: 'release' },
            output: `
async function run() {
  const conn = await this.pool.acquire();
  try {
    await conn.query('select 1');
  } finally {
    await conn.release();
  }
}`,
          },
        ],
      }],
    },
    {
      name: 'Invalid (reportStoredSessions) because an option adds a scope whose callback session escapes',
      code: `
async function run() {
  await uow.withUnitOfWork(async (unit) => { this.unit = unit; });
}`,
      options: [{ reportStoredSessions: true, sessionScopes: ['withUnitOfWork'] }],
      errors: [{ messageId: 'escapingSession', line: 3, data: { session: 'unit', scope: 'the `uow.withUnitOfWork` callback', how: 'it is stored in `this.unit`' } }],
    },
    {
      name: 'Invalid because an option adds a disposable scope that must be declared with await using',
      code: `
async function run() {
  const ctx = db.openContext();
  await ctx.run();
}`,
      options: [{ disposableScopes: ['openContext'] }],
      errors: [
        {
          messageId: 'unscopedSession',
          line: 3,
          data: { session: 'ctx', opener: 'db.openContext()', release: 'close' },
          suggestions: [
            {
              messageId: 'useAwaitUsing',
              data: { session: 'ctx' },
              output: `
async function run() {
  await using ctx = db.openContext();
  await ctx.run();
}`,
            },
          ],
        },
      ],
    },
    // Escapes through detached async work (SPEC 3.1), one case per ORM form.
    {
      name: 'Invalid because forEach drops the promises of destroy calls that use the Sequelize transaction (seen in a public backend)',
      code: `
async function remove(doc: Doc) {
  await sequelize.transaction(async (transaction) => {
    const children = await doc.getChildren({ transaction });
    children.forEach(async (child) => child.destroy({ transaction }));
    await doc.destroy({ transaction });
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 5,
          data: { session: 'transaction', scope: 'the `sequelize.transaction` callback', how: 'an async callback that nobody awaits (children.forEach()) uses it' },
          suggestions: [
            {
              messageId: 'awaitAllInScope',
              data: { list: 'children' },
              output: `
async function remove(doc: Doc) {
  await sequelize.transaction(async (transaction) => {
    const children = await doc.getChildren({ transaction });
    await Promise.all(children.map(async (child) => child.destroy({ transaction })));
    await doc.destroy({ transaction });
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because awaiting forEach awaits nothing: the TypeORM manager is used after the commit',
      code: `
async function save(items: Item[]) {
  await this.dataSource.transaction(async (manager) => {
    await items.forEach(async (item) => {
      await manager.save(item);
      await manager.increment(Counter, { id: 1 }, 'n', 1);
    });
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 5,
          data: { session: 'manager', scope: 'the `dataSource.transaction` callback', how: 'an async callback that nobody awaits (items.forEach()) uses it' },
          suggestions: [
            {
              messageId: 'awaitAllInScope',
              data: { list: 'items' },
              output: `
async function save(items: Item[]) {
  await this.dataSource.transaction(async (manager) => {
    await Promise.all(items.map(async (item) => {
      await manager.save(item);
      await manager.increment(Counter, { id: 1 }, 'n', 1);
    }));
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a repository derived from the TypeORM manager is used by an async forEach callback',
      code: `
async function save(users: User[]) {
  await dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(UserEntity);
    users.forEach(async (u) => { await repo.save(u); });
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 5,
          column: 40,
          data: { session: 'manager', scope: 'the `dataSource.transaction` callback', how: 'an async callback that nobody awaits (users.forEach()) uses it' },
          suggestions: [
            {
              messageId: 'awaitAllInScope',
              data: { list: 'users' },
              output: `
async function save(users: User[]) {
  await dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(UserEntity);
    await Promise.all(users.map(async (u) => { await repo.save(u); }));
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because an async map as a statement leaves the Kysely inserts running after the commit',
      code: `
async function tag(ids: string[]) {
  await db.transaction().execute(async (trx) => {
    ids.map(async (id) => trx.insertInto('tags').values({ id }).execute());
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 4,
          data: { session: 'trx', scope: 'the `db.transaction().execute` callback', how: 'an async callback that nobody awaits (ids.map()) uses it' },
          suggestions: [
            {
              messageId: 'awaitAllInScope',
              data: { list: 'ids' },
              output: `
async function tag(ids: string[]) {
  await db.transaction().execute(async (trx) => {
    await Promise.all(ids.map(async (id) => trx.insertInto('tags').values({ id }).execute()));
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the promises of an async map held in a variable are never awaited (Drizzle)',
      code: `
async function importRows(rows: Row[]) {
  await db.transaction(async (tx) => {
    const writes = rows.map(async (row) => tx.insert(items).values(row));
    await tx.update(imports).set({ done: true });
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 4,
          data: { session: 'tx', scope: 'the `db.transaction` callback', how: 'an async callback that nobody awaits (rows.map()) uses it' },
        },
      ],
    },
    {
      name: 'Invalid because Promise.all over two arrays awaits the arrays, not the Prisma writes in them (seen in a public backend)',
      code: `
async function sync(docs: Doc[], users: User[]) {
  await prisma.$transaction(async (tx) => {
    const a = docs.map(async (d) => tx.doc.update({ where: { id: d.id }, data: d }));
    const b = users.map(async (u) => tx.user.update({ where: { id: u.id }, data: u }));
    await Promise.all([a, b]);
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 4,
          data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'async callbacks use it whose promises `Promise.all([...])` does not await (an array in the array)' },
          suggestions: [
            {
              messageId: 'spreadIntoPromiseAll',
              data: { combinator: 'Promise.all' },
              output: `
async function sync(docs: Doc[], users: User[]) {
  await prisma.$transaction(async (tx) => {
    const a = docs.map(async (d) => tx.doc.update({ where: { id: d.id }, data: d }));
    const b = users.map(async (u) => tx.user.update({ where: { id: u.id }, data: u }));
    await Promise.all([...a, b]);
  });
}`,
            },
          ],
        },
        {
          messageId: 'escapingSession',
          line: 5,
          data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'async callbacks use it whose promises `Promise.all([...])` does not await (an array in the array)' },
          suggestions: [
            {
              messageId: 'spreadIntoPromiseAll',
              data: { combinator: 'Promise.all' },
              output: `
async function sync(docs: Doc[], users: User[]) {
  await prisma.$transaction(async (tx) => {
    const a = docs.map(async (d) => tx.doc.update({ where: { id: d.id }, data: d }));
    const b = users.map(async (u) => tx.user.update({ where: { id: u.id }, data: u }));
    await Promise.all([a, ...b]);
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because an inline async map inside Promise.all([...]) is an unawaited array (Knex)',
      code: `
async function replace(ids: string[]) {
  await knex.transaction(async (trx) => {
    await Promise.all([trx('old').del(), ids.map(async (id) => trx('new').insert({ id }))]);
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 4,
          column: 64,
          data: { session: 'trx', scope: 'the `knex.transaction` callback', how: 'async callbacks use it whose promises `Promise.all([...])` does not await (an array in the array)' },
          suggestions: [
            {
              messageId: 'spreadIntoPromiseAll',
              data: { combinator: 'Promise.all' },
              output: `
async function replace(ids: string[]) {
  await knex.transaction(async (trx) => {
    await Promise.all([trx('old').del(), ...ids.map(async (id) => trx('new').insert({ id }))]);
  });
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because a subscription registered inside the MikroORM transaction uses its fork later',
      code: `
class Sync {
  async start() {
    await this.em.transactional(async (em) => {
      this.updates$.subscribe(async (update) => { await em.nativeUpdate(Item, { id: update.id }, update); });
    });
  }
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 5,
          data: { session: 'em', scope: 'the `em.transactional` callback', how: 'a listener registered with `updates$.subscribe()` inside the scope uses it' },
        },
      ],
    },
    {
      name: 'Invalid because a socket listener registered inside the Prisma transaction writes through it on later messages',
      code: `
async function attach(socket: Socket) {
  await prisma.$transaction(async (tx) => {
    await tx.session.create({ data: { socket: socket.id } });
    socket.on('message', (m: Message) => tx.message.create({ data: m }));
  });
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 5,
          data: { session: 'tx', scope: 'the `prisma.$transaction` callback', how: 'a listener registered with `socket.on()` inside the scope uses it' },
        },
      ],
    },
    {
      name: 'Invalid because an async forEach uses a QueryRunner that the finally releases first',
      code: `
async function move(ids: string[]) {
  const runner = this.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    ids.forEach(async (id) => { await runner.manager.delete(Item, id); });
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
}`,
      errors: [
        {
          messageId: 'escapingSession',
          line: 6,
          data: { session: 'runner', scope: 'the `finally` that ends it', how: 'an async callback that nobody awaits (ids.forEach()) uses it' },
          suggestions: [
            {
              messageId: 'awaitAllInScope',
              data: { list: 'ids' },
              output: `
async function move(ids: string[]) {
  const runner = this.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await Promise.all(ids.map(async (id) => { await runner.manager.delete(Item, id); }));
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
}`,
            },
          ],
        },
      ],
    },
  ],
};

type Changed = { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] };

/** Sessions found only by their type: opened in another file or returned by a helper. */
const typeAwareFinds: Changed[] = [
  {
    syntacticName: 'Valid because without type information openRunner() from another file is not known to return a QueryRunner',
    typedName: 'Invalid because (type-aware) openRunner() from another file returns a TypeORM QueryRunner that nothing releases',
    code: `
import type { DataSource, QueryRunner } from 'typeorm';
import { openRunner } from './sessions';
export async function importInBackground(dataSource: DataSource & { createQueryRunner(): QueryRunner }) {
  const runner = await openRunner(dataSource);
  await runner.query('insert into imports default values');
}`,
    errors: [{ messageId: 'unreleasedSession', line: 5, data: { session: 'runner', opener: 'openRunner()', release: 'release' }, suggestions: [{ messageId: 'releaseInFinally', data: { session: 'runner', release: 'release' }, output: `
import type { DataSource, QueryRunner } from 'typeorm';
import { openRunner } from './sessions';
export async function importInBackground(dataSource: DataSource & { createQueryRunner(): QueryRunner }) {
  const runner = await openRunner(dataSource);
  try {
    await runner.query('insert into imports default values');
  } finally {
    await runner.release();
  }
}` }] }],
  },
  {
    syntacticName: 'Valid because without type information this.borrow() is not known to return a pg PoolClient',
    typedName: 'Invalid because (type-aware) this.borrow() returns a pg PoolClient that nothing releases',
    code: `
import type { Pool } from 'pg';
export class Reports {
  constructor(private readonly pool: Pool) {}
  private borrow() { return this.pool.connect(); }
  async refreshInBackground() {
    const client = await this.borrow();
    await client.query('refresh materialized view reports');
  }
}`,
    errors: [{ messageId: 'unreleasedSession', line: 7, data: { session: 'client', opener: 'this.borrow()', release: 'release' }, suggestions: [{ messageId: 'releaseInFinally', data: { session: 'client', release: 'release' }, output: `
import type { Pool } from 'pg';
export class Reports {
  constructor(private readonly pool: Pool) {}
  private borrow() { return this.pool.connect(); }
  async refreshInBackground() {
    const client = await this.borrow();
    try {
      await client.query('refresh materialized view reports');
    } finally {
      await client.release();
    }
  }
}` }] }],
  },
  {
    syntacticName: 'Valid because without type information beginWork() from another file is not known to start a Knex transaction',
    typedName: 'Invalid because (type-aware) beginWork() returns a Knex.Transaction that is never rolled back',
    code: `
import { beginWork } from './sessions';
export async function syncInBackground(row: unknown) {
  const trx = await beginWork();
  await trx.insert(row);
  await trx.commit();
}`,
    errors: [{ messageId: 'unendedTransaction', line: 4, data: { session: 'trx', opener: 'beginWork()', release: 'commit' } }],
  },
];

/** Openers by name whose value's type has nothing to end: type information clears the report. */
const typeAwareClears: Changed[] = [
  {
    syntacticName: 'Invalid because without type information metricsPool.connect() looks like a pg pool checkout',
    typedName: 'Valid because (type-aware) MetricsPool.connect() returns a sender without release()',
    code: `
import type { MetricsPool } from './sessions';
export async function flushInBackground(metricsPool: MetricsPool) {
  const client = await metricsPool.connect();
  await client.send('jobs.flushed');
}`,
    errors: [{ messageId: 'unreleasedSession', line: 4, data: { session: 'client', opener: 'metricsPool.connect()', release: 'release' }, suggestions: [{ messageId: 'releaseInFinally', data: { session: 'client', release: 'release' }, output: `
import type { MetricsPool } from './sessions';
export async function flushInBackground(metricsPool: MetricsPool) {
  const client = await metricsPool.connect();
  try {
    await client.send('jobs.flushed');
  } finally {
    await client.release();
  }
}` }] }],
  },
];

/** Same outcome in both modes, with library types the checker can read. */
const typedValid: Valid[] = [
  {
    name: 'Valid because the QueryRunner from openRunner() is released in finally',
    code: `
import type { DataSource, QueryRunner } from 'typeorm';
import { openRunner } from './sessions';
export async function importInBackground(dataSource: DataSource & { createQueryRunner(): QueryRunner }) {
  const runner = await openRunner(dataSource);
  try {
    await runner.query('insert into imports default values');
  } finally {
    await runner.release();
  }
}`,
  },
  {
    name: 'Valid because a helper that returns the pg client hands it over to its caller',
    code: `
import type { Pool } from 'pg';
import { borrowClient } from './sessions';
export async function checkout(pool: Pool) {
  const client = await borrowClient(pool);
  await client.query('set search_path to app');
  return client;
}`,
  },
  {
    name: 'Valid because an EntityManager returned by a helper is not ended by its holder',
    code: `
import type { EntityManager } from 'typeorm';
declare function managerFor(tenant: string): EntityManager;
export async function listInBackground(tenant: string) {
  const manager = managerFor(tenant);
  await manager.find('Job');
}`,
  },
  {
    name: 'Valid because the Knex transaction from beginWork() is rolled back in catch',
    code: `
import { beginWork } from './sessions';
export async function syncInBackground(row: unknown) {
  const trx = await beginWork();
  try {
    await trx.insert(row);
    await trx.commit();
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
  },
];

const typedInvalid: Invalid[] = [
  {
    name: 'Invalid because a pg PoolClient from pool.connect() is never released (its type confirms the name)',
    code: `
import type { Pool } from 'pg';
export async function refreshInBackground(pool: Pool) {
  const client = await pool.connect();
  await client.query('refresh materialized view reports');
}`,
    errors: [{
        messageId: 'unreleasedSession', line: 4, data: { session: 'client', opener: 'pool.connect()', release: 'release' },
        suggestions: [
          {
            messageId: 'releaseInFinally',
            data: { session: 'client', release: 'release' },
            output: `
import type { Pool } from 'pg';
export async function refreshInBackground(pool: Pool) {
  const client = await pool.connect();
  try {
    await client.query('refresh materialized view reports');
  } finally {
    await client.release();
  }
}`,
          },
        ],
      }],
  },
];

createRuleTester().run('require-session-scope (syntactic)', rule, {
  valid: [
    ...cases.valid,
    ...typedValid,
    ...typeAwareFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code })),
    {
      name: "Valid because a test's unmanaged transaction dies with its test database (seen in a public backend: nocobase packages/core/server/src/__tests__/sync-message-manager.test.ts:33)",
      filename: 'packages/server/src/__tests__/orders.test.ts',
      code: `
async function move() {
  const t = await sequelize.transaction();
  await Order.create({ id: 1 }, { transaction: t });
}`,
    },
  ],
  invalid: [...cases.invalid, ...typedInvalid, ...typeAwareClears.map(({ syntacticName, code, errors }) => ({ name: syntacticName, code, errors }))],
});

createTypedRuleTester().run('require-session-scope (type-aware)', rule, {
  valid: [...cases.valid, ...typedValid, ...typeAwareClears.map(({ typedName, code }) => ({ name: typedName, code }))],
  invalid: [...cases.invalid, ...typedInvalid, ...typeAwareFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors }))],
});

const withSettings = createRuleTester({ 'background-tasks': { contextRoutedScopes: ['runInContext'], sessionScopes: ['runInContext'] } });

withSettings.run('require-session-scope (settings)', rule, {
  valid: [
    {
      name: "Valid because settings['background-tasks'] marks a scope as routing the outer client to its session",
      code: `
async function run() {
  await orm.runInContext(async (ctx) => { await orm.jobs.update({}); });
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a scope added by settings still must not leak its session',
      code: `
async function run() {
  await orm.runInContext(async (ctx) => { setTimeout(() => ctx.flush(), 10); });
}`,
      errors: [{ messageId: 'escapingSession', line: 3, data: { session: 'ctx', scope: 'the `orm.runInContext` callback', how: 'a callback deferred with `setTimeout` uses it' } }],
    },
  ],
});

const addWelcomePosts = `
export async function addWelcomePosts(con: DataSource) {
  const queryRunner = con.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.query('INSERT INTO post (id) VALUES ($1)', ['welcome']);
  await queryRunner.release();
}`;

createRuleTester().run('require-session-scope (scripts)', rule, {
  valid: [
    {
      name: 'Valid because a script run by hand ends its process, and with it a runner it leaks on an error (seen in a public backend: dailydotdev/daily-api bin/addWelcomePosts.ts)',
      code: addWelcomePosts,
      filename: '/repo/bin/addWelcomePosts.ts',
    },
  ],
  invalid: [
    {
      name: 'Invalid because the same leak in server code keeps its report',
      code: addWelcomePosts,
      filename: '/repo/src/posts/welcome.ts',
      errors: [{ messageId: 'releasedOutsideFinally', line: 3 }],
    },
    {
      name: 'Invalid because what a script transaction guards still matters: writes that bypass it are reported',
      code: `
import { User, Profile } from '../models';
async function seed(values: Attrs) {
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
      filename: '/repo/scripts/seed.ts',
      options: [{ checkTransactionUse: true }],
      errors: [{ messageId: 'bypassedTransaction', line: 7 }],
    },
  ],
});
