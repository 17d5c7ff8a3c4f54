/** The report data: what every renderer reads (SPEC section 4's JSON shape, plus notes). */
import type { ChecklistSection, ItemStatus, Severity } from '../model/checklist.js';
import type { FindingSuppression } from '../model/finding.js';

export interface Evidence {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** The rule that produced it, when a rule did. */
  readonly rule?: string;
  /** The rule's message id: what identifies a finding, since message wording changes. */
  readonly messageId?: string;
  readonly suppression?: FindingSuppression;
}

export interface ItemResult {
  readonly id: string;
  readonly section: ChecklistSection;
  readonly title: string;
  readonly status: ItemStatus;
  readonly severity: Severity;
  readonly evidence: readonly Evidence[];
}

export interface TaskResult {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  readonly kind: string;
  readonly dispatchedFrom: readonly { readonly file: string; readonly line: number }[];
  readonly items: readonly ItemResult[];
}

/** A file the review could not analyse (a syntax error), reported instead of crashing. */
export interface ReviewProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A changed file the review did not analyse, and why. */
export interface NotReviewed {
  readonly file: string;
  readonly reason: string;
  /** Whether it keeps the gate from passing: true unless the repository chose to ignore the file. */
  readonly blocking: boolean;
}

export interface Report {
  readonly version: 1;
  readonly range: { readonly base: string; readonly head: string };
  readonly tasks: readonly TaskResult[];
  readonly summary: { readonly tasks: number; readonly failed: number; readonly passed: number; readonly manual: number };
  /** How dispatch across files was resolved. */
  readonly dispatchResolution: 'type-checker' | 'in-file only';
  readonly problems: readonly ReviewProblem[];
  /** Changed files left out (unsupported formats, too large, ignored by the repository's config). */
  readonly notReviewed: readonly NotReviewed[];
  /** What the reader should know about how the review ran (config coverage, fallbacks). */
  readonly notes: readonly string[];
  /** Rule findings on the changed lines that belong to no background task (rules such as
   * require-session-scope also apply to request code); listed so that the report and the rules
   * never disagree about a finding. */
  readonly otherFindings: readonly (Evidence & { readonly item: string; readonly severity: Severity })[];
}

/** Counts items by status over all tasks. */
export function summarise(tasks: readonly TaskResult[]): Report['summary'] {
  let failed = 0;
  let passed = 0;
  let manual = 0;
  for (const task of tasks) {
    for (const item of task.items) {
      if (item.status === 'fail') failed += 1;
      else if (item.status === 'pass') passed += 1;
      else if (item.status === 'manual') manual += 1;
    }
  }
  return { tasks: tasks.length, failed, passed, manual };
}
