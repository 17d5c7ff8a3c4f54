/**
 * A bounded, seeded fuzz test in the style of ESLint's own fuzzer: random programs from eslump
 * plus mutations of the lint fixtures and the shared examples, linted with configs.strict (every rule and option) of the
 * built plugin. No rule may throw, and every fix and suggestion must leave code that parses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { generateRandomJS } from 'eslump';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RANDOM_PROGRAMS = 150;
const MUTANTS_PER_SOURCE = 12;

/** mulberry32: the same programs on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const all = plugin.configs.strict as Linter.Config;
const config: Linter.Config[] = [{ ...all, files: ['**/*.ts'] }];
const parseOnly: Linter.Config[] = [{ files: ['**/*.ts'], languageOptions: all.languageOptions }];
const linter = new Linter();

function parses(code: string): boolean {
  return !linter.verify(code, parseOnly, { filename: 'fuzz.ts' }).some((m) => m.fatal);
}

function applyFix(code: string, fix: { range: [number, number]; text: string }): string {
  return code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1]);
}

interface Problem {
  code: string;
  problem: string;
}

/** Lints one parseable program; returns what went wrong (a crash, or a fix that breaks the code). */
function check(code: string): Problem[] {
  const problems: Problem[] = [];
  let messages: Linter.LintMessage[];
  try {
    messages = linter.verify(code, config, { filename: 'fuzz.ts' });
  } catch (error) {
    return [{ code, problem: `crash: ${error instanceof Error ? error.message : String(error)}` }];
  }
  for (const m of messages) {
    if (m.fatal) problems.push({ code, problem: `fatal: ${m.message}` });
    if (m.fix && !parses(applyFix(code, m.fix))) problems.push({ code, problem: `fix of ${m.ruleId} does not parse` });
    for (const s of m.suggestions ?? []) {
      if (!parses(applyFix(code, s.fix))) problems.push({ code, problem: `suggestion "${s.desc}" of ${m.ruleId} does not parse` });
    }
  }
  return problems;
}

/** eslump draws from Math.random; run it under a seeded one. */
function randomPrograms(count: number, seed: number): string[] {
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return Array.from({ length: count }, () => generateRandomJS({ sourceType: 'module', maxDepth: 6, comments: false }));
  } finally {
    Math.random = original;
  }
}

/** Background-flavoured edits that keep most programs parseable, plus plain line edits. */
const EDITS: ((lines: string[], random: () => number) => void)[] = [
  (lines, random) => void lines.splice(Math.floor(random() * lines.length), 1),
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    lines.splice(i, 0, lines[i] ?? '');
  },
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    lines[i] = (lines[i] ?? '').replace('await ', '');
  },
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    lines[i] = (lines[i] ?? '').replace(/this\.(\w+)\.fork\(\)/, 'this.$1').replace(/\bawait (this\.\w+\()/, 'void $1');
  },
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    lines.splice(i, 0, 'setImmediate(async () => { await this.em.flush(); await req.db.query(x); });');
  },
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    lines[i] = (lines[i] ?? '').replace(/\b(em|manager|tx|trx|session)\b/, 'this.$1');
  },
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    lines.splice(i, 0, '} catch (error) { await this.session.rollback(); } finally { session.release(); }');
  },
  (lines, random) => void lines.splice(Math.floor(random() * lines.length), Math.floor(random() * 4)),
];

function mutants(source: string, count: number, random: () => number): string[] {
  const result: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const lines = source.split('\n');
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e += 1) EDITS[Math.floor(random() * EDITS.length)]!(lines, random);
    result.push(lines.join('\n'));
  }
  return result;
}

/** The lint fixtures, and the shared examples when shared/ is beside the checkout. */
function seedSources(): string[] {
  const dirs = [path.join(ROOT, 'fixtures', 'lint'), path.join(ROOT, '..', 'shared', 'examples'), path.join(ROOT, '..', '..', 'shared', 'examples')];
  const sources: string[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (file.endsWith('.ts')) sources.push(fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  return sources;
}

describe('fuzz: configs.strict never crashes and every fix and suggestion parses', () => {
  it(`random eslump programs (${RANDOM_PROGRAMS}, seeded)`, () => {
    const programs = randomPrograms(RANDOM_PROGRAMS, 20261128).filter(parses);
    console.log(`fuzz: ${programs.length} of ${RANDOM_PROGRAMS} random programs parse`);
    expect(programs.length).toBeGreaterThan(RANDOM_PROGRAMS / 3);
    expect(programs.flatMap(check)).toEqual([]);
  }, 120_000);

  it('mutations of the lint fixtures and the shared examples (seeded)', () => {
    const sources = seedSources();
    expect(sources.length).toBeGreaterThan(0);
    const random = seededRandom(7);
    const programs = [...sources, ...sources.flatMap((source) => mutants(source, MUTANTS_PER_SOURCE, random))].filter(parses);
    console.log(`fuzz: ${programs.length} parseable programs from ${sources.length} sources and their mutants`);
    expect(programs.length).toBeGreaterThan(sources.length);
    expect(programs.flatMap(check)).toEqual([]);
  }, 120_000);
});
