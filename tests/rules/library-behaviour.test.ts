/**
 * What a library does with a failure, read from the project's package.json (issue 13, round 10):
 * @nestjs/event-emitter from 2.0.2 wraps every @OnEvent listener in a try/catch that logs, so
 * `eventEmitter.emitAsync(...)` cannot reject (vocabulary `nonRejectingCalls`). The files are
 * linted as if they lay in the fixture projects under fixtures/framework.
 */
import path from 'node:path';
import floating from '../../src/rules/no-floating-background-task.js';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/framework');
const currentFile = path.join(fixtures, 'nest-events-app/src/invoice.subscriber.ts');
const oldFile = path.join(fixtures, 'nest-events-old/src/invoice.subscriber.ts');

// bigcapital's shape (packages/server/src/modules/SaleInvoices/subscribers/InvoicePaymentIntegrationSubscriber.ts:33).
const relay = `
export class InvoicePaymentIntegrationSubscriber {
  constructor(private readonly eventPublisher: EventEmitter2) {}

  @OnEvent('saleInvoice.created')
  handleCreated({ saleInvoice, trx }: Payload) {
    const paymentMethods = saleInvoice.paymentMethods?.filter((method) => method.enable) || [];
    paymentMethods.map(async (paymentMethod) => {
      const payload = { ...paymentMethod, saleInvoiceId: saleInvoice.id, trx };
      await this.eventPublisher.emitAsync('paymentIntegrationLink.created', payload);
    });
  }
}`;

const tester = createRuleTester();

tester.run('no-floating-background-task (library behaviour)', floating, {
  valid: [
    { name: 'Valid because emitAsync of @nestjs/event-emitter 2.0.4 resolves whatever its listeners throw (seen in a public backend: bigcapital)', code: relay, filename: currentFile },
  ],
  invalid: [
    {
      name: 'Invalid because @nestjs/event-emitter 1.x rethrows a listener error, so emitAsync can reject',
      code: relay,
      filename: oldFile,
      errors: [{ messageId: 'floatingCallback', line: 8 }],
    },
  ],
});

tester.run('require-background-error-handling (library behaviour)', errorHandling, {
  valid: [
    { name: 'Valid because the only awaited work is emitAsync of @nestjs/event-emitter 2.0.4 (seen in a public backend: bigcapital)', code: relay, filename: currentFile },
    {
      name: 'Valid because a project setting names the call as unable to reject',
      code: relay,
      filename: oldFile,
      settings: { 'background-tasks': { nonRejectingCalls: ['*.emitAsync'] } },
    },
  ],
  invalid: [
    {
      name: 'Invalid because with @nestjs/event-emitter 1.x the listener error reaches emitAsync',
      code: relay,
      filename: oldFile,
      errors: [{ messageId: 'missingTryCatch', line: 8 }],
    },
  ],
});
