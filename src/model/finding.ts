/** The one shape of a rule finding, shared by the linter step, the evaluation and the renderers. */
import type { Severity } from './checklist.js';

/** An editor quick fix offered with a finding. */
export interface FindingSuggestion {
  readonly description: string;
  /** The replacement, when the rule offers one: `[start, end)` offsets in the file and the text. */
  readonly fix?: { readonly range: readonly [number, number]; readonly text: string };
}

/** Why a finding does not count: an `eslint-disable ... -- reason` comment or a bulk suppression. */
export interface FindingSuppression {
  readonly kind: 'directive' | 'file';
  readonly justification: string;
}

export interface Finding {
  /** The rule without the plugin prefix: `no-request-session-in-background`. */
  readonly ruleId: string;
  readonly messageId: string | undefined;
  /** The checklist items it fails, red flag first. */
  readonly items: readonly string[];
  /** Repository-relative, forward slashes. */
  readonly file: string;
  /** 1-based lines and columns. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly message: string;
  readonly docsUrl: string | undefined;
  readonly suggestions: readonly FindingSuggestion[];
  readonly suppression: FindingSuppression | undefined;
}
