/**
 * The checklist catalogue of SPEC section 4: every item id, its section, its title (the seed
 * checklist's wording), its severity, and the rules whose findings make it fail.
 * The reviewer and the docs read item wording from here and nowhere else.
 */

export type Severity = 'error' | 'warning' | 'info';

export type ItemStatus = 'pass' | 'fail' | 'suppressed' | 'not-applicable' | 'manual';

export type ChecklistSection =
  | 'pre-implementation'
  | 'session-management'
  | 'error-handling'
  | 'async'
  | 'red-flags'
  | 'good-patterns'
  | 'unit-tests'
  | 'integration-tests';

/** A rule whose findings fail an item; `messageIds` narrows it when one rule serves two items. */
export interface RuleSource {
  readonly rule: string;
  readonly messageIds?: RegExp;
}

export interface ChecklistItem {
  readonly id: string;
  readonly section: ChecklistSection;
  readonly title: string;
  readonly severity: Severity;
  /** Rules whose findings are this item's red flags (empty: evaluated from the analysis or tests). */
  readonly rules: readonly RuleSource[];
}

/** Section headings, in the seed's order. */
export const SECTION_TITLES: Readonly<Record<ChecklistSection, string>> = {
  'pre-implementation': 'Pre-implementation',
  'session-management': 'Session management',
  'error-handling': 'Error handling',
  async: 'Async considerations',
  'red-flags': 'Red flags',
  'good-patterns': 'Good patterns',
  'unit-tests': 'Unit tests',
  'integration-tests': 'Integration tests',
};

const LOGGING_MESSAGE = /log|context|silent/i;
const JOB_FAILURE_MESSAGE = /^(swallowedJobFailure|droppedFailureWrite)$/;

/** `require-session-scope`'s messages about manual transactions (start, commit, bypass, concurrency, early return). */
const MANUAL_TRANSACTION_MESSAGE = /^(transactionStartOutsideTry|workAfterCommit|unusedTransaction|bypassedTransaction|concurrentQueries|returnLeavesOpen)$/;

const item = (
  id: string,
  section: ChecklistSection,
  severity: Severity,
  title: string,
  rules: readonly RuleSource[] = [],
): ChecklistItem => ({ id, section, title, severity, rules });

/** Every item of the seed checklist, in the seed's order. */
export const CHECKLIST: readonly ChecklistItem[] = [
  item('pre.fresh-session-strategy', 'pre-implementation', 'info', 'Fresh session strategy: the task gets its own database session'),
  item('pre.error-handling', 'pre-implementation', 'info', 'Error handling designed with separate session contexts'),
  item('pre.transaction-boundaries', 'pre-implementation', 'info', 'Transaction boundaries: clear commit/rollback points', [
    { rule: 'no-dispatch-in-transaction' },
    { rule: 'require-session-scope', messageIds: MANUAL_TRANSACTION_MESSAGE },
  ]),
  item('pre.testing-strategy', 'pre-implementation', 'info', 'Testing strategy: integration tests verify data persistence'),

  item('session.fresh-infrastructure', 'session-management', 'warning', 'Create a fresh infrastructureProvider() instance'),
  item('session.scoped-context', 'session-management', 'error', 'Use a scoped session context (`await using` / scope callback / finally release)', [
    { rule: 'require-session-scope' },
  ]),
  item('session.fresh-services', 'session-management', 'warning', 'Get fresh service providers with the new session'),
  item('session.no-request-session', 'session-management', 'error', 'Never reuse request-scoped sessions in background tasks', [
    { rule: 'no-request-session-in-background' },
  ]),

  item('errors.try-catch', 'error-handling', 'error', 'Wrap background operations in try/catch', [
    { rule: 'require-background-error-handling', messageIds: /^(?!.*(log|context|silent|swallowed|droppedFailure)).*$/i },
  ]),
  item('errors.separate-error-session', 'error-handling', 'error', 'Use a separate session for error status updates', [
    { rule: 'no-stale-session-in-catch' },
  ]),
  item('errors.logged-with-context', 'error-handling', 'error', 'Log errors with sufficient context', [
    { rule: 'require-background-error-handling', messageIds: LOGGING_MESSAGE },
  ]),
  item('errors.failed-status', 'error-handling', 'error', 'Update entity status to "failed" on exceptions', [
    { rule: 'require-status-updates' },
    // A queue job's failed state is its status: a processor catch that swallows it, or a lost failure write.
    { rule: 'require-background-error-handling', messageIds: JOB_FAILURE_MESSAGE },
  ]),

  item('async.mode-decided', 'async', 'warning', 'Decide: synchronous (reliable) vs asynchronous (responsive)'),
  item('async.task-tracked', 'async', 'warning', 'If async: prevent task garbage collection (track the promise)'),
  item('async.error-callback', 'async', 'error', 'If async: add proper error callbacks', [{ rule: 'no-floating-background-task' }]),
  item('async.timeout', 'async', 'warning', 'Consider timeout handling for long-running tasks', [{ rule: 'require-background-timeout' }]),

  item('redflag.request-session', 'red-flags', 'error', '`this.content` or `this.session` used in background methods', [
    { rule: 'no-request-session-in-background' },
  ]),
  item('redflag.no-scope', 'red-flags', 'error', 'No scoped session context (`using` / scope callback)', [{ rule: 'require-session-scope' }]),
  item('redflag.stale-session-in-catch', 'red-flags', 'error', 'Exception handling without fresh sessions', [
    { rule: 'no-stale-session-in-catch' },
  ]),
  item('redflag.missing-status-update', 'red-flags', 'error', 'Missing error status updates', [{ rule: 'require-status-updates' }]),
  item('redflag.no-lifecycle-logging', 'red-flags', 'error', 'No logging for background task lifecycle', [
    { rule: 'require-lifecycle-logging' },
  ]),

  item('good.fresh-infrastructure', 'good-patterns', 'warning', 'Fresh infrastructureProvider() creation'),
  item('good.scoped-context', 'good-patterns', 'warning', 'Proper scoped session context usage'),
  item('good.separate-error-session', 'good-patterns', 'warning', 'Separate error handling sessions'),
  item('good.logging', 'good-patterns', 'warning', 'Clear logging at key points'),
  item('good.exception-propagation', 'good-patterns', 'warning', 'Proper exception propagation'),

  item('tests.unit.mocks-fresh-session', 'unit-tests', 'warning', 'Mock infrastructureProvider to verify fresh session creation'),
  item('tests.unit.error-paths', 'unit-tests', 'warning', 'Test error handling paths'),
  item('tests.unit.fresh-service-providers', 'unit-tests', 'warning', 'Verify service provider creation with fresh sessions'),
  item('tests.integration.flow', 'integration-tests', 'warning', 'Test complete background task flow'),
  item('tests.integration.persistence', 'integration-tests', 'warning', 'Verify data persistence across sessions'),
  item('tests.integration.error-status', 'integration-tests', 'warning', 'Test error scenarios and status updates'),
  item('tests.integration.visible-to-others', 'integration-tests', 'warning', 'Check that other services can see the changes'),
];

export type ChecklistItemId = (typeof CHECKLIST)[number]['id'];

const BY_ID = new Map(CHECKLIST.map((entry) => [entry.id, entry]));

/** The catalogue entry of an item id. */
export function checklistItem(id: string): ChecklistItem {
  const entry = BY_ID.get(id);
  if (!entry) throw new Error(`unknown checklist item ${id}`);
  return entry;
}

/** Every rule the catalogue names (present on this branch or not). */
export const CHECKLIST_RULES: readonly string[] = [...new Set(CHECKLIST.flatMap((entry) => entry.rules.map((r) => r.rule)))];

/**
 * The items a rule's message belongs to. Red-flag items come first: a finding always lands on
 * its red flag (when the rule has one) and on the implementation item it breaks.
 */
export function itemsForMessage(rule: string, messageId: string | undefined): ChecklistItem[] {
  return CHECKLIST.filter((entry) =>
    entry.rules.some((source) => source.rule === rule && (!source.messageIds || source.messageIds.test(messageId ?? ''))),
  ).sort((a, b) => Number(b.section === 'red-flags') - Number(a.section === 'red-flags'));
}

/** Where the documentation of an item lives: its rule's doc, else the checklist doc. */
export function itemDocsPath(entry: ChecklistItem): string {
  const rule = entry.rules[0]?.rule;
  return rule ? `rules-docs/${rule}.md` : `rules-docs/checklist.md#${entry.id.replace(/\./g, '')}`;
}
