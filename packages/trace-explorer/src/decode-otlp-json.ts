import { z } from 'zod';
import { ExplorerError } from './errors.js';
import { type OtlpSpan, serviceOf, toStoredSpan } from './otlp-span.js';
import { putAttribute } from './put-attribute.js';
import type { Attributes, AttributeValue, StoredSpan } from './stored-span.js';

// OTLP/JSON (protojson): 64-bit integers may come as strings or numbers, ids as hex, enums as
// integers. Unknown fields are ignored, as the OTLP spec asks of receivers.
const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
export const nanos = z
  .union([int64, z.object({ low: z.number(), high: z.number() })])
  .transform((value) =>
    typeof value === 'number' ? value : (value.high >>> 0) * 4294967296 + (value.low >>> 0),
  );

interface JsonAnyValue {
  stringValue?: string | undefined;
  boolValue?: boolean | undefined;
  intValue?: number | undefined;
  doubleValue?: number | undefined;
  arrayValue?: { values?: JsonAnyValue[] | undefined } | undefined;
  kvlistValue?: { values?: JsonKeyValue[] | undefined } | undefined;
  bytesValue?: string | undefined;
}
interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue | undefined;
}

export const jsonValue: z.ZodType<JsonAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]).optional(),
    arrayValue: z.object({ values: z.array(jsonValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(keyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValue: z.ZodType<JsonKeyValue> = z.lazy(() =>
  z.object({ key: z.string(), value: jsonValue.optional() }),
);
export const jsonAttributes = z.array(keyValue).default([]);
const attributes = jsonAttributes;
const hexId = z.string().transform((value) => value.toLowerCase());

const span = z.object({
  traceId: hexId,
  spanId: hexId,
  parentSpanId: hexId.default(''),
  name: z.string().default(''),
  kind: z.number().int().default(0),
  startTimeUnixNano: nanos,
  endTimeUnixNano: nanos,
  attributes,
  events: z.array(z.object({ timeUnixNano: nanos, name: z.string().default(''), attributes })).default([]),
  status: z
    .object({ code: z.number().int().default(0), message: z.string().default('') })
    .default({ code: 0, message: '' }),
});

const request = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes }).default({ attributes: [] }),
        scopeSpans: z.array(z.object({ spans: z.array(span).default([]) })).default([]),
      }),
    )
    .default([]),
});

export function jsonValueOf(value: JsonAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return value.intValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(jsonValueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values ?? []);
  return value.bytesValue ?? null;
}

export function attributesOf(list: JsonKeyValue[]): Attributes {
  const result: Attributes = {};
  for (const entry of list) putAttribute(result, entry.key, jsonValueOf(entry.value));
  return result;
}

/** An OTLP/JSON request checked against `schema`; OTLP_MALFORMED naming the first bad path. */
export function parseOtlpJson<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') ?? '';
  throw new ExplorerError('OTLP_MALFORMED', `invalid JSON request at ${where}`);
}

/** Each record of an OTLP/JSON request's resources and scopes, with its resource's service. */
export function* jsonRecords<TResource extends { resource: { attributes: JsonKeyValue[] } }, TRecord>(
  resources: readonly TResource[],
  recordsOf: (resource: TResource) => Iterable<TRecord>,
): Generator<{ raw: TRecord; service: string }> {
  for (const resource of resources) {
    const service = serviceOf(attributesOf(resource.resource.attributes));
    for (const raw of recordsOf(resource)) yield { raw, service };
  }
}

/** Decodes an ExportTraceServiceRequest in OTLP/JSON; throws OTLP_MALFORMED on anything invalid. */
export function decodeOtlpJson(body: unknown): StoredSpan[] {
  const spans: StoredSpan[] = [];
  const { resourceSpans } = parseOtlpJson(request, body);
  for (const { raw, service } of jsonRecords(resourceSpans, (r) =>
    r.scopeSpans.flatMap((scope) => scope.spans),
  )) {
    const decoded: OtlpSpan = {
      traceId: raw.traceId,
      spanId: raw.spanId,
      parentSpanId: raw.parentSpanId,
      name: raw.name,
      kind: raw.kind,
      startNs: raw.startTimeUnixNano,
      endNs: raw.endTimeUnixNano,
      attributes: attributesOf(raw.attributes),
      events: raw.events.map((event) => ({
        timeNs: event.timeUnixNano,
        name: event.name,
        attributes: attributesOf(event.attributes),
      })),
      statusCode: raw.status.code,
      statusMessage: raw.status.message,
    };
    spans.push(toStoredSpan(decoded, service));
  }
  return spans;
}
