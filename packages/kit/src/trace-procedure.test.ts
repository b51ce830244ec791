import { createServiceClient } from '@mesh/client';
import { createLogger, recordStat, startTelemetry, type Telemetry } from '@mesh/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createService, type MeshService } from './create-service.js';
import { readKitEnv } from './env.js';
import { procedure, router } from './trpc.js';

const TOKEN = 'test-token-0123456789abcdef';

function tracedRouter() {
  return router({
    echo: procedure.input(z.object({ text: z.string() })).query(({ input }) => input.text),
    feed: procedure.input(z.object({ count: z.number().int().max(5) })).subscription(async function* ({
      input,
    }) {
      for (let message = 1; message <= input.count; message++) {
        recordStat('dbQueries', message);
        yield message;
      }
    }),
  });
}

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let service: MeshService<ReturnType<typeof tracedRouter>>;
let url: string;

beforeAll(async () => {
  telemetry = startTelemetry({
    serviceName: 'kit-trace-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  service = await createService({
    name: 'kit-trace',
    router: tracedRouter(),
    env: readKitEnv({ MESH_SERVICE_TOKEN: TOKEN }),
    logger: createLogger({ name: 'kit-trace', level: 'silent' }),
  });
  url = await service.listen(0);
});
afterAll(async () => {
  await service?.close();
  await telemetry?.shutdown();
});

function spansNamed(name: string) {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}

describe('procedure spans', () => {
  for (const transport of ['http', 'websocket'] as const) {
    it(`carry the input's size in bytes over ${transport}`, async () => {
      exporter.reset();
      const { client, close } = createServiceClient<ReturnType<typeof tracedRouter>>({
        url,
        token: TOKEN,
        transport,
        retries: 0,
      });
      const text = 'x'.repeat(100);
      await client.echo.query({ text });
      await close();
      // The span processor hands spans on a tick after they end.
      await vi.waitFor(() => expect(spansNamed('kit-trace.echo')).toHaveLength(1));
      const [span] = spansNamed('kit-trace.echo');
      expect(span?.attributes['mesh.input_bytes']).toBe(JSON.stringify({ text }).length);
    });
  }

  it('give a subscription a span per message delivered, each with its own query count', async () => {
    exporter.reset();
    const { client, close } = createServiceClient<ReturnType<typeof tracedRouter>>({
      url,
      token: TOKEN,
      retries: 0,
    });
    const seen = await new Promise<number[]>((resolve, reject) => {
      const messages: number[] = [];
      client.feed.subscribe(
        { count: 3 },
        { onData: (message) => messages.push(message), onComplete: () => resolve(messages), onError: reject },
      );
    });
    await close();
    expect(seen).toEqual([1, 2, 3]);
    const [subscription] = spansNamed('kit-trace.feed');
    await vi.waitFor(() => expect(spansNamed('kit-trace.feed message').length).toBeGreaterThanOrEqual(3));
    const messages = spansNamed('kit-trace.feed message').filter(
      (span) => span.attributes['mesh.stream_done'] === false,
    );
    expect(messages.map((span) => span.attributes['db.query_count'])).toEqual([1, 2, 3]);
    for (const message of messages) {
      expect(message.parentSpanContext?.spanId).toBe(subscription?.spanContext().spanId);
      expect(message.spanContext().traceId).toBe(subscription?.spanContext().traceId);
    }
  });
});
