import { TRACE_KEEP_ATTRIBUTE } from '@mesh/wire';
import { ROOT_CONTEXT, type Span, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { createSampler } from './create-sampler.js';
import { createKeepRuleProcessor, isKeptByRule, TRACE_KEPT_BY_ATTRIBUTE } from './keep-rule-processor.js';

const exporter = new InMemorySpanExporter();
afterEach(() => exporter.reset());

/** A process whose head sampler keeps `ratio` of new traces, with the keep rule behind it. */
function process(ratio: number) {
  const provider = new TracerProvider({
    sampler: createSampler({ sampler: 'parentbased_traceidratio', ratio, keepRule: true }),
    spanProcessors: [
      createKeepRuleProcessor({
        processors: [new SimpleSpanProcessor({ exporter })],
        slowMs: 500,
        keepErrors: true,
      }),
    ],
  });
  const tracer = provider.getTracer('test');
  return {
    root: (name: string, options: { startTime?: number } = {}) =>
      tracer.startSpan(name, options, ROOT_CONTEXT),
    child: (parent: Span, name: string) => tracer.startSpan(name, {}, trace.setSpan(ROOT_CONTEXT, parent)),
    /** A span under a caller in another process, which sent `traceparent` with `sampled`. */
    underRemote: (name: string, sampled: boolean) =>
      tracer.startSpan(
        name,
        {},
        trace.setSpanContext(ROOT_CONTEXT, {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        }),
      ),
  };
}

const exported = () => exporter.getFinishedSpans();
const names = () => exported().map((span) => span.name);

describe('the keep rule', () => {
  it('exports nothing of an unsampled trace that ends well and quickly', () => {
    const { root, child } = process(0);
    const request = root('request');
    expect(request.isRecording()).toBe(true);
    child(request, 'query').end();
    request.end();
    expect(request.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    expect(exported()).toEqual([]);
  });

  it('exports a dropped trace whole, sampled, when one of its spans ends in error', () => {
    const { root, child } = process(0);
    const request = root('request');
    const query = child(request, 'query');
    query.setStatus({ code: SpanStatusCode.ERROR });
    query.end();
    expect(exported()).toEqual([]); // held until the local root ends
    request.end();
    expect(names()).toEqual(['query', 'request']);
    expect(exported().every((span) => span.spanContext().traceFlags === TraceFlags.SAMPLED)).toBe(true);
    expect(exported()[1]?.attributes[TRACE_KEPT_BY_ATTRIBUTE]).toBe('error');
    expect(exported()[0]?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  });

  it('exports a dropped trace whose local root ran past the threshold', () => {
    const { root, child } = process(0);
    const request = root('request', { startTime: Date.now() - 600 });
    child(request, 'query').end();
    request.end();
    expect(names()).toEqual(['query', 'request']);
    expect(exported()[1]?.attributes[TRACE_KEPT_BY_ATTRIBUTE]).toBe('slow');
  });

  it('exports a dropped trace a callee said to keep, through the span the call was made from', () => {
    const { root, child } = process(0);
    const request = root('request');
    const call = child(request, 'call user-cache');
    call.setAttribute(TRACE_KEEP_ATTRIBUTE, true);
    call.end();
    request.end();
    expect(names()).toEqual(['call user-cache', 'request']);
    expect(exported()[1]?.attributes[TRACE_KEPT_BY_ATTRIBUTE]).toBe('peer');
  });

  it('treats a span under a remote unsampled parent as a local root, and keeps it on error', () => {
    const { underRemote, child } = process(1);
    const served = underRemote('served', false);
    expect(served.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0); // the caller's decision holds
    child(served, 'work').end();
    served.setStatus({ code: SpanStatusCode.ERROR });
    served.end();
    expect(names()).toEqual(['work', 'served']);
    expect(exported()[1]?.parentSpanContext).toMatchObject({ spanId: 'b7ad6b7169203331', isRemote: true });
  });

  it('follows a sampled remote parent, exporting as it ends', () => {
    const { underRemote } = process(0);
    const served = underRemote('served', true);
    served.end();
    expect(exported()).toHaveLength(1);
    expect(exported()[0]?.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
  });

  it('passes spans of a sampled trace straight through', () => {
    const { root, child } = process(1);
    const request = root('request');
    child(request, 'query').end();
    expect(names()).toEqual(['query']);
    request.end();
    expect(names()).toEqual(['query', 'request']);
  });

  it('sends spans that end after their kept root after it, and drops those of a dropped one', () => {
    const { root, child } = process(0);
    const kept = root('kept');
    const late = child(kept, 'late');
    kept.setStatus({ code: SpanStatusCode.ERROR });
    kept.end();
    late.end();
    const dropped = root('dropped');
    const lateToo = child(dropped, 'late too');
    dropped.end();
    lateToo.setStatus({ code: SpanStatusCode.ERROR });
    lateToo.end();
    expect(names()).toEqual(['kept', 'late']);
  });

  it('decides a root without children by itself: dropped when fine and fast, kept on error or late', () => {
    const { root } = process(0);
    const fine = root('fine');
    fine.end();
    expect(isKeptByRule(fine)).toBe(false);
    const failed = root('failed');
    failed.setStatus({ code: SpanStatusCode.ERROR });
    expect(isKeptByRule(failed)).toBe(true);
    failed.end();
    const late = root('late', { startTime: Date.now() - 600 });
    late.end();
    const called = root('called');
    called.setAttribute(TRACE_KEEP_ATTRIBUTE, true);
    called.end();
    expect(names()).toEqual(['failed', 'late', 'called']);
    expect(exported().map((span) => span.attributes[TRACE_KEPT_BY_ATTRIBUTE])).toEqual([
      'error',
      'slow',
      'peer',
    ]);
    expect(exported().every((span) => span.spanContext().traceFlags === TraceFlags.SAMPLED)).toBe(true);
    expect([fine, failed, late, called].map(isKeptByRule)).toEqual([false, true, true, true]);
  });

  it('gives a span started after its childless root ended that root’s decision', () => {
    const { root, child } = process(0);
    const kept = root('kept');
    kept.setStatus({ code: SpanStatusCode.ERROR });
    kept.end();
    child(kept, 'after kept').end();
    const dropped = root('dropped');
    dropped.end();
    const afterDropped = child(dropped, 'after dropped');
    afterDropped.setStatus({ code: SpanStatusCode.ERROR });
    afterDropped.end();
    expect(names()).toEqual(['kept', 'after kept']);
  });

  it('tells a callee, before its root ends, whether its part is being kept', () => {
    const { root, child } = process(0);
    const request = root('request');
    const fine = child(request, 'fine');
    fine.end();
    expect(isKeptByRule(fine)).toBe(false);
    const failed = child(request, 'failed');
    failed.setStatus({ code: SpanStatusCode.ERROR });
    failed.end();
    expect(isKeptByRule(failed)).toBe(true);
    expect(isKeptByRule(request)).toBe(true);
    request.end();
    const late = root('late', { startTime: Date.now() - 600 });
    expect(isKeptByRule(late)).toBe(true);
    late.end();
    expect(isKeptByRule(process(1).root('sampled'))).toBe(false);
  });
});
