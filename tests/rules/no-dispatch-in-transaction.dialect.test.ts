/**
 * Where a subscriber hook runs depends on the database driver (issue 13, round 18): MikroORM's MongoDB
 * driver flushes without a transaction unless `implicitTransactions` is set, so an `afterUpdate` hook
 * runs after the write is stored; on PostgreSQL the flush is one transaction. The callers are linted as
 * if they lay in fixtures/dialect/<app>, whose package.json names the driver.
 */
import path from 'node:path';
import rule from '../../src/rules/no-dispatch-in-transaction.js';
import { createRuleTester } from '../rule-tester.js';

const dialects = path.resolve(import.meta.dirname, '../../fixtures/dialect');
const file = (app: string) => path.join(dialects, app, 'src/user/user-event-subscriber.ts');

// hpi-schul-cloud/schulcloud-server apps/server/src/modules/user/repo/user-event-subscriber.ts: an event published from afterUpdate.
const subscriber = `
import { EventSubscriber, EventArgs } from '@mikro-orm/core';
export class UserEventSubscriber implements EventSubscriber<User> {
  async afterUpdate(args: EventArgs<User>): Promise<void> {
    await this.eventBus.publish(new UserChangedEvent(args.entity.id));
  }
}`;

createRuleTester().run('no-dispatch-in-transaction (MikroORM drivers)', rule, {
  valid: [
    // Valid because MikroORM on MongoDB runs no flush transaction by default: the update is stored when the hook runs (seen in a public backend: hpi-schul-cloud/schulcloud-server user-event-subscriber.ts:27)
    { name: 'Valid because MikroORM on MongoDB flushes without a transaction (schulcloud-server user-event-subscriber.ts:27)', code: subscriber, filename: file('mikro-mongo-app') },
  ],
  invalid: [
    {
      name: 'Invalid because MikroORM on PostgreSQL runs the hook inside the flush transaction',
      code: subscriber,
      filename: file('mikro-pg-app'),
      errors: [{ messageId: 'dispatchInTransaction', line: 5, suggestions: [] }],
    },
  ],
});
