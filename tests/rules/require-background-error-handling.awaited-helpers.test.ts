/**
 * require-background-error-handling on a helper that one call drops and another awaits (issue 13,
 * round 9): the dropped call is no-floating-background-task's report (SPEC: one problem, one
 * report), and a try/catch inside the helper would hide its failure from the callers that wait.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-background-error-handling (helpers other callers await)', rule, {
  valid: [
    // Valid because another caller awaits the helper: a try/catch inside would hide its failure from that caller; the dropped call is no-floating-background-task's (seen in public backends: laudspeaker customers.service.ts removeImportFile, etherpad-lite Pad.saveToDatabase)
    {
      name: 'Valid because another caller awaits the helper the dropped call starts (laudspeaker removeImportFile)',
      code: `
export class CustomersService {
  async importFile(id: string) {
    await this.parse(id);
    await this.removeImportFile(id);
  }
  cancelImport(id: string) {
    this.removeImportFile(id);
  }
  async removeImportFile(id: string) {
    await this.storage.deleteObject(id);
    await this.importsRepository.delete({ id });
  }
}`,
    },
    // Valid because a callback adapter hands the async function's outcome to its caller's callback: the caller waits for it (seen in a public backend: nodemailer/wildduck lib/mailbox-handler.js:29, user-handler.js:395)
    {
      name: 'Valid because a callback adapter hands the outcome to the caller (wildduck mailbox-handler.js:29)',
      code: `
export class MailboxHandler {
  create(user, path, opts, callback) {
    this.createAsync(user, path, opts)
      .then((mailbox) => callback(null, mailbox.status, mailbox.id))
      .catch((err) => callback(err));
  }
  async createAsync(user, path, opts) {
    try {
      await publish(this.redis, { ev: 'mailbox.created', user, path });
    } catch (err) {}
    return this.database.collection('mailboxes').insertOne({ user, path, ...opts });
  }
}`,
    },
  ],
  invalid: [
    // Invalid because the chain's catch does not tell the caller: the started work is detached
    {
      name: 'Invalid because the adapter logs the failure instead of handing it to the callback',
      options: [{ checkEmptyCatches: true }],
      code: `
export class MailboxHandler {
  create(user, path, opts, callback) {
    this.createAsync(user, path, opts).catch((err) => log.error('create failed', err));
    callback(null);
  }
  async createAsync(user, path, opts) {
    try {
      await publish(this.redis, { ev: 'mailbox.created', user, path });
    } catch (err) {}
    return this.database.collection('mailboxes').insertOne({ user, path, ...opts });
  }
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 10,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export class MailboxHandler {
  create(user, path, opts, callback) {
    this.createAsync(user, path, opts).catch((err) => log.error('create failed', err));
    callback(null);
  }
  async createAsync(user, path, opts) {
    try {
      await publish(this.redis, { ev: 'mailbox.created', user, path });
    } catch (err) {
      console.error(\`MailboxHandler.createAsync failed\`, err);
    }
    return this.database.collection('mailboxes').insertOne({ user, path, ...opts });
  }
}`,
            },
          ],
        },
      ],
    },
    // Invalid because no caller waits for the helper: its failure is unhandled wherever it runs
    {
      name: 'Invalid because every call drops the helper',
      code: `
export class CustomersService {
  cancelImport(id: string) {
    this.removeImportFile(id);
  }
  abortImport(id: string) {
    this.removeImportFile(id);
  }
  async removeImportFile(id: string) {
    await this.storage.deleteObject(id);
    await this.importsRepository.delete({ id });
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 9 }],
    },
  ],
});
