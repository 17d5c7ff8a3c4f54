import rule from '../../src/rules/no-request-session-in-background.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('no-request-session-in-background', rule, {
  valid: [
    {
      name: 'Valid because this.session of a plain function run with a websocket as this is a presence row, reloaded from the ORM, never used as a database session (seen in a public backend: spacebarchat/server src/gateway/events/Close.ts:54)',
      code: `
export async function Close(this: WebSocket, code: number) {
  if (this.session) {
    setTimeout(async () => {
      this.session = await Session.findOneOrFail({ where: { session_id: this.session_id } });
      await distributePresenceUpdate(this.user_id, { status: this.session.getPublicStatus(), activities: this.session.activities });
    }, 5000);
  }
}`,
    },
    {
      name: "Valid because this.context with nothing called on it that only a database session has is a request's context object (seen in a public backend: growthbook packages/back-end/src/queryRunners/QueryRunner.ts:1076)",
      code: `
class QueryRunner {
  async startInBackground(id: string) {
    setInterval(async () => {
      const { queries } = this.context.models;
      await queries.update(id, { heartbeat: new Date() });
    }, 1000);
  }
}`,
    },
    {
      name: 'Valid because browser code holds no request session (seen in a public backend: nocobase packages/core/client-v2/src/flow/models/base/PageModel/PageModel.tsx:522)',
      filename: 'packages/client/src/models/PageModel.tsx',
      code: `
export class PageModel {
  async updateDocumentTitleInBackground() {
    await this.session.save(this.title);
  }
}`,
    },
    {
      name: 'Valid because a request method may use the request session',
      code: `
class Users {
  async list() { return this.session.find(User); }
}`,
    },
    {
      name: 'Valid because this.em.fork() opens a fresh MikroORM session (NestJS @Cron)',
      code: `
class Digest {
  @Cron('0 7 * * *')
  async send() {
    const em = this.em.fork();
    await em.find(Digest, {});
  }
}`,
    },
    {
      name: 'Valid because em.transactional() forks its own context',
      code: `
class Digest {
  @Cron('0 7 * * *')
  async send() {
    await this.em.transactional(async (em) => { await em.find(Digest, {}); });
  }
}`,
    },
    {
      name: 'Valid because this.dataSource is a factory (TypeORM transaction in a background method)',
      code: `
class Billing {
  async chargeInBackground(id: string) {
    await this.dataSource.transaction(async (manager) => { await manager.update(Invoice, id, { paid: true }); });
  }
}`,
    },
    {
      name: 'Valid because this.prisma.$transaction opens an interactive transaction',
      code: `
class Jobs {
  @OnEvent('user.created')
  async onUser(e: { id: string }) {
    await this.prisma.$transaction(async (tx) => { await tx.user.update({ where: { id: e.id }, data: {} }); });
  }
}`,
    },
    {
      name: 'Valid because this.prisma itself is a singleton client, not a request session',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() { await this.prisma.job.deleteMany({ where: { done: true } }); }
}`,
    },
    {
      name: 'Valid because this.logger and this.config are not sessions',
      code: `
class Jobs {
  @Process('email')
  async send(job: Job) {
    this.logger.log('sending ' + this.config.get('FROM'));
  }
}`,
    },
    {
      name: 'Valid because req.session in an Express route is the HTTP session, in a request function',
      code: `
app.post('/logout', (req, res) => {
  const id = req.session.userId;
  req.session.destroy(() => res.send(id));
});`,
    },
    {
      name: 'Valid because reading request params in a background closure is not a session use',
      code: `
app.post('/x/:id', (req, res) => {
  const id = req.params.id;
  setImmediate(async () => { await runJob(id); });
  res.sendStatus(202);
});`,
    },
    {
      name: 'Valid because an inline-awaited closure in a request function runs inside the request',
      code: `
class Orders {
  async saveAll(items: Item[]) {
    await Promise.all(items.map(async (item) => this.session.save(item)));
  }
}`,
    },
    {
      name: 'Valid because a background function opens its own scoped session (seed template)',
      code: `
export async function backgroundOperation(entityId: string) {
  const infra = infrastructureProvider();
  infra.initialize();
  await using session = infra.getSessionContext();
  const service = serviceProvider(session);
  await service.updateStatus(entityId, 'in_progress');
}`,
    },
    {
      name: 'Valid because the background closure uses its own transaction parameter (Knex)',
      code: `
app.post('/import', (req, res) => {
  setImmediate(async () => {
    await knex.transaction(async (trx) => { await trx('imports').insert({ id: 1 }); });
  });
  res.end();
});`,
    },
    {
      name: 'Valid because the BullMQ processor receives the job, not a session',
      code: `
const worker = new Worker('emails', async (job) => {
  await prisma.email.update({ where: { id: job.data.id }, data: { sent: true } });
});`,
    },
    {
      name: 'Valid because passing an id (not the session) to background work is the fix',
      code: `
class Docs {
  async save(session: Session, id: string) {
    await session.save(id);
    void this.reindexInBackground(id);
  }
  private async reindexInBackground(id: string) { await indexer.put(id); }
}`,
    },
    {
      name: 'Valid because a background task may pass its own fresh session to helpers it dispatches',
      code: `
async function backgroundSync() {
  const em = orm.em.fork();
  void persistInBackground(em);
}
async function persistInBackground(em: EntityManager) { await em.flush(); }`,
    },
    {
      name: 'Valid because an awaited call with the request session is not background work',
      code: `
class Docs {
  async save(session: Session, id: string) {
    await this.processInBackground(session, id);
  }
  async processInBackground(session: Session, id: string) { await session.flush(); }
}`,
    },
    {
      name: 'Valid because this.em is only used by the request method that calls the task',
      code: `
class Reports {
  async build(id: string) {
    const report = await this.em.findOne(Report, id);
    setImmediate(() => this.notify(report.ownerId));
  }
  notify(ownerId: string) { mailer.send(ownerId); }
}`,
    },
    {
      name: 'Valid because a method call named like a member (this.transaction(...)) is not the session',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() { await this.transaction(async (tx) => tx.job.deleteMany()); }
}`,
    },
    {
      name: 'Valid because this.em.getConnection-less fork via createQueryRunner is a factory call',
      code: `
class Jobs {
  @Interval(1000)
  async poll() {
    const runner = this.entityManager.connection.createQueryRunner();
    try { await runner.query('select 1'); } finally { await runner.release(); }
  }
}`,
    },
    {
      name: 'Valid because RequestContext.create gives the callback a forked em (MikroORM)',
      code: `
class Jobs {
  @OnEvent('tick')
  async tick() {
    await RequestContext.create(this.orm.em, async () => { await this.orm.em.find(Job, {}); });
  }
}`,
    },
    {
      name: 'Valid because the task destructures a factory, not a session',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() {
    const { prisma, logger } = this;
    await prisma.job.deleteMany();
    logger.log('swept');
  }
}`,
    },
    {
      name: 'Valid because a background closure may use its own parameter named session',
      code: `
export function register(bus: EventBus) {
  bus.emitter.on('created', async (session: Session) => { await session.flush(); });
}`,
    },
    {
      name: 'Valid because ctx.prisma is the shared client, not a request session',
      code: `
export const resolver = async (_: unknown, args: { id: string }, ctx: Context) => {
  setImmediate(async () => { await ctx.prisma.audit.create({ data: { id: args.id } }); });
};`,
    },
    {
      name: 'Valid because a request session used after await in the request function is still in the request',
      code: `
app.post('/x', async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  await req.db.jobs.insert({});
  res.end();
});`,
    },
    {
      name: 'Valid because a sleep helper awaited inside the request is not background work',
      code: `
app.post('/x', async (req, res) => {
  await new Promise((resolve) => setTimeout(() => resolve(req.db), 10));
  res.end();
});`,
    },
    {
      name: 'Valid because setting this.session in a background method is not using the request session',
      code: `
class Worker {
  async runInBackground() {
    this.session = await openSession();
  }
}`,
    },
    // False-positive classes found on real repositories (bench/precision.md).
    {
      name: 'Valid because calling the next() parameter of a NestJS middleware does not make use() a fire-and-forget task',
      code: `
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  constructor(private readonly em: EntityManager) {}
  async use(req: Request, res: Response, next: () => void) {
    req.tenant = await this.em.findOne(Tenant, { host: req.hostname });
    next();
  }
}`,
    },
    {
      name: 'Valid because an emit(line) callback parameter called as a statement is not the enclosing async function',
      code: `
class Restores {
  async restoreBackup(backupFile: string, emit: (line: string) => void) {
    emit('Starting restore...');
    await this.em.nativeUpdate(Backup, { file: backupFile }, { restoring: true });
    emit('Restore done');
  }
}`,
    },
    {
      name: 'Valid because a visual background (toggleRowBackground, getBackgroundColor) is not background work',
      code: `
class TableTheme {
  async toggleRowBackground(id: string) {
    await this.em.nativeUpdate(Row, { id }, { shaded: true });
  }
  async getBackgroundColor(id: string) {
    return (await this.em.findOneOrFail(Theme, { id })).color;
  }
  async fadeOnDesktopBackgrounded() {
    await this.em.flush();
  }
}`,
    },
    {
      name: "Valid because mocha's global after() hook is not Next.js after() (only an imported after dispatches)",
      code: `
describe('orders', function () {
  after(async function () {
    await this.em.getConnection().close();
  });
});`,
    },
    {
      name: "Valid because after() imported from mocha is a test hook (Next.js after() comes from 'next/server')",
      code: `
import { after } from 'mocha';
describe('orders', function () {
  after(async function () {
    await this.em.getConnection().close();
  });
});`,
    },
    {
      name: 'Valid because a predicate about background work (shouldLoadBackgroundProcessors) is not background work',
      code: `
class Loader {
  async shouldLoadBackgroundProcessors() {
    return (await this.em.count(Setting, { key: 'workers' })) > 0;
  }
}`,
    },
    {
      name: 'Valid because a module-level main() call is the program entry point, not a task detached from a request',
      code: `
class Seeder {
  async run() { await this.em.persistAndFlush(new User()); }
}
async function main() {
  await new Seeder().run();
}
main();`,
    },
    {
      name: "Valid because an IMAP command's session handed to the application's own handler ({ messageData, session }) is a connection, not a driver's session option (seen in a public backend: nodemailer/wildduck lib/handlers/on-expunge.js:138)",
      code: `
module.exports = (server, messageHandler) => (mailbox, update, session, callback) => {
  const cursor = db.database.collection('messages').find({ mailbox });
  const processNext = () => {
    cursor.next((err, messageData) => {
      if (!messageData) {
        session.writeStream.write({ tag: '*', command: 'EXISTS' });
        return callback(null, true);
      }
      messageHandler.del({ messageData, session }, () => setImmediate(processNext));
    });
  };
  setImmediate(processNext);
};`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the request parameter goes to a driver method as its { session } option (near miss of the wildduck IMAP handler)',
      code: `
module.exports = (server, messageHandler) => (mailbox, update, session, callback) => {
  const cursor = db.database.collection('messages').find({ mailbox });
  const processNext = () => {
    cursor.next((err, messageData) => {
      if (!messageData) {
        session.writeStream.write({ tag: '*', command: 'EXISTS' });
        return callback(null, true);
      }
      db.database.collection('messages').deleteOne({ _id: messageData._id }, { session }, () => setImmediate(processNext));
    });
  };
  setImmediate(processNext);
};`,
      errors: [
        { messageId: 'capturedRequestSession', line: 7 },
        { messageId: 'capturedRequestSession', line: 10 },
      ],
    },
    {
      name: 'Invalid because this.session of a plain function is used as a database session inside the timer callback',
      code: `
export async function onClose(this: Connection) {
  setTimeout(async () => {
    await this.session.save(this.state);
  }, 5000);
}`,
      errors: [{ messageId: 'requestMember', line: 4, data: { session: 'this.session', task: 'the setTimeout callback' } }],
    },
    {
      name: 'Invalid because this.context is used as a database session (getRepository) by a @Cron method (near miss of growthbook QueryRunner)',
      code: `
class DigestService {
  @Cron('0 7 * * *')
  async sendDailyDigests() {
    const users = await this.context.getRepository(User).find();
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5, data: { session: 'this.context', task: 'DigestService.sendDailyDigests' } }],
    },
    {
      name: 'Invalid because a @Cron method uses the request-scoped MikroORM em',
      code: `
class DigestService {
  @Cron('0 7 * * *')
  async sendDailyDigests() {
    const digests = await this.em.find(Digest, { sent: false });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5, column: 27, data: { session: 'this.em', task: 'DigestService.sendDailyDigests' } }],
    },
    {
      name: 'Invalid because a background-named method uses this.session',
      code: `
class Reports {
  async generateInBackground(id: string) {
    await this.session.save(id);
  }
}`,
      errors: [{ messageId: 'requestMember', line: 4, data: { session: 'this.session', task: 'Reports.generateInBackground' } }],
    },
    {
      name: 'Invalid because self.content of the seed: this.content in a JSDoc @background method',
      code: `
class Reports {
  /** Rebuilds the report. @background */
  async rebuild() {
    await this.content.reload();
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5, data: { session: 'this.content', task: 'Reports.rebuild' } }],
    },
    {
      name: 'Invalid because an @OnEvent listener uses the TypeORM entityManager member',
      code: `
class Signup {
  @OnEvent('user.created', { async: true })
  async createWorkspace(e: { id: string }) {
    await this.entityManager.save(Workspace, { ownerId: e.id });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5, data: { session: 'this.entityManager', task: 'Signup.createWorkspace' } }],
    },
    {
      name: 'Invalid because @Process (Nest Bull) uses this.queryRunner',
      code: `
@Processor('audio')
class AudioConsumer {
  @Process('transcode')
  async transcode(job: Job) {
    await this.queryRunner.manager.update(Audio, job.data.id, { done: true });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 6, data: { session: 'this.queryRunner', task: 'AudioConsumer.transcode' } }],
    },
    {
      name: 'Invalid because WorkerHost.process uses this.tx',
      code: `
class Consumer extends WorkerHost {
  async process(job: Job) {
    await this.tx.job.update({ where: { id: job.id }, data: {} });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 4, data: { session: 'this.tx', task: 'Consumer.process' } }],
    },
    {
      name: 'Invalid because a setImmediate callback in a method uses this.session',
      code: `
class Orders {
  async place(order: Order) {
    await this.session.save(order);
    setImmediate(async () => {
      await this.session.save({ ...order, notified: true });
    });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 6, data: { session: 'this.session', task: 'the setImmediate callback' } }],
    },
    {
      name: 'Invalid because a setTimeout callback uses this.trx',
      code: `
class Orders {
  place(id: string) {
    setTimeout(() => this.trx('orders').where({ id }).update({ late: true }), 1000);
  }
}`,
      errors: [{ messageId: 'requestMember', line: 4, data: { session: 'this.trx', task: 'the setTimeout callback' } }],
    },
    {
      name: 'Invalid because a process.nextTick callback uses the captured request.db (Fastify)',
      code: `
app.post('/imports/:id/start', async (request, reply) => {
  process.nextTick(async () => {
    await request.db.imports.markStarted(1);
  });
});`,
      errors: [{ messageId: 'capturedRequestSession', line: 4, column: 11, data: { session: 'request.db', task: 'the process.nextTick callback' } }],
    },
    {
      name: 'Invalid because res.on("finish") runs after the response, with req.em (Express + MikroORM)',
      code: `
app.post('/x', (req, res) => {
  res.on('finish', async () => {
    await req.em.flush();
  });
  res.send('ok');
});`,
      errors: [{ messageId: 'capturedRequestSession', line: 4, data: { session: 'req.em', task: 'the res.on callback' } }],
    },
    {
      name: 'Invalid because a request function session parameter is captured by a background closure',
      code: `
async function handle(session: Session, id: string) {
  queueMicrotask(async () => {
    await session.delete(id);
  });
}`,
      errors: [{ messageId: 'capturedRequestSession', line: 4, data: { session: 'session', task: 'the queueMicrotask callback' } }],
    },
    {
      name: 'Invalid because an alias of this.em made in the request is captured by the closure',
      code: `
class Orders {
  async place(id: string) {
    const em = this.em;
    setImmediate(async () => { await em.flush(); });
  }
}`,
      errors: [{ messageId: 'capturedRequestSession', line: 5, data: { session: 'this.em', task: 'the setImmediate callback' } }],
    },
    {
      name: 'Invalid because destructuring this in a background method reaches the request em',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() {
    const { em } = this;
    await em.nativeDelete(Job, {});
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5, column: 13, data: { session: 'this.em', task: 'Jobs.sweep' } }],
    },
    {
      name: 'Invalid because an alias made inside the background method is reported where it is made',
      code: `
class Jobs {
  async cleanupInBackground() {
    const s = this.session;
    await s.delete(Job, {});
  }
}`,
      errors: [{ messageId: 'requestMember', line: 4, column: 15 }],
    },
    {
      name: 'Invalid because the request session is passed at a fire-and-forget call',
      code: `
class Docs {
  async save(id: string) {
    void this.processInBackground(this.session, id);
  }
  async processInBackground(session: Session, id: string) { await session.flush(); }
}`,
      errors: [{ messageId: 'requestSessionArgument', line: 4, column: 35, data: { session: 'this.session', dispatch: 'processInBackground' } }],
    },
    {
      name: 'Invalid because a request function parameter session is passed to a background method',
      code: `
class Docs {
  async save(session: Session, id: string) {
    void this.processInBackground(session, id);
  }
  private async processInBackground(s: Session, id: string) { await s.flush(); }
}`,
      errors: [{ messageId: 'requestSessionArgument', line: 4, data: { session: 'session', dispatch: 'processInBackground' } }],
    },
    {
      name: 'Invalid because req.db is handed to a background task queue (FastAPI-style backgroundTasks.add)',
      code: `
app.post('/x', (req, res) => {
  backgroundTasks.add(sendReport, req.db);
  res.end();
});`,
      errors: [{ messageId: 'requestSessionArgument', line: 3, column: 35, data: { session: 'req.db', dispatch: 'backgroundTasks.add' } }],
    },
    {
      name: 'Invalid because an unawaited async method call starts background work with the request em',
      code: `
class Docs {
  async save(id: string) {
    this.reindex(this.em, id);
  }
  private async reindex(em: EntityManager, id: string) { await em.flush(); }
}`,
      errors: [{ messageId: 'requestSessionArgument', line: 4 }],
    },
    {
      name: 'Invalid because .catch() on a fire-and-forget call still lets the session outlive the request',
      code: `
async function handler(req: Request) {
  sendEmails(req.db).catch((e) => logger.error(e));
}
async function sendEmails(db: Db) { await db.emails.send(); }`,
      errors: [{ messageId: 'requestSessionArgument', line: 3, column: 14 }],
    },
    {
      name: 'Invalid because optional chaining does not hide the member',
      code: `
class Jobs {
  @Interval(5000)
  async poll() {
    await this.session?.find(Job);
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5 }],
    },
    {
      name: 'Invalid because a nested inline closure still runs in the background task',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep(ids: string[]) {
    await Promise.all(ids.map(async (id) => this.em.nativeDelete(Job, { id })));
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5 }],
    },
    {
      name: 'Invalid because this.req (REQUEST-injected) is used in a @MessagePattern handler',
      code: `
class Handler {
  @MessagePattern('sync')
  async sync() {
    await this.req.user.save();
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5, data: { session: 'this.req', task: 'Handler.sync' } }],
    },
    {
      name: 'Invalid because a transactionManager member is used in an @OnQueueEvent handler',
      code: `
class Events {
  @OnQueueEvent('completed')
  async done(job: Job) {
    await this.transactionManager.update(Job, job.id, { archived: true });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 5 }],
    },
    {
      name: 'Invalid because bg-prefixed function captures ctx.db (Koa)',
      code: `
router.post('/x', async (ctx) => {
  const bgSync = async () => { await ctx.db.sync(); };
  void bgSync();
});`,
      errors: [{ messageId: 'capturedRequestSession', line: 3, data: { session: 'ctx.db', task: 'bgSync' } }],
    },
    {
      name: 'Invalid because a BullMQ Worker processor defined in a request closure uses the request session',
      code: `
async function start(session: Session) {
  new Worker('emails', async (job) => { await session.save(job.data); });
}`,
      errors: [{ messageId: 'capturedRequestSession', line: 3, data: { session: 'session', task: 'the new Worker callback' } }],
    },
    {
      name: 'Invalid because each use of the member in the task is reported',
      code: `
class Jobs {
  async syncInBackground() {
    await this.session.begin();
    await this.session.commit();
  }
}`,
      errors: [
        { messageId: 'requestMember', line: 4 },
        { messageId: 'requestMember', line: 5 },
      ],
    },
    {
      name: 'Invalid because the option adds a project-specific member name',
      code: `
class Jobs {
  @Cron('* * * * *')
  async sweep() { await this.uow.commit(); }
}`,
      options: [{ requestScopedMembers: ['uow'] }],
      errors: [{ messageId: 'requestMember', line: 4, data: { session: 'this.uow', task: 'Jobs.sweep' } }],
    },
    {
      name: 'Invalid because a private #em field is still the request em',
      code: `
class Jobs {
  #em: EntityManager;
  @Cron('* * * * *')
  async sweep() { await this.#em.flush(); }
}`,
      errors: [{ messageId: 'requestMember', line: 5, data: { session: 'this.em', task: 'Jobs.sweep' } }],
    },
  ],
});
