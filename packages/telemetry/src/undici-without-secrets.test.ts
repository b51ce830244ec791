import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { createUndiciInstrumentation } from './undici-without-secrets.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stand-in for the Bot API: answers every method `{ ok: true }` and remembers the paths asked for. */
async function startFakeBotApi() {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ ok: true, result: { id: 123, is_bot: true } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

function traceFetches() {
  const spans = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const instrumentation = createUndiciInstrumentation();
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  cleanups.push(async () => {
    instrumentation.disable();
    await provider.shutdown();
  });
  return spans;
}

describe('createUndiciInstrumentation', () => {
  it('exports a fetch to the Bot API without the bot token in any attribute or the name', async () => {
    const api = await startFakeBotApi();
    const spans = traceFetches();

    const response = await fetch(`${api.url}/bot123:ABC/getMe?offset=5`, { method: 'POST' });
    expect(await response.json()).toMatchObject({ ok: true });

    // The token still travels to the API; only the span loses it.
    expect(api.paths).toEqual(['/bot123:ABC/getMe?offset=5']);
    const [span, ...others] = spans.getFinishedSpans();
    expect(others).toEqual([]);
    expect(span?.attributes).toMatchObject({
      'url.full': `${api.url}/bot<redacted>/getMe?offset=5`,
      'url.path': '/bot<redacted>/getMe',
      'url.query': '?offset=5',
      'http.response.status_code': 200,
    });
    expect(
      JSON.stringify({ name: span?.name, attributes: span?.attributes, events: span?.events }),
    ).not.toContain('123:ABC');
  });

  it('keeps the URL of a fetch with no secret in it as the instrumentation records it', async () => {
    const api = await startFakeBotApi();
    const spans = traceFetches();

    await (await fetch(`${api.url}/trpc/getUser?input=1`)).text();

    expect(spans.getFinishedSpans()[0]?.attributes).toMatchObject({
      'url.full': `${api.url}/trpc/getUser?input=1`,
      'url.path': '/trpc/getUser',
    });
  });
});
