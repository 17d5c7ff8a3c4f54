/**
 * rules-docs/checklist.md documents every review item of SPEC section 4 under a `### <id>`
 * heading (so `checklist.md#<id without dots>` links work), in the catalogue's order, each with
 * its severity and what passes it; when the review's catalogue (src/model/checklist.ts) is
 * built, the doc lists exactly its ids and severities.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const doc = fs.readFileSync(path.join(root, 'rules-docs', 'checklist.md'), 'utf8');

/** SPEC section 4's item ids, in its order. */
const SPEC_IDS = [
  'pre.fresh-session-strategy', 'pre.error-handling', 'pre.transaction-boundaries', 'pre.testing-strategy',
  'session.fresh-infrastructure', 'session.scoped-context', 'session.fresh-services', 'session.no-request-session',
  'errors.try-catch', 'errors.separate-error-session', 'errors.logged-with-context', 'errors.failed-status',
  'async.mode-decided', 'async.task-tracked', 'async.error-callback', 'async.timeout',
  'redflag.request-session', 'redflag.no-scope', 'redflag.stale-session-in-catch', 'redflag.missing-status-update', 'redflag.no-lifecycle-logging',
  'good.fresh-infrastructure', 'good.scoped-context', 'good.separate-error-session', 'good.logging', 'good.exception-propagation',
  'tests.unit.mocks-fresh-session', 'tests.unit.error-paths', 'tests.unit.fresh-service-providers',
  'tests.integration.flow', 'tests.integration.persistence', 'tests.integration.error-status', 'tests.integration.visible-to-others',
];

/** Each `### <id>` heading with the text up to the next heading. */
function documentedItems(): { id: string; body: string }[] {
  const parts = doc.split(/^### /m).slice(1);
  return parts.map((part) => {
    const [heading, ...rest] = part.split('\n');
    return { id: heading!.trim(), body: rest.join('\n').split(/^## /m)[0]! };
  });
}

describe('rules-docs/checklist.md', () => {
  const items = documentedItems();

  it('documents every item id of SPEC section 4, once each, in order', () => {
    expect(items.map((i) => i.id)).toEqual(SPEC_IDS);
  });

  it.each(SPEC_IDS)('%s: states its severity and what passes it', (id) => {
    const body = items.find((i) => i.id === id)!.body;
    expect(body).toMatch(/Severity `(error|warning|info)`/);
    expect(body).toMatch(/Pass|pass/);
  });

  it('links only to rule docs that exist or that SPEC section 3 (or 3.1) names', () => {
    const specRules = [
      'no-request-session-in-background', 'require-session-scope', 'no-stale-session-in-catch', 'require-status-updates',
      'require-background-error-handling', 'no-floating-background-task', 'require-lifecycle-logging', 'require-background-timeout',
      // SPEC 3.1
      'no-dispatch-in-transaction',
    ];
    for (const [, target] of doc.matchAll(/\]\(([\w-]+)\.md\)/g)) expect(specRules).toContain(target);
  });

  it("matches the review's catalogue (src/model/checklist.ts) when it is built", async (context) => {
    const built = path.join(root, 'dist', 'model', 'checklist.js');
    if (!fs.existsSync(built)) context.skip('src/model/checklist.ts is not on this branch yet');
    const { CHECKLIST } = (await import(pathToFileURL(built).href)) as { CHECKLIST: { id: string; severity: string }[] };
    expect(items.map((i) => i.id)).toEqual(CHECKLIST.map((c) => c.id));
    for (const entry of CHECKLIST) expect(items.find((i) => i.id === entry.id)!.body).toContain(`Severity \`${entry.severity}\``);
  });
});
