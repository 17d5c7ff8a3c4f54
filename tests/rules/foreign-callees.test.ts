/**
 * Callees in other files, read without type information (src/analysis/tasks/foreign-callees.ts,
 * issue 13 round 9): a call whose target another file of the project defines, named by a relative
 * import or by the declared class of a member of `this`, cannot reject when that target catches
 * everything. The callers below are linted as if they lay in fixtures/foreign, beside the modules
 * they import; each valid case has a near miss that stays reported.
 */
import path from 'node:path';
import { afterEach } from 'vitest';
import floatingRule from '../../src/rules/no-floating-background-task.js';
import errorHandlingRule from '../../src/rules/require-background-error-handling.js';
import { clearForeignModules } from '../../src/analysis/tasks/foreign-callees.js';
import { createRuleTester } from '../rule-tester.js';

const dir = path.resolve(import.meta.dirname, '../../fixtures/foreign');
const filename = path.join(dir, 'caller.ts');
const jsFilename = path.join(dir, 'caller.js');
// No process-wide handler: without this, `auto` would scan the repository the fixtures lie in.
const settings = { 'background-tasks': { processRejectionHandler: 'none' } };

afterEach(() => clearForeignModules());

const kubernetesHeartbeat = (call: string, member = 'private readonly kubectl: KubernetesService', from = './kubernetes.service') => `
import { KubernetesService } from '${from}';
export class AddonsService {
  constructor(${member}) {}
  start() {
    setInterval(async () => {
      await ${call};
    }, 60_000);
  }
}`;

// Jellystat's CommonJS shapes (issue 13, round 11): `new Config().getConfig()`, an instance made
// in a const, and a member assigned `new X()` in a JavaScript constructor.
const jellystat = (use: string) => `
const Config = require('./config');
class EmbyAPI {
  constructor() {
    this.config = new Config();
    this.check();
  }
  check() {
    const timer = setInterval(async () => {
      ${use}
      clearInterval(timer);
    }, 5000);
  }
}
module.exports = EmbyAPI;`;

createRuleTester().run('no-floating-background-task (callees in other files)', floatingRule, {
  valid: [
    // Valid because the required class's method catches everything (seen in a public backend: CyferShepard/Jellystat backend/classes/emby-api.js:13, config.js)
    { name: 'Valid because the method of a required class, on a new instance, catches everything (Jellystat emby-api.js:13)', code: jellystat('await new Config().getConfig();'), filename: jsFilename, settings },
    { name: 'Valid because the method of a required class, on an instance in a const, catches everything (Jellystat task-scheduler.js:45)', code: jellystat('const config = new Config();\n      await config.getConfig();'), filename: jsFilename, settings },
    { name: 'Valid because the method of the class a JavaScript constructor assigns to this.config catches everything (Jellystat webhook-scheduler.js:90)', code: jellystat('await this.config.getConfig();'), filename: jsFilename, settings },
    // Valid because the injected service's method wraps its whole body in try/catch (seen in a public backend: kubero-dev/kubero server/src/addons/addons.service.ts:38, kubernetes.service.ts)
    { name: 'Valid because the injected class method catches everything (kubero addons.service.ts:38)', code: kubernetesHeartbeat('this.kubectl.getPipelinesList()'), filename, settings },
    // Valid because the method hands back a chain that ends in `.catch(handler)` (seen in a public backend: kubero kubernetes.service.ts deleteApp)
    { name: 'Valid because the injected method returns a handled chain (kubero kubernetes.service.ts deleteApp)', code: kubernetesHeartbeat("this.kubectl.deleteApp('x')"), filename, settings },
    // Valid because two files away the work is caught: PipelinesService.getContext awaits only the catching KubernetesService method (seen in a public backend: kubero apps.service.ts:395)
    {
      name: 'Valid because the callee reaches the catching service through its own injected member (kubero apps.service.ts:395)',
      code: `
import { PipelinesService } from './pipelines.service';
export class LogsService {
  constructor(private readonly pipelinesService: PipelinesService) {}
  start() {
    setInterval(async () => {
      await this.pipelinesService.getContext('main');
    }, 1000);
  }
}`,
      filename,
      settings,
    },
    // Valid because a field initialised with `new` of an imported default class names the class (seen in a public backend: caprover's pro manager)
    {
      name: 'Valid because a member built with new of the default-exported class catches (caprover ProManager)',
      code: `
import Mailer from './db';
export class Notifier {
  private mailer = new Mailer();
  start() {
    setTimeout(async () => {
      await this.mailer.send('ops@example.com');
    }, 1000);
  }
}`,
      filename,
      settings,
    },
    // Valid because an imported function with an I/O name (`query`) catches everything in its own module
    {
      name: 'Valid because the imported query function catches everything in its module',
      code: `
import { query } from './db';
setInterval(async () => {
  await query('SELECT 1');
}, 1000);`,
      filename,
      settings,
    },
    // Valid because a namespace import's function catches everything
    {
      name: 'Valid because the namespace member catches everything',
      code: `
import * as db from './db';
setInterval(async () => {
  await db.query('SELECT 1');
}, 1000);`,
      filename,
      settings,
    },
    // Valid because a CommonJS module exports an instance whose method catches (seen in a public backend: advplyr/audiobookshelf server/managers/CronManager.js:43, Database.js)
    {
      name: 'Valid because the required instance method catches everything (audiobookshelf CronManager.js:43)',
      code: `
const store = require('./store');
setInterval(async () => {
  await store.update(1);
}, 1000);`,
      filename: jsFilename,
      settings,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the required class method that the constructor assigns awaits a query outside try/catch',
      code: jellystat('await this.config.getSettings();'),
      filename: jsFilename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 9 }],
    },
    // Invalid because the injected method awaits its API call with no try/catch
    {
      name: 'Invalid because the injected method does not catch',
      code: kubernetesHeartbeat("this.kubectl.createNamespace('x')"),
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
    // Invalid because two files away the work is not caught
    {
      name: 'Invalid because the callee reaches a method that does not catch',
      code: `
import { PipelinesService } from './pipelines.service';
export class LogsService {
  constructor(private readonly pipelinesService: PipelinesService) {}
  start() {
    setInterval(async () => {
      await this.pipelinesService.removePipeline('main');
    }, 1000);
  }
}`,
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
    // Invalid because a member with no declared class names no file to read
    {
      name: 'Invalid because the member has no declared type',
      code: kubernetesHeartbeat('this.kubectl.getPipelinesList()', 'private readonly kubectl: any'),
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
    // Invalid because the imported function of the same module does not catch
    {
      name: 'Invalid because the imported findAll function does not catch',
      code: `
import { findAll } from './db';
setInterval(async () => {
  await findAll('SELECT * FROM t');
}, 1000);`,
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 3 }],
    },
    // Invalid because the required instance's other method does not catch
    {
      name: 'Invalid because the required instance method does not catch',
      code: `
const store = require('./store');
setInterval(async () => {
  await store.remove(1);
}, 1000);`,
      filename: jsFilename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 3 }],
    },
    // Invalid because one path of the callee hands back its promise chain without a handler (seen in a public backend: teableio/teable mail-sender.service.ts sendMail with shouldThrow)
    {
      name: 'Invalid because the callee returns an unhandled chain on one path (teable MailSenderService.sendMail)',
      code: `
import { MailSenderService } from './mail-sender.service';
export class NotificationService {
  constructor(private readonly mailSenderService: MailSenderService) {}
  start() {
    setInterval(async () => {
      await this.mailSenderService.sendMail({ to: 'ops@example.com' });
    }, 60_000);
  }
}`,
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
    // Invalid because a module that does not parse answers nothing (and the rule does not throw)
    {
      name: 'Invalid because the imported module does not parse',
      code: kubernetesHeartbeat('this.kubectl.getPipelinesList()', 'private readonly kubectl: KubernetesService', './broken.service'),
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
    // Invalid because a module path that does not exist answers nothing
    {
      name: 'Invalid because the imported module does not exist',
      code: kubernetesHeartbeat('this.kubectl.getPipelinesList()', 'private readonly kubectl: KubernetesService', './missing.service'),
      filename,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 6 }],
    },
  ],
});

createRuleTester().run('require-background-error-handling (callees in other files)', errorHandlingRule, {
  valid: [
    // Valid because the dropped method's only await goes to an injected method that catches (seen in a public backend: kubero-dev/kubero server/src/addons/addons.service.ts:41)
    {
      name: 'Valid because the awaited injected method catches everything (kubero addons.service.ts:41)',
      code: `
import { KubernetesService } from './kubernetes.service';
export class AddonsService {
  constructor(private kubectl: KubernetesService) {
    this.loadOperators();
  }
  async loadOperators() {
    const operators = await this.kubectl.getPipelinesList();
    this.operators = operators;
  }
}`,
      filename,
      settings,
    },
  ],
  invalid: [
    // Invalid because the awaited injected method does not catch
    {
      name: 'Invalid because the awaited injected method does not catch',
      code: `
import { KubernetesService } from './kubernetes.service';
export class AddonsService {
  constructor(private kubectl: KubernetesService) {
    this.loadOperators();
  }
  async loadOperators() {
    await this.kubectl.createNamespace('operators');
  }
}`,
      filename,
      settings,
      errors: [{ messageId: 'missingTryCatch', line: 7 }],
    },
  ],
});
