/**
 * "Today" and "this month" by the local clock of the process asking: the gateway's budgets and
 * stats, the CLI, the hint server's CodeLens and the extension's status bar all mean the same
 * local midnight, so they share this one definition.
 */
export function startOfLocalDay(at: number | Date = Date.now()): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function startOfLocalMonth(at: number | Date = Date.now()): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), 1).getTime();
}

/** The local midnight that ends the day containing `at`. */
export function endOfLocalDay(at: number | Date = Date.now()): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}
