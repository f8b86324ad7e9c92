import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TreeEdit } from './syntax-tree';

/**
 * Applies LSP content changes (incremental sync) to a TextDocument one at a time, reporting each
 * as a tree-sitter edit. One at a time because every change's range refers to the text left by
 * the previous one. Columns are UTF-16 code units on both sides (LSP's default encoding and
 * web-tree-sitter's), and rows match because tree-sitter counts "\n" and LSP treats "\r\n" as one
 * line break.
 */
export function applyChanges(document: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number, onEdit: (edit: TreeEdit) => void): TextDocument {
  for (const change of changes) {
    const start = 'range' in change ? document.offsetAt(change.range.start) : 0;
    const oldEnd = 'range' in change ? document.offsetAt(change.range.end) : document.getText().length;
    const startPoint = toPoint(document.positionAt(start));
    const oldEndPoint = toPoint(document.positionAt(oldEnd));
    TextDocument.update(document, [change], version);
    const newEnd = start + change.text.length;
    onEdit({ start, oldEnd, newEnd, startPoint, oldEndPoint, newEndPoint: toPoint(document.positionAt(newEnd)) });
  }
  return document;
}

export function toPoint(position: { line: number; character: number }): { row: number; column: number } {
  return { row: position.line, column: position.character };
}
