import { TracedInput } from '@mesh/wire';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { type OperationLink, TRPCClientError } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { callerContextOf, traceOf } from './trace-context-link.js';

const tracer = trace.getTracer('@mesh/client');

function errorCode(error: unknown): string {
  const code =
    error instanceof TRPCClientError ? (error.data as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : 'CLIENT_ERROR';
}

function finish(span: Span, code: string): void {
  span.setAttribute('mesh.result_code', code);
  if (code !== 'OK') span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  span.end();
}

/**
 * A call over a pooled websocket, in a client span of its own: what undici's instrumentation
 * gives an HTTP call, which a websocket frame never gets. The span hangs under the caller's
 * trace (the context `traceContextLink` captured at call time), and the call carries the
 * span's own context beside its input, so the service's span is its child.
 */
export function socketCallSpan<TRouter extends AnyRouter>(
  link: OperationLink<TRouter>,
  socketUrl: string,
): OperationLink<TRouter> {
  const { hostname, port } = new URL(socketUrl);
  return ({ op, next }) =>
    observable((observer) => {
      const parent = callerContextOf(op.context) ?? propagation.extract(ROOT_CONTEXT, traceOf(op.context));
      const span = tracer.startSpan(
        `${op.type} ${op.path}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'rpc.system': 'trpc',
            'rpc.method': op.path,
            'server.address': hostname,
            ...(port ? { 'server.port': Number(port) } : {}),
            'network.protocol.name': 'websocket',
          },
        },
        parent,
      );
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(parent, span), carrier);
      const traced = carrier.traceparent ? new TracedInput(op.input, carrier) : op.input;
      let ended = false;
      const end = (code: string) => {
        if (ended) return;
        ended = true;
        finish(span, code);
      };
      const subscription = context
        .with(trace.setSpan(parent, span), () => link({ op: { ...op, input: traced }, next }))
        .subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            end(errorCode(error));
            observer.error(error);
          },
          complete: () => {
            end('OK');
            observer.complete();
          },
        });
      return () => {
        // Unsubscribed before an answer: the timeout link cancelled it.
        end('CANCELLED');
        subscription.unsubscribe();
      };
    });
}
