import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-background-timeout.js';
import { createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** Cases whose outcome is the same with and without type information. */
const valid: Valid[] = [
  {
    name: 'Valid because a per-event @OnEvent listener is not a job: nothing stays in progress if it hangs (seen in teableio/teable)',
    code: `
class Sync {
  @OnEvent('order.paid')
  async onPaid(e: { id: string }) {
    await firstValueFrom(this.httpService.post('/erp', e));
  }
}`,
  },
  {
    name: 'Valid because a setImmediate callback that sets no job status is deferred small work, not a job (seen in medusajs/medusa)',
    code: `
function onSaved(id: string) {
  setImmediate(async () => { await fetch('/index/' + id, { method: 'PUT' }); });
}`,
  },
  {
    name: 'Valid because a fire-and-forget helper that sets no job status is not a job (seen in teableio/teable)',
    code: `
class Indexer {
  onSaved(id: string) { void this.reindex(id).catch(() => undefined); }
  private async reindex(id: string) { await this.httpClient.put('/index/' + id); }
}`,
  },
  {
    name: 'Valid because externalCalls does not make an @OnEvent listener a job (seen in teableio/teable)',
    options: [{ externalCalls: ['*queue.add'] }],
    code: `
class Fanout {
  @OnEvent('user.created')
  async onUser(e: { id: string }) { await this.queue.add('welcome', e); }
}`,
  },
  {
    name: 'Valid because a setTimeout callback that sets no job status is not a job (seen in medusajs/medusa)',
    code: `
function onSaved() {
  setTimeout(async () => { await fetch('/hook'); }, 1000);
}`,
  },
  {
    name: "Valid because a per-request res.on('finish') hook is not a job (seen in outline/outline)",
    code: `
app.post('/orders', (req, res) => {
  res.on('finish', async () => { await axios.post('/audit', req.body); });
  res.send('ok');
});`,
  },
  {
    name: 'Valid because a per-event emitter listener is not a job (seen in medusajs/medusa)',
    code: `
userEmitter.on('created', async function sendWelcome(user) { await fetch('/welcome/' + user.id); });`,
  },
  {
    name: 'Valid because browser code (a React hook) has no background job to leave stuck (seen in outline/outline)',
    code: `
import { useEffect } from 'react';
export function useTable(request: () => Promise<Response>) {
  useEffect(() => {
    const handleRequest = async () => { setRows(await fetch('/api/rows')); };
    handleRequest().catch(console.error);
  }, [request]);
}`,
  },
  {
    name: "Valid because a script's top-level main() is the process itself, not background work (seen in documenso/documenso)",
    code: `
const main = async () => {
  await fetch('http://localhost:3000/api/v1/documents');
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});`,
  },
  {
    name: 'Valid because fetch gets signal: AbortSignal.timeout(ms)',
    code: `
async function backgroundSync(url: string) {
  await fetch(url, { signal: AbortSignal.timeout(10_000) });
}`,
  },
  {
    name: 'Valid because a signal is passed on to fetch',
    code: `
async function backgroundSync(url: string, signal: AbortSignal) {
  await fetch(url, { signal });
}`,
  },
  {
    name: 'Valid because axios gets a timeout option',
    code: `
class Reports {
  @Cron('0 * * * *')
  async nightly() { await axios.get('/report', { timeout: 5000 }); }
}`,
  },
  {
    name: 'Valid because Promise.race bounds the call with a timer',
    code: `
async function backgroundPing(url: string) {
  await Promise.race([fetch(url), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000))]);
}`,
  },
  {
    name: 'Valid because pTimeout wraps the call',
    code: `
async function backgroundPing(url: string) { await pTimeout(fetch(url), { milliseconds: 5000 }); }`,
  },
  {
    name: 'Valid because withTimeout wraps the call',
    code: `
async function backgroundPing(url: string) { await withTimeout(got.get(url), 5000); }`,
  },
  {
    name: "Valid because rxjs timeout() bounds NestJS HttpService's observable",
    code: `
class Sync {
  @OnEvent('order.paid')
  async onPaid(e: { id: string }) {
    await firstValueFrom(this.httpService.post('/erp', e).pipe(timeout(5000)));
  }
}`,
  },
  {
    name: 'Valid because a request function may wait for fetch (not background)',
    code: `
app.get('/proxy', async (req, res) => { res.json(await (await fetch('https://api.example.com')).json()); });`,
  },
  {
    name: 'Valid because the background function does no external work',
    code: `
async function backgroundCleanup(infra: Infra) {
  await using session = infra.getSessionContext();
  await session.jobs.deleteMany({ done: true });
}`,
  },
  {
    name: 'Valid because a job option timeout bounds the @Process handler',
    code: `
class Emails {
  @Process({ name: 'send', timeout: 30_000 })
  async send(job: Job) { await axios.post('/mail', job.data); }
}`,
  },
  {
    name: 'Valid because agenda.define gets a timeout option',
    code: `
agenda.define('sync', { timeout: 60_000 }, async (job) => { await fetch(job.attrs.data.url); });`,
  },
  {
    name: 'Valid because a dropped fetch is not waited for (no-floating-background-task reports it)',
    code: `
async function backgroundPing(url: string) { fetch(url); }`,
  },
  {
    name: 'Valid because a configured timeout helper wraps the call (option timeoutHelpers)',
    options: [{ timeoutHelpers: ['withDeadline'] }],
    code: `
async function backgroundPing(url: string) { await withDeadline(fetch(url), 1000); }`,
  },
  {
    name: 'Valid because the signal is created with AbortSignal.timeout and passed on',
    code: `
async function backgroundExport(id: string) {
  const signal = AbortSignal.timeout(120_000);
  await fetch('/export/' + id, { signal });
}`,
  },
  {
    name: 'Valid because every awaited fetch of an inline map gets a signal',
    code: `
async function backgroundWarm(urls: string[]) {
  await Promise.all(urls.map((url) => fetch(url, { signal: AbortSignal.timeout(2000) })));
}`,
  },
  {
    name: 'Valid because got gets a timeout object',
    code: `
async function backgroundPush(url: string) { await got.post(url, { timeout: { request: 5000 } }); }`,
  },
  {
    name: "Valid because ORM calls are not external work unless configured",
    code: `
class Cleanup {
  @Cron('0 3 * * *')
  async purge() { await this.dataSource.transaction((m) => m.delete(Session, { expired: true })); }
}`,
  },
  {
    name: 'Valid because ky gets a timeout option',
    code: `
async function backgroundNotify(url: string) { await ky.post(url, { json: {}, timeout: 10_000 }); }`,
  },
  {
    name: "Valid because this.http.get gets an AbortController's signal",
    code: `
class Sync {
  @Interval(60_000)
  async poll() {
    const controller = new AbortController();
    await this.http.get('/status', { signal: controller.signal });
  }
}`,
  },
  {
    name: 'Valid because the setTimeout callback has no external work and the request function is not background',
    code: `
app.post('/x', async (req, res) => { setTimeout(() => metrics.flush(), 100); res.json(await fetch('/y')); });`,
  },
];

const invalid: Invalid[] = [
  {
    name: 'Invalid because a setImmediate callback that marks the export processing is a job and awaits fetch with no timeout',
    code: `
function onExport(id: string) {
  setImmediate(async () => {
    await exports.update(id, { status: 'processing' });
    await fetch('/render/' + id, { method: 'POST' });
  });
}`,
    errors: [{ messageId: 'missingTimeout', line: 3, column: 16, data: { kind: 'Background job', task: 'the setImmediate callback', call: 'fetch' } }],
  },
  {
    name: 'Invalid because a fire-and-forget callee that sets a running status is a job and awaits an HTTP client with no timeout',
    code: `
class Indexer {
  onSaved(id: string) { void this.reindex(id).catch(() => undefined); }
  private async reindex(id: string) {
    await this.jobs.updateStatus(id, 'running');
    await this.httpClient.put('/index/' + id);
  }
}`,
    errors: [{ messageId: 'missingTimeout', line: 4, column: 17, data: { kind: 'Background job', task: 'Indexer.reindex', call: 'httpClient.put' } }],
  },
  {
    name: 'Invalid because a configured queue call is external work for a queue processor (option externalCalls)',
    options: [{ externalCalls: ['*queue.add'] }],
    code: `
class Fanout {
  @Process('user.created')
  async onUser(job: { id: string }) { await this.queue.add('welcome', job); }
}`,
    errors: [{ messageId: 'missingTimeout', line: 4, data: { kind: 'Queue job', task: 'Fanout.onUser', call: 'queue.add' } }],
  },
  {
    name: 'Invalid because a background function awaits fetch with no timeout',
    code: `
async function backgroundSync(url: string) {
  await fetch(url);
}`,
    errors: [{ messageId: 'missingTimeout', line: 2, column: 16, data: { kind: 'Background job', task: 'backgroundSync', call: 'fetch' } }],
  },
  {
    name: 'Invalid because a @Cron method awaits axios.get with no timeout',
    code: `
class Reports {
  @Cron('0 * * * *')
  async nightly() { await axios.get('/report'); }
}`,
    errors: [{ messageId: 'missingTimeout', line: 4, column: 9, data: { kind: 'Scheduled job', task: 'Reports.nightly', call: 'axios.get' } }],
  },
  {
    name: 'Invalid because a BullMQ Worker processor awaits got.post with no timeout',
    code: `
const worker = new Worker('webhooks', async (job) => {
  await got.post(job.data.url, { json: job.data.body });
});`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Queue job', task: 'the new Worker callback', call: 'got.post' } }],
  },
  {
    name: 'Invalid because @Process without a timeout option awaits fetch',
    code: `
class Emails {
  @Process('send')
  async send(job: Job) { await fetch('/mail', { method: 'POST', body: job.data }); }
}`,
    errors: [{ messageId: 'missingTimeout', line: 4, data: { kind: 'Queue job', task: 'Emails.send', call: 'fetch' } }],
  },
  {
    name: 'Invalid because a @background JSDoc function awaits fetch with no timeout',
    code: `
/** @background */
async function syncCatalog() { await fetch('/catalog'); }`,
    errors: [{ messageId: 'missingTimeout', line: 3, data: { kind: 'Background job', task: 'syncCatalog', call: 'fetch' } }],
  },
  {
    name: 'Invalid because a configured ORM call is external work (wildcard member)',
    options: [{ externalCalls: ['*warehouse.*'] }],
    code: `
async function backgroundLoad() { await this.warehouse.query('select 1'); }`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Background job', task: 'backgroundLoad', call: 'warehouse.query' } }],
  },
  {
    name: 'Invalid because Promise.all of fetches has no timeout',
    code: `
async function backgroundWarm(urls: string[]) {
  await Promise.all(urls.map((url) => fetch(url)));
}`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Background job', task: 'backgroundWarm', call: 'fetch' } }],
  },
  {
    name: 'Invalid because returning fetch from a background function waits for it with no timeout',
    code: `
function backgroundPing(url: string) { return fetch(url); }`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Background job', task: 'backgroundPing', call: 'fetch' } }],
  },
  {
    name: 'Invalid because apiClient.post has no timeout',
    code: `
class Billing {
  @Cron('0 0 * * *')
  async invoice() { const res = await this.apiClient.post('/invoices'); return res; }
}`,
    errors: [{ messageId: 'missingTimeout', line: 4, data: { kind: 'Scheduled job', task: 'Billing.invoice', call: 'apiClient.post' } }],
  },
  {
    name: 'Invalid because only the first of two calls has a signal',
    code: `
async function backgroundSync() {
  await fetch('/a', { signal: controller.signal });
  await axios.get('/b');
}`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Background job', task: 'backgroundSync', call: 'axios.get' } }],
  },
  {
    name: 'Invalid because a cron.schedule job awaits fetch with no timeout',
    code: `
cron.schedule('*/5 * * * *', async () => { await fetch('/heartbeat'); });`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Scheduled job', task: 'the cron.schedule callback', call: 'fetch' } }],
  },
  {
    name: 'Invalid because an S3 client send has no abortSignal',
    code: `
async function backgroundUpload(cmd: PutObjectCommand) { await this.s3.send(cmd); }`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Background job', task: 'backgroundUpload', call: 's3.send' } }],
  },
  {
    name: 'Invalid because ky.post options carry no timeout',
    code: `
async function backgroundNotify(url: string) { await ky.post(url, { json: {} }); }`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Background job', task: 'backgroundNotify', call: 'ky.post' } }],
  },
  {
    name: 'Invalid because a new CronJob callback awaits fetch with no timeout',
    code: `
const job = new CronJob('0 * * * *', async () => { await fetch('/rollup'); });`,
    errors: [{ messageId: 'missingTimeout', line: 2, data: { kind: 'Scheduled job', task: 'the new CronJob callback', call: 'fetch' } }],
  },
];

/** Cases where type information finds external work by the receiver's type. */
const typeAwareFinds: { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] }[] = [
  {
    syntacticName: 'Valid because without type information this.client is not known to be an HTTP client',
    typedName: 'Invalid because (type-aware) this.client is an AxiosInstance',
    code: `
import type { AxiosInstance } from 'axios';
export class Reports {
  constructor(private readonly client: AxiosInstance) {}
  async refreshInBackground() { await this.client.get('/report'); }
}`,
    errors: [{ messageId: 'missingTimeout', line: 5, data: { kind: 'Background job', task: 'Reports.refreshInBackground', call: 'client.get' } }],
  },
  {
    syntacticName: 'Valid because without type information this.erp is not known to be NestJS HttpService',
    typedName: "Invalid because (type-aware) this.erp is NestJS's HttpService",
    code: `
import { HttpService } from '@nestjs/axios';
declare function firstValueFrom(o: unknown): Promise<unknown>;
export class Sync {
  constructor(private readonly erp: HttpService) {}
  async pushInBackground() { await firstValueFrom(this.erp.get('/orders')); }
}`,
    errors: [{ messageId: 'missingTimeout', line: 6, data: { kind: 'Background job', task: 'Sync.pushInBackground', call: 'erp.get' } }],
  },
];

const typeAwareValid: Valid[] = [
  {
    name: 'Valid because the AxiosInstance call gets a timeout option',
    code: `
import type { AxiosInstance } from 'axios';
export class Reports {
  constructor(private readonly client: AxiosInstance) {}
  async refreshInBackground() { await this.client.get('/report', { timeout: 5000 }); }
}`,
  },
  {
    name: "Valid because a user's own client type is not an HTTP client",
    code: `
class Calculator { async get(n: number) { return n * 2; } }
export class Jobs {
  constructor(private readonly client: Calculator) {}
  async computeInBackground() { await this.client.get(2); }
}`,
  },
];

createRuleTester().run('require-background-timeout (syntactic)', rule, {
  valid: [...valid, ...typeAwareValid, ...typeAwareFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code }))],
  invalid,
});

createTypedRuleTester().run('require-background-timeout (type-aware)', rule, {
  valid: [...valid, ...typeAwareValid],
  invalid: [...invalid, ...typeAwareFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors }))],
});
