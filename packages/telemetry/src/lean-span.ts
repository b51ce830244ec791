import {
  type Attributes,
  type AttributeValue,
  type Context,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import {
  AddAttributeDecision,
  addHrTimes,
  cleanAttributes,
  cleanSimpleAttributes,
  hrTimeDuration,
  hrTimeToMilliseconds,
  type InstrumentationScope,
  isTimeInput,
  maybeAddAttribute,
  millisToHrTime,
  timeInputToHrTime,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { Span, SpanLimits, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';

/** The limits a lean span applies, all set (the SDK's `SpanLimits` with its defaults filled in). */
export type LeanSpanLimits = Required<
  Pick<
    SpanLimits,
    | 'attributeCountLimit'
    | 'attributeValueLengthLimit'
    | 'eventCountLimit'
    | 'linkCountLimit'
    | 'attributePerEventCountLimit'
    | 'attributePerLinkCountLimit'
  >
>;

export interface LeanSpanOptions {
  name: string;
  kind: SpanKind;
  spanContext: SpanContext;
  parentSpanContext: SpanContext | undefined;
  /** The context the span starts in, for the processors' `onStart`. */
  context: Context;
  attributes: Attributes | undefined;
  links: Link[];
  resource: Resource;
  scope: InstrumentationScope;
  processors: readonly SpanProcessor[];
  limits: LeanSpanLimits;
}

const ZERO: HrTime = [0, 0];
/** The SDK's duration of a span not ended yet. */
const NOT_ENDED: HrTime = [-1, -1];
/** Every span's status until one is set (replaced, never changed in place). */
const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const EXCEPTION_EVENT = 'exception';
/** The events of a span that has none (frozen: an event is added through `addEvent`). */
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as unknown as TimedEvent[];

/**
 * A recording span that costs what it must: the SDK's span, as the spec defines it and as the
 * exporters and span processors read it (a `ReadableSpan`), without the SDK's per-value price.
 *
 * The SDK's tracer cleans a span's start attributes twice and its span checks every value set
 * with a fresh `WeakSet` (its guard against cycles in nested values) even for a number or a
 * string; on a call whose whole work is a few microseconds, that is most of the span. Here a
 * string, number or boolean is checked by its type and stored (a string cut to the value length
 * limit), and anything else goes through the SDK's own `maybeAddAttribute`, so what is kept,
 * dropped and counted is the SDK's rule. Times are kept as one wall-clock millisecond at the
 * start and monotonic milliseconds after, as the SDK's span does, and turned into `HrTime`s
 * only when read (by an exporter or the keep rule), not for every span that is then dropped.
 *
 * Strings, numbers and booleans set are queued as they come and stored, under the limits, when
 * `attributes` (or the dropped count) is first read: the result is the same, value by value and
 * in order, but a span the keep rule drops unread never pays for it. They are immutable, so
 * nothing the caller does after setting one can change it; anything else (an array) is checked
 * and copied when set, as before, the queue stored ahead of it. So the limits' warning
 * ("Dropping extra attributes.") comes when the attributes are read, and not at all for a span
 * no one reads; an empty key is refused, with its warning, when set.
 */
export class LeanSpan implements Span {
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly links: Link[];
  name: string;
  status: SpanStatus = UNSET;
  private readonly spanContextValue: SpanContext;
  private readonly processors: readonly SpanProcessor[];
  private readonly limits: LeanSpanLimits;
  /** The attributes stored so far (see `attributes`). */
  private readonly stored: Attributes = {};
  /** Primitive attributes set and not stored yet: key, value, key, value... in the order set. */
  private readonly queued: (string | number | boolean)[] = [];
  private eventList: TimedEvent[] | undefined;
  private readonly wallStartMs = Date.now();
  private readonly monotonicStartMs = performance.now();
  private attributeCount = 0;
  private droppedAttributes = 0;
  private droppedEvents = 0;
  private droppedLinks = 0;
  /** Milliseconds from start to end (monotonic), once ended without an end time given. */
  private lastedMs: number | undefined;
  private startTimeValue: HrTime | undefined;
  private endTimeValue: HrTime | undefined;
  private isEnded = false;

  constructor(options: LeanSpanOptions) {
    this.name = options.name;
    this.kind = options.kind;
    this.spanContextValue = options.spanContext;
    this.parentSpanContext = options.parentSpanContext;
    this.resource = options.resource;
    this.instrumentationScope = options.scope;
    this.processors = options.processors;
    this.limits = options.limits;
    const { linkCountLimit } = options.limits;
    if (options.links.length > linkCountLimit) {
      this.links = options.links.slice(options.links.length - linkCountLimit);
      this.droppedLinks = options.links.length - linkCountLimit;
    } else {
      this.links = options.links;
    }
    if (options.attributes) this.addStartAttributes(options.attributes);
    for (const processor of this.processors) processor.onStart(this, options.context);
  }

  spanContext(): SpanContext {
    return this.spanContextValue;
  }

  /** What the exporters read: every attribute set, stored under the limits (see the class). */
  get attributes(): Attributes {
    this.storeQueued();
    return this.stored;
  }

  get events(): TimedEvent[] {
    return this.eventList ?? NO_EVENTS;
  }

  /**
   * The value `attributes[key]` has, without storing the queue when it can be read off it:
   * the last value queued for the key, else the stored one. What the keep rule probes every
   * span it may drop with.
   */
  attribute(key: string): AttributeValue | undefined {
    const { queued } = this;
    // Past the count limit, which queued values are kept is the limit's to say.
    if (this.attributeCount + queued.length / 2 > this.limits.attributeCountLimit) {
      return this.attributes[key];
    }
    for (let at = queued.length - 2; at >= 0; at -= 2) {
      if (queued[at] === key) return this.cut(queued[at + 1] as string | number | boolean);
    }
    return this.stored[key];
  }

  /** Milliseconds since the start (monotonic), or from start to end once ended without an end time. */
  elapsedMs(): number {
    if (this.lastedMs !== undefined) return this.lastedMs;
    if (this.endTimeValue) return hrTimeToMilliseconds(hrTimeDuration(this.startTime, this.endTimeValue));
    return performance.now() - this.monotonicStartMs;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (this.endedWarning()) return this;
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
        this.queuePrimitive(key, value);
        return this;
      default:
        this.addAny(key, value);
        return this;
    }
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key]);
    }
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (this.endedWarning()) return this;
    const { eventCountLimit, attributePerEventCountLimit, attributeValueLengthLimit } = this.limits;
    if (eventCountLimit === 0) {
      this.droppedEvents++;
      return this;
    }
    this.eventList ??= [];
    if (this.eventList.length >= eventCountLimit) {
      this.eventList.shift();
      this.droppedEvents++;
    }
    let attributes: Attributes | undefined;
    let time = startTime;
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(startTime)) time = attributesOrStartTime;
    } else {
      attributes = attributesOrStartTime;
    }
    this.eventList.push({
      name,
      time: time === undefined ? this.nowHrTime() : timeInputToHrTime(time),
      ...cleanSimpleAttributes(attributes, {
        attributeCountLimit: attributePerEventCountLimit,
        attributeValueLengthLimit,
      }),
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.endedWarning()) return this;
    const { linkCountLimit, attributePerLinkCountLimit, attributeValueLengthLimit } = this.limits;
    if (linkCountLimit === 0) {
      this.droppedLinks++;
      return this;
    }
    if (this.links.length >= linkCountLimit) {
      this.links.shift();
      this.droppedLinks++;
    }
    this.links.push({
      context: link.context,
      ...cleanAttributes(link.attributes, {
        attributeCountLimit: attributePerLinkCountLimit,
        attributeValueLengthLimit,
      }),
    });
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  /** The spec's rule: UNSET changes nothing, OK is final, a message only with ERROR. */
  setStatus(status: SpanStatus): this {
    if (this.endedWarning()) return this;
    if (status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.endedWarning()) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.isEnded) {
      diag.error(
        `${this.name} ${this.spanContextValue.traceId}-${this.spanContextValue.spanId} - You can only call end() on a span once.`,
      );
      return;
    }
    if (endTime === undefined) {
      this.lastedMs = performance.now() - this.monotonicStartMs;
    } else {
      const end = timeInputToHrTime(endTime);
      this.endTimeValue = hrTimeDuration(this.startTime, end)[0] < 0 ? this.startTime : end;
    }
    for (const processor of this.processors) processor.onEnding?.(this);
    this.isEnded = true;
    for (const processor of this.processors) processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.isEnded;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent(EXCEPTION_EVENT, attributes, time);
    } else {
      diag.warn(`Failed to record an exception ${exception}`);
    }
  }

  get startTime(): HrTime {
    this.startTimeValue ??= millisToHrTime(this.wallStartMs);
    return this.startTimeValue;
  }

  get endTime(): HrTime {
    if (this.endTimeValue) return this.endTimeValue;
    if (this.lastedMs === undefined) return ZERO;
    this.endTimeValue = addHrTimes(this.startTime, millisToHrTime(this.lastedMs));
    return this.endTimeValue;
  }

  get duration(): HrTime {
    if (!this.isEnded) return NOT_ENDED;
    if (this.lastedMs !== undefined) return millisToHrTime(this.lastedMs);
    return hrTimeDuration(this.startTime, this.endTime);
  }

  get ended(): boolean {
    return this.isEnded;
  }

  get droppedAttributesCount(): number {
    this.storeQueued();
    return this.droppedAttributes;
  }

  get droppedEventsCount(): number {
    return this.droppedEvents;
  }

  get droppedLinksCount(): number {
    return this.droppedLinks;
  }

  /**
   * The attributes given at the start, as the SDK's tracer cleans them: an undefined value is
   * skipped, an empty key or an invalid value is dropped and counted (set later, neither is
   * counted, as in the SDK's span).
   */
  private addStartAttributes(attributes: Attributes): void {
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value === undefined) continue;
      if (key.length === 0) {
        diag.warn(`Invalid attribute key: ${key}`);
        this.droppedAttributes++;
        continue;
      }
      const type = typeof value;
      if (type === 'string' || type === 'number' || type === 'boolean') {
        this.queued.push(key, value as string | number | boolean);
      } else if (this.addAny(key, value) === AddAttributeDecision.DROP_INVALID) {
        this.droppedAttributes++;
      }
    }
  }

  /** A string, number or boolean set: valid by its type, so only the key to check now. */
  private queuePrimitive(key: string, value: string | number | boolean): void {
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return;
    }
    this.queued.push(key, value);
  }

  /** The queue stored, in the order set: each value under the count and length limits (none queued: nothing). */
  private storeQueued(): void {
    const { queued } = this;
    for (let at = 0; at < queued.length; at += 2) {
      this.storePrimitive(queued[at] as string, queued[at + 1] as string | number | boolean);
    }
    queued.length = 0;
  }

  private storePrimitive(key: string, value: string | number | boolean): void {
    const isNew = !Object.hasOwn(this.stored, key);
    if (isNew && this.attributeCount >= this.limits.attributeCountLimit) {
      this.dropAttribute();
      return;
    }
    (this.stored as Record<string, AttributeValue>)[key] = this.cut(value);
    if (isNew) this.attributeCount++;
  }

  /** A string cut to the value length limit; anything else as it is. */
  private cut(value: string | number | boolean): string | number | boolean {
    const limit = this.limits.attributeValueLengthLimit;
    return typeof value === 'string' && limit > 0 && value.length > limit ? value.slice(0, limit) : value;
  }

  /** Any other value (arrays, nested values, undefined): the SDK's own check and copy, after the queue. */
  private addAny(key: string, value: AttributeValue | undefined): AddAttributeDecision {
    this.storeQueued();
    const decision = maybeAddAttribute({
      key,
      value,
      attributes: this.stored,
      limits: this.limits,
      currentAttributesCount: this.attributeCount,
    });
    if (decision === AddAttributeDecision.DROP_LIMIT_REACHED) this.dropAttribute();
    else if (decision === AddAttributeDecision.ADD_NEW) this.attributeCount++;
    return decision;
  }

  private dropAttribute(): void {
    this.droppedAttributes++;
    if (this.droppedAttributes === 1) diag.warn('Dropping extra attributes.');
  }

  /** Now, as the span counts time: its wall-clock start plus the monotonic time since. */
  private nowHrTime(): HrTime {
    return addHrTimes(this.startTime, millisToHrTime(performance.now() - this.monotonicStartMs));
  }

  /** Whether the span has ended, warning as the SDK does when something is set on it after. */
  private endedWarning(): boolean {
    if (this.isEnded) {
      const { traceId, spanId } = this.spanContextValue;
      diag.warn(`Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`);
    }
    return this.isEnded;
  }
}
