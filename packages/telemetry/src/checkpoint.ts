import { type Span, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * The event's elapsed time by the SDK's own clock. The SDK times a span's events and end
 * from a monotonic clock anchored at its start; `timeOrigin + now()` drifts from that by
 * up to a millisecond, enough to put a late checkpoint after the span's end. So the event
 * is added first and its recorded time read back.
 */
function stampFromEvent(span: Span): number | undefined {
  const readable = span as Partial<ReadableSpan>;
  const event = readable.events?.at(-1);
  if (!readable.startTime || !event?.attributes) return undefined;
  const elapsedMs = round(
    Math.max(0, hrTimeToMilliseconds(event.time) - hrTimeToMilliseconds(readable.startTime)),
  );
  (event.attributes as Record<string, number>).elapsed_ms = elapsedMs;
  return elapsedMs;
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
  span.addEvent(name, { ...attributes, elapsed_ms: 0 });
  return stampFromEvent(span) ?? 0;
}
