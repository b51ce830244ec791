import { spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { buildTraceExplorer, type TraceExplorer } from '@mesh/trace-explorer';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerSpanExporter } from './worker-span-exporter.js';

/** Ended spans of one trace: a root named `name` and two children, each with an attribute. */
function spansOf(name: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  const tracer = provider.getTracer('test');
  const root = tracer.startSpan(name, { attributes: { 'mesh.procedure': name } }, ROOT_CONTEXT);
  const context = trace.setSpan(ROOT_CONTEXT, root);
  for (const child of ['first', 'second'])
    tracer.startSpan(child, { attributes: { step: child } }, context).end();
  root.end();
  return memory.getFinishedSpans();
}

const exportOnce = (exporter: WorkerSpanExporter, spans: ReadableSpan[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

/** An OTLP receiver that answers each request with the next status of `statuses` (then 200). */
async function scriptedReceiver(statuses: number[], delayMs = 0) {
  const bodies: Buffer[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      const status = statuses.shift() ?? 200;
      setTimeout(
        () => response.writeHead(status, { 'content-type': 'application/x-protobuf' }).end(),
        delayMs,
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, bodies, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces` };
}

const closing: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const each of closing.splice(0).reverse()) await each.close();
});

function closeServer(server: Server) {
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}

function exporterFor(
  url: string,
  options: { protocol?: 'http/protobuf' | 'http/json'; timeoutMillis?: number } = {},
) {
  const exporter = new WorkerSpanExporter({ url, protocol: options.protocol ?? 'http/protobuf', ...options });
  closing.push({ close: () => exporter.shutdown() });
  return exporter;
}

describe('WorkerSpanExporter', () => {
  it.each(['http/protobuf', 'http/json'] as const)(
    'delivers a batch to the trace explorer in %s, with no HTTP request from this thread',
    async (protocol) => {
      const explorer: TraceExplorer = await buildTraceExplorer();
      closing.push(explorer);
      const base = await explorer.listen(0, '127.0.0.1');
      const requestsHere: unknown[] = [];
      const onRequest = (message: unknown) => requestsHere.push(message);
      diagnostics.subscribe('http.client.request.start', onRequest);
      try {
        const spans = spansOf(`checkout.${protocol}`);
        const result = await exportOnce(exporterFor(`${base}/v1/traces`, { protocol }), spans);
        expect(result).toEqual({ code: ExportResultCode.SUCCESS });
        const stored = explorer.store.get(spans[0]?.spanContext().traceId ?? '') ?? [];
        expect(stored.map((span) => span.name).sort()).toEqual([`checkout.${protocol}`, 'first', 'second']);
        expect(stored.find((span) => span.name === 'second')?.attributes.step).toBe('second');
        expect(requestsHere).toEqual([]);
      } finally {
        diagnostics.unsubscribe('http.client.request.start', onRequest);
      }
    },
  );

  it('retries a receiver answering 503 and sends the same bytes again', async () => {
    const receiver = await scriptedReceiver([503]);
    closing.push(closeServer(receiver.server));
    const spans = spansOf('retried');
    const result = await exportOnce(exporterFor(receiver.url), spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.bodies).toHaveLength(2);
    const written = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? []);
    expect(receiver.bodies.map((body) => body.equals(written))).toEqual([true, true]);
  });

  it('fails a batch the receiver rejects, without retrying a 400', async () => {
    const receiver = await scriptedReceiver([400]);
    closing.push(closeServer(receiver.server));
    const result = await exportOnce(exporterFor(receiver.url), spansOf('rejected'));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(Error);
    expect(receiver.bodies).toHaveLength(1);
  });

  it('fails a batch while the receiver is down, and delivers the next once it is back', async () => {
    const receiver = await scriptedReceiver([]);
    const port = (receiver.server.address() as AddressInfo).port;
    await new Promise((resolve) => receiver.server.close(resolve));
    const exporter = exporterFor(receiver.url, { timeoutMillis: 1_000 });
    const whileDown = await exportOnce(exporter, spansOf('lost'));
    expect(whileDown.code).toBe(ExportResultCode.FAILED);
    const back = createServer((request, response) => {
      request.resume().on('end', () => response.writeHead(200).end());
    });
    back.listen(port, '127.0.0.1');
    await once(back, 'listening');
    closing.push(closeServer(back));
    expect((await exportOnce(exporter, spansOf('after'))).code).toBe(ExportResultCode.SUCCESS);
  });

  it('fails what a dead worker held, and starts another for the next batch', async () => {
    const receiver = await scriptedReceiver([], 1_000);
    closing.push(closeServer(receiver.server));
    const exporter = exporterFor(receiver.url);
    const held = exportOnce(exporter, spansOf('held'));
    await once(receiver.server, 'request');
    // The worker thread dies with the batch in flight (as on an out-of-memory in the worker).
    await (exporter as unknown as { worker: Worker }).worker.terminate();
    expect((await held).code).toBe(ExportResultCode.FAILED);
    expect((await exportOnce(exporter, spansOf('next'))).code).toBe(ExportResultCode.SUCCESS);
  });

  it('shuts down only after the batches in flight are answered', async () => {
    const receiver = await scriptedReceiver([], 300);
    closing.push(closeServer(receiver.server));
    const exporter = exporterFor(receiver.url);
    const results: ExportResult[] = [];
    exporter.export(spansOf('in flight'), (result) => results.push(result));
    await exporter.shutdown();
    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect((await exportOnce(exporter, spansOf('too late'))).code).toBe(ExportResultCode.FAILED);
  });

  it('holds its process open only while a batch is in flight', async () => {
    const receiver = await scriptedReceiver([]);
    closing.push(closeServer(receiver.server));
    // A process that exports one batch and then has nothing left to do, never shutting down:
    // it waits for the answer, and then exits.
    const script = `
      import { WorkerSpanExporter } from ${JSON.stringify(fileURLToPath(new URL('./worker-span-exporter.ts', import.meta.url)))};
      const exporter = new WorkerSpanExporter({ url: ${JSON.stringify(receiver.url)}, protocol: 'http/json' });
      exporter.export([], (result) => console.log(JSON.stringify(result)));
    `;
    const dir = await mkdtemp(join(tmpdir(), 'mesh-export-'));
    closing.push({ close: () => rm(dir, { recursive: true, force: true }) });
    await writeFile(join(dir, 'export-once.mjs'), script);
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'export-once.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(JSON.parse(output).code).toBe(ExportResultCode.SUCCESS);
  });
});
