/** eslint-plugin-background-tasks: the plugin object (meta, rules, flat configs). */
import { readFileSync } from 'node:fs';
import type { ESLint, Linter } from 'eslint';
import { buildConfigs, type PluginConfigName } from './configs.js';
import { rules } from './rules/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

const plugin = {
  meta: { name: packageJson.name, version: packageJson.version, namespace: 'background-tasks' },
  rules,
  configs: {} as Record<PluginConfigName, Linter.Config>,
};
Object.assign(plugin.configs, buildConfigs(plugin as unknown as ESLint.Plugin));

export default plugin as typeof plugin & ESLint.Plugin;
export { rules };
export type { BackgroundTasksSettings } from './model/settings.js';
// `require('eslint-plugin-background-tasks')` (an eslint.config.cjs, on Node >= 20.19) gets the plugin itself.
export { plugin as 'module.exports' };
