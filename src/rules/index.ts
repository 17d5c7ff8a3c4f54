/** Every rule of the plugin, by name. Adding a rule here puts it in the configs its docs name. */
import noRequestSessionInBackground from './no-request-session-in-background.js';
import requireBackgroundErrorHandling from './require-background-error-handling.js';
import requireLifecycleLogging from './require-lifecycle-logging.js';
import requireStatusUpdates from './require-status-updates.js';

export const rules = {
  'no-request-session-in-background': noRequestSessionInBackground,
  'require-background-error-handling': requireBackgroundErrorHandling,
  'require-lifecycle-logging': requireLifecycleLogging,
  'require-status-updates': requireStatusUpdates,
};

export type RuleName = keyof typeof rules;
