import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-floating-background-task.js';
import { ASSUME_UNSEEN_CALLS_REJECT, createRuleTester } from '../rule-tester.js';
import { createTypedRuleTester } from '../typed-rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** Cases whose outcome is the same with and without type information. */
const valid: Valid[] = [
  {
    name: "Valid because a module's top-level setImmediate(async ...) is its startup, which fails fast and loud like main() (seen in a public backend: linuxfoundation/crowd.dev, services/apps/*/src/main.ts)",
    code: `
setImmediate(async () => {
  await svc.init();
  await svc.start();
});`,
  },
  {
    name: 'Valid because an example program shipped beside the project is run by hand like a script (seen in a public backend: louislam/uptime-kuma, extra/push-examples/javascript-fetch/index.js)',
    filename: '/repo/extra/push-examples/typescript-fetch/index.ts',
    code: `
const pushURL = 'https://example.com/api/push/key';
setInterval(async () => {
  await fetch(pushURL);
}, 60_000);`,
  },
  {
    name: 'Valid because every callback mapped into the dropped Promise.all catches its own failure (seen in a public backend: sct/overseerr, server/lib/downloadtracker.ts)',
    code: `
class DownloadTracker {
  updateRadarrDownloads() {
    const servers = settings.radarr.filter((s) => s.syncEnabled);
    Promise.all(
      servers.map(async (server) => {
        const radarr = new RadarrAPI({ url: buildUrl(server) });
        try {
          const queue = await radarr.getQueue();
          this.radarrServers[server.id] = queue;
        } catch (e) {
          logger.error('Unable to get queue', { errorMessage: e.message });
        }
      }),
    );
  }
}`,
  },
  {
    name: 'Valid because the synchronous .then after the .catch only re-arms a timer: it fails only by a bug (seen in a public backend: caprover/caprover, src/user/FeatureFlags.ts)',
    code: `
export class FeatureFlags {
  refresh() {
    Promise.resolve()
      .then(() => {
        return this.fetchFlags();
      })
      .catch(Logger.e)
      .then(() => {
        setTimeout(() => this.refresh(), 1000);
      });
  }
  async fetchFlags() {
    const r = await fetch('https://example.com/flags');
    this.flags = await r.json();
  }
}`,
  },
  {
    name: 'Valid because Promise.resolve().then with a synchronous callback that returns nothing cannot reject (seen in a public backend: caprover/caprover, src/user/ServiceManager.ts)',
    code: `
export class ServiceManager {
  queue: string[] = [];
  deployNext() {
    Promise.resolve().then(() => {
      this.queue.shift();
    });
  }
}`,
  },
  // Valid because an AMD module is a RequireJS browser bundle: Node never loads AMD (issue 13, round 6)
  {
    name: 'Valid because an AMD define() module is browser code (seen in a public backend: NodeBB public/src/client/chats.js)',
    code: `
define('forum/chats', ['api'], function (api) {
  const Chats = {};
  Chats.init = function () {
    setTimeout(async () => {
      await api.put('/chats/read');
    }, 100);
  };
  return Chats;
});`,
  },
  // Valid because a public/ folder outside any src folder holds static assets for browsers
  {
    name: 'Valid because a file under public/ (outside src) is a static asset for browsers (seen in a public backend: NodeBB public/src/modules/)',
    code: `
const Chats = {};
Chats.init = function () {
  setTimeout(async () => {
    await api.put('/chats/read');
  }, 100);
};`,
    filename: '/repo/public/src/modules/chats.js',
  },
  // Valid because an Electron main process is a desktop client, not a backend (issue 13, round 6)
  {
    name: 'Valid because a file of an Electron app is client code (seen in a public backend: ever-gauzy packages/desktop-lib/src/lib/plugin-system/data-access/plugin-manager.ts:64)',
    code: `
import { app, ipcMain } from 'electron';
ipcMain.on('plugin:activate', (_event, id: string) => {
  void activatePlugin(id);
});
async function activatePlugin(id: string) {
  await pluginRepository.update(id, { active: true });
}`,
  },
  {
    name: 'Valid because a ProseMirror editor plugin runs in the browser (seen in outline shared/editor/plugins/UploadPlugin.ts:112)',
    code: `
import { Plugin } from 'prosemirror-state';
export const uploadPlugin = new Plugin({
  props: {
    handleDrop(view, event) {
      void fetch(event.dataTransfer.getData('url')).then((res) => insert(view, res));
      return true;
    },
  },
});`,
  },
  {
    name: 'Valid because a script run by hand fails loudly, as its author wants (seen in outline server/scripts/20240825000000-invalidate-unfurls-cache.ts:53, novu scripts/jarvis.js:95)',
    filename: '/repo/server/scripts/invalidate-cache.ts',
    code: `
async function deleteKeys(keys: string[]) { await redis.del(...keys); }
export function onPage(keys: string[]) { void deleteKeys(keys).then(() => stream.resume()); }`,
  },
  {
    name: 'Valid because the awaited call is told not to throw ({ throwOnError: false }) (seen in medusa packages/modules/workflow-engine-inmemory/src/utils/workflow-orchestrator-storage.ts:162)',
    code: `
export class Storage {
  schedule(workflowId: string, ms: number) {
    setTimeout(async () => {
      await this.orchestrator.run(workflowId, { logOnError: true, throwOnError: false });
    }, ms);
  }
}`,
  },
  {
    name: 'Valid because the callee returns a promise whose executor takes no reject: it settles only by resolving (seen in teable apps/nestjs-backend/src/features/notification/notification.service.ts:117)',
    code: `
export class NotificationService {
  notify(userId: string, data: Buffer) { this.sendBySocket(userId, data); }
  private async sendBySocket(userId: string, data: Buffer) {
    const presence = this.shareDb.connect().getPresence(userId);
    return new Promise((resolve) => {
      presence.submit(data, () => resolve(data));
    });
  }
}`,
  },
  {
    name: 'Valid because the callee only awaits a mutex around a callback whose awaits go to same-file helpers that catch everything (seen in karakeep packages/plugins/lib/batchingDocumentQueue.ts:43)',
    code: `
export class BatchingQueue {
  add(doc: Doc) { this.pending.push(doc); void this.flush(); }
  private async flush(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      const batch = this.pending.splice(0);
      await this.flushBatch(batch);
    });
  }
  private async flushBatch(batch: Doc[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.index.add(batch);
      batch.forEach((d) => d.resolve());
    } catch (error) {
      batch.forEach((d) => d.reject(error));
    }
  }
}`,
  },
  {
    name: 'Valid because every await of the async IIFE lies in a try/catch that handles it; the synchronous bookkeeping around fails only by a bug (seen in teable apps/nestjs-backend/src/features/import/open-api/import.class.ts:231)',
    code: `
export class CsvImporter {
  parse(stream: Stream, chunkCb: (rows: unknown[]) => Promise<void>) {
    Papa.parse(stream, {
      chunk: (chunk, parser) => {
        (async () => {
          buffer.push(...chunk.data);
          if (buffer.length >= MAX) {
            parser.pause();
            try {
              await chunkCb(buffer);
            } catch (e) {
              onError(exceptionParse(e).message);
              parser.abort();
            }
            buffer = [];
            parser.resume();
          }
        })();
      },
    });
  }
}`,
  },
  {
    name: 'Valid because the callee catches and logs, and its finally only cleans up synchronously (seen in dokploy apps/dokploy/server/queues/in-memory-queue.ts:241)',
    code: `
export class InMemoryQueue {
  schedule(job: Job) { void this.runJob(job); }
  private async runJob(job: Job) {
    try {
      await this.processor(job);
    } catch (error) {
      console.error('job failed', error);
    } finally {
      job.finishedOn = this.now();
      this.active.delete(job.id);
    }
  }
}`,
  },
  {
    name: 'Valid because a module that starts work once when loaded fails loud at startup, exported or not (seen in teable apps/nestjs-backend/src/index.ts:6, novu apps/api/migrations/changes-migration.ts:212; was an invalid case before issue 13)',
    code: `
(async () => {
  await worker.start();
})();
export const worker = createWorker();`,
  },
  {
    name: "Valid because a script's top-level bootstrap() is the process itself, also under requireTracking (seen in ghostfolio apps/api/src/main.ts:167; was an invalid case before issue 13)",
    options: [{ requireTracking: true }],
    code: `
export async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();`,
  },
  {
    name: 'Valid because every turn of the callee loop catches and logs (seen in documenso packages/lib/jobs/client/local.ts:108)',
    code: `
export class LocalJobs {
  startCron() {
    setTimeout(() => { void this.processCronTick().finally(() => this.startCron()); }, 1000);
  }
  private async processCronTick() {
    for (const cronJob of this.cronJobs) {
      try {
        await this.submit(cronJob);
      } catch (error) {
        console.error('cron tick failed', error);
      }
    }
  }
}`,
  },
  {
    name: 'Valid because Promise.allSettled collects every rejection of the async map callbacks (seen in dokploy packages/server/src/utils/docker/utils.ts:392)',
    code: `
export const cleanupAllBackground = async (serverId?: string) => {
  Promise.allSettled(
    commands.map(async (command) => {
      await execAsync(command);
    }),
  ).then((results) => console.log(results.length));
};`,
  },
  {
    name: 'Valid because browser code logs an unhandled rejection and goes on: no process to end (seen in medusa packages/admin/dashboard, teable apps/nextjs-app)',
    code: `
import { useEffect } from 'react';
export function useTable(request: () => Promise<Row[]>) {
  useEffect(() => {
    const handleRequest = async () => { setRows(await request()); };
    void handleRequest();
  }, [request]);
}`,
  },
  {
    name: 'Valid because a file that reads window/document is browser code even without a UI import (seen in outline shared/editor/plugins/UploadPlugin.ts, hoppscotch-common helpers)',
    code: `
async function loadMore() { const res = await fetch(window.location.href); render(await res.json()); }
export function onScroll() { void loadMore(); }`,
  },
  {
    name: "Valid because requireTracking: a queue's poll loop named runNextJobs is no job: it catches everything and re-arms itself with a timer, and a function of the file is judged by what it does, not by its name (seen in a public backend: vendure packages/core/src/job-queue/polling-job-queue-strategy.ts:162)",
    options: [{ requireTracking: true }],
    code: `
export class ActiveQueue {
  start() {
    this.running = true;
    const runNextJobs = async () => {
      try {
        const nextJob = await this.strategy.next(this.queueName);
        if (nextJob) this.activeJobs.push(nextJob);
      } catch (e) {
        this.errors.next(e);
      }
      if (this.running) this.timer = setTimeout(runNextJobs, this.pollInterval);
    };
    void runNextJobs();
  }
}`,
  },
  {
    name: 'Valid because e2e data population in a test-tooling folder runs under a test runner (seen in a public backend: vendure packages/testing/src/data-population/populate-for-testing.ts:57)',
    filename: '/repo/packages/testing/src/data-population/populate-for-testing.ts',
    code: `
export async function populateForTesting(app: App) {
  const pollInterval = setInterval(async () => {
    const { items } = await app.jobQueue.getJobs();
    if (items.length === 0) clearInterval(pollInterval);
  }, 500);
}`,
  },
  {
    name: 'Valid because a seed file is run by hand, like a script (seen in a public backend: nestjs-boilerplate src/database/seeds/)',
    filename: '/repo/src/database/seeds/relational/user/user-seed.service.ts',
    code: `
export class UserSeedService {
  run() {
    void this.createAdmin();
  }
  private async createAdmin() { await this.repository.save({ email: 'admin@example.com' }); }
}`,
  },
  {
    name: 'Valid because a .tsx file is a UI component (seen in dokploy apps/dokploy/components)',
    filename: 'profile-form.tsx',
    code: `
async function save() { await api.user.update(); }
export function onSubmit() { void save(); }`,
  },
  {
    name: 'Valid because test code is not production: a test runner reports the rejection (seen in medusa packages/core/utils/src/common/__tests__/graceful-shutdown-server.ts)',
    filename: '/repo/src/__tests__/shutdown.ts',
    code: `
async function shutdown() { await server.close(); }
export function stop() { void shutdown(); }`,
  },
  {
    name: 'Valid because a file that requires a test runner is test code (seen in a public backend: saltcorn deploy/playwright/pageobject/function.js)',
    filename: '/repo/deploy/playwright/pageobject/function.js',
    code: `
const { expect } = require('@playwright/test');
class PageFunctions {
  async fill(selector, text) { await this.page.fill(selector, text); }
  run() { this.fill('#name', 'x'); }
}
module.exports = PageFunctions;`,
  },
  {
    name: 'Valid because a file named test.js is a test suite (seen in a public backend: jhuckaby/Cronicle lib/test.js)',
    filename: '/repo/lib/test.js',
    code: `
async function cleanup() { await fs.promises.rm(tmp, { recursive: true }); }
export function tearDown() { void cleanup(); }`,
  },
  {
    name: "Valid because a script's top-level main() is the process itself: Node prints the rejection and exits (seen in outline server/scripts/20210716000000-backfill-revisions.ts:58, ghostfolio apps/api/src/main.ts:167)",
    code: `
async function main() {
  await Document.update({ migrated: true }, { where: {} });
}
main();`,
  },
  {
    name: 'Valid because a top-level async IIFE in a script fails fast and loud on purpose (seen in teable apps/nestjs-backend/src/index.ts:6, umami scripts/check-db.js:76)',
    code: `
(async () => {
  await checkDatabase();
})();`,
  },
  {
    name: 'Valid because page.evaluate callbacks run in the crawled page, so document there does not make a crawler browser code; the callee catches everything (seen in karakeep apps/workers/workers/crawler)',
    code: `
async function crawl(page: Page) {
  if (!page) return;
  try { await page.evaluate(() => document.title); } catch (error) { logger.error('crawl failed', error); }
}
export function start(page: Page) { void crawl(page); }`,
  },
  {
    name: 'Valid because the callee is a guard followed by a try/catch that logs (seen in novu apps/api/src/app/invites/usecases/accept-invite/accept-invite.usecase.ts:49)',
    code: `
export class AcceptInvite {
  async execute(command: Command) {
    this.sendInviterAcceptedEmail(command.inviter, command.member);
    return command.userId;
  }
  async sendInviterAcceptedEmail(inviter: User, member: Member) {
    if (!member.invite || !inviter.email) return;
    try {
      await this.mailer.send(inviter.email);
    } catch (e) {
      this.logger.error('failed to send', e);
    }
  }
}`,
  },
  {
    name: 'Valid because the callee runs a try/catch and then re-arms its timer (seen in a public backend: poll loops)',
    code: `
export class Poller {
  private timer?: NodeJS.Timeout;
  start() { void this.tick(); }
  private async tick() {
    try {
      await this.sync();
    } catch (error) {
      this.logger.error('poll failed', error);
    }
    this.timer = setTimeout(() => void this.tick(), 1000);
  }
}`,
  },
  {
    name: "Valid because a helper's every path ends in a handled chain (seen in a public backend)",
    code: `
async function notify(id: string) {
  if (!id) return;
  return mailer.send(id).catch((error) => logger.error('notify failed', error));
}
export function onSaved(id: string) { void notify(id); }`,
  },
  {
    name: 'Valid because an async function that awaits nothing cannot reject in practice (seen in a public backend)',
    code: `
export class Store {
  async invalidate(key: string) {
    this.cache.delete(key);
    this.version += 1;
  }
  onChange(key: string) { this.invalidate(key); }
}`,
  },
  {
    name: "Valid because a builder's .then(...) without evidence of a promise is a thenable, not a promise (seen in a public backend: schema builders)",
    code: `
export function migrate(schema: SchemaBuilder) {
  schema.createTable('users').then((table) => table.addColumn('id'));
}`,
  },
  {
    name: 'Valid because the variable already holds a caught promise, so .finally() on it cannot reject',
    code: `
class Indexer {
  private readonly tasks = new Set<Promise<void>>();
  onSaved(id: string) {
    const task = this.reindexInBackground(id).catch((error) => logger.error('reindex failed', error));
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
  },
  {
    name: 'Valid because the background call is awaited',
    code: `
class Indexer {
  async onSaved(id: string) { await this.reindexInBackground(id); }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
  },
  {
    name: 'Valid because the promise is returned to the caller',
    code: `
class Indexer {
  onSaved(id: string) { return this.reindexInBackground(id); }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
  },
  {
    name: 'Valid because the promise is stored, handled and tracked (floating-tasks example)',
    code: `
class Indexer {
  private readonly pending = new Set<Promise<void>>();
  async onSaved(id: string) {
    const task = this.reindexInBackground(id).catch((err) => logger.error('reindex failed', err));
    this.pending.add(task);
  }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
  },
  {
    name: 'Valid because .catch(handler) handles the rejection',
    code: `
class Indexer {
  onSaved(id: string) { this.reindexInBackground(id).catch((err) => logger.error('reindex failed', err)); }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
  },
  {
    name: 'Valid because .then(ok, onRejected) handles the rejection',
    code: `
async function sendWelcome(id: string) { await mailer.send(id); }
function onSignup(id: string) { sendWelcome(id).then(() => logger.info('sent'), (err) => logger.error('failed', err)); }`,
  },
  {
    name: 'Valid because .then(f).catch(handler) handles both the task and the continuation',
    code: `
function refresh() { fetch('/api/refresh').then((r) => r.json()).catch((err) => logger.error('refresh failed', err)); }`,
  },
  {
    name: 'Valid because .catch(handler).finally(cleanup) is handled',
    code: `
async function exportInBackground() { await storage.write(); }
function start() { exportInBackground().catch((err) => logger.error('export failed', err)).finally(() => metrics.done()); }`,
  },
  {
    name: 'Valid because waitUntil (Vercel/Cloudflare) tracks the promise',
    code: `
async function auditInBackground(id: string) { await audit.write(id); }
export function handler(id: string) { waitUntil(auditInBackground(id)); }`,
  },
  {
    name: 'Valid because this.tasks.add(...) tracks the promise',
    code: `
class Reports {
  start(id: string) { this.tasks.add(this.buildInBackground(id)); }
  private async buildInBackground(id: string) { await this.builder.build(id); }
}`,
  },
  {
    name: "Valid because the callee's whole body is a try/catch that does not rethrow (the seed's template)",
    code: `
class Exports {
  onRequest(id: string) { this.exportInBackground(id); }
  private async exportInBackground(id: string) {
    this.logger.log('export ' + id + ' started');
    try {
      await this.exporter.run(id);
    } catch (error) {
      this.logger.error('export ' + id + ' failed', error);
    }
  }
}`,
  },
  {
    name: 'Valid because void of a function that catches everything is a deliberate fire-and-forget',
    code: `
async function notifyInBackground(id: string) {
  try { await notifier.send(id); } catch (error) { logger.error('notify failed', error); }
}
function onPaid(id: string) { void notifyInBackground(id); }`,
  },
  {
    name: 'Valid because a statement-level call of a synchronous function returns no promise',
    code: `
class Cache {
  onSaved(id: string) { this.invalidate(id); }
  private invalidate(id: string) { this.map.delete(id); }
}`,
  },
  {
    name: 'Valid because setImmediate gets a synchronous callback',
    code: `
function later(id: string) { setImmediate(() => { metrics.increment(id); }); }`,
  },
  {
    name: 'Valid because the async setImmediate callback catches everything',
    code: `
function later(id: string) {
  setImmediate(async () => {
    try { await index.put(id); } catch (error) { logger.error('index failed', error); }
  });
}`,
  },
  {
    name: 'Valid because the timer serves an awaited promise (sleep)',
    code: `
async function backoff(ms: number) { await new Promise((resolve) => setTimeout(resolve, ms)); }`,
  },
  {
    name: 'Valid because an emitter listener method catches everything',
    code: `
class Listener {
  register() { this.emitter.on('saved', this.onSaved.bind(this)); }
  private async onSaved(id: string) {
    try { await index.put(id); } catch (error) { this.logger.error('index failed', error); }
  }
}`,
  },
  {
    name: 'Valid because BullMQ Worker records a failed job itself (it does not drop the promise)',
    code: `
const worker = new Worker('emails', async (job) => { await mailer.send(job.data); });`,
  },
  {
    name: 'Valid because a Bull queue.process handler promise is kept by Bull',
    code: `
emailQueue.process(async (job) => { await mailer.send(job.data); });`,
  },
  {
    name: "Valid because res.on('finish') gets a synchronous listener",
    code: `
app.get('/x', (req, res) => { res.on('finish', () => logger.info('done')); res.send('ok'); });`,
  },
  {
    name: 'Valid because Promise.allSettled(...).catch(handler) is handled',
    code: `
function flush(items: string[]) { Promise.allSettled(items.map((i) => store.put(i))).catch((err) => logger.error('flush failed', err)); }`,
  },
  {
    name: 'Valid because the arrow callback ends in .catch(handler)',
    code: `
async function reindex(id: string) { await index.put(id); }
function later(id: string) { setImmediate(() => reindex(id).catch((err) => logger.error('reindex failed', err))); }`,
  },
  {
    name: 'Valid because a configured tracker keeps the promise (option trackers)',
    options: [{ trackers: ['jobs.keep'] }],
    code: `
async function rebuildInBackground() { await search.rebuild(); }
function start() { jobs.keep(rebuildInBackground()); }`,
  },
  {
    name: 'Valid because an early-return guard and a plain return around the try/catch cannot throw',
    code: `
async function purgeInBackground(id?: string) {
  if (!id) return false;
  const label = \`purge \${id}\`;
  try { await store.purge(id); } catch (error) { logger.error(label, error); }
  return true;
}
function onDeleted(id: string) { purgeInBackground(id); }`,
  },
  {
    name: 'Valid because the async callbacks of an awaited Promise.all(map) run inside their parent',
    code: `
async function backgroundSync(jobs: Job[]) {
  await Promise.all(jobs.map(async (job) => { await job.run(); }));
}`,
  },
  {
    name: 'Valid because the async forEach callback catches everything',
    code: `
async function backgroundSync(jobs: Job[]) {
  jobs.forEach(async (job) => {
    try { await job.run(); } catch (error) { logger.error('job failed', error); }
  });
}`,
  },
  {
    name: 'Valid because the dropped retry(...) call is handled with .catch(handler)',
    code: `
async function backgroundSync() {
  retry(async () => { await remote.pull(); }).catch((err) => logger.error('sync failed', err));
}`,
  },
  {
    name: 'Valid because a synchronous IIFE returns no promise',
    code: `
(() => {
  worker.start();
})();`,
  },
  {
    name: 'Valid because an awaited async IIFE is handled by its caller',
    code: `
async function main() {
  await (async () => { await worker.start(); })();
}`,
  },
  {
    name: 'Valid because requireTracking: best-effort cleanup of a library object (pdf.destroy) is no job to lose on shutdown (seen in documenso/documenso)',
    options: [{ requireTracking: true }],
    code: `
async function renderPages(pdf: PdfDocument, task: RenderTask) {
  const pages = await render(pdf);
  void pdf.destroy().catch((e) => console.error(e));
  void task.destroy().catch((e) => console.error(e));
  return pages;
}`,
  },
  {
    name: 'Valid because requireTracking: best-effort telemetry (sdk.shutdown, analytics capture) is no job (seen in dittofeed/dittofeed)',
    options: [{ requireTracking: true }],
    code: `
function onSignal() {
  sdk.shutdown().then(() => logger.info('tracing stopped'), (err) => logger.error('tracing stop failed', err));
}
class Events {
  onLogin(user: User) { this.posthog.capture({ event: 'login', distinctId: user.id }).catch(() => undefined); }
}`,
  },
  {
    name: 'Valid because requireTracking: a cache write helper that sets no job status is no job (seen in novuhq/novu)',
    options: [{ requireTracking: true }],
    code: `
class IdempotencyInterceptor {
  private async setCache(key: string, body: unknown) { await this.cache.set(key, body); }
  intercept(key: string, body: unknown) { this.setCache(key, body).catch((err) => this.logger.warn('cache write failed', err)); }
}`,
  },
  {
    name: "Valid because requireTracking: a queue's own method that runs a job (this.runJob) is judged by what it does, not by its name (seen in Dokploy/dokploy)",
    options: [{ requireTracking: true }],
    code: `
class InMemoryQueue {
  private async runJob(job: InternalJob) {
    try { await this.processor(job); } catch (error) { console.error('job failed', error); }
  }
  private drain(job: InternalJob) { void this.runJob(job); }
}`,
  },
  {
    name: 'Valid because requireTracking is satisfied by a tracker',
    options: [{ requireTracking: true }],
    code: `
async function rebuildInBackground() { await search.rebuild(); }
function start() { tracker.track(rebuildInBackground().catch((err) => logger.error('rebuild failed', err))); }`,
  },
  {
    name: 'Valid because a handled chain inside a new Promise executor settles the outer promise its caller holds (seen in outline/outline)',
    options: [{ requireTracking: true }],
    code: `
function retry<T>(fn: () => Promise<T>, retriesLeft = 3): Promise<T> {
  return new Promise((resolve, reject) => {
    fn()
      .then(resolve)
      .catch((error) => {
        setTimeout(() => {
          retry(fn, retriesLeft - 1).then(resolve, reject);
        }, 1000);
      });
  });
}`,
  },
  {
    name: 'Valid because requireTracking does not apply to browser code, which has no process shutdown (seen in outline/outline)',
    options: [{ requireTracking: true }],
    code: `
import { action } from 'mobx';
export class UnfurlsStore {
  refresh(url: string) {
    void this.unfurl(url);
  }
  private unfurl = async (url: string) => {
    try { await client.post('/urls.unfurl', { url }); } catch (error) { Logger.error('unfurl failed', error); }
  };
}`,
  },
  {
    name: "Valid because a handled chain that hands its outcome to the caller's callback is tracked by that callback (seen in documenso/documenso)",
    options: [{ requireTracking: true }],
    code: `
export class MailChannelsTransport {
  public send(mail: MailMessage, callback: (err: Error | null, info: unknown) => void) {
    fetch(this.endpoint, { method: 'POST', body: JSON.stringify(mail.data) })
      .then((res) => {
        if (res.ok) return callback(null, { messageId: '' });
        res
          .json()
          .then((data) => callback(new Error(data.message), null))
          .catch((err) => callback(err, null));
      })
      .catch((err) => callback(err, null));
  }
}`,
  },
  {
    name: "Valid because a script's top-level main().catch(...) is the process itself, nothing to track (seen in Dokploy/dokploy, documenso/documenso)",
    options: [{ requireTracking: true }],
    code: `
async function main() {
  const records = await db.select().from(twoFactor);
  await rewrite(records);
}
main().catch((err) => {
  console.error('Migration failed:', err);
  process.exit(1);
});`,
  },
  {
    name: 'Valid because a promise already held by the object is only marked handled, not started (seen in ghostfolio/ghostfolio)',
    options: [{ requireTracking: true }],
    code: `
class PortfolioCalculator {
  private snapshotPromise: Promise<void>;
  constructor() {
    this.snapshotPromise = this.initialize();
    this.snapshotPromise.catch(() => undefined);
  }
  private async initialize() { await this.compute(); }
  async getSnapshot() { await this.snapshotPromise; }
}`,
  },
  {
    name: "Valid because Medusa's workflow when(...).then(...) is a step builder, not a promise (seen in medusajs/medusa)",
    code: `
export const updateCartWorkflow = createWorkflow('update-cart', (input) => {
  when({ input }, ({ input }) => {
    return !!input.region_id;
  }).then(() => {
    updateTaxLinesWorkflow.runAsStep({ input: { cart_id: input.id } });
  });
  return new WorkflowResponse(input);
});`,
  },
  {
    name: "Valid because a Cypress cy chain's .then(...) is a command chain, not a promise (seen in novuhq/novu)",
    code: `
it('opens the editor', () => {
  cy.window().then((win) => {
    win.localStorage.setItem('token', 'x');
  });
});`,
  },
  {
    name: 'Valid because flush returns a Result the file shows to be synchronous before its try, and the try/catch/finally catches everything (seen in NangoHQ/nango packages/utils/lib/batcher.ts:64)',
    code: `
import { Err, Ok, type Result } from './result';
export class Batcher<T> {
  add(...items: T[]): Result<void> {
    this.queue.push(...items);
    if (this.queue.length >= this.maxBatchSize) {
      void this.flush();
    }
    return Ok(undefined);
  }
  async flush(): Promise<Result<void>> {
    if (this.isFlushing) {
      return Ok(undefined);
    }
    this.isFlushing = true;
    const batch = this.queue.splice(0, this.maxBatchSize);
    const retryKey = this.retry?.key ?? randomUUID();
    try {
      await this.process(batch, { retryKey });
      return Ok(undefined);
    } catch (err) {
      this.queue.unshift(...batch);
      return Err(new Error('Batcher failed to process batch'));
    } finally {
      this.isFlushing = false;
    }
  }
}`,
  },
  {
    name: 'Valid because flushAll returns a tracing wrapper whose only callback handles its rejection, and .finally only resets a flag (seen in langfuse/langfuse worker/src/services/ClickhouseWriter/index.ts:95)',
    code: `
export class ClickhouseWriter {
  start() {
    this.intervalId = setInterval(() => {
      if (this.inProgress) return;
      this.inProgress = true;
      this.flushAll().finally(() => {
        this.inProgress = false;
      });
    }, this.writeInterval);
  }
  async flushAll(fullQueue = false) {
    return instrumentAsync({ name: 'write-to-clickhouse' }, async () => {
      recordIncrement('clickhouse_writer.request');
      await Promise.all([this.flush('traces', fullQueue), this.flush('scores', fullQueue)]).catch((err) => {
        logger.error('ClickhouseWriter.flushAll', err);
      });
    });
  }
}`,
  },
  {
    name: 'Valid because the loop awaits a same-file wait that only resolves and everything else inside try/catch (seen in NangoHQ/nango packages/tasks/lib/processor.ts:63)',
    code: `
export class TaskProcessor {
  start(): void {
    void this.processingLoop();
  }
  private async processingLoop(): Promise<void> {
    while (this.status === 'running') {
      await this.waitForCapacity();
      try {
        const tasks = await this.scheduler.dequeue({ limit: 10 });
        for (const task of tasks) this.queue.add(task);
      } catch (err) {
        this.logger.error('failed to dequeue', err);
      }
    }
  }
  private waitForCapacity(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.once('next', () => resolve());
    });
  }
}`,
  },
  {
    name: 'Valid because revalidate returns, inside try/finally, a same-file callee that catches everything (seen in NangoHQ/nango packages/usage/lib/usage.ts:144)',
    code: `
export class UsageTracker {
  async get(accountId: number) {
    const entry = await this.cache.get(accountId);
    if (entry.stale) {
      void this.revalidate(accountId);
    }
    return entry;
  }
  async revalidate(accountId: number): Promise<void> {
    const span = tracer.startSpan('usage.revalidate');
    try {
      return await this._revalidate(accountId);
    } finally {
      span?.finish();
    }
  }
  private async _revalidate(accountId: number): Promise<void> {
    try {
      const count = await connectionService.countByAccountId(accountId);
      await this.cache.overwrite(accountId, count);
    } catch (err) {
      logger.error('Failed to revalidate usage', err);
    }
  }
}`,
  },
];

const invalid: Invalid[] = [
  {
    name: 'Invalid because a top-level setInterval repeats: it is a job, not the startup, and a setImmediate inside a function is background work',
    code: `
setInterval(async () => {
  await db.query('select 1');
}, 1000);
export function later() {
  setImmediate(async () => {
    await db.query('select 2');
  });
}`,
    errors: [
      { messageId: 'floatingCallback', line: 2, data: { dispatcher: 'setInterval' } },
      { messageId: 'floatingCallback', line: 6, data: { dispatcher: 'setImmediate' } },
    ],
  },
  {
    name: 'Invalid because the callbacks mapped into the dropped Promise.all await outside any try',
    code: `
class DownloadTracker {
  updateRadarrDownloads() {
    const servers = settings.radarr.filter((s) => s.syncEnabled);
    Promise.all(
      servers.map(async (server) => {
        const radarr = new RadarrAPI({ url: buildUrl(server) });
        const queue = await radarr.getQueue();
        this.radarrServers[server.id] = queue;
      }),
    );
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 5,
        data: { task: 'Promise.all', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
class DownloadTracker {
  updateRadarrDownloads() {
    const servers = settings.radarr.filter((s) => s.syncEnabled);
    Promise.all(
      servers.map(async (server) => {
        const radarr = new RadarrAPI({ url: buildUrl(server) });
        const queue = await radarr.getQueue();
        this.radarrServers[server.id] = queue;
      }),
    ).catch((error) => console.error('Promise.all failed', error));
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because the .then after the .catch hands back a promise that can reject',
    code: `
export class FeatureFlags {
  refresh() {
    Promise.resolve()
      .then(() => this.fetchFlags())
      .catch(Logger.e)
      .then(() => this.fetchFlags());
  }
  async fetchFlags() {
    const r = await fetch('https://example.com/flags');
    this.flags = await r.json();
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'Promise.resolve', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export class FeatureFlags {
  refresh() {
    Promise.resolve()
      .then(() => this.fetchFlags())
      .catch(Logger.e)
      .then(() => this.fetchFlags()).catch((error) => console.error('Promise.resolve failed', error));
  }
  async fetchFlags() {
    const r = await fetch('https://example.com/flags');
    this.flags = await r.json();
  }
}`,
          },
        ],
      },
    ],
  },
  // Invalid because src/api/public/ is a server's public API, not static assets (near miss of the public/ folder)
  {
    name: 'Invalid because a public folder inside src is server code',
    code: `
const Chats = {};
Chats.init = function () {
  setTimeout(async () => {
    await api.put('/chats/read');
  }, 100);
};`,
    filename: '/repo/src/api/public/chats.ts',
    errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setTimeout', logger: 'console' } }],
  },
  // Invalid because an imported object's chain passes a repository (an ioReceivers name): the dropped promise can reject (issue 13, round 6)
  {
    name: 'Invalid because the dropped function reads through a repository of an imported registry',
    code: `
import { services } from './services';
export function onSaved(id: string) { void rebuild(id); }
async function rebuild(id: string) {
  const rows = await services.reportRepository.findBy({ id });
  cache.set(id, rows);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'rebuild', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { services } from './services';
export function onSaved(id: string) { rebuild(id).catch((error) => console.error('rebuild failed', error)); }
async function rebuild(id: string) {
  const rows = await services.reportRepository.findBy({ id });
  cache.set(id, rows);
}`,
          },
        ],
      },
    ],
  },
  // Invalid because what an imported singleton's accessor returns is not the import itself: still seen (seen in a public backend: nocobase packages/core/server/src/gateway/ws-server.ts:242)
  {
    name: "Invalid because the dropped function awaits a method of an imported class's instance",
    code: `
import { Gateway } from './gateway';
export function onConnect(req: Request) { void setClientApp(req); }
async function setClientApp(req: Request) {
  const name = await Gateway.getInstance().getRequestHandleAppName(req);
  clients.set(name, req);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'setClientApp', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { Gateway } from './gateway';
export function onConnect(req: Request) { setClientApp(req).catch((error) => console.error('setClientApp failed', error)); }
async function setClientApp(req: Request) {
  const name = await Gateway.getInstance().getRequestHandleAppName(req);
  clients.set(name, req);
}`,
          },
        ],
      },
    ],
  },
  // Invalid because an ioMethods name (a query) may reject on whatever imported object runs it
  {
    name: 'Invalid because an interval callback awaits a count query on an imported object',
    code: `
import { jobs } from './jobs';
setInterval(async () => {
  total = await jobs.count({ where: { state: 'active' } });
}, 5000);`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setInterval', logger: 'console' } }],
  },
  {
    name: 'Invalid because flush returns an I/O call before its try: nothing shows persist to be synchronous (near miss of the nango batcher)',
    code: `
export class Batcher {
  add(item: Item) { void this.flush(); }
  async flush() {
    if (this.queue.length === 1) return persist(this.queue);
    try { await this.process(this.queue.splice(0)); } catch (err) { logger.error('flush failed', err); }
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'this.flush', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
export class Batcher {
  add(item: Item) { this.flush().catch((error) => logger.error('this.flush failed', error)); }
  async flush() {
    if (this.queue.length === 1) return persist(this.queue);
    try { await this.process(this.queue.splice(0)); } catch (err) { logger.error('flush failed', err); }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a callback parameter returned by a generic wrapper is no synchronous helper: wrap<T> may hand back a promise (near miss of the nango batcher)',
    code: `
function wrap<T>(fn: () => T): T { return fn(); }
export class Runner {
  start(job: () => Promise<void>) { void this.run(job); }
  async run(fn: () => Promise<void>) {
    if (this.stopped) return fn();
    try { await fn(); } catch (err) { logger.error('run failed', err); }
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'this.run', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
function wrap<T>(fn: () => T): T { return fn(); }
export class Runner {
  start(job: () => Promise<void>) { this.run(job).catch((error) => logger.error('this.run failed', error)); }
  async run(fn: () => Promise<void>) {
    if (this.stopped) return fn();
    try { await fn(); } catch (err) { logger.error('run failed', err); }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because the awaited wait can reject: its executor takes reject (near miss of the nango task processor)',
    code: `
export class TaskProcessor {
  start(): void { void this.processingLoop(); }
  private async processingLoop(): Promise<void> {
    await this.waitForCapacity();
    try { await this.dequeue(); } catch (err) { logger.error('failed', err); }
  }
  private waitForCapacity(): Promise<void> {
    return new Promise<void>((resolve, reject) => { this.queue.once('next', resolve); this.queue.once('error', reject); });
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'this.processingLoop', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
export class TaskProcessor {
  start(): void { this.processingLoop().catch((error) => logger.error('this.processingLoop failed', error)); }
  private async processingLoop(): Promise<void> {
    await this.waitForCapacity();
    try { await this.dequeue(); } catch (err) { logger.error('failed', err); }
  }
  private waitForCapacity(): Promise<void> {
    return new Promise<void>((resolve, reject) => { this.queue.once('next', resolve); this.queue.once('error', reject); });
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because the callee returned inside try/finally rethrows from its catch (near miss of the nango usage tracker)',
    code: `
export class UsageTracker {
  touch(accountId: number) { void this.revalidate(accountId); }
  async revalidate(accountId: number): Promise<void> {
    try {
      return await this._revalidate(accountId);
    } finally {
      span.finish();
    }
  }
  private async _revalidate(accountId: number): Promise<void> {
    try { await this.cache.overwrite(accountId, 1); } catch (err) { logger.error('failed', err); throw err; }
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'this.revalidate', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
export class UsageTracker {
  touch(accountId: number) { this.revalidate(accountId).catch((error) => logger.error('this.revalidate failed', error)); }
  async revalidate(accountId: number): Promise<void> {
    try {
      return await this._revalidate(accountId);
    } finally {
      span.finish();
    }
  }
  private async _revalidate(accountId: number): Promise<void> {
    try { await this.cache.overwrite(accountId, 1); } catch (err) { logger.error('failed', err); throw err; }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because the mutex callback awaits a helper that lets its failure escape (near miss of the karakeep batching queue)',
    code: `
export class BatchingQueue {
  add(doc: Doc) { void this.flush(); }
  private async flush(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      await this.index.add(this.pending.splice(0));
    });
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'this.flush', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export class BatchingQueue {
  add(doc: Doc) { this.flush().catch((error) => console.error('this.flush failed', error)); }
  private async flush(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      await this.index.add(this.pending.splice(0));
    });
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because an await before the loop of try/catch can still reject (near miss of the documenso cron tick)',
    code: `
export class LocalJobs {
  tick() { void this.processCronTick(); }
  private async processCronTick() {
    const jobs = await this.loadJobs();
    for (const job of jobs) {
      try { await this.submit(job); } catch (error) { console.error('failed', error); }
    }
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'this.processCronTick', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export class LocalJobs {
  tick() { this.processCronTick().catch((error) => console.error('this.processCronTick failed', error)); }
  private async processCronTick() {
    const jobs = await this.loadJobs();
    for (const job of jobs) {
      try { await this.submit(job); } catch (error) { console.error('failed', error); }
    }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a missing await lets the write escape its transaction and reject unhandled (seen in teable apps/nestjs-backend/src/features/calculation/link.service.ts:929)',
    code: `
export class LinkService {
  private async saveOneMany(field: Field) {
    if (field.isOneWay) {
      this.saveManyMany(field);
      return;
    }
  }
  private async saveManyMany(field: Field) {
    await this.prismaService.txClient().$executeRawUnsafe(field.query);
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 5,
        data: { task: 'this.saveManyMany', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export class LinkService {
  private async saveOneMany(field: Field) {
    if (field.isOneWay) {
      this.saveManyMany(field).catch((error) => console.error('this.saveManyMany failed', error));
      return;
    }
  }
  private async saveManyMany(field: Field) {
    await this.prismaService.txClient().$executeRawUnsafe(field.query);
  }
}`,
          },
          {
            messageId: 'addAwait',
            data: { task: 'this.saveManyMany' },
            output: `
export class LinkService {
  private async saveOneMany(field: Field) {
    if (field.isOneWay) {
      await this.saveManyMany(field);
      return;
    }
  }
  private async saveManyMany(field: Field) {
    await this.prismaService.txClient().$executeRawUnsafe(field.query);
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because an async method is called and dropped (floating-tasks example, line 7)',
    code: `
class Indexer {
  async onSaved(id: string) {
    this.reindexInBackground(id);
  }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        column: 5,
        data: { task: 'this.reindexInBackground', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
class Indexer {
  async onSaved(id: string) {
    this.reindexInBackground(id).catch((error) => console.error('this.reindexInBackground failed', error));
  }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
          },
          {
            messageId: 'addAwait',
            data: { task: 'this.reindexInBackground' },
            output: `
class Indexer {
  async onSaved(id: string) {
    await this.reindexInBackground(id);
  }
  private async reindexInBackground(id: string) { await index.put(id); }
}`,
          },
        ],
      },
    ],
  },
  {
    name: "Invalid because void does not handle a rejection; the suggestion uses the class's this.logger",
    code: `
class Billing {
  charge(id: string) {
    void this.chargeInBackground(id);
  }
  private async chargeInBackground(id: string) {
    this.logger.error('never');
    await this.gateway.charge(id);
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'this.chargeInBackground', logger: 'this.logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'this.logger' },
            output: `
class Billing {
  charge(id: string) {
    this.chargeInBackground(id).catch((error) => this.logger.error('this.chargeInBackground failed', error));
  }
  private async chargeInBackground(id: string) {
    this.logger.error('never');
    await this.gateway.charge(id);
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: "Invalid because an async function declared in this file is dropped; the suggestion uses the file's logger",
    code: `
import { logger } from './logger';
async function syncUsers() { await users.sync(); logger.info('synced'); }
export function boot() {
  syncUsers();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 5,
        data: { task: 'syncUsers', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
import { logger } from './logger';
async function syncUsers() { await users.sync(); logger.info('synced'); }
export function boot() {
  syncUsers().catch((error) => logger.error('syncUsers failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because .then(f) has no rejection handler',
    code: `
function refresh() {
  fetch('/api/refresh').then((r) => r.json());
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'fetch', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
function refresh() {
  fetch('/api/refresh').then((r) => r.json()).catch((error) => console.error('fetch failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because .finally(f) alone passes the rejection on',
    code: `
async function run() {
  lock.acquire().finally(() => lock.release());
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'lock.acquire', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
async function run() {
  lock.acquire().finally(() => lock.release()).catch((error) => console.error('lock.acquire failed', error));
}`,
          },
          {
            messageId: 'addAwait',
            data: { task: 'lock.acquire' },
            output: `
async function run() {
  await lock.acquire().finally(() => lock.release());
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a dropped new Promise(...) rejects unhandled',
    code: `
function warm() {
  new Promise((resolve, reject) => cache.load((err) => (err ? reject(err) : resolve(null))));
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'new Promise', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
function warm() {
  new Promise((resolve, reject) => cache.load((err) => (err ? reject(err) : resolve(null)))).catch((error) => console.error('new Promise failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a dropped Promise.all(...) rejects unhandled',
    code: `
function flush(items: string[]) {
  Promise.all(items.map((i) => store.put(i)));
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'Promise.all', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
function flush(items: string[]) {
  Promise.all(items.map((i) => store.put(i))).catch((error) => console.error('Promise.all failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because .catch(handler).then(f) leaves the continuation unhandled',
    code: `
async function importInBackground() { await importer.run(); }
function start() {
  importInBackground().catch((err) => logger.error('import failed', err)).then(() => metrics.done());
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'importInBackground', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
async function importInBackground() { await importer.run(); }
function start() {
  importInBackground().catch((err) => logger.error('import failed', err)).then(() => metrics.done()).catch((error) => logger.error('importInBackground failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because .catch() without a handler handles nothing',
    code: `
async function importInBackground() { await importer.run(); }
function start() {
  importInBackground().catch();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'importInBackground', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
async function importInBackground() { await importer.run(); }
function start() {
  importInBackground().catch((error) => console.error('importInBackground failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because the callee catches but rethrows',
    code: `
async function exportInBackground(id: string) {
  try { await exporter.run(id); } catch (error) { logger.error('export failed', error); throw error; }
}
function onRequest(id: string) { exportInBackground(id); }`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 5,
        column: 34,
        data: { task: 'exportInBackground', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
async function exportInBackground(id: string) {
  try { await exporter.run(id); } catch (error) { logger.error('export failed', error); throw error; }
}
function onRequest(id: string) { exportInBackground(id).catch((error) => logger.error('exportInBackground failed', error)); }`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because work after the try/catch is not covered',
    code: `
async function exportInBackground(id: string) {
  try { await exporter.run(id); } catch (error) { logger.error('export failed', error); }
  await exporter.cleanup(id);
}
function onRequest(id: string) { exportInBackground(id); }`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 6,
        data: { task: 'exportInBackground', logger: 'logger' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'logger' },
            output: `
async function exportInBackground(id: string) {
  try { await exporter.run(id); } catch (error) { logger.error('export failed', error); }
  await exporter.cleanup(id);
}
function onRequest(id: string) { exportInBackground(id).catch((error) => logger.error('exportInBackground failed', error)); }`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because void of an unknown callee named as background work',
    code: `
function onSaved(id: string) {
  void this.search.reindexInBackground(id);
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 3,
        data: { task: 'search.reindexInBackground', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
function onSaved(id: string) {
  this.search.reindexInBackground(id).catch((error) => console.error('search.reindexInBackground failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because setTimeout drops the async callback promise (floating-tasks example, line 10)',
    code: `
class Indexer {
  onSaved(id: string) {
    setTimeout(async () => {
      await index.put(id);
    }, 1000);
  }
}`,
    errors: [{ messageId: 'floatingCallback', line: 4, column: 5, data: { dispatcher: 'setTimeout', logger: 'console' } }],
  },
  {
    name: 'Invalid because setImmediate drops the async callback promise',
    code: `
function later(id: string) { setImmediate(async () => { await index.put(id); }); }`,
    errors: [{ messageId: 'floatingCallback', line: 2, data: { dispatcher: 'setImmediate', logger: 'console' } }],
  },
  {
    name: 'Invalid because setInterval drops the async callback promise',
    code: `
import { logger } from './logger';
setInterval(async () => { await cleanup.run(); logger.info('cleaned'); }, 60_000);`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setInterval', logger: 'logger' } }],
  },
  {
    name: 'Invalid because process.nextTick drops the async callback promise',
    code: `
function later() { process.nextTick(async () => { await queue.drain(); }); }`,
    errors: [{ messageId: 'floatingCallback', line: 2, data: { dispatcher: 'process.nextTick', logger: 'console' } }],
  },
  {
    name: 'Invalid because queueMicrotask drops the async callback promise',
    code: `
function later() { queueMicrotask(async () => { await queue.drain(); }); }`,
    errors: [{ messageId: 'floatingCallback', line: 2, data: { dispatcher: 'queueMicrotask', logger: 'console' } }],
  },
  {
    name: 'Invalid because an event emitter drops the async listener promise',
    code: `
eventEmitter.on('user.created', async (user) => { await mailer.welcome(user); });`,
    errors: [{ messageId: 'floatingCallback', line: 2, data: { dispatcher: 'eventEmitter.on', logger: 'console' } }],
  },
  {
    name: "Invalid because res.on('finish') drops the async listener promise",
    code: `
app.post('/orders', (req, res) => {
  res.on('finish', async () => { await audit.write(req.body.id); });
  res.send('ok');
});`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'res.on', logger: 'console' } }],
  },
  {
    name: 'Invalid because a bound async method given to setImmediate does not catch',
    code: `
class Sync {
  start() { setImmediate(this.syncInBackground.bind(this)); }
  private async syncInBackground() { await this.remote.pull(); }
}`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setImmediate', logger: 'console' } }],
  },
  {
    name: 'Invalid because an arrow callback returns a promise of an async function that setImmediate drops',
    code: `
async function reindex(id: string) { await index.put(id); }
function later(id: string) { setImmediate(() => reindex(id)); }`,
    errors: [{ messageId: 'floatingCallback', line: 3, data: { dispatcher: 'setImmediate', logger: 'console' } }],
  },
  {
    name: 'Invalid because cron.schedule drops the async job promise',
    code: `
cron.schedule('0 * * * *', async () => { await reports.build(); });`,
    errors: [{ messageId: 'floatingCallback', line: 2, data: { dispatcher: 'cron.schedule', logger: 'console' } }],
  },
  {
    name: 'Invalid because forEach drops the promises of its async callbacks inside a background task',
    code: `
async function backgroundSync(jobs: Job[]) {
  jobs.forEach(async (job) => {
    await job.run();
  });
}`,
    errors: [{ messageId: 'floatingCallback', line: 3, column: 3, data: { dispatcher: 'jobs.forEach', logger: 'console' } }],
  },
  {
    name: 'Invalid because requireTracking: a request starts a deploy, a long job, with only a catch: a restart loses it',
    options: [{ requireTracking: true }],
    code: `
import { deploy } from '@/server/queues/utils';
export const redeploy = protectedProcedure.mutation(async ({ input }) => {
  const jobData = { applicationId: input.applicationId, type: 'redeploy' };
  deploy(jobData).catch((error) => {
    console.error('Background deployment failed:', error);
  });
  return true;
});`,
    errors: [{ messageId: 'untrackedTask', line: 5, data: { task: 'deploy' } }],
  },
  {
    name: 'Invalid because requireTracking: a detached helper that marks the restore running is a job',
    options: [{ requireTracking: true }],
    code: `
class Restores {
  private async restore(id: string) {
    await this.restores.update(id, { status: 'running' });
    await this.docker.restore(id);
    await this.restores.update(id, { status: 'done' });
  }
  start(id: string) { this.restore(id).catch((err) => this.logger.error('restore failed', err)); }
}`,
    errors: [{ messageId: 'untrackedTask', line: 8, data: { task: 'this.restore' } }],
  },
  {
    name: 'Invalid because requireTracking: a local runRestore awaits a restore started elsewhere (restore*), long work a shutdown cuts off (seen in dokploy apps/dokploy/server/api/routers/backup.ts:611)',
    options: [{ requireTracking: true }],
    code: `
import { restorePostgresBackup } from '@dokploy/server';
export const restore = protectedProcedure.subscription(async ({ input }) => {
  const runRestore = async () => {
    await restorePostgresBackup(input.databaseId, input.backupFile);
  };
  runRestore().catch((error) => console.error('restore failed', error));
});`,
    errors: [{ messageId: 'untrackedTask', line: 7, data: { task: 'runRestore' } }],
  },
  {
    name: 'Invalid because requireTracking wants a handled fire-and-forget tracked',
    options: [{ requireTracking: true }],
    code: `
async function rebuildInBackground() { await search.rebuild(); }
function start() { rebuildInBackground().catch((err) => logger.error('rebuild failed', err)); }`,
    errors: [{ messageId: 'untrackedTask', line: 3, data: { task: 'rebuildInBackground' } }],
  },
  {
    name: 'Invalid because requireTracking still wants a handled chain tracked when its handler only logs through a parameter',
    options: [{ requireTracking: true }],
    code: `
async function rebuildInBackground() { await search.rebuild(); }
function start(logger: Logger) { rebuildInBackground().catch((err) => logger.error('rebuild failed', err)); }`,
    errors: [{ messageId: 'untrackedTask', line: 3, data: { task: 'rebuildInBackground' } }],
  },
  {
    name: 'Invalid because requireTracking still wants a chain tracked that tells its callback only about success (near miss from medusajs/medusa)',
    options: [{ requireTracking: true }],
    code: `
async function startInBackground() { await hooks.start(); }
function onApplicationStart(done?: () => void) {
  startInBackground()
    .then(() => { done?.(); })
    .catch(() => undefined);
}`,
    errors: [{ messageId: 'untrackedTask', line: 4, data: { task: 'startInBackground' } }],
  },
  {
    name: 'Invalid because requireTracking wants a self-catching fire-and-forget tracked too',
    options: [{ requireTracking: true }],
    code: `
async function rebuildInBackground() {
  try { await search.rebuild(); } catch (error) { logger.error('rebuild failed', error); }
}
function start() { void rebuildInBackground(); }`,
    errors: [{ messageId: 'untrackedTask', line: 5, data: { task: 'rebuildInBackground' } }],
  },
  {
    name: 'Invalid because an unhandled fire-and-forget of a local async closure floats in server code',
    code: `
export function startSync(request: () => Promise<Row[]>) {
  const handleRequest = async () => { store.save(await request()); };
  void handleRequest();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        column: 3,
        data: { task: 'handleRequest', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
export function startSync(request: () => Promise<Row[]>) {
  const handleRequest = async () => { store.save(await request()); };
  handleRequest().catch((error) => console.error('handleRequest failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    name: 'Invalid because a .then(f) on a member-held promise still has no rejection handler',
    code: `
class Cache {
  private warmup: Promise<void>;
  refresh() {
    this.warmup.then(() => this.ready());
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 5,
        column: 5,
        data: { task: 'this.warmup', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
class Cache {
  private warmup: Promise<void>;
  refresh() {
    this.warmup.then(() => this.ready()).catch((error) => console.error('this.warmup failed', error));
  }
}`,
          },
        ],
      },
    ],
  },
];

/** Cases where type information finds a floating promise that one file cannot show. */
const typeAwareFinds: { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] }[] = [
  {
    syntacticName: 'Valid because without type information an imported function is not known to return a promise',
    typedName: 'Invalid because (type-aware) reindexAll from another file returns a promise',
    code: `
import { reindexAll } from './tasks';
export function onSaved() {
  reindexAll();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'reindexAll', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { reindexAll } from './tasks';
export function onSaved() {
  reindexAll().catch((error) => console.error('reindexAll failed', error));
}`,
          },
        ],
      },
    ],
  },
  {
    syntacticName: "Valid because without type information an injected service's method is not known to be async",
    typedName: 'Invalid because (type-aware) IndexService.reindex, declared in another file, is async',
    code: `
import { IndexService } from './tasks';
export class Controller {
  constructor(private readonly index: IndexService) {}
  async save(id: string) {
    this.index.reindex(id);
  }
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 6,
        data: { task: 'index.reindex', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { IndexService } from './tasks';
export class Controller {
  constructor(private readonly index: IndexService) {}
  async save(id: string) {
    this.index.reindex(id).catch((error) => console.error('index.reindex failed', error));
  }
}`,
          },
          {
            messageId: 'addAwait',
            data: { task: 'index.reindex' },
            output: `
import { IndexService } from './tasks';
export class Controller {
  constructor(private readonly index: IndexService) {}
  async save(id: string) {
    await this.index.reindex(id);
  }
}`,
          },
        ],
      },
    ],
  },
  {
    syntacticName: 'Valid because without type information a function reference from another file is opaque',
    typedName: 'Invalid because (type-aware) setImmediate drops the promise of reindexAll from another file',
    code: `
import { reindexAll } from './tasks';
export function onSaved() {
  setImmediate(reindexAll);
}`,
    errors: [{ messageId: 'floatingCallback', line: 4, data: { dispatcher: 'setImmediate', logger: 'console' } }],
  },
  {
    syntacticName: 'Valid because without type information void of an imported function is taken as deliberate',
    typedName: 'Invalid because (type-aware) rethrowingReindex from another file rethrows after its catch',
    code: `
import { rethrowingReindex } from './tasks';
export function onSaved() {
  void rethrowingReindex();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'rethrowingReindex', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { rethrowingReindex } from './tasks';
export function onSaved() {
  rethrowingReindex().catch((error) => console.error('rethrowingReindex failed', error));
}`,
          },
        ],
      },
    ],
  },
];

/** Cases where type information clears a report: the callee in another file catches everything. */
const typeAwareClears: { syntacticName: string; typedName: string; code: string; errors: Invalid['errors'] }[] = [
  {
    syntacticName: 'Invalid because, assuming unseen calls reject (strict), void of an imported background function may reject',
    typedName: 'Valid because (type-aware) refreshInBackground, in another file, catches everything',
    code: `
import { refreshInBackground } from './tasks';
export function onSaved() {
  void refreshInBackground();
}`,
    errors: [
      {
        messageId: 'floatingTask',
        line: 4,
        data: { task: 'refreshInBackground', logger: 'console' },
        suggestions: [
          {
            messageId: 'addCatch',
            data: { logger: 'console' },
            output: `
import { refreshInBackground } from './tasks';
export function onSaved() {
  refreshInBackground().catch((error) => console.error('refreshInBackground failed', error));
}`,
          },
        ],
      },
    ],
  },
];

typeAwareClears.push({
  syntacticName: 'Invalid because, assuming unseen calls reject (strict), void of an imported background function may reject (guarded callee)',
  typedName: 'Valid because (type-aware) purgeInBackground, in another file, is an early-return guard plus a try/catch',
  code: `
import { purgeInBackground } from './tasks';
export function onDeleted(id: string) {
  void purgeInBackground(id);
}`,
  errors: [
    {
      messageId: 'floatingTask',
      line: 4,
      data: { task: 'purgeInBackground', logger: 'console' },
      suggestions: [
        {
          messageId: 'addCatch',
          data: { logger: 'console' },
          output: `
import { purgeInBackground } from './tasks';
export function onDeleted(id: string) {
  purgeInBackground(id).catch((error) => console.error('purgeInBackground failed', error));
}`,
        },
      ],
    },
  ],
});

invalid.push({
  name: 'Invalid because an imported helper named as a process call does I/O, unseen or not (seen in a public backend: Dokploy packages/server/src/services/certificate.ts:56, execAsyncRemote over ssh)',
  code: `
import { execAsyncRemote } from '../utils/process';
async function createCertificateFiles(serverId: string, command: string) {
  await execAsyncRemote(serverId, command);
}
export function createCertificate(serverId: string, command: string) {
  createCertificateFiles(serverId, command);
  return { ok: true };
}`,
  errors: [
    {
      messageId: 'floatingTask',
      line: 7,
      data: { task: 'createCertificateFiles' },
      suggestions: [
        { messageId: 'addCatch', data: { logger: 'console' }, output: `
import { execAsyncRemote } from '../utils/process';
async function createCertificateFiles(serverId: string, command: string) {
  await execAsyncRemote(serverId, command);
}
export function createCertificate(serverId: string, command: string) {
  createCertificateFiles(serverId, command).catch((error) => console.error('createCertificateFiles failed', error));
  return { ok: true };
}` },
      ],
    },
  ],
});

invalid.push({
  name: 'Invalid because a .catch() with no handler handles nothing, and says its author expects a rejection even from an unseen imported call (seen in a public backend: kutt server/cron.js:6)',
  code: `
import query from '../queries';
export function cleanup() {
  query.link.batchRemove({ expired: true }).catch();
}`,
  errors: [
    {
      messageId: 'floatingTask',
      line: 4,
      data: { task: 'link.batchRemove' },
      suggestions: [{ messageId: 'addCatch', data: { logger: 'console' }, output: `
import query from '../queries';
export function cleanup() {
  query.link.batchRemove({ expired: true }).catch((error) => console.error('link.batchRemove failed', error));
}` }],
    },
  ],
});

invalid.push({
  name: 'Invalid because an imported pub/sub client publishes over the network, unseen or not (seen in a public backend: erxes backend/plugins/frontline_api/src/modules/inbox/graphql/resolvers/mutations/conversations.ts:747)',
  code: `
import { graphqlPubsub } from '~/pubsub';
const publishConversationsChanged = async (ids: string[]) => {
  for (const id of ids) {
    await graphqlPubsub.publish(\`conversationChanged:\${id}\`, { id });
  }
};
export const conversationResolve = async (ids: string[]) => {
  publishConversationsChanged(ids);
  return ids;
};`,
  errors: [
    {
      messageId: 'floatingTask',
      line: 9,
      data: { task: 'publishConversationsChanged' },
      suggestions: [
        { messageId: 'addCatch', data: { logger: 'console' }, output: `
import { graphqlPubsub } from '~/pubsub';
const publishConversationsChanged = async (ids: string[]) => {
  for (const id of ids) {
    await graphqlPubsub.publish(\`conversationChanged:\${id}\`, { id });
  }
};
export const conversationResolve = async (ids: string[]) => {
  publishConversationsChanged(ids).catch((error) => console.error('publishConversationsChanged failed', error));
  return ids;
};` },
        { messageId: 'addAwait', data: { task: 'publishConversationsChanged' }, output: `
import { graphqlPubsub } from '~/pubsub';
const publishConversationsChanged = async (ids: string[]) => {
  for (const id of ids) {
    await graphqlPubsub.publish(\`conversationChanged:\${id}\`, { id });
  }
};
export const conversationResolve = async (ids: string[]) => {
  await publishConversationsChanged(ids);
  return ids;
};` },
      ],
    },
  ],
});

/** Valid in both modes, and only type information can tell why. */
const typeAwareValid: Valid[] = [
  {
    name: 'Valid because an imported helper this file does not show is no evidence of a rejection (seen in a public backend: inbox-zero apps/web/utils/ai/assistant/chat-calendar-tools.ts:38, trackToolCall returning posthogCaptureEvent, which catches)',
    code: `
import { posthogCaptureEvent } from '@/utils/posthog';
async function trackToolCall(tool: string, email: string) {
  return posthogCaptureEvent(email, 'AI Assistant Chat Tool Call', { tool });
}
export async function execute(email: string) {
  trackToolCall('get_calendar_events', email);
  return listEvents(email);
}`,
  },
  {
    name: 'Valid because void of an imported error reporter is no evidence of a rejection (seen in a public backend: openstatus apps/workflows/src/cron/index.ts:71, reportBackgroundError from ../lib/sentry)',
    code: `
import { reportBackgroundError } from '../lib/sentry';
export async function runCron() {
  try {
    await checkAll();
  } catch (e) {
    console.error('cron failed', e);
    void reportBackgroundError(e);
  }
}`,
  },
  {
    name: 'Valid because safeReindexAll, in another file, catches everything (type-aware) or is unknown (syntactic)',
    code: `
import { safeReindexAll } from './tasks';
export function onSaved() { safeReindexAll(); }`,
  },
  {
    name: 'Valid because IndexService.refresh is synchronous',
    code: `
import { IndexService } from './tasks';
export function onSaved(index: IndexService) { index.refresh('1'); }`,
  },
  {
    name: 'Valid because IndexService.safeReindex catches everything',
    code: `
import { IndexService } from './tasks';
export function onSaved(index: IndexService) { void index.safeReindex('1'); }`,
  },
];

createRuleTester().run('no-floating-background-task (syntactic)', rule, {
  valid: [
    ...valid,
    ...typeAwareValid,
    ...typeAwareFinds.map(({ syntacticName, code }) => ({ name: syntacticName, code })),
  ],
  invalid: [
    ...invalid,
    // Without type information an imported callee is unseen: only the strict configs assume it rejects.
    ...typeAwareClears.map(({ syntacticName, code, errors }) => ({ name: syntacticName, code, errors, settings: ASSUME_UNSEEN_CALLS_REJECT })),
  ],
});

createTypedRuleTester().run('no-floating-background-task (type-aware)', rule, {
  // Cases with their own file name lie outside the typed fixture project.
  valid: [...valid.filter((c) => typeof c === 'string' || c.filename === undefined), ...typeAwareValid, ...typeAwareClears.map(({ typedName, code }) => ({ name: typedName, code }))],
  invalid: [...invalid.filter((c) => c.filename === undefined), ...typeAwareFinds.map(({ typedName, code, errors }) => ({ name: typedName, code, errors }))],
});
