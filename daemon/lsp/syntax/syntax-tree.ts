import { Parser, type Language, type Point, type Tree } from '@vscode/tree-sitter-wasm';
import { mapSpan, mergeSpans, type OffsetEdit, type Span } from './spans';

/**
 * One document's tree-sitter tree, kept up to date incrementally: each LSP change is applied
 * with tree.edit(), and the next parse reuses the edited tree, so an edit costs a fraction of a
 * millisecond however large the file. The parse itself runs in time slices (tree-sitter resumes
 * a cancelled parse where it stopped), so a huge file never blocks the server.
 *
 * Each document has its own Parser because a sliced parse keeps state in the parser between
 * slices; sharing one would let two documents' slices interleave.
 */

export interface TreeEdit extends OffsetEdit {
  startPoint: Point;
  oldEndPoint: Point;
  newEndPoint: Point;
}

export interface ParseResult {
  tree: Tree;
  /** Spans of the new text to re-examine, or 'all' after a first (or restarted) parse. */
  dirty: Span[] | 'all';
}

export class SyntaxTree {
  private readonly parser = new Parser();
  private current: Tree | undefined;
  /** Edited text spans since the last completed parse, in current-text offsets. */
  private pendingDirty: Span[] = [];
  private needsParse = true;
  private parseStarted = false;
  private wholeFileDirty = true;

  constructor(readonly language: Language) {
    this.parser.setLanguage(language);
  }

  get tree(): Tree | undefined {
    return this.needsParse ? undefined : this.current;
  }

  /** Records one change; call parseStep afterwards with the new text. */
  edit(edit: TreeEdit): void {
    this.current?.edit({
      startIndex: edit.start,
      oldEndIndex: edit.oldEnd,
      newEndIndex: edit.newEnd,
      startPosition: edit.startPoint,
      oldEndPosition: edit.oldEndPoint,
      newEndPosition: edit.newEndPoint,
    });
    this.pendingDirty = this.pendingDirty.map((span) => mapSpan(span, edit));
    this.pendingDirty.push({ start: edit.start, end: edit.newEnd });
    // A cancelled parse was of the old text: start over (from the edited tree, so still cheap).
    if (this.parseStarted) this.parser.reset();
    this.parseStarted = false;
    this.needsParse = true;
  }

  /**
   * Parses for at most budgetMs. Returns the result when the tree is complete, or undefined when
   * the budget ran out first: call again (with the same text) after yielding to the event loop.
   */
  parseStep(text: string, budgetMs: number): ParseResult | undefined {
    if (!this.needsParse && this.current) return { tree: this.current, dirty: [] };
    const deadline = performance.now() + budgetMs;
    this.parseStarted = true;
    const tree = this.parser.parse(text, this.current ?? null, {
      // Returning true cancels; tree-sitter keeps its state and resumes on the next call.
      progressCallback: () => performance.now() > deadline,
    });
    if (!tree) return undefined;
    this.parseStarted = false;
    this.needsParse = false;
    const previous = this.current;
    const dirty = this.wholeFileDirty || !previous ? 'all' : mergeSpans([...this.pendingDirty, ...changedSpans(previous, tree)]);
    previous?.delete();
    this.current = tree;
    this.pendingDirty = [];
    this.wholeFileDirty = false;
    return { tree, dirty };
  }

  dispose(): void {
    this.current?.delete();
    this.current = undefined;
    this.parser.delete();
  }
}

/** Where the syntax changed beyond the edited text itself (e.g. an opened quote or comment). */
function changedSpans(oldTree: Tree, newTree: Tree): Span[] {
  return oldTree.getChangedRanges(newTree).map((range) => ({ start: range.startIndex, end: range.endIndex }));
}
