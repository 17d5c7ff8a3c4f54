/**
 * Where a file runs, decided by evidence on disk (issue 13, round 2): a package of test tooling
 * by its package.json, test folders and seeds from the repository's root, not from where the
 * repository is checked out. Runs the real rule on files in a temporary repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-floating-background-task.js';
import { isOutsideServerLifecycle, isScriptPath, isTestPath } from '../../src/analysis/tasks/runtime.js';
import { extendVocabulary, vocabularyFromSettings } from '../../src/model/settings.js';

const FLOATING = `
export async function populate(app: App) {
  const timer = setInterval(async () => {
    await app.jobQueue.poll();
  }, 500);
  return timer;
}`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-runtime-'));

/** Writes a file (and its folders) under the temporary root. */
function write(relative: string, text: string): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The floating-task reports of `code` linted as the file at `filename`. */
function floatingReports(filename: string, cwd = root, code = FLOATING): number {
  const linter = new Linter({ cwd });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
        plugins: { bt: { rules: { floating: rule as never } } },
        rules: { 'bt/floating': 'error' },
      },
    ],
    { filename },
  );
  expect(messages.filter((m) => m.ruleId !== 'bt/floating')).toEqual([]);
  return messages.length;
}

write('package.json', JSON.stringify({ name: 'shop', private: true }));
write('packages/testing/package.json', JSON.stringify({ name: '@shop/testing', keywords: ['shop', 'testing', 'e2e'] }));
write('packages/helpers/package.json', JSON.stringify({ name: '@shop/e2e-helpers' }));
write('packages/core/package.json', JSON.stringify({ name: '@shop/core', dependencies: { '@nestjs/core': '^10.0.0' } }));

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('test code by evidence on disk', () => {
  it('reports the same interval callback in server code (recall kept)', () => {
    expect(floatingReports(write('packages/core/src/job-queue/poller.ts', FLOATING))).toBe(1);
  });

  it('skips a package named as test tooling (seen in a public backend: vendure packages/testing/src/data-population/populate-for-testing.ts:57)', () => {
    expect(floatingReports(write('packages/testing/lib/populate.ts', FLOATING))).toBe(0);
    expect(floatingReports(write('packages/helpers/src/populate.ts', FLOATING))).toBe(0);
  });

  it("takes test folders from ESLint's working directory when the file lies in it", () => {
    const vocabulary = vocabularyFromSettings(undefined);
    const file = write('tests/fixtures/typed/consumer.ts', '');
    expect(isTestPath(file, vocabulary)).toBe(true);
    expect(isTestPath(file, vocabulary, path.join(root, 'tests', 'fixtures', 'typed'))).toBe(false);
  });

  it('takes test folders from the repository root, not from where it is checked out', () => {
    const vocabulary = vocabularyFromSettings(undefined);
    expect(isTestPath(write('packages/core/test/app.ts', ''), vocabulary)).toBe(true);
    expect(isTestPath(write('packages/core/src/testing/order-test-utils.ts', ''), vocabulary)).toBe(true);
    // The checkout under a `tests` folder is no sign: the repository root is `root`.
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-runtime-'));
    const nested = path.join(checkout, 'tests', 'app');
    fs.mkdirSync(path.join(nested, 'src'), { recursive: true });
    fs.writeFileSync(path.join(nested, 'package.json'), JSON.stringify({ name: 'app' }));
    fs.writeFileSync(path.join(nested, 'src', 'worker.ts'), '');
    try {
      expect(isTestPath(path.join(nested, 'src', 'worker.ts'), vocabulary)).toBe(false);
      expect(floatingReports(path.join(nested, 'src', 'worker.ts'), nested)).toBe(1);
    } finally {
      fs.rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('takes a fixtures folder inside a source tree, at any depth, for test code (seen in a public backend: Unleash src/test/fixtures/fake-public-signup-store.ts:10)', () => {
    const vocabulary = vocabularyFromSettings(undefined);
    expect(isTestPath(write('src/test/fixtures/fake-signup-store.ts', ''), vocabulary)).toBe(true);
    expect(isTestPath(write('packages/core/src/users/fixtures/fake-user-store.ts', ''), vocabulary)).toBe(true);
    expect(floatingReports(write('packages/core/src/users/fixtures/fake-poller.ts', FLOATING))).toBe(0);
    // A repository's top-level fixtures (sample code linted on purpose) and a file merely named so stay server code.
    expect(isTestPath(write('fixtures/typeorm/worker.ts', ''), vocabulary)).toBe(false);
    expect(isTestPath(write('packages/core/src/users/fixtures.ts', ''), vocabulary)).toBe(false);
    expect(floatingReports(write('packages/core/src/users/fixtures.ts', FLOATING))).toBe(1);
    // A published testing library is test tooling as before.
    expect(isTestPath(write('packages/core/src/testing/order-test-utils.ts', ''), vocabulary)).toBe(true);
  });

  it('takes seeds for scripts run by hand', () => {
    const vocabulary = vocabularyFromSettings(undefined);
    expect(isScriptPath(write('packages/core/src/database/seeds/user-seed.service.ts', ''), vocabulary)).toBe(true);
    expect(isScriptPath(write('packages/core/prisma/seeders/plans.ts', ''), vocabulary)).toBe(true);
    // A file merely named like a seed is not enough: its folder says how it is run.
    expect(isScriptPath(write('packages/core/lib/seed.mjs', ''), vocabulary)).toBe(false);
    expect(isScriptPath(write('packages/core/src/users/users.service.ts', ''), vocabulary)).toBe(false);
  });
});

describe('one answer per file for every rule that agrees on where files run (issue 17)', () => {
  const code = `import { render } from 'acme-ui-kit';\nexport const x = render;`;
  const sourceCode = () => {
    const linter = new Linter({ cwd: root });
    let captured: unknown;
    linter.verify(
      code,
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
          plugins: { probe: { rules: { grab: { meta: { type: 'problem' }, create: (context) => ((captured = context.sourceCode), {}) } } } },
          rules: { 'probe/grab': 'error' },
        },
      ],
      { filename: path.join(root, 'packages/core/src/widget.ts') },
    );
    return captured as Parameters<typeof isOutsideServerLifecycle>[0];
  };

  it('shares the answer across vocabularies that differ only in rule lists, and keeps apart those that differ in where files run', () => {
    const source = sourceCode();
    const filename = path.join(root, 'packages/core/src/widget.ts');
    const base = vocabularyFromSettings(undefined);
    const withRuleList = extendVocabulary(base, { commitDependentCalls: ['*jobs.enqueue'] });
    const withUiKit = vocabularyFromSettings({ 'background-tasks': { browserModules: ['acme-ui-kit'] } });
    expect(isOutsideServerLifecycle(source, base, filename, root)).toBe(false);
    expect(isOutsideServerLifecycle(source, withRuleList, filename, root)).toBe(false);
    // Same file and SourceCode, another answer: the cache must not conflate them.
    expect(isOutsideServerLifecycle(source, withUiKit, filename, root)).toBe(true);
  });
});

describe("a dispatcher's behaviour by the version its package depends on (issue 13, round 7)", () => {
  const CRON = `
import { CronJob } from 'cron';
export function schedule(db: Db) {
  new CronJob('0 * * * *', async () => {
    await db.query('DELETE FROM sessions WHERE expired');
  }).start();
}`;

  it('takes cron from 4.3.4 on, which catches and logs a rejected async onTick (seen in public backends: NodeBB cron 4.4.0, Hexabot @nestjs/schedule ^6.1.3)', () => {
    write('apps/cron-new/package.json', JSON.stringify({ name: 'cron-new', dependencies: { cron: '^4.3.4' } }));
    write('apps/nest-new/package.json', JSON.stringify({ name: 'nest-new', dependencies: { '@nestjs/schedule': '^6.1.3' } }));
    expect(floatingReports(write('apps/cron-new/src/jobs.ts', CRON), root, CRON)).toBe(0);
    expect(floatingReports(write('apps/nest-new/src/jobs.ts', CRON), root, CRON)).toBe(0);
  });

  it('keeps reporting an older cron, a range that admits one, and an unknown version', () => {
    write('apps/cron-old/package.json', JSON.stringify({ name: 'cron-old', dependencies: { cron: '^3.5.0' } }));
    write('apps/cron-range/package.json', JSON.stringify({ name: 'cron-range', dependencies: { cron: '>=4.0.0' } }));
    write('apps/cron-any/package.json', JSON.stringify({ name: 'cron-any', dependencies: { cron: 'latest' } }));
    write('apps/nest-old/package.json', JSON.stringify({ name: 'nest-old', dependencies: { '@nestjs/schedule': '^6.0.1' } }));
    for (const app of ['cron-old', 'cron-range', 'cron-any', 'nest-old']) {
      expect(floatingReports(write(`apps/${app}/src/jobs.ts`, CRON), root, CRON), app).toBe(1);
    }
  });
});

describe('browser packages by their name, and IndexedDB (issue 13, round 7)', () => {
  it('skips a package named for the browser (seen in a public backend: bluesky-social/atproto, @atproto/oauth-client-browser)', () => {
    write('packages/oauth-client-browser/package.json', JSON.stringify({ name: '@shop/oauth-client-browser' }));
    expect(floatingReports(write('packages/oauth-client-browser/src/store.ts', FLOATING))).toBe(0);
    // A name that merely contains the word is not one.
    write('packages/browser-sessions/package.json', JSON.stringify({ name: '@shop/browser-sessions', dependencies: { express: '*' } }));
    expect(floatingReports(write('packages/browser-sessions/src/store.ts', FLOATING))).toBe(1);
  });

  it('takes a file that reads indexedDB for browser code', () => {
    const code = `${FLOATING}\nexport const open = () => indexedDB.open('oauth');`;
    expect(floatingReports(write('packages/core/src/idb.ts', code), root, code)).toBe(0);
  });
});

describe('a client folder beside a server folder (issue 13, round 10)', () => {
  it('skips code below client/ or client-v2/ when server/ sits beside it (seen in public backends: nocobase plugins, audiobookshelf)', () => {
    write('packages/plugins/ui-templates/src/server/plugin.ts', '');
    expect(floatingReports(write('packages/plugins/ui-templates/src/client-v2/utils/infiniteSelect.ts', FLOATING))).toBe(0);
    write('apps/books/server/Server.ts', '');
    expect(floatingReports(write('apps/books/client/mixins/uploadHelpers.ts', FLOATING))).toBe(0);
  });

  it('reports a client folder without a server beside it: an API client of the server (near miss: documenso packages/lib/jobs/client/bullmq.ts)', () => {
    expect(floatingReports(write('packages/core/src/jobs/client/bullmq.ts', FLOATING))).toBe(1);
    // The server folder itself is server code.
    expect(floatingReports(write('packages/plugins/ui-templates/src/server/poller.ts', FLOATING))).toBe(1);
  });
});

describe('a test suite folder named for its kind (issue 13, round 17)', () => {
  it('skips a functional test harness (seen in a public backend: mage-server service/functionalTests/stack.ts)', () => {
    expect(floatingReports(write('service/functionalTests/stack.ts', FLOATING))).toBe(0);
    expect(floatingReports(write('packages/api/acceptance_tests/setup.ts', FLOATING))).toBe(0);
  });

  it('reports a feature folder that only ends in "Tests" (near miss: an A/B testing feature of the server)', () => {
    expect(floatingReports(write('src/abTests/assign.ts', FLOATING))).toBe(1);
  });
});

describe('a tools folder beside a package.json (issue 13, round 10)', () => {
  it('skips developer tools kept beside a package.json (seen in public backends: sourcebot packages/web/tools/oauthFlow.ts, karakeep tools/seed-snapshot)', () => {
    expect(floatingReports(write('packages/core/tools/oauthFlow.ts', FLOATING))).toBe(0);
    expect(floatingReports(write('tools/seed-snapshot/src/index.ts', FLOATING))).toBe(0);
  });

  it("skips a package's prisma folder: schema, migrations and hand-run data fixes (issue 13, round 17: seen in a public backend, sst-project-api prisma/run/*.ts)", () => {
    expect(floatingReports(write('prisma/run/fix-companies.ts', FLOATING))).toBe(0);
    // Near miss: NestJS's PrismaService module inside the source is server code.
    expect(floatingReports(write('src/prisma/prisma.service.ts', FLOATING))).toBe(1);
  });

  it('reports a tools folder inside the source: an LLM tool of the server is server code (near miss: outline server/tools/documents.ts)', () => {
    expect(floatingReports(write('packages/core/src/tools/search.ts', FLOATING))).toBe(1);
    expect(floatingReports(write('packages/core/server/tools/documents.ts', FLOATING))).toBe(1);
  });
});
