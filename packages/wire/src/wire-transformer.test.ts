import { describe, expect, it } from 'vitest';
import { TraceKept } from './trace-keep.js';
import { TracedInput } from './traced-input.js';
import { inputSizeOf, meshTransformer, traceCarrierOf } from './wire-transformer.js';

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** What a JSON hop does to a value: the other end sees only its JSON. */
const overTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('meshTransformer', () => {
  it('carries a traced input and its trace context across, keeping BigInt and Date', () => {
    const input = { ids: [1n, 2n], at: new Date(0) };
    const wire = overTheWire(meshTransformer.input.serialize(new TracedInput(input, { traceparent })));
    const arrived = meshTransformer.input.deserialize(wire);
    expect(arrived).toEqual(input);
    expect(traceCarrierOf(arrived)).toEqual({ traceparent });
  });

  it('gives an input without a trace no carrier, and ignores a trace that is not one', () => {
    const plain = meshTransformer.input.deserialize(overTheWire(meshTransformer.input.serialize({ n: 1 })));
    expect(traceCarrierOf(plain)).toBeUndefined();
    const forged = meshTransformer.input.deserialize({ json: { n: 1 }, trace: { traceparent: 7 } });
    expect(traceCarrierOf(forged)).toBeUndefined();
  });

  it('records the bytes of the JSON an input arrived as', () => {
    const wire = overTheWire(meshTransformer.input.serialize({ name: 'abc' }));
    expect(inputSizeOf(meshTransformer.input.deserialize(wire))).toBe(JSON.stringify({ name: 'abc' }).length);
  });

  it('sizes a primitive input by its JSON and knows nothing of an input that never travelled', () => {
    expect(inputSizeOf(undefined)).toBe(0);
    expect(inputSizeOf('ab')).toBe(4);
    expect(inputSizeOf({ local: true })).toBeUndefined();
  });

  it('carries a callee’s keep word beside an output, and leaves other outputs as they are', () => {
    const wire = overTheWire(meshTransformer.output.serialize(new TraceKept({ at: new Date(0), n: 1n })));
    expect(wire).toMatchObject({ keep: true });
    const arrived = meshTransformer.output.deserialize(wire);
    expect(arrived).toBeInstanceOf(TraceKept);
    expect((arrived as TraceKept).value).toEqual({ at: new Date(0), n: 1n });
    const plain = meshTransformer.output.deserialize(overTheWire(meshTransformer.output.serialize(null)));
    expect(plain).toBeNull();
  });
});
