import type { FastifyInstance } from 'fastify';

/**
 * Graceful-shutdown help Fastify lacks: once closing starts, every response tells its
 * client `Connection: close`, so a keep-alive socket that was busy when `close()` began
 * ends with its last response instead of holding the server open until its keep-alive
 * timeout. Returns whether closing has started, for the front door, which answers outside
 * Fastify's hooks and says the same.
 */
export function registerDrainOnClose(app: FastifyInstance): () => boolean {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  return () => closing;
}
