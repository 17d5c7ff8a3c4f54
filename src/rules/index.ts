/** Every rule of the plugin, by name. Adding a rule here puts it in the configs its docs name. */
import noRequestSessionInBackground from './no-request-session-in-background.js';

export const rules = {
  'no-request-session-in-background': noRequestSessionInBackground,
};

export type RuleName = keyof typeof rules;
