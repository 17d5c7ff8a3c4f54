/**
 * Issue 13, round 16: the false classes found on held-out sets 40 to 43, each fixed as a class.
 * Every valid case names the public code it was seen in; each has an invalid near miss that stays
 * reported, so that precision is not bought with recall.
 */
import path from 'node:path';
import { afterEach } from 'vitest';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import statusUpdates from '../../src/rules/require-status-updates.js';
import { clearForeignModules } from '../../src/analysis/tasks/foreign-callees.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';

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
    {
      name: 'Invalid: the lazily loaded export does not catch its fetch',
      code: lazyTracker('sendRaw'),
      filename: foreignCaller,
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 13,
          suggestions: [
            {
              messageId: 'addCatch',
              output: lazyTracker('sendRaw').replace(
                '    sendToTracker({ url: req.url });',
                "    sendToTracker({ url: req.url }).catch((error) => console.error('sendToTracker failed', error));",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid: a package loaded with await import is not the project code, its call may reject',
      code: lazyTracker('sendToTracker', "await import('matomo-tracker')"),
      filename: foreignCaller,
      settings: NONE,
      errors: [
        {
          messageId: 'floatingTask',
          line: 13,
          suggestions: [
            {
              messageId: 'addCatch',
              output: lazyTracker('sendToTracker', "await import('matomo-tracker')").replace(
                '    sendToTracker({ url: req.url });',
                "    sendToTracker({ url: req.url }).catch((error) => console.error('sendToTracker failed', error));",
              ),
            },
          ],
        },
      ],
    },
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
