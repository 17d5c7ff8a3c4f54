/**
 * The project fact "the processes log unhandled rejections and keep running" (issue 13, round 3):
 * found by a bounded scan of the project's source files, confirmed by a parse, cached per root;
 * test code and handlers that end the process do not count. Runs the real rules on files in
 * temporary repositories, as ESLint and bgtask-review see them (absolute file names, a cwd).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { parseForESLint } from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import floating from '../../src/rules/no-floating-background-task.js';
import errorHandling from '../../src/rules/require-background-error-handling.js';
import { rejectionHandlersIn, scanProject } from '../../src/analysis/tasks/rejections.js';
import { HEARTBEAT, temporaryRepositories } from '../temp-repositories.js';
import { vocabularyFromSettings } from '../../src/model/settings.js';


const LOGGING_HANDLER = `
import { logger } from './logger';
process.on('unhandledRejection', (reason) => {
  logger.error('Received unhandledRejection...', reason);
  // not closing on purpose
});`;

/** A temporary repository with these files (relative path -> text). */
const repository = temporaryRepositories('bgtask-rejections-');

/** The messages of both rules on `code` linted as `relative` in `root`. */
function reports(root: string, relative: string, code = HEARTBEAT, settings?: Record<string, unknown>): string[] {
  const linter = new Linter({ cwd: root });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
        plugins: { bt: { rules: { floating: floating as never, errors: errorHandling as never } } },
        rules: { 'bt/floating': 'error', 'bt/errors': 'error' },
        ...(settings ? { settings } : {}),
      },
    ],
    { filename: path.join(root, relative) },
  );
  return messages.map((m) => m.messageId ?? m.message);
}


const vocabulary = vocabularyFromSettings(undefined);
// The parser's own visitor keys (what ESLint hands the rules), not a transitive package's.
const keys = parseForESLint('', { range: true }).visitorKeys as never;

describe('the process rejection handler, found in the project', () => {
  it('reports the dropped callback when no process handler exists (recall kept)', () => {
    const root = repository({ 'src/worker.ts': HEARTBEAT });
    expect(reports(root, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('does not claim a crash when a process logs and keeps running (seen in a public backend: NangoHQ/nango packages/orchestrator/lib/app.ts:15)', () => {
    const root = repository({
      'packages/server/lib/app.ts': LOGGING_HANDLER,
      'packages/server/package.json': '{"name":"@app/server","dependencies":{"@app/shared":"*"}}',
      'packages/jobs/lib/app.ts': LOGGING_HANDLER,
      'packages/jobs/package.json': '{"name":"@app/jobs","dependencies":{"@app/shared":"*"}}',
      'packages/cli/package.json': '{"name":"app-cli","bin":{"app":"dist/index.js"},"dependencies":{"@app/shared":"*"}}',
      'packages/shared/package.json': '{"name":"@app/shared"}',
      'packages/shared/lib/worker.ts': HEARTBEAT,
    });
    expect(reports(root, 'packages/shared/lib/worker.ts')).toEqual([]);
    const scan = scanProject(root, vocabulary, keys);
    expect(scan.logsFor(path.join(root, 'packages/shared/lib/worker.ts'))).toBe(true);
    expect([...scan.loggingHandlers].sort()).toEqual([path.join(root, 'packages/jobs/lib/app.ts'), path.join(root, 'packages/server/lib/app.ts')]);
  });

  it('keeps the reports for a library that a process without a handler also runs (seen in a public backend: Dokploy/dokploy, handler only in apps/schedules/src/index.ts:106)', () => {
    const root = repository({
      'apps/schedules/package.json': '{"name":"schedules","dependencies":{"@dokploy/server":"*"}}',
      'apps/schedules/src/index.ts': LOGGING_HANDLER,
      'apps/dokploy/package.json': '{"name":"dokploy","dependencies":{"@dokploy/server":"*","next":"*"}}',
      'apps/dokploy/server/queue.ts': HEARTBEAT,
      'packages/server/package.json': '{"name":"@dokploy/server"}',
      'packages/server/src/worker.ts': HEARTBEAT,
    });
    expect(reports(root, 'packages/server/src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    expect(reports(root, 'apps/dokploy/server/queue.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    expect(reports(root, 'apps/schedules/src/job.ts')).toEqual([]);
  });

  it('does not claim a crash in a plugin package inside the server folder that loads it, when that server installs the handler (seen in a public backend: GladysAssistant/Gladys server/services/matter, handler in server/index.js)', () => {
    const root = repository({
      'server/package.json': '{"name":"gladys-server","dependencies":{"express":"*","sequelize":"*"}}',
      'server/index.js': LOGGING_HANDLER,
      'server/services/matter/package.json': '{"name":"gladys-matter","dependencies":{"@matter/main":"*"}}',
      'server/services/matter/lib/listen.ts': HEARTBEAT,
    });
    expect(reports(root, 'server/services/matter/lib/listen.ts')).toEqual([]);
  });

  it('keeps the reports of a package inside a workspace root: the root only lists its packages, it runs none of them', () => {
    const root = repository({
      'package.json': '{"name":"monorepo","private":true,"workspaces":["packages/*"]}',
      'src/index.ts': LOGGING_HANDLER,
      'packages/worker/package.json': '{"name":"worker","dependencies":{"bullmq":"*"}}',
      'packages/worker/src/heartbeat.ts': HEARTBEAT,
    });
    expect(reports(root, 'packages/worker/src/heartbeat.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('does not claim a crash in a plugin of an app whose shared bootstrap library installs the handler (seen in a public backend: ever-gauzy packages/plugins/integration-github, handler in packages/core bootstrap)', () => {
    const files = {
      'apps/api/package.json': '{"name":"api","dependencies":{"@app/core":"*","@app/plugin-github":"*"}}',
      'apps/api/src/main.ts': `import { bootstrap } from '@app/core';\nbootstrap();`,
      'packages/core/package.json': '{"name":"@app/core"}',
      'packages/core/src/bootstrap.ts': `export function bootstrap() {${LOGGING_HANDLER}\n}`,
      'packages/plugin-github/package.json': '{"name":"@app/plugin-github"}',
      'packages/plugin-github/src/sync.ts': HEARTBEAT,
    };
    expect(reports(repository(files), 'packages/plugin-github/src/sync.ts')).toEqual([]);
    // The app exits on an uncaught exception, but the bootstrap it runs hooks rejections: Node never raises them as exceptions.
    const exitsOnExceptions = {
      ...files,
      'apps/api/src/main.ts': `import { bootstrap } from '@app/core';\nprocess.on('uncaughtException', (err) => { console.error(err); process.exit(1); });\nbootstrap();`,
    };
    expect(reports(repository(exitsOnExceptions), 'packages/plugin-github/src/sync.ts')).toEqual([]);
    // A second process runs the plugin without that library: the plugin keeps its reports.
    const withWorker = repository({ ...files, 'apps/worker/package.json': '{"name":"worker","dependencies":{"@app/plugin-github":"*"}}' });
    expect(reports(withWorker, 'packages/plugin-github/src/sync.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('does not claim a crash in a command-line tool that no server runs: it fails loud on purpose, like a script (seen in a public backend: logto-io/logto packages/translate, bin logto-translate)', () => {
    const root = repository({
      'packages/translate/package.json': '{"name":"@app/translate","bin":{"app-translate":"bin/index.js"},"dependencies":{"openai":"*","yargs":"*"}}',
      'packages/translate/src/worker.ts': HEARTBEAT,
      'packages/server/package.json': '{"name":"@app/server","bin":{"app-server":"dist/main.js"},"dependencies":{"express":"*","commander":"*"}}',
      'packages/server/src/worker.ts': HEARTBEAT,
    });
    expect(reports(root, 'packages/translate/src/worker.ts')).toEqual([]);
    // A server that ships a start command (`bin`) depends on a server framework: still a server.
    expect(reports(root, 'packages/server/src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    // A package with a bin and no CLI framework (this plugin's own bgtask-review, a worker's start script) keeps its reports.
    const plain = repository({ 'package.json': '{"name":"worker","bin":{"worker":"dist/main.js"},"dependencies":{"bullmq":"*"}}', 'src/worker.ts': HEARTBEAT });
    expect(reports(plain, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('does not claim a crash in a library that only client apps run: Electron, a Vite web app, a UI package (seen in a public backend: colanode packages/client, run by apps/desktop, apps/web and packages/ui)', () => {
    const files = {
      'packages/client/package.json': '{"name":"@app/client","dependencies":{"kysely":"*"}}',
      'packages/client/src/sync.ts': HEARTBEAT,
      'packages/ui/package.json': '{"name":"@app/ui","dependencies":{"@app/client":"*","react":"*"}}',
      'apps/desktop/package.json': '{"name":"desktop","dependencies":{"@app/client":"*","@app/ui":"*","better-sqlite3":"*"},"devDependencies":{"electron":"*"}}',
      'apps/web/package.json': '{"name":"web","dependencies":{"@app/client":"*","@app/ui":"*"},"devDependencies":{"@vitejs/plugin-react":"*","vite":"*"}}',
    };
    expect(reports(repository(files), 'packages/client/src/sync.ts')).toEqual([]);
    // A server that runs the library too: its crash is a server's.
    const withServer = repository({ ...files, 'apps/server/package.json': '{"name":"server","dependencies":{"@app/client":"*","fastify":"*"}}' });
    expect(reports(withServer, 'packages/client/src/sync.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    // An app that builds with Vite but depends on a server framework is a server (SSR).
    const ssr = repository({ ...files, 'apps/web/package.json': '{"name":"web","dependencies":{"@app/client":"*","@app/ui":"*","express":"*"},"devDependencies":{"@vitejs/plugin-react":"*"}}' });
    expect(reports(ssr, 'packages/client/src/sync.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('keeps the reports of a server package that client apps depend on for its types, and of a plugin that full-stack packages depend on (seen in public backends: hoppscotch-backend, nocobase plugins)', () => {
    const root = repository({
      'packages/backend/package.json': '{"name":"backend","dependencies":{"@nestjs/core":"*"}}',
      'packages/backend/src/sso.ts': HEARTBEAT,
      'packages/admin/package.json': '{"name":"admin","dependencies":{"backend":"*","react":"*"},"devDependencies":{"@vitejs/plugin-react":"*"}}',
      'packages/plugin/package.json': '{"name":"@app/plugin"}',
      'packages/plugin/src/server/trigger.ts': HEARTBEAT,
      'packages/app/package.json': '{"name":"@app/app","dependencies":{"@app/plugin":"*","react":"*","@app/server":"*"}}',
    });
    expect(reports(root, 'packages/backend/src/sso.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    expect(reports(root, 'packages/plugin/src/server/trigger.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('a workspace root that lists a CLI package runs nothing: the CLI still fails loud on purpose (seen in a public backend: logto-io/logto root package.json and packages/translate)', () => {
    const files = {
      'package.json': '{"name":"@app/root","private":true,"devDependencies":{"@app/translate":"workspace:^"}}',
      'packages/translate/package.json': '{"name":"@app/translate","bin":{"app-translate":"bin/index.js"},"dependencies":{"yargs":"*"}}',
      'packages/translate/src/worker.ts': HEARTBEAT,
    };
    expect(reports(repository({ ...files, 'pnpm-workspace.yaml': 'packages:\n  - packages/*\n' }), 'packages/translate/src/worker.ts')).toEqual([]);
    // Without a workspace manifest the root package is taken for a process that runs the CLI's code.
    expect(reports(repository(files), 'packages/translate/src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('an uncaughtException handler that logs and keeps running hears an unhandled rejection too: Node raises it as an uncaught exception', () => {
    const logs = repository({ 'src/app.ts': `process.on('uncaughtException', (err) => { logger.error(err); });`, 'src/worker.ts': HEARTBEAT });
    expect(reports(logs, 'src/worker.ts')).toEqual([]);
    const exits = repository({ 'src/app.ts': `process.on('uncaughtException', (err) => { logger.error(err); process.exit(1); });`, 'src/worker.ts': HEARTBEAT });
    expect(reports(exits, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('an unhandledRejection handler, when there is one, decides: Node then never raises the rejection as an exception (seen in a public backend: ever-gauzy, whose bootstrap logs rejections and exits on uncaught exceptions)', () => {
    const logsRejections = repository({
      'src/bootstrap.ts': `${LOGGING_HANDLER}\nprocess.on('uncaughtException', (err) => { logger.error(err); process.exit(1); });`,
      'src/worker.ts': HEARTBEAT,
    });
    expect(reports(logsRejections, 'src/worker.ts')).toEqual([]);
    const exitsOnRejections = repository({
      'src/bootstrap.ts': `process.on('unhandledRejection', (reason) => { throw reason; });\nprocess.on('uncaughtException', (err) => { logger.error(err); });`,
      'src/worker.ts': HEARTBEAT,
    });
    expect(reports(exitsOnRejections, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('a winston logger that handles exceptions without exiting is such a handler (seen in a public backend: Tiledesk/tiledesk-server, config/winston.js)', () => {
    const config = (exit: string) =>
      `const winston = require('winston');\nmodule.exports = winston.createLogger({ transports: [new winston.transports.Console({ handleExceptions: true })], ${exit} });`;
    expect(reports(repository({ 'config/winston.js': config('exitOnError: false'), 'src/worker.ts': HEARTBEAT }), 'src/worker.ts')).toEqual([]);
    // winston exits after logging unless told not to.
    expect(reports(repository({ 'config/winston.js': config('level: "info"'), 'src/worker.ts': HEARTBEAT }), 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('keeps the reports when the handler ends the process', () => {
    const root = repository({
      'src/app.ts': `process.on('unhandledRejection', (reason) => { logger.fatal(reason); process.exit(1); });`,
      'src/worker.ts': HEARTBEAT,
    });
    expect(reports(root, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    expect(scanProject(root, vocabulary, keys).exitingHandlers).toHaveLength(1);
  });

  it('keeps the reports when only test code installs a handler (seen in a public backend: Unleash/unleash src/test/e2e/api/client/bulk-metrics-rejections.e2e.test.ts:175)', () => {
    const root = repository({ 'src/test/e2e/rejections.e2e.test.ts': LOGGING_HANDLER, 'src/worker.ts': HEARTBEAT });
    expect(reports(root, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it('skips scripts: a migration script that exits on a rejection is a process of its own (seen in a public backend: langfuse/langfuse worker/src/backgroundMigrations/utils/backfillBase.ts:841 is the kind)', () => {
    const root = repository({
      'src/app.ts': LOGGING_HANDLER,
      'scripts/migrate.ts': `process.on('unhandledRejection', (reason) => { console.error(reason); process.exit(1); });`,
      'src/worker.ts': HEARTBEAT,
    });
    const scan = scanProject(root, vocabulary, keys);
    expect(scan.exitingHandlers).toEqual([]);
    expect(scan.logsFor(path.join(root, 'src/worker.ts'))).toBe(true);
  });

  it('skips node_modules and build output', () => {
    const root = repository({ 'node_modules/lib/index.js': LOGGING_HANDLER, 'dist/app.js': LOGGING_HANDLER, 'src/worker.ts': HEARTBEAT });
    expect(scanProject(root, vocabulary, keys).logsFor(path.join(root, 'src/worker.ts'))).toBe(false);
  });

  it('the setting overrides the scan both ways', () => {
    const logging = repository({ 'src/app.ts': LOGGING_HANDLER, 'src/worker.ts': HEARTBEAT });
    expect(reports(logging, 'src/worker.ts', HEARTBEAT, { 'background-tasks': { processRejectionHandler: 'none' } })).toEqual(['floatingCallback', 'missingTryCatch']);
    const bare = repository({ 'src/worker.ts': HEARTBEAT });
    expect(reports(bare, 'src/worker.ts', HEARTBEAT, { 'background-tasks': { processRejectionHandler: 'logs' } })).toEqual([]);
  });

  it('rejects an unknown setting value', () => {
    expect(() => vocabularyFromSettings({ 'background-tasks': { processRejectionHandler: 'maybe' } })).toThrow(/processRejectionHandler must be one of "auto", "logs", "none"/);
  });
});

/** Socioboard's layout: server packages side by side with a shared package they import by path, no package.json above them. */
function sideBySide(adminImports: string): string {
  const root = repository({
    'api/Common/package.json': '{"name":"common-library","dependencies":{"sequelize":"*","express":"*"}}',
    'api/Common/Models/feeds.model.ts': HEARTBEAT,
    'api/Common/Sequelize-cli/models/index.ts': 'export const db = {};',
    'api/Feeds/package.json': '{"name":"feeds","dependencies":{"express":"*"}}',
    'api/Feeds/feeds.server.ts': `import Feeds from '../Common/Models/feeds.model.js';\n${LOGGING_HANDLER}`,
    'api/Publish/package.json': '{"name":"publish","dependencies":{"express":"*"}}',
    'api/Publish/publish.server.ts': `import Feeds from '../Common/Models/feeds.model.js';\n${LOGGING_HANDLER}`,
    'api/Admin/package.json': '{"name":"admin","dependencies":{"express":"*"}}',
    'api/Admin/admin.server.ts': `import db from '${adminImports}';\nexport const app = db;`,
  });
  fs.rmSync(path.join(root, 'package.json'));
  return root;
}

describe('a shared package that the servers beside it import by path (issue 13, round 13)', () => {
  it('does not claim a crash when every server that imports the folder by path installs a handler that logs (seen in a public backend: Socioboard socioboard-api/Common, loaded by Feeds, Publish, Update, User, Notification)', () => {
    const root = sideBySide('../Common/Sequelize-cli/models/index.js');
    expect(reports(root, 'api/Common/Models/feeds.model.ts')).toEqual([]);
    const scan = scanProject(root, vocabulary, keys);
    expect(scan.logsFor(path.join(root, 'api/Common/Models/feeds.model.ts'))).toBe(true);
    // The Admin server, which has no handler, loads only the models folder: its files stay unheard.
    expect(scan.logsFor(path.join(root, 'api/Common/Sequelize-cli/models/index.ts'))).toBe(false);
  });

  it('keeps the reports when a server without a handler imports the same folder', () => {
    const root = sideBySide('../Common/Models/feeds.model.js');
    expect(reports(root, 'api/Common/Models/feeds.model.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });
});

describe('handlers a framework or an SDK installs (issue 13, round 14)', () => {
  const SENTRY = (dsn: string, extra = '') => `import * as Sentry from '@sentry/node';
Sentry.init({
  dsn: ${dsn},
  tracesSampleRate: 1.0,${extra}
});`;

  it('does not claim a crash when the server initializes Sentry with its DSN in the code: its default onUnhandledRejection integration logs and keeps running (seen in a public backend: openneuro-server src/sentry.ts)', () => {
    const root = repository({ 'src/sentry.ts': SENTRY("'https://key@o1.ingest.sentry.io/2'"), 'src/worker.ts': HEARTBEAT });
    expect(reports(root, 'src/worker.ts')).toEqual([]);
    expect(scanProject(root, vocabulary, keys).loggingHandlers).toEqual([path.join(root, 'src/sentry.ts')]);
  });

  it('keeps the reports when the DSN comes from the environment (seen in a public backend: whaticket backend/src/app.ts:15), or the integration is told to exit', () => {
    const fromEnv = repository({ 'src/sentry.ts': SENTRY('process.env.SENTRY_DSN'), 'src/worker.ts': HEARTBEAT });
    expect(reports(fromEnv, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    const strict = repository({
      'src/sentry.ts': SENTRY("'https://key@o1.ingest.sentry.io/2'", "\n  integrations: [Sentry.onUnhandledRejectionIntegration({ mode: 'strict' })],"),
      'src/worker.ts': HEARTBEAT,
    });
    expect(reports(strict, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it("does not claim a crash when Sentry starts outside development with a DSN from the application's settings (issue 13, round 16: seen in a public backend, discordextremelist/website src/instrument.ts)", () => {
    const guarded = (test: string, dsn: string) => `import * as Sentry from '@sentry/node';
import settings from '../settings.json' with { type: 'json' };
if (${test}) {
  Sentry.init({ dsn: ${dsn}, environment: 'production' });
}`;
    const root = repository({ 'src/instrument.ts': guarded('!settings.website.dev', 'settings.secrets.sentry'), 'src/worker.ts': HEARTBEAT });
    expect(reports(root, 'src/worker.ts')).toEqual([]);
    // Near misses: an init the code makes optional on the DSN (seen in a public backend: camino-api src/index.ts:38), and a DSN from the environment under the same guard.
    const optional = repository({ 'src/instrument.ts': guarded('process.env.SENTRY_DSN', 'process.env.SENTRY_DSN'), 'src/worker.ts': HEARTBEAT });
    expect(reports(optional, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    const fromEnv = repository({ 'src/instrument.ts': guarded('!settings.website.dev', 'process.env.SENTRY_DSN'), 'src/worker.ts': HEARTBEAT });
    expect(reports(fromEnv, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it("does not claim a crash when a NestJS server starts Sentry in its bootstrap with a DSN its env example lists (issue 13, round 17: seen in a public backend, agir-back src/main.ts:35 and .env.sample)", () => {
    const main = (dsn: string) => `import * as Sentry from '@sentry/node';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  Sentry.init({ dsn: ${dsn}, tracesSampleRate: 1.0 });
  await app.listen(process.env.PORT || 3000);
}
bootstrap();`;
    const root = repository({ 'src/main.ts': main('process.env.SENTRY_DSN'), '.env.sample': 'PORT=3000\nSENTRY_DSN=XXXX\n', 'src/worker.ts': HEARTBEAT });
    expect(reports(root, 'src/worker.ts')).toEqual([]);
    expect(scanProject(root, vocabulary, keys).loggingHandlers).toEqual([path.join(root, 'src/main.ts')]);
    // Near misses: the env example does not list the variable (seen in a public backend: camino-api's
    // .env-example), and an init in a function the module never calls at its top level.
    const unlisted = repository({ 'src/main.ts': main('process.env.SENTRY_DSN'), '.env.sample': 'PORT=3000\n', 'src/worker.ts': HEARTBEAT });
    expect(reports(unlisted, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    const notCalled = repository({ 'src/main.ts': main("'https://key@o1.ingest.sentry.io/2'").replace('\nbootstrap();', ''), 'src/worker.ts': HEARTBEAT });
    expect(reports(notCalled, 'src/worker.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
    // A top-level async IIFE that starts Sentry with a DSN from the app's settings (seen in a public backend: matters-server src/index.ts:20).
    const iife = `import * as Sentry from '@sentry/node';
import { environment } from './environment';
;(async () => {
  Sentry.init({ dsn: environment.sentryDsn, release: '1.0.0' });
})();`;
    expect(reports(repository({ 'src/index.ts': iife, 'src/worker.ts': HEARTBEAT }), 'src/worker.ts')).toEqual([]);
    // Near miss: the same package also deploys a Lambda handler, a process without Sentry that runs
    // the same services (seen in a public backend: matters-server src/handlers/scheduledPublish.ts).
    const lambda = `import { publish } from '../worker';
export const handler = async () => {
  await publish();
  return { statusCode: 200 };
};`;
    expect(reports(repository({ 'src/index.ts': iife, 'src/handlers/scheduledPublish.ts': lambda, 'src/worker.ts': HEARTBEAT }), 'src/worker.ts')).toEqual([
      'floatingCallback',
      'missingTryCatch',
    ]);
  });

  it("does not claim a crash in a Nuxt app's server, which Nitro runs with a handler that logs (seen in a public backend: Litlyx dashboard/server/plugins/aggregation.ts)", () => {
    const nuxt = '{"name":"dashboard","scripts":{"build":"nuxt build","dev":"nuxt dev"},"dependencies":{"nuxt":"^3.16.2","vue":"^3.5.13","mongoose":"^8.0.0"}}';
    const root = repository({ 'package.json': nuxt, 'server/plugins/aggregation.ts': HEARTBEAT });
    expect(reports(root, 'server/plugins/aggregation.ts')).toEqual([]);
    // Near miss: a Nuxt 2 app, whose server installs no such handler.
    const old = repository({ 'package.json': nuxt.replace('^3.16.2', '^2.17.0'), 'server/plugins/aggregation.ts': HEARTBEAT });
    expect(reports(old, 'server/plugins/aggregation.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });

  it("treats a Nuxt app's composables beside its server folder as browser code (seen in a public backend: Litlyx dashboard/composables/useInsight.ts)", () => {
    const root = repository({ 'dashboard/server/api/ping.ts': '', 'dashboard/composables/useInsight.ts': HEARTBEAT, 'worker/src/jobs.ts': HEARTBEAT });
    expect(reports(root, 'dashboard/composables/useInsight.ts')).toEqual([]);
    expect(reports(root, 'worker/src/jobs.ts')).toEqual(['floatingCallback', 'missingTryCatch']);
  });
});

describe('which handlers log and keep running', () => {
  it('a handler in a function that installs it (seen in a public backend: NangoHQ/nango packages/runner/lib/app.ts:47)', () => {
    expect(rejectionHandlersIn(`function main() { process.on('unhandledRejection', (r) => { logger.error(r); }); }`, vocabulary, keys)).toEqual({ logs: true, exits: false });
  });

  it('a named handler of the same file, and one that calls a same-file function that exits', () => {
    expect(rejectionHandlersIn(`function onRejection(r) { logger.error(r); }\nprocess.once('unhandledRejection', onRejection);`, vocabulary, keys)).toEqual({ logs: true, exits: false });
    expect(rejectionHandlersIn(`const die = () => process.exit(1);\nprocess.on('unhandledRejection', (r) => { logger.error(r); die(); });`, vocabulary, keys)).toEqual({ logs: false, exits: true });
  });

  it('a log method passed as the handler logs (seen in a public backend: spacebarchat/server src/api/start.ts:20)', () => {
    expect(rejectionHandlersIn(`process.on("unhandledRejection", console.error);`, vocabulary, keys)).toEqual({ logs: true, exits: false });
    expect(rejectionHandlersIn(`process.on('unhandledRejection', this.logger.error);`, vocabulary, keys)).toEqual({ logs: true, exits: false });
    // Not a logger: what it does is unknown.
    expect(rejectionHandlersIn(`process.on('unhandledRejection', reporter.capture);`, vocabulary, keys)).toEqual({ logs: false, exits: false });
  });

  it('a handler that throws or exits only in development logs and keeps a deployed process running (seen in a public backend: kuzzle lib/kuzzle/kuzzle.ts:844)', () => {
    expect(
      rejectionHandlersIn(`process.on('unhandledRejection', (reason) => { log.error(reason); if (global.NODE_ENV === 'development') { throw reason; } });`, vocabulary, keys),
    ).toEqual({ logs: true, exits: false });
    expect(
      rejectionHandlersIn(`process.on('unhandledRejection', (r) => { logger.error(r); if (process.env.NODE_ENV !== 'production') process.exit(1); });`, vocabulary, keys),
    ).toEqual({ logs: true, exits: false });
    // Near misses: a production-only exit, and an exit in the else branch of a development test.
    expect(
      rejectionHandlersIn(`process.on('unhandledRejection', (r) => { logger.error(r); if (process.env.NODE_ENV === 'production') process.exit(1); });`, vocabulary, keys),
    ).toEqual({ logs: false, exits: true });
    expect(
      rejectionHandlersIn(`process.on('unhandledRejection', (r) => { if (isDev) { logger.error(r); } else { process.exit(1); } });`, vocabulary, keys),
    ).toEqual({ logs: false, exits: true });
  });

  it('handlers installed in a loop over a list of events', () => {
    expect(rejectionHandlersIn(`['unhandledRejection', 'uncaughtException'].forEach((e) => process.on(e, (r) => { logger.error(r); }));`, vocabulary, keys)).toEqual({ logs: false, exits: false });
    expect(rejectionHandlersIn(`const events = ['unhandledRejection'];
events.forEach((e) => process.on(e, (r) => { logger.error(r); }));`, vocabulary, keys)).toEqual({ logs: true, exits: false });
  });

  it('a handler that rethrows ends the process', () => {
    expect(rejectionHandlersIn(`process.on('unhandledRejection', (r) => { throw r; });`, vocabulary, keys)).toEqual({ logs: false, exits: true });
  });

  it('a handler imported from another module proves nothing', () => {
    expect(rejectionHandlersIn(`import { onRejection } from './x';\nprocess.on('unhandledRejection', onRejection);`, vocabulary, keys)).toEqual({ logs: false, exits: false });
  });

  it('a mention in a comment or a string is not a handler', () => {
    expect(rejectionHandlersIn(`// we swallow here to avoid an unhandledRejection error\nconst s = 'unhandledRejection';`, vocabulary, keys)).toEqual({ logs: false, exits: false });
  });
});
