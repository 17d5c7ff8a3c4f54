/**
 * A catch that logs the error on one path only (issue 14, round 3): `logWithoutError` holds per
 * path. A path that ends after a failure-level log (`logger.error`) without the error, and without
 * any log of the error, is reported even when another path of the same catch logs it; a path that
 * logs nothing or only below failure level (an expected error, classified) is not.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-background-error-handling (error logged on every path)', rule, {
  valid: [
    {
      name: 'Valid because both branches log the error: its stderr on one, the error itself on the other (seen in a public backend, karakeep-app/karakeep shape, fixed)',
      code: `
export async function downloadInBackground(jobId: string, url: string) {
  try {
    await execa('yt-dlp', [url]);
  } catch (e) {
    const err = e as Error;
    const genericError = \`[\${jobId}] Failed to download \${url}\`;
    if ('stderr' in err) {
      logger.error(\`\${genericError}: \${err.stderr}\`);
    } else {
      logger.error(genericError, err);
    }
  }
}`,
    },
    {
      name: 'Valid because the branch without the error only logs at info level and returns: the author classified the error as expected, the failure path logs it (seen in a public backend)',
      code: `
export async function downloadInBackground(jobId: string, url: string) {
  try {
    await execa('yt-dlp', [url]);
  } catch (e) {
    const err = e as Error;
    if (err.message.includes('Unsupported URL')) {
      logger.info(\`[\${jobId}] Skipping unsupported URL \${url}\`);
      return;
    }
    logger.error(\`[\${jobId}] Failed to download \${url}\`, err);
  }
}`,
    },
    {
      name: 'Valid because every branch logs a value derived from the error (its message, computed once), the round-2 precision rule (seen in a public backend)',
      code: `
export async function syncInBackground(id: string) {
  try {
    await sync(id);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (retryable(e)) {
      logger.warn(\`sync \${id} will retry: \${message}\`);
    } else {
      logger.error(\`sync \${id} failed: \${message}\`);
    }
  }
}`,
    },
    {
      name: 'Valid because the generic failure line is followed on the same path by a log of the error (seen in a public NestJS backend)',
      code: `
export async function syncInBackground(id: string) {
  try {
    await sync(id);
  } catch (err) {
    if (err instanceof HttpError) {
      this.logger.error(\`sync \${id} failed with HTTP \${err.status}\`);
      return;
    }
    this.logger.error(\`sync \${id} failed\`);
    this.logger.debug(err);
  }
}`,
    },
    {
      name: 'Valid because the path without the error log rethrows: the caller gets the error (seen in a public backend)',
      code: `
export async function syncInBackground(id: string) {
  try {
    await sync(id);
  } catch (err) {
    if (err instanceof TimeoutError) {
      logger.error(\`sync \${id} timed out\`, err);
      return;
    }
    logger.error(\`sync \${id} failed\`);
    throw err;
  }
}`,
    },
    {
      name: 'Valid because an aborted job is dropped without a log and the other path logs the error (seen in a public backend)',
      code: `
export async function crawlInBackground(id: string) {
  try {
    await crawl(id);
  } catch (err) {
    if (isAbortError(err)) return;
    logger.error(\`crawl \${id} failed\`, { err });
  }
}`,
    },
    {
      name: "Valid because the failure-level log without the error is a cleanup callback's own, and the job's failure path logs the error (seen in a public backend)",
      code: `
export async function convertInBackground(id: string) {
  try {
    await convert(id);
  } catch (err) {
    if (isCancelled(err)) {
      await removeTemp(id).catch(() => logger.error(\`cleanup of \${id} failed\`));
      return;
    }
    logger.error(\`convert \${id} failed\`, err);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'Invalid because the error is logged only when it has a stderr; any other download failure is logged as a generic line and the job returns as completed (seen in karakeep-app/karakeep apps/workers/workers/videoWorker.ts)',
      options: [{ checkLogsWithoutError: true }],
      code: `
export async function downloadInBackground(jobId: string, url: string) {
  try {
    await execa('yt-dlp', [url]);
  } catch (e) {
    const err = e as Error;
    if (err.message.includes('Unsupported URL')) {
      logger.info(\`[\${jobId}] Skipping unsupported URL \${url}\`);
      return;
    }
    const genericError = \`[\${jobId}] Failed to download \${url}\`;
    if ('stderr' in err) {
      logger.error(\`\${genericError}: \${err.stderr}\`);
    } else {
      logger.error(genericError);
    }
    await deleteLeftOverAssetFile(jobId);
    return;
  }
}`,
      errors: [
        {
          messageId: 'logWithoutError',
          line: 5,
          data: { task: 'downloadInBackground', error: 'e' },
          suggestions: [
            {
              messageId: 'passError',
              data: { error: 'e', log: 'logger.error' },
              output: `
export async function downloadInBackground(jobId: string, url: string) {
  try {
    await execa('yt-dlp', [url]);
  } catch (e) {
    const err = e as Error;
    if (err.message.includes('Unsupported URL')) {
      logger.info(\`[\${jobId}] Skipping unsupported URL \${url}\`);
      return;
    }
    const genericError = \`[\${jobId}] Failed to download \${url}\`;
    if ('stderr' in err) {
      logger.error(\`\${genericError}: \${err.stderr}\`);
    } else {
      logger.error(genericError, e);
    }
    await deleteLeftOverAssetFile(jobId);
    return;
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'Invalid because the early return for an HTTP error logs a failure without the error (its status and body are lost), although the fall-through path logs it (seen in a public Express backend)',
      options: [{ checkLogsWithoutError: true }],
      code: `
export async function notifyInBackground(hookId: string) {
  try {
    await deliver(hookId);
  } catch (err) {
    if (err instanceof HttpError) {
      console.error(\`webhook \${hookId} rejected\`);
      return;
    }
    console.error(\`webhook \${hookId} failed\`, err);
  }
}`,
      errors: [
        {
          messageId: 'logWithoutError',
          line: 5,
          data: { task: 'notifyInBackground', error: 'err' },
          suggestions: [
            {
              messageId: 'passError',
              data: { error: 'err', log: 'console.error' },
              output: `
export async function notifyInBackground(hookId: string) {
  try {
    await deliver(hookId);
  } catch (err) {
    if (err instanceof HttpError) {
      console.error(\`webhook \${hookId} rejected\`, err);
      return;
    }
    console.error(\`webhook \${hookId} failed\`, err);
  }
}`,
            },
          ],
        },
      ],
    },
  ],
});
