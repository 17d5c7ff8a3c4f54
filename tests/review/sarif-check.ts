/**
 * A structural check of a SARIF log against the parts of the SARIF 2.1.0 schema
 * (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) that our output uses: required
 * properties, enumerations, integer bounds, and no property the schema does not define
 * (the schema sets additionalProperties: false on these objects). Returns the problems found.
 */
type Json = Record<string, unknown>;

const KEYS: Record<string, readonly string[]> = {
  log: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: ['tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations', 'graphs', 'results', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences', 'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations', 'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties'],
  tool: ['driver', 'extensions', 'properties'],
  driver: ['name', 'guid', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri', 'informationUri', 'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion', 'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'organization', 'properties'],
  rule: ['id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription', 'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties'],
  configuration: ['enabled', 'level', 'rank', 'parameters', 'properties'],
  result: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount', 'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties'],
  message: ['text', 'markdown', 'id', 'arguments', 'properties'],
  location: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  region: ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength', 'snippet', 'message', 'sourceLanguage', 'properties'],
  suppression: ['guid', 'kind', 'status', 'justification', 'location', 'properties'],
};

/** The problems of a SARIF log; empty when it fits. */
export function checkSarif(log: unknown): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);
  const object = (value: unknown, where: string, kind: string, required: readonly string[] = []): value is Json => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      fail(where, 'must be an object');
      return false;
    }
    for (const key of Object.keys(value)) if (!KEYS[kind]!.includes(key)) fail(where, `unknown property ${key}`);
    for (const key of required) if (!(key in value)) fail(where, `missing ${key}`);
    return true;
  };
  const string = (value: unknown, where: string) => typeof value === 'string' || fail(where, 'must be a string');
  const integer = (value: unknown, where: string, min: number) =>
    (Number.isInteger(value) && (value as number) >= min) || fail(where, `must be an integer >= ${min}`);
  const oneOf = (value: unknown, where: string, values: readonly string[]) => values.includes(value as string) || fail(where, `must be one of ${values.join(', ')}`);
  const uri = (value: unknown, where: string) => {
    if (string(value, where) !== true) return;
    try {
      new URL(value as string, 'file:///');
    } catch {
      fail(where, 'must be a URI reference');
    }
  };
  const message = (value: unknown, where: string) => {
    if (object(value, where, 'message') && !('text' in value) && !('id' in value)) fail(where, 'needs text or id');
  };
  const artifactLocation = (value: unknown, where: string) => {
    if (!object(value, where, 'artifactLocation')) return;
    if ('uri' in value) uri(value.uri, `${where}.uri`);
    if ('uriBaseId' in value) string(value.uriBaseId, `${where}.uriBaseId`);
    if ('description' in value) message(value.description, `${where}.description`);
  };
  const LEVELS = ['none', 'note', 'warning', 'error'];

  if (!object(log, 'log', 'log', ['version', 'runs'])) return problems;
  if (log.version !== '2.1.0') fail('log.version', 'must be "2.1.0"');
  if ('$schema' in log) uri(log.$schema, 'log.$schema');
  if (!Array.isArray(log.runs)) return [...problems, 'log.runs: must be an array'];
  log.runs.forEach((run: unknown, r: number) => {
    const at = `runs[${r}]`;
    if (!object(run, at, 'run', ['tool'])) return;
    let rules: Json[] = [];
    if (object(run.tool, `${at}.tool`, 'tool', ['driver']) && object(run.tool.driver, `${at}.tool.driver`, 'driver', ['name'])) {
      const driver = run.tool.driver;
      string(driver.name, `${at}.tool.driver.name`);
      if ('informationUri' in driver) uri(driver.informationUri, `${at}.tool.driver.informationUri`);
      rules = Array.isArray(driver.rules) ? (driver.rules as Json[]) : [];
      const ids = new Set<unknown>();
      rules.forEach((rule, i) => {
        const where = `${at}.tool.driver.rules[${i}]`;
        if (!object(rule, where, 'rule', ['id'])) return;
        string(rule.id, `${where}.id`);
        if (ids.has(rule.id)) fail(where, 'duplicate id');
        ids.add(rule.id);
        if ('helpUri' in rule) uri(rule.helpUri, `${where}.helpUri`);
        if ('shortDescription' in rule && object(rule.shortDescription, `${where}.shortDescription`, 'message', ['text'])) {
          string(rule.shortDescription.text, `${where}.shortDescription.text`);
        }
        if ('defaultConfiguration' in rule && object(rule.defaultConfiguration, `${where}.defaultConfiguration`, 'configuration')) {
          if ('level' in rule.defaultConfiguration) oneOf(rule.defaultConfiguration.level, `${where}.defaultConfiguration.level`, LEVELS);
        }
      });
    }
    if ('originalUriBaseIds' in run && object(run.originalUriBaseIds, `${at}.originalUriBaseIds`, 'run')) {
      // A map: any key, each value an artifactLocation (checked below, so reset the key check).
      problems.splice(0, problems.length, ...problems.filter((p) => !p.startsWith(`${at}.originalUriBaseIds: unknown property`)));
      for (const [key, value] of Object.entries(run.originalUriBaseIds)) artifactLocation(value, `${at}.originalUriBaseIds.${key}`);
    }
    if (!Array.isArray(run.results)) return;
    run.results.forEach((result: unknown, i: number) => {
      const where = `${at}.results[${i}]`;
      if (!object(result, where, 'result', ['message'])) return;
      message(result.message, `${where}.message`);
      if ('ruleId' in result) string(result.ruleId, `${where}.ruleId`);
      if ('ruleIndex' in result) {
        integer(result.ruleIndex, `${where}.ruleIndex`, -1);
        if (rules[result.ruleIndex as number]?.id !== result.ruleId) fail(`${where}.ruleIndex`, 'does not point at ruleId');
      }
      if ('level' in result) oneOf(result.level, `${where}.level`, LEVELS);
      if ('partialFingerprints' in result) {
        const prints = result.partialFingerprints as Json;
        for (const [key, value] of Object.entries(prints)) string(value, `${where}.partialFingerprints.${key}`);
      }
      (Array.isArray(result.locations) ? result.locations : []).forEach((location: unknown, l: number) => {
        const lw = `${where}.locations[${l}]`;
        if (!object(location, lw, 'location') || !('physicalLocation' in location)) return;
        const physical = location.physicalLocation;
        if (!object(physical, `${lw}.physicalLocation`, 'physicalLocation')) return;
        if ('artifactLocation' in physical) artifactLocation(physical.artifactLocation, `${lw}.physicalLocation.artifactLocation`);
        if ('region' in physical && object(physical.region, `${lw}.physicalLocation.region`, 'region')) {
          for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn'] as const) {
            if (key in physical.region) integer(physical.region[key], `${lw}.physicalLocation.region.${key}`, 1);
          }
        }
      });
      (Array.isArray(result.suppressions) ? result.suppressions : []).forEach((suppression: unknown, s: number) => {
        const sw = `${where}.suppressions[${s}]`;
        if (!object(suppression, sw, 'suppression', ['kind'])) return;
        oneOf(suppression.kind, `${sw}.kind`, ['inSource', 'external']);
        if ('status' in suppression) oneOf(suppression.status, `${sw}.status`, ['accepted', 'underReview', 'rejected']);
        if ('justification' in suppression) string(suppression.justification, `${sw}.justification`);
      });
    });
  });
  return problems;
}
