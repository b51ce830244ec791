import { Writable } from 'node:stream';
import { createLogger } from '@mesh/telemetry';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyChildLoggerFactory } from './lazy-child-logger.js';

function collectingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk).trim());
      done();
    },
  });
  const logger = createLogger({ name: 'test', level: 'info', destination: stream });
  // Counts every child, of the logger and of its children (they inherit it, with their `this`).
  let children = 0;
  const child = logger.child;
  logger.child = function (this: typeof logger, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof child;
  return { logger, lines, children: () => children };
}

const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(lazy: boolean) {
  const log = collectingLogger();
  const app = Fastify({
    loggerInstance: log.logger as FastifyBaseLogger,
    disableRequestLogging: true,
    ...(lazy && { childLoggerFactory: lazyChildLoggerFactory }),
  });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/loud', async (request) => {
    request.log.info({ detail: 1 }, 'hello');
    request.log.debug('below the level');
    request.log.child({ step: 'inner' }).warn('nested');
    return { level: request.log.level };
  });
  apps.push(app);
  await app.ready();
  // Fastify makes a few children of its own while it starts; count from here.
  const started = log.children();
  return { app, log, childrenSinceReady: () => log.children() - started };
}

describe('lazyChildLoggerFactory', () => {
  it('makes no child for a request that writes no line', async () => {
    const { app, log, childrenSinceReady } = await appWith(true);
    for (let i = 0; i < 3; i++) expect((await app.inject('/quiet')).json()).toEqual({ ok: true });
    expect(childrenSinceReady()).toBe(0);
    expect(log.lines).toEqual([]);
  });

  it('writes the same lines, with the same request id, as the child Fastify makes', async () => {
    const lazy = await appWith(true);
    const eager = await appWith(false);
    for (const { app } of [lazy, eager]) {
      await app.inject('/quiet');
      expect((await app.inject('/loud')).json()).toEqual({ level: 'info' });
    }
    expect(lazy.log.lines).toHaveLength(2);
    const withoutTime = (line: string) => ({ ...JSON.parse(line), time: undefined });
    expect(lazy.log.lines.map(withoutTime)).toEqual(eager.log.lines.map(withoutTime));
    expect(JSON.parse(lazy.log.lines[0] ?? '{}')).toMatchObject({ reqId: 'req-2', detail: 1, msg: 'hello' });
    expect(JSON.parse(lazy.log.lines[1] ?? '{}')).toMatchObject({
      reqId: 'req-2',
      step: 'inner',
      msg: 'nested',
    });
    // The request that logged made its child and the nested one; the quiet one made none,
    // where Fastify's own factory makes one per request.
    expect(lazy.childrenSinceReady()).toBe(2);
    expect(eager.childrenSinceReady()).toBe(3);
  });
});
