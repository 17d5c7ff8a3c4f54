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

// A Next.js server logs unhandled rejections and keeps running (vocabulary `loggingServerPackages`,
// issue 13, round 11): civitai's API routes drop `logToAxiom(...).catch()` on Next.js 16.
const nextFile = path.join(fixtures, 'next-app/src/server/services/report.service.ts');
const oldNextFile = path.join(fixtures, 'next-old/src/server/services/report.service.ts');
const customServerFile = path.join(fixtures, 'next-custom-server/server/queues/in-memory-queue.ts');
const dropped = `
export async function createReport(input: ReportInput) {
  const report = await dbWrite.report.create({ data: input });
  logToAxiom({ name: 'report-created', id: report.id }).catch();
  return report;
}
async function logToAxiom(data: object) {
  await axiom.ingestEvents('civitai-prod', data);
}`;

const DROPPED_LINE = "  logToAxiom({ name: 'report-created', id: report.id }).catch();";
const SUGGESTIONS = [
  {
    messageId: 'addCatch' as const,
    data: { logger: 'console' },
    output: dropped.replace(DROPPED_LINE, "  logToAxiom({ name: 'report-created', id: report.id }).catch((error) => console.error('logToAxiom failed', error));"),
  },
  { messageId: 'addAwait' as const, data: { task: 'logToAxiom' }, output: dropped.replace(DROPPED_LINE, `  await ${DROPPED_LINE.trim()}`) },
];

tester.run('no-floating-background-task (a server that logs rejections)', floating, {
  valid: [
    { name: 'Valid because the Next.js 16 server logs the rejection and keeps running (seen in a public backend: civitai/civitai src/server/services/report.service.ts)', code: dropped, filename: nextFile },
    { name: 'Valid because a project setting states the processes log rejections', code: dropped, filename: oldNextFile, settings: { 'background-tasks': { processRejectionHandler: 'logs' } } },
  ],
  invalid: [
    {
      name: 'Invalid because a custom server runs the Next.js app: next start, which installs the handler, does not (seen in a public backend: Dokploy/dokploy apps/dokploy/server/queues/in-memory-queue.ts:217)',
      code: dropped,
      filename: customServerFile,
      errors: [{ messageId: 'floatingTask', line: 4, suggestions: SUGGESTIONS }],
    },
    {
      name: 'Invalid because Next.js 12 installed no logging rejection handler',
      code: dropped,
      filename: oldNextFile,
      errors: [{ messageId: 'floatingTask', line: 4, suggestions: SUGGESTIONS }],
    },
  ],
});
