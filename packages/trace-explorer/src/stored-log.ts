import type { Attributes } from './stored-span.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One log record as the explorer keeps it: ids in lowercase hex, time in epoch milliseconds. */
export interface StoredLog {
  /** Arrival order, unique per explorer: the page pages and links by it. */
  seq: number;
  timeMs: number;
  service: string;
  level: LogLevel;
  /** OTLP's severity number (1-24). */
  severity: number;
  message: string;
  attributes: Attributes;
  traceId?: string;
  spanId?: string;
}

const levels: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** OTLP severity numbers come in fours: 1-4 TRACE, 5-8 DEBUG ... 21-24 FATAL; 0 (unset) is info. */
export function levelOf(severity: number, text = ''): LogLevel {
  const named = text.toLowerCase();
  if ((levels as readonly string[]).includes(named)) return named as LogLevel;
  if (severity < 1) return 'info';
  return levels[Math.min(5, Math.floor((severity - 1) / 4))] as LogLevel;
}

export const levelRank = (level: LogLevel) => levels.indexOf(level);
