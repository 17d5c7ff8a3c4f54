/**
 * The false-positive classes of held-out sets 32 to 35 (issue 13, round 15), each with the near
 * miss that stays reported: a scheduled job that hands its work to the project's code inside a
 * try, or once per item after looking it up; a catch that goes on only for an application's own
 * error class; a resource's steady state (`project.state = 'running'`); a shutdown function that
 * exits in a guard; `return resolve()` of a promise executor; a continuation callback after a
 * `.catch`; `sequelize.escape(...)`; a Fastify plugin and an HTTP handler named like background
 * work; a TypeORM project's `this.em`. The classes that depend on the project's package.json or
 * its other packages are linted in temporary repositories (tests/analysis/rejections.test.ts has the
 * process-handler ones).
 */
import path from 'node:path';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import requestSession from '../../src/rules/no-request-session-in-background.js';
import lifecycle from '../../src/rules/require-lifecycle-logging.js';
import sessionScope from '../../src/rules/require-session-scope.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import statusUpdates from '../../src/rules/require-status-updates.js';
import dispatch from '../../src/rules/no-dispatch-in-transaction.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE, STRICT_ERROR_HANDLING_OPTIONS as STRICT_CATCHES } from '../rule-tester.js';
import { HEARTBEAT, temporaryRepositories } from '../temp-repositories.js';

const tester = createRuleTester();

/** remnawave src/scheduler/tasks/.../find-expired-users.task.ts, shortened. */
function enqueueCron(body: string): string {
  return `import { Cron } from '@nestjs/schedule';
export class FindExpiredUsersTask {
  @Cron('0 * * * *')
  async handleCron() {
${body}
  }
}`;
}

/** Panora packages/api/src/crm/contact/sync/sync.service.ts:39-66, shortened. */
function perUserSync(call: string): string {
  return `import { Cron } from '@nestjs/schedule';
export class SyncService {
  @Cron('0 */8 * * *')
  async kickstartSync(id_project?: string) {
    try {
      const linkedUsers = await this.prisma.linked_users.findMany({ where: { id_project } });
      linkedUsers.map(async (linkedUser) => {
        try {
          const providers = CRM_PROVIDERS;
          for (const provider of providers) {
            try {
              await ${call};
            } catch (error) {
              throw error;
            }
          }
        } catch (error) {
          throw error;
        }
      });
    } catch (error) {
      throw error;
    }
  }
}`;
}

tester.run('require-lifecycle-logging (round 15: delegation in a try, per item, after a lookup)', lifecycle, {
  valid: [
    {
      name: 'Valid because the cron only hands its work to one service method inside a try whose catch logs (seen in a public backend: remnawave src/scheduler/tasks/review-users/find-expired-users)',
      code: enqueueCron(`    try {
      await this.usersQueuesService.findExpiredUsers();
    } catch (error) {
      this.logger.error(\`Error in FindExpiredUsersTask: \${error}\`);
    }`),
    },
    {
      name: 'Valid because the cron looks its work up, guards, and hands it to one service method (seen in a public backend: remnawave src/scheduler/tasks/record-nodes-usage)',
      code: enqueueCron(`    try {
      const nodes = await this.queryBus.execute(new GetOnlineNodesQuery());
      if (!nodes.isOk) {
        return;
      }
      await this.nodesQueuesService.recordNodeUsageBulk(nodes.response.map((node) => ({ nodeUuid: node.uuid })));
      return;
    } catch (error) {
      this.logger.error(error);
    }`),
    },
    {
      name: 'Valid because the cron looks up the linked users and hands each one to one method of its class (seen in a public backend: Panora packages/api/src/crm/contact/sync/sync.service.ts:39)',
      code: perUserSync('this.syncForLinkedUser({ integrationId: provider, linkedUserId: linkedUser.id_linked_user })'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because after the lookup the cron does the work itself, on a client (near miss of Panora)',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: perUserSync('this.crmClient.push(linkedUser.id_linked_user, provider)'),
      errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
    },
    {
      name: 'Invalid because the catch around the one call does work of its own (it records the failure), so the job is more than a hand-off',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: enqueueCron(`    try {
      await this.usersQueuesService.findExpiredUsers();
    } catch (error) {
      await this.audit.recordFailure(error);
    }`),
      errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
    },
    {
      name: 'Invalid because the monthly cron does its reset in a callback here, which logs nothing (seen in a public backend: reduced.to apps/backend/src/tasks/tasks.service.ts:10, judged true)',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: `import { Cron, CronExpression } from '@nestjs/schedule';
export class TasksService {
  @Cron(CronExpression.EVERY_1ST_DAY_OF_MONTH_AT_MIDNIGHT)
  async handleCron() {
    const batchSize = 1000;
    await this.usageService.runOnAllActiveUsers(batchSize, async (userIds) => {
      await this.usageService.resetUsage(userIds);
    });
  }
}`,
      errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
    },
  ],
});

tester.run('require-lifecycle-logging (round 15: a job with one hand-off)', lifecycle, {
  valid: [
    {
      name: "Valid because the cron looks up keys and puts one job per key on the job's queue (seen in a public backend: reservoirprotocol/indexer blur-listings-refresh-job.ts:155)",
      code: `
import cron from 'node-cron';
cron.schedule('*/10 * * * *', async () => {
  const keys = await redis.keys('blur-collection-with-listings:*');
  await Promise.all(keys.map((key) => blurListingsRefreshJob.addToQueue(key.split(':')[1])));
});`,
    },
    {
      name: 'Valid because the queue job logs its start and only hands the job to one call in a try whose catch logs and rethrows: the delegate logs its work',
      options: [{ checkAllJobs: true, requireBothLogs: true }],
      code: `
new Worker('mail', async (job) => {
  logger.info('mail started', job.id);
  try {
    await send(job.data);
  } catch (err) {
    logger.error('mail failed', err);
    throw err;
  }
});`,
    },
  ],
  invalid: [],
});

/** graasp src/services/auth/plugins/magicLink/magicLink.controller.ts:40-57, shortened. */
function registerOrLogin(errorClass: string): string {
  return `
export async function register(db, body, reply) {
  return db.transaction(async (tx) => {
    try {
      const member = await memberService.post(tx, body);
      await invitationService.createToMemberships(tx, member);
      reply.status(204);
    } catch (e) {
      if (!(e instanceof ${errorClass})) {
        throw e;
      }
      await magicLinkService.login(tx, body);
      reply.status(204);
    }
  });
}`;
}

tester.run('no-stale-session-in-catch (round 15: a catch that goes on only for an application error)', staleSession, {
  valid: [
    {
      name: "Valid because the catch goes on only for the application's MemberAlreadySignedUp, thrown after a query that succeeded (seen in a public backend: graasp magicLink.controller.ts:51)",
      code: registerOrLogin('MemberAlreadySignedUp'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the error class it goes on for is the failed statement itself: the transaction is aborted',
      code: registerOrLogin('UniqueConstraintError'),
      errors: [{ messageId: 'staleSession', line: 12 }],
    },
  ],
});

/** FlowFuse forge/ee/routes/customHostnames/index.js:100-118, shortened. */
function restartInstance(extra = ''): string {
  return `
async function restartInstance(app, project) {
  await app.containers.stop(project);
  project.state = 'running';
  await project.save();
  await app.containers.start(project);
}${extra}
export function routes(app) {
  app.put('/hostname', async (request, reply) => {
    await request.project.setCustomHostname(request.body.hostname);
    restartInstance(app, request.project).catch((err) => app.log.error(err));
    reply.send({});
  });
}`;
}

tester.run("require-status-updates (round 15: a resource's steady state)", statusUpdates, {
  valid: [
    {
      name: "Valid because 'running' is the project's steady state, and nothing in the file ends a job status (seen in a public backend: FlowFuse forge/ee/routes/customHostnames/index.js:105)",
      code: restartInstance(),
    },
  ],
  invalid: [
    {
      name: "Invalid because the file also writes the project's failed state: 'running' is then a step some path must end",
      code: restartInstance(`
async function failInstance(project) {
  project.state = 'failed';
  await project.save();
}`),
      errors: [{ messageId: 'stuckInProgress', line: 4 }],
    },
  ],
});

/** FlowFuse forge/app.js:34-49, shortened. */
function shutdownOnMessage(last: string): string {
  return `
export async function main(server) {
  let stopping = false;
  async function exitWhenStopped() {
    if (!stopping) {
      stopping = true;
      await server.close();
      ${last}
    }
  }
  process.on('SIGTERM', exitWhenStopped);
  process.on('message', function (m) {
    if (m === 'shutdown') { exitWhenStopped() }
  });
}`;
}

/** taskcluster services/queue/src/ec2regionresolver.js:36-52, shortened. */
function retryLoader(guard: string): string {
  return `
export class EC2RegionResolver {
  async start() {
    let delay = 500;
    this._fetchPromise = new Promise(resolve => {
      const tryLoad = async () => {
        if (!this._running) {
          ${guard}
        }
        try {
          await this._fetchIpRanges();
          return resolve();
        } catch (err) {
          this.monitor.warning(\`Failed to download AWS IP ranges (retrying): \${err}\`);
          setTimeout(tryLoad, delay);
          delay *= 2;
        }
      };
      tryLoad();
    });
  }
}`;
}

/** soketi src/webhook-sender.ts:103-129, shortened. */
function webhookBatch(last: string): string {
  return `
import async from 'async';
import axios from 'axios';
export class WebhookSender {
  send(webhooks, payload) {
    async.each(webhooks, (webhook, resolveWebhook) => {
      axios.post(webhook.url, payload).then(() => {
        Log.info('Webhook sent.');
      }).catch(err => {
        Log.warn({ err, webhook });
      }).then(${last});
    });
  }
}`;
}

tester.run('no-floating-background-task (round 15: shutdown guards, executor settlers, continuation callbacks)', floating, {
  valid: [
    {
      name: 'Valid because the shutdown function ends the process as the last step of its guard: a rejection only changes how a stopping process ends (seen in a public backend: FlowFuse forge/app.js:49)',
      settings: NONE,
      code: shutdownOnMessage('process.exit(0)'),
    },
    {
      name: "Valid because `return resolve()` hands back the executor's undefined, and the only await is caught (seen in a public backend: taskcluster services/queue/src/ec2regionresolver.js:52)",
      settings: NONE,
      code: retryLoader('return resolve();'),
    },
    {
      name: "Valid because after the .catch the chain only hands its value to the executor's resolve (seen in a public backend: PrairieLearn apps/workspace-host/src/interface.ts:770)",
      settings: NONE,
      code: `
export async function pullImage(docker, workspace) {
  await new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err) => {
      if (err) {
        reject(err);
        return;
      }
      workspaceUtils
        .updateWorkspaceMessage(workspace.id, 'Pulling image (100%)', false)
        .catch((error) => logger.error('Error updating workspace message', error))
        .then(resolve);
    });
  });
}`,
    },
    {
      name: "Valid because after the .catch only async.each's continuation callback runs (seen in a public backend: soketi src/webhook-sender.ts:117)",
      settings: NONE,
      code: webhookBatch('() => resolveWebhook()'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the guard ends with more work after the exit call is gone: the process keeps running',
      settings: NONE,
      code: shutdownOnMessage("server.log.info('stopped')"),
      errors: [
        {
          messageId: 'floatingTask',
          line: 13,
          suggestions: [
            {
              messageId: 'addCatch',
              output: shutdownOnMessage("server.log.info('stopped')").replace(
                '{ exitWhenStopped() }',
                "{ exitWhenStopped().catch((error) => log.error('exitWhenStopped failed', error)) }",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the guard returns the promise of another call, outside the try',
      settings: NONE,
      code: retryLoader('return this.flushPending();'),
      errors: [
        {
          messageId: 'floatingTask',
          line: 19,
          suggestions: [
            {
              messageId: 'addCatch',
              output: retryLoader('return this.flushPending();').replace('      tryLoad();', "      tryLoad().catch((error) => console.error('tryLoad failed', error));"),
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because after the .catch a method runs whose promise can reject',
      settings: NONE,
      code: webhookBatch('() => this.recordDelivery(webhook)'),
      errors: [
        {
          messageId: 'floatingTask',
          line: 7,
          suggestions: [
            {
              messageId: 'addCatch',
              output: webhookBatch('() => this.recordDelivery(webhook)').replace(
                '.then(() => this.recordDelivery(webhook));',
                ".then(() => this.recordDelivery(webhook)).catch((error) => console.error('axios.post failed', error));",
              ),
            },
          ],
        },
      ],
    },
  ],
});

tester.run('require-session-scope (round 15: escaping a value is no query)', sessionScope, {
  valid: [
    {
      name: 'Valid because sequelize.escape(...) only builds SQL text for literal(), which the query runs in the transaction (seen in a public backend: appsemble packages/server/options/createAppResourcesWithAssets.ts:56)',
      options: [{ checkTransactionUse: true }],
      code: `
export async function createResources(sequelize, data, fields) {
  await sequelize.transaction(async (transaction) => {
    const group = fields.map((field) => literal(\`data->\${sequelize.escape(field)} = \${sequelize.escape(JSON.stringify(data[field]))}::jsonb\`));
    await Resource.findOne({ where: { [Op.and]: group }, transaction });
  });
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because sequelize.query(...) in the same callback runs on another connection',
      options: [{ checkTransactionUse: true }],
      code: `
export async function createResources(sequelize, data, fields) {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query('select 1');
    await Resource.findOne({ where: {}, transaction });
  });
}`,
      errors: [{ messageId: 'outerClientInScope', line: 4 }],
    },
  ],
});

/** As `configs.strict` sets it: a call this file does not show may reject. */
const STRICT_SETTINGS = { 'background-tasks': { processRejectionHandler: 'none', assumeUnseenCallsReject: true } };

tester.run('require-background-error-handling (round 15: a Fastify plugin and an HTTP handler named like background work)', errorHandling, {
  valid: [
    {
      name: 'Valid because a Fastify plugin is awaited by Fastify while the server boots (seen in a public backend: talawa-api src/fastifyPlugins/backgroundWorkers.ts:18)',
      options: STRICT_CATCHES,
      settings: STRICT_SETTINGS,
      code: `
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
const backgroundWorkersPlugin = async (fastify: FastifyInstance) => {
  await startBackgroundWorkers(fastify.log);
};
export default fp(backgroundWorkersPlugin, { name: 'backgroundWorkers' });`,
    },
    {
      name: 'Valid because the plugin, untyped, is handed to fp(): Fastify awaits it (JavaScript form of talawa-api)',
      options: STRICT_CATCHES,
      settings: STRICT_SETTINGS,
      code: `
const backgroundWorkersPlugin = async (fastify) => {
  await startBackgroundWorkers(fastify.log);
};
module.exports = fp(backgroundWorkersPlugin);`,
    },
    {
      name: 'Valid because an @Post() handler named createBackgroundJob is a request handler that Nest awaits (seen in a public backend: bloom api/src/controllers/background-jobs.controller.ts:48)',
      options: STRICT_CATCHES,
      settings: STRICT_SETTINGS,
      code: `
import { Controller, Post, Body } from '@nestjs/common';
@Controller('background-jobs')
export class BackgroundJobsController {
  @Post()
  public async createBackgroundJob(@Body() dto: BackgroundJobCreate) {
    return await this.backgroundJobsService.create(dto);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a function named like background work that no framework awaits keeps its check',
      options: STRICT_CATCHES,
      settings: STRICT_SETTINGS,
      code: `
const backgroundWorkersPlugin = async (fastify) => {
  await startBackgroundWorkers(fastify.log);
};
export default backgroundWorkersPlugin;`,
      errors: [{ messageId: 'missingTryCatch', line: 2 }],
    },
  ],
});

// The classes that depend on the project's package.json, linted in temporary repositories.
const repository = temporaryRepositories('bgtask-round15-');

/** The message ids of the given rules on `code` linted as `relative` in `root`. */
function reports(root: string, relative: string, code: string, rules: Record<string, unknown>, settings: Record<string, unknown> | undefined = NONE): string[] {
  const linter = new Linter({ cwd: root });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js'],
        languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
        plugins: { bt: { rules: rules as never } },
        rules: Object.fromEntries(Object.keys(rules).map((name) => [`bt/${name}`, 'error'])),
        ...(settings ? { settings } : {}),
      },
    ],
    { filename: path.join(root, relative) },
  );
  return messages.map((m) => m.messageId ?? m.message);
}


const TASK_RULES = { floating, errors: errorHandling };

/** rafiki packages/backend/src/app.ts:326-345 and 825-845, shortened. */
const WORKER_LOOP = `
export class App {
  public async boot(): Promise<void> {
    process.nextTick(() => this.processWalletAddress());
  }
  private async processWalletAddress(): Promise<void> {
    if (this.isShuttingDown) return;
    const walletAddressService = await this.container.use('walletAddressService');
    return walletAddressService
      .processNext()
      .catch((err) => {
        this.logger.warn({ error: err.message }, 'processWalletAddress error');
        return true;
      })
      .then((hasMoreWork) => {
        if (hasMoreWork) process.nextTick(() => this.processWalletAddress());
        else setTimeout(() => this.processWalletAddress(), this.config.idle).unref();
      });
  }
}`;

/** bcgov/PIMS express-api/src/server.ts:25-36, shortened. */
const NIGHTLY = `
import cron from 'node-cron';
import { AppDataSource } from './appDataSource';
export function schedule() {
  cron.schedule('0 1 * * 6', async () => {
    await AppDataSource.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = $1', ['idle']);
  });
}`;

describe('what a library does, read from package.json (issue 13, round 15)', () => {
  it('does not report an AdonisJS container lookup as a failure: the binding was built at boot (seen in a public backend: interledger/rafiki packages/backend/src/app.ts:333)', () => {
    const root = repository({ 'package.json': '{"name":"backend","dependencies":{"@adonisjs/fold":"^8.2.0","koa":"*"}}' });
    expect(reports(root, 'src/app.ts', WORKER_LOOP, TASK_RULES)).toEqual([]);
    // Near miss: the same lookup without @adonisjs/fold is a call that can reject.
    const other = repository({ 'package.json': '{"name":"backend","dependencies":{"koa":"*"}}' });
    expect(reports(other, 'src/app.ts', WORKER_LOOP, TASK_RULES)).toEqual(['floatingCallback', 'floatingCallback', 'floatingCallback']);
  });

  it('does not claim an unhandled rejection for a node-cron 4 task: its runner awaits the task and logs the error (seen in a public backend: bcgov/PIMS express-api/src/server.ts:32)', () => {
    const root = repository({ 'package.json': '{"name":"api","dependencies":{"node-cron":"4.2.0","express":"*"}}' });
    expect(reports(root, 'src/server.ts', NIGHTLY, TASK_RULES)).toEqual([]);
    // Near miss: node-cron 3 catches the task's rejection but logs nothing (it emits `task-failed`; round 21):
    // the failure is lost without a log, though no rejection goes unhandled.
    const three = repository({ 'package.json': '{"name":"api","dependencies":{"node-cron":"^3.0.2","express":"*"}}' });
    expect(reports(three, 'src/server.ts', NIGHTLY, TASK_RULES)).toEqual(['failureSwallowedByFramework']);
    // Near miss: a node-cron older than 3, which the vocabulary vouches for neither way, keeps both reports.
    const old = repository({ 'package.json': '{"name":"api","dependencies":{"node-cron":"^2.0.3","express":"*"}}' });
    expect(reports(old, 'src/server.ts', NIGHTLY, TASK_RULES)).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it("treats `this.em` of a TypeORM project as the data source's manager, not a request's (seen in a public backend: Joystream/orion src/relevance-service/RelevanceService.ts:370)", () => {
    const code = `
import { Cron } from '@nestjs/schedule';
export class RelevanceService {
  @Cron('*/10 * * * *')
  async populateBackgroundQueue() {
    const result = await this.em.query('SELECT id FROM curator.channel');
    return result;
  }
}`;
    const typeorm = repository({ 'package.json': '{"name":"orion","dependencies":{"typeorm":"^0.3.11","@nestjs/schedule":"*"}}' });
    expect(reports(typeorm, 'src/relevance.ts', code, { session: requestSession })).toEqual([]);
    // Near miss: MikroORM's injected EntityManager is bound to the request context.
    const mikro = repository({ 'package.json': '{"name":"app","dependencies":{"@mikro-orm/core":"^6.0.0","@nestjs/schedule":"*"}}' });
    expect(reports(mikro, 'src/relevance.ts', code, { session: requestSession })).toEqual(['requestMember']);
  });
});


describe('where the code runs (issue 13, round 15)', () => {
  it('treats a frontend folder as browser code, with no server folder beside it (seen in a public backend: FlowFuse frontend/src/services/mqtt.service.ts)', () => {
    const root = repository({ 'forge/app.js': '', 'frontend/src/main.js': '' });
    expect(reports(root, 'frontend/src/services/mqtt.service.ts', HEARTBEAT, TASK_RULES)).toEqual([]);
    // Near miss: a server folder below the frontend folder is server code (a Nuxt or Next server inside it).
    expect(reports(root, 'frontend/server/api/ping.ts', HEARTBEAT, TASK_RULES)).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('treats a bundled front end that lists its UI library among devDependencies only as browser code (seen in a public backend: xen-orchestra packages/xo-web)', () => {
    const root = repository({ 'packages/web/package.json': '{"name":"web","devDependencies":{"react":"^15.4.1","babel-core":"*"}}' });
    expect(reports(root, 'packages/web/src/updater.ts', HEARTBEAT, TASK_RULES)).toEqual([]);
    // Near miss: a server package that builds its admin UI with React in devDependencies.
    const server = repository({ 'packages/api/package.json': '{"name":"api","dependencies":{"express":"*"},"devDependencies":{"react":"*"}}' });
    expect(reports(server, 'packages/api/src/updater.ts', HEARTBEAT, TASK_RULES)).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('treats a three.js viewer package as browser code (seen in a public backend: speckle-server packages/viewer)', () => {
    const root = repository({ 'packages/viewer/package.json': '{"name":"@speckle/viewer","dependencies":{"three":"^0.140.0","lodash-es":"*"}}' });
    expect(reports(root, 'packages/viewer/src/converter.ts', HEARTBEAT, TASK_RULES)).toEqual([]);
  });

  it("treats Prisma's seed script as a script (seen in a public backend: stacker.news prisma/seed.js)", () => {
    const root = repository({ 'package.json': '{"name":"app","dependencies":{"@prisma/client":"*","next":"*"}}' });
    expect(reports(root, 'prisma/seed.ts', HEARTBEAT, TASK_RULES)).toEqual([]);
    expect(reports(root, 'lib/seeder.ts', HEARTBEAT, TASK_RULES)).toEqual(['floatingCallback', 'missingTryCatch']);
  });
});

describe('processes in other packages of the workspace (issue 13, round 15)', () => {
  const HANDLER_IN_START = `
export async function run(logger) {
  process.on('unhandledRejection', (err) => {
    logger.warn('Unhandled promise rejection', { err });
  });
}`;

  it('does not claim a crash in a library that only packages started by their command run, when each logs rejections or is a CLI (seen in a public backend: graphprotocol/indexer packages/indexer-common, run by indexer-agent and indexer-cli)', () => {
    const root = repository({
      'package.json': '{"name":"root","private":true,"workspaces":["packages/*"],"devDependencies":{"lerna":"*"}}',
      'packages/agent/package.json': '{"name":"@x/agent","bin":{"x-agent":"bin/x-agent"},"dependencies":{"@x/common":"*","yargs":"*"}}',
      'packages/agent/src/commands/start.ts': HANDLER_IN_START,
      'packages/cli/package.json': '{"name":"@x/cli","bin":{"x":"bin/x"},"dependencies":{"@x/common":"*","yargs":"*"}}',
      'packages/common/package.json': '{"name":"@x/common","dependencies":{"sequelize":"*","express":"*"}}',
      'packages/common/src/collector.ts': HEARTBEAT,
    });
    expect(reports(root, 'packages/common/src/collector.ts', HEARTBEAT, TASK_RULES, {})).toEqual([]);
  });

  it('keeps the reports when a package started by its command, no CLI, installs no handler', () => {
    const root = repository({
      'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}',
      'packages/worker/package.json': '{"name":"@x/worker","bin":{"x-worker":"dist/main.js"},"dependencies":{"@x/common":"*","bullmq":"*"}}',
      'packages/worker/src/main.ts': 'export const main = 1;',
      'packages/common/package.json': '{"name":"@x/common","dependencies":{"sequelize":"*","express":"*"}}',
      'packages/common/src/collector.ts': HEARTBEAT,
    });
    expect(reports(root, 'packages/common/src/collector.ts', HEARTBEAT, TASK_RULES, {})).toEqual(['floatingCallback', 'missingTryCatch']);
  });
});

/** bcgov/digital_marketplace src/back-end/lib/db/proposal/team-with-us.ts:1366-1450, shortened. */
function award(beforeRead: string): string {
  return `
export async function awardProposal(connection, proposalId, session) {
  return connection.transaction(async (trx) => {
    ${beforeRead}
    const others = await connection('twuProposals').where({ opportunity: proposalId }).select('id');
    for (const other of others) {
      await connection('twuProposalStatuses').transacting(trx).insert({ proposal: other.id, status: 'NOT_AWARDED' });
    }
  });
}`;
}

tester.run('require-session-scope (round 15: a read before the transaction writes)', sessionScope, {
  valid: [
    {
      name: 'Valid because the outer read comes before the transaction writes anything: it sees what the transaction would see, and holds no lock (seen in a public backend: bcgov/digital_marketplace team-with-us.ts:1416)',
      options: [{ checkTransactionUse: true }],
      code: award('const now = new Date();'),
    },
  ],
  invalid: [
    {
      name: "Invalid because the outer read comes after the transaction wrote: it misses the transaction's own rows",
      options: [{ checkTransactionUse: true }],
      code: award("await connection('twuProposalStatuses').transacting(trx).insert({ proposal: proposalId, status: 'AWARDED' });"),
      errors: [{ messageId: 'outerClientInScope', line: 5 }],
    },
    {
      name: 'Invalid because an outer write is not rolled back with the transaction',
      options: [{ checkTransactionUse: true }],
      code: award("await connection('twuProposals').where({ id: proposalId }).update({ updatedAt: new Date() });"),
      errors: [{ messageId: 'outerClientInScope', line: 4 }],
    },
  ],
});

/** GoodDollar/GoodServer src/server/blockchain/Web3Wallet.js:1590-1800, shortened. */
function sendTransaction(importLine: string): string {
  return `${importLine}
export class Wallet {
  async sendTransaction(tx, txCallbacks, options, retry) {
    try {
      const gas = await tx.estimateGas();
      return await tx.send({ gas });
    } catch (e) {
      await this.txManager.unlock(this.address);
      return this.sendTransaction(tx, txCallbacks, options, false);
    }
  }
}`;
}

tester.run('no-stale-session-in-catch (round 15: a chain transaction named tx)', staleSession, {
  valid: [
    {
      name: "Valid because in a file that imports web3, `tx` is a contract call that the catch sends again, not a database session (seen in a public backend: GoodDollar/GoodServer Web3Wallet.js:1794)",
      code: sendTransaction("import Web3 from 'web3';"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because without a blockchain client, a `tx` parameter used in the try is the failed try\'s session',
      code: sendTransaction("import { db } from './db';"),
      errors: [{ messageId: 'staleSession', line: 9 }],
    },
  ],
});

describe('front-end libraries and addons (issue 13, round 15)', () => {
  it('treats a file that imports jQuery as browser code (seen in a public backend: Hydro packages/ui-default/components/calendar)', () => {
    const root = repository({});
    expect(reports(root, 'src/calendar.ts', `import $ from 'jquery';\n${HEARTBEAT}`, TASK_RULES)).toEqual([]);
    expect(reports(root, 'src/calendar.ts', `import $ from 'cheerio';\n${HEARTBEAT}`, TASK_RULES)).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('does not claim a crash in an addon that imports its host by name, when the host logs rejections (seen in a public backend: Hydro packages/vjudge, loaded by hydrooj, whose loader.ts logs them)', () => {
    const files = (addon: string) => ({
      'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}',
      'packages/hydrooj/package.json': '{"name":"hydrooj","bin":{"hydrooj":"bin/hydrooj.js"},"dependencies":{"mongodb":"*","koa":"*"}}',
      'packages/hydrooj/src/loader.ts': "import { Logger } from './logger';\nconst logger = new Logger('loader');\nprocess.on('unhandledRejection', logger.error);",
      'packages/vjudge/package.json': '{"name":"@hydrooj/vjudge","dependencies":{"jsdom":"*"}}',
      'packages/vjudge/src/index.ts': `${addon}\n${HEARTBEAT}`,
    });
    const root = repository(files("import { Logger } from 'hydrooj';"));
    expect(reports(root, 'packages/vjudge/src/index.ts', `import { Logger } from 'hydrooj';\n${HEARTBEAT}`, TASK_RULES, {})).toEqual([]);
    // Near miss: an addon that does not run with the host keeps its reports.
    const apart = repository(files("import { JSDOM } from 'jsdom';"));
    expect(reports(apart, 'packages/vjudge/src/index.ts', `import { JSDOM } from 'jsdom';\n${HEARTBEAT}`, TASK_RULES, {})).toEqual(['floatingCallback', 'missingTryCatch']);
  });
});

/** xynehq/xyne server/api/admin.ts:928-972, shortened. */
function addConnector(last: string): string {
  return `
export async function addServiceConnection(c, db, boss, user) {
  return await db.transaction(async (trx) => {
    try {
      const connector = await insertConnector(trx, user.workspaceId);
      const jobId = await boss.send('saas', { connectorId: connector.id });
      Logger.info(\`Job \${jobId} enqueued for connection \${connector.id}\`);
      ${last}
    } catch (error) {
      Logger.error(error, 'Error creating connection or enqueuing job');
      throw new HTTPException(500, { message: 'Error creating connection' });
    }
  });
}`;
}

tester.run('no-dispatch-in-transaction (round 15: a response built after the last dispatch)', dispatch, {
  valid: [
    {
      name: "Valid because after the enqueue the transaction only logs and returns Hono's response: nothing can roll it back (seen in a public backend: xyne server/api/admin.ts:957)",
      code: addConnector("return c.json({ success: true, id: connector.externalId });"),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the transaction returns another call, which it awaits before the commit and which can fail',
      code: addConnector('return markConnectorQueued(trx, connector.id);'),
      errors: [{ messageId: 'dispatchInTransaction', line: 6 }],
    },
  ],
});

describe('test folders named test-* (issue 13, round 15)', () => {
  it("treats a folder named test-* as test code (seen in a public backend: OriginProtocol/origin packages/contracts/test-alt/)", () => {
    const root = repository({});
    expect(reports(root, 'packages/contracts/test-alt/Marketplace.ts', HEARTBEAT, TASK_RULES)).toEqual([]);
    expect(reports(root, 'packages/contracts/src/latest/Marketplace.ts', HEARTBEAT, TASK_RULES)).toEqual(['floatingCallback', 'missingTryCatch']);
  });
});

/** internxt/drive-server-wip src/modules/jobs/tasks/deleted-items-cleanup/deleted-items-cleanup.processor.ts:89-108, shortened. */
function cleanupFailure(message: string): string {
  return `
export async function backgroundCleanup(id: string) {
  try {
    await setStatus(id, 'running');
    await cleanup(id);
    await setStatus(id, 'done');
  } catch (error) {
    const errorMessage = ${message};
    logger.error({ id, error }, 'cleanup failed');
    await setStatus(id, 'failed', { errorMessage });
  }
}`;
}

tester.run('require-status-updates (round 15: the error recorded through a value made from it)', statusUpdates, {
  valid: [
    {
      name: 'Valid because the failed status records a message made from the error (seen in a public backend: internxt/drive-server-wip deleted-items-cleanup.processor.ts:97)',
      options: [{ requireErrorDetail: true }],
      code: cleanupFailure('error instanceof Error ? error.message : String(error)'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because the value recorded is not made from the error',
      options: [{ requireErrorDetail: true }],
      code: cleanupFailure("'cleanup failed'"),
      errors: [{ messageId: 'missingErrorDetail', line: 10, data: { task: 'backgroundCleanup', error: 'error' } }],
    },
  ],
});

tester.run('require-lifecycle-logging (round 15: a logger constant in capitals)', lifecycle, {
  valid: [
    {
      name: 'Valid because OCEAN_NODE_LOGGER is a logger: the cron logs its completion (seen in a public backend: oceanprotocol/ocean-node scheduleCronJobs.ts:67)',
      code: `
import cron from 'node-cron';
export function scheduleCleanup(dbconn) {
  cron.schedule('0 0 * * *', async () => {
    OCEAN_NODE_LOGGER.info('cleaning expired C2D jobs');
    const deleted = await dbconn.c2d.cleanStorageExpiredJobs();
    await dbconn.c2d.compact();
    OCEAN_NODE_LOGGER.info(\`\${deleted} expired C2D jobs cleaned successfully.\`);
  });
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because a constant that is no logger (a metrics client) records no lifecycle',
      // A status-less scheduled job is reported with checkScheduledJobs (strict) since round 16.
      options: [{ checkScheduledJobs: true }],
      code: `
import cron from 'node-cron';
export function scheduleCleanup(dbconn) {
  cron.schedule('0 0 * * *', async () => {
    const deleted = await dbconn.c2d.cleanStorageExpiredJobs();
    await dbconn.c2d.compact();
    OCEAN_NODE_METRICS.info(\`\${deleted} expired C2D jobs cleaned successfully.\`);
  });
}`,
      errors: [{ messageId: 'missingLifecycleLogging', line: 4 }],
    },
  ],
});
