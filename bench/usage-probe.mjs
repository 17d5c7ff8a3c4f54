/**
 * Loaded with `node --import ./bench/usage-probe.mjs <cli>` so that a Node child reports, when it
 * exits, its own CPU time and peak RSS and the CPU time of the children it waited for (git), as
 * JSON into $BENCH_USAGE_FILE, without changing the program measured.
 */
import fs from 'node:fs';

const target = process.env.BENCH_USAGE_FILE;
/** Clock ticks per second of /proc/<pid>/stat (the bench passes `getconf CLK_TCK`; 100 on Linux). */
const ticks = Number(process.env.BENCH_CLK_TCK) || 100;

/** User and system CPU (µs) of the children this process reaped: fields 16 and 17 of /proc/self/stat. */
function childrenCpu() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may hold spaces; the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userUs: (Number(fields[13]) * 1e6) / ticks, systemUs: (Number(fields[14]) * 1e6) / ticks };
  } catch {
    return { userUs: 0, systemUs: 0 };
  }
}

if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const children = childrenCpu();
    fs.writeFileSync(
      target,
      JSON.stringify({
        userUs: usage.userCPUTime,
        systemUs: usage.systemCPUTime,
        childUserUs: children.userUs,
        childSystemUs: children.systemUs,
        maxRssKb: usage.maxRSS,
      }),
    );
  });
}
