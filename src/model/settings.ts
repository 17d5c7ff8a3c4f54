/**
 * `settings['background-tasks']`: validation, merging over the defaults, and the compiled
 * form (sets, globs, regular expressions) that the analysis reads. Lists extend the defaults;
 * the two patterns and the boolean replace them.
 */
import {
  DEFAULT_VOCABULARY,
  type DispatcherPattern,
  type NonRejectingCallPattern,
  type ReleasedSessionPattern,
  type Vocabulary,
} from './vocabulary.js';
import { builtinModules } from 'node:module';
import { calleeFits, nameMatcher, pathMatcher, rememberAnswers, parseCalleePattern, type CalleePattern, type NameMatcher } from './names.js';

export const SETTINGS_KEY = 'background-tasks';

/** The settings block as users write it: every key optional, lists extend the defaults. */
export type BackgroundTasksSettings = {
  -readonly [K in keyof Vocabulary]?: K extends 'nonRejectingCalls'
    ? readonly (NonRejectingCallPattern | string)[]
    : Vocabulary[K] extends readonly DispatcherPattern[]
      ? readonly (DispatcherPattern | string)[]
      : Vocabulary[K];
};

/** A settings value that does not fit the schema. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(`settings['${SETTINGS_KEY}']: ${message}`);
    this.name = 'SettingsError';
  }
}

type Kind = 'strings' | 'string' | 'boolean' | 'dispatchers' | 'released' | 'classMethods' | 'choice' | 'nonRejectingCalls';

/** The values a `'choice'` setting accepts. */
const CHOICES: { readonly [key: string]: readonly string[] } = {
  processRejectionHandler: ['auto', 'logs', 'none'],
};

const KINDS: { readonly [K in keyof Vocabulary]: Kind } = {
  infrastructureFactories: 'strings',
  factoryNames: 'strings',
  sessionScopes: 'strings',
  disposableScopes: 'strings',
  releasedSessions: 'released',
  connectionlessDriverTypes: 'strings',
  freshSessionMethods: 'strings',
  serviceProviders: 'strings',
  serviceProviderPattern: 'string',
  derivingMethods: 'strings',
  requestScopedMembers: 'strings',
  callableSessionNames: 'strings',
  requestObjectNames: 'strings',
  responseObjectNames: 'strings',
  requestSessionMembers: 'strings',
  sessionParameterNames: 'strings',
  endingMethods: 'strings',
  endingStatements: 'strings',
  contextRoutedScopes: 'strings',
  statusMethods: 'strings',
  statusMethodPrefixes: 'strings',
  statusFields: 'strings',
  statusWriteMethods: 'strings',
  statusWriteKeys: 'strings',
  saveMethods: 'strings',
  databaseWriteMethods: 'strings',
  nonPromiseThenables: 'strings',
  nonDatabaseReceivers: 'strings',
  sqlFragmentMethods: 'strings',
  listenerMethods: 'strings',
  arrayMappingMethods: 'strings',
  promiseCombinators: 'strings',
  failureRecordingMethods: 'strings',
  testRunnerModules: 'strings',
  browserModules: 'strings',
  blockchainModules: 'strings',
  inProgressValues: 'strings',
  restingStateValues: 'strings',
  completedValues: 'strings',
  failedValues: 'strings',
  loggers: 'strings',
  logMethods: 'strings',
  failureLogMethods: 'strings',
  consoleIsLifecycleLogger: 'boolean',
  trackers: 'strings',
  loggingTrackers: 'strings',
  nonRejectingCalls: 'nonRejectingCalls',
  dispatchers: 'dispatchers',
  backgroundDecorators: 'strings',
  routeDecorators: 'strings',
  failureRecordingDecorators: 'strings',
  processorClassDecorators: 'strings',
  processorBaseClasses: 'strings',
  backgroundNamePattern: 'string',
  backgroundJsdocTag: 'string',
  timeoutHelpers: 'strings',
  timeoutOptionNames: 'strings',
  externalCalls: 'strings',
  externalClientTypes: 'strings',
  sessionTypes: 'strings',
  transactionTypes: 'strings',
  requestScopeMarkers: 'strings',
  loggerTypes: 'strings',
  taskBaseClasses: 'classMethods',
  activityProxies: 'strings',
  taskModules: 'strings',
  statusMethodShapes: 'strings',
  statusFieldShapes: 'strings',
  // Issue 13 (precision).
  failureLoggingDecorators: 'strings',
  recurringDecorators: 'strings',
  exceptionFilterDecorators: 'strings',
  browserGlobals: 'strings',
  browserPackageSuffixes: 'strings',
  pageCallbackMethods: 'strings',
  testPathParts: 'strings',
  staticAssetFolders: 'strings',
  clientFolders: 'strings',
  frontEndFolders: 'strings',
  serverFolders: 'strings',
  sourceTestFolders: 'strings',
  serverModules: 'strings',
  promiseApis: 'strings',
  scriptPathParts: 'strings',
  packageToolFolders: 'strings',
  nonThrowingOptionKeys: 'strings',
  contextStores: 'strings',
  scheduledJobDecorators: 'strings',
  scheduledJobDispatchers: 'strings',
  declaredJobDecorators: 'strings',
  jobLifecycleDecorators: 'strings',
  jobLifecycleEvents: 'strings',
  jobEntityPattern: 'string',
  bestEffortNamePattern: 'string',
  enqueueCalls: 'strings',
  jobStarterNames: 'strings',
  // Transactions (no-dispatch-in-transaction; require-session-scope's manual transactions).
  transactionScopes: 'strings',
  transactionalMethodDecorators: 'strings',
  transactionStartMethods: 'strings',
  transactionCommitMethods: 'strings',
  transactionRollbackMethods: 'strings',
  beginStatements: 'strings',
  commitStatements: 'strings',
  transactionLifecycleMembers: 'strings',
  commitDependentCalls: 'strings',
  commitDependentCommands: 'strings',
  httpClients: 'strings',
  httpWriteMethods: 'strings',
  afterCommitHooks: 'strings',
  transactionalHookDecorators: 'strings',
  transactionalHookModules: 'strings',
  transactionalHookMethods: 'strings',
  // Issue 14, round 2.
  failureHookMethods: 'strings',
  failureHookDecorators: 'strings',
  failureHookEvents: 'strings',
  jobDefinitionTypes: 'classMethods',
  lifecycleLoggingWrappers: 'strings',
  subscriberClassMarkers: 'strings',
  // Issue 13, round 2: evidence instead of names.
  afterCommitPublishers: 'strings',
  commitWaitMethods: 'strings',
  bestEffortCallees: 'strings',
  cleanupCallees: 'strings',
  failureListNames: 'strings',
  testPackageWords: 'strings',
  ambiguousSessionOpeners: 'strings',
  nonAbortingDatabasePackages: 'strings',
  abortingDatabasePackages: 'strings',
  queuingDatabasePackages: 'strings',
  nonQueuingDatabasePackages: 'strings',
  databaseSessionMethods: 'strings',
  // Issue 13, round 3: can this promise reject, and does anyone hear it.
  processRejectionHandler: 'choice',
  loggingServerPackages: 'strings',
  loggingServerCommands: 'strings',
  processRejectionEvents: 'strings',
  processExceptionEvents: 'strings',
  processExitCalls: 'strings',
  resultCheckMethods: 'strings',
  resultCheckFunctions: 'strings',
  errorTupleNames: 'strings',
  resultSuccessProperties: 'strings',
  resultValueProperties: 'strings',
  timerPromiseModules: 'strings',
  timerPromiseFunctions: 'strings',
  shutdownSignals: 'strings',
  shutdownHooks: 'strings',
  // Issue 13, round 3: what is a database session, and what runs outside a transaction.
  ambiguousSessionNames: 'strings',
  queryRunMethods: 'strings',
  migrationFunctions: 'strings',
  migrationClientTypes: 'strings',
  // Issue 13, round 5: claim a rejection only where the code shows one can happen.
  assumeUnseenCallsReject: 'boolean',
  ioModules: 'strings',
  ioReceivers: 'strings',
  ioFunctions: 'strings',
  ioMethods: 'strings',
  retryOptionNames: 'strings',
  connectionlessSessionOpeners: 'strings',
  cliModules: 'strings',
  clientAppModules: 'strings',
  startupDispatchers: 'strings',
  singletonDecorators: 'strings',
  startupHookMethods: 'strings',
  startupCallbacks: 'strings',
};

/** The settings keys, for docs and for the review command's `--settings` file. */
export const SETTINGS_KEYS = Object.keys(KINDS) as (keyof Vocabulary)[];

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const DISPATCHER_FIELDS: Record<string, 'string' | 'boolean' | 'strings'> = {
  callee: 'string',
  construct: 'boolean',
  events: 'strings',
  dropsPromise: 'boolean',
  recordsFailure: 'boolean',
  logsFailure: 'boolean',
  logsFailureFrom: 'strings',
  catchesFailureFrom: 'strings',
  retriesFailedJobs: 'boolean',
  importedFrom: 'strings',
  jobProperty: 'string',
  failureCallback: 'string',
};
const RELEASED_FIELDS: Record<string, 'string' | 'boolean' | 'strings'> = { open: 'string', on: 'string', release: 'strings', withoutCallback: 'boolean', endedWithSource: 'strings' };

/** Checks every field of an object entry against its expected type (unknown fields are errors too). */
function checkFields(value: object, fields: Record<string, 'string' | 'boolean' | 'strings'>, key: string): void {
  for (const [field, fieldValue] of Object.entries(value)) {
    const type = fields[field];
    if (!type) throw new SettingsError(`${key}[].${field} is not a known field (known: ${Object.keys(fields).join(', ')})`);
    const ok = type === 'strings' ? isStringArray(fieldValue) : typeof fieldValue === type;
    if (!ok) throw new SettingsError(`${key}[].${field} must be ${type === 'strings' ? 'an array of strings' : type === 'string' ? 'a string' : 'true or false'}`);
  }
}

/** An entry of a callee list: a string (the callee alone) or an object with a string `callee` and known fields. */
function checkCalleeEntry<T extends { readonly callee: string }>(value: unknown, key: string, fields: Record<string, 'string' | 'boolean' | 'strings'>, fromString: (callee: string) => T): T {
  if (typeof value === 'string') return fromString(value);
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as T).callee === 'string') {
    checkFields(value, fields, key);
    return value as T;
  }
  throw new SettingsError(`${key} entries must be strings or objects with a string "callee"`);
}

function checkDispatcher(value: unknown, key: string): DispatcherPattern {
  return checkCalleeEntry<DispatcherPattern>(value, key, DISPATCHER_FIELDS, (callee) => ({ callee, dropsPromise: true }));
}

const NON_REJECTING_FIELDS: Record<string, 'string' | 'boolean' | 'strings'> = { callee: 'string', whenDependsOn: 'strings' };

function checkNonRejectingCall(value: unknown, key: string): NonRejectingCallPattern {
  return checkCalleeEntry<NonRejectingCallPattern>(value, key, NON_REJECTING_FIELDS, (callee) => ({ callee }));
}

function checkReleased(value: unknown, key: string): ReleasedSessionPattern {
  const r = value as ReleasedSessionPattern;
  if (r && typeof r === 'object' && !Array.isArray(r) && typeof r.open === 'string' && isStringArray(r.release)) {
    checkFields(r, RELEASED_FIELDS, key);
    return r;
  }
  throw new SettingsError(`${key} entries must be objects like { "open": "connect", "release": ["release"] }`);
}

/** Validates a settings block and merges it over the defaults (lists extend, scalars replace). */
export function mergeSettings(raw: unknown, base: Vocabulary = DEFAULT_VOCABULARY): Vocabulary {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new SettingsError('must be an object');
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(raw)) {
    const kind = KINDS[key as keyof Vocabulary];
    if (!kind) throw new SettingsError(`unknown key "${key}" (known: ${SETTINGS_KEYS.join(', ')})`);
    const current = base[key as keyof Vocabulary];
    switch (kind) {
      case 'strings':
        if (!isStringArray(value)) throw new SettingsError(`${key} must be an array of strings`);
        merged[key] = [...(current as string[]), ...value];
        break;
      case 'string':
        if (typeof value !== 'string') throw new SettingsError(`${key} must be a string`);
        if (key.endsWith('Pattern')) {
          try {
            new RegExp(value);
          } catch {
            throw new SettingsError(`${key} is not a valid regular expression: ${value}`);
          }
        }
        merged[key] = value;
        break;
      case 'choice': {
        const allowed = CHOICES[key] ?? [];
        if (typeof value !== 'string' || !allowed.includes(value)) throw new SettingsError(`${key} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
        merged[key] = value;
        break;
      }
      case 'boolean':
        if (typeof value !== 'boolean') throw new SettingsError(`${key} must be true or false`);
        merged[key] = value;
        break;
      case 'dispatchers':
        if (!Array.isArray(value)) throw new SettingsError(`${key} must be an array`);
        merged[key] = [...(current as DispatcherPattern[]), ...value.map((v) => checkDispatcher(v, key))];
        break;
      case 'nonRejectingCalls':
        if (!Array.isArray(value)) throw new SettingsError(`${key} must be an array`);
        merged[key] = [...(current as NonRejectingCallPattern[]), ...value.map((v) => checkNonRejectingCall(v, key))];
        break;
      case 'released':
        if (!Array.isArray(value)) throw new SettingsError(`${key} must be an array`);
        merged[key] = [...(current as ReleasedSessionPattern[]), ...value.map((v) => checkReleased(v, key))];
        break;
      case 'classMethods':
        // `BaseTask.perform`: a class name (or glob), a dot, a method name.
        if (!isStringArray(value) || value.some((v) => !/^[\w$*]+\.[\w$]+$/.test(v))) {
          throw new SettingsError(`${key} must be an array of "Class.method" strings, like "BaseTask.perform"`);
        }
        merged[key] = [...(current as string[]), ...value];
        break;
    }
  }
  return merged as unknown as Vocabulary;
}

/** A dispatcher with its callee pattern parsed. */
export interface CompiledDispatcher extends DispatcherPattern {
  readonly pattern: CalleePattern;
}

/** A non-rejecting call with its callee pattern parsed. */
export interface CompiledNonRejectingCall extends NonRejectingCallPattern {
  readonly pattern: CalleePattern;
}

export interface CompiledReleasedSession extends ReleasedSessionPattern {
  readonly receiver: NameMatcher | undefined;
}

/** The vocabulary in the form the analysis asks questions of. */
export interface CompiledVocabulary {
  readonly source: Vocabulary;
  readonly isInfrastructureFactory: NameMatcher;
  readonly isFactoryName: NameMatcher;
  readonly isSessionScope: NameMatcher;
  readonly isDisposableScope: NameMatcher;
  readonly releasedSessions: readonly CompiledReleasedSession[];
  /** The `open` methods of `releasedSessions`: most calls are ruled out by their member name alone. */
  readonly releasedSessionOpeners: ReadonlySet<string>;
  readonly isConnectionlessDriverType: NameMatcher;
  readonly isFreshSessionMethod: NameMatcher;
  readonly isServiceProvider: (name: string | undefined) => boolean;
  readonly isDerivingMethod: NameMatcher;
  readonly isRequestScopedMember: NameMatcher;
  readonly isCallableSessionName: NameMatcher;
  readonly isRequestObjectName: NameMatcher;
  readonly isResponseObjectName: NameMatcher;
  readonly isRequestSessionMember: NameMatcher;
  readonly isSessionParameterName: NameMatcher;
  readonly isEndingMethod: NameMatcher;
  /** Whether raw SQL text ends a transaction (`ROLLBACK`, `rollback to savepoint a`). */
  readonly isEndingStatement: (sql: string) => boolean;
  readonly isContextRoutedScope: NameMatcher;
  readonly isStatusMethod: (name: string | undefined) => boolean;
  readonly isStatusField: NameMatcher;
  readonly isStatusWriteMethod: NameMatcher;
  readonly isStatusWriteKey: NameMatcher;
  readonly isSaveMethod: NameMatcher;
  readonly isDatabaseWriteMethod: NameMatcher;
  readonly isNonPromiseThenable: NameMatcher;
  readonly isNonDatabaseReceiver: NameMatcher;
  readonly isSqlFragmentMethod: NameMatcher;
  readonly isListenerMethod: NameMatcher;
  readonly isArrayMappingMethod: NameMatcher;
  readonly isPromiseCombinator: NameMatcher;
  readonly isFailureRecordingMethod: NameMatcher;
  readonly isTestRunnerModule: NameMatcher;
  readonly isBrowserModule: NameMatcher;
  readonly isBlockchainModule: NameMatcher;
  readonly isClientFolder: NameMatcher;
  readonly isRouteDecorator: NameMatcher;
  readonly isFrontEndFolder: NameMatcher;
  readonly isServerFolder: NameMatcher;
  /** Phase of a status value (string literal text or enum member name), compared case-insensitively. */
  readonly statusPhase: (value: string) => 'in-progress' | 'completed' | 'failed' | undefined;
  /** Whether an in-progress value also names a resting state (`restingStateValues`), compared as `statusPhase` does. */
  readonly isRestingStateValue: (value: string) => boolean;
  readonly isLogger: NameMatcher;
  readonly isLogMethod: NameMatcher;
  /** Log levels that say the path is a failure (`logger.error`): a catch path logging at one of them without the error loses its cause. */
  readonly isFailureLogMethod: NameMatcher;
  readonly trackers: readonly CalleePattern[];
  readonly loggingTrackers: readonly CalleePattern[];
  readonly nonRejectingCalls: readonly CompiledNonRejectingCall[];
  readonly dispatchers: readonly CompiledDispatcher[];
  readonly isBackgroundDecorator: NameMatcher;
  readonly isFailureRecordingDecorator: NameMatcher;
  readonly isProcessorClassDecorator: NameMatcher;
  readonly isProcessorBaseClass: NameMatcher;
  readonly isBackgroundName: (name: string | undefined) => boolean;
  readonly timeoutHelpers: readonly CalleePattern[];
  readonly isTimeoutOptionName: NameMatcher;
  /** External work patterns; a member `*` stands for any method (`axios.*`). */
  readonly externalCalls: readonly CalleePattern[];
  readonly isExternalClientType: NameMatcher;
  readonly isSessionType: NameMatcher;
  readonly isTransactionType: NameMatcher;
  readonly isRequestScopeMarker: NameMatcher;
  readonly isLoggerType: NameMatcher;
  /** `BaseTask.perform` as (class glob, method): subclasses' methods that run as jobs. */
  readonly taskBaseClasses: readonly CalleePattern[];
  readonly isActivityProxy: NameMatcher;
  /** Whether a file's path matches `taskModules` (its exported functions are jobs). */
  readonly isTaskModule: (filename: string) => boolean;
  // Issue 13 (precision).
  readonly isFailureLoggingDecorator: NameMatcher;
  readonly isRecurringDecorator: NameMatcher;
  // Issue 14, round 2.
  readonly isFailureHookMethod: NameMatcher;
  readonly isFailureHookDecorator: NameMatcher;
  readonly isFailureHookEvent: NameMatcher;
  /** `JobDefinition.handler` as (type glob, property). */
  readonly jobDefinitionTypes: readonly CalleePattern[];
  readonly isLifecycleLoggingWrapper: NameMatcher;
  readonly isExceptionFilterDecorator: NameMatcher;
  readonly browserGlobals: ReadonlySet<string>;
  readonly isPageCallbackMethod: NameMatcher;
  readonly testPathParts: readonly string[];
  readonly sourceTestFolders: readonly string[];
  readonly promiseApis: readonly CalleePattern[];
  readonly isServerModule: NameMatcher;
  readonly scriptPathParts: readonly string[];
  readonly packageToolFolders: readonly string[];
  readonly isNonThrowingOptionKey: NameMatcher;
  readonly isContextStore: NameMatcher;
  // Jobs (../analysis/tasks/jobs.ts)
  readonly isScheduledJobDecorator: NameMatcher;
  readonly isScheduledJobDispatcher: NameMatcher;
  readonly isDeclaredJobDecorator: NameMatcher;
  readonly isJobLifecycleDecorator: NameMatcher;
  readonly isJobLifecycleEvent: NameMatcher;
  readonly isJobEntity: (name: string | undefined) => boolean;
  readonly isJobStarterName: NameMatcher;
  readonly enqueueCalls: readonly CalleePattern[];
  readonly isBestEffortName: (name: string | undefined) => boolean;
  // Transactions (no-dispatch-in-transaction; require-session-scope's manual transactions).
  readonly isTransactionScope: NameMatcher;
  readonly isTransactionalMethodDecorator: NameMatcher;
  readonly isTransactionStartMethod: NameMatcher;
  readonly isTransactionCommitMethod: NameMatcher;
  readonly isTransactionRollbackMethod: NameMatcher;
  /** Whether raw SQL text starts (`BEGIN`) or commits (`COMMIT`) a transaction. */
  readonly isBeginStatement: (sql: string) => boolean;
  readonly isCommitStatement: (sql: string) => boolean;
  readonly isTransactionLifecycleMember: NameMatcher;
  /** Whether a call (receiver short name, member) hands work to other processes: `queue.add`, `sendEmail`. */
  readonly isCommitDependentCall: (receiver: string | undefined, member: string) => boolean;
  readonly isCommitDependentCommand: NameMatcher;
  readonly isHttpClient: NameMatcher;
  readonly isHttpWriteMethod: NameMatcher;
  readonly isAfterCommitHook: NameMatcher;
  readonly isTransactionalHookDecorator: NameMatcher;
  readonly isTransactionalHookModule: NameMatcher;
  readonly isTransactionalHookMethod: NameMatcher;
  readonly isSubscriberClassMarker: NameMatcher;
  // Issue 13, round 2: evidence instead of names.
  readonly isAfterCommitPublisher: (receiver: string | undefined, member: string) => boolean;
  readonly isCommitWaitMethod: NameMatcher;
  /** A best-effort callee: `bestEffortCallees` (globs) or `bestEffortNamePattern`. */
  readonly isBestEffortCallee: (name: string | undefined) => boolean;
  readonly isCleanupCallee: NameMatcher;
  readonly isFailureListName: NameMatcher;
  readonly isTestPackageWord: NameMatcher;
  readonly isAmbiguousSessionOpener: NameMatcher;
  readonly isNonAbortingDatabasePackage: NameMatcher;
  readonly isAbortingDatabasePackage: NameMatcher;
  readonly isQueuingDatabasePackage: NameMatcher;
  readonly isNonQueuingDatabasePackage: NameMatcher;
  readonly isDatabaseSessionMethod: NameMatcher;
  // Issue 13, round 3: can this promise reject, and does anyone hear it.
  readonly isProcessRejectionEvent: NameMatcher;
  readonly processExitCalls: readonly CalleePattern[];
  readonly startupCallbacks: readonly CalleePattern[];
  readonly isResultCheckMethod: NameMatcher;
  readonly isResultCheckFunction: NameMatcher;
  readonly isErrorTupleName: NameMatcher;
  readonly isResultSuccessProperty: NameMatcher;
  readonly isResultValueProperty: NameMatcher;
  readonly isTimerPromiseModule: NameMatcher;
  readonly timerPromiseFunctions: readonly CalleePattern[];
  readonly isShutdownSignal: NameMatcher;
  readonly isShutdownHook: NameMatcher;
  // Issue 13, round 3: what is a database session, and what runs outside a transaction.
  readonly isAmbiguousSessionName: NameMatcher;
  readonly isQueryRunMethod: NameMatcher;
  readonly isMigrationFunction: NameMatcher;
  readonly isMigrationClientType: NameMatcher;
  /** Node's own modules (`fs/promises`, `node:child_process`) and `ioModules`: their exports do I/O. */
  readonly isIoModule: (name: string | undefined) => boolean;
  readonly isIoReceiver: NameMatcher;
  readonly isIoFunction: NameMatcher;
  readonly isIoMethod: NameMatcher;
  readonly isConnectionlessSessionOpener: NameMatcher;
  readonly isCliModule: NameMatcher;
  /** Whether a type name (last segment: `EntityManager`, `Transaction`) is one of `sessionTypes`' types. */
  readonly isSessionTypeName: NameMatcher;
  /** Whether a (receiver, member) call fits any of the patterns. */
  readonly fits: (patterns: readonly CalleePattern[], receiver: string | undefined, member: string) => boolean;
}

/** Normalises a status value for comparison: case and separators do not matter. */
export function normaliseStatus(value: string): string {
  return value.toLowerCase().replace(/[\s_-]/g, '');
}

/** Compiles a merged vocabulary into matchers. */
export function compileVocabulary(vocabulary: Vocabulary): CompiledVocabulary {
  const phases = new Map<string, 'in-progress' | 'completed' | 'failed'>();
  for (const v of vocabulary.inProgressValues) phases.set(normaliseStatus(v), 'in-progress');
  for (const v of vocabulary.completedValues) phases.set(normaliseStatus(v), 'completed');
  for (const v of vocabulary.failedValues) phases.set(normaliseStatus(v), 'failed');
  const statusPhase = rememberAnswers((value) => phases.get(normaliseStatus(value)) ?? null);
  const restingStates = new Set(vocabulary.restingStateValues.map(normaliseStatus));
  const statusMethods = new Set(vocabulary.statusMethods);
  const statusMethodShape = nameMatcher(vocabulary.statusMethodShapes);
  const serviceProviders = new Set(vocabulary.serviceProviders);
  const serviceProviderPattern = new RegExp(vocabulary.serviceProviderPattern);
  const backgroundName = new RegExp(vocabulary.backgroundNamePattern);
  const isBackgroundName = rememberAnswers((name) => backgroundName.test(name));
  const jobEntity = new RegExp(vocabulary.jobEntityPattern, 'i');
  const isJobEntity = rememberAnswers((name) => jobEntity.test(name));
  const bestEffortName = new RegExp(vocabulary.bestEffortNamePattern, 'i');
  const isBestEffortName = rememberAnswers((name) => bestEffortName.test(name));
  const bestEffortCallee = nameMatcher(vocabulary.bestEffortCallees);
  const ioModule = nameMatcher(vocabulary.ioModules);
  const endingStatements = vocabulary.endingStatements.map((statement) => statement.toUpperCase());
  const commitDependent = compileMemberGlobs([...vocabulary.enqueueCalls, ...vocabulary.commitDependentCalls]);
  return {
    source: vocabulary,
    isInfrastructureFactory: nameMatcher(vocabulary.infrastructureFactories),
    isFactoryName: nameMatcher(vocabulary.factoryNames),
    isSessionScope: nameMatcher(vocabulary.sessionScopes),
    isDisposableScope: nameMatcher(vocabulary.disposableScopes),
    releasedSessions: vocabulary.releasedSessions.map((r) => ({
      ...r,
      receiver: r.on === undefined ? undefined : nameMatcher([r.on]),
    })),
    releasedSessionOpeners: new Set(vocabulary.releasedSessions.map((r) => r.open)),
    isConnectionlessDriverType: nameMatcher(vocabulary.connectionlessDriverTypes),
    isFreshSessionMethod: nameMatcher(vocabulary.freshSessionMethods),
    isServiceProvider: (name) => name !== undefined && (serviceProviders.has(name) || serviceProviderPattern.test(name)),
    isDerivingMethod: nameMatcher(vocabulary.derivingMethods),
    isRequestScopedMember: nameMatcher(vocabulary.requestScopedMembers),
    isCallableSessionName: nameMatcher(vocabulary.callableSessionNames),
    isRequestObjectName: nameMatcher(vocabulary.requestObjectNames),
    isResponseObjectName: nameMatcher(vocabulary.responseObjectNames),
    isRequestSessionMember: nameMatcher(vocabulary.requestSessionMembers),
    isSessionParameterName: nameMatcher(vocabulary.sessionParameterNames),
    isEndingMethod: nameMatcher(vocabulary.endingMethods),
    isEndingStatement: statementMatcher(endingStatements),
    isContextRoutedScope: nameMatcher(vocabulary.contextRoutedScopes),
    isStatusMethod: (name) =>
      name !== undefined &&
      (statusMethods.has(name) ||
        vocabulary.statusMethodPrefixes.some((prefix) => name.length > prefix.length && name.startsWith(prefix)) ||
        statusMethodShape(name)),
    isStatusField: nameMatcher([...vocabulary.statusFields, ...vocabulary.statusFieldShapes]),
    isStatusWriteMethod: nameMatcher(vocabulary.statusWriteMethods),
    isStatusWriteKey: nameMatcher(vocabulary.statusWriteKeys),
    isSaveMethod: nameMatcher(vocabulary.saveMethods),
    isDatabaseWriteMethod: nameMatcher(vocabulary.databaseWriteMethods),
    isNonPromiseThenable: nameMatcher(vocabulary.nonPromiseThenables),
    isNonDatabaseReceiver: nameMatcher(vocabulary.nonDatabaseReceivers),
    isSqlFragmentMethod: nameMatcher(vocabulary.sqlFragmentMethods),
    isListenerMethod: nameMatcher(vocabulary.listenerMethods),
    isArrayMappingMethod: nameMatcher(vocabulary.arrayMappingMethods),
    isPromiseCombinator: nameMatcher(vocabulary.promiseCombinators),
    isFailureRecordingMethod: nameMatcher(vocabulary.failureRecordingMethods),
    isTestRunnerModule: nameMatcher(vocabulary.testRunnerModules),
    isBrowserModule: nameMatcher(vocabulary.browserModules),
    isBlockchainModule: nameMatcher(vocabulary.blockchainModules),
    isClientFolder: nameMatcher(vocabulary.clientFolders),
    isRouteDecorator: nameMatcher(vocabulary.routeDecorators),
    isFrontEndFolder: nameMatcher(vocabulary.frontEndFolders),
    isServerFolder: nameMatcher(vocabulary.serverFolders),
    statusPhase: (value) => statusPhase(value) ?? undefined,
    isRestingStateValue: (value) => restingStates.has(normaliseStatus(value)),
    isLogger: nameMatcher(vocabulary.loggers),
    isLogMethod: nameMatcher(vocabulary.logMethods),
    isFailureLogMethod: nameMatcher(vocabulary.failureLogMethods),
    trackers: vocabulary.trackers.map(parseCalleePattern),
    loggingTrackers: vocabulary.loggingTrackers.map(parseCalleePattern),
    nonRejectingCalls: vocabulary.nonRejectingCalls.map((c) => ({ ...c, pattern: parseCalleePattern(c.callee) })),
    dispatchers: vocabulary.dispatchers.map((d) => ({ ...d, pattern: parseCalleePattern(d.callee) })),
    isBackgroundDecorator: nameMatcher(vocabulary.backgroundDecorators),
    isFailureRecordingDecorator: nameMatcher(vocabulary.failureRecordingDecorators),
    isProcessorClassDecorator: nameMatcher(vocabulary.processorClassDecorators),
    isProcessorBaseClass: nameMatcher(vocabulary.processorBaseClasses),
    // The pattern backtracks through lookbehinds: remembered per name.
    isBackgroundName: (name) => name !== undefined && isBackgroundName(name),
    timeoutHelpers: vocabulary.timeoutHelpers.map(parseCalleePattern),
    isTimeoutOptionName: nameMatcher(vocabulary.timeoutOptionNames),
    externalCalls: vocabulary.externalCalls.map(parseCalleePattern),
    isExternalClientType: nameMatcher(vocabulary.externalClientTypes),
    isSessionType: nameMatcher(vocabulary.sessionTypes),
    isTransactionType: nameMatcher(vocabulary.transactionTypes),
    isRequestScopeMarker: nameMatcher(vocabulary.requestScopeMarkers),
    isLoggerType: nameMatcher(vocabulary.loggerTypes),
    taskBaseClasses: vocabulary.taskBaseClasses.map(parseCalleePattern),
    isActivityProxy: nameMatcher(vocabulary.activityProxies),
    isTaskModule: pathMatcher(vocabulary.taskModules),
    isFailureLoggingDecorator: nameMatcher(vocabulary.failureLoggingDecorators),
    isRecurringDecorator: nameMatcher(vocabulary.recurringDecorators),
    isFailureHookMethod: nameMatcher(vocabulary.failureHookMethods),
    isFailureHookDecorator: nameMatcher(vocabulary.failureHookDecorators),
    isFailureHookEvent: nameMatcher(vocabulary.failureHookEvents),
    jobDefinitionTypes: vocabulary.jobDefinitionTypes.map(parseCalleePattern),
    isLifecycleLoggingWrapper: nameMatcher(vocabulary.lifecycleLoggingWrappers),
    isExceptionFilterDecorator: nameMatcher(vocabulary.exceptionFilterDecorators),
    browserGlobals: new Set(vocabulary.browserGlobals),
    isPageCallbackMethod: nameMatcher(vocabulary.pageCallbackMethods),
    testPathParts: vocabulary.testPathParts,
    sourceTestFolders: vocabulary.sourceTestFolders,
    promiseApis: vocabulary.promiseApis.map(parseCalleePattern),
    isServerModule: nameMatcher(vocabulary.serverModules),
    scriptPathParts: vocabulary.scriptPathParts,
    packageToolFolders: vocabulary.packageToolFolders,
    isNonThrowingOptionKey: nameMatcher(vocabulary.nonThrowingOptionKeys),
    isContextStore: nameMatcher(vocabulary.contextStores),
    isScheduledJobDecorator: nameMatcher(vocabulary.scheduledJobDecorators),
    isScheduledJobDispatcher: nameMatcher(vocabulary.scheduledJobDispatchers),
    isDeclaredJobDecorator: nameMatcher(vocabulary.declaredJobDecorators),
    isJobLifecycleDecorator: nameMatcher(vocabulary.jobLifecycleDecorators),
    isJobLifecycleEvent: nameMatcher(vocabulary.jobLifecycleEvents),
    isJobEntity: (name) => name !== undefined && isJobEntity(name),
    isJobStarterName: nameMatcher(vocabulary.jobStarterNames),
    enqueueCalls: vocabulary.enqueueCalls.map(parseCalleePattern),
    isBestEffortName: (name) => name !== undefined && isBestEffortName(name),
    isTransactionScope: nameMatcher(vocabulary.transactionScopes),
    isTransactionalMethodDecorator: nameMatcher(vocabulary.transactionalMethodDecorators),
    isTransactionStartMethod: nameMatcher(vocabulary.transactionStartMethods),
    isTransactionCommitMethod: nameMatcher(vocabulary.transactionCommitMethods),
    isTransactionRollbackMethod: nameMatcher(vocabulary.transactionRollbackMethods),
    isBeginStatement: statementMatcher(vocabulary.beginStatements),
    isCommitStatement: statementMatcher(vocabulary.commitStatements),
    isTransactionLifecycleMember: nameMatcher(vocabulary.transactionLifecycleMembers),
    isCommitDependentCall: commitDependent,
    isCommitDependentCommand: nameMatcher(vocabulary.commitDependentCommands),
    isHttpClient: nameMatcher(vocabulary.httpClients),
    isHttpWriteMethod: nameMatcher(vocabulary.httpWriteMethods),
    isAfterCommitHook: nameMatcher(vocabulary.afterCommitHooks),
    isTransactionalHookDecorator: nameMatcher(vocabulary.transactionalHookDecorators),
    isTransactionalHookModule: nameMatcher(vocabulary.transactionalHookModules),
    isTransactionalHookMethod: nameMatcher(vocabulary.transactionalHookMethods),
    isSubscriberClassMarker: nameMatcher(vocabulary.subscriberClassMarkers),
    isAfterCommitPublisher: compileMemberGlobs(vocabulary.afterCommitPublishers),
    isCommitWaitMethod: nameMatcher(vocabulary.commitWaitMethods),
    isBestEffortCallee: (name) => name !== undefined && (bestEffortCallee(name) || isBestEffortName(name)),
    isCleanupCallee: nameMatcher(vocabulary.cleanupCallees),
    isFailureListName: nameMatcher(vocabulary.failureListNames),
    isTestPackageWord: nameMatcher(vocabulary.testPackageWords),
    isAmbiguousSessionOpener: nameMatcher(vocabulary.ambiguousSessionOpeners),
    isNonAbortingDatabasePackage: nameMatcher(vocabulary.nonAbortingDatabasePackages),
    isAbortingDatabasePackage: nameMatcher(vocabulary.abortingDatabasePackages),
    isQueuingDatabasePackage: nameMatcher(vocabulary.queuingDatabasePackages),
    isNonQueuingDatabasePackage: nameMatcher(vocabulary.nonQueuingDatabasePackages),
    isDatabaseSessionMethod: nameMatcher(vocabulary.databaseSessionMethods),
    isProcessRejectionEvent: nameMatcher(vocabulary.processRejectionEvents),
    processExitCalls: vocabulary.processExitCalls.map(parseCalleePattern),
    startupCallbacks: vocabulary.startupCallbacks.map(parseCalleePattern),
    isResultCheckMethod: nameMatcher(vocabulary.resultCheckMethods),
    isResultCheckFunction: nameMatcher(vocabulary.resultCheckFunctions),
    isErrorTupleName: nameMatcher(vocabulary.errorTupleNames),
    isResultSuccessProperty: nameMatcher(vocabulary.resultSuccessProperties),
    isResultValueProperty: nameMatcher(vocabulary.resultValueProperties),
    isTimerPromiseModule: nameMatcher(vocabulary.timerPromiseModules),
    timerPromiseFunctions: vocabulary.timerPromiseFunctions.map(parseCalleePattern),
    isShutdownSignal: nameMatcher(vocabulary.shutdownSignals),
    isShutdownHook: nameMatcher(vocabulary.shutdownHooks),
    isAmbiguousSessionName: nameMatcher(vocabulary.ambiguousSessionNames),
    isQueryRunMethod: nameMatcher(vocabulary.queryRunMethods),
    isMigrationFunction: nameMatcher(vocabulary.migrationFunctions),
    isMigrationClientType: nameMatcher(vocabulary.migrationClientTypes),
    // Node's own modules do I/O (or, as `timers/promises` with a signal, reject on purpose): never unseen.
    isIoModule: (name) => name !== undefined && (name.startsWith('node:') || builtinModules.includes(name) || ioModule(name)),
    isIoReceiver: nameMatcher(vocabulary.ioReceivers),
    isIoFunction: nameMatcher(vocabulary.ioFunctions),
    isIoMethod: nameMatcher(vocabulary.ioMethods),
    isConnectionlessSessionOpener: nameMatcher(vocabulary.connectionlessSessionOpeners),
    isCliModule: nameMatcher(vocabulary.cliModules),
    isSessionTypeName: nameMatcher(vocabulary.sessionTypes.map((name) => name.slice(name.lastIndexOf('.') + 1))),
    fits: (patterns, receiver, member) => patterns.some((p) => calleeFits(p, receiver, member)),
  };
}

/** Whether SQL text starts with one of the statements (`ROLLBACK`, `rollback to savepoint a`), case-insensitively. */
function statementMatcher(statements: readonly string[]): (sql: string) => boolean {
  const upper = statements.map((statement) => statement.toUpperCase());
  return (sql) => {
    const text = sql.trimStart().toUpperCase();
    return upper.some((statement) => text.startsWith(statement) && !/\w/.test(text.charAt(statement.length)));
  };
}

/**
 * `receiver.member` patterns whose member may be a glob too (`*mailer.send*`); a bare name is a
 * function call (`sendEmail`). Indexed by exact member names first, globbed members after.
 */
function compileMemberGlobs(patterns: readonly string[]): (receiver: string | undefined, member: string) => boolean {
  const byMember = new Map<string, (NameMatcher | undefined)[]>();
  const globbed: { receiver: NameMatcher | undefined; member: NameMatcher }[] = [];
  for (const pattern of patterns) {
    const dot = pattern.lastIndexOf('.');
    const receiver = dot <= 0 ? undefined : nameMatcher([pattern.slice(0, dot)]);
    const member = dot <= 0 ? pattern : pattern.slice(dot + 1);
    if (member.includes('*')) globbed.push({ receiver, member: nameMatcher([member]) });
    else byMember.set(member, [...(byMember.get(member) ?? []), receiver]);
  }
  const fits = (receiver: NameMatcher | undefined, name: string | undefined): boolean =>
    receiver === undefined ? name === undefined : name !== undefined && receiver(name);
  return (receiver, member) =>
    (byMember.get(member)?.some((r) => fits(r, receiver)) ?? false) ||
    globbed.some((g) => g.member(member) && fits(g.receiver, receiver));
}

const compiledBySettings = new WeakMap<object, CompiledVocabulary>();
/** Compiled on first use, not at import: loading the plugin (every process, every worker) stays cheap. */
let compiledDefault: CompiledVocabulary | undefined;

/**
 * The compiled vocabulary for an ESLint `settings` object, cached per settings object
 * (ESLint hands every file of a config the same one).
 */
export function vocabularyFromSettings(settings: Readonly<Record<string, unknown>> | undefined): CompiledVocabulary {
  const raw = settings?.[SETTINGS_KEY];
  if (raw === undefined || raw === null) return (compiledDefault ??= compileVocabulary(DEFAULT_VOCABULARY));
  if (typeof raw !== 'object') return compileVocabulary(mergeSettings(raw));
  let compiled = compiledBySettings.get(raw);
  if (!compiled) {
    compiled = compileVocabulary(mergeSettings(raw));
    compiledBySettings.set(raw, compiled);
  }
  return compiled;
}

const extendedCache = new WeakMap<CompiledVocabulary, Map<string, CompiledVocabulary>>();

/**
 * The compiled vocabulary with a rule's option lists added on top of the settings, cached
 * by the options' content so that each file of a run reuses the same compiled form.
 */
export function extendVocabulary(base: CompiledVocabulary, extra: Partial<Vocabulary>): CompiledVocabulary {
  const hasExtra = Object.values(extra).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
  if (!hasExtra) return base;
  let byKey = extendedCache.get(base);
  if (!byKey) {
    byKey = new Map();
    extendedCache.set(base, byKey);
  }
  const key = JSON.stringify(extra);
  let compiled = byKey.get(key);
  if (!compiled) {
    compiled = compileVocabulary(mergeSettings(extra, base.source));
    byKey.set(key, compiled);
  }
  return compiled;
}
