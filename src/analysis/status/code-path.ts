/**
 * A small typed wrapper over ESLint's code-path analysis events, which typescript-eslint
 * does not type. It keeps, per function being traversed, the reachable segments that are
 * current (ESLint 9 removed `codePath.currentSegments`), so that selector listeners can
 * attach facts to the segments their node runs in; decisions are then reached at
 * `onCodePathEnd` with a visited-set search over segments (see `searchSegments`).
 *
 * No `'*'` listener: the wrapper only adds the five code-path events.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/** A code path segment (ESLint's `CodePathSegment`). */
export interface Segment {
  readonly id: string;
  readonly reachable: boolean;
  /** Reachable next segments, loop back edges included once the path has ended. */
  readonly nextSegments: readonly Segment[];
  readonly prevSegments: readonly Segment[];
}

/** A code path (ESLint's `CodePath`): one per function, class field initializer, static block and the program. */
export interface CodePath {
  readonly id: string;
  readonly origin: 'program' | 'function' | 'class-field-initializer' | 'class-static-block';
  readonly initialSegment: Segment;
  /** Final segments that end by a return or by falling off the end. */
  readonly returnedSegments: readonly Segment[];
  /** Final segments that end by an uncaught throw. */
  readonly thrownSegments: readonly Segment[];
  readonly upper: CodePath | null;
}

/** What the tracker keeps for one code path while it is traversed. */
export interface CodePathFrame<T> {
  readonly codePath: CodePath;
  /** The node that starts the code path (function, program, ...). */
  readonly node: TSESTree.Node;
  /** Per-frame data of the client, made at `onCodePathStart`. */
  readonly data: T;
  /** Reachable segments that are current. */
  readonly current: Set<Segment>;
}

export interface CodePathClient<T> {
  /** Called when a code path starts; returns the frame's data. */
  start(codePath: CodePath, node: TSESTree.Node): T;
  /** Called when a code path ends, with all its segments final. */
  end(frame: CodePathFrame<T>): void;
  /** Whether a frame's current segments are needed (false: the client ignores this code path). */
  tracks?(data: T): boolean;
}

/** The current segments of a code path the client ignores: never written. */
const UNTRACKED: Set<Segment> = new Set();

/** The code-path listeners of ESLint, typed. */
export interface CodePathListeners {
  onCodePathStart(codePath: CodePath, node: TSESTree.Node): void;
  onCodePathEnd(codePath: CodePath, node: TSESTree.Node): void;
  onCodePathSegmentStart(segment: Segment, node: TSESTree.Node): void;
  onCodePathSegmentEnd(segment: Segment, node: TSESTree.Node): void;
  /** Not listened to: back edges are read from `nextSegments` once the path has ended. */
  onCodePathSegmentLoop?(from: Segment, to: Segment, node: TSESTree.Node): void;
}

/** Tracks the current code path and its current reachable segments. */
export class CodePathTracker<T> {
  private readonly frames: CodePathFrame<T>[] = [];

  constructor(private readonly client: CodePathClient<T>) {}

  /** The innermost code path being traversed. */
  get frame(): CodePathFrame<T> | undefined {
    return this.frames.at(-1);
  }

  /** The listeners to merge into a rule's listener object. */
  listeners(): CodePathListeners {
    return {
      onCodePathStart: (codePath, node) => {
        const data = this.client.start(codePath, node);
        const tracked = this.client.tracks?.(data) ?? true;
        this.frames.push({ codePath, node, data, current: tracked ? new Set() : UNTRACKED });
      },
      onCodePathEnd: () => {
        const frame = this.frames.pop();
        if (frame) this.client.end(frame);
      },
      onCodePathSegmentStart: (segment) => {
        const current = this.frame?.current;
        if (segment.reachable && current && current !== UNTRACKED) current.add(segment);
      },
      onCodePathSegmentEnd: (segment) => {
        const current = this.frame?.current;
        if (current && current !== UNTRACKED) current.delete(segment);
      },
    };
  }
}

/** Merges code-path listeners into a rule listener object (typescript-eslint types only node selectors). */
export function withCodePathListeners(
  listeners: TSESLint.RuleListener,
  codePath: CodePathListeners,
): TSESLint.RuleListener {
  // The listener object is the caller's own, just built: add to it rather than copy it.
  return Object.assign(listeners, codePath as unknown as TSESLint.RuleListener);
}

/** Merges listener objects; listeners of the same selector all run, in order. */
export function mergeListeners(...objects: TSESLint.RuleListener[]): TSESLint.RuleListener {
  const nonEmpty = objects.filter((object) => Object.keys(object).length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? {};
  const merged: Record<string, ((...args: never[]) => void)[]> = {};
  for (const object of objects) {
    for (const [key, listener] of Object.entries(object)) {
      if (listener) (merged[key] ??= []).push(listener as (...args: never[]) => void);
    }
  }
  const result: Record<string, (...args: never[]) => void> = {};
  for (const [key, list] of Object.entries(merged)) {
    result[key] = list.length === 1 ? list[0]! : (...args: never[]) => list.forEach((fn) => fn(...args));
  }
  return result as TSESLint.RuleListener;
}

/**
 * A breadth-first search over segments with a visited set: each segment is entered from
 * its start at most once per `variant` (the client's small extra state, e.g. the catch a
 * path went through), so a search is linear in the number of segments times variants.
 * `resume` continues a segment after a position (the search's origin) without marking it,
 * so that a loop can come back to the origin's own segment from its start.
 */
export class SegmentSearch<C> {
  private readonly visited = new Map<Segment, Set<unknown>>();
  private readonly queue: { segment: Segment; from: number; carry: C }[] = [];

  /** Queues a segment from its start, once per search and variant. */
  enter(segment: Segment, carry: C, variant: unknown = undefined): void {
    let variants = this.visited.get(segment);
    if (!variants) this.visited.set(segment, (variants = new Set()));
    if (variants.has(variant)) return;
    variants.add(variant);
    this.queue.push({ segment, from: 0, carry });
  }

  /** Queues the rest of a segment from an index of the client's per-segment data. */
  resume(segment: Segment, from: number, carry: C): void {
    this.queue.push({ segment, from, carry });
  }

  /** Runs `step` on queued items until the queue is empty or `step` returns false. */
  run(step: (segment: Segment, from: number, carry: C) => boolean): void {
    for (let i = 0; i < this.queue.length; i += 1) {
      const item = this.queue[i]!;
      if (!step(item.segment, item.from, item.carry)) return;
    }
  }
}
