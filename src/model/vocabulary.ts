/**
 * The zero-config vocabulary of SPEC section 5: every API name the analysis knows.
 * This file is the only place that lists ORM, framework and checklist names;
 * `settings['background-tasks']` extends these lists (see ./settings.ts).
 */

/** A call that cannot reject, by what the library behind it does. */
export interface NonRejectingCallPattern {
  /**
   * `*.emitAsync`: object glob, dot, method (as dispatchers); or `@Lock`: any method that carries this
   * decorator, whose wrapper catches and logs what the method throws.
   */
  readonly callee: string;
  /** Only when the file's package depends on one of these packages at this version or later (`@nestjs/event-emitter@2.0.2`). */
  readonly whenDependsOn?: readonly string[];
}

/** A call that runs a callback later, outside the caller's await chain. */
export interface DispatcherPattern {
  /** `setImmediate`, `process.nextTick`, `*.addTask`, `*queue.process`: object glob, dot, method. */
  readonly callee: string;
  /** `new Worker(...)`, `new CronJob(...)`. */
  readonly construct?: boolean;
  /** Only when the first argument is one of these string literals (`res.on('finish', fn)`). */
  readonly events?: readonly string[];
  /** Whether the dispatcher drops the callback's promise (a rejection in it is unhandled). */
  readonly dropsPromise?: boolean;
  /** Whether a framework runs the callback and records its failure (BullMQ marks the job failed). */
  readonly recordsFailure?: boolean;
  /**
   * Whether the framework retries a job whose callback throws, whatever the job's options say
   * (karakeep's liteque runners): a catch that swallows the failure then costs the retry.
   */
  readonly retriesFailedJobs?: boolean;
  /** Whether the framework catches a thrown error of the callback and logs it (Next.js `after`): no unhandled rejection. */
  readonly logsFailure?: boolean;
  /**
   * As `logsFailure`, from these versions of a package the file's package.json depends on
   * (`cron@4.3.4`: cron catches an async `onTick`'s rejection and logs it from 4.3.4 on).
   */
  readonly logsFailureFrom?: readonly string[];
  /**
   * From these versions of a package the file's package.json depends on, the framework catches the
   * callback's rejection without logging it (node-cron 3 emits `task-failed`, which nothing hears by
   * default): no unhandled rejection, but a failure lost without a log.
   */
  readonly catchesFailureFrom?: readonly string[];
  /** Only when the callee is imported from one of these modules (Next.js `after` from 'next/server', not mocha's `after` hook). */
  readonly importedFrom?: readonly string[];
  /**
   * The job is not an argument but this property of an object argument, possibly wrapped
   * (`createRunner(queue, { run: withTracing('x', runCrawler) })`, `defineJob({ handler })`).
   */
  readonly jobProperty?: string;
  /**
   * A property of the same object whose callback the framework calls with the job's failure
   * (`onError`): given, the failure is recorded (as with `recordsFailure`), and a failed status
   * written there records the failure of a rethrowing job.
   */
  readonly failureCallback?: string;
}

/** A session that must be ended explicitly, with the methods that end it. */
export interface ReleasedSessionPattern {
  /** Method (or function) that opens the session: `createQueryRunner`, `connect`. */
  readonly open: string;
  /** Receiver name glob the opener must be called on (`*pool` for `pool.connect()`); absent: any. */
  readonly on?: string;
  /** Methods that end it. */
  readonly release: readonly string[];
  /** Opens a session only when called without a callback argument (`knex.transaction()`). */
  readonly withoutCallback?: boolean;
  /**
   * Methods of the opener's receiver that end every session it opened: TypeORM's
   * `dataSource.destroy()` releases each query runner (Postgres) or ends the pool (MySQL).
   */
  readonly endedWithSource?: readonly string[];
}

export interface Vocabulary {
  /** Functions that build the infrastructure (a session factory): `infrastructureProvider()`. */
  readonly infrastructureFactories: readonly string[];
  /** Members and globals that hold a long-lived factory, never a session: `this.dataSource`, `prisma`. */
  readonly factoryNames: readonly string[];
  /** Methods that open a scoped session, by callback or as a disposable: `transaction`, `getSessionContext`. */
  readonly sessionScopes: readonly string[];
  /** Scope methods that return a disposable (used with `using`) rather than taking a callback. */
  readonly disposableScopes: readonly string[];
  /** Sessions that must be released, closed or committed. */
  readonly releasedSessions: readonly ReleasedSessionPattern[];
  /**
   * DataSource `type`s whose sessions hold no connection: TypeORM's SQLite-family query runners
   * share the driver's one database handle, and their `release()` only clears caches.
   */
  readonly connectionlessDriverTypes: readonly string[];
  /** Methods that return a fresh session that needs no release: `em.fork()`. */
  readonly freshSessionMethods: readonly string[];
  /** Functions that build services from a session: `serviceProvider(session)`. */
  readonly serviceProviders: readonly string[];
  /** Regular expression (source) for service/repository factories called with a session. */
  readonly serviceProviderPattern: string;
  /** Methods on a session that return a value bound to it: `getRepository`, `withRepository`. */
  readonly derivingMethods: readonly string[];
  /** `this.<member>` names that hold a request-scoped session. */
  readonly requestScopedMembers: readonly string[];
  /** Parameter names of request functions that hold the request (`req`, `ctx`). */
  readonly requestObjectNames: readonly string[];
  /**
   * Names of the response object a handler answers through (`res.status(500).send(...)`): a catch
   * that answers the request with it tells the caller, as a rethrow would (issue 13, round 8).
   */
  readonly responseObjectNames: readonly string[];
  /** Session names that are called as functions (`trx('orders')`, Knex), unlike methods such as `this.transaction(...)`. */
  readonly callableSessionNames: readonly string[];
  /** Members of a request object that hold its database session (`req.db`, `ctx.em`). */
  readonly requestSessionMembers: readonly string[];
  /** Parameter names of request functions that hold a session (`session`, `tx`). */
  readonly sessionParameterNames: readonly string[];
  /** Methods that end a session; the only calls allowed on a stale session in a catch. */
  readonly endingMethods: readonly string[];
  /** Raw SQL statements that end a transaction (`client.query('ROLLBACK')`), matched at the start, case-insensitively. */
  readonly endingStatements: readonly string[];
  /**
   * Scopes that route the outer client to the scope's session inside the callback (MikroORM's
   * `em.transactional` and `RequestContext.create` use async-local storage), so using the
   * outer client there is fine.
   */
  readonly contextRoutedScopes: readonly string[];
  /** Status methods: `updateStatus(id, 'running')`; `markAs<Status>()` is matched by prefix. */
  readonly statusMethods: readonly string[];
  readonly statusMethodPrefixes: readonly string[];
  /** Object fields that hold a status: `{ status: 'running' }`, `job.state = ...`. */
  readonly statusFields: readonly string[];
  /** ORM methods whose object argument may write a status field: `repo.update(id, { status })`, drizzle `.set({ status })`. */
  readonly statusWriteMethods: readonly string[];
  /** Keys of an ORM argument that hold the written fields: prisma `data`, Mongo `$set`, upsert `update`. */
  readonly statusWriteKeys: readonly string[];
  /** Methods that persist an entity after `job.status = ...`: `repo.save(job)`, `em.flush()`, `job.save()`. */
  readonly saveMethods: readonly string[];
  /** Methods that write to the database (option `requireStatusTracking`): `save`, `update`, `createMany`. */
  readonly databaseWriteMethods: readonly string[];
  /** Roots of call chains whose `.then(...)` is a builder, not a promise: Medusa's `when(...).then(...)`, Cypress `cy`. */
  readonly nonPromiseThenables: readonly string[];
  /** Receivers whose `create`/`save`-named methods build objects, not rows: `NestFactory.create`, `*Factory`. Globs. */
  readonly nonDatabaseReceivers: readonly string[];
  /** Methods on a database client that build an SQL fragment and run nothing: Sequelize's `sequelize.literal(...)`, `sequelize.where(...)`. */
  readonly sqlFragmentMethods: readonly string[];
  /**
   * Methods that register a callback to run later, on some event: `emitter.on('x', fn)`,
   * `observable.subscribe(fn)`. A session used in such a callback outlives the scope that
   * registered it (SPEC 3.1, escapes through detached async work).
   */
  readonly listenerMethods: readonly string[];
  /** Array methods that call their callback for every element and return the callbacks' results (`map`). */
  readonly arrayMappingMethods: readonly string[];
  /** Combinators that wait for the promises of an array: `Promise.all([...])`. Arrays nested in that array are not awaited. */
  readonly promiseCombinators: readonly string[];
  /**
   * Calls that record a job's failure by themselves (`job.moveToFailed(err)`, `this.markFailed(id)`,
   * `task.onFailed(props)`): a processor catch that makes one has not swallowed the failure, and a
   * `.catch(() => null)` on one loses the failure record. Globs on the method name.
   */
  readonly failureRecordingMethods: readonly string[];
  /** Modules whose hooks run inside the test runner, not in the background: `node:test`, `vitest`, `mocha`. */
  readonly testRunnerModules: readonly string[];
  /** Modules whose import marks client code (React, MobX, Angular, Vue; Electron, React Native): no server process to shut down, no job status. */
  readonly browserModules: readonly string[];
  readonly inProgressValues: readonly string[];
  /**
   * In-progress values that also name a resource's resting state (`project.state = 'running'`, an
   * order's `'ACTIVE'`): assigned to a field of an object that is no job (`jobEntityPattern`), they
   * are in progress only in a file that also writes a completed or failed status.
   */
  readonly restingStateValues: readonly string[];
  readonly completedValues: readonly string[];
  readonly failedValues: readonly string[];
  /** Logger receivers: `logger.info`, `this.logger.error`, `*Logger`. Globs on the receiver name. */
  readonly loggers: readonly string[];
  readonly logMethods: readonly string[];
  /** The log methods that report a failure (`error`, `fatal`): a catch path that logs at such a level without the error has lost the cause. */
  readonly failureLogMethods: readonly string[];
  /** Whether `console` counts as a logger for lifecycle logging (it always does for errors). */
  readonly consoleIsLifecycleLogger: boolean;
  /** Calls that keep a background promise: `waitUntil(p)`, `tasks.add(p)`, `tracker.track(p)`. */
  readonly trackers: readonly string[];
  /**
   * Trackers that catch and log what the tracked promise rejects with (Vercel's and Cloudflare's
   * `waitUntil`, Next.js `after`): a promise handed to one has a rejection handler.
   */
  readonly loggingTrackers: readonly string[];
  /** Calls that cannot reject, by what their library does with a failure (`emitAsync` of @nestjs/event-emitter). */
  readonly nonRejectingCalls: readonly NonRejectingCallPattern[];
  readonly dispatchers: readonly DispatcherPattern[];
  /** Method decorators that make a method a background task. */
  readonly backgroundDecorators: readonly string[];
  /** Method decorators of HTTP request handlers (NestJS `@Post()`): such a method is no background work, whatever its name. */
  readonly routeDecorators: readonly string[];
  /** Background decorators whose framework records a failure by itself (Bull marks the job failed). */
  readonly failureRecordingDecorators: readonly string[];
  /** Class decorators / base classes whose `process` method is a background task. */
  readonly processorClassDecorators: readonly string[];
  readonly processorBaseClasses: readonly string[];
  /** Regular expression (source) for names of background functions. */
  readonly backgroundNamePattern: string;
  /** JSDoc tag that marks a background function. */
  readonly backgroundJsdocTag: string;
  /** Calls that count as a timeout mechanism: `AbortSignal.timeout`, `pTimeout`. */
  readonly timeoutHelpers: readonly string[];
  /** Object keys that bound a call in its options: `{ signal }`, `{ timeout: 5000 }`. */
  readonly timeoutOptionNames: readonly string[];
  /** External work a background task should bound with a timeout: `fetch`, `axios.*`, `*httpService.*`. */
  readonly externalCalls: readonly string[];
  /** Package-qualified type names (type-aware mode) of clients whose calls are external work: `axios.AxiosInstance`. */
  readonly externalClientTypes: readonly string[];
  /** Package-qualified type names (type-aware mode) of database sessions: `typeorm.EntityManager`, `knex.Knex.Transaction`. */
  readonly sessionTypes: readonly string[];
  /** Session types that are bound to one unit of work even on a singleton (a transaction, a query runner). */
  readonly transactionTypes: readonly string[];
  /** Decorator arguments that make a class request-scoped: `@Injectable({ scope: Scope.REQUEST })`, `@Inject(REQUEST)`. */
  readonly requestScopeMarkers: readonly string[];
  /** Package-qualified type names (type-aware mode) of loggers, whatever the variable is called: `pino.Logger`. */
  readonly loggerTypes: readonly string[];

  // --- Background work registered in another file, and status helpers by shape (issue 14, shape 5) ---
  /**
   * The project's own job base classes, as `Class.method` (class glob): the method of every
   * subclass runs as a job (`class Export extends BaseTask { perform() }` with `BaseTask.perform`).
   */
  readonly taskBaseClasses: readonly string[];
  /**
   * Calls whose type argument is the module of Temporal activities, as in
   * `const { sendMail } = proxyActivities<typeof activities>(...)`: type-aware mode marks the
   * functions named there as background (a worker runs them, retrying on failure).
   */
  readonly activityProxies: readonly string[];
  /**
   * Files whose exported functions all run as jobs, path globs matched at the path's end (`*`
   * within a folder, `**` across folders): `activities.ts` for Temporal activities, `src/jobs/*.ts`.
   * The untyped stand-in for the registrations that type information finds.
   */
  readonly taskModules: readonly string[];
  /** Status helpers by the shape of their name, globs: `update*Status(id, 'running')`. */
  readonly statusMethodShapes: readonly string[];
  /** Status fields by the shape of their name, globs: `{ deploymentStatus: 'running' }`. */
  readonly statusFieldShapes: readonly string[];
  // --- Issue 13 (precision of the recommended rules): where code runs, and what a framework does with a thrown error (SPEC 3.1). ---
  /** Background decorators whose framework catches a thrown error and logs it, without context or status: `@OnEvent`, `@Cron`. */
  readonly failureLoggingDecorators: readonly string[];
  /**
   * Scheduling decorators of recurring jobs (`@Cron`, `@Interval`): the scheduler logs a failed run
   * with its stack and the next tick runs the job again, so a write outside try/catch there loses
   * nothing that context in a local log would save (issue 13, round 8).
   */
  readonly recurringDecorators: readonly string[];
  /** Handler decorators whose thrown error goes to the framework's exception filters (request/reply answers the caller). */
  readonly exceptionFilterDecorators: readonly string[];
  /** Globals only a browser has; a file that reads one (outside a page callback) is browser code. */
  readonly browserGlobals: readonly string[];
  /** Endings of a package name that declare a browser build (`@atproto/oauth-client-browser`): its files are browser code. */
  readonly browserPackageSuffixes: readonly string[];
  /** Methods whose callback runs inside a browser page, not in this process: Puppeteer/Playwright `page.evaluate(() => document.title)`. */
  readonly pageCallbackMethods: readonly string[];
  /** Parts of a file's path that mark test code: folders (`/__tests__/`) and name infixes (`.spec.`). */
  readonly testPathParts: readonly string[];
  /**
   * Folders of static assets that a web server hands to browsers (`public`): a file below one that
   * is not inside a `src` folder is browser code (`public/src/client/chat.js`, not `src/api/public/users.ts`).
   */
  readonly staticAssetFolders: readonly string[];
  /**
   * Folders of a browser or desktop client (`client`, `client-*`, `frontend`) that sit beside a
   * folder of `serverFolders` (`server`, `backend`): a file below one runs in the client
   * (`packages/plugins/x/src/client-v2/utils.ts` beside `src/server/`, `client/mixins/upload.js` beside `server/`).
   * Globs with `*`. Without the server folder beside it a `client` folder is an API client's code.
   */
  readonly clientFolders: readonly string[];
  /**
   * Folders that hold a front end by their name alone (`frontend/src/services/mqtt.service.ts`),
   * with no server folder beside them, unless a server folder (`serverFolders`) lies below them on the path.
   */
  readonly frontEndFolders: readonly string[];
  readonly serverFolders: readonly string[];
  /** Folders that mark test code only inside a source tree (below a `/src/` folder, at any depth): `src/test/fixtures/fake-store.ts`, not a repository's top-level `fixtures/` of sample code. */
  readonly sourceTestFolders: readonly string[];
  /** Parts of a file's path that mark a script or CLI run by hand (`/scripts/`, `/bin/`): its failures end the run loudly, as wanted. */
  readonly scriptPathParts: readonly string[];
  /**
   * Folders of developer tools that sit directly in a package's folder, beside its package.json
   * (`packages/web/tools/oauthFlow.ts`, `tools/seed-snapshot/`, `prisma/run/fix-data.ts`): scripts run by hand, like
   * `scriptPathParts`. A `tools` folder deeper in the source (`server/tools/`, an LLM's tools) is not one.
   */
  readonly packageToolFolders: readonly string[];
  /** Context stores that carry a transaction through the rest of the request or job (nestjs-cls, AsyncLocalStorage): `this.cls.set('tx', tx)` hands it on, it does not leak it. */
  readonly contextStores: readonly string[];
  /** Option keys that, set to `false` in a call's options object, tell the callee not to throw: Medusa's `run(id, { throwOnError: false })`. */
  readonly nonThrowingOptionKeys: readonly string[];
  /** Packages whose presence in a package's `dependencies` makes it server code even when it also depends on a UI library (Next.js, NestJS, Express). */
  readonly serverModules: readonly string[];
  /** Calls known to return a promise, so that a `.then(...)` on them is a promise chain: `fetch(...)` (besides `Promise.*`, `import()`, async callees). */
  readonly promiseApis: readonly string[];
  // --- Jobs (the strict checks: lifecycle logging, timeouts, status tracking, tracking) ---
  // A *job* is background work that has a lifecycle worth logging, bounding and tracking: a
  // queue processor, a scheduled job, work the author declared background, or detached work
  // that sets an in-progress status. Per-event listeners, polling timers and per-request hooks
  // are background functions but not jobs (see ../analysis/tasks/jobs.ts).
  // Queue processors are not listed here: a task is a queue job when what runs it fails the job on a
  // throw (`failureRecordingDecorators`, dispatchers with `recordsFailure`, `processorBaseClasses`).
  /** Method decorators of scheduled jobs: `@Cron`, `@Timeout` (once, after start-up). `@Interval` is polling. */
  readonly scheduledJobDecorators: readonly string[];
  /** Dispatchers that run a scheduled job: `cron.schedule(expr, fn)`, `new CronJob(expr, fn)`. */
  readonly scheduledJobDispatchers: readonly string[];
  /** Method decorators by which the author declares a job: `@BackgroundTask`. */
  readonly declaredJobDecorators: readonly string[];
  /** Decorators of framework lifecycle hooks that log a queue job's start or completion: `@OnWorkerEvent('completed')`. */
  readonly jobLifecycleDecorators: readonly string[];
  /** Worker events whose listener logs a job's lifecycle (`worker.on('completed', ...)`, `@OnWorkerEvent('active')`). */
  readonly jobLifecycleEvents: readonly string[];
  /** Regular expression (source, case-insensitive) for entities that carry a job's status: `prisma.backgroundJob`, `jobRepository`, `deployments`. */
  readonly jobEntityPattern: string;
  /** Regular expression (source, case-insensitive) for names of best-effort work that is never a job: `sendDailyUserTelemetry`, `captureAnalytics`. */
  readonly bestEffortNamePattern: string;
  /** Calls that put work on a queue: a job whose only work is one of them hands its lifecycle to the queued job. */
  readonly enqueueCalls: readonly string[];
  /** Callees that start long work (a job) when a request detaches them: `deploy(...)`, `runRestore()`. Globs on the function or method name. */
  readonly jobStarterNames: readonly string[];
  // --- Transactions: where one is open, and work that must wait for its commit -------------
  // (`no-dispatch-in-transaction`, and the manual-transaction checks of `require-session-scope`)
  /** Scope methods whose callback runs inside a database transaction: `transaction`, `$transaction`, Kysely `transaction().execute`. */
  readonly transactionScopes: readonly string[];
  /** Method decorators whose method body runs in a transaction (`typeorm-transactional`, `@nestjs-cls/transactional`). */
  readonly transactionalMethodDecorators: readonly string[];
  /** Methods on a session that start a manual transaction: TypeORM `queryRunner.startTransaction()`. */
  readonly transactionStartMethods: readonly string[];
  /** Methods that commit a manual transaction: `commitTransaction`, Knex/Sequelize `trx.commit()`. */
  readonly transactionCommitMethods: readonly string[];
  /** Methods that roll a manual transaction back. */
  readonly transactionRollbackMethods: readonly string[];
  /** Raw SQL that starts / commits a transaction on a client (`client.query('BEGIN')`), matched at the start, case-insensitively. */
  readonly beginStatements: readonly string[];
  readonly commitStatements: readonly string[];
  /** Methods on a session that are its lifecycle, not work through it (`connect`, `isTransactionActive`). */
  readonly transactionLifecycleMembers: readonly string[];
  /**
   * Calls that hand work to other processes or the outside world and so must wait for the commit:
   * queues, publishers, mailers, webhooks. Receiver glob, dot, member glob (`*queue.add`, `*mailer.send*`);
   * a bare name is a function (`sendEmail`). Names such as `add` and `send` need a receiver that says what it is.
   * The `enqueueCalls` count too.
   */
  readonly commitDependentCalls: readonly string[];
  /** AWS SDK v3 commands that dispatch (`sqsClient.send(new SendMessageCommand(...))`); any other command is not one. */
  readonly commitDependentCommands: readonly string[];
  /** HTTP clients whose writing calls (`post`, `put`, `patch`, `delete`) are outbound requests: receiver globs. */
  readonly httpClients: readonly string[];
  /** HTTP methods that change something on the other side. */
  readonly httpWriteMethods: readonly string[];
  /** Calls that run their callback after the commit (`transaction.afterCommit(fn)`): work in them is not inside. */
  readonly afterCommitHooks: readonly string[];
  /** Decorators of ORM hooks that run inside the caller's transaction (TypeORM `@AfterInsert`, Sequelize `@AfterCreate`). */
  readonly transactionalHookDecorators: readonly string[];
  /** Modules the hook decorators come from; a decorator of the same name imported from elsewhere (a UI store's `@AfterCreate`) is not one. */
  readonly transactionalHookModules: readonly string[];
  /** Methods of an ORM subscriber class that run inside the caller's transaction (TypeORM `afterInsert(event)`). */
  readonly transactionalHookMethods: readonly string[];
  /** Class decorators / implemented interfaces that make a class an ORM subscriber. */
  readonly subscriberClassMarkers: readonly string[];
  // --- Issue 13, round 2 (precision on code never tuned on): evidence instead of names ------
  /**
   * Calls (receiver glob, dot, member glob; or a bare function name) whose publisher delivers to its
   * subscribers only after the caller's transaction commits (Vendure's `eventBus.publish`, which
   * awaits the transaction's commit before its `ofType()` subscribers run). Not reported inside a
   * transaction by `no-dispatch-in-transaction`.
   */
  readonly afterCommitPublishers: readonly string[];
  /**
   * Methods a publisher's body calls to wait for the caller's transaction to end (`awaitCommit`,
   * Vendure's `TransactionSubscriber`): in type-aware mode a publish method whose class calls one
   * of them publishes after the commit.
   */
  readonly commitWaitMethods: readonly string[];
  /**
   * Function or method names of best-effort work whose failure is dropped on purpose (an analytics
   * ping, a cache warm-up): `track`, `trackEvent`. Globs, case-sensitive; `bestEffortNamePattern` also counts.
   */
  readonly bestEffortCallees: readonly string[];
  /**
   * Function or method names of cleanup whose failure loses no outcome (removing a temporary file,
   * discarding a response body, closing a stream): `rm`, `unlink`, `cancel`. A catch around only such
   * calls may drop the error. Globs, case-sensitive. Not `destroy` or `remove`: ORMs delete rows with them.
   */
  readonly cleanupCallees: readonly string[];
  /**
   * Names of lists a catch records a failure on, for the caller to read (`result.error.push('Failed to
   * remove alias')`): a catch that pushes onto one does not swallow the failure. Globs, case-sensitive.
   */
  readonly failureListNames: readonly string[];
  /**
   * Words in a package.json `name` or `keywords` that make the package test tooling (`@vendure/testing`,
   * `@acme/test-utils`): its files are test code. Matched as whole words of the name, split at `@ / - _ .`.
   */
  readonly testPackageWords: readonly string[];
  /**
   * Release patterns whose opener names no database (`getSession`, `createSession`, `openSession`, `startSession`):
   * reported by `require-session-scope` only with evidence that the value is a database session
   * (see `databaseSessionMethods`), because in auth and HTTP code a "session" is a login or a cookie.
   */
  readonly ambiguousSessionOpeners: readonly string[];
  /**
   * Database drivers whose transactions stay usable after a failed statement (MySQL, MariaDB,
   * SQLite: only the statement is rolled back). A project whose packages depend on one of them and
   * on none of `abortingDatabasePackages` gets no `no-stale-session-in-catch` report, whose premise
   * (the failed `try` left its transaction aborted) is PostgreSQL's; option `checkAllDatabases` reports anyway.
   */
  readonly nonAbortingDatabasePackages: readonly string[];
  /**
   * Packages whose presence keeps `no-stale-session-in-catch` on whatever the driver: PostgreSQL
   * drivers (a failed statement aborts the transaction) and unit-of-work ORMs (MikroORM's
   * EntityManager flushes the failed changes again).
   */
  readonly abortingDatabasePackages: readonly string[];
  /**
   * Database drivers that queue the queries sent on one connection and run them one after
   * another (pg, mysql2, SQLite): `Promise.all` over one transaction's queries is safe there, and
   * a project whose drivers are all of these gets no `concurrentQueries` report. MSSQL's `tedious`
   * refuses a second request on a busy connection.
   */
  readonly queuingDatabasePackages: readonly string[];
  /** Drivers that do not queue (MSSQL's `mssql`, `tedious`): with one of them, concurrent queries on one transaction are reported whatever else the project uses. */
  readonly nonQueuingDatabasePackages: readonly string[];
  /**
   * Methods that only a database session has: calling one on an ambiguous session is the evidence
   * (`session.query(...)`, `session.startTransaction()`, `session.getRepository(...)`).
   */
  readonly databaseSessionMethods: readonly string[];
  // --- Issue 13, round 3: can this promise reject, and does anyone hear it ---
  /**
   * Whether the project's processes log an unhandled rejection and keep running
   * (`process.on('unhandledRejection', (reason) => logger.error(...))`): then a dropped promise
   * no longer ends the process, and the rules stop claiming it does. `'auto'` (default) finds
   * such a handler in the project's source files; `'logs'` states it; `'none'` says there is none.
   */
  readonly processRejectionHandler: 'auto' | 'logs' | 'none';
  /**
   * Frameworks whose server installs a process handler that logs an unhandled rejection and keeps
   * running, as `package@version` (that version or later): Next.js's `next start` and standalone
   * server (`process.on('unhandledRejection', console.error)`, "we keep the process alive"). With
   * `processRejectionHandler: 'auto'`, a file of a package that depends on one counts as logging,
   * except in script folders, which run in processes of their own.
   */
  readonly loggingServerPackages: readonly string[];
  /**
   * The package.json script commands that start such a server (`next start`): a package that depends
   * on one but starts a custom server (`node dist/server.mjs`, `nest start`) gets no handler from it.
   */
  readonly loggingServerCommands: readonly string[];
  /**
   * Dispatchers that run their callback once: at the top level of a module, `setImmediate(async () => { ... })`
   * is the module's startup, which fails fast and loud like a script's `main()`.
   */
  readonly startupDispatchers: readonly string[];
  /**
   * Class decorators of a dependency-injection container's singletons (`@Injectable()`): the
   * container builds each once, at boot, so a call its constructor drops is the service's startup.
   */
  readonly singletonDecorators: readonly string[];
  /**
   * Methods the container calls once on such a singleton when the application starts (NestJS
   * `onModuleInit`, `onApplicationBootstrap`): a call one of them drops is startup work, like the constructor's.
   */
  readonly startupHookMethods: readonly string[];
  /**
   * Calls whose callback runs once when the server has started (`app.listen(port, () => ...)`): at a
   * module's top level, work it drops is the server's startup, which fails fast and loud like `main()`.
   */
  readonly startupCallbacks: readonly string[];
  /** Events of `process.on(event, handler)` that mark a process-wide rejection handler. */
  readonly processRejectionEvents: readonly string[];
  /**
   * Events whose handler hears an unhandled rejection when no rejection handler is installed
   * (`uncaughtException`: Node >= 15 raises the rejection as an uncaught exception).
   */
  readonly processExceptionEvents: readonly string[];
  /** Calls in such a handler that end the process, so it is no longer "logs and keeps running": `process.exit`, `process.kill`. Globs as `receiver.member`. */
  readonly processExitCalls: readonly string[];
  /**
   * Methods that test a Result value (neverthrow, ts-results, Nango's `Result`): a callee whose awaited
   * value is tested with one (`const r = await fetchIt(); if (r.isErr())`) reports failure as a value
   * and does not reject for it.
   */
  readonly resultCheckMethods: readonly string[];
  /** Functions that test a Result value given as their argument: `isErr(r)`, `isOk(r)`. */
  readonly resultCheckFunctions: readonly string[];
  /**
   * Names of the first element of an `[error, value]` tuple (`const [error] = await tryCatch(p)`):
   * a callee whose awaited value is destructured so reports failure as a value. Globs allowed.
   */
  readonly errorTupleNames: readonly string[];
  /** Properties of a `{ success }` result whose test (`if (!r.success)`) shows the callee reports failure as a value. */
  readonly resultSuccessProperties: readonly string[];
  /** Properties that carry such a result's error or value (`r.error`, `r.data`); one must be read beside the flag test. */
  readonly resultValueProperties: readonly string[];
  /** Modules whose timers settle only by resolving unless given an abort `signal`: `node:timers/promises`. */
  readonly timerPromiseModules: readonly string[];
  /** Exports of `timerPromiseModules` that resolve after a delay (`setTimeout`, `setImmediate`, `scheduler.wait`). */
  readonly timerPromiseFunctions: readonly string[];
  /**
   * Process events that start the shutdown (`process.on('SIGTERM', ...)`): a promise dropped on that
   * path can only fail in a process being torn down, so its rejection loses nothing.
   */
  readonly shutdownSignals: readonly string[];
  /**
   * Methods a framework calls only while the application shuts down (NestJS `onModuleDestroy`,
   * `beforeApplicationShutdown`, `onApplicationShutdown`): the same as a `shutdownSignals` handler.
   */
  readonly shutdownHooks: readonly string[];
  // --- Issue 13, round 3: what is a database session, and what runs outside a transaction ---
  /**
   * Parameter and `this` member names that are a database session only with evidence (`session`,
   * `manager`): in auth, OAuth and HTTP code a "session" is a login record or a cookie, and a
   * "manager" is often a person. The evidence is a method of
   * `databaseSessionMethods`, an ending method, a `save(entity)`, a service provider built on it,
   * a `{ session }` query option, or a type annotation naming a `sessionTypes` type.
   */
  readonly ambiguousSessionNames: readonly string[];
  /**
   * Blockchain client modules (`web3`, `ethers`, `viem`): in a file that imports one, a `tx` is a
   * chain transaction, so every session name needs evidence of a database session, like `ambiguousSessionNames`.
   */
  readonly blockchainModules: readonly string[];
  /**
   * Methods that run a built query (Kysely's `execute`, a promise's `then`): an SQL fragment
   * (`knex.raw(...)`, a sub-query builder) followed by one of them is a query of its own.
   */
  readonly queryRunMethods: readonly string[];
  /**
   * Exported function names of a migration (`up`, `down`): with a single Knex parameter
   * (`migrationClientTypes`, or untyped), Knex runs the function in a transaction and the
   * parameter is that transaction, unless the file exports `config = { transaction: false }`.
   */
  readonly migrationFunctions: readonly string[];
  /** Type names of a migration's Knex parameter: `Knex`, `Knex.Transaction`. */
  readonly migrationClientTypes: readonly string[];
  // --- Issue 13, round 5: claim a rejection only where the code shows one can happen ---
  /**
   * Whether a call to code this file does not show (a function or object imported from another
   * module) may reject. `false` (default, `recommended`): such a call is not evidence of a possible
   * rejection unless the vocabulary names it as I/O (`ioModules`, `ioReceivers`, `externalCalls`,
   * database writes, commit-dependent calls), because projects wrap their helpers (analytics,
   * error reporting, Result-returning clients) so that they do not reject. `true` (`strict`, `all`):
   * every call may reject.
   */
  readonly assumeUnseenCallsReject: boolean;
  /** Modules whose exports do I/O and reject when it fails, besides Node's own (`fs/promises`, `node:child_process`), which always count: `execa`, `got`. */
  readonly ioModules: readonly string[];
  /** Names of imported objects that are I/O clients (`prisma`, `db`, `redis`, `*Client`): a call on one may reject. Globs. */
  readonly ioReceivers: readonly string[];
  /** Packages that build a command-line tool (`commander`, `yargs`): a package with a `bin` that depends on one, and on no server framework, is a CLI. */
  readonly cliModules: readonly string[];
  /**
   * Packages, of any dependency kind, that build a client app (`electron`, `@vitejs/plugin-react`,
   * `react-native`): a package that lists one and no server framework runs on a desktop, a phone
   * or in a browser, and so does a workspace library only such apps depend on.
   */
  readonly clientAppModules: readonly string[];
  /** Names of imported functions that do I/O (a project's `execAsync` around `child_process.exec`): a call to one may reject. Globs. */
  readonly ioFunctions: readonly string[];
  /**
   * Method names that do I/O whatever object they are called on: database reads and queries
   * (`find*`, `count`, `query`, `$transaction`), connections, publishes. A call to one may reject
   * even on an imported object this file does not show (`services.reports.findOneBy(...)`); writes are
   * `databaseWriteMethods`. Globs.
   */
  readonly ioMethods: readonly string[];
  /**
   * Option names that configure job retries (`attempts` in BullMQ/Bull job options, pg-boss
   * `retryLimit`): `swallowedJobFailure` is reported only in a file that sets one, since a
   * swallowed failure matters where it costs a retry.
   */
  readonly retryOptionNames: readonly string[];
  /**
   * Openers whose session holds no pooled connection (MongoDB's `startSession()`: a ClientSession
   * borrows a connection per operation and starts its transaction without I/O). An error that skips
   * its end, or a transaction it starts before the `try` or never uses, leaks nothing.
   */
  readonly connectionlessSessionOpeners: readonly string[];
  // --- Issue 14, round 2: failure hooks, and jobs named by a property of an options object ---
  /**
   * Methods of a job's class that its framework calls once the job has failed for good (Outline's
   * `BaseTask.onFailed` on the last attempt): a failed status written there records the failure of
   * a catch that rethrows.
   */
  readonly failureHookMethods: readonly string[];
  /** Method decorators of queue failure hooks (`@OnQueueFailed()`, Bull). */
  readonly failureHookDecorators: readonly string[];
  /** Worker events that report a job's failure: `worker.on('failed', fn)`, `@OnWorkerEvent('failed')`. */
  readonly failureHookEvents: readonly string[];
  /**
   * Object literals typed as a job definition, as `Type.property`: the function in that property
   * runs as a job (documenso's `{ handler: async ({ payload }) => ... } satisfies JobDefinition`).
   * Calls that take such an object are dispatchers with a `jobProperty` (`defineJob`, `createRunner`).
   */
  readonly jobDefinitionTypes: readonly string[];
  /**
   * Wrappers around a job in a dispatcher's `jobProperty` that log its lifecycle (globs on the
   * callee name): `run: withWorkerEventLog('crawler.run', runCrawler)` logs each run's start and end.
   */
  readonly lifecycleLoggingWrappers: readonly string[];
}

export const DEFAULT_VOCABULARY: Vocabulary = {
  infrastructureFactories: ['infrastructureProvider', 'createInfrastructure'],
  factoryNames: [
    'dataSource',
    'prisma',
    'orm',
    'pool',
    'knex',
    'db',
    'database',
    'sequelize',
    'kysely',
    'drizzle',
    'connection',
    'infra',
    'infrastructure',
  ],
  sessionScopes: [
    'getSessionContext',
    'withSession',
    'transaction',
    '$transaction',
    'transactional',
    'RequestContext.create',
    'runInTransaction',
  ],
  disposableScopes: ['getSessionContext'],
  releasedSessions: [
    { open: 'createQueryRunner', release: ['release'], endedWithSource: ['destroy', 'close'] },
    { open: 'connect', on: '*pool', release: ['release'] },
    { open: 'connect', on: '*Pool', release: ['release'] },
    { open: 'createSession', release: ['close', 'end', 'endSession', 'dispose'] },
    { open: 'getSession', release: ['close', 'end', 'endSession', 'dispose'] },
    { open: 'openSession', release: ['close', 'end', 'endSession', 'dispose'] },
    { open: 'startSession', release: ['endSession', 'end', 'close'] },
    { open: 'transaction', on: '*knex', release: ['commit', 'rollback'], withoutCallback: true },
    { open: 'transaction', on: '*sequelize', release: ['commit', 'rollback'], withoutCallback: true },
  ],
  connectionlessDriverTypes: ['sqlite', 'better-sqlite3', 'sqljs', 'capacitor', 'cordova', 'expo', 'nativescript', 'react-native'],
  freshSessionMethods: ['fork'],
  serviceProviders: ['serviceProvider'],
  serviceProviderPattern: '(Service|Repository)(Provider|Factory)?$',
  derivingMethods: ['getRepository', 'getCustomRepository', 'withRepository', 'getTreeRepository', 'getMongoRepository'],
  requestScopedMembers: [
    'session',
    'dbSession',
    'content',
    'context',
    'em',
    'entityManager',
    'queryRunner',
    'tx',
    'trx',
    'transaction',
    'transactionManager',
    'request',
    'req',
  ],
  callableSessionNames: ['trx', 'tx'],
  requestObjectNames: ['req', 'request', 'ctx'],
  // `c` is Hono's context (`return c.json(...)`; issue 13, round 15: seen in a public backend, xyne server/api/admin.ts).
  responseObjectNames: ['res', 'response', 'reply', 'c'],
  requestSessionMembers: [
    'db',
    'dbSession',
    'em',
    'entityManager',
    'manager',
    'queryRunner',
    'tx',
    'trx',
    'transaction',
    'transactionManager',
  ],
  sessionParameterNames: ['session', 'dbSession', 'tx', 'trx', 'em', 'entityManager', 'manager', 'queryRunner'],
  endingMethods: [
    'rollback',
    'rollbackTransaction',
    'abort',
    'abortTransaction',
    'release',
    'close',
    'end',
    'endSession',
    'dispose',
    'destroy',
    'Symbol.dispose',
    'Symbol.asyncDispose',
  ],
  endingStatements: ['ROLLBACK', 'ABORT'],
  contextRoutedScopes: ['transactional', 'RequestContext.create', 'runInTransaction'],
  statusMethods: ['updateStatus', 'setStatus', 'markStatus'],
  statusMethodPrefixes: ['markAs'],
  statusFields: ['status', 'state'],
  statusWriteMethods: [
    'update',
    'updateOne',
    'updateMany',
    'upsert',
    'set',
    'save',
    'create',
    'insert',
    'nativeUpdate',
    'findOneAndUpdate',
    'findByIdAndUpdate',
    'assign',
  ],
  statusWriteKeys: ['data', '$set', 'set', 'update'],
  saveMethods: ['save', 'persist', 'persistAndFlush', 'flush', 'saveAndFlush', 'upsert', 'update', 'commit'],
  nonPromiseThenables: ['when', 'cy'],
  nonDatabaseReceivers: ['*Factory'],
  // Sequelize's `literal`/`where`/`fn`/`col`/`cast`/`json`; Knex's `raw`/`ref` and `fn.now()`; Kysely's `fn`/`dynamic`.
  // `sequelize.escape(value)`, mysql's `escapeId`, pg's `escapeLiteral`: text for a query, no query (issue 13,
  // round 15: seen in a public backend, appsemble's createAppResourcesWithAssets.ts).
  sqlFragmentMethods: ['literal', 'where', 'fn', 'col', 'cast', 'json', 'raw', 'ref', 'dynamic', 'escape', 'escapeId', 'escapeLiteral', 'escapeIdentifier'],
  // Escapes through detached async work (SPEC 3.1): callbacks that run later, and arrays of promises.
  listenerMethods: ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener', 'subscribe'],
  arrayMappingMethods: ['map', 'flatMap'],
  promiseCombinators: ['Promise.all', 'Promise.allSettled', 'Promise.race', 'Promise.any'],
  // Jobs that swallow their failure (SPEC 3.1). Where a thrown error fails the job (retry, failed
  // state) is the dispatchers' `recordsFailure`, `failureRecordingDecorators` and `processorBaseClasses`.
  failureRecordingMethods: ['moveToFailed', 'discard', 'fail', 'failJob', '*Failed', '*Failure'],
  testRunnerModules: [
    'node:test',
    'vitest',
    'mocha',
    '@jest/globals',
    'bun:test',
    // Issue 13, round 2: test-only libraries a production file never imports.
    '@playwright/test',
    '@nestjs/testing',
    'supertest',
    'chai',
    'sinon',
    'nock',
    'jest-mock-extended',
    'vitest-mock-extended',
    '@testing-library/*',
  ],
  browserModules: [
    // three.js renders with WebGL in a page, jQuery manipulates one (issue 13, round 15: seen in public
    // backends, speckle-server's packages/viewer and Hydro's packages/ui-default).
    'three',
    'jquery',
    'react',
    'react-dom',
    'mobx',
    'mobx-react',
    'mobx-react-lite',
    '@angular/core',
    'vue',
    'svelte',
    // Issue 13: UI libraries seen without a `react` import in the tuning corpus.
    '@tanstack/react-query',
    '@tanstack/vue-query',
    // Issue 13, round 16: React's data hooks (seen in a public app: charmverse's webapp hooks).
    'swr',
    'next/navigation',
    'next/router',
    'solid-js',
    'preact',
    'pinia',
    'vue-router',
    '@vueuse/core',
    'react-router',
    'react-router-dom',
    '@remix-run/react',
    'zustand',
    'jotai',
    '@angular/common',
    '@angular/router',
    'prosemirror-view',
    'prosemirror-state',
    '@tiptap/react',
    '@tiptap/vue-3',
    // Issue 13, round 6: desktop and mobile clients are not backends (seen in public backends:
    // ever-gauzy's Electron apps, whose electron-log installs the process handler; openpanel's React Native SDK).
    'electron',
    'react-native',
    'expo',
    // Issue 13, round 12: web components (seen in a public app: padloc's Lit elements, packages/app).
    'lit',
    'lit-element',
    'lit-html',
    '@lit/reactive-element',
    '@polymer/polymer',
    '@stencil/core',
    // Issue 13, round 16: WebGL map layers render in a page (seen in a public app: landgriffon's
    // cookie-traceability front end, a Next.js app whose deck.gl layers drop picking promises).
    '@deck.gl/*',
    'deck.gl',
    'mapbox-gl',
    'maplibre-gl',
    'leaflet',
    'react-map-gl',
  ],
  databaseWriteMethods: [
    'save',
    'insert',
    'insertOne',
    'insertMany',
    'update',
    'updateOne',
    'updateMany',
    'upsert',
    'create',
    'createMany',
    'bulkCreate',
    'remove',
    'deleteOne',
    'deleteMany',
    'destroy',
    'persist',
    'persistAndFlush',
    'flush',
    'nativeUpdate',
    'nativeDelete',
    'increment',
    'decrement',
  ],
  inProgressValues: ['in_progress', 'in-progress', 'inprogress', 'processing', 'running', 'started', 'active'],
  // Issue 13, round 15: seen in public backends, FlowFuse's `project.state = 'running'` and lnp2pBot's
  // `order.status = 'ACTIVE'`, steady states of a project and an order that no job ends.
  restingStateValues: ['running', 'active'],
  completedValues: ['completed', 'complete', 'done', 'succeeded', 'success', 'finished'],
  failedValues: ['failed', 'failure', 'error', 'errored', 'cancelled', 'aborted'],
  // `this.logger_` (Medusa's convention for injected members) is a logger too.
  // `OCEAN_NODE_LOGGER`: a module constant named like one (issue 13, round 15: seen in a public backend, oceanprotocol/ocean-node).
  loggers: ['logger', 'log', '*logger', '*Logger', '*logger_', '*Logger_', 'LOGGER', '*_LOGGER', 'console'],
  logMethods: ['trace', 'debug', 'info', 'log', 'warn', 'warning', 'error', 'fatal', 'verbose', 'notice', 'critical'],
  failureLogMethods: ['error', 'fatal', 'critical'],
  consoleIsLifecycleLogger: false,
  trackers: ['waitUntil', 'after', '*.waitUntil', '*.track', '*tasks.add', '*Tasks.add', '*pending.add', '*Pending.add'],
  // `waitUntil(p)` of @vercel/functions logs a rejection (console.error) and so does Cloudflare's
  // `ctx.waitUntil(p)` (the Workers runtime reports it; there is no process to end); Next.js `after(p)`
  // logs "An error occurred in a function passed to `after()`" (seen in a public backend: dub).
  loggingTrackers: ['waitUntil', '*.waitUntil', 'after'],
  // @nestjs/event-emitter from 2.0.2 wraps every @OnEvent listener in a try/catch that logs and
  // does not rethrow (`suppressErrors`, default true), so `eventEmitter.emitAsync(...)` resolves
  // whatever its listeners do (seen in a public backend: bigcapital's subscribers).
  nonRejectingCalls: [
    { callee: '*.emitAsync', whenDependsOn: ['@nestjs/event-emitter@2.0.2'] },
    // An AdonisJS IoC lookup (`await this.container.use('walletAddressService')`) resolves a binding that
    // the process already built at boot: it fails at startup or never (issue 13, round 15: seen in a
    // public backend, interledger/rafiki's worker loops in packages/backend/src/app.ts).
    { callee: '*container.use', whenDependsOn: ['@adonisjs/fold@8.0.0'] },
    { callee: '*container.make', whenDependsOn: ['@adonisjs/fold@8.0.0'] },
    // kafkajs 2's `consumer.disconnect()` stops its runner inside `try {} catch (e) {}` and then closes the
    // broker connections, whose disconnect only awaits promises that resolve; `producer.disconnect()` is that
    // second half (issue 13, round 20: seen in a public backend, citrineos-core's kafka receiver.ts and sender.ts).
    { callee: '*consumer.disconnect', whenDependsOn: ['kafkajs@2.0.0'] },
    { callee: '*Consumer.disconnect', whenDependsOn: ['kafkajs@2.0.0'] },
    { callee: '*producer.disconnect', whenDependsOn: ['kafkajs@2.0.0'] },
    { callee: '*Producer.disconnect', whenDependsOn: ['kafkajs@2.0.0'] },
    // @multiversx/sdk-nestjs-common 6's `@Lock({ name })` runs the method through `Locker.lock`, which
    // catches, logs "Error running <key>" with the error and returns `LockResult.ERROR` (issue 13, round 20:
    // seen in a public backend, mx-api-service's cron jobs in src/crons/cache.warmer/cache.warmer.service.ts).
    { callee: '@Lock', whenDependsOn: ['@multiversx/sdk-nestjs-common@6.0.0'] },
  ],
  dispatchers: [
    { callee: 'setImmediate', dropsPromise: true },
    { callee: 'setTimeout', dropsPromise: true },
    { callee: 'setInterval', dropsPromise: true },
    { callee: 'process.nextTick', dropsPromise: true },
    { callee: 'queueMicrotask', dropsPromise: true },
    { callee: '*backgroundTasks.add' },
    { callee: '*.addTask' },
    // Next.js catches an error thrown in an `after` callback and logs it ("An error occurred in a function passed to `after()`").
    { callee: 'after', importedFrom: ['next/server'], logsFailure: true },
    { callee: 'waitUntil' },
    { callee: '*.waitUntil' },
    { callee: '*res.on', events: ['finish', 'close'], dropsPromise: true },
    { callee: '*response.on', events: ['finish', 'close'], dropsPromise: true },
    { callee: '*res.once', events: ['finish', 'close'], dropsPromise: true },
    { callee: '*emitter.on', dropsPromise: true },
    { callee: '*Emitter.on', dropsPromise: true },
    { callee: '*emitter.once', dropsPromise: true },
    { callee: '*Emitter.once', dropsPromise: true },
    { callee: 'Worker', construct: true, recordsFailure: true },
    { callee: '*queue.process', recordsFailure: true },
    { callee: '*Queue.process', recordsFailure: true },
    { callee: '*agenda.define', recordsFailure: true },
    { callee: '*boss.work', recordsFailure: true },
    // node-cron 4 runs a task as `await onMatch(...)` in a try/catch and logs the error (its Runner and
    // InlineScheduledTask.onError; issue 13, round 15: seen in a public backend, bcgov/PIMS express-api/src/server.ts).
    // node-cron 3 runs it as `exec.then(...).catch((error) => this.emit('task-failed', error))` (src/task.js):
    // the rejection is caught, and lost unless the app listens for `task-failed` (issue 13, round 21: seen
    // in a public backend, DEFRA/aphw-ddi-api's app/plugins/cron.js, node-cron 3.0.3).
    { callee: 'cron.schedule', dropsPromise: true, logsFailureFrom: ['node-cron@4.0.0'], catchesFailureFrom: ['node-cron@3.0.0'] },
    // cron 4.3.4 (kelektiv/node-cron 2ac3001) catches a rejected async onTick and logs "[Cron] error in
    // callback"; @nestjs/schedule 6.1.0 pins cron 4.3.5 (seen in public backends: NodeBB, Hexabot).
    { callee: 'CronJob', construct: true, dropsPromise: true, logsFailureFrom: ['cron@4.3.4', '@nestjs/schedule@6.1.0'] },
    { callee: 'CronJob.from', dropsPromise: true, logsFailureFrom: ['cron@4.3.4', '@nestjs/schedule@6.1.0'] },
    // node-schedule 2 hands a rejected job to `job.emit('error', err)` inside a `.catch`: with no 'error'
    // listener that emit throws, and the rejection is unhandled (lib/Invocation.js; issue 14, round 18:
    // seen in a public backend, jellyseerr's server/job/schedule.ts).
    { callee: 'schedule.scheduleJob', dropsPromise: true },
    { callee: 'scheduleJob', importedFrom: ['node-schedule'], dropsPromise: true },
    // Issue 14, round 2: jobs named by a property of an options object. Seen in karakeep-app/karakeep
    // (liteque / restate runners: `createRunner(queue, { run, onComplete, onError })`, retried on a throw).
    { callee: '*.createRunner', jobProperty: 'run', failureCallback: 'onError', recordsFailure: true, retriesFailedJobs: true },
    { callee: 'defineJob', jobProperty: 'handler', recordsFailure: true },
    { callee: '*.defineJob', jobProperty: 'handler', recordsFailure: true },
  ],
  // Issue 13, round 15: seen in a public backend, bloom's BackgroundJobsController.createBackgroundJob (`@Post()`).
  routeDecorators: ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options'],
  backgroundDecorators: [
    'Process',
    'OnEvent',
    'Cron',
    'Interval',
    'Timeout',
    'OnQueueEvent',
    'OnWorkerEvent',
    'EventPattern',
    'MessagePattern',
    'BackgroundTask',
  ],
  failureRecordingDecorators: ['Process'],
  processorClassDecorators: ['Processor'],
  processorBaseClasses: ['WorkerHost'],
  // Not the visual kind (`backgroundColor`, `toggleRowBackground`, `appBackgrounded`, `bgColor`, a
  // `FooterBackground` component, a canvas's `drawBackgroundPattern` and a profile's `resetBackground`:
  // issue 13, round 17, oldschoolbot) nor a question about it (`shouldLoadBackgroundProcessors`), nor a helper that
  // starts or schedules background work and is awaited by its caller (`triggerBackgroundJob`, issue 13).
  backgroundNamePattern:
    '^(?![A-Z]|(?:is|has|should|can|get|use|trigger|enqueue|queue|schedule|dispatch|spawn|submit|register|cancel)[A-Z])(?:.*(?<!Cell|Row|Column|Table|Selection|Inherited|Page|Canvas|Chart|draw|paint|render|reset|set|change|remove|clear|fill)[bB]ackground(?!Colou?r|Image|Position|Size|Repeat|Clip|Origin|Attachment|Blend|Opacity|Style|Pattern|Gradient|Texture|Tile|ed)|bg[A-Z](?!olou?r))',
  backgroundJsdocTag: 'background',
  timeoutHelpers: ['AbortSignal.timeout', 'AbortSignal.any', 'pTimeout', 'withTimeout', 'timeout', 'setTimeout'],
  timeoutOptionNames: ['signal', 'abortSignal', 'timeout', 'timeoutMs', 'requestTimeout'],
  externalCalls: [
    'fetch',
    'axios',
    'axios.*',
    'got',
    'got.*',
    'ky',
    'ky.*',
    'request',
    'undici.*',
    '*http.*',
    '*httpService.*',
    '*HttpService.*',
    '*httpClient.*',
    '*HttpClient.*',
    '*apiClient.*',
    '*ApiClient.*',
    '*s3.*',
    '*S3.*',
  ],
  externalClientTypes: [
    'axios.AxiosInstance',
    'axios.Axios',
    'axios.AxiosStatic',
    '@nestjs/axios.HttpService',
    'got.Got',
    'ky.KyInstance',
    '@aws-sdk/*.S3Client',
    'undici*.Dispatcher',
  ],
  sessionTypes: [
    'typeorm.EntityManager',
    'typeorm.QueryRunner',
    '@mikro-orm/*.EntityManager',
    '@mikro-orm/*.SqlEntityManager',
    '*prisma*.Prisma.TransactionClient',
    'knex.Knex.Transaction',
    'sequelize.Transaction',
    'kysely.Transaction',
    'pg.PoolClient',
  ],
  transactionTypes: [
    'typeorm.QueryRunner',
    '*prisma*.Prisma.TransactionClient',
    'knex.Knex.Transaction',
    'sequelize.Transaction',
    'kysely.Transaction',
    'pg.PoolClient',
  ],
  requestScopeMarkers: ['Scope.REQUEST', 'REQUEST', 'CONTEXT'],
  loggerTypes: [
    'pino.Logger',
    'pino.BaseLogger',
    'pino.pino.Logger',
    'pino.pino.BaseLogger',
    'winston.Logger',
    'winston.winston.Logger',
    '@nestjs/common.Logger',
    '@nestjs/common.LoggerService',
    'bunyan.Logger',
    'bunyan',
    'log4js.Logger',
  ],

  // --- Background work registered in another file, and status helpers by shape (issue 14, shape 5) ---
  // No default base class: a project's `BaseTask` is its own. Type-aware mode finds them by itself
  // (./analysis/tasks/registrations.ts); without types, name them in settings.
  taskBaseClasses: [],
  activityProxies: ['proxyActivities', 'proxyLocalActivities'],
  taskModules: [],
  // Seen in public backends: `updateDeploymentStatus(id, 'running')`, `setImportStatus(...)`.
  statusMethodShapes: ['update*Status', 'set*Status'],
  // Seen in public backends: `{ applicationStatus: 'running' }`, `{ crawlStatus: 'failure' }`.
  statusFieldShapes: ['*Status'],
  // --- Issue 13 (precision of the recommended rules): where code runs, and what a framework does with a thrown error (SPEC 3.1). ---
  // @nestjs/event-emitter wraps listeners in try/catch and logs (`suppressErrors` defaults to true); @nestjs/schedule does the same.
  failureLoggingDecorators: ['OnEvent', 'Cron', 'Interval', 'Timeout'],
  // Issue 13, round 8: daily cleanups (`deleteMany` of expired rows) judged false on AFFiNE.
  recurringDecorators: ['Cron', 'Interval'],
  exceptionFilterDecorators: ['EventPattern', 'MessagePattern'],
  // Issue 13, round 7: IndexedDB exists only in browsers (seen in a public backend: atproto's oauth-client-browser).
  // WebRTC's RTCPeerConnection: no Node global (issue 13, round 13: seen in a public app, puter's
  // client SDK src/puter-js/src/modules/Peer.js).
  browserGlobals: ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'chrome', 'browser', 'indexedDB', 'IDBKeyRange', 'RTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate', 'MediaRecorder'],
  browserPackageSuffixes: ['-browser'],
  pageCallbackMethods: ['evaluate', 'evaluateHandle', '$eval', '$$eval', 'evaluateOnNewDocument', 'addInitScript', 'waitForFunction'],
  // Issue 13, round 6: NodeBB's client bundle lives in public/src (seen in a public backend).
  staticAssetFolders: ['public'],
  // Issue 13, round 10: nocobase plugins' src/client-v2 beside src/server, audiobookshelf's client/ beside server/.
  // `composables/` and `components/` beside `server/`: a Nuxt app's Vue side (seen in a public backend: Litlyx's dashboard).
  clientFolders: ['client', 'client-*', 'frontend', 'composables', 'components'],
  // Issue 13, round 15: seen in a public backend, FlowFuse's frontend/ beside its forge/ server.
  frontEndFolders: ['frontend', 'front-end'],
  serverFolders: ['server', 'server-*', 'backend'],
  testPathParts: [
    '/__tests__/',
    '/__test__/',
    '/e2e/',
    '/e2e_tests/',
    '/integration-tests/',
    '/cypress/',
    '/__mocks__/',
    '.test.',
    '.spec.',
    '.e2e.',
    '.e2e-spec.',
    '.e2e-ee.',
    '.cy.',
    // Issue 13, round 2: test tooling folders (seen in public backends: vendure packages/testing/src/, medusa __fixtures__).
    '/test/',
    '/tests/',
    '/testing/',
    '/test-utils/',
    '/test-helpers/',
    // Issue 13, round 15: any folder or file named `test-*` (seen in a public backend: OriginProtocol/origin's packages/contracts/test-alt/).
    '/test-',
    // Not `/fixtures/` everywhere: a repository's top-level fixtures hold sample code linted on purpose
    // (this plugin's own); inside a source tree they are test data (`sourceTestFolders`).
    '/__fixtures__/',
    '/mocks/',
    '/mock/',
    '.mock.',
    '.fixture.',
    // Issue 13, round 8: a test suite named for what it is (seen in a public backend: Cronicle lib/test.js, run by pixl-unit).
    '/test.js',
    '/test.ts',
    '/tests.js',
    '/tests.ts',
  ],
  // Fakes and sample data for tests kept inside a source tree (seen in Unleash src/test/fixtures/, issue 13).
  sourceTestFolders: ['fixtures'],
  // Seeds fill a database by hand or in CI, like scripts (issue 13, round 2). Example programs shipped
  // beside a project (uptime-kuma extra/push-examples/) are run by hand too (issue 13, round 7); a plain
  // `examples/` folder is not taken for one, since settings can add to this list but not remove from it.
  // `/prisma/seed.` is Prisma's seed script, run by `prisma db seed` (issue 13, round 15: seen in a public backend, stacker.news);
  // a file merely named seed elsewhere is not one.
  // Migrations run once, by a migration tool or by hand (`knex migrate`, `sequelize db:migrate`,
  // db-migrate), and fail loud there; `one_off_migrations/` too (issue 13, round 19: seen in public
  // backends, bcgov/eagle-api and isomercms-backend, 7 reports judged false).
  scriptPathParts: ['/scripts/', '/bin/', '-cli/', '/seed/', '/seeds/', '/seeders/', '/prisma/seed.', '-examples/', 'migrations/'],
  // Issue 13, round 10: sourcebot's packages/web/tools/oauthFlow.ts, karakeep's tools/seed-snapshot.
  // Round 17: a package's `prisma` folder holds its schema, migrations and hand-run data fixes
  // (sst-project-api's prisma/run/*.ts); a NestJS `src/prisma/prisma.service.ts` is deeper, server code.
  // Round 21: a package's own `example` folder holds demo programs run by hand (yuudachi's
  // packages/http/example/index.ts, started by the package's `example` script and not published).
  packageToolFolders: ['tools', 'prisma', 'example', 'examples'],
  nonThrowingOptionKeys: ['throwOnError', 'throwOnFailure', 'throwErrors'],
  contextStores: ['cls', '*Cls', 'clsService', '*ClsService', 'als', 'asyncLocalStorage', '*AsyncLocalStorage'],
  serverModules: [
    'next',
    '@nestjs/core',
    'express',
    'koa',
    'fastify',
    'hono',
    '@hapi/hapi',
    '@remix-run/node',
    '@remix-run/server-runtime',
    '@react-router/node',
    'nuxt',
    '@sveltejs/kit',
    'h3',
    'nitropack',
    '@trpc/server',
    'astro',
    '@tanstack/react-start',
    '@tanstack/start',
    'elysia',
    'bullmq',
    'pg',
    'prisma',
    '@prisma/client',
    'typeorm',
    'knex',
    'drizzle-orm',
    'sequelize',
    '@mikro-orm/core',
    'mongoose',
  ],
  promiseApis: ['fetch', '*.fetch'],
  // --- Jobs (the strict checks; see the interface above) ---
  scheduledJobDecorators: ['Cron', 'Timeout'],
  scheduledJobDispatchers: ['cron.schedule', 'CronJob', 'CronJob.from'],
  declaredJobDecorators: ['BackgroundTask'],
  jobLifecycleDecorators: ['OnWorkerEvent', 'OnQueueEvent', 'OnQueueActive', 'OnQueueCompleted', 'OnGlobalQueueCompleted', 'OnGlobalQueueActive'],
  jobLifecycleEvents: ['active', 'completed'],
  jobEntityPattern: '(?:job|task|run|execution|import|export|deployment|backup|build|migration)s?(?:repository|repo|model|table|collection|entity)?$',
  bestEffortNamePattern: 'telemetry|analytics|metrics|heartbeat|beacon|posthog',
  // `*.addToQueue`: a job module's own enqueue helper (issue 13, round 15: seen in a public backend, reservoirprotocol/indexer's `blurListingsRefreshJob.addToQueue(key)`).
  enqueueCalls: ['*queue.add', '*Queue.add', '*queue.addBulk', '*Queue.addBulk', '*queue.enqueue', '*Queue.enqueue', '*boss.send', '*agenda.now', '*agenda.schedule', '*.addToQueue'],
  jobStarterNames: ['deploy*', 'redeploy*', 'restore*', 'run*', 'backup*', 'migrate*', 'reindex*', 'rebuild*', 'import*', 'export*'],
  // --- Transactions (no-dispatch-in-transaction; require-session-scope's manual transactions) ---
  transactionScopes: ['transaction', '$transaction', '$tx', 'transactional', 'runInTransaction', 'withTransaction', 'transaction().execute'],
  transactionalMethodDecorators: ['Transactional'],
  transactionStartMethods: ['startTransaction', 'beginTransaction'],
  transactionCommitMethods: ['commitTransaction', 'commit'],
  transactionRollbackMethods: ['rollbackTransaction', 'rollback', 'abortTransaction'],
  beginStatements: ['BEGIN', 'START TRANSACTION'],
  commitStatements: ['COMMIT', 'END'],
  transactionLifecycleMembers: [
    'connect',
    'startTransaction',
    'beginTransaction',
    'commitTransaction',
    'commit',
    'rollbackTransaction',
    'rollback',
    'release',
    'isTransactionActive',
    'isReleased',
    'finished',
    'isCompleted',
    'afterCommit',
    'on',
  ],
  commitDependentCalls: [
    // Job queues: `enqueueCalls` above (BullMQ/Bull, pg-boss, Agenda: read by this rule too), and
    // queues returned by a getter, pg-boss variants, Graphile Worker, documenso's `jobs.triggerJob`, Inngest, trigger.dev.
    '*queue().add',
    '*Queue().add',
    '*queue.send*',
    '*Queue.send*',
    '*boss.send*',
    '*Boss.send*',
    '*boss.publish',
    '*Agenda.now',
    '*Agenda.schedule',
    '*.triggerJob',
    // A task or mail class that enqueues itself: outline's `new InviteReminderEmail(props).schedule()`.
    '*Task.schedule',
    '*Email.schedule',
    '*.addJob',
    'quickAddJob',
    '*inngest.send',
    '*Inngest.send',
    'tasks.trigger',
    'tasks.batchTrigger',
    // Publishing to other processes: Redis/GraphQL pub-sub, event buses, Kafka, RabbitMQ, SNS/SQS.
    '*pubsub.publish',
    '*pubSub.publish',
    '*PubSub.publish',
    '*redis.publish',
    '*Redis.publish',
    '*publisher.publish',
    '*Publisher.publish',
    '*eventBus.publish',
    '*EventBus.publish',
    '*eventBus.publishAll',
    '*producer.send',
    '*Producer.send',
    '*channel.publish',
    '*channel.sendToQueue',
    '*amqpConnection.publish',
    '*sns.publish',
    '*Sns.publish',
    '*SNS.publish',
    '*sqs.sendMessage',
    '*Sqs.sendMessage',
    '*SQS.sendMessage',
    '*novu.trigger',
    '*Novu.trigger',
    // NestJS microservices' ClientProxy (`this.client.emit('order.created', order)`): to another service.
    '*client.emit',
    '*Client.emit',
    // Mail.
    'sendMail',
    'sendEmail',
    '*.sendMail',
    '*.sendEmail',
    '*mailer.send*',
    '*Mailer.send*',
    '*mailService.send*',
    '*MailService.send*',
    '*emails.send',
    // Webhooks.
    'triggerWebhook',
    'sendWebhook',
    '*.triggerWebhook',
    '*.sendWebhook',
    '*webhook*.send',
    '*Webhook*.send',
    '*webhook*.trigger',
    '*Webhook*.trigger',
  ],
  commitDependentCommands: [
    'SendEmailCommand',
    'SendRawEmailCommand',
    'SendTemplatedEmailCommand',
    'SendMessageCommand',
    'SendMessageBatchCommand',
    'PublishCommand',
    'PublishBatchCommand',
    'PutEventsCommand',
    'PutRecordCommand',
    'StartExecutionCommand',
  ],
  httpClients: ['axios', 'got', 'ky', '*httpService', '*HttpService', '*httpClient', '*HttpClient', '*apiClient', '*ApiClient'],
  httpWriteMethods: ['post', 'put', 'patch', 'delete'],
  afterCommitHooks: ['afterCommit', 'onCommit', 'afterTransactionCommit', 'runAfterCommit', 'onTransactionCommit', 'runOnTransactionCommit'],
  transactionalHookDecorators: [
    // TypeORM entity listeners (run inside save()'s transaction).
    'AfterInsert',
    'AfterUpdate',
    'AfterRemove',
    'AfterSoftRemove',
    'AfterRecover',
    // Sequelize (sequelize-typescript) and MikroORM hooks (inside the caller's transaction or the flush's).
    'AfterCreate',
    'AfterSave',
    'AfterDestroy',
    'AfterUpsert',
    'AfterBulkCreate',
    'AfterBulkUpdate',
    'AfterBulkDestroy',
    'AfterDelete',
  ],
  transactionalHookModules: ['typeorm', 'sequelize-typescript', 'sequelize', '@mikro-orm/*'],
  transactionalHookMethods: ['afterInsert', 'afterUpdate', 'afterRemove', 'afterSoftRemove', 'afterRecover'],
  subscriberClassMarkers: ['EventSubscriber', 'EntitySubscriberInterface'],
  // --- Issue 13, round 2 (see the interface above) ---
  afterCommitPublishers: [],
  // Seen in a public backend: Vendure's EventBus awaits `transactionSubscriber.awaitCommit(queryRunner)`.
  commitWaitMethods: ['awaitCommit', 'awaitRelease', 'waitForCommit', 'afterTransactionCommit'],
  // Seen in a public backend: postiz `_track(...)` pings an analytics API inside `try { } catch {}`.
  bestEffortCallees: ['track', '_track', 'trackEvent', 'trackEvents', 'identify', 'warmCache', 'warmUp', 'warmup', 'prewarm*', 'prefetch*'],
  // Issue 13, round 11: supabase storage's `fsp.rm(spill, { force: true })` and `body.cancel()`, overleaf's partial tarball `unlink`.
  // `end`: closing a socket or stream that is being turned away (issue 13, round 13: seen in a public
  // server, zone-mta's services/receiver.js:201, `return socket.end('421 Process not yet initialized')`).
  // Issue 13, round 13: seen in a public server, matrix-appservice-irc's DebugApi.killRoom.
  failureListNames: ['error', 'errors', 'failure', 'failures', 'failed', 'failedItems'],
  cleanupCallees: ['rm', 'rmSync', 'unlink', 'unlinkSync', 'rmdir', 'rmdirSync', 'rimraf', 'cancel', 'abort', 'close', 'end', 'kill', 'disconnect', 'quit', 'terminate', 'removeAllListeners', 'removeListener'],
  testPackageWords: ['testing', 'test', 'tests', 'e2e', 'fixtures', 'mocks', 'testkit', 'test-utils', 'test-helpers'],
  // `startSession` too: MongoDB's, but also a login's or a recorder's (`authService.startSession(user)`).
  ambiguousSessionOpeners: ['getSession', 'createSession', 'openSession', 'startSession'],
  // Issue 13, round 9: Swetrix's MySQL transactions were judged usable after a duplicate-key error.
  nonAbortingDatabasePackages: ['mysql', 'mysql2', 'mariadb', 'sqlite3', 'better-sqlite3', '@libsql/client'],
  // Issue 13, round 10: Sequelize on mysql2/pg and TypeORM on pg serialise a transaction's queries on its
  // connection (seen in public backends: chartbrew, Swetrix, judged false there).
  queuingDatabasePackages: ['pg', 'postgres', 'pg-promise', 'mysql', 'mysql2', 'mariadb', 'sqlite3', 'better-sqlite3', '@libsql/client'],
  nonQueuingDatabasePackages: ['mssql', 'tedious'],
  abortingDatabasePackages: ['pg', 'postgres', 'pg-promise', 'slonik', '@neondatabase/serverless', '@vercel/postgres', '@electric-sql/pglite', '@mikro-orm/*'],
  databaseSessionMethods: [
    'query',
    'execute',
    'run',
    'startTransaction',
    'beginTransaction',
    'commitTransaction',
    'abortTransaction',
    'rollbackTransaction',
    'withTransaction',
    'getRepository',
    'getCustomRepository',
    'createQueryBuilder',
    'find',
    'findOne',
    // Not `save`/`destroy`: express-session and iron-session sessions have them too.
    'insert',
    'update',
    'delete',
    'persist',
    'flush',
    'commit',
    'rollback',
  ],
  // --- Issue 13, round 3 ---
  // Seen in NangoHQ/nango packages/*/lib/app.ts and Unleash/unleash src/lib/server-impl.ts: log and keep running.
  processRejectionHandler: 'auto',
  // Issue 13, round 11: civitai on Next.js 16 (next/dist/server/lib/start-server: "This is the render worker, we keep the process alive").
  // Issue 13, round 14: Nuxt 3's built server is Nitro's node-server, whose entry traps unhandled
  // rejections, logs them and keeps running (nitropack's trapUnhandledNodeErrors; seen in a public
  // backend: Litlyx's dashboard/server). A package that builds one serves it.
  loggingServerPackages: ['next@14.0.0', 'nuxt@3.8.0', 'nitropack@2.0.0'],
  loggingServerCommands: ['next start', 'nuxt build', 'nuxi build', 'nitro build', 'nitropack build'],
  // Issue 13, round 7. Seen in a public backend: crowd.dev, whose services start in a top-level
  // `setImmediate(async () => { await svc.init(); await svc.start(); })` in main.ts.
  startupDispatchers: ['setImmediate', 'setTimeout', 'process.nextTick', 'queueMicrotask'],
  // Issue 13, round 16: seen in a public backend, vigieau-ddt-back's NestJS services load their
  // reference data with `constructor(...) { this.initDatas(); }` (NestJS `Injectable`, TypeDI `Service`).
  singletonDecorators: ['Injectable', 'Service'],
  // Issue 13, round 20: seen in a public backend, SquirrelServersManager's WatcherEngineService
  // (`onModuleInit() { void this.init(); }`).
  startupHookMethods: ['onModuleInit', 'onApplicationBootstrap'],
  // Issue 13, round 8 (seen in a public backend: firecrawl's playwright service starts its browser in app.listen's callback).
  startupCallbacks: ['*.listen'],
  processRejectionEvents: ['unhandledRejection'],
  // Node >= 15 raises an unhandled rejection as an uncaught exception when no `unhandledRejection`
  // hook is set: an `uncaughtException` handler that logs and keeps running hears it then (issue 13, round 7).
  processExceptionEvents: ['uncaughtException'],
  processExitCalls: ['process.exit', 'process.kill', 'process.abort', 'process.reallyExit'],
  // neverthrow, ts-results, oxide.ts, Nango's `@nangohq/utils` Result.
  resultCheckMethods: ['isErr', 'isOk', 'isError', 'isOkAnd', 'isErrAnd'],
  resultCheckFunctions: ['isErr', 'isOk'],
  // Seen in triggerdotdev/trigger.dev (`const [error] = await tryCatch(...)`, core/utils) and
  // formbricks/formbricks (`wrapThrowsAsync`, `{ ok }`), trigger.dev `wrapZodFetch` (`{ success }`).
  errorTupleNames: ['err', 'error', 'e', '*Error', '*Err'],
  resultSuccessProperties: ['success', 'ok'],
  resultValueProperties: ['error', 'data'],
  timerPromiseModules: ['node:timers/promises', 'timers/promises'],
  timerPromiseFunctions: ['setTimeout', 'setImmediate', 'scheduler.wait', 'scheduler.yield'],
  // SIGUSR2: nodemon's restart signal (seen in a public backend: jitsu's services trap SIGTERM, SIGINT and SIGUSR2 alike).
  shutdownSignals: ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'beforeExit'],
  // Issue 13, round 12: seen in a public backend, ultimate-backend's `onModuleDestroy() { this.closeAsyncClients(); }`.
  shutdownHooks: ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'],
  // Issue 13, round 3. Seen in a public backend: nango's OAuth controller and AgentSession service
  // take a `session` record (`session.webSocketClientId`, `session.id`); a `manager` parameter is
  // as often a person (`manager.email`) as a TypeORM EntityManager.
  // Issue 13, round 5: `this.context` is as often a request's context object (an organisation and its
  // permissions in growthbook's QueryRunner, a UI flow context in nocobase's client) as a session.
  ambiguousSessionNames: ['session', 'manager', 'context'],
  // Issue 13, round 15: seen in a public backend, GoodDollar/GoodServer's Web3Wallet.js (`tx.estimateGas()`, `tx.send()`).
  blockchainModules: ['web3', 'web3-*', 'ethers', '@ethersproject/*', 'viem', '@solana/web3.js', 'bitcoinjs-lib', 'tronweb', 'near-api-js', '@cosmjs/*'],
  queryRunMethods: ['then', 'catch', 'finally', 'execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream'],
  // Seen in a public backend: nango's Knex migrations `export async function up(knex: Knex)`.
  migrationFunctions: ['up', 'down'],
  migrationClientTypes: ['Knex', 'Knex.Transaction'],
  // --- Issue 13, round 5 ---
  assumeUnseenCallsReject: false,
  ioModules: ['execa', 'got', 'ky', 'node-fetch', 'undici', 'axios', 'ioredis', 'redis', 'pg', 'mysql2', 'mysql2/promise', 'nodemailer'],
  // Seen in public backends: logto's packages/translate (yargs, inquirer), trigger.dev's packages/cli-v3 (commander, @clack/prompts).
  cliModules: ['commander', 'yargs', 'cac', 'clipanion', '@oclif/core', 'meow', 'citty', 'sade', 'inquirer', '@inquirer/prompts', '@clack/prompts', 'prompts', 'enquirer'],
  // Issue 13, round 7. Seen in a public backend: colanode, whose packages/client runs only in its
  // Electron app (electron in devDependencies), its Vite web app and its Expo app.
  clientAppModules: [
    'electron',
    'electron-builder',
    '@electron-forge/cli',
    '@vitejs/plugin-react',
    '@vitejs/plugin-react-swc',
    '@vitejs/plugin-vue',
    '@sveltejs/vite-plugin-svelte',
    'vite-plugin-pwa',
    'react-native',
    'expo',
  ],
  // Seen in a public backend: Dokploy's `execAsyncRemote(serverId, command)` (ssh), packages/server/src/utils/process.
  ioFunctions: ['exec*', 'spawn*'],
  // Issue 13, round 6: MongoDB's ClientSession (seen in public backends: laudspeaker, erxes).
  connectionlessSessionOpeners: ['startSession'],
  retryOptionNames: ['attempts', 'retryLimit', 'retries', 'maxAttempts', 'maxRetries', 'retry'],
  // Issue 13, round 6: reads fail like writes (seen in public backends: nocobase `repository.findOne`, vendure `queue.getJobCounts`).
  ioMethods: [
    'find',
    'findOne*',
    'findBy',
    'findMany',
    'findFirst*',
    'findUnique*',
    'findAll',
    'findAndCount*',
    'findById',
    'count',
    'countBy',
    'aggregate',
    'query',
    '$queryRaw*',
    '$executeRaw*',
    'execute',
    'getMany',
    'getOne',
    'getRawMany',
    'getRawOne',
    'getManyAndCount',
    'transaction',
    '$transaction',
    'startTransaction',
    'commitTransaction',
    'connect',
    'publish',
    'getJobCounts',
    // MongoDB's collection reads and writes beyond the names above.
    'findOneAnd*',
    'bulkWrite',
    'countDocuments',
    'replaceOne',
  ],
  // Pub/sub clients publish over the network (seen in a public backend: erxes `graphqlPubsub.publish`, Redis-backed).
  // Repositories, models, entity managers, queues and caches: what an injected member (`this.userRepository`) usually is.
  ioReceivers: [
    '*prisma',
    '*Prisma',
    '*db',
    '*Db',
    '*DB',
    '*redis',
    '*Redis',
    '*client',
    '*Client',
    '*pool',
    '*Pool',
    '*knex',
    '*Knex',
    'sql',
    's3',
    '*S3',
    '*s3',
    '*pubsub',
    '*Pubsub',
    '*PubSub',
    '*repository',
    '*Repository',
    '*repo',
    '*Repo',
    '*model',
    '*Model',
    'em',
    '*entityManager',
    '*EntityManager',
    '*dataSource',
    '*DataSource',
    '*queue',
    '*Queue',
    '*cache',
    '*Cache',
  ],
  // --- Issue 14, round 2: failure hooks, and jobs named by a property of an options object ---
  failureHookMethods: ['onFailed', 'onFailure'],
  failureHookDecorators: ['OnQueueFailed', 'OnGlobalQueueFailed'],
  failureHookEvents: ['failed'],
  // Seen in documenso/documenso: `{ id, trigger, handler } as const satisfies JobDefinition<...>`.
  jobDefinitionTypes: ['JobDefinition.handler'],
  // Seen in karakeep-app/karakeep: `withWorkerEventLog(name, fn)` writes one event log per job run.
  lifecycleLoggingWrappers: ['with*Log', 'with*Logging', 'with*Logger'],
};
