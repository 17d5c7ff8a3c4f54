import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-dispatch-in-transaction.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const CALLBACK_FIX = 'after the callback returns, or an outbox row written in the transaction';
const MANUAL_FIX = 'after the commit, outside the `try` that rolls back, or an outbox row written in the transaction';
const HOOK_FIX = 'an after-commit hook, or an outbox row written in the transaction';
const sequelizeFix = (session: string) => `\`${session}.afterCommit(() => ...)\`, or an outbox row written in the transaction`;

const data = (call: string, what: string, transaction: string, line: number, fix: string) => ({
  call,
  what,
  transaction,
  line: String(line),
  fix,
});

const valid: Valid[] = [
  {
    name: 'Valid because the job is the transaction\'s last step: only a failed COMMIT could leave it without its row (requireDispatchAfterCommit reports it) (seen in a public backend: laudspeaker/laudspeaker, organizations.service.ts)',
    code: `
async function invite(dataSource: DataSource, dto: Dto) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.save(Invite, dto);
    if (dto.mailgun) {
      await this.messageQueue.add('email', { to: dto.email, via: 'mailgun' });
    } else {
      await this.messageQueue.add('email', { to: dto.email });
    }
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
    name: 'Valid because the Prisma callback ends with the dispatch (requireDispatchAfterCommit reports it)',
    code: `
async function completeDocument(id: number) {
  await prisma.$transaction(async (tx) => {
    const doc = await tx.document.update({ where: { id }, data: { status: 'COMPLETED' } });
    await jobs.triggerJob({ name: 'internal.seal-document', payload: { documentId: doc.id } });
    return doc;
  });
}`,
  },
  {
    name: 'Valid because an AWS SDK v3 read command is not a dispatch',
    code: `
async function attach(id: string) {
  await prisma.$transaction(async (tx) => {
    const object = await this.s3Client.send(new GetObjectCommand({ Bucket: 'b', Key: id }));
    await tx.file.update({ where: { id }, data: { size: object.ContentLength } });
  });
}`,
  },
  {
    name: "Valid because typeorm-transactional's runOnTransactionCommit defers the job to the commit",
    code: `
class OrdersService {
  @Transactional()
  async place(order: Order) {
    await this.orders.save(order);
    runOnTransactionCommit(() => this.ordersQueue.add('placed', { id: order.id }));
  }
}`,
  },
  {
    name: 'Valid because the helper is called without the session, after the transaction',
    code: `
class OrderService {
  async place(order: Order) {
    await this.prisma.$transaction(async (tx) => {
      await tx.order.create({ data: order });
    });
    await this.announce(order);
  }
  private async announce(order: Order) {
    await this.ordersQueue.add('placed', { id: order.id });
  }
}`,
  },
  {
    name: 'Valid because the job is enqueued after the Prisma transaction returned (seen in a public backend: documenso/documenso, set-document-recipients.ts)',
    code: `
export async function removeRecipients(ids: string[]) {
  await prisma.$transaction(async (tx) => {
    await tx.recipient.deleteMany({ where: { id: { in: ids } } });
  });
  await jobs.triggerJob({ name: 'send.recipient.removed.email', payload: { ids } });
}`,
  },
  {
    name: "Valid because the dispatch runs in Sequelize's afterCommit hook (seen in a public backend: outline/outline, server/models/Event.ts)",
    code: `
export async function create(model: Event, options: SaveOptions) {
  await sequelize.transaction(async (transaction) => {
    await model.save({ transaction });
    transaction.afterCommit(() => void globalEventQueue().add(model));
  });
}`,
  },
  {
    name: 'Valid because a Sequelize hook that looks at options.transaction defers to afterCommit, and dispatches directly only without one (seen in a public backend: outline/outline, server/models/Notification.ts)',
    code: `
class Notification extends Model {
  @AfterCreate
  static async createEvent(model: Notification, options: SaveOptions) {
    if (options.transaction) {
      options.transaction.afterCommit(() => void Event.schedule(model));
      return;
    }
    await emailQueue.add('notify', { id: model.id });
  }
}`,
  },
  {
    name: 'Valid because the outbox row is written through the transaction itself',
    code: `
async function placeOrder(order: Order) {
  await dataSource.transaction(async (manager) => {
    await manager.save(order);
    await manager.insert(Outbox, { topic: 'order.placed', payload: { id: order.id } });
  });
}`,
  },
  {
    name: 'Valid because pg-boss sends through the transaction (the job commits with it)',
    code: `
async function placeOrder(order: Order) {
  await knex.transaction(async (trx) => {
    await trx('orders').insert(order);
    await boss.send('order.placed', { id: order.id }, { db: { executeSql: (text, values) => trx.raw(text, values) } });
  });
}`,
  },
  {
    name: 'Valid because the dispatch follows commitTransaction(), outside the try that rolls back',
    code: `
async function transfer(dataSource: DataSource, id: string) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.manager.update(Account, id, { balance: 0 });
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
  await this.mailer.sendMail({ to: 'ops@example.com', subject: 'transfer done' });
}`,
  },
  {
    name: 'Valid because emit on an in-process EventEmitter is not a dispatch to other processes',
    code: `
async function create(dto: Dto) {
  await this.dataSource.transaction(async (manager) => {
    const user = await manager.save(User, dto);
    this.eventEmitter.emit('user.created', user);
  });
}`,
  },
  {
    name: 'Valid because a Set named queue is a collection, not a job queue',
    code: `
async function collect(ids: string[]) {
  const queue = new Set<string>();
  await prisma.$transaction(async (tx) => {
    for (const id of ids) queue.add(id);
    await tx.item.deleteMany({ where: { id: { in: ids } } });
  });
}`,
  },
  {
    name: 'Valid because p-queue takes a function: an in-process queue, not a worker in another process',
    code: `
async function rebuild(ids: string[]) {
  await db.transaction(async (tx) => {
    await tx.delete(items);
    await this.queue.add(() => warmCache(ids));
  });
}`,
  },
  {
    name: 'Valid because a GET request is a read, not work that must wait for the commit',
    code: `
async function sync(id: string) {
  await prisma.$transaction(async (tx) => {
    const remote = await axios.get(\`https://api.example.com/items/\${id}\`);
    await tx.item.update({ where: { id }, data: { name: remote.data.name } });
  });
}`,
  },
  {
    name: 'Valid because fetch without a method is a GET',
    code: `
async function sync(id: string) {
  await prisma.$transaction(async (tx) => {
    const response = await fetch(\`https://api.example.com/items/\${id}\`);
    await tx.item.update({ where: { id }, data: await response.json() });
  });
}`,
  },
  {
    name: 'Valid because a Prisma batch transaction (array form) runs no callback',
    code: `
async function purge(id: string) {
  await prisma.$transaction([prisma.item.deleteMany({ where: { id } })]);
  await queue.add('purged', { id });
}`,
  },
  {
    name: 'Valid because Sentry.startTransaction() is a tracing span, not a database transaction',
    code: `
async function handle(job: Job) {
  const transaction = Sentry.startTransaction({ name: 'job' });
  await emailQueue.add('welcome', job.data);
  transaction.finish();
}`,
  },
  {
    name: 'Valid because the callback registered with setImmediate inside the transaction runs later (the floating-task rules judge it)',
    code: `
async function create(dto: Dto) {
  await prisma.$transaction(async (tx) => {
    await tx.user.create({ data: dto });
  });
  setImmediate(() => void mailQueue.add('welcome', dto));
}`,
  },
  {
    name: "Valid because a UI store's own @AfterCreate decorator (not the ORM's) runs no transaction (seen in a public backend: outline/outline, app/models)",
    code: `
import { AfterCreate } from './decorators/Lifecycle';
class Pin extends Model {
  @AfterCreate
  static async announce(model: Pin) {
    await client.post('/pins.announce', { id: model.id });
    await sendWebhook(model);
  }
}`,
  },
  {
    name: 'Valid because the TypeORM decorator is imported and the hook defers to the queryRunner it is given',
    code: `
import { EventSubscriber, EntitySubscriberInterface, InsertEvent } from 'typeorm';
@EventSubscriber()
export class UserSubscriber implements EntitySubscriberInterface<User> {
  afterInsert(event: InsertEvent<User>) {
    event.queryRunner.data.pending = [...(event.queryRunner.data.pending ?? []), event.entity.id];
  }
}`,
  },
  {
    name: 'Valid because a TypeORM entity listener hook that only computes fields dispatches nothing',
    code: `
@Entity()
class User {
  @AfterInsert()
  log() {
    this.createdLabel = String(this.id);
  }
}`,
  },
];

const invalid: Invalid[] = [
  {
    name: 'Invalid because the callback returns a query after the mail: the scope awaits it before the commit, and its failure rolls back (seen in a public backend: logto-io/logto, organization-invitation.ts)',
    code: `
async function invite(data: Invitation) {
  return this.queries.pool.transaction(async (connection) => {
    const queries = new OrganizationQueries(connection);
    const invitation = await queries.invitations.insert(data);
    await this.sendEmail(data.invitee);
    return queries.invitations.findById(invitation.id);
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 6,
        data: data('this.sendEmail', 'sends mail', 'pool.transaction', 3, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid because more writes follow the enqueue inside the QueryRunner transaction: their failure rolls back rows the job was sent for (seen in a public backend: laudspeaker/laudspeaker, auth.service.ts register)',
    code: `
async function register(dataSource: DataSource, dto: Dto) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    const account = await queryRunner.manager.save(Account, dto);
    await this.messageQueue.add('verify', { accountId: account.id });
    await queryRunner.manager.save(Team, { owner: account });
    await queryRunner.commitTransaction();
  } catch (err) {
    await queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 8,
        data: data('messageQueue.add', 'enqueues a job', 'queryRunner.startTransaction()', 5, MANUAL_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid because mail goes out before the Prisma delete that can still fail and roll back (seen in a public backend: linkwarden/linkwarden, deleteUserById.ts)',
    code: `
async function deleteUser(id: number) {
  await prisma.$transaction(async (tx) => {
    await transporter.sendMail({ to: user.email, subject: 'Goodbye' });
    await tx.user.delete({ where: { id } });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 4,
        data: data('transporter.sendMail', 'sends mail', 'prisma.$transaction', 3, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'transporter.sendMail', transaction: 'prisma.$transaction' },
            output: `
async function deleteUser(id: number) {
  await prisma.$transaction(async (tx) => {
    await tx.user.delete({ where: { id } });
  });
  await transporter.sendMail({ to: user.email, subject: 'Goodbye' });
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a later throw in the callback rolls back after the job was enqueued',
    code: `
async function approve(id: string) {
  await this.dataSource.transaction(async (manager) => {
    const order = await manager.findOneByOrFail(Order, { id });
    await this.fulfilmentQueue.add('ship', { id });
    if (order.total > LIMIT) throw new Error('needs review');
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('fulfilmentQueue.add', 'enqueues a job', 'dataSource.transaction', 3, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'fulfilmentQueue.add', transaction: 'dataSource.transaction' },
            output: `
async function approve(id: string) {
  await this.dataSource.transaction(async (manager) => {
    const order = await manager.findOneByOrFail(Order, { id });
    if (order.total > LIMIT) throw new Error('needs review');
  });
  await this.fulfilmentQueue.add('ship', { id });
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a dispatch in a loop is followed by the next round, which can fail and roll back',
    code: `
async function notifyAll(ids: string[]) {
  await prisma.$transaction(async (tx) => {
    for (const id of ids) {
      await this.emailQueue.add('notify', { id });
    }
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('emailQueue.add', 'enqueues a job', 'prisma.$transaction', 3, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because the BullMQ job is enqueued inside the TypeORM transaction: the worker can read before the commit',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function register(dto: Dto) {
  await this.dataSource.transaction(async (manager) => {
    await manager.save(User, dto);
    await this.emailQueue.add('welcome', { email: dto.email });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('emailQueue.add', 'enqueues a job', 'dataSource.transaction', 3, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'emailQueue.add', transaction: 'dataSource.transaction' },
            output: `
async function register(dto: Dto) {
  await this.dataSource.transaction(async (manager) => {
    await manager.save(User, dto);
  });
  await this.emailQueue.add('welcome', { email: dto.email });
}`,
          },
        ],
      },
    ],
  },
  {
    name: "Invalid (requireDispatchAfterCommit) because documenso's jobs.triggerJob runs inside prisma.$transaction (the job reads a row that may roll back)",
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function completeDocument(id: number) {
  await prisma.$transaction(async (tx) => {
    const doc = await tx.document.update({ where: { id }, data: { status: 'COMPLETED' } });
    await jobs.triggerJob({ name: 'internal.seal-document', payload: { documentId: doc.id } });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('jobs.triggerJob', 'enqueues a job', 'prisma.$transaction', 3, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because the Sequelize callback transaction publishes before its commit; afterCommit is offered',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function archive(id: string) {
  await sequelize.transaction(async (transaction) => {
    await Document.update({ archivedAt: new Date() }, { where: { id }, transaction });
    await this.pubsub.publish('document.archived', { id });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('pubsub.publish', 'publishes a message', 'sequelize.transaction', 3, sequelizeFix('transaction')),
        suggestions: [
          {
            messageId: 'useAfterCommit',
            data: { call: 'pubsub.publish', session: 'transaction' },
            output: `
async function archive(id: string) {
  await sequelize.transaction(async (transaction) => {
    await Document.update({ archivedAt: new Date() }, { where: { id }, transaction });
    transaction.afterCommit(() => this.pubsub.publish('document.archived', { id }));
  });
}`,
          },
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'pubsub.publish', transaction: 'sequelize.transaction' },
            output: `
async function archive(id: string) {
  await sequelize.transaction(async (transaction) => {
    await Document.update({ archivedAt: new Date() }, { where: { id }, transaction });
  });
  await this.pubsub.publish('document.archived', { id });
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because mail is sent between startTransaction() and commitTransaction() on a QueryRunner',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function invite(dataSource: DataSource, dto: Dto) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.save(Invite, dto);
    await this.mailService.sendInvite(dto.email);
    await queryRunner.commitTransaction();
  } catch (err) {
    await queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 8,
        data: data('mailService.sendInvite', 'sends mail', 'queryRunner.startTransaction()', 5, MANUAL_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: "Invalid (requireDispatchAfterCommit) because a webhook is sent between pg's BEGIN and COMMIT",
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function pay(pool: Pool, id: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('update invoices set paid = true where id = $1', [id]);
    await axios.post(webhookUrl, { id });
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 7,
        data: data('axios.post', 'sends an HTTP request', "client.query('BEGIN')", 5, MANUAL_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because an unmanaged Knex transaction enqueues before trx.commit()',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function importRows(rows: Row[]) {
  const trx = await knex.transaction();
  try {
    await trx('rows').insert(rows);
    await boss.send('rows.imported', { count: rows.length });
    await trx.commit();
  } catch (error) {
    await trx.rollback();
    throw error;
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 6,
        data: data('boss.send', 'enqueues a job', 'knex.transaction()', 3, MANUAL_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because an unmanaged Sequelize transaction enqueues before t.commit(); afterCommit is offered',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function signup(values: Attrs) {
  const t = await sequelize.transaction();
  try {
    const user = await User.create(values, { transaction: t });
    await welcomeQueue.add('welcome', { id: user.id });
    await t.commit();
  } catch (error) {
    await t.rollback();
    throw error;
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 6,
        data: data('welcomeQueue.add', 'enqueues a job', 'sequelize.transaction()', 3, sequelizeFix('t')),
        suggestions: [
          {
            messageId: 'useAfterCommit',
            data: { call: 'welcomeQueue.add', session: 't' },
            output: `
async function signup(values: Attrs) {
  const t = await sequelize.transaction();
  try {
    const user = await User.create(values, { transaction: t });
    t.afterCommit(() => welcomeQueue.add('welcome', { id: user.id }));
    await t.commit();
  } catch (error) {
    await t.rollback();
    throw error;
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because Kysely and Drizzle transaction callbacks are open transactions too',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function a(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('person').values(p).execute();
    await this.producer.send({ topic: 'person', messages: [] });
  });
}
async function b(db: Drizzle) {
  await db.transaction(async (tx) => {
    await tx.insert(users).values(u);
    await fetch(hook, { method: 'POST', body: '{}' });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('producer.send', 'publishes a message', 'transaction().execute', 3, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'producer.send', transaction: 'transaction().execute' },
            output: `
async function a(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('person').values(p).execute();
  });
  await this.producer.send({ topic: 'person', messages: [] });
}
async function b(db: Drizzle) {
  await db.transaction(async (tx) => {
    await tx.insert(users).values(u);
    await fetch(hook, { method: 'POST', body: '{}' });
  });
}`,
          },
        ],
      },
      {
        messageId: 'dispatchInTransaction',
        line: 11,
        data: data('fetch', 'sends an HTTP request', 'db.transaction', 9, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'fetch', transaction: 'db.transaction' },
            output: `
async function a(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('person').values(p).execute();
    await this.producer.send({ topic: 'person', messages: [] });
  });
}
async function b(db: Drizzle) {
  await db.transaction(async (tx) => {
    await tx.insert(users).values(u);
  });
  await fetch(hook, { method: 'POST', body: '{}' });
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a MikroORM transactional callback sends mail from an inline map (Promise.all runs it inside)',
    code: `
async function notifyAll(users: User[]) {
  await this.em.transactional(async (em) => {
    await Promise.all(users.map(async (user) => {
      em.assign(user, { notified: true });
      await this.mailer.send({ to: user.email });
    }));
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 6,
        data: data('mailer.send', 'sends mail', 'em.transactional', 3, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid because a TypeORM @AfterInsert listener runs inside the save() transaction',
    code: `
import { AfterInsert, Entity } from 'typeorm';
@Entity()
class Order {
  @AfterInsert()
  async announce() {
    await orderQueue.add('created', { id: this.id });
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 7,
        data: data('orderQueue.add', 'enqueues a job', '@AfterInsert', 5, HOOK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid because a TypeORM subscriber afterInsert runs inside the transaction of the insert',
    code: `
@EventSubscriber()
export class UserSubscriber implements EntitySubscriberInterface<User> {
  async afterInsert(event: InsertEvent<User>) {
    await this.httpService.post('https://hooks.example.com/user', { id: event.entity.id });
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('httpService.post', 'sends an HTTP request', 'subscriber `afterInsert`', 4, HOOK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because a move is not offered when the dispatch reads a value from inside the callback, and the first dispatch is reported too',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function register(dto: Dto) {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: dto });
    await sendEmail({ to: user.email });
    return user;
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('sendEmail', 'sends mail', 'prisma.$transaction', 3, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: "Invalid because outline's mail class enqueues itself (`new XEmail(props).schedule()`) inside sequelize.transaction (seen in a public backend: outline/outline, server/queues/tasks/InviteReminderTask.ts)",
    code: `
async function remind(userId: string) {
  await sequelize.transaction(async (transaction) => {
    const user = await User.findByPk(userId, { transaction });
    await new InviteReminderEmail({ to: user.email }).schedule();
    user.incrementFlag(UserFlag.InviteReminderSent);
    await user.save({ transaction });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('InviteReminderEmail.schedule', 'sends mail', 'sequelize.transaction', 3, sequelizeFix('transaction')),
        suggestions: [
          {
            messageId: 'useAfterCommit',
            data: { call: 'InviteReminderEmail.schedule', session: 'transaction' },
            output: `
async function remind(userId: string) {
  await sequelize.transaction(async (transaction) => {
    const user = await User.findByPk(userId, { transaction });
    transaction.afterCommit(() => new InviteReminderEmail({ to: user.email }).schedule());
    user.incrementFlag(UserFlag.InviteReminderSent);
    await user.save({ transaction });
  });
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because a helper of the file that the transaction calls with its session runs inside it',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
class OrderService {
  async place(order: Order) {
    await this.prisma.$transaction(async (tx) => {
      await this.persist(tx, order);
    });
  }

  private async persist(tx: Prisma.TransactionClient, order: Order) {
    await tx.order.create({ data: order });
    await this.ordersQueue.add('placed', { id: order.id });
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 11,
        data: data('ordersQueue.add', 'enqueues a job', 'prisma.$transaction` through `this.persist()', 4, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: "Invalid because mail is sent inside a CLS-routed Prisma transaction wrapper ($tx) (seen in a public backend: teableio/teable, invitation.service.ts)",
    code: `
class InvitationService {
  async emailInvitation(users: User[]) {
    return this.prismaService.$tx(async () => {
      for (const user of users) {
        await this.prismaService.txClient().invitationRecord.create({ data: { accepter: user.id } });
        this.mailSenderService.sendMail({ to: user.email });
      }
    });
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 7,
        data: data('mailSenderService.sendMail', 'sends mail', 'prismaService.$tx', 4, CALLBACK_FIX),
        suggestions: [],
      },
    ],
  },
  {
    name: 'Invalid (requireDispatchAfterCommit) because a @Transactional() method body runs in the transaction its decorator commits on return',
    options: [{ requireDispatchAfterCommit: true }],
    code: `
class OrdersService {
  @Transactional()
  async place(order: Order) {
    await this.orders.save(order);
    await this.ordersQueue.add('placed', { id: order.id });
  }
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 6,
        data: data('ordersQueue.add', 'enqueues a job', '@Transactional()', 3, 'in the caller after the method returns, `runOnTransactionCommit(...)`, or an outbox row'),
        suggestions: [],
      },
    ],
  },
  {
    name: "Invalid (requireDispatchAfterCommit) because an AWS SDK v3 SendMessageCommand and a NestJS ClientProxy emit reach other processes before the commit",
    options: [{ requireDispatchAfterCommit: true }],
    code: `
async function place(order: Order) {
  await this.dataSource.transaction(async (manager) => {
    await manager.save(order);
    await this.sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: order.id }));
    this.client.emit('order.placed', { id: order.id });
  });
}`,
    errors: [
      {
        messageId: 'dispatchInTransaction',
        line: 5,
        data: data('sqsClient.send(new SendMessageCommand())', 'publishes a message', 'dataSource.transaction', 3, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'sqsClient.send(new SendMessageCommand())', transaction: 'dataSource.transaction' },
            output: `
async function place(order: Order) {
  await this.dataSource.transaction(async (manager) => {
    await manager.save(order);
    this.client.emit('order.placed', { id: order.id });
  });
  await this.sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: order.id }));
}`,
          },
        ],
      },
      {
        messageId: 'dispatchInTransaction',
        line: 6,
        data: data('client.emit', 'publishes a message', 'dataSource.transaction', 3, CALLBACK_FIX),
        suggestions: [
          {
            messageId: 'moveAfterTransaction',
            data: { call: 'client.emit', transaction: 'dataSource.transaction' },
            output: `
async function place(order: Order) {
  await this.dataSource.transaction(async (manager) => {
    await manager.save(order);
    await this.sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: order.id }));
  });
  this.client.emit('order.placed', { id: order.id });
}`,
          },
        ],
      },
    ],
  },
];

createRuleTester().run('no-dispatch-in-transaction', rule, { valid, invalid });

createRuleTester({ 'background-tasks': { commitDependentCalls: ['*jobs.enqueue'] } }).run('no-dispatch-in-transaction (settings)', rule, {
  valid: [],
  invalid: [
    {
      name: "Invalid (requireDispatchAfterCommit) because settings['background-tasks'].commitDependentCalls adds a project's own job client",
      options: [{ requireDispatchAfterCommit: true }],
      code: `
async function run() {
  await prisma.$transaction(async (tx) => {
    await tx.item.create({ data: {} });
    await this.jobs.enqueue('reindex');
  });
}`,
      errors: [
        {
          messageId: 'dispatchInTransaction',
          line: 5,
          data: data('jobs.enqueue', 'enqueues a job', 'prisma.$transaction', 3, CALLBACK_FIX),
          suggestions: [
            {
              messageId: 'moveAfterTransaction',
              data: { call: 'jobs.enqueue', transaction: 'prisma.$transaction' },
              output: `
async function run() {
  await prisma.$transaction(async (tx) => {
    await tx.item.create({ data: {} });
  });
  await this.jobs.enqueue('reindex');
}`,
            },
          ],
        },
      ],
    },
  ],
});

const VENDURE_ORDER = (bus: string) => `
import { ${bus} } from './event-bus';
type Manager = { update(entity: string, id: string, values: object): Promise<void> };
export class OrderService {
  constructor(private eventBus: ${bus}, private dataSource: { transaction(fn: (m: Manager) => Promise<void>): Promise<void> }) {}
  async cancel(id: string) {
    await this.dataSource.transaction(async (manager) => {
      await manager.update('order', id, { state: 'Cancelled' });
      await this.eventBus.publish({ id });
    });
  }
}`;

createRuleTester({ 'background-tasks': { afterCommitPublishers: ['eventBus.publish'] } }).run('no-dispatch-in-transaction (afterCommitPublishers)', rule, {
  valid: [
    {
      name: "Valid because settings['background-tasks'].afterCommitPublishers names the project's own publisher that delivers after the commit (seen in a public backend: vendure packages/core/src/service/services/order.service.ts:1857)",
      code: VENDURE_ORDER('EventBus'),
    },
  ],
  invalid: [],
});

createTypedRuleTester().run('no-dispatch-in-transaction (type-aware)', rule, {
  valid: [
    {
      name: "Valid because (type-aware) the publisher's class waits for the caller's commit itself (awaitCommit), so no subscriber sees uncommitted data (seen in a public backend: vendure packages/core/src/event-bus/event-bus.ts:311)",
      code: VENDURE_ORDER('EventBus'),
    },
  ],
  invalid: [
    {
      name: 'Invalid (requireDispatchAfterCommit) because (type-aware) an event bus whose class never waits for a commit delivers inside the open transaction',
      options: [{ requireDispatchAfterCommit: true }],
      code: VENDURE_ORDER('PlainEventBus'),
      errors: [
        {
          messageId: 'dispatchInTransaction',
          line: 9,
          data: data('eventBus.publish', 'publishes a message', 'dataSource.transaction', 7, CALLBACK_FIX),
          suggestions: [
            {
              messageId: 'moveAfterTransaction',
              data: { call: 'eventBus.publish', transaction: 'dataSource.transaction' },
              output: `
import { PlainEventBus } from './event-bus';
type Manager = { update(entity: string, id: string, values: object): Promise<void> };
export class OrderService {
  constructor(private eventBus: PlainEventBus, private dataSource: { transaction(fn: (m: Manager) => Promise<void>): Promise<void> }) {}
  async cancel(id: string) {
    await this.dataSource.transaction(async (manager) => {
      await manager.update('order', id, { state: 'Cancelled' });
    });
    await this.eventBus.publish({ id });
  }
}`,
            },
          ],
        },
      ],
    },
  ],
});
