import { z } from 'zod';

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

/** Why a service's procedures could not be read: it is not answering, or it refused. */
export class ProceduresUnavailable extends Error {
  override readonly name = 'ProceduresUnavailable';
}

/** A service's procedures, kinds and input schemas, from the kit's `GET /procedures`. */
export async function fetchProcedures(url: string, token: string): Promise<ProcedureEntry[]> {
  let response: Response;
  try {
    response = await fetch(`${url}/procedures`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    throw new ProceduresUnavailable(`not answering at ${url} (is the mesh up? \`npm start\`)`);
  }
  if (response.status === 401) {
    throw new ProceduresUnavailable(
      `refused the token (401): is it this run's? MESH_SERVICE_TOKEN or .mesh/token from \`mesh up\``,
    );
  }
  if (!response.ok) throw new ProceduresUnavailable(`answered ${response.status} at ${url}/procedures`);
  return listing.parse(await response.json()).procedures;
}
