/**
 * SARIF fingerprints identify a problem by what it is, not where it is or how its message is
 * worded: they survive code moving (messages quote "(line N)") and never collide in one run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, runCli, type TestRepo } from './repo.js';

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const TASK = `export class Jobs {
  constructor(private readonly session: { updateStatus(id: string, s: string): Promise<void>; query(q: string): Promise<void> }) {}
  async handle(id: string) {
    void this.syncInBackground(id);
  }
  private async syncInBackground(id: string) {
    await this.session.updateStatus(id, 'in_progress');
    await this.session.query('a');
    await this.session.query('b');
  }
}
`;

type Sarif = { runs: { results: { ruleId: string; message: { text: string }; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };

async function sarif(dir: string): Promise<Sarif['runs'][number]['results']> {
  const result = await runCli(['--base', 'main', '--no-eslint-config', '--format', 'sarif'], dir);
  return (JSON.parse(result.stdout) as Sarif).runs[0]!.results;
}

describe('fingerprints', () => {
  it('stay the same when code above moves, and differ between results', async () => {
    repo = makeRepo({ 'a.ts': 'export const a = 1;\n' });
    repo.write({ 'jobs.ts': TASK });
    repo.commit('task');
    const before = await sarif(repo.dir);
    expect(before.some((r) => /line \d+/.test(r.message.text))).toBe(true);
    repo.write({ 'jobs.ts': `// moved\n// down\n// by three lines\n${TASK}` });
    repo.commit('moved');
    const after = await sarif(repo.dir);
    const prints = (results: typeof before) => results.map((r) => `${r.ruleId} ${r.partialFingerprints['bgtaskIdentity/v2']}`).sort();
    expect(after[0]!.locations[0]!.physicalLocation.region.startLine).not.toBe(before[0]!.locations[0]!.physicalLocation.region.startLine);
    expect(prints(after)).toEqual(prints(before));
    const unique = new Set(before.map((r) => r.partialFingerprints['bgtaskIdentity/v2']));
    expect(unique.size).toBe(before.length);
  });
});
