/**
 * Issue 13, round 16: the false classes found on held-out sets 40 to 43, each fixed as a class.
 * Every valid case names the public code it was seen in; each has an invalid near miss that stays
 * reported, so that precision is not bought with recall.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import lifecycle from '../../src/rules/require-lifecycle-logging.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import statusUpdates from '../../src/rules/require-status-updates.js';
import { clearForeignModules } from '../../src/analysis/tasks/foreign-callees.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';
import { reportsInRepository, temporaryRepositories } from '../temp-repositories.js';

const foreignCaller = path.resolve(import.meta.dirname, '../../fixtures/foreign/legacy-routes.cjs');

afterEach(() => clearForeignModules());

/** A CommonJS route module that loads its ES tracker lazily and drops the wrapper's promise (ban-plateforme lib/api/legacy-routes.cjs:60). */
const lazyTracker = (exported: string, load = "await import('./analytics-tracker.js')") => `
const sendToTracker = async ({ url, ...params } = {}) => {
  const module = ${load};
  if (!module.${exported}) {
    console.warn('Legacy-routes: sendToTracker not found');
    return;
  }
  return module.${exported}({ url, ...params });
};

module.exports = {
  authError(req, res, next) {
    sendToTracker({ url: req.url });
    next?.();
  },
};
`;

/** nerimity-server src/index.ts:307: a sweep that re-arms itself after a promise timer from a default import. */
const sweep = (handled = true) => `
import timers from 'timers/promises';
import { prisma } from './prisma';
async function removeExpiredSuspensions() {
  await prisma.suspension.deleteMany({ where: { expireAt: { lte: new Date() } } })${handled ? `.catch((err) => {
    console.error(err);
  })` : ''};
  await timers.setTimeout(60000);
  removeExpiredSuspensions();
}
export function start() {
  removeExpiredSuspensions();
}
`;

/** akash-network/console apps/indexer/src/scheduler.ts:113: a ping promise held in a `let`, continued with `.finally`. */
const pingScheduler = (pingStart: string) => `
export class Scheduler {
  private runTask(task: Task): void {
    let pingStartPromise = Promise.resolve();
    if (this.config.healthchecksEnabled) {
      pingStartPromise = this.healthchecksPingStart(task);
    }
    task.runningPromise = task
      .function()
      .then(() => {
        pingStartPromise.finally(() => this.healthchecksPingSuccess(task));
      })
      .catch((err) => {
        this.config.errorHandler?.(task, err);
      });
  }
  private async healthchecksPingStart(task: Task): Promise<void> {
    ${pingStart}
  }
  private async healthchecksPingSuccess(task: Task): Promise<void> {
    if (!task.healthchecksConfig) return;
    try {
      await fetch(\`https://hc-ping.com/\${task.healthchecksConfig.id}\`);
    } catch (err) {
      console.error('ping failed', err);
    }
  }
}
`;

/** akash-network/console stream-lifecycle-manager.service.ts:104: a Promise.withResolvers() whose reject is never read. */
const firstAttempt = (settle: string) => `
export class StreamLifecycleManager {
  private readonly pending = new Set<Promise<void>>();
  start(): void {
    const firstAttempt = Promise.withResolvers<void>();
    this.pending.add(firstAttempt.promise);
    this.runStream(${settle});
    firstAttempt.promise.finally(() => {
      this.pending.delete(firstAttempt.promise);
    });
  }
  private runStream(onSettled: (error?: unknown) => void): void {
    setImmediate(onSettled);
  }
}
`;

/** landgriffon cookie-traceability/src/lib/flowmap/layers/FlowMapLayer.ts:115: a deck.gl layer's picking handler. */
const mapLayer = `
import { CompositeLayer } from '@deck.gl/core/typed';
export default class FlowMapLayer extends CompositeLayer {
  onHover(info) {
    this._getFlowLayerPickingInfo(info).then((picked) => this.props.onHover?.(picked));
  }
  async _getFlowLayerPickingInfo(info) {
    const flow = await this.state.dataProvider.getFlowByIndex(info.index);
    return { ...info, flow };
  }
}
`;

/** nerimity-server src/index.ts:276: a sweep whose Prisma transaction is chained to a logging catch. */
const ipSweep = (handler: string) => `
import { prisma } from './prisma';
import { redisClient } from './redis';
async function removeIPAddressSchedule() {
  prisma
    .$transaction(async (tx) => {
      const devices = await tx.userDevice.findMany({ take: 100 });
      if (devices.length === 0) return;
      await redisClient.del(devices.map((d) => d.sessionId));
      await tx.userDevice.deleteMany({ where: { id: { in: devices.map((d) => d.id) } } });
    })${handler}
    .finally(() => {
      setTimeout(removeIPAddressSchedule, 1000 * 60 * 60);
    });
}
export function start() {
  setTimeout(removeIPAddressSchedule, 1000);
}
`;

/** topcoder-platform/tc-project-service src/routes/phaseApprovals/create.js:84: the rollback is gated by a lodash check. */
const phaseApproval = (gate: string) => `
const _ = require('lodash');
module.exports = [
  async (req, res, next) => {
    let transaction;
    try {
      transaction = await models.sequelize.transaction();
      const created = await models.ProjectPhaseApproval.create(req.body, { transaction });
      await transaction.commit();
      res.json(created);
    } catch (err) {
      if (${gate}) {
        await transaction.rollback();
      }
      next(err);
    }
  },
];
`;

/** terra-money/fcd-classic src/service/transaction/getTxList.ts:153: a query runner that never starts a transaction. */
const txList = (begin: string) => `
import { getConnection } from 'typeorm';
export async function getTxFromAccount(subQuery: string, params: unknown[]) {
  const queryRunner = getConnection().createQueryRunner('slave');${begin}
  try {
    await queryRunner.query('SET enable_indexscan=false');
    return await queryRunner.query(subQuery, params);
  } finally {
    await queryRunner.query('SET enable_indexscan=true');
    queryRunner.release();
  }
}
`;

/** OriginTrail/ot-node src/commands/command-executor.js:73, shortened: the catch hands the failure to _handleError. */
const commandExecutor = (failedWrite: string) => `
import async from 'async';
import { COMMAND_STATUS } from '../constants/constants.js';

class CommandExecutor {
  constructor(ctx) {
    this.logger = ctx.logger;
    this.repositoryModuleManager = ctx.repositoryModuleManager;
    this.queue = async.queue((command, callback = () => {}) => {
      this._execute(command)
        .then((result) => callback(result))
        .catch((error) => {
          this.logger.error(\`Something went really wrong! OT-node shutting down... \${error}\`);
          process.exit(1);
        });
    }, 1);
  }

  async _execute(command) {
    const handler = this.commandResolver.resolve(command.name);
    try {
      await this._process(async (transaction) => {
        await this._update(command, { status: COMMAND_STATUS.STARTED }, transaction);
        await handler.execute(command, transaction);
        await this._update(command, { status: COMMAND_STATUS.COMPLETED }, transaction);
      }, command.transactional);
    } catch (e) {
      try {
        await this._handleError(command, handler, e);
      } catch (error) {
        this.logger.warn(\`Failed to handle error callback for command \${command.name}, error: \${error.message}\`);
      }
    }
  }

  async _process(execFn, transactional) {
    if (transactional) {
      return this.repositoryModuleManager.transaction(execFn);
    }
    return execFn(null);
  }

  async _handleError(command, handler, error) {
    if (command.retries > 0) {
      await this._update(command, { retries: command.retries - 1 });
      await this.add(command, command.delay ?? 0, false);
    } else {
      ${failedWrite}
      this.logger.warn(\`Error in command: \${command.name}, error: \${error.message}\`);
    }
  }

  async _update(command, update, transaction = null) {
    Object.assign(command, update);
    await this.repositoryModuleManager.updateCommand(update, { where: { id: command.id }, transaction });
  }
}

export default CommandExecutor;
`;

/** The dropped tracker call of `lazyTracker`, reported with its catch suggestion. */
const lazyTrackerReported = (name: string, code: string) => ({
  name,
  code,
  filename: foreignCaller,
  settings: NONE,
  errors: [
    {
      messageId: 'floatingTask' as const,
      line: 13,
      suggestions: [
        {
          messageId: 'addCatch' as const,
          output: code.replace('    sendToTracker({ url: req.url });', "    sendToTracker({ url: req.url }).catch((error) => console.error('sendToTracker failed', error));"),
        },
      ],
    },
  ],
});

/** samourai-dojo pushtx/orchestrator.js:73: the whole body in a try whose finally gives a semaphore back. */
const blockHandler = (release: string) => `
export class Orchestrator {
  initSockets() {
    this.blkSock.on('message', (topic, message) => {
      if (topic.toString() === 'hashblock') this.onBlockHash(message);
    });
  }
  async onBlockHash(buf) {
    try {
      await this._onBlockHashSemaphor.acquire();
      const header = await this.rpcClient.getblockheader(buf.toString('hex'), true);
      await db.pushScheduledTransactions(header.height);
    } catch (e) {
      Logger.error(e, 'Orchestrator : onBlockHash()');
    } finally {
      await ${release}.release();
    }
  }
}
`;

/** api-subventions-asso packages/front/src/lib/components/GrantDashboard/GrantDashboard.controller.ts:66: a SvelteKit page controller. */
const dashboardController = (modalImport: string) => `
${modalImport}
export class GrantDashboardController {
  load(siret: string) {
    this.loadGrants(siret);
  }
  private async loadGrants(siret: string) {
    const response = await fetch(\`/api/grants/\${siret}\`);
    this.grants.set(await response.json());
  }
}
`;

/** vigieau-ddt-back src/commune/commune.service.ts:24: a NestJS singleton loads its reference data from its constructor. */
const communeService = (decorator: string) => `
import { Injectable, Scope } from '@nestjs/common';
${decorator}
export class CommuneService {
  constructor(private readonly communeRepository: Repository<Commune>) {
    this.initDatas();
  }
  async initDatas() {
    const communes = await this.communeRepository.count();
    this.cache = communes;
  }
}
`;

const serverLayer = mapLayer.replace("import { CompositeLayer } from '@deck.gl/core/typed';", "import { CompositeLayer } from './composite-layer';");

createRuleTester().run('no-floating-background-task (round 16 classes)', floating, {
  valid: [
    // Valid because `timers` is the default import of 'timers/promises', whose setTimeout only resolves without a signal (seen in a public backend: nerimity-server src/index.ts:58)
    { name: 'Valid because the re-armed sweep awaits only a handled query and a timers/promises timer from a default import (nerimity index.ts:58)', code: sweep(), settings: NONE },
    // Valid because every value of the let is Promise.resolve() or a method that catches everything (seen in a public backend: akash-network/console apps/indexer/src/scheduler.ts:125)
    {
      name: 'Valid because the held ping promise and its finally handler cannot reject (akash scheduler.ts:125)',
      code: pingScheduler("if (!task.healthchecksConfig) return;\n    try {\n      await fetch('https://hc-ping.com/start');\n    } catch (err) {\n      console.error('ping failed', err);\n    }"),
      settings: NONE,
    },
    // Valid because nothing reads the resolvers' reject (seen in a public backend: akash-network/console stream-lifecycle-manager.service.ts:110)
    { name: 'Valid because the withResolvers promise is never rejected (akash stream-lifecycle-manager.service.ts:110)', code: firstAttempt('firstAttempt.resolve'), settings: NONE },
    // Valid because the container builds an @Injectable() once, at boot: a load its constructor drops fails loud at startup (seen in a public backend: vigieau-ddt-back src/commune/commune.service.ts:24, config.service.ts:14, departement.service.ts:25)
    { name: "Valid because a NestJS singleton's constructor starts its load at boot (vigieau-ddt-back commune.service.ts:24)", code: communeService('@Injectable()'), settings: NONE },
    // Valid because the callee's finally only gives an in-process semaphore back (seen in a public backend: samourai-dojo pushtx/orchestrator.js:59)
    { name: 'Valid because the handler catches everything and its finally releases a semaphore (samourai-dojo orchestrator.js:59)', code: blockHandler('this._onBlockHashSemaphor'), settings: NONE },
    // Valid because a file that imports a Svelte component runs in a page (seen in a public app: api-subventions-asso GrantDashboard.controller.ts:66)
    { name: 'Valid because the controller imports a .svelte component (api-subventions-asso GrantDashboard.controller.ts:66)', code: dashboardController("import Modal from './Modal.svelte';"), settings: NONE },
    // Valid because a file that imports deck.gl renders a map layer in a page (seen in a public app: landgriffon cookie-traceability FlowMapLayer.ts:115)
    { name: 'Valid because a deck.gl layer runs in the browser (landgriffon FlowMapLayer.ts:115)', code: mapLayer, settings: NONE, filename: '/repo/app/src/lib/flowmap/FlowMapLayer.ts' },
    // Valid because the lazily loaded module's function catches everything, and loading one of the project's own modules fails only on a broken deployment (seen in a public backend: ban-plateforme lib/api/legacy-routes.cjs:92)
    { name: 'Valid because the wrapper loads the project module with await import and calls its catching export (ban-plateforme legacy-routes.cjs:92)', code: lazyTracker('sendToTracker'), filename: foreignCaller, settings: NONE },
  ],
  invalid: [
    {
      name: 'Invalid: the sweep awaits a query without a handler',
      code: sweep(false),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 10,
          suggestions: [
            {
              messageId: 'addCatch',
              output: sweep(false).replace('export function start() {\n  removeExpiredSuspensions();', "export function start() {\n  removeExpiredSuspensions().catch((error) => console.error('removeExpiredSuspensions failed', error));"),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid: a request-scoped provider is built per request, so its constructor is no startup',
      code: communeService('@Injectable({ scope: Scope.REQUEST })'),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 6,
          suggestions: [
            { messageId: 'addCatch', output: communeService('@Injectable({ scope: Scope.REQUEST })').replace('this.initDatas();', "this.initDatas().catch((error) => console.error('this.initDatas failed', error));") },
          ],
        },
      ],
    },
    {
      name: 'Invalid: a class the container does not build is made wherever the code says',
      code: communeService(''),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 6,
          suggestions: [{ messageId: 'addCatch', output: communeService('').replace('this.initDatas();', "this.initDatas().catch((error) => console.error('this.initDatas failed', error));") }],
        },
      ],
    },
    {
      name: "Invalid: the finally gives a query runner back, which is a pooled connection's release, not a lock's",
      code: blockHandler('this.queryRunner'),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 5,
          suggestions: [
            {
              messageId: 'addCatch',
              output: blockHandler('this.queryRunner').replace(
                "if (topic.toString() === 'hashblock') this.onBlockHash(message);",
                "if (topic.toString() === 'hashblock') this.onBlockHash(message).catch((error) => Logger.error('this.onBlockHash failed', error));",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid: the same controller without a component import is not known to run in a page',
      code: dashboardController(''),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 5,
          suggestions: [
            { messageId: 'addCatch', output: dashboardController('').replace('this.loadGrants(siret);', "this.loadGrants(siret).catch((error) => console.error('this.loadGrants failed', error));") },
          ],
        },
      ],
    },
    {
      name: 'Invalid: the let may hold a ping that does not catch its fetch',
      code: pingScheduler("await fetch('https://hc-ping.com/start');"),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 11,
          suggestions: [
            {
              messageId: 'addCatch',
              output: pingScheduler("await fetch('https://hc-ping.com/start');").replace(
                'pingStartPromise.finally(() => this.healthchecksPingSuccess(task));',
                "pingStartPromise.finally(() => this.healthchecksPingSuccess(task)).catch((error) => console.error('pingStartPromise failed', error));",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid: the resolvers object is handed on whole, so its reject may be called',
      code: firstAttempt('(error) => (error ? firstAttempt.reject(error) : firstAttempt.resolve())'),
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 8,
          suggestions: [
            {
              messageId: 'addCatch',
              output: firstAttempt('(error) => (error ? firstAttempt.reject(error) : firstAttempt.resolve())').replace(
                '      this.pending.delete(firstAttempt.promise);\n    });',
                "      this.pending.delete(firstAttempt.promise);\n    }).catch((error) => console.error('firstAttempt.promise failed', error));",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid: the same layer code in a server file that imports no browser library',
      code: serverLayer,
      settings: NONE,
      filename: '/repo/app/src/lib/flowmap/FlowMapLayer.ts',
      errors: [
        {
          messageId: 'floatingTask',
          line: 5,
          suggestions: [
            {
              messageId: 'addCatch',
              output: serverLayer.replace(
                'this._getFlowLayerPickingInfo(info).then((picked) => this.props.onHover?.(picked));',
                "this._getFlowLayerPickingInfo(info).then((picked) => this.props.onHover?.(picked)).catch((error) => console.error('this._getFlowLayerPickingInfo failed', error));",
              ),
            },
          ],
        },
      ],
    },
    lazyTrackerReported('Invalid: the lazily loaded export does not catch its fetch', lazyTracker('sendRaw')),
    lazyTrackerReported('Invalid: a package loaded with await import is not the project code, its call may reject', lazyTracker('sendToTracker', "await import('matomo-tracker')")),
  ],
});

createRuleTester().run('require-background-error-handling (round 16 classes)', errorHandling, {
  valid: [
    // Valid because the transaction's callback fails into $transaction's promise, whose chain ends in a catch that logs (seen in a public backend: nerimity-server src/index.ts:278)
    { name: 'Valid because the $transaction callback rejects into a chain that logs (nerimity index.ts:278)', code: ipSweep('\n    .catch((err) => console.error(err))'), settings: NONE },
    // Valid because the wrapper's only await loads a project module and its returned call catches everything (seen in a public backend: ban-plateforme lib/api/legacy-routes.cjs:60)
    { name: 'Valid because the lazy tracker wrapper cannot reject (ban-plateforme legacy-routes.cjs:60)', code: lazyTracker('sendToTracker'), filename: foreignCaller, settings: NONE },
  ],
  invalid: [
    {
      name: 'Invalid: without the catch, the transaction callback rejects unheard',
      code: ipSweep(''),
      settings: NONE,
      errors: [{ messageId: 'missingTryCatch', line: 6 }],
    },
  ],
});

createRuleTester().run('no-stale-session-in-catch (round 16 classes)', staleSession, {
  valid: [
    // Valid because lodash's isUndefined reads the variable, not the transaction (seen in a public backend: tc-project-service src/routes/phaseApprovals/create.js:84)
    { name: 'Valid because a lodash check gates the rollback (tc-project-service phaseApprovals/create.js:84)', code: phaseApproval('!_.isUndefined(transaction)'), filename: '/repo/app/src/routes/create.js' },
    // Valid because a query runner that never starts a transaction runs in autocommit: a failed SELECT leaves it usable (seen in a public backend: fcd-classic getTxList.ts:180)
    { name: 'Valid because the query runner never starts a transaction (fcd-classic getTxList.ts:180)', code: txList('') },
  ],
  invalid: [
    {
      name: 'Invalid: the gate runs a query on the failed transaction',
      code: phaseApproval("await transaction.query('SELECT 1')"),
      filename: '/repo/app/src/routes/create.js',
      errors: [{ messageId: 'staleSession', line: 12 }],
    },
    {
      name: 'Invalid: the query runner started a transaction, which the failed query aborted',
      code: txList('\n  await queryRunner.startTransaction();'),
      errors: [{ messageId: 'staleSession', line: 10 }],
    },
  ],
});

createRuleTester().run('require-status-updates (round 16 classes)', statusUpdates, {
  valid: [
    // Valid because the catch hands the error to a method that writes FAILED on the last attempt and re-queues otherwise, and the inner catch only runs when that write failed (seen in a public backend: OriginTrail/ot-node src/commands/command-executor.js:185, :207)
    {
      name: 'Valid because the catch hands the failure to a same-file recorder (ot-node command-executor.js:185)',
      code: commandExecutor('await this._update(command, { status: COMMAND_STATUS.FAILED, message: error.message });'),
      filename: '/repo/app/src/commands/command-executor.js',
    },
  ],
  invalid: [
    {
      name: 'Invalid: the handler records the message but no failed status',
      code: commandExecutor('await this._update(command, { message: error.message });'),
      filename: '/repo/app/src/commands/command-executor.js',
      errors: [
        { messageId: 'stuckInProgress', line: 23 },
        { messageId: 'catchWithoutFailedStatus', line: 30 },
      ],
    },
  ],
});

/** multiversx/mx-exchange-service src/services/crons/proxy.cache.warmer.service.ts:27: an hourly cache warmer with no status. */
const cacheWarmer = (statusWrite: string) => `
import { Cron, CronExpression } from '@nestjs/schedule';
export class ProxyCacheWarmerService {
  @Cron(CronExpression.EVERY_HOUR)
  async cacheProxy(): Promise<void> {${statusWrite}
    const assetTokenID = await this.proxyAbi.getAssetTokenIDRaw();
    await this.proxySetter.setAssetTokenID(assetTokenID);
    await this.pubSub.publish('deleteCacheKeys', ['proxy.assetTokenID']);
  }
}
`;

createRuleTester().run('require-lifecycle-logging (round 16: scheduled jobs without a status)', lifecycle, {
  valid: [
    // Valid because a status-less cron runs again at its next tick and @nestjs/schedule logs a throw (seen in a public backend: mx-exchange-service proxy.cache.warmer.service.ts:27, and 15 more status-less crons judged false in round 16)
    { name: 'Valid because an hourly cache warmer sets no status (mx-exchange-service proxy.cache.warmer.service.ts:27)', code: cacheWarmer('') },
  ],
  invalid: [
    {
      name: 'Invalid: the same cron with checkScheduledJobs (strict)',
      code: cacheWarmer(''),
      options: [{ checkScheduledJobs: true }],
      errors: [{ messageId: 'missingLifecycleLogging', line: 5 }],
    },
    {
      name: 'Invalid: a cron that marks its run in progress must log it, whatever the option',
      code: cacheWarmer("\n    await this.jobs.update({ name: 'cacheProxy' }, { status: 'running' });"),
      errors: [{ messageId: 'missingLifecycleLogging', line: 5 }],
    },
  ],
});

const repository = temporaryRepositories('bgtask-round16-');

/** The message ids of no-floating-background-task on `code` linted as `relative` in `root`. */
function floatingReports(root: string, relative: string, code: string): string[] {
  return reportsInRepository(floating as never, root, relative, code);
}

/** charmverse apps/webapp/components/[pageId]/DocumentPage/hooks/useReward.ts: a React hooks module whose handlers drop a refresh. */
const REWARD_HOOK = `
import charmClient from 'charmClient';
import { useGetReward } from 'charmClient/hooks/rewards';
export function useReward({ rewardId }: { rewardId: string }) {
  const { data: reward, mutate: refreshReward } = useGetReward({ rewardId });
  async function updateReward(update: object) {
    await charmClient.rewards.updateReward({ rewardId, ...update });
    refreshReward();
  }
  async function publishReward() {
    await updateReward({ status: 'open' });
  }
  setInterval(async () => {
    await fetch(\`/api/rewards/\${rewardId}/touch\`, { method: 'POST' });
  }, 60_000);
  return { reward, updateReward, publishReward };
}
`;

/** A monorepo whose root declares the UI library and Next.js for its workspaces (charmverse's layout). */
function webappMonorepo(next: string, startProd: string, files: Record<string, string>): string {
  return repository({
    'package.json': JSON.stringify({ name: 'charmverse.io', private: true, workspaces: ['apps/*'], dependencies: { next, react: '19.1.0', swr: '^2.2.5' } }),
    'apps/webapp/package.json': JSON.stringify({ name: 'webapp', scripts: { start: 'npx next dev', 'start:prod': startProd } }),
    ...files,
  });
}

describe('round 16: UI hooks modules and Next.js servers in a workspace', () => {
  it('does not report a hooks module of a UI workspace (seen in a public app: charmverse apps/webapp/components/[pageId]/DocumentPage/hooks/useReward.ts:30)', () => {
    const root = webappMonorepo('^13.0.3', 'npx next start', {});
    expect(floatingReports(root, 'apps/webapp/hooks/useReward.ts', REWARD_HOOK)).toEqual([]);
  });

  it('reports the same code below a server folder, and in a module that also exports a plain function', () => {
    const root = webappMonorepo('^13.0.3', 'npx next start', {});
    expect(floatingReports(root, 'apps/webapp/server/hooks/useReward.ts', REWARD_HOOK)).toEqual(['floatingCallback']);
    expect(floatingReports(root, 'apps/webapp/hooks/useReward.ts', `${REWARD_HOOK}\nexport function createRewardsClient() {\n  return charmClient.rewards;\n}\n`)).toEqual(['floatingCallback']);
  });

  /** charmverse apps/webapp/pages/api/farcaster/frame-action.ts:121: an API route drops an analytics event. */
  const FRAME_ROUTE = `
import { prisma } from '@charmverse/core/prisma-client';
async function trackFrameEvent(pageId: string) {
  const page = await prisma.page.findUniqueOrThrow({ where: { id: pageId } });
  await prisma.event.create({ data: { pageId: page.id } });
}
export default async function handler(req, res) {
  trackFrameEvent(req.body.pageId);
  res.status(200).json({});
}
`;

  it('hears rejections in a workspace started by `npx next start` on the root\'s Next.js 15 (seen in a public app: charmverse frame-action.ts:121)', () => {
    const root = webappMonorepo('^15.3.2', 'npx next start', {});
    expect(floatingReports(root, 'apps/webapp/pages/api/frame-action.ts', FRAME_ROUTE)).toEqual([]);
  });

  it('still reports the route when the root pins a Next.js older than 14, or the workspace runs a custom server', () => {
    expect(floatingReports(webappMonorepo('^13.0.3', 'npx next start', {}), 'apps/webapp/pages/api/frame-action.ts', FRAME_ROUTE)).toEqual(['floatingTask']);
    expect(floatingReports(webappMonorepo('^15.3.2', 'node dist/server.js', {}), 'apps/webapp/pages/api/frame-action.ts', FRAME_ROUTE)).toEqual(['floatingTask']);
  });
});
