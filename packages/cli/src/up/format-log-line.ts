const levels: Record<number, string> = { 10: 'trace', 20: 'debug', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Already said by the line's prefix or its level word, or kept for the explorer (the span). */
const said = new Set([
  'level',
  'time',
  'msg',
  'service',
  'name',
  'pid',
  'hostname',
  'span_id',
  'trace_id',
  'err',
]);

const bare = /^[\w.:/@+-]+$/;
const valueText = (value: unknown) =>
  typeof value === 'string' && bare.test(value) ? value : JSON.stringify(value);

interface PinoLine {
  level: number;
  msg?: unknown;
  trace_id?: unknown;
  err?: { type?: unknown; message?: unknown; stack?: unknown };
  [key: string]: unknown;
}

function parsePino(line: string): PinoLine | undefined {
  if (!line.startsWith('{"level":')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as PinoLine).level === 'number'
      ? (parsed as PinoLine)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A service's pino JSON line as a person reads it in `mesh up`'s terminal: the level word (not
 * for info), the message, the other fields as `key=value`, the trace id to open in the explorer,
 * and an error's stack on lines of its own. Any other line comes back as it is.
 */
export function formatLogLine(line: string): string[] {
  const log = parsePino(line);
  if (!log) return [line];
  const fields = Object.entries(log)
    .filter(([key, value]) => !said.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${valueText(value)}`);
  const level = levels[log.level];
  const error = log.err && `err=${valueText(`${log.err.type ?? 'Error'}: ${log.err.message ?? ''}`)}`;
  const trace = typeof log.trace_id === 'string' ? `trace=${log.trace_id}` : undefined;
  const head = [level?.toUpperCase(), String(log.msg ?? ''), ...fields, error, trace].filter(Boolean);
  const stack = typeof log.err?.stack === 'string' ? log.err.stack.split('\n').slice(1) : [];
  return [head.join(' '), ...stack.map((frame) => `  ${frame.trim()}`)];
}
