/**
 * Callees in other files named by a project alias, not a relative path (src/analysis/module-specifiers.ts,
 * issues 13 and 14): tsconfig `paths` (jellyseerr's `@server/*`) and package.json subpath imports
 * (matters-server's `#connectors/*`). The callers are linted as if they lay in fixtures/foreign-alias;
 * each valid case has a near miss, the same call to a function that does not catch, that stays reported.
 */
import path from 'node:path';
import { afterEach } from 'vitest';
import floatingRule from '../../src/rules/no-floating-background-task.js';
import errorHandlingRule from '../../src/rules/require-background-error-handling.js';
import { clearForeignModules } from '../../src/analysis/tasks/foreign-callees.js';
import { createRuleTester } from '../rule-tester.js';

const dir = path.resolve(import.meta.dirname, '../../fixtures/foreign-alias');
const scheduleFile = path.join(dir, 'server/job/schedule.ts');
const connectorUser = path.join(dir, 'src/queries/user.ts');
const settings = { 'background-tasks': { processRejectionHandler: 'none' } };
// Every call this file does not show may reject (strict's setting): a valid case passes only when the
// alias leads to the callee's file and that callee catches everything.
const strictSettings = { 'background-tasks': { processRejectionHandler: 'none', assumeUnseenCallsReject: true } };

afterEach(() => clearForeignModules());

// jellyseerr server/job/schedule.ts: a cron job that calls a method of an imported singleton.
const schedule = (call: string, from = '@server/lib/refreshToken') => `
import schedule from 'node-schedule';
import refreshToken from '${from}';
export const startJobs = (): void => {
  schedule.scheduleJob('0 0 5 * * *', async () => {
    await refreshToken.${call}();
  });
};`;

// The same job dropping the promise (jellyseerr server/job/schedule.ts:84, `refreshToken.run();`).
const droppingSchedule = (call: string) => `
import schedule from 'node-schedule';
import refreshToken from '@server/lib/refreshToken';
export const startJobs = (): void => {
  schedule.scheduleJob('0 0 5 * * *', () => {
    refreshToken.${call}();
  });
};`;

const connector = (call: string, from = '#connectors/cache') => `
import { ${call} } from '${from}';
export function startWarmUp(): void {
  setInterval(async () => {
    await ${call}();
  }, 60_000);
}`;

createRuleTester().run('no-floating-background-task (callees named by an alias)', floatingRule, {
  valid: [
    // Valid because the singleton's method catches everything; its module is named by tsconfig paths (seen in a public backend: jellyseerr server/job/schedule.ts, @server/lib/*)
    { name: 'Valid because a tsconfig paths alias leads to a method that catches everything (jellyseerr @server/*)', code: schedule('run'), filename: scheduleFile, settings },
    // Valid because `@app/*` maps to `*` below baseUrl `src`
    { name: 'Valid because an alias relative to baseUrl leads to a function that catches', code: connector('warmCache', '@app/connectors/cache'), filename: scheduleFile, settings },
    // Valid because package.json `imports` names the module; its `types` condition points at the source (seen in a public backend: matters-server #connectors/*)
    // Valid because the dropped method of the imported singleton catches everything
    { name: 'Valid because the job drops the promise of an aliased method that catches everything', code: droppingSchedule('run'), filename: scheduleFile, settings },
    // The same three, where an unresolved import would be reported: they pass only if the alias is followed
    { name: 'Valid (unseen calls reject) because the tsconfig paths alias is followed to a catching method', code: schedule('run'), filename: scheduleFile, settings: strictSettings },
    { name: 'Valid (unseen calls reject) because the baseUrl alias is followed to a catching function', code: connector('warmCache', '@app/connectors/cache'), filename: scheduleFile, settings: strictSettings },
    { name: 'Valid (unseen calls reject) because the subpath import is followed to a catching function', code: connector('warmCache'), filename: connectorUser, settings: strictSettings },
    // Valid because an alias that leads to no file is a package's module: recommended takes an unseen callee as no evidence of a rejection
    { name: 'Valid because an alias that leads to no file is no evidence', code: schedule('run', '@server/lib/missing'), filename: scheduleFile, settings },
    { name: 'Valid because a package.json subpath import leads to a function that catches (matters-server #connectors/*)', code: connector('warmCache'), filename: connectorUser, settings },
  ],
  invalid: [
    // Invalid because the job drops the promise of an async method that awaits a request outside try/catch (issue 14, shape 5: seen in a public backend, jellyseerr server/job/schedule.ts:84 and server/lib/refreshToken.ts:7)
    {
      name: 'Invalid because the job drops the promise of an aliased async method that can reject (jellyseerr schedule.ts:84)',
      code: droppingSchedule('runUnguarded'),
      filename: scheduleFile,
      settings,
      errors: [{ messageId: 'floatingTask', line: 6, suggestions: [{ messageId: 'addCatch', output: droppingSchedule("runUnguarded().catch((error) => console.error('refreshToken.runUnguarded failed', error))").replace('();\n', ';\n') }] }],
    },
    {
      name: 'Invalid because the aliased method awaits its work outside try/catch',
      code: schedule('runUnguarded'),
      filename: scheduleFile,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 5 }],
    },
    {
      name: 'Invalid (unseen calls reject) because an alias that leads to no file is not shown to catch',
      code: schedule('run', '@server/lib/missing'),
      filename: scheduleFile,
      settings: strictSettings,
      errors: [{ messageId: 'floatingCallback', line: 5 }],
    },
    {
      name: 'Invalid because the baseUrl alias leads to a function that does not catch',
      code: connector('warmCacheUnguarded', '@app/connectors/cache'),
      filename: scheduleFile,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 4 }],
    },
    {
      name: 'Invalid because the subpath import leads to a function that does not catch',
      code: connector('warmCacheUnguarded'),
      filename: connectorUser,
      settings,
      errors: [{ messageId: 'floatingCallback', line: 4 }],
    },
  ],
});

createRuleTester().run('require-background-error-handling (callees named by an alias)', errorHandlingRule, {
  valid: [
    { name: 'Valid because the awaited aliased method catches everything', code: schedule('run'), filename: scheduleFile, settings },
    { name: 'Valid because an unseen callee is no evidence of a rejection (recommended)', code: schedule('run', 'some-package'), filename: scheduleFile, settings },
  ],
  invalid: [
    // Invalid because the job awaits a project method that can reject, outside try/catch (issue 14, shape 5)
    {
      name: 'Invalid because the job awaits an aliased async method that can reject, outside try/catch',
      code: schedule('runUnguarded'),
      filename: scheduleFile,
      settings,
      errors: [{ messageId: 'missingTryCatch', line: 5 }],
    },
  ],
});
