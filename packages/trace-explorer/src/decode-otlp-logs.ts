import { z } from 'zod';
import {
  attributesOf,
  jsonAttributes,
  jsonRecords,
  jsonValue,
  jsonValueOf,
  nanos,
  parseOtlpJson,
} from './decode-otlp-json.js';
import { anyValue, decodeOtlpEnvelope, keyValue, message } from './decode-otlp-protobuf.js';
import { type OtlpLog, toStoredLog } from './otlp-log.js';
import { type ProtobufReader, wireTypes } from './protobuf-reader.js';
import type { StoredLog } from './stored-log.js';

// Field numbers from opentelemetry-proto: collector/logs/v1/logs_service.proto, logs/v1/logs.proto.
const { WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH } = wireTypes;

function logRecord(reader: ProtobufReader): OtlpLog {
  const log: OtlpLog = {
    timeNs: 0,
    observedNs: 0,
    severity: 0,
    severityText: '',
    body: null,
    attributes: {},
    traceId: '',
    spanId: '',
  };
  message(reader, (inner, field, wire) => {
    if (field === 1 && wire === WIRE_FIXED64) log.timeNs = inner.fixed64();
    else if (field === 11 && wire === WIRE_FIXED64) log.observedNs = inner.fixed64();
    else if (field === 2 && wire === WIRE_VARINT) log.severity = inner.varint();
    else if (field === 3 && wire === WIRE_LENGTH) log.severityText = inner.string();
    else if (field === 5 && wire === WIRE_LENGTH) log.body = anyValue(inner);
    else if (field === 6 && wire === WIRE_LENGTH) keyValue(inner, log.attributes);
    else if (field === 9 && wire === WIRE_LENGTH) log.traceId = inner.hex();
    else if (field === 10 && wire === WIRE_LENGTH) log.spanId = inner.hex();
    else inner.skip(wire);
  });
  return log;
}

/** Decodes an ExportLogsServiceRequest in protobuf; throws OTLP_MALFORMED on anything invalid. */
export function decodeOtlpLogsProtobuf(body: Uint8Array): StoredLog[] {
  return decodeOtlpEnvelope(body, logRecord, toStoredLog);
}

const hexId = z.string().transform((value) => value.toLowerCase());
const jsonLog = z.object({
  timeUnixNano: nanos.default(0),
  observedTimeUnixNano: nanos.default(0),
  severityNumber: z.number().int().min(0).max(24).default(0),
  severityText: z.string().default(''),
  body: jsonValue.optional(),
  attributes: jsonAttributes,
  traceId: hexId.default(''),
  spanId: hexId.default(''),
});
const jsonRequest = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource: z.object({ attributes: jsonAttributes }).default({ attributes: [] }),
        scopeLogs: z.array(z.object({ logRecords: z.array(jsonLog).default([]) })).default([]),
      }),
    )
    .default([]),
});

/** Decodes an ExportLogsServiceRequest in OTLP/JSON; throws OTLP_MALFORMED on anything invalid. */
export function decodeOtlpLogsJson(body: unknown): StoredLog[] {
  const logs: StoredLog[] = [];
  const { resourceLogs } = parseOtlpJson(jsonRequest, body);
  for (const { raw, service } of jsonRecords(resourceLogs, (r) =>
    r.scopeLogs.flatMap((scope) => scope.logRecords),
  )) {
    const log: OtlpLog = {
      timeNs: raw.timeUnixNano,
      observedNs: raw.observedTimeUnixNano,
      severity: raw.severityNumber,
      severityText: raw.severityText,
      body: jsonValueOf(raw.body),
      attributes: attributesOf(raw.attributes),
      traceId: raw.traceId,
      spanId: raw.spanId,
    };
    logs.push(toStoredLog(log, service));
  }
  return logs;
}
