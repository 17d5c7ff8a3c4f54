/** The checklist catalogue: exactly SPEC section 4's ids, each titled, documented and produced by something. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKLIST, CHECKLIST_RULES, itemsForMessage } from '../../dist/model/checklist.js';
import { rules } from '../../dist/index.js';

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

const SPEC_RULES = [
  'no-request-session-in-background', 'require-session-scope', 'no-stale-session-in-catch', 'require-status-updates',
  'require-background-error-handling', 'no-floating-background-task', 'require-lifecycle-logging', 'require-background-timeout',
  // SPEC 3.1
  'no-dispatch-in-transaction',
];

describe('the checklist catalogue', () => {
  it('has exactly the item ids of SPEC section 4, in order', () => {
    expect(CHECKLIST.map((i) => i.id)).toEqual(SPEC_IDS);
  });

  it('gives every item a title, and red flags and pre-implementation items their severities', () => {
    for (const item of CHECKLIST) {
      expect(item.title.length, item.id).toBeGreaterThan(10);
      if (item.section === 'red-flags') expect(item.severity, item.id).toBe('error');
      if (item.section === 'pre-implementation') expect(item.severity, item.id).toBe('info');
      if (item.section === 'good-patterns' || item.id.startsWith('tests.')) expect(item.severity, item.id).toBe('warning');
    }
  });

  it('names every rule of SPEC section 3, and every rule of the plugin', () => {
    expect([...CHECKLIST_RULES].sort()).toEqual([...SPEC_RULES].sort());
    for (const rule of Object.keys(rules)) expect(CHECKLIST_RULES).toContain(rule);
  });

  it('maps every red flag to exactly one rule, and each rule finding to its red flag first', () => {
    for (const item of CHECKLIST.filter((i) => i.section === 'red-flags')) {
      expect(item.rules, item.id).toHaveLength(1);
      expect(itemsForMessage(item.rules[0]!.rule, 'anyMessage')[0]!.id).toBe(item.id);
    }
    expect(itemsForMessage('require-background-error-handling', 'silentCatch').map((i) => i.id)).toEqual(['errors.logged-with-context']);
    expect(itemsForMessage('require-background-error-handling', 'missingTryCatch').map((i) => i.id)).toEqual(['errors.try-catch']);
  });

  it('maps work dispatched inside a transaction and manual transactions done wrong to pre.transaction-boundaries', () => {
    expect(itemsForMessage('no-dispatch-in-transaction', 'dispatchInTransaction').map((i) => i.id)).toEqual(['pre.transaction-boundaries']);
    expect(itemsForMessage('require-session-scope', 'workAfterCommit').map((i) => i.id)).toContain('pre.transaction-boundaries');
    expect(itemsForMessage('require-session-scope', 'returnLeavesOpen').map((i) => i.id)).toContain('pre.transaction-boundaries');
    expect(itemsForMessage('require-session-scope', 'unreleasedSession').map((i) => i.id)).not.toContain('pre.transaction-boundaries');
  });

  it('documents every item in rules-docs/checklist.md', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../rules-docs/checklist.md'), 'utf8');
    for (const item of CHECKLIST) expect(doc, item.id).toMatch(new RegExp(`^### ${item.id.replace(/\./g, "\\.")}$`, "m"));
  });
});
