import type * as vscode from 'vscode';

/**
 * A bag of disposables with one lifetime. The extension has two (as rust-analyzer's ctx.ts does):
 * the extension's own (context.subscriptions: commands, views, the supervisor) and one per
 * connected gateway (its live feed, its listeners), which a gateway restart disposes and
 * replaces without touching the first.
 */
export class Scope implements vscode.Disposable {
  private items: vscode.Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  push<T extends vscode.Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes in reverse order; one failing disposable does not keep the others alive. */
  dispose(): void {
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch {
        // Disposal is best effort: the scope is going away either way.
      }
    }
  }
}
