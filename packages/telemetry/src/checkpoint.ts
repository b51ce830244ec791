import { type Span, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

function spanStartMs(span: Span): number | undefined {
  const start = (span as Partial<ReadableSpan>).startTime;
  return start ? hrTimeToMilliseconds(start) : undefined;
}

/**
 * Marks a point in the active span's work: an event named `name` with the milliseconds
 * elapsed since the span began (attribute `elapsed_ms`). Returns that figure, or
 * undefined when no span is recording.
 */
export function checkpoint(
  name: string,
  attributes: Record<string, string | number | boolean> = {},
): number | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const startMs = spanStartMs(span);
  const elapsed = startMs === undefined ? 0 : performance.timeOrigin + performance.now() - startMs;
  const elapsedMs = Math.round(elapsed * 1000) / 1000;
  span.addEvent(name, { ...attributes, elapsed_ms: elapsedMs });
  return elapsedMs;
}
