/** Every rule of the plugin, by name. Adding a rule here puts it in the configs its docs name. */
import noFloatingBackgroundTask from './no-floating-background-task.js';
import noRequestSessionInBackground from './no-request-session-in-background.js';
import requireBackgroundTimeout from './require-background-timeout.js';

export const rules = {
  'no-floating-background-task': noFloatingBackgroundTask,
  'no-request-session-in-background': noRequestSessionInBackground,
  'require-background-timeout': requireBackgroundTimeout,
};

export type RuleName = keyof typeof rules;
