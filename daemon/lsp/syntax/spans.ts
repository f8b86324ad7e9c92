/**
 * Span arithmetic in document offsets (UTF-16 code units, like LSP positions and like
 * web-tree-sitter's node indices). Cached results keep absolute offsets and are moved by edits
 * with these functions instead of being recomputed.
 */

/** Half-open [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** One replacement: [start, oldEnd) of the old text became [start, newEnd) of the new one. */
export interface OffsetEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Where an old offset is after the edit. Offsets inside the replaced text snap to its end. */
export function mapOffset(offset: number, edit: OffsetEdit): number {
  if (offset <= edit.start) return offset;
  if (offset >= edit.oldEnd) return offset + edit.newEnd - edit.oldEnd;
  return edit.newEnd;
}

export function mapSpan(span: Span, edit: OffsetEdit): Span {
  return { start: mapOffset(span.start, edit), end: mapOffset(span.end, edit) };
}

/**
 * True when a cached result at `span` may have been affected by a change in `dirty`. Touching
 * counts: text typed right after `)` can turn a call into part of a longer expression.
 */
export function touches(span: Span, dirty: Span): boolean {
  return span.start <= dirty.end && span.end >= dirty.start;
}

export function widen(span: Span, by: number, limit: number): Span {
  return { start: Math.max(0, span.start - by), end: Math.min(limit, span.end + by) };
}

/** Sorted, with overlapping spans joined (adjacent ones stay apart: they may be scan chunks). */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
