/**
 * Status helpers and fields recognised by the shape of their name (issue 14, shape 5):
 * `update<Entity>Status(id, 'running')` and `{ <entity>Status: 'running' }`, as public backends write them.
 */
import rule from '../../src/rules/require-status-updates.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-status-updates (status helpers by shape)', rule, {
  valid: [
    {
      name: 'Valid because updateApplicationStatus ends running with done, and the catch sets error (seen in Dokploy/dokploy)',
      code: `
export async function deployInBackground(applicationId: string) {
  try {
    await updateApplicationStatus(applicationId, 'running');
    await execAsync(command);
    await updateApplicationStatus(applicationId, 'done');
  } catch (error) {
    logger.error('deploy failed', error);
    await updateApplicationStatus(applicationId, 'error');
  }
}`,
    },
    {
      name: 'Valid because a request function may leave composeStatus running for the worker to end (seen in Dokploy/dokploy)',
      code: `
export async function startCompose(composeId: string) {
  await db.update(compose).set({ composeStatus: 'running' });
  await queue.add('deploy', { composeId });
}`,
    },
    {
      name: 'Valid because a *Status field written with a terminal value leaves nothing in progress (seen in karakeep-app/karakeep)',
      code: `
export async function crawlInBackground(bookmarkId: string) {
  await db.update(bookmarkLinks).set({ crawlStatus: 'failure' }).where(eq(bookmarkLinks.id, bookmarkId));
}`,
    },
    {
      name: 'Valid because getDeploymentStatus reads a status, it does not set one',
      code: `
export async function pollInBackground(id: string) {
  const status = await getDeploymentStatus(id, 'running');
  if (!status) return;
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because updateDeploymentStatus sets running and an early return leaves it there (Dokploy/dokploy shape)',
      code: `
export async function deployInBackground(deploymentId: string) {
  await updateDeploymentStatus(deploymentId, 'running');
  const app = await findApplication(deploymentId);
  if (!app) return;
  await build(app);
  await updateDeploymentStatus(deploymentId, 'done');
}`,
      errors: [{ messageId: 'stuckInProgress', line: 3, data: { status: 'running', exit: 'the `return` at line 5', task: 'deployInBackground' } }],
    },
    {
      name: 'Invalid because the previewStatus field is set running and the catch swallows the failure (Dokploy/dokploy shape)',
      code: `
export async function previewInBackground(previewDeploymentId: string) {
  try {
    await db.update(previews).set({ previewStatus: 'running' });
    await deployPreview(previewDeploymentId);
    await db.update(previews).set({ previewStatus: 'done' });
  } catch (error) {
    console.log('Error', error);
  }
}`,
      errors: [
        {
          messageId: 'stuckInProgress',
          line: 4,
          data: { status: 'running', exit: 'the catch clause at line 7 (which sets no failed status)', task: 'previewInBackground' },
        },
      ],
    },
  ],
});
