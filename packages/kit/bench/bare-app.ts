import Fastify, { type FastifyInstance } from 'fastify';

interface PingQuery {
  n: number;
}

/**
 * The baseline: a plain Fastify route doing the procedure's work (validate `n`, answer
 * `n + 1` as JSON) with nothing of the mesh around it.
 */
export function buildBareApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get<{ Querystring: PingQuery }>(
    '/ping',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { n: { type: 'number' } },
          required: ['n'],
        },
      },
    },
    async (request) => ({ n: request.query.n + 1 }),
  );
  return app;
}
