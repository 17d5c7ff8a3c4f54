/**
 * require-status-updates on a queue that claims its next job with the in-progress write itself
 * (issue 13, round 9): `UPDATE ... SET status = 'active' ... RETURNING` gives back nothing when no
 * row matched, and the branch taken then has set nothing in progress. The status counts from where
 * the write takes effect: the end of its builder chain and the `await` around it.
 */
import rule from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';

const claimLoop = (guard: string) => `
export class JobService {
  start() {
    void this.jobLoop();
  }
  private async jobLoop() {
    while (!this.stopped) {
      const job = await db.updateTable('jobs').set({ status: 'active' }).where('status', '=', 'waiting').returningAll().executeTakeFirst();
      if (${guard}) {
        await sleep(1000);
        continue;
      }
      try {
        await this.run(job);
        await db.updateTable('jobs').set({ status: 'completed' }).where('id', '=', job.id).execute();
      } catch (error) {
        await db.updateTable('jobs').set({ status: 'failed' }).where('id', '=', job.id).execute();
      }
    }
  }
}`;

createRuleTester().run('require-status-updates (claimed jobs)', rule, {
  valid: [
    // Valid because when no row matched the claim, nothing was set active: the wait-and-continue branch leaves nothing stuck (seen in a public backend: colanode packages/client/src/services/job-service.ts:261)
    { name: 'Valid because the branch taken when nothing was claimed set nothing in progress (colanode job-service.ts:261)', code: claimLoop('!job') },
    { name: 'Valid because a claim tested against null is the same branch', code: claimLoop('job == null') },
  ],
  invalid: [
    // Invalid because a claimed job can be left active by a branch that is not about the claim
    { name: 'Invalid because the loop continues past a claimed job when paused', code: claimLoop('this.paused'), errors: [{ messageId: 'stuckInProgress', line: 8 }] },
  ],
});
