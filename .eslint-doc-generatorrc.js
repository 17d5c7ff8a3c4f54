/**
 * eslint-doc-generator: the rules table in README.md and each rules-docs/<rule>.md header and
 * options list, from the built plugin's metadata (`npm run docs:update`; CI runs `docs:check`).
 * Every rule in src/rules/index.ts is picked up; a new rule needs only its rules-docs/<rule>.md.
 */
/** @type {import('eslint-doc-generator').GenerateOptions} */
const config = {
  pathRuleDoc: 'rules-docs/{name}.md',
  pathRuleList: 'README.md',
  ruleDocTitleFormat: 'prefix-name',
  ruleDocNotices: ['description', 'configs', 'fixableAndHasSuggestions', 'requiresTypeChecking', 'deprecated'],
  ruleListColumns: ['name', 'description', 'configsError', 'configsWarn', 'fixable', 'hasSuggestions', 'requiresTypeChecking', 'deprecated'],
  ruleDocSectionInclude: ['Examples', 'Options', 'When Not To Use It', 'Related Rules'],
  // Every doc has an Options section ("This rule has no options." included): STYLE.md's layout.
  ruleDocSectionOptions: false,
  // `all` is every rule, and `disable-type-checked` enables none: listing them says nothing.
  ignoreConfig: ['all', 'disable-type-checked'],
  configEmoji: [['recommended-type-checked', '☑️']],
  urlConfigs: 'https://github.com/background-tasks/eslint-plugin-background-tasks#usage',
};

export default config;
