/**
 * Appends every item to `target`. Unlike `target.push(...items)`, which passes each item as an argument, it takes
 * any number of items: lists made from inputs (resources, errors, lines of a report) can exceed what a call takes.
 */
export function append<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
