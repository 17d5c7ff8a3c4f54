/**
 * Issue 13, round 3: what runs outside a transaction. SQL fragments and sub-query builders built
 * on the outer client compile into the transaction's statement; a Knex migration's `knex` is
 * the migrator's transaction. The outer client's own queries stay reported for every ORM.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-session-scope.js';
import { createRuleTester } from '../rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const outer = (line: number, client: string, scope: string, session: string) => ({
  messageId: 'outerClientInScope' as const,
  line,
  data: { client, scope, session },
});

const valid: Valid[] = [
  // Valid because db.fn.now() and db.raw(...) only build SQL text compiled into the trx query (seen in a public backend: nango packages/scheduler/lib/models/tasks.ts:412)
  {
    name: 'Valid because Knex fn.now() and raw() on the outer client are fragments of the trx query (seen in a public backend: nango packages/scheduler/lib/models/tasks.ts:412)',
    code: `
async function dequeue(db: Knex) {
  return db.transaction(async (trx) => {
    return trx
      .with('candidates', (qb) => {
        qb.select('id').from('tasks').where('starts_after', '<=', db.fn.now()).forUpdate().skipLocked();
      })
      .with('running', (qb) => {
        qb.select(db.raw('count(id) as running_count'), 'group_key').from('tasks').groupBy('group_key');
      })
      .select('*')
      .from('candidates');
  });
}`,
  },
  // Valid because a sub-query builder handed to .with()/.whereIn() is compiled into the trx statement and never executed on its own (seen in a public backend: nango packages/scheduler/lib/models/tasks.ts:446)
  {
    name: 'Valid because sub-query builders on the outer Knex client passed to with() and whereIn() run inside the trx statement (seen in a public backend: nango packages/scheduler/lib/models/tasks.ts:446)',
    code: `
async function start(db: Knex) {
  return db.transaction(async (trx) => {
    return trx
      .with(
        'updated_tasks',
        db.from('tasks').update({ state: 'STARTED' }).whereIn('id', db.select('id').from('to_start')).returning('*'),
      )
      .select('*')
      .from('updated_tasks');
  });
}`,
  },
  // Valid because a fragment inside an object of values (`updated_at: db.fn.now()`) is part of the trx update
  {
    name: 'Valid because Knex db.fn.now() in the values of a trx update is SQL text, not a query (Knex)',
    code: `
async function touch(db: Knex, id: string) {
  await db.transaction(async (trx) => {
    await trx('jobs').where({ id }).update({ updated_at: db.fn.now(), attempts: db.raw('attempts + 1') });
  });
}`,
  },
  // Valid because a Drizzle sub-query built on the outer db goes through a helper (inArray) into the tx query
  {
    name: 'Valid because a Drizzle sub-query on the outer db handed through inArray() into a tx update is compiled into it (Drizzle)',
    code: `
async function archive(db: Database) {
  await db.transaction(async (tx) => {
    await tx.update(jobs).set({ archived: true }).where(inArray(jobs.id, db.select({ id: stale.id }).from(stale)));
  });
}`,
  },
  // Valid because Kysely's db.fn.count() is an expression of the trx query
  {
    name: 'Valid because Kysely db.fn.count() on the outer client is an expression in the trx query (Kysely)',
    code: `
async function count(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom('jobs').select(db.fn.count('id').as('n')).execute();
  });
}`,
  },
  // Valid because inside whereExists(function () { ... }) `this` is the sub-query builder and innerTrx.raw('1') is SQL text (seen in a public backend: nango packages/shared/lib/services/customerKey.service.ts:461)
  {
    name: 'Valid because a voided Knex sub-query builder (this) in whereExists() uses the transaction only for a raw fragment (seen in a public backend: nango packages/shared/lib/services/customerKey.service.ts:461)',
    code: `
async function rename(db: Knex, keyId: string, displayName: string) {
  await db.transaction(async (trx) => {
    await trx.transaction(async (innerTrx) => {
      await innerTrx('keys')
        .where('id', keyId)
        .whereExists(function () {
          void this.select(innerTrx.raw('1')).from('relations').whereRaw('relations.key_id = keys.id');
        })
        .update({ display_name: displayName, updated_at: innerTrx.fn.now() });
    });
  });
}`,
  },
  // Valid because Knex runs a migration's up() in a transaction and knex.transaction() inside it is a savepoint on the same connection (seen in a public backend: nango packages/records/lib/stores/postgres/migrations/20240327151027_create_records_table.ts:53)
  {
    name: 'Valid because a Knex migration up(knex: Knex) runs in the migrator transaction: knex next to knex.transaction() is inside it (seen in a public backend: nango packages/records/lib/stores/postgres/migrations/20240327151027_create_records_table.ts:53)',
    code: `
import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.schema.createTable('records', (table) => { table.uuid('id').primary(); });
    await knex.raw('CREATE INDEX records_created_at ON records (created_at)');
    await knex.schema.alterTable('records', (table) => { table.index('external_id'); });
  });
}
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('records');
}`,
  },
  // Valid because a CommonJS Knex migration (exports.up) runs in a transaction too
  {
    name: 'Valid because a CommonJS Knex migration exports.up = function (knex) runs in the migrator transaction (seen in a public backend: kutt server/migrations)',
    code: `
exports.up = async function (knex) {
  await knex.transaction(async (trx) => {
    await trx('links').update({ visit_count: 0 });
    await knex.schema.alterTable('links', (table) => { table.index('visit_count'); });
  });
};
exports.down = async function () {};`,
  },
  // Valid because a Knex migration exported as `export const down = async (knex) => ...`
  {
    name: 'Valid because an arrow Knex migration export const down = async (knex: Knex.Transaction) runs in the migrator transaction',
    code: `
export const down = async (knex: Knex.Transaction) => {
  await knex.transaction(async (trx) => {
    await trx('record_counts').delete();
    await knex.schema.dropTable('record_counts');
  });
};`,
  },
];

const invalid: Invalid[] = [
  // Invalid because an awaited knex.raw on the outer client runs its own query on another connection
  {
    name: 'Invalid (checkTransactionUse) because an awaited raw query on the outer Knex client runs outside the transaction (Knex)',
    options: [{ checkTransactionUse: true }],
    code: `
async function lock(db: Knex, key: number) {
  await db.transaction(async (trx) => {
    await db.raw('SELECT pg_advisory_lock(?)', [key]);
    await trx('jobs').update({ locked: true });
  });
}`,
    errors: [outer(4, 'db', 'db.transaction', 'trx')],
  },
  // Invalid because a sub-query builder of the outer client awaited on its own is a query outside the transaction
  {
    // After a write through trx (round 15: a read before any write sees what trx would see).
    name: 'Invalid (checkTransactionUse) because an outer Knex builder awaited on its own (not handed to a trx query) runs outside the transaction (Knex)',
    options: [{ checkTransactionUse: true }],
    code: `
async function move(db: Knex) {
  await db.transaction(async (trx) => {
    await trx('moves').insert({ at: new Date() });
    const ids = await db.select('id').from('to_start');
    await trx('tasks').whereIn('id', ids.map((r) => r.id)).update({ state: 'STARTED' });
  });
}`,
    errors: [outer(5, 'db', 'db.transaction', 'trx')],
  },
  // Invalid because an outer query handed to Promise.all (not a query builder) executes on its own
  {
    name: 'Invalid (checkTransactionUse) because an outer Knex query in Promise.all next to a trx query runs outside the transaction (Knex)',
    options: [{ checkTransactionUse: true }],
    code: `
async function both(db: Knex) {
  await db.transaction(async (trx) => {
    await Promise.all([trx('a').insert({ id: 1 }), db('b').insert({ id: 2 })]);
  });
}`,
    errors: [outer(4, 'db', 'db.transaction', 'trx')],
  },
  // Invalid because a raw fragment that is returned from the callback is run by it
  {
    name: 'Invalid (checkTransactionUse) because a raw query on the outer Knex client returned from the callback is run, outside the transaction (Knex)',
    options: [{ checkTransactionUse: true }],
    code: `
async function stats(db: Knex) {
  return db.transaction(async (trx) => {
    await trx('jobs').update({ seen: true });
    return db.raw('select count(*) from jobs');
  });
}`,
    errors: [outer(5, 'db', 'db.transaction', 'trx')],
  },
  // Invalid because a Kysely fragment that is executed is a query
  {
    name: 'Invalid (checkTransactionUse) because a Kysely query on the outer db that is executed runs outside the transaction (Kysely)',
    options: [{ checkTransactionUse: true }],
    code: `
async function copy(db: Kysely<DB>) {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('a').values({ id: 1 }).execute();
    await db.selectFrom('b').select(db.fn.count('id').as('n')).execute();
  });
}`,
    errors: [outer(5, 'db', 'db.transaction().execute', 'trx')],
  },
  // Invalid because the Drizzle outer db writes on its own inside its transaction
  {
    name: 'Invalid (checkTransactionUse) because the outer Drizzle db writes inside its own transaction (Drizzle)',
    options: [{ checkTransactionUse: true }],
    code: `
async function archive(db: Database) {
  await db.transaction(async (tx) => {
    await tx.update(jobs).set({ archived: true });
    await db.insert(audit).values({ action: 'archive' });
  });
}`,
    errors: [outer(5, 'db', 'db.transaction', 'tx')],
  },
  // Invalid because a migration that opts out of the migrator transaction (config.transaction false) gets no savepoint
  {
    name: 'Invalid (checkTransactionUse) because a Knex migration with config = { transaction: false } runs knex outside its own knex.transaction',
    options: [{ checkTransactionUse: true }],
    code: `
import type { Knex } from 'knex';
export const config = { transaction: false };
export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx('records').update({ migrated: true });
    await knex('records_archive').insert({ id: 1 });
  });
}`,
    errors: [outer(7, 'knex', 'knex.transaction', 'trx')],
  },
  // Invalid because a function named up that is not an exported migration step is ordinary code
  {
    name: 'Invalid (checkTransactionUse) because a non-exported function named up is no migration: its knex use is outside the transaction',
    options: [{ checkTransactionUse: true }],
    code: `
async function up(knex: Knex) {
  await knex.transaction(async (trx) => {
    await trx('a').insert({ id: 1 });
    await knex('b').insert({ id: 1 });
  });
}`,
    errors: [outer(5, 'knex', 'knex.transaction', 'trx')],
  },
  // Invalid because a migration-shaped export whose parameter is not Knex (a TypeORM QueryRunner) gets no Knex transaction
  {
    name: 'Invalid (checkTransactionUse) because an exported up() whose parameter is typed as another client is not a Knex migration',
    options: [{ checkTransactionUse: true }],
    code: `
export async function up(db: Kysely<unknown>) {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('a').values({ id: 1 }).execute();
    await db.insertInto('b').values({ id: 1 }).execute();
  });
}`,
    errors: [outer(5, 'db', 'db.transaction().execute', 'trx')],
  },
  // Invalid because a query on the session started without await in a builder callback still escapes
  {
    name: 'Invalid because a voided trx query (not a fragment) inside the Knex transaction escapes it',
    code: `
async function work(db: Knex) {
  await db.transaction(async (trx) => {
    await trx('jobs').update({ state: 'done' });
    void trx('audit').insert({ at: trx.fn.now() });
  });
}`,
    errors: [
      {
        messageId: 'escapingSession',
        line: 5,
        data: { session: 'trx', scope: 'the `db.transaction` callback', how: 'a query that uses it is started without `await` (`void`)' },
        suggestions: [
          {
            messageId: 'awaitInScope',
            data: { session: 'trx' },
            output: `
async function work(db: Knex) {
  await db.transaction(async (trx) => {
    await trx('jobs').update({ state: 'done' });
    await trx('audit').insert({ at: trx.fn.now() });
  });
}`,
          },
        ],
      },
    ],
  },
];

createRuleTester().run('require-session-scope (fragments and migrations)', rule, { valid, invalid });
