/** eslint-plugin-background-tasks: the plugin object (meta, rules, flat configs). */
// First import: fails in one line on an unsupported TypeScript before the parser crashes on it.
import './typescript-version.js';
import type { ESLint, Linter } from 'eslint';
import { buildConfigs, type PluginConfigName } from './configs.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info.js';
import { rules } from './rules/index.js';

const plugin = {
  meta: { name: PACKAGE_NAME, version: PACKAGE_VERSION, namespace: 'background-tasks' },
  rules,
  configs: {} as Record<PluginConfigName, Linter.Config>,
};
Object.assign(plugin.configs, buildConfigs(plugin as unknown as ESLint.Plugin));

export default plugin as typeof plugin & ESLint.Plugin;
export { rules };
export type { BackgroundTasksSettings } from './model/settings.js';
// `require('eslint-plugin-background-tasks')` (an eslint.config.cjs, on Node >= 20.19) gets the plugin itself.
export { plugin as 'module.exports' };
