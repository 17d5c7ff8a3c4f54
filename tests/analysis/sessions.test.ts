import { describe, expect, it } from 'vitest';
import { analyse } from './facts-helper.js';

/** Classifies the first node of `type` whose text is `text`. */
function kindOf(code: string, type: string, text: string, settings?: Record<string, unknown>, last?: 'last') {
  const file = analyse(code, settings);
  const info = file.facts.classify(file.node(type, text, last));
  return { kind: info.kind, name: info.name, root: info.root?.name, release: info.release?.release };
}

describe('session classification', () => {
  it('request-scoped members, and aliases of them', () => {
    const code = `
      class S {
        async run() {
          const s = this.session;
          const { em } = this;
          const { logger } = this;
          use(this.queryRunner, s, em, logger, this.config);
          await s.find(User);
        }
      }`;
    expect(kindOf(code, 'MemberExpression', 'this.session')).toMatchObject({ kind: 'request-member', name: 'this.session' });
    expect(kindOf(code, 'MemberExpression', 'this.queryRunner')).toMatchObject({ kind: 'request-member' });
    expect(kindOf(code, 'Identifier', 's')).toMatchObject({ kind: 'request-member', name: 'this.session' });
    expect(kindOf(code, 'Identifier', 'em')).toMatchObject({ kind: 'request-member', name: 'this.em' });
    expect(kindOf(code, 'Identifier', 'logger')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'MemberExpression', 'this.config')).toMatchObject({ kind: 'none' });
  });

  it('request values: req/request/ctx session members and a request function session parameter', () => {
    const code = `
      app.post('/x', (req, res) => { use(req.db, req.session, req.params); });
      async function handle(ctx: Ctx, session: Session, id: string) { use(ctx.em, session, id); await session.query('select 1'); }`;
    expect(kindOf(code, 'MemberExpression', 'req.db')).toMatchObject({ kind: 'request-value', name: 'req.db' });
    expect(kindOf(code, 'MemberExpression', 'req.session')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'MemberExpression', 'req.params')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'Identifier', 'req')).toMatchObject({ kind: 'request-object' });
    expect(kindOf(code, 'MemberExpression', 'ctx.em')).toMatchObject({ kind: 'request-value' });
    expect(kindOf(code, 'Identifier', 'session', undefined, 'last')).toMatchObject({ kind: 'request-value', name: 'session' });
    expect(kindOf(code, 'Identifier', 'id')).toMatchObject({ kind: 'none' });
  });

  it('a session named only by the ambiguous name `session` needs evidence (issue 13, round 3)', () => {
    const code = `
      async function notify(session: OAuthSession) { const channel = session.webSocketClientId; use(session, channel); }
      class Terminal { run() { use(this.session.id); } }
      async function save(session: Session, order: Order) { await session.save(order); }
      class Orders { constructor(private readonly session: EntityManager) {} run() { use(this.session); } }`;
    expect(kindOf(code, 'Identifier', 'session')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'Identifier', 'channel')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'MemberExpression', 'this.session.id')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'MemberExpression', 'session.save')).toMatchObject({ kind: 'derived' });
    expect(kindOf(code, 'MemberExpression', 'this.session', undefined, 'last')).toMatchObject({ kind: 'request-member' });
  });

  it('a background function parameter is not a request value', () => {
    const code = `async function backgroundJob(session: Session) { use(session); }`;
    expect(kindOf(code, 'Identifier', 'session')).toMatchObject({ kind: 'none' });
  });

  it('factories: DI singletons, imports and infrastructureProvider()', () => {
    const code = `
      import { prisma } from './db';
      class S { run() { const infra = infrastructureProvider(); use(this.dataSource, this.prisma, this.orm, prisma, infra, pool); } }`;
    expect(kindOf(code, 'MemberExpression', 'this.dataSource')).toMatchObject({ kind: 'factory' });
    expect(kindOf(code, 'MemberExpression', 'this.prisma')).toMatchObject({ kind: 'factory' });
    expect(kindOf(code, 'MemberExpression', 'this.orm')).toMatchObject({ kind: 'factory' });
    expect(kindOf(code, 'Identifier', 'infra')).toMatchObject({ kind: 'factory', name: 'infrastructureProvider()' });
    expect(kindOf(code, 'Identifier', 'pool')).toMatchObject({ kind: 'factory' });
  });

  it('fresh sessions: fork(), getSessionContext(), and sessions that must be released', () => {
    const code = `
      async function f() {
        const em = this.em.fork();
        await using s = infra.getSessionContext();
        const runner = this.dataSource.createQueryRunner();
        const client = await pool.connect();
        const trx = await knex.transaction();
        const other = await api.connect();
        use(em, s, runner, client, trx, other);
      }`;
    expect(kindOf(code, 'Identifier', 'em')).toMatchObject({ kind: 'fresh', name: 'em.fork()' });
    expect(kindOf(code, 'Identifier', 's')).toMatchObject({ kind: 'fresh', name: 'infra.getSessionContext()' });
    expect(kindOf(code, 'Identifier', 'runner')).toMatchObject({ kind: 'fresh', release: ['release'] });
    expect(kindOf(code, 'Identifier', 'client')).toMatchObject({ kind: 'fresh', release: ['release'] });
    expect(kindOf(code, 'Identifier', 'trx')).toMatchObject({ kind: 'fresh', release: ['commit', 'rollback'] });
    expect(kindOf(code, 'Identifier', 'other')).toMatchObject({ kind: 'none' });
  });

  it('scope callback parameters of every ORM scope', () => {
    const code = `
      dataSource.transaction(async (manager) => use(manager));
      prisma.$transaction(async (tx) => use(tx));
      em.transactional(async (em2) => use(em2));
      sequelize.transaction(async (t) => use(t));
      knex.transaction(async (trx) => use(trx));
      db.transaction().execute(async (ktrx) => use(ktrx));
      infra.withSession(async (s) => use(s));
      items.map(async (item) => use(item));`;
    for (const name of ['manager', 'tx', 'em2', 't', 'trx', 'ktrx', 's']) {
      expect(kindOf(code, 'Identifier', name), name).toMatchObject({ kind: 'scope-param', name });
    }
    expect(kindOf(code, 'Identifier', 'item')).toMatchObject({ kind: 'none' });
  });

  it('values derived from a session carry its root', () => {
    const code = `
      prisma.$transaction(async (tx) => {
        const service = serviceProvider(tx);
        const repo = tx.getRepository(User);
        const users = new UserService(tx);
        const plain = new UserService(42);
        use(service, repo, users, plain, tx.user);
      });`;
    expect(kindOf(code, 'Identifier', 'service')).toMatchObject({ kind: 'derived', name: 'serviceProvider()', root: 'tx' });
    expect(kindOf(code, 'Identifier', 'repo')).toMatchObject({ kind: 'derived', root: 'tx' });
    expect(kindOf(code, 'Identifier', 'users')).toMatchObject({ kind: 'derived', root: 'tx' });
    expect(kindOf(code, 'Identifier', 'plain')).toMatchObject({ kind: 'none' });
    expect(kindOf(code, 'MemberExpression', 'tx.user')).toMatchObject({ kind: 'derived', name: 'tx.user', root: 'tx' });
  });

  it('settings extend the vocabulary', () => {
    const code = `class S { run() { use(this.uow, makeInfra()); } }`;
    const settings = { requestScopedMembers: ['uow'], infrastructureFactories: ['makeInfra'] };
    expect(kindOf(code, 'MemberExpression', 'this.uow', settings)).toMatchObject({ kind: 'request-member' });
    expect(kindOf(code, 'CallExpression', 'makeInfra()', settings)).toMatchObject({ kind: 'factory' });
  });

  it('does not loop on self-referencing aliases', () => {
    const code = `let a = b; let b = a; use(a);`;
    expect(kindOf(code, 'Identifier', 'a')).toMatchObject({ kind: 'none' });
  });
});
