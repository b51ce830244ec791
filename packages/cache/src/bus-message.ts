/** What one instance tells the others' L1 caches over the invalidation bus. */
export interface BusMessage {
  keys?: string[];
  namespace?: string;
  /** A Redis glob within `namespace`; `*` is the whole namespace. */
  pattern?: string;
  tag?: string;
  /** Everything of the service (after an outage that owed too much to list). */
  all?: boolean;
}
