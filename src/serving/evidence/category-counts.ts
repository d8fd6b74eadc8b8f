/** Category counts, the input of the categorical drift tests. */

/** How often each category occurs in a sample. */
export type CategoryCounts = ReadonlyMap<string, number>;

export function countCategories(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Both samples' counts over the union of their categories, in one order. */
export function alignCounts(
  reference: CategoryCounts,
  current: CategoryCounts,
): { reference: Float64Array; current: Float64Array } {
  const categories = [...new Set([...reference.keys(), ...current.keys()])];
  return {
    reference: Float64Array.from(categories, (category) => reference.get(category) ?? 0),
    current: Float64Array.from(categories, (category) => current.get(category) ?? 0),
  };
}

export function total(counts: Float64Array): number {
  return counts.reduce((sum, count) => sum + count, 0);
}
