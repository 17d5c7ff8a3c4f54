/**
 * require-background-error-handling on catches whose `try` awaits nothing (issue 13, round 9): a
 * synchronous step that fails (a parse, a `readFileSync`, a `process.kill(pid, 0)` probe) falls
 * back locally, and no job failure is lost. `recommended` reports only catches around awaited work,
 * or after an in-progress status; option `checkSynchronousCatches` (strict) reports them all.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

const probe = `
export function reapChild(pid: number) {
  setTimeout(function () {
    let alive = false;
    try { alive = process.kill(pid, 0); }
    catch (e) {}
    if (alive) process.kill(pid, 'SIGKILL');
  }, 10_000);
}`;

createRuleTester().run('require-background-error-handling (synchronous catches)', rule, {
  valid: [
    // Valid because the try only probes a process synchronously: ESRCH is the expected answer (seen in a public backend: jhuckaby/Cronicle lib/job.js:1047)
    { name: 'Valid because the try only probes a process synchronously (Cronicle lib/job.js:1047)', code: probe },
    // Valid because the try only parses a local manifest and falls back to an empty list (seen in a public backend: Mintplex-Labs/anything-llm deliverables/poller.js)
    {
      name: 'Valid because a synchronous parse falls back to a default (anything-llm poller.js)',
      code: `
import fs from 'node:fs';
export function startPolling(manifest: string) {
  setInterval(() => {
    let entries = [];
    try {
      entries = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    } catch {}
    publish(entries);
  }, 3000);
}`,
    },
    // Valid because a log without the error after a synchronous cleanup step loses nothing a job needs (seen in a public backend: erxes setImmediate temp-dir cleanup)
    {
      name: 'Valid because a synchronous cleanup logs its path without the error (erxes setImmediate cleanup)',
      code: `
import fs from 'node:fs';
import { logger } from './logger';
export function scheduleCleanup(dir: string) {
  setImmediate(() => {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      logger.error(\`could not remove \${dir}\`);
    }
  });
}`,
    },
    // Valid because the try awaits only a method of this class that catches everything: the catch can see no rejection (seen in a public backend: nodemailer/wildduck indexer.js:177)
    {
      name: 'Valid because the try awaits only a same-file method that catches everything (wildduck indexer.js:177)',
      code: `
export class Indexer {
  start() {
    setImmediate(async () => {
      try {
        await this.processNext();
      } catch (error) {
        try {
          await this.stop();
        } catch (err) {}
        this.schedule(error);
      }
    });
  }
  async stop() {
    try {
      await this.changeStream.close();
    } catch (err) {
      log.error('Indexer', 'close failed', err);
    }
  }
}`,
    },
  ],
  invalid: [
    // Invalid because the try awaits an imported helper this file does not show: its failure is dropped silently
    {
      name: 'Invalid because the try awaits an imported helper the file does not show',
      options: [{ checkEmptyCatches: true }],
      code: `
import { stopIndexer } from './indexer';
export function restart() {
  setImmediate(async () => {
    try {
      await stopIndexer();
    } catch (err) {}
  });
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 7,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
import { stopIndexer } from './indexer';
export function restart() {
  setImmediate(async () => {
    try {
      await stopIndexer();
    } catch (err) {
      console.error(\`the setImmediate callback failed\`, err);
    }
  });
}`,
            },
          ],
        },
      ],
    },
    // Invalid because strict asks for every catch: checkSynchronousCatches
    {
      name: 'Invalid because checkSynchronousCatches reports a synchronous silent catch (strict)',
      code: probe,
      options: [{ checkEmptyCatches: true, checkSynchronousCatches: true }],
      errors: [
        {
          messageId: 'silentCatch',
          line: 6,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export function reapChild(pid: number) {
  setTimeout(function () {
    let alive = false;
    try { alive = process.kill(pid, 0); }
    catch (e) {
      console.error(\`the setTimeout callback failed\`, e);
    }
    if (alive) process.kill(pid, 'SIGKILL');
  }, 10_000);
}`,
            },
          ],
        },
      ],
    },
    // Invalid because an awaited step is skipped silently: that failure is lost
    {
      name: 'Invalid because the try awaits work and the catch is silent',
      options: [{ checkEmptyCatches: true }],
      code: `
export function reapChild(pid: number) {
  setTimeout(async function () {
    try { await killTree(pid); }
    catch (e) {}
  }, 10_000);
}`,
      errors: [
        {
          messageId: 'silentCatch',
          line: 5,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export function reapChild(pid: number) {
  setTimeout(async function () {
    try { await killTree(pid); }
    catch (e) {
      console.error(\`the setTimeout callback failed\`, e);
    }
  }, 10_000);
}`,
            },
          ],
        },
      ],
    },
    // Invalid because after an in-progress status a silent synchronous catch still leaves it stuck
    {
      name: 'Invalid because a synchronous silent catch after an in-progress status is reported',
      code: `
export async function processExport(job: { id: string }) {
  await db.exports.update({ where: { id: job.id }, data: { status: 'processing' } });
  try {
    writeArchiveSync(job.id);
  } catch (e) {}
  await db.exports.update({ where: { id: job.id }, data: { status: 'completed' } });
}
queue.process(processExport);`,
      errors: [
        { messageId: 'unrecordedStatus', line: 2 },
        {
          messageId: 'silentCatch',
          line: 6,
          suggestions: [
            {
              messageId: 'addLogging',
              data: { logger: 'console' },
              output: `
export async function processExport(job: { id: string }) {
  await db.exports.update({ where: { id: job.id }, data: { status: 'processing' } });
  try {
    writeArchiveSync(job.id);
  } catch (e) {
    console.error(\`processExport failed\`, e);
  }
  await db.exports.update({ where: { id: job.id }, data: { status: 'completed' } });
}
queue.process(processExport);`,
            },
          ],
        },
      ],
    },
  ],
});

