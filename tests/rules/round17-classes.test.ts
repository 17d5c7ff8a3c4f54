/**
 * Issue 13, round 17: the false classes found on held-out sets 46 and 47, each fixed as a class.
 * Every valid case names the public code it was seen in; each has an invalid near miss that stays
 * reported, so that precision is not bought with recall.
 */
import errorHandling from '../../src/rules/require-background-error-handling.js';
import floating from '../../src/rules/no-floating-background-task.js';
import staleSession from '../../src/rules/no-stale-session-in-catch.js';
import sessionScope from '../../src/rules/require-session-scope.js';
import statusUpdates from '../../src/rules/require-status-updates.js';
import { createRuleTester, NO_PROCESS_HANDLER as NONE } from '../rule-tester.js';

/**
 * bcgov/onroutebc scheduler/src/modules/tps-permit/tps-permit.service.ts: a `@Cron` job that reads
 * pending rows, marks them `Processing` and uploads them; a daily `@Cron` sweep re-runs rows left in
 * `PROCESSING` for a day (`processTpsStuckRecords`).
 */
const tpsService = (sweep: boolean, upload = 'await this.uploadToS3(ids);') => `
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
@Injectable()
export class TpsPermitService {
  @Cron('0 */1 * * * *')
  async uploadTpsPermit() {
    const tpsPermits = await this.tpsPermitRepository.find({ where: { s3UploadStatus: S3uploadStatus.Pending } });
    const ids = tpsPermits.map((p) => p.migrationId);
    if (ids.length > 0) {
      await this.tpsPermitRepository.update({ migrationId: In(ids) }, { s3UploadStatus: S3uploadStatus.Processing, lastUpdateTimestamp: new Date() });
      ${upload}
    }
  }

  async handleUploadError(id: number) {
    await this.tpsPermitRepository.update({ migrationId: id }, { s3UploadStatus: S3uploadStatus.Error });
  }
${
  sweep
    ? `
  @Cron('0 0 1 * * *')
  async processTpsStuckRecords() {
    const yesterday = new Date(Date.now() - 86400000);
    const stuck = await this.tpsPermitRepository
      .createQueryBuilder('tpsPermit')
      .where(\`tpsPermit.s3UploadStatus = 'PROCESSING'\`)
      .andWhere('tpsPermit.lastUpdateTimestamp <= :date', { date: yesterday })
      .getMany();
    for (const permit of stuck) await this.uploadToS3([permit.migrationId]);
  }
`
    : ''
}}
`;

/** The same job with a sweep written with TypeORM's find operators. */
const typeormSweep = `
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
@Injectable()
export class ExportService {
  @Cron('*/5 * * * *')
  async runExports() {
    const job = await this.jobs.findOneBy({ status: JobStatus.Pending });
    await this.jobs.update(job.id, { status: JobStatus.Running });
    await this.exporter.run(job);
    await this.jobs.update(job.id, { status: JobStatus.Done });
  }

  @Cron('0 * * * *')
  async failStaleExports() {
    await this.jobs.update({ status: JobStatus.Running, updatedAt: LessThan(subHours(new Date(), 2)) }, { status: JobStatus.Failed });
  }
}
`;

/** flux-retour-cfas ui/modules/organismes/Televersement.tsx:60: a React component's on-screen upload status. */
const uploadPage = (imports: string) => `
${imports}
export default function Televersement({ organismeId }) {
  const [status, setStatus] = useState('idle');
  const handleSubmit = async () => {
    setStatus('processing');
    const res = await _post(\`/api/v1/organismes/\${organismeId}/upload\`, data);
    setStatus(res.error ? 'import_failure' : 'import_success');
  };
  setImmediate(handleSubmit);
}
`;

createRuleTester().run('require-status-updates (round 17 classes)', statusUpdates, {
  valid: [
    {
      name: "Valid because a React component's status is on-screen state, no job's (seen in a public app: flux-retour-cfas ui/modules/organismes/Televersement.tsx:67)",
      code: uploadPage("import { useRouter } from 'next/router';\nimport { useState } from 'react';"),
    },
    {
      name: 'Valid because a stale-row sweep in the same service re-runs rows left in PROCESSING (seen in a public backend: onroutebc tps-permit.service.ts:298)',
      code: tpsService(true),
    },
    {
      name: 'Valid because a sweep fails rows left running past a cutoff (TypeORM LessThan on updatedAt)',
      code: typeormSweep,
    },
  ],
  invalid: [
    {
      name: 'Invalid near miss: the same handler in server code (no UI import) can leave its status in processing',
      code: uploadPage("import { _post } from './http';"),
      errors: [{ messageId: 'stuckInProgress', line: 6 }],
    },
    {
      name: 'Invalid near miss: the same job without the sweep can stay stuck in Processing',
      code: tpsService(false),
      errors: [{ messageId: 'stuckInProgress', line: 11 }],
    },
    {
      name: 'Invalid near miss: a query on the status without a time cutoff is no sweep (an idempotency check)',
      code: typeormSweep.replace(', updatedAt: LessThan(subHours(new Date(), 2))', ''),
      errors: [{ messageId: 'stuckInProgress', line: 9 }],
    },
  ],
});

/** onroutebc scheduler/src/modules/permit/permit.service.ts:196: two same-file jobs run under allSettled, each logging its own failure. */
const settledJobs = (catchBody: string) => `
import { Cron } from '@nestjs/schedule';
export class PermitService {
  async generateDocument() {
    try {
      const permits = await this.permitRepository.find({ where: { documentId: IsNull() } });
      await this.accessApi('/permits/documents', permits);
    } catch (error) {
      ${catchBody}
    }
  }

  @Cron('0 */1 * * * *')
  async runJobs() {
    try {
      await Promise.allSettled([this.generateDocument()]);
    } finally {
      this.running = false;
    }
  }
}
`;

/** yoroi-graphql-migration-backend src/utils/index.ts:59: a snapshot-read wrapper whose promise a route wrapper drops. */
const snapshotRead = (body: string) => `
import { Pool } from 'pg';
async function pgSnapshotRead(pool: Pool, cb: (client: unknown) => Promise<unknown>) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    ${body}
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const pgSnapshotReadWrapper = (handlerFactory) => (pool: Pool) => async (req, res, next) => {
  pgSnapshotRead(pool, async (client) => handlerFactory(client)(req, res, next));
};
`;

createRuleTester(NONE).run('require-background-error-handling (round 17 classes)', errorHandling, {
  valid: [
    {
      name: "Valid because the dropped function returns its callback's result to its callers: the fix is at the call that drops it, no-floating-background-task's report (seen in a public backend: yoroi-graphql-migration-backend src/utils/index.ts:59)",
      code: snapshotRead('return await cb(client);'),
    },
    {
      name: 'Valid because each settled job logs its own failure before rethrowing: the dropped results lose nothing (seen in a public backend: onroutebc permit.service.ts:196)',
      code: settledJobs("this.logger.error(`Error in GeneratePermitDocument Job ${error}`);\n      throw new Error('Error in GeneratePermitDocument cron job');"),
    },
    {
      name: 'Valid because a stale-row sweep takes back what a failed upload leaves in Processing (seen in a public backend: onroutebc tps-permit.service.ts:39)',
      code: tpsService(true),
    },
    {
      name: 'Valid because only work before the in-progress write is uncovered: a failure there leaves no status behind, and @Cron logs it',
      code: tpsService(false, 'this.queue.add(ids);'),
    },
  ],
  invalid: [
    {
      name: 'Invalid near miss: without the sweep, the upload after the write leaves the status unrecorded; the message names that await (line 12), not the read before the write',
      code: tpsService(false),
      errors: [{ messageId: 'unrecordedStatus', line: 7, data: { task: 'TpsPermitService.uploadTpsPermit', line: '12' } }],
    },
    {
      name: 'Invalid near miss: the same dropped helper that returns nothing does its own work and must handle its failure',
      code: snapshotRead('await cb(client);'),
      errors: [{ messageId: 'missingTryCatch', line: 3 }],
    },
    {
      name: 'Invalid near miss: a settled job whose catch only rethrows logs nothing, and allSettled drops the failure',
      code: settledJobs("throw new Error('Error in GeneratePermitDocument cron job');"),
      errors: [{ messageId: 'discardedSettledResults', line: 16, data: { task: 'PermitService.runJobs', call: 'Promise.allSettled' } }],
    },
  ],
});

/** OneUptime Probe/Utils/Monitors/MonitorTypes/SqlMonitor.ts:931: a read-only cursor query whose finally rolls back and closes. */
const readOnlyQuery = (finalizer: string) => `
import { Client } from 'pg';
export async function runReadOnly(config: object, sql: string, maxRows: number) {
  const client = new Client(config);
  await client.connect();
  try {
    await client.query('START TRANSACTION READ ONLY');
    await client.query(\`DECLARE c NO SCROLL CURSOR FOR \${sql}\`);
    const result = await client.query(\`FETCH FORWARD \${maxRows} FROM c\`);
    return result.rows || [];
  } finally {
${finalizer}
  }
}
`;

createRuleTester().run('require-session-scope (round 17 classes)', sessionScope, {
  valid: [
    {
      name: 'Valid because the finally the return runs through rolls back and closes the client (seen in a public backend: OneUptime SqlMonitor.ts:944, PostgresConnector.ts:243)',
      code: readOnlyQuery(`    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      logger.debug(\`rollback failed: \${rollbackErr}\`);
    }
    await client.end();`),
    },
    {
      name: 'Valid because the finally hands the client to a helper that ends it (seen in a public backend: OneUptime MySqlConnector.ts:293)',
      code: readOnlyQuery('    await closeConnection(client);'),
    },
  ],
  invalid: [
    {
      name: 'Invalid near miss: a finally that only logs leaves the transaction open on return',
      code: readOnlyQuery("    logger.debug('query done');"),
      errors: [{ messageId: 'returnLeavesOpen', line: 10, data: { session: 'client', line: '7' } }],
    },
  ],
});

/** sst-project-api src/@v2/occupational-hygiene/ho-method/ho-method.repository.ts:84: a retry with a legacy include, on a client-side validation error only. */
const legacyFallback = (errorClass: string) => `
import { Prisma } from '@prisma/client';
export class HoMethodRepository {
  private async findFirstOrThrowWithFallback(tx: Prisma.TransactionClient, id: string) {
    try {
      return await tx.hoMethod.findFirstOrThrow({ where: { id }, include: hoMethodInclude });
    } catch (error) {
      if (!this.shouldFallbackToLegacyInclude(error)) throw error;
      return tx.hoMethod.findFirstOrThrow({ where: { id }, include: hoMethodLegacyInclude });
    }
  }

  private shouldFallbackToLegacyInclude(error: unknown) {
    if (!(error instanceof ${errorClass})) return false;
    return (error.message ?? '').includes('Unknown field');
  }
}
`;

createRuleTester().run('no-stale-session-in-catch (round 17 classes)', staleSession, {
  valid: [
    {
      name: "Valid because the catch goes on only for Prisma's client-side validation error, raised before any statement is sent (seen in a public backend: sst-project-api ho-method.repository.ts:96)",
      code: legacyFallback('Prisma.PrismaClientValidationError'),
    },
  ],
  invalid: [
    {
      name: 'Invalid near miss: a retry on a known request error (a failed statement, such as a unique violation) runs on an aborted transaction',
      code: legacyFallback('Prisma.PrismaClientKnownRequestError'),
      errors: [{ messageId: 'staleSession', line: 9, suggestions: [] }],
    },
  ],
});

/** autumn server/src/cron/cronInit.ts:77: a cron tick that runs its jobs together, each catching everything. */
const cronTick = (secondCatch: boolean) => `
import { CronJob } from 'cron';
const runProductCron = async ({ ctx }) => {
  console.log('Running product cron');
  try {
    await ctx.db.query('select 1');
  } catch (error) {
    console.error('product cron failed', error);
  }
};
const runInvoiceCron = async ({ ctx }) => {
  ${secondCatch ? "try {\n    await ctx.db.query('select 2');\n  } catch (error) {\n    console.error('invoice cron failed', error);\n  }" : "await ctx.db.query('select 2');"}
};
const main = async () => {
  await Promise.all([runProductCron({ ctx }), runInvoiceCron({ ctx })]);
};
new CronJob('* * * * *', main, null, true, 'UTC');
`;

createRuleTester(NONE).run('no-floating-background-task (round 17 classes)', floating, {
  valid: [
    {
      name: 'Valid because every job the tick runs together catches everything: Promise.all over them cannot reject (seen in a public backend: autumn server/src/cron/cronInit.ts:118)',
      code: cronTick(true),
    },
  ],
  invalid: [
    {
      name: 'Invalid near miss: one of the jobs lets its failure escape, and the CronJob drops the rejection',
      code: cronTick(false),
      errors: [{ messageId: 'floatingCallback', line: 17 }],
    },
  ],
});
