import { type LogLevel, levelRank, type StoredLog } from './stored-log.js';

export interface LogStoreOptions {
  /** Most log records kept; the oldest go first. */
  maxLogs: number;
  /** Most bytes kept, counted as the records' JSON size. */
  maxBytes: number;
}

export interface LogFilter {
  /** This level and above. */
  level?: LogLevel | undefined;
  service?: string | undefined;
  /** Text in the message or the attributes, case-insensitive. */
  text?: string | undefined;
  traceId?: string | undefined;
  spanId?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit?: number | undefined;
}

export interface LogStore {
  add(logs: readonly StoredLog[]): void;
  /** Newest first. */
  list(filter?: LogFilter): { logs: StoredLog[]; matched: number };
  stats(): {
    logs: number;
    bytes: number;
    received: number;
    services: string[];
    limits: { logs: number; bytes: number };
  };
}

interface Entry {
  log: StoredLog;
  bytes: number;
  /** Lowercased message and attributes, for the text search. */
  haystack: string;
}

/** An in-memory ring of recent log records, bounded by count and bytes, oldest dropped first. */
export function createLogStore({ maxLogs, maxBytes }: LogStoreOptions): LogStore {
  // An array with a moving head: push at the end, drop from the front, compacted now and then.
  let entries: Entry[] = [];
  let head = 0;
  let bytes = 0;
  let received = 0;
  let seq = 0;

  const evict = () => {
    while (entries.length - head > maxLogs || bytes > maxBytes) {
      const oldest = entries[head];
      if (!oldest) break;
      bytes -= oldest.bytes;
      head += 1;
    }
    if (head > 1024 && head > entries.length / 2) {
      entries = entries.slice(head);
      head = 0;
    }
  };

  const matches = (entry: Entry, filter: LogFilter, minRank: number, text: string | undefined) => {
    const { log } = entry;
    return (
      levelRank(log.level) >= minRank &&
      (!filter.service || log.service === filter.service) &&
      (!filter.traceId || log.traceId === filter.traceId) &&
      (!filter.spanId || log.spanId === filter.spanId) &&
      (filter.fromMs === undefined || log.timeMs >= filter.fromMs) &&
      (filter.toMs === undefined || log.timeMs <= filter.toMs) &&
      (!text || entry.haystack.includes(text))
    );
  };

  return {
    add(logs) {
      received += logs.length;
      for (const log of logs) {
        seq += 1;
        const stored = { ...log, seq };
        const haystack = `${log.message} ${JSON.stringify(log.attributes)}`.toLowerCase();
        const size = JSON.stringify(stored).length + haystack.length;
        entries.push({ log: stored, bytes: size, haystack });
        bytes += size;
      }
      evict();
    },
    list(filter = {}) {
      const minRank = filter.level ? levelRank(filter.level) : 0;
      const text = filter.text?.toLowerCase() || undefined;
      const limit = filter.limit ?? 200;
      const found: StoredLog[] = [];
      let matched = 0;
      for (let i = entries.length - 1; i >= head; i -= 1) {
        const entry = entries[i] as Entry;
        if (!matches(entry, filter, minRank, text)) continue;
        matched += 1;
        if (found.length < limit) found.push(entry.log);
      }
      return { logs: found, matched };
    },
    stats() {
      const services = new Set<string>();
      for (let i = head; i < entries.length; i += 1) services.add((entries[i] as Entry).log.service);
      return {
        logs: entries.length - head,
        bytes,
        received,
        services: [...services].sort(),
        limits: { logs: maxLogs, bytes: maxBytes },
      };
    },
  };
}
