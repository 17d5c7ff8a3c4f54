/**
 * Loaded with `node --import ./bench/rss-probe.mjs <cli>` so that any Node child reports its
 * peak RSS (kB) into $BENCH_RSS_FILE when it exits, without changing the program measured.
 */
import fs from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
