import type { Writable } from 'node:stream';
import { CALL_VALUE_HELP } from './call-value.js';
import { describeInput } from './describe-input.js';
import { fetchProcedures, isProceduresError } from './fetch-procedures.js';
import type { MeshTarget } from './mesh-target.js';

export interface ListProceduresOptions {
  target: MeshTarget;
  token: string;
  /** One service only. */
  only?: string | undefined;
  stdout: Writable;
  stderr: Writable;
}

/**
 * `mesh call --list`: every procedure of every service, with its kind and its input shape,
 * read from each running service (`GET /procedures`). A service that does not answer gets
 * one line and the others are still listed; the exit code is then 1.
 */
export async function listProcedures({
  target,
  token,
  only,
  stdout,
  stderr,
}: ListProceduresOptions): Promise<number> {
  const services = target.services.filter((service) => only === undefined || service.name === only);
  if (services.length === 0) {
    stderr.write(
      `mesh call: no service "${only}"; the services are ${target.services.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const listings = await Promise.all(
    services.map(async (service) => {
      try {
        return { service, procedures: await fetchProcedures(service.url, token) };
      } catch (error) {
        if (isProceduresError(error)) return { service, error: error.message };
        throw error;
      }
    }),
  );
  let code = 0;
  stdout.write(`input shapes: ${CALL_VALUE_HELP}; "?" marks an optional field\n`);
  for (const listing of listings) {
    stdout.write(`\n${listing.service.name}  ${listing.service.url}\n`);
    if ('error' in listing) {
      stderr.write(`  ${listing.service.name} ${listing.error}\n`);
      code = 1;
      continue;
    }
    const width = Math.max(...listing.procedures.map((entry) => entry.path.length));
    for (const entry of listing.procedures) {
      stdout.write(
        `  ${entry.kind.padEnd(12)}  ${entry.path.padEnd(width)}  ${describeInput(entry.input)}\n`,
      );
    }
  }
  return code;
}
