/**
 * Issue 13, round 20: the false classes left open on validation set 55, each fixed as a class once
 * that set had been judged. Every valid case names the public code it was seen in; each has an
 * invalid near miss that stays reported, so that precision is not bought with recall.
 */
import statusUpdates from '../../src/rules/require-status-updates.js';
import dispatchInTransaction from '../../src/rules/no-dispatch-in-transaction.js';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import { describe, expect, it } from 'vitest';
import { reportsInRepository, temporaryRepositories } from '../temp-repositories.js';
import { createRuleTester } from '../rule-tester.js';

/**
 * ilelaboye/Masamasa_BE src/modules/quidax/quidax-wallet.cron.ts:195-222: an hourly job saves wallets
 * whose `status` is `Status.active`, an enum (declared in wallet.entity.ts) of `active | disabled`.
 */
const walletBackfill = (extra: string) => `
import { Cron, CronExpression } from '@nestjs/schedule';
import { Status } from '../wallet/wallet.entity';

export class QuidaxWalletCron {
  @Cron(CronExpression.EVERY_HOUR)
  async backfillNewUserWallets() {
    const users = await this.userRepository.find({ take: 100 });
    for (const user of users) {
      try {
        const address = await this.quidax.createAddress(user.id);
        await this.walletRepository.save({ user, address, status: Status.active });
      } catch (error) {
        this.logger.error(\`backfill failed for \${user.id}\`, error);
      }
    }
  }
${extra}
}
`;

createRuleTester().run('require-status-updates (round 20: an imported enum whose active is a steady state)', statusUpdates, {
  valid: [
    {
      name: "Valid because Status.active is a wallet's steady state: the file names no completed or failed status (seen in a public backend: Masamasa_BE quidax-wallet.cron.ts:195)",
      code: walletBackfill(''),
    },
    {
      name: 'Valid because a logger call named like a status (Logger.error) is not a failed status value',
      code: walletBackfill("  report() { Logger.error('backfill report'); }"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the same file writes a failed status elsewhere, so active is a job step that can be left stuck',
      code: walletBackfill("  async fail(id: string) { await this.jobRepository.update(id, { status: 'failed' }); }"),
      errors: [
        { messageId: 'stuckInProgress', line: 12 },
        { messageId: 'catchWithoutFailedStatus', line: 13 },
      ],
    },
    {
      name: 'Invalid because JobStatus.FAILED names the end of the same kind of step in this file',
      code: walletBackfill('  async fail(id: string) { await this.jobRepository.update(id, { status: JobStatus.FAILED }); }'),
      errors: [
        { messageId: 'stuckInProgress', line: 12 },
        { messageId: 'catchWithoutFailedStatus', line: 13 },
      ],
    },
  ],
});

const repository = temporaryRepositories('bgtask-round20-');

/** Neither no-floating-background-task nor require-background-error-handling reports `code` linted as `relative` in `root`. */
function expectNoRejectionReports(root: string, relative: string, code: string): void {
  expect(reportsInRepository(floating as never, root, relative, code)).toEqual([]);
  expect(reportsInRepository(errorHandling as never, root, relative, code)).toEqual([]);
}

/** ldurans/izing.open.io backend/src/models/ApiMessage.ts:93-107: an `@AfterUpdate` hook enqueues a webhook. */
const API_MESSAGE = `
import { AfterUpdate, Column, Model, Table } from 'sequelize-typescript';
import Queue from '../libs/Queue';

@Table
class ApiMessage extends Model<ApiMessage> {
  @Column
  messageId: string;

  @AfterUpdate
  static HookMessage(instance: ApiMessage): void {
    if (instance.urlMessageStatus) {
      Queue.add('WebHooksAPI', { url: instance.urlMessageStatus, payload: { messageId: instance.messageId } });
    }
  }
}
export default ApiMessage;
`;

const UPSERT_WITHOUT_TRANSACTION = `
import ApiMessage from '../models/ApiMessage';
export async function upsertMessage(id: string, ack: number) {
  const message = await ApiMessage.findByPk(id);
  await message.update({ ack });
}
`;

describe('round 20: Sequelize hooks in a project that never opens a transaction', () => {
  const izingPackage = JSON.stringify({ name: 'izing-backend', private: true, dependencies: { 'sequelize-typescript': '^2.1.0', bull: '^4.10.0' } });

  it('does not report the hook when no file opens or passes a transaction (seen in a public backend: izing.open.io models/ApiMessage.ts:107)', () => {
    const root = repository({ 'package.json': izingPackage, 'src/services/UpsertMessage.ts': UPSERT_WITHOUT_TRANSACTION });
    expect(reportsInRepository(dispatchInTransaction as never, root, 'src/models/ApiMessage.ts', API_MESSAGE)).toEqual([]);
  });

  it('reports the hook when another file updates inside sequelize.transaction (the hook then runs before the commit)', () => {
    const root = repository({
      'package.json': izingPackage,
      'src/services/UpsertMessage.ts': `
import sequelize from '../database';
import ApiMessage from '../models/ApiMessage';
export async function upsertMessage(id: string, ack: number) {
  await sequelize.transaction(async (transaction) => {
    const message = await ApiMessage.findByPk(id, { transaction });
    await message.update({ ack }, { transaction });
  });
}
`,
    });
    expect(reportsInRepository(dispatchInTransaction as never, root, 'src/models/ApiMessage.ts', API_MESSAGE)).toEqual(['dispatchInTransaction']);
  });

  it('keeps reporting a TypeORM @AfterInsert hook: TypeORM saves in a transaction of its own', () => {
    const root = repository({ 'package.json': JSON.stringify({ name: 'api', private: true, dependencies: { typeorm: '^0.3.17' } }) });
    const code = `
import { AfterInsert, Entity } from 'typeorm';
@Entity()
export class Order {
  @AfterInsert()
  notify() {
    this.queue.add('order-created', { id: this.id });
  }
}
`;
    expect(reportsInRepository(dispatchInTransaction as never, root, 'src/entities/order.entity.ts', code)).toEqual(['dispatchInTransaction']);
  });
});

/** citrineos/citrineos-core 02_Util/src/queue/kafka/receiver.ts:137-195: a Kafka receiver's shutdown. */
const KAFKA_RECEIVER = (teardown: string) => `
import { Consumer, Kafka } from 'kafkajs';

export class KafkaReceiver {
  private _consumer: Consumer;

  async shutdown(): Promise<void> {
    ${teardown}
  }

  register(module: { on(event: string, fn: () => void): void }) {
    module.on('close', () => {
      void this.shutdown();
    });
  }
}
`;

describe('round 20: kafkajs disconnect cannot reject', () => {
  const kafkaPackage = (version: string) => JSON.stringify({ name: 'util', private: true, dependencies: { kafkajs: version } });

  it('does not report a dropped shutdown that only disconnects a kafkajs 2 consumer (seen in a public backend: citrineos-core receiver.ts:195)', () => {
    const root = repository({ 'package.json': kafkaPackage('^2.2.4') });
    const code = KAFKA_RECEIVER('await this._consumer.disconnect();');
    expectNoRejectionReports(root, 'src/queue/kafka/receiver.ts', code);
  });

  it('keeps reporting a shutdown that also awaits work that can fail', () => {
    const root = repository({ 'package.json': kafkaPackage('^2.2.4') });
    const code = KAFKA_RECEIVER("await this._consumer.disconnect();\n    await this.repository.update({ id: this.id }, { status: 'stopped' });");
    expect(reportsInRepository(floating as never, root, 'src/queue/kafka/receiver.ts', code)).toEqual(['floatingTask']);
  });

  it('keeps reporting a disconnect when the package does not depend on kafkajs 2', () => {
    const root = repository({ 'package.json': JSON.stringify({ name: 'util', private: true, dependencies: {} }) });
    const code = KAFKA_RECEIVER('await this._consumer.disconnect();');
    expect(reportsInRepository(floating as never, root, 'src/queue/kafka/receiver.ts', code)).toEqual(['floatingTask']);
  });
});

/**
 * thxprotocol/monorepo apps/api/src/app/services/TwitterQueryService.ts:16-21,147: the constructor of
 * a class the module builds once, when it is loaded, drops a query that defines the agenda jobs.
 */
const moduleSingleton = (exportLine: string, classPrefix = '') => `
import { TwitterQuery } from '../models';
import { agenda } from '../util/agenda';

${classPrefix}class TwitterQueryService {
  constructor() {
    TwitterQuery.find({}).then((queries) => queries.map((query) => agenda.define(query.jobName, this.searchJob)));
  }

  async searchJob(job) {
    await this.run(job.attrs.data.queryId);
  }

  async list(poolId: string) {
    return await TwitterQuery.find({ poolId });
  }
}

${exportLine}
`;

const BUILT_AGAIN = 'export default new TwitterQueryService();\nexport function fresh() { return new TwitterQueryService(); }';

/** The code with the suggested `.catch` appended to the dropped chain. */
const withCatch = (code: string) =>
  code.replace('this.searchJob)));', "this.searchJob))).catch((error) => console.error('TwitterQuery.find failed', error));");

createRuleTester().run('no-floating-background-task (round 20: a class the module builds once at load)', floating, {
  valid: [
    {
      name: 'Valid because the module builds its only instance when it is loaded, so the constructor runs once at boot (seen in a public backend: thxprotocol TwitterQueryService.ts:18)',
      code: moduleSingleton('export default new TwitterQueryService();'),
    },
    {
      name: 'Valid because the one instance is held in a module constant and exported from there',
      code: moduleSingleton('const service = new TwitterQueryService();\nexport default service;'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the class is exported too: other modules may build it per request',
      code: moduleSingleton('export default new TwitterQueryService();', 'export '),
      errors: [{ messageId: 'floatingTask', line: 7, suggestions: [{ messageId: 'addCatch', output: withCatch(moduleSingleton('export default new TwitterQueryService();', 'export ')) }] }],
    },
    {
      name: 'Invalid because a function builds the class again, later than boot',
      code: moduleSingleton(BUILT_AGAIN),
      errors: [{ messageId: 'floatingTask', line: 7, suggestions: [{ messageId: 'addCatch', output: withCatch(moduleSingleton(BUILT_AGAIN)) }] }],
    },
  ],
});

/**
 * SocialGouv/ozensemble api/src/cronjobs.js:15-55: a cron wrapper calls the job it is given inside a
 * `try` without awaiting it, so the `catch` never sees the job's rejection.
 */
const cronLauncher = (jobCall: string, testJob: string) => `
const cron = require('node-cron');
const { notificationsCronJob } = require('./utils/notifications');

cron.schedule('* * * * *', async () => {
  await launchCronJob('notifications', notificationsCronJob);
  await launchCronJob('test', ${testJob});
});

const launchCronJob = async (name, job) => {
  try {
    ${jobCall}
  } catch (e) {
    capture(e, { level: 'error', extra: { name } });
  }
};
`;

createRuleTester().run('no-floating-background-task (round 20: a parameter handed an async function)', floating, {
  valid: [
    {
      name: 'Valid because the wrapper awaits the job inside its try',
      code: cronLauncher('await job();', "async () => { console.log('test cron job'); }"),
    },
    {
      name: 'Valid because the only function handed to the parameter in this file is synchronous',
      code: cronLauncher('job();', "() => { console.log('test cron job'); }"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because a call in this file hands the parameter an async function, so job() makes a promise the try cannot catch (seen in a public backend: ozensemble api/src/cronjobs.js:50)',
      code: cronLauncher('job();', "async () => { console.log('test cron job'); }"),
      errors: [
        {
          messageId: 'floatingTask',
          line: 12,
          suggestions: [
            { messageId: 'addCatch', output: cronLauncher("job().catch((error) => console.error('job failed', error));", "async () => { console.log('test cron job'); }") },
            { messageId: 'addAwait', output: cronLauncher('await job();', "async () => { console.log('test cron job'); }") },
          ],
        },
      ],
    },
  ],
});

/** energywebfoundation/ssi-hub src/modules/sentry/sentry.service.ts:106-122 and src/main.ts:33-37. */
const SENTRY_SERVICE = (integrations: string) => `
import * as Sentry from '@sentry/node';
import { ConfigService } from '@nestjs/config';

export class SentryService {
  constructor(private readonly configService: ConfigService) {}

  init(app) {
    Sentry.init({
      dsn: this.configService.get('SENTRY_DNS'),
      integrations: [${integrations}],
    });
  }
}
`;
const NEST_MAIN = `
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { SentryService } from './modules/sentry/sentry.service';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  new SentryService(app.get(ConfigService)).init(app.getHttpAdapter().getInstance());
  await app.listen(3000);
}
bootstrap();
`;
const SYNC_INTERVAL = `
export function startSync(service) {
  setInterval(async () => {
    await service.syncAssets();
  }, 60000);
}
`;

describe("round 20: Sentry's unhandled-rejection integration set to warn", () => {
  const nestPackage = JSON.stringify({ name: 'ssi-hub', private: true, dependencies: { '@nestjs/core': '^9.0.0', '@sentry/node': '7.120.3' } });

  it('hears the rejection when the product sets up OnUnhandledRejection({ mode: "warn" }), whatever the DSN source (seen in a public backend: ssi-hub sentry.service.ts:122)', () => {
    const root = repository({
      'package.json': nestPackage,
      'src/main.ts': NEST_MAIN,
      'src/modules/sentry/sentry.service.ts': SENTRY_SERVICE("new Sentry.Integrations.OnUnhandledRejection({ mode: 'warn' })"),
    });
    expect(reportsInRepository(floating as never, root, 'src/modules/assets/sync.ts', SYNC_INTERVAL)).toEqual([]);
  });

  it('keeps reporting when the integration is left at its default and the DSN comes from configuration no example lists', () => {
    const root = repository({
      'package.json': nestPackage,
      'src/main.ts': NEST_MAIN,
      'src/modules/sentry/sentry.service.ts': SENTRY_SERVICE('new Sentry.Integrations.Http({ tracing: true })'),
    });
    expect(reportsInRepository(floating as never, root, 'src/modules/assets/sync.ts', SYNC_INTERVAL)).toEqual(['floatingCallback']);
  });

  it("keeps reporting when the integration is told to exit (mode: 'strict')", () => {
    const root = repository({
      'package.json': nestPackage,
      'src/main.ts': NEST_MAIN,
      'src/modules/sentry/sentry.service.ts': SENTRY_SERVICE("Sentry.onUnhandledRejectionIntegration({ mode: 'strict' })"),
    });
    expect(reportsInRepository(floating as never, root, 'src/modules/assets/sync.ts', SYNC_INTERVAL)).toEqual(['floatingCallback']);
  });
});

/** SquirrelCorporation/SquirrelServersManager server/src/modules/containers/.../watcher-engine.service.ts:70-71,400-402. */
const watcherEngine = (hook: string) => `
import { Injectable, OnModuleInit } from '@nestjs/common';

@Injectable()
export class WatcherEngineService implements OnModuleInit {
  constructor(private readonly registryRepository: RegistryRepository) {}

  ${hook} {
    void this.init();
  }

  async init() {
    const registries = await this.registryRepository.findAll();
    this.registries = registries;
  }
}
`;

createRuleTester().run('no-floating-background-task (round 20: NestJS startup hooks)', floating, {
  valid: [
    {
      name: 'Valid because onModuleInit runs once when the application starts: a failure there fails the boot loudly (seen in a public backend: SquirrelServersManager watcher-engine.service.ts:71)',
      code: watcherEngine('onModuleInit()'),
    },
    {
      name: 'Valid because onApplicationBootstrap runs once too',
      code: watcherEngine('async onApplicationBootstrap()'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because a method the application calls on each event is not a startup hook',
      code: watcherEngine('onContainerEvent()'),
      errors: [{ messageId: 'floatingTask', line: 9, suggestions: [{ messageId: 'addCatch', output: watcherEngine('onContainerEvent()').replace('void this.init();', "this.init().catch((error) => console.error('this.init failed', error));") }] }],
    },
  ],
});

/** multiversx/mx-api-service src/crons/cache.warmer/cache.warmer.service.ts:80-152: cron ticks await `@Lock` methods. */
const CACHE_WARMER = (decorator: string) => `
import { Injectable } from '@nestjs/common';
import { CronJob } from 'cron';
import { Lock } from '@multiversx/sdk-nestjs-common';

@Injectable()
export class CacheWarmerService {
  constructor(private readonly identitiesService: IdentitiesService, private readonly cachingService: CacheService) {
    const job = new CronJob('*/7 * * * *', async () => await this.handleIdentityInvalidations());
    job.start();
  }

  ${decorator}
  async handleIdentityInvalidations() {
    const identities = await this.identitiesService.getAllIdentitiesRaw();
    await this.cachingService.set('identities', identities);
  }
}
`;

describe('round 20: methods whose decorator catches what they throw', () => {
  const mxPackage = (version: string) =>
    JSON.stringify({ name: 'mx-api-service', private: true, dependencies: { '@nestjs/schedule': '3.0.3', cron: '2.4.1', '@multiversx/sdk-nestjs-common': version } });

  it("does not report a cron tick that awaits a @Lock method: sdk-nestjs-common 6's Locker catches and logs (seen in a public backend: mx-api-service cache.warmer.service.ts:80)", () => {
    const root = repository({ 'package.json': mxPackage('6.0.0') });
    const code = CACHE_WARMER("@Lock({ name: 'Identities invalidations', verbose: true })");
    expectNoRejectionReports(root, 'src/crons/cache.warmer/cache.warmer.service.ts', code);
  });

  it('keeps reporting without the decorator, or with a version the entry does not vouch for', () => {
    const bare = repository({ 'package.json': mxPackage('6.0.0') });
    expect(reportsInRepository(floating as never, bare, 'src/crons/cache.warmer/cache.warmer.service.ts', CACHE_WARMER(''))).toEqual(['floatingCallback']);
    const older = repository({ 'package.json': mxPackage('^2.0.0') });
    const code = CACHE_WARMER("@Lock({ name: 'Identities invalidations' })");
    expect(reportsInRepository(floating as never, older, 'src/crons/cache.warmer/cache.warmer.service.ts', code)).toEqual(['floatingCallback']);
  });

  /** mx-api-service cache.warmer.service.ts:72-76,110-115: a helper schedules the callback it is given. */
  const configured = (given: string) => `
import { Injectable } from '@nestjs/common';
import { CronJob } from 'cron';
import { Lock } from '@multiversx/sdk-nestjs-common';

@Injectable()
export class CacheWarmerService {
  constructor(private readonly tokenService: TokenService) {
    this.configCronJob('handleTokenAssetsInvalidations', '* * * * *', ${given});
  }

  @Lock({ name: 'Token assets invalidations' })
  async handleTokenAssetsInvalidations() {
    await this.tokenService.refreshAssets();
  }

  private configCronJob(name: string, cronTime: string, callback: () => Promise<void>) {
    const cronJob = new CronJob(cronTime, async () => await callback());
    cronJob.start();
  }
}
`;

  it('does not report the scheduled call of a parameter when every call of the helper hands it a function that cannot reject (seen in a public backend: mx-api-service cache.warmer.service.ts:112)', () => {
    const root = repository({ 'package.json': mxPackage('6.0.0') });
    const code = configured('async () => await this.handleTokenAssetsInvalidations()');
    expectNoRejectionReports(root, 'src/crons/cache.warmer/cache.warmer.service.ts', code);
  });

  it('keeps reporting when a call hands the parameter a function that can reject', () => {
    const root = repository({ 'package.json': mxPackage('6.0.0') });
    const code = configured('async () => await this.tokenService.refreshAssets()');
    expect(reportsInRepository(floating as never, root, 'src/crons/cache.warmer/cache.warmer.service.ts', code)).toEqual(['floatingCallback']);
  });
});
