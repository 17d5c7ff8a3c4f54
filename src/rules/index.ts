/** Every rule of the plugin, by name. Adding a rule here puts it in the configs its docs name. */
import noRequestSessionInBackground from './no-request-session-in-background.js';
import noStaleSessionInCatch from './no-stale-session-in-catch.js';
import requireSessionScope from './require-session-scope.js';

export const rules = {
  'no-request-session-in-background': noRequestSessionInBackground,
  'no-stale-session-in-catch': noStaleSessionInCatch,
  'require-session-scope': requireSessionScope,
};

export type RuleName = keyof typeof rules;
