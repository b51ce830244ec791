import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '@mesh/telemetry';
import { TRACE_KEEP_HEADER } from '@mesh/wire';
import { parse as parseQuery } from 'fast-querystring';
import type { FastifyInstance } from 'fastify';
import type { ServiceMetrics } from '../metrics.js';
import { elapsedMs, logSlowRequest, responseTime } from '../timing-hooks.js';
import { FAST_ANSWER_HEADERS, type FastAnswer, type FastHandler, firstOfRepeats } from './fast-handler.js';

export interface FrontDoorOptions {
  /** Where the tRPC routes are mounted (`/trpc`). */
  prefix: string;
  fastHandler: FastHandler;
  /** The longest procedure part Fastify's router takes (longer gets its 414). */
  maxPathLength: number;
  metrics: ServiceMetrics;
  slowRequestMs: number;
  log: Logger;
  /** Whether the server is closing (the kit's drain-on-close): from then on Fastify serves all. */
  isClosing: () => boolean;
}

/**
 * Fastify's hooks that run per request. The front door stands in for the kit's own (timing,
 * drain, @fastify/websocket's pair); one added to the app by anyone else, after the service was
 * made, must see every request, so from then on Fastify serves them all.
 */
const REQUEST_HOOKS = new Set([
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'preSerialization',
  'onSend',
  'onResponse',
  'onError',
  'onTimeout',
  'onRequestAbort',
]);

/** Fastify's default answer to a fault, with no detail of it. */
const INTERNAL_ERROR_BODY =
  '{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}';

/**
 * The procedure part of `/trpc/<path>?<query>`, when the front door can read the URL exactly as
 * Fastify's router would: no percent-encoding to decode, no further `/`, within the router's
 * length limit. Anything else is Fastify's to route (and to refuse).
 */
function procedurePart(
  url: string,
  start: number,
  maxPathLength: number,
): { path: string; query: string } | null {
  const queryAt = url.indexOf('?', start);
  const end = queryAt === -1 ? url.length : queryAt;
  if (end === start || end - start > maxPathLength) return null;
  for (let index = start; index < end; index++) {
    const char = url.charCodeAt(index);
    // '/', '%', and the characters Fastify's router treats specially (';' is not: semicolon
    // delimiters are off).
    if (char === 47 || char === 37 || char === 35) return null;
  }
  return { path: url.slice(start, end), query: queryAt === -1 ? '' : url.slice(queryAt + 1) };
}

/**
 * Serves the fast path's GET requests (tRPC queries, single and batched) straight from the HTTP
 * server's `request` event, before Fastify builds a request and reply, routes, and runs six
 * hooks for each. The answer is the one the Fastify route gives, header for header: tRPC's
 * status and body, `vary`, `content-type`, `x-response-time`, `content-length`, and the HTTP
 * metric and slow-request warning of the kit's timing hooks, under the same route name.
 *
 * Everything else goes to Fastify untouched, as if the front door were not there: other
 * methods (a POST's body is Fastify's to read and limit), other paths, a URL the router would
 * decode or refuse, a request with a body, a request the fast path hands to the official
 * adapter, and every request once the server is closing (Fastify then answers 503 and closes
 * connections). When pages on other origins may call the service (CORS), Fastify serves every
 * request, so that the CORS plugin's hooks run; so it does once anyone adds a per-request hook
 * to the app (a test recording requests, a service's own plugin).
 */
export function installFrontDoor(app: FastifyInstance, options: FrontDoorOptions): void {
  const { server } = app;
  const [fastify, ...others] = server.listeners('request') as RequestListener[];
  // Not the server Fastify made as we know it: leave every request to Fastify.
  if (!fastify || others.length > 0) return;
  const head = `${options.prefix}/`;
  // The route Fastify's HTTP metric names these requests by: the one they would have matched.
  const route = `${options.prefix}/:path`;
  let requests = 0;
  // Fastify's instances (plugins' included, made with Object.create) share this addHook.
  let open = true;
  const addHook = app.addHook as (this: FastifyInstance, name: string, ...rest: unknown[]) => FastifyInstance;
  (app as { addHook: unknown }).addHook = function (this: FastifyInstance, name: string, ...rest: unknown[]) {
    const result = addHook.call(this, name, ...rest);
    if (REQUEST_HOOKS.has(name)) open = false;
    return result;
  };

  const write = (response: ServerResponse, answer: FastAnswer, started: bigint, request: IncomingMessage) => {
    const ms = elapsedMs(started);
    const headers: Record<string, string> = answer.keep
      ? { [TRACE_KEEP_HEADER]: '1', ...FAST_ANSWER_HEADERS }
      : { ...FAST_ANSWER_HEADERS };
    headers['x-response-time'] = responseTime(ms);
    headers['content-length'] = String(Buffer.byteLength(answer.body));
    // As the kit's drain hook does on Fastify's route: a call that was in flight when closing
    // began ends its connection, so the server does not wait out the keep-alive timeout.
    if (options.isClosing()) headers.connection = 'close';
    response.writeHead(answer.status, headers);
    response.end(answer.body, () => {
      const total = elapsedMs(started);
      options.metrics.observeHttp(route, 'GET', answer.status, total / 1000);
      options.metrics.observeTrpcHandler('fast');
      if (total >= options.slowRequestMs) {
        const log = options.log.child({ reqId: `front-${(++requests).toString(36)}` });
        logSlowRequest(log, { method: 'GET', url: request.url ?? '', ms: total, status: answer.status });
      }
    });
  };

  const serve = async (request: IncomingMessage, response: ServerResponse, url: string, started: bigint) => {
    const part = procedurePart(url, head.length, options.maxPathLength);
    if (!part) return fastify(request, response);
    const query = part.query === '' ? {} : (parseQuery(part.query) as Record<string, unknown>);
    const answer = await options.fastHandler({
      method: 'GET',
      url,
      headers: request.headers,
      path: part.path,
      batch: firstOfRepeats(query.batch),
      inputText: firstOfRepeats(query.input),
    });
    if (!answer) return fastify(request, response);
    write(response, answer, started, request);
  };

  server.removeListener('request', fastify);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '';
    if (
      !open ||
      options.isClosing() ||
      request.method !== 'GET' ||
      !url.startsWith(head) ||
      request.headers['content-length'] !== undefined ||
      request.headers['transfer-encoding'] !== undefined
    ) {
      return fastify(request, response);
    }
    const started = process.hrtime.bigint();
    serve(request, response, url, started).catch((error: unknown) => {
      // The fast path answers every procedure error itself: this is a fault of its own.
      options.log.error({ err: error, url }, 'fast path failed');
      if (response.headersSent) response.destroy();
      else write(response, { status: 500, body: INTERNAL_ERROR_BODY, keep: false }, started, request);
    });
  });
}
