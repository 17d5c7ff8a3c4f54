#!/usr/bin/env node
// Joins a sweep before and after the fixes with the judgments and prints the Markdown tally.
// Usage: node bench/precision-rules/tally.mjs <before.json> <after.json> [judgments.json] [post-fix-judgments.json]
import { readFileSync } from 'node:fs';

const [beforeFile, afterFile, judgedFile = 'bench/precision-rules/judgments.json', postFile = 'bench/precision-rules/judgments-after.json'] =
  process.argv.slice(2);
if (!beforeFile || !afterFile) {
  process.stderr.write('usage: tally.mjs <before.json> <after.json> [judgments.json] [post-fix-judgments.json]\n');
  process.exit(2);
}
const before = JSON.parse(readFileSync(beforeFile, 'utf8'));
const after = JSON.parse(readFileSync(afterFile, 'utf8'));
const judged = JSON.parse(readFileSync(judgedFile, 'utf8'));
const key = (d) => `${d.repo}|${d.file}|${d.line}|${d.rule}`;
const remaining = new Set(after.diagnostics.map(key));
const RULES = [...new Set([...before.diagnostics, ...after.diagnostics].map((d) => d.rule))].sort();
const short = (rule) => rule.split('-').map((w) => w[0]).join('');

const lines = [];
lines.push(`| repository | commit | files | ${RULES.map((r) => `${short(r)} before→after`).join(' | ')} | total before→after | judged | true | false | false fixed | precision before→after |`);
lines.push(`|${'---|'.repeat(RULES.length + 9)}`);
const totals = { judged: 0, t: 0, f: 0, fixed: 0, tAfter: 0, fAfter: 0 };
for (const repo of before.repos) {
  const a = after.repos.find((x) => x.repo === repo.repo) ?? { perRule: {} };
  const mine = judged.filter((j) => j.repo === repo.repo);
  const t = mine.filter((j) => j.verdict === 'true');
  const f = mine.filter((j) => j.verdict === 'false');
  const fixed = f.filter((j) => !remaining.has(key(j)));
  const tAfter = t.filter((j) => remaining.has(key(j))).length;
  const fAfter = f.length - fixed.length;
  Object.assign(totals, { judged: totals.judged + mine.length, t: totals.t + t.length, f: totals.f + f.length, fixed: totals.fixed + fixed.length, tAfter: totals.tAfter + tAfter, fAfter: totals.fAfter + fAfter });
  const sum = (o) => Object.values(o).reduce((x, y) => x + y, 0);
  const pct = (x, n) => (n === 0 ? 'n/a' : `${Math.round((100 * x) / n)} %`);
  lines.push(
    `| ${repo.repo} | \`${repo.commit.slice(0, 12)}\` | ${repo.files} | ${RULES.map((r) => `${repo.perRule[r] ?? 0}→${a.perRule[r] ?? 0}`).join(' | ')} | ${sum(repo.perRule)}→${sum(a.perRule)} | ${mine.length} | ${t.length} | ${f.length} | ${fixed.length} | ${pct(t.length, mine.length)}→${pct(tAfter, tAfter + fAfter)} |`,
  );
}
lines.push('');
lines.push(`Rule abbreviations: ${RULES.map((r) => `${short(r)} = \`${r}\``).join(', ')}.`);
lines.push('');
lines.push(
  `Judged ${totals.judged}: ${totals.t} true, ${totals.f} false before the fixes (precision ${Math.round((100 * totals.t) / totals.judged)} %). ` +
    `After the fixes ${totals.fixed} of the false ones are gone and ${totals.tAfter} of the ${totals.t} true ones remain: ` +
    `precision ${Math.round((100 * totals.tAfter) / (totals.tAfter + totals.fAfter))} % (${totals.tAfter} true, ${totals.fAfter} false).`,
);
const lost = judged.filter((j) => j.verdict === 'true' && !remaining.has(key(j)));
if (lost.length > 0) lines.push('', `True positives lost: ${lost.map((j) => `${j.repo} ${j.file}:${j.line} ${j.rule}`).join('; ')}.`);
const byClass = new Map();
for (const j of judged.filter((x) => x.verdict === 'false')) {
  const c = byClass.get(j.class) ?? { n: 0, fixed: 0, repos: new Set() };
  c.n += 1;
  if (!remaining.has(key(j))) c.fixed += 1;
  c.repos.add(j.repo);
  byClass.set(j.class, c);
}
lines.push('', '| false-positive class | judged | gone after fixes | seen in |', '|---|---|---|---|');
for (const [c, v] of byClass) lines.push(`| ${c} | ${v.n} | ${v.fixed} | ${[...v.repos].join(', ')} |`);
// A second sample, judged on the post-fix sweep: what a user sees now.
const post = JSON.parse(readFileSync(postFile, 'utf8'));
const postNow = post.filter((j) => remaining.has(key(j)));
const postTrue = postNow.filter((j) => j.verdict === 'true').length;
lines.push(
  '',
  `Post-fix sample: ${post.length} judged on the post-fix sweep, ${postNow.length} still reported by this build: ` +
    `${postTrue} true, ${postNow.length - postTrue} false, precision ${Math.round((100 * postTrue) / postNow.length)} %.`,
);
process.stdout.write(lines.join('\n') + '\n');
