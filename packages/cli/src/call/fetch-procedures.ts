import { z } from 'zod';
import { type CliError, cliErrors, isCliError } from '../errors.js';

const listing = z.object({
  service: z.string(),
  procedures: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['query', 'mutation', 'subscription']),
      input: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});

export type ProcedureEntry = z.infer<typeof listing>['procedures'][number];

/** Why a service's procedures could not be read: it is not answering, it refused, or it is no mesh service. */
export function isProceduresError(error: unknown): error is CliError {
  return isCliError(error, 'PROCEDURES_UNAVAILABLE') || isCliError(error, 'NOT_A_MESH_SERVICE');
}

/**
 * A service's procedures, kinds and input schemas, from the kit's `GET /procedures`. Fails
 * with PROCEDURES_UNAVAILABLE, or NOT_A_MESH_SERVICE when something else answers on its port.
 */
export async function fetchProcedures(url: string, token: string): Promise<ProcedureEntry[]> {
  const unavailable = (message: string, cause?: unknown) =>
    cliErrors.create('PROCEDURES_UNAVAILABLE', { message, cause });
  let response: Response;
  try {
    response = await fetch(`${url}/procedures`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw unavailable(`not answering at ${url} (is the mesh up? \`npm start\`)`, error);
  }
  if (response.status === 401) {
    throw unavailable(
      `refused the token (401): is it this run's? MESH_SERVICE_TOKEN or .mesh/token from \`mesh up\``,
    );
  }
  if (!response.ok) throw unavailable(`answered ${response.status} at ${url}/procedures`);
  const parsed = listing.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw cliErrors.create('NOT_A_MESH_SERVICE', {
      message: `answered ${url}/procedures with something that is not a mesh procedure listing (is another server on its port?)`,
      cause: parsed.error,
    });
  }
  return parsed.data.procedures;
}
