/**
 * A callee's module in another file is read from the reviewed revision (issue 13, round 9;
 * src/review/revision-files.ts): reviewing a commit reads that commit's file, not the working
 * tree's, and worktree mode reads the disk, as ESLint in the editor does.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../dist/review/run.js';
import type { Report } from '../../dist/review/report.js';
import { makeRepo, type TestRepo } from './repo.js';

const catching = `
export class KubernetesService {
  async getPipelinesList(): Promise<string[]> {
    try {
      return await this.api.list();
    } catch (error) {
      console.error('listing pipelines failed', error);
      return [];
    }
  }
}
`;
const notCatching = `
export class KubernetesService {
  async getPipelinesList(): Promise<string[]> {
    return await this.api.list();
  }
}
`;
const addons = `
import { KubernetesService } from './kubernetes.service';

export class AddonsService {
  constructor(private readonly kubectl: KubernetesService) {}
  start() {
    setInterval(async () => {
      await this.kubectl.getPipelinesList();
    }, 60_000);
  }
}
`;

/** The rules' findings the report shows for a file, as `rule line`. */
function findings(report: Report, file: string): string[] {
  return report.tasks
    .filter((t) => t.file === file)
    .flatMap((t) => t.items.flatMap((i) => i.evidence.filter((e) => e.rule && (i.status === 'fail' || i.status === 'suppressed'))))
    .concat(report.otherFindings)
    .filter((e) => e.file === file)
    .map((e) => `${e.rule} ${e.line}`);
}

let repo: TestRepo;

beforeAll(() => {
  repo = makeRepo({
    'src/kubernetes.service.ts': catching,
    'src/addons.service.ts': addons,
    // No process-wide handler anywhere: the claim would be the crash.
    '.bgtaskrc.json': JSON.stringify({ processRejectionHandler: 'none' }),
  });
  // The working tree no longer catches; the commit still does.
  repo.write({ 'src/kubernetes.service.ts': notCatching });
});
afterAll(() => repo.cleanup());

describe('bgtask-review reads other files from the reviewed revision', () => {
  it('reviewing the commit reads the committed callee, which catches: nothing to report', async () => {
    const report = await buildReport({ root: repo.dir, worktree: false, all: true, useEslintConfig: false, base: 'HEAD', settingsFile: path.join(repo.dir, '.bgtaskrc.json') });
    expect(findings(report, 'src/addons.service.ts')).toEqual([]);
  });

  it('reviewing the working tree reads the changed callee, which does not catch: the dropped callback is reported', async () => {
    const report = await buildReport({ root: repo.dir, worktree: true, all: true, useEslintConfig: false, settingsFile: path.join(repo.dir, '.bgtaskrc.json') });
    expect(findings(report, 'src/addons.service.ts')).toContain('no-floating-background-task 7');
  });
});
