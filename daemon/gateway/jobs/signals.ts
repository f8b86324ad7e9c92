/**
 * In-memory notice of job changes, for long-polls (`?wait=N`) and to wake the runner when work
 * arrives. The database stays the truth: a waiter re-reads the job when told, so a missed or
 * extra notice costs a read, never a wrong answer.
 */
export class JobSignals {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly onSubmitted = new Set<() => void>();

  /** Resolves when the job changes, or after `ms`. */
  waitFor(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  changed(id: string): void {
    for (const waiter of [...(this.waiters.get(id) ?? [])]) waiter();
  }

  submitted(): void {
    for (const listener of this.onSubmitted) listener();
  }

  onSubmit(listener: () => void): () => void {
    this.onSubmitted.add(listener);
    return () => this.onSubmitted.delete(listener);
  }
}
