/** The status and failure rules sit in the configs their docs name, with strict options in strict only. */
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';

describe('configs for the status and failure rules', () => {
  it('recommended enables require-status-updates without strict options, and require-background-error-handling', () => {
    const rules = plugin.configs.recommended.rules ?? {};
    expect(rules['background-tasks/require-status-updates']).toBe('error');
    expect(rules['background-tasks/require-background-error-handling']).toBe('error');
    expect(rules['background-tasks/require-lifecycle-logging']).toBeUndefined();
  });

  it('strict turns on requireErrorDetail and requireStatusTracking and enables require-lifecycle-logging for scheduled jobs too', () => {
    const rules = plugin.configs.strict.rules ?? {};
    expect(rules['background-tasks/require-status-updates']).toEqual([
      'error',
      { requireErrorDetail: true, requireStatusTracking: true },
    ]);
    expect(rules['background-tasks/require-lifecycle-logging']).toEqual(['error', { checkScheduledJobs: true }]);
  });
});
