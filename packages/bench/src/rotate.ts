/** Rotates the order each run, so no side always runs on the warmest or coldest machine. */
export const rotate = <T>(items: readonly T[], by: number): T[] =>
  items.map((_, index) => items[(index + by) % items.length] as T);
