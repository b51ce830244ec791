import type { AnyRouter } from '@trpc/server';
import type { FastifyInstance } from 'fastify';
import { describeProcedures, type ProcedureDescription } from './describe-procedures.js';
import { bearerToken } from './verify-token.js';

/** Where a service lists its procedures (`mesh call --list`); beside /healthz, outside tRPC's prefix. */
export const PROCEDURES_PATH = '/procedures';

export interface ProceduresRouteOptions {
  name: string;
  router: AnyRouter;
  /** The service token check: the list is part of the internal surface, so it asks for the token too. */
  verify(presented: string | undefined): boolean;
}

export interface ProceduresListing {
  service: string;
  procedures: ProcedureDescription[];
}

/**
 * `GET /procedures`: every procedure with its kind and input schema, described once from the
 * router's own zod inputs, so a client (the CLI) need not import a service's code to call it.
 */
export function registerProceduresRoute(
  app: FastifyInstance,
  { name, router, verify }: ProceduresRouteOptions,
) {
  let listing: ProceduresListing | undefined;
  app.get(PROCEDURES_PATH, async (request, reply) => {
    if (!verify(bearerToken(request.headers.authorization))) {
      return reply
        .code(401)
        .send({ error: { code: 'UNAUTHORIZED', message: 'Missing or invalid service token' } });
    }
    listing ??= { service: name, procedures: describeProcedures(router) };
    return listing;
  });
}
