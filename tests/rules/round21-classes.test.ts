/**
 * Issue 13, round 21: the false classes of held-out sets 59 and 60, each fixed as a class. Every
 * valid case names the public code it was seen in; each has an invalid near miss that stays
 * reported, so that precision is not bought with recall.
 */
import statusUpdates from '../../src/rules/require-status-updates.js';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import requestSession from '../../src/rules/no-request-session-in-background.js';
import scopeRule from '../../src/rules/require-session-scope.js';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT, reportedLinesInRepository, temporaryRepositories } from '../temp-repositories.js';
import { createRuleTester } from '../rule-tester.js';

const repository = temporaryRepositories('bgtask-round21-');

/** kodustech/kodus-ai src/core/infrastructure/adapters/services/agent/agents/default.ts:98-106. */
const saveAgentExecution = (call: string) => `
export class DefaultAgent {
  private saveAgentExecution(data: unknown): void {
    setImmediate(async () => {
      try {
        ${call};
      } catch (error) {
        throw new Error('DefaultAgent Save Agent Execution', error);
      }
    });
  }
}
`;

describe('round 21: a catch that rethrows after a try that awaits nothing', () => {
  it('does not report the callback: its try fails only by a synchronous bug, so the rethrow is no rejection of failed work (seen in a public backend: kodus-ai agents/default.ts:99)', () => {
    const root = repository({});
    expect(reportedLinesInRepository(floating as never, root, 'src/agents/default.ts', saveAgentExecution('this.agentExecutionService.register(data)'))).toEqual([]);
  });

  it('keeps reporting when the try awaits the work, so the catch rethrows its failure', () => {
    const root = repository({});
    expect(reportedLinesInRepository(floating as never, root, 'src/agents/default.ts', saveAgentExecution('await this.agentExecutionService.register(data)'))).toEqual(['floatingCallback@4']);
  });
});

/** hollaex/hollaex-kit server/plugins/index.js:89-209: the plugin server starts once its checks pass. */
const pluginServer = (extra: string) => `
const { checkStatus } = require('../init');
const express = require('express');

const startPluginProcess = async () => {
  const plugins = await Plugin.findAll({ where: { enabled: true } });
  worker = new Worker('./plugin-process.js', { workerData: JSON.stringify(plugins) });
};

checkStatus()
  .then(async () => {
    const app = express();
    app.listen(PORT);
    startPluginProcess();
  })
  .catch((err) => {
    loggerPlugin.error('/plugins/index/initialization err', err.message);
    setTimeout(() => { process.exit(1); }, 60000);
  });
${extra}
`;

describe("round 21: the callbacks of a promise chain a module starts when it is loaded", () => {
  it('does not report work dropped in the callback of a top-level checkStatus().then(...): startup, which fails loud (seen in a public backend: hollaex-kit server/plugins/index.js:203)', () => {
    const root = repository({});
    expect(reportedLinesInRepository(floating as never, root, 'server/plugins/index.js', pluginServer(''))).toEqual([]);
    expect(reportedLinesInRepository(errorHandling as never, root, 'server/plugins/index.js', pluginServer(''))).toEqual([]);
  });

  it('keeps reporting the same work dropped again later, from a restart that an admin request runs', () => {
    const root = repository({});
    const code = pluginServer('const restartPluginProcess = () => {\n  startPluginProcess();\n};\nmodule.exports = { restartPluginProcess };');
    expect(reportedLinesInRepository(floating as never, root, 'server/plugins/index.js', code)).toEqual(['floatingTask@21']);
    expect(reportedLinesInRepository(errorHandling as never, root, 'server/plugins/index.js', code)).toEqual(['missingTryCatch@5']);
  });

  it('keeps reporting a chain built inside a function, which runs whenever it is called', () => {
    const root = repository({});
    const code = pluginServer('').replace('checkStatus()\n  .then', 'function boot() {\ncheckStatus()\n  .then').replace('  });\n\n', '  });\n}\nmodule.exports = { boot };\n');
    expect(reportedLinesInRepository(floating as never, root, 'server/plugins/index.js', code)).toEqual(['floatingTask@15']);
  });
});

/** airqo-platform/AirQo-api src/auth-service/utils/common/mailer.util.js:92-159: a Mongo-backed email queue. */
const emailQueue = (sweep: string) => `
const processEmailQueue = async () => {
  try {
    ${sweep}
    const emailJob = await EmailQueue.findOneAndUpdate(
      { status: "pending" },
      { $set: { status: "processing", lastAttemptAt: new Date() } },
    );
    if (emailJob) {
      await queueTransporter.sendMail(emailJob.mailOptions);
      await EmailQueue.findByIdAndDelete(emailJob._id);
    }
  } catch (error) {
    logger.error(\`Error processing email queue: \${error.message}\`);
  }
};

setInterval(processEmailQueue, 3000);
`;

createRuleTester().run('require-status-updates (round 21: a sweep on the claim time)', statusUpdates, {
  valid: [
    {
      name: 'Valid because the same poll puts processing rows whose lastAttemptAt is older than 30 s back to pending (seen in a public backend: AirQo-api mailer.util.js:97-109)',
      code: emailQueue('await EmailQueue.updateMany({ status: "processing", lastAttemptAt: { $lt: new Date(Date.now() - 30000) } }, { $set: { status: "pending" } });'),
    },
  ],
  invalid: [
    {
      name: 'Invalid because nothing takes a processing row back: one whose send threw stays processing',
      code: emailQueue('await EmailQueue.deleteMany({ status: "sent" });'),
      errors: [
        { messageId: 'stuckInProgress', line: 5 },
        { messageId: 'catchWithoutFailedStatus', line: 13 },
      ],
    },
  ],
});

/** briefercloud/briefer apps/api/src/jupyter/manager.ts:45-108: a health poll mirrors what it sees into the row. */
const jupyterWatch = (guard: string) => `
export class ContainerJupyterManager {
  public async start(): Promise<void> {
    const watch = async () => {
      const workspaces = await prisma().workspace.findMany({ select: { id: true } });
      for (const workspace of workspaces) {
        let environment = await prisma().environment.findFirst({ where: { workspaceId: workspace.id } });
        try {
          const res = await fetch(this.statusUrl);
          if (res.ok) {
            if (${guard}) {
              environment = await prisma().environment.update({
                where: { id: environment.id },
                data: { status: 'Running', startedAt: new Date() },
              });
            }
          }
        } catch (err) {
          logger().error({ workspaceId: workspace.id, err }, 'Failed to check if Jupyter is running');
        }
      }
      this.watchTimeout = setTimeout(watch, 5000);
    };
    await watch();
  }

  async stat(path: string) {
    const result = await this.exec(path);
    if (result._tag === 'error') throw new Error('stat failed');
    return result;
  }
}
`;

createRuleTester().run('require-status-updates (round 21: a write that mirrors an observed state)', statusUpdates, {
  valid: [
    {
      name: "Valid because 'Running' is written only when the row does not say so yet: the poll mirrors the environment's state, no job claims a step (seen in a public backend: briefer apps/api/src/jupyter/manager.ts:77)",
      code: jupyterWatch("environment.status !== 'Running'"),
    },
  ],
  invalid: [
    {
      name: "Invalid because a write guarded by another value ('Stopped' -> 'Running') is a claim like any other, in a file that names a failed result",
      code: jupyterWatch("environment.status === 'Stopped'"),
      errors: [
        { messageId: 'stuckInProgress', line: 12 },
        { messageId: 'catchWithoutFailedStatus', line: 18 },
      ],
    },
  ],
});

/** ArweaveTeam/gateway src/database/sync.database.ts:161-182: `tx` is an Arweave transaction id. */
const storeTransaction = (type: string) => `
export async function storeTransaction(tx: ${type}, height: number, retry: boolean = true) {
  try {
    const currentTransaction = await tx('transactions').where({ height }).first();
    await importTransaction(currentTransaction);
  } catch (error) {
    if (retry) {
      await tx('rescan').insert({ height });
    }
  }
}
`;

describe('round 21: a session name declared with a primitive type', () => {
  it('does not take `tx: string` for a session: it holds an id (seen in a public backend: ArweaveTeam/gateway sync.database.ts:179)', () => {
    const root = repository({ 'package.json': JSON.stringify({ name: 'gateway', private: true, dependencies: { knex: '^0.21.0', pg: '^8.0.0' } }) });
    expect(reportedLinesInRepository(staleSession as never, root, 'src/database/sync.database.ts', storeTransaction('string'))).toEqual([]);
    expect(reportedLinesInRepository(staleSession as never, root, 'src/database/sync.database.ts', storeTransaction('string | undefined'))).toEqual([]);
  });

  it('keeps reporting `tx: Knex.Transaction` used again in the catch', () => {
    const root = repository({ 'package.json': JSON.stringify({ name: 'gateway', private: true, dependencies: { knex: '^0.21.0', pg: '^8.0.0' } }) });
    expect(reportedLinesInRepository(staleSession as never, root, 'src/database/sync.database.ts', storeTransaction('Knex.Transaction'))).toEqual(['staleSession@8']);
  });
});

/** alkem-io/server src/domain/common/media-gallery/media.gallery.resolver.mutations.ts:33-95. */
const MEDIA_GALLERY = `
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';

@Resolver()
export class MediaGalleryResolverMutations {
  constructor(@InjectEntityManager() private entityManager: EntityManager) {}

  @Mutation(() => Boolean)
  async addVisualToMediaGallery(mediaGalleryID: string) {
    void this.reportMediaGalleryContribution(mediaGalleryID);
    return true;
  }

  private async reportMediaGalleryContribution(mediaGalleryID: string): Promise<void> {
    try {
      const calloutFraming = await this.entityManager.findOne(CalloutFraming, { where: { mediaGallery: { id: mediaGalleryID } } });
      this.contributionReporter.mediaGalleryContribution(calloutFraming);
    } catch (error) {
      this.logger.error(error);
    }
  }
}
`;

describe("round 21: TypeORM's EntityManager when the project names typeorm by a URL", () => {
  it('does not report the data source\'s EntityManager: `"typeorm": "https://pkg.pr.new/..."` is TypeORM all the same (seen in a public backend: alkem-io/server media.gallery.resolver.mutations.ts:95)', () => {
    const root = repository({ 'package.json': JSON.stringify({ name: 'server', private: true, dependencies: { '@nestjs/typeorm': '10.0.2', typeorm: 'https://pkg.pr.new/antst/typeorm@2c8f380' } }) });
    expect(reportedLinesInRepository(requestSession as never, root, 'src/domain/media.gallery.resolver.mutations.ts', MEDIA_GALLERY)).toEqual([]);
  });

  it("keeps reporting in a MikroORM project, where the injected manager is the request's context", () => {
    const root = repository({ 'package.json': JSON.stringify({ name: 'server', private: true, dependencies: { '@mikro-orm/core': '^6.0.0' } }) });
    expect(reportedLinesInRepository(requestSession as never, root, 'src/domain/media.gallery.resolver.mutations.ts', MEDIA_GALLERY)).toEqual(['requestMember@17']);
  });
});

/** Naval-Base/yuudachi packages/http/example/index.ts:11-23: a demo program run by the package's `example` script. */
const EXAMPLE = `
import HttpHandler from '@yuudachi/http';

const httpHandler = new HttpHandler({
  interactionsCallback({ interaction, api }) {
    setTimeout(async () => {
      await api.interactions.editReply(process.env.DISCORD_CLIENT_ID, interaction.token, { content: 'Test 1.' });
    }, 2_000);
    return { type: 4 };
  },
});
`;

describe("round 21: a package's example folder", () => {
  const files = { 'package.json': JSON.stringify({ name: 'yuudachi', private: true, workspaces: ['packages/*'] }), 'packages/http/package.json': JSON.stringify({ name: '@yuudachi/http', files: ['dist'], scripts: { example: 'env-cmd tsx ./example/index.ts' } }) };

  it('does not report a demo program in a folder named example beside the package.json (seen in a public backend: yuudachi packages/http/example/index.ts:14)', () => {
    const root = repository(files);
    expect(reportedLinesInRepository(floating as never, root, 'packages/http/example/index.ts', EXAMPLE)).toEqual([]);
  });

  it('keeps reporting a source folder named example deeper in the package (server code)', () => {
    const root = repository(files);
    expect(reportedLinesInRepository(floating as never, root, 'packages/http/src/example/index.ts', EXAMPLE)).toEqual(['floatingCallback@6']);
  });
});

/** OctoFarm/OctoFarm server/services/server-commands.service.js:1-30: a restart through pm2. */
const serverCommands = (binding: string, call: string) => `
${binding}

class SystemCommands {
  static async restartOctoFarm() {
    setTimeout(async () => {
      await ${call}("pm2 restart OctoFarm");
    }, 5000);
    return true;
  }
}
module.exports = { SystemCommands };
`;

describe("round 21 (validation set 61, after its judging): child_process's callback API", () => {
  it('does not report awaiting `exec` of child_process: it hands back a ChildProcess, never a promise (seen in a public backend: OctoFarm server-commands.service.js:27)', () => {
    const root = repository({});
    for (const [binding, call] of [
      ['const { exec } = require("child_process");', 'exec'],
      ['const childProcess = require("node:child_process");', 'childProcess.exec'],
      ["import { execFile } from 'child_process';", 'execFile'],
      ["import * as cp from 'child_process';", 'cp.spawn'],
    ] as const) {
      expect(reportedLinesInRepository(floating as never, root, 'server/services/server-commands.service.js', serverCommands(binding, call))).toEqual([]);
      expect(reportedLinesInRepository(errorHandling as never, root, 'server/services/server-commands.service.js', serverCommands(binding, call))).toEqual([]);
    }
  });

  it('keeps reporting a promisified exec, which rejects when the command fails', () => {
    const root = repository({});
    const binding = 'const util = require("util");\nconst exec = util.promisify(require("child_process").exec);';
    expect(reportedLinesInRepository(floating as never, root, 'server/services/server-commands.service.js', serverCommands(binding, 'exec'))).toEqual(['floatingCallback@7']);
  });
});

/** MTES-MCT/vigieau-api src/cron/cron.service.ts:13-17: a NestJS singleton frees its advisory locks at boot. */
const cronService = (member: string) => `
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';

@Injectable()
export class CronService {
  cronNames = { emails: 5944578563374335 };

  ${member} {
    for (const [key, value] of Object.entries(this.cronNames)) {
      this.dataSource.query(\`SELECT pg_advisory_unlock(\${value})\`).then();
    }
  }

  async unlock(name: string) {
    await this.dataSource.query(\`SELECT pg_advisory_unlock(\${this.cronNames[name]})\`);
  }
}
`;

describe('round 21 (validation set 61, after its judging): a singleton constructor that loops', () => {
  const vigieauProject = () => repository({ 'package.json': JSON.stringify({ name: 'vigieau-api', private: true, dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/schedule': '^4.0.0', typeorm: '^0.3.17', pg: '^8.11.0' } }) });
  it("does not report work a container singleton's constructor drops inside a loop: startup (seen in a public backend: vigieau-api cron.service.ts:15)", () => {
    const root = vigieauProject();
    expect(reportedLinesInRepository(floating as never, root, 'src/cron/cron.service.ts', cronService('constructor(private dataSource: DataSource)'))).toEqual([]);
  });

  it('keeps reporting the same loop in a method that runs on every call', () => {
    const root = vigieauProject();
    expect(reportedLinesInRepository(floating as never, root, 'src/cron/cron.service.ts', cronService("constructor(private dataSource: DataSource) {}\n\n  @Cron('*/10 * * * * *')\n  releaseAll()"))).toEqual(['floatingTask@15']);
  });
});

/** bcgov/biohubbc-platform api/src/database/db.ts:200-260: a connection object built over a closure's client. */
const dbConnection = (releaseBody: string) => `
import { Pool, PoolClient } from 'pg';

export const getDBConnection = (keycloakToken: object) => {
  let _client: PoolClient;
  let _isOpen = false;

  const _open = async () => {
    if (_client || _isOpen) {
      return;
    }
    const pool = getDBPool();
    _client = await pool.connect();
    _isOpen = true;
    await _setUserContext();
    await _client.query('BEGIN');
  };

  const _release = () => {
    ${releaseBody}
  };

  const _query = async (text: string) => _client.query(text);

  return { open: _open, release: _release, query: _query };
};
`;

describe('round 21 (validation set 61, after its judging): a client held by the object a factory returns', () => {
  it("does not report a client that open() takes into the closure and the object's release() gives back (seen in a public backend: biohubbc-platform db.ts:227)", () => {
    const root = repository({});
    expect(reportedLinesInRepository(scopeRule as never, root, 'api/src/database/db.ts', dbConnection('_client.release();\n    _isOpen = false;'))).toEqual([]);
  });

  it('keeps reporting a client that open() itself releases, outside a finally', () => {
    const root = repository({});
    const code = dbConnection('_isOpen = false;').replace("await _client.query('BEGIN');", "await _client.query('BEGIN');\n    _client.release();");
    expect(reportedLinesInRepository(scopeRule as never, root, 'api/src/database/db.ts', code)).toEqual(['releasedOutsideFinally@13']);
  });
});

/** DEFRA/aphw-ddi-api app/plugins/cron.js:1-12: overnight jobs on node-cron 3.0.3. */
const OVERNIGHT_CRON = `
const cron = require('node-cron');
const { runOvernightJobs } = require('../overnight/run-jobs');

const setupCron = (server) => {
  cron.schedule('5 4 * * *', async () => {
    const result = await runOvernightJobs(server);
    console.log(\`overnight result \${result}\`);
  }, { scheduled: true, timezone: 'Europe/London' });
};

module.exports = { setupCron };
`;

describe("round 21 (set 62): node-cron 3 catches a task's rejection and emits task-failed", () => {
  const project = (range: string) =>
    repository({
      'package.json': JSON.stringify({ name: 'aphw-ddi-api', private: true, dependencies: { 'node-cron': range, sequelize: '^6.35.0' } }),
      'app/overnight/run-jobs.js': "const sequelize = require('../config/db');\nconst runOvernightJobs = async (server) => {\n  const dogs = await sequelize.models.dog.findAll();\n  return dogs.length;\n};\nmodule.exports = { runOvernightJobs };\n",
    });

  it('does not call the rejection unhandled, and says instead that the failure is lost without a log (seen in a public backend: aphw-ddi-api app/plugins/cron.js:6)', () => {
    const root = project('3.0.3');
    expect(reportedLinesInRepository(floating as never, root, 'app/plugins/cron.js', OVERNIGHT_CRON)).toEqual([]);
    expect(reportedLinesInRepository(errorHandling as never, root, 'app/plugins/cron.js', OVERNIGHT_CRON)).toEqual(['failureSwallowedByFramework@6']);
  });

  it('keeps both reports on an older node-cron, which the entry does not vouch for', () => {
    const root = project('^1.8.2');
    expect(reportedLinesInRepository(floating as never, root, 'app/plugins/cron.js', OVERNIGHT_CRON)).toEqual(['floatingCallback@6']);
    expect(reportedLinesInRepository(errorHandling as never, root, 'app/plugins/cron.js', OVERNIGHT_CRON)).toEqual(['missingTryCatch@6']);
  });
});

/** chaynHQ/bloom-backend src/logger/logger.ts:91-97: Rollbar told to capture unhandled rejections. */
const rollbarLogger = (capture: string) => `
import Rollbar from 'rollbar';

export class Logger {
  private rollbar?: Rollbar;
  initialiseRollbar() {
    this.rollbar = new Rollbar({
      accessToken: process.env.ROLLBAR_TOKEN,
      captureUncaught: true,
      captureUnhandledRejections: ${capture},
    });
  }
}
`;

describe('round 21 (set 62): Rollbar capturing unhandled rejections', () => {
  it('hears the rejection when the product builds Rollbar with captureUnhandledRejections: true (seen in a public backend: bloom-backend src/logger/logger.ts:96)', () => {
    const root = repository({ 'src/logger/logger.ts': rollbarLogger('true') });
    expect(reportedLinesInRepository(floating as never, root, 'src/heartbeat.ts', HEARTBEAT)).toEqual([]);
  });

  it('keeps reporting when Rollbar is told not to capture them', () => {
    const root = repository({ 'src/logger/logger.ts': rollbarLogger('false') });
    expect(reportedLinesInRepository(floating as never, root, 'src/heartbeat.ts', HEARTBEAT)).toEqual(['floatingCallback@3']);
  });
});
