import { type Context, createContextKey, type Span } from '@opentelemetry/api';

/** Where the API keeps a context's span (`trace.setSpan`); a global symbol, the same in every copy of the API. */
const SPAN_KEY = createContextKey('OpenTelemetry Context Key SPAN');

/** A context over a parent, answering some keys itself; a value set on it makes one more. */
abstract class LayeredContext implements Context {
  abstract getValue(key: symbol): unknown;

  setValue(key: symbol, value: unknown): Context {
    return new ValueContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new ValueContext(this, key, undefined);
  }
}

/**
 * The context one procedure call runs in: its span and its stats scope, over the context it
 * started in. The same values `trace.setSpan(parent, span).setValue(key, scope)` would hold,
 * in one small object: the API's own context copies its parent's whole map, with three new
 * closures, at every value set, and a call sets its span on every request.
 */
export class CallContext extends LayeredContext {
  constructor(
    private readonly parent: Context,
    private readonly span: Span,
    private readonly statsKey: symbol,
    private readonly stats: unknown,
  ) {
    super();
  }

  getValue(key: symbol): unknown {
    if (key === SPAN_KEY) return this.span;
    if (key === this.statsKey) return this.stats;
    return this.parent.getValue(key);
  }
}

/** A context with one value set (or deleted: set to undefined) over its parent. */
class ValueContext extends LayeredContext {
  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    private readonly value: unknown,
  ) {
    super();
  }

  getValue(key: symbol): unknown {
    return key === this.key ? this.value : this.parent.getValue(key);
  }
}
