/** Every rule of the plugin, by name. Adding a rule here puts it in the configs its docs name. */
import noDispatchInTransaction from './no-dispatch-in-transaction.js';
import noFloatingBackgroundTask from './no-floating-background-task.js';
import noRequestSessionInBackground from './no-request-session-in-background.js';
import noStaleSessionInCatch from './no-stale-session-in-catch.js';
import requireBackgroundErrorHandling from './require-background-error-handling.js';
import requireBackgroundTimeout from './require-background-timeout.js';
import requireLifecycleLogging from './require-lifecycle-logging.js';
import requireSessionScope from './require-session-scope.js';
import requireStatusUpdates from './require-status-updates.js';

export const rules = {
  'no-dispatch-in-transaction': noDispatchInTransaction,
  'no-floating-background-task': noFloatingBackgroundTask,
  'no-request-session-in-background': noRequestSessionInBackground,
  'no-stale-session-in-catch': noStaleSessionInCatch,
  'require-background-error-handling': requireBackgroundErrorHandling,
  'require-background-timeout': requireBackgroundTimeout,
  'require-lifecycle-logging': requireLifecycleLogging,
  'require-session-scope': requireSessionScope,
  'require-status-updates': requireStatusUpdates,
};

export type RuleName = keyof typeof rules;
