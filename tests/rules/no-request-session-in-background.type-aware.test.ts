/**
 * What type information adds to no-request-session-in-background: sessions held under names
 * the vocabulary does not know, found by their type (tests/fixtures/typed/orm.d.ts).
 * The same cases run without type information, where they are not reported.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-request-session-in-background.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const typeAwareFinds: { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] }[] = [
  {
    syntacticName: 'Valid because without type information this.manager is not known to be a session',
    typedName: 'Invalid because (type-aware) this.manager is an EntityManager of a request-scoped class (Scope.REQUEST)',
    code: `
import { Injectable, Scope } from '@nestjs/common';
import { EntityManager } from 'typeorm';
@Injectable({ scope: Scope.REQUEST })
export class Orders {
  constructor(private readonly manager: EntityManager) {}
  async reindexInBackground(id: string) {
    await this.manager.find(id);
  }
}`,
    errors: [{ messageId: 'requestMember', line: 8, column: 11, data: { session: 'this.manager', task: 'Orders.reindexInBackground' } }],
  },
  {
    syntacticName: 'Valid because without type information this.orders is not known to be a session (@Inject(REQUEST))',
    typedName: 'Invalid because (type-aware) this.orders is an EntityManager of a class that injects REQUEST',
    code: `
import { Inject } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { EntityManager } from 'typeorm';
export class Orders {
  constructor(@Inject(REQUEST) private readonly req: unknown, private readonly orders: EntityManager) {}
  async syncInBackground(id: string) {
    await this.orders.save(id);
  }
}`,
    errors: [{ messageId: 'requestMember', line: 8, data: { session: 'this.orders', task: 'Orders.syncInBackground' } }],
  },
  {
    syntacticName: 'Valid because without type information this.runner is not known to be a QueryRunner',
    typedName: 'Invalid because (type-aware) this.runner is a TypeORM QueryRunner, bound to one unit of work',
    code: `
import { QueryRunner } from 'typeorm';
export class Imports {
  constructor(private readonly runner: QueryRunner) {}
  async importInBackground() {
    await this.runner.query('insert into imports default values');
  }
}`,
    errors: [{ messageId: 'requestMember', line: 6, data: { session: 'this.runner', task: 'Imports.importInBackground' } }],
  },
  {
    syntacticName: 'Valid because without type information this.unitOfWork is not known to be a Knex transaction',
    typedName: 'Invalid because (type-aware) this.unitOfWork is a Knex.Transaction',
    code: `
import type { Knex } from 'knex';
export class Ledger {
  constructor(private readonly unitOfWork: Knex.Transaction) {}
  async settleInBackground() {
    await this.unitOfWork.insert({ settled: true });
  }
}`,
    errors: [{ messageId: 'requestMember', line: 6, data: { session: 'this.unitOfWork', task: 'Ledger.settleInBackground' } }],
  },
  {
    syntacticName: 'Valid because without type information this.work is not known to be a Prisma transaction client',
    typedName: 'Invalid because (type-aware) this.work is a Prisma.TransactionClient',
    code: `
import type { Prisma } from '@prisma/client';
export class Jobs {
  constructor(private readonly work: Prisma.TransactionClient) {}
  async finishInBackground(id: string) {
    await this.work.job.update({ where: { id } });
  }
}`,
    errors: [{ messageId: 'requestMember', line: 6, data: { session: 'this.work', task: 'Jobs.finishInBackground' } }],
  },
];

const valid: Valid[] = [
  {
    name: "Valid because Sentry's tracing Transaction is not a database session",
    code: `
import { Transaction } from '@sentry/node';
export class Tracing {
  constructor(private readonly span: Transaction) {}
  async flushInBackground() { await this.span.finish(); }
}`,
  },
  {
    name: 'Valid because an EntityManager on a singleton class is the global manager (a factory)',
    code: `
import { EntityManager } from 'typeorm';
export class Reports {
  constructor(private readonly manager: EntityManager) {}
  async buildInBackground() { await this.manager.find('report'); }
}`,
  },
  {
    name: "Valid because a user's own Transaction class is a domain entity, not a session",
    code: `
class Transaction { amount = 0; async settle() { return this.amount; } }
export class Payments {
  constructor(private readonly payment: Transaction) {}
  async settleInBackground() { await this.payment.settle(); }
}`,
  },
  {
    name: 'Valid because a request method may use the request-scoped EntityManager',
    code: `
import { Injectable, Scope } from '@nestjs/common';
import { EntityManager } from 'typeorm';
@Injectable({ scope: Scope.REQUEST })
export class Orders {
  constructor(private readonly manager: EntityManager) {}
  async list() { return this.manager.find('order'); }
}`,
  },
  {
    name: 'Valid because a DataSource is a factory: its transaction opens a fresh session',
    code: `
import { DataSource } from 'typeorm';
export class Billing {
  constructor(private readonly source: DataSource) {}
  async chargeInBackground(id: string) { await this.source.transaction(async (m) => m.save(id)); }
}`,
  },
];

createRuleTester().run('no-request-session-in-background (syntactic, type-aware cases)', rule, {
  valid: [...valid, ...typeAwareFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code }))],
  invalid: [],
});

createTypedRuleTester().run('no-request-session-in-background (type-aware)', rule, {
  valid,
  invalid: typeAwareFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors })),
});
