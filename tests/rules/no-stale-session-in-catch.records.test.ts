/**
 * Issue 13, round 3: a value named `session` is a database session only with evidence. Records
 * (an OAuth session, an agent session, a login) read for their fields are not; the same name
 * used as a database session still is, for every ORM where it applies.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-stale-session-in-catch.js';
import requestRule from '../../src/rules/no-request-session-in-background.js';
import { createRuleTester } from '../rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const stale = (line: number, session: string, tryLine: number) => ({
  messageId: 'staleSession' as const,
  line,
  data: { session, line: String(tryLine), clause: 'catch' },
});

const valid: Valid[] = [
  // Valid because `session` is an OAuthSession record and `channel` its websocket client id string (seen in a public backend: nango packages/server/lib/controllers/oauth.controller.ts:924)
  {
    name: 'Valid because a session parameter read for its fields is an OAuth record, not a database session (seen in a public backend: nango packages/server/lib/controllers/oauth.controller.ts:924)',
    code: `
class OAuthController {
  private async installPluginRequest(config: Config, session: OAuthSession, res: Response) {
    const channel = session.webSocketClientId;
    const connectionId = session.connectionId;
    try {
      await oAuthSessionService.create(session);
      res.redirect(\`\${config.app_link}?payload=\${session.id}\`);
    } catch (err) {
      return publisher.notifyErr(res, channel, connectionId, WSErrBuilder.UnknownError(String(err)));
    }
  }
}`,
  },
  // Valid because an AgentSession domain object's id builds the error (seen in a public backend: nango packages/server/lib/services/agentSession.service.ts:159)
  {
    name: 'Valid because an AgentSession domain object used for its id in the catch is no database session (seen in a public backend: nango packages/server/lib/services/agentSession.service.ts:159)',
    code: `
export async function createAgentSessionToken(db: Knex, session: AgentSession) {
  try {
    const privateKey = await keystore.createPrivateKey(db, { accountId: session.accountId, entityUuid: session.id });
    return Ok(privateKey);
  } catch (err) {
    return Err(await tokenCreationFailedError(session.id, err));
  }
}`,
  },
  // Valid because express-session's session.save(callback) is a cookie store's save, not a database write (express-session API)
  {
    name: "Valid because express-session's session.save(cb) and a login's fields are no database session (express-session API)",
    code: `
export async function login(session: SessionData, user: User) {
  try {
    session.userId = user.id;
    await new Promise<void>((resolve, reject) => session.save((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    await audit.record({ user: session.userId, err });
  }
}`,
  },
  // Valid because trx.isCompleted() reads the transaction's state to decide whether to roll back: no database work (Knex API)
  {
    name: 'Valid because a Knex trx.isCompleted() check before the rollback in the catch reads state, it runs no query (Knex)',
    code: `
export async function move(db: Knex, id: string) {
  const trx = await db.transaction();
  try {
    await trx('jobs').where({ id }).update({ state: 'moved' });
    await trx.commit();
  } catch (err) {
    if (!trx.isCompleted()) await trx.rollback();
    throw err;
  }
}`,
  },
  // Valid because a `manager` parameter that is a person (a User record) read for its email is no EntityManager
  {
    name: 'Valid because a manager parameter read for its fields is a person, not a TypeORM EntityManager (issue 13: a session only with evidence)',
    code: `
export async function assign(manager: User, task: Task) {
  try {
    await tasks.assign(task.id, manager.id);
  } catch (err) {
    await mailer.send(manager.email, 'Assignment failed');
  }
}`,
  },
];

const invalid: Invalid[] = [
  // Invalid because a `manager` parameter used as a TypeORM EntityManager (getRepository) is a database session
  {
    name: 'Invalid because a manager parameter that gets a repository is a TypeORM EntityManager, stale in the catch (TypeORM)',
    code: `
export async function close(manager: Manager, id: string) {
  try {
    await manager.getRepository(Job).update(id, { state: 'closing' });
  } catch (err) {
    await manager.getRepository(Job).update(id, { state: 'failed' });
  }
}`,
    errors: [stale(6, 'manager', 4)],
  },
  // Invalid because a `session` parameter used as a TypeORM EntityManager (save(entity)) is a database session
  {
    name: 'Invalid because a session parameter that saves an entity is a database session, stale in the catch (TypeORM)',
    code: `
export async function place(session: Session, order: Order) {
  try {
    await session.save(order);
  } catch (err) {
    await session.save(Object.assign(order, { status: 'failed' }));
  }
}`,
    errors: [stale(6, 'session', 4)],
  },
  // Invalid because a MongoDB ClientSession handed on as a { session } option is a database session
  {
    name: 'Invalid because a session parameter handed on as a { session } query option is a database session (MongoDB)',
    code: `
export async function move(session: ClientSession, id: string) {
  try {
    await orders.updateOne({ id }, { $set: { moved: true } }, { session });
  } catch (err) {
    await orders.updateOne({ id }, { $set: { failed: true } }, { session });
  }
}`,
    errors: [stale(6, 'session', 4)],
  },
  // Invalid because a session typed as a session type (EntityManager) is a database session by its declaration
  {
    name: 'Invalid because a session parameter declared as an EntityManager is a database session (MikroORM)',
    code: `
export async function sync(session: EntityManager, job: Job) {
  try {
    await session.nativeUpdate(Job, { id: job.id }, { state: 'running' });
  } catch (err) {
    await session.nativeUpdate(Job, { id: job.id }, { state: 'failed' });
  }
}`,
    errors: [stale(6, 'session', 4)],
  },
  // Invalid because a session handed to a same-file helper that queries through it is a database session
  {
    name: 'Invalid because a session parameter handed to a helper of this file that queries through it is a database session (pg)',
    code: `
async function insertRow(client: unknown, session: Session, row: Row) {
  await session.query('insert into rows values ($1)', [row.id]);
}
export async function copy(session: Session, row: Row) {
  try {
    await insertRow(null, session, row);
  } catch (err) {
    await insertRow(null, session, { ...row, failed: true });
  }
}`,
    errors: [stale(9, 'session', 7)],
  },
  // Invalid because tx (unambiguous name) needs no evidence (Prisma)
  {
    name: 'Invalid because a tx parameter is a session by its name, with no further evidence needed (Prisma)',
    code: `
export async function charge(tx: Tx, id: string) {
  try {
    await tx.payment.update({ where: { id }, data: { state: 'charging' } });
  } catch (err) {
    await tx.payment.update({ where: { id }, data: { state: 'failed' } });
  }
}`,
    errors: [stale(6, 'tx', 4)],
  },
];

createRuleTester().run('no-stale-session-in-catch (session records)', rule, { valid, invalid });

createRuleTester().run('no-request-session-in-background (session records)', requestRule, {
  valid: [
    // Valid because the captured `session` is an OAuth record whose id the background closure logs (seen in a public backend: nango packages/server/lib/controllers/oauth.controller.ts)
    {
      name: 'Valid because a request function session record captured by a background closure is read for its id only (seen in a public backend: nango packages/server/lib/controllers/oauth.controller.ts)',
      code: `
async function callback(session: OAuthSession) {
  setImmediate(async () => {
    await telemetry.log('oauth-finished', { id: session.id, provider: session.provider });
  });
}`,
    },
    // Valid because `this.session` of a class that never uses it as a database session is a record (a terminal or OAuth session) read for its fields
    {
      name: 'Valid because this.session of a class that only reads its fields is no request database session (issue 13: a session only with evidence)',
      code: `
class TerminalConnection {
  constructor(private readonly session: TerminalSession) {}
  onResize(cols: number) {
    setImmediate(async () => {
      await audit.write({ session: this.session.id, cols });
    });
  }
}`,
    },
  ],
  invalid: [
    // Invalid because a class member `session` declared as an EntityManager is a database session, whatever it is used for
    {
      name: 'Invalid because this.session declared as an EntityManager is the request session in a setImmediate callback (MikroORM)',
      code: `
class Orders {
  constructor(private readonly session: EntityManager) {}
  place(id: string) {
    setImmediate(async () => {
      await this.session.nativeUpdate(Order, { id }, { notified: true });
    });
  }
}`,
      errors: [{ messageId: 'requestMember', line: 6, data: { session: 'this.session', task: 'the setImmediate callback' } }],
    },
    // Invalid because the captured `session` runs a query: it is the request's database session
    {
      name: 'Invalid because a request function session that runs queries is captured by a background closure (Sequelize)',
      code: `
async function handle(session: Session, id: string) {
  setImmediate(async () => {
    await session.query('DELETE FROM drafts WHERE id = ?', [id]);
  });
}`,
      errors: [{ messageId: 'capturedRequestSession', line: 4, data: { session: 'session', task: 'the setImmediate callback' } }],
    },
  ],
});
