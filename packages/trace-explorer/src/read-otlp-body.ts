import { gunzipSync } from 'node:zlib';
import { decodeOtlpJson } from './decode-otlp-json.js';
import { decodeOtlpLogsJson, decodeOtlpLogsProtobuf } from './decode-otlp-logs.js';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import { ExplorerError } from './errors.js';
import type { StoredLog } from './stored-log.js';
import type { StoredSpan } from './stored-span.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** Which OTLP encoding a Content-Type names; undefined for anything else. */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function inflate(body: Buffer, contentEncoding: string | undefined): Buffer {
  if (!contentEncoding || contentEncoding === 'identity') return body;
  if (contentEncoding !== 'gzip')
    throw new ExplorerError('OTLP_MALFORMED', `content-encoding ${contentEncoding}`);
  try {
    return gunzipSync(body);
  } catch {
    throw new ExplorerError('OTLP_MALFORMED', 'invalid gzip body');
  }
}

/** Decodes a whole OTLP request body, or throws OTLP_MALFORMED having stored nothing. */
export function readOtlpBody(body: Buffer, encoding: OtlpEncoding, contentEncoding?: string): StoredSpan[] {
  const raw = inflate(body, contentEncoding);
  if (encoding === 'protobuf') return decodeOtlpProtobuf(raw);
  return decodeOtlpJson(parseJson(raw));
}

/** Decodes a whole OTLP logs request body, or throws OTLP_MALFORMED having stored nothing. */
export function readOtlpLogsBody(
  body: Buffer,
  encoding: OtlpEncoding,
  contentEncoding?: string,
): StoredLog[] {
  const raw = inflate(body, contentEncoding);
  if (encoding === 'protobuf') return decodeOtlpLogsProtobuf(raw);
  return decodeOtlpLogsJson(parseJson(raw));
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ExplorerError('OTLP_MALFORMED', 'invalid JSON');
  }
}
