/**
 * Loaded with `node --import ./bench/rss-probe.mjs <cli>` so that any Node child reports what it
 * used when it exits, without changing the program measured:
 *   $BENCH_RSS_FILE   its peak RSS (kB), as a bare number;
 *   $BENCH_USAGE_FILE one JSON object: peak RSS (kB), user and system CPU time (us) of the whole
 *                     process (every thread: V8's GC helpers and ESLint's workers included), and
 *                     what the linted config recorded on `globalThis.__benchProbe` (plugin load time).
 */
import fs from 'node:fs';

const rssTarget = process.env.BENCH_RSS_FILE;
const usageTarget = process.env.BENCH_USAGE_FILE;
if (rssTarget || usageTarget) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    if (rssTarget) fs.writeFileSync(rssTarget, String(usage.maxRSS));
    if (usageTarget) {
      const extra = globalThis.__benchProbe ?? {};
      fs.writeFileSync(usageTarget, JSON.stringify({ maxRssKb: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, ...extra }));
    }
  });
}
