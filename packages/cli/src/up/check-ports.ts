import { CliError } from '../errors.js';
import type { ServiceSpec } from '../services.js';
import { isPortFree } from './free-port.js';

/** A port one process of the mesh will listen on, and the variable that moves it. */
export interface PortClaim {
  name: string;
  port: number;
  portVar: string;
}

/** Every port `services` will listen on: each one's HTTP port and, where it has one, its gRPC port. */
export function portClaims(services: readonly ServiceSpec[]): PortClaim[] {
  return services.flatMap((service) => [
    { name: service.name, port: service.port, portVar: service.portVar },
    ...(service.grpc
      ? [{ name: `${service.name} gRPC`, port: service.grpc.port, portVar: service.grpc.portVar }]
      : []),
  ]);
}

/** One message per problem: a port claimed twice, or a port something else already listens on. */
export async function findPortConflicts(claims: readonly PortClaim[]): Promise<string[]> {
  const problems: string[] = [];
  const owners = new Map<number, PortClaim>();
  const unique: PortClaim[] = [];
  for (const claim of claims) {
    const owner = owners.get(claim.port);
    if (owner) {
      problems.push(
        `port ${claim.port} is set for both ${owner.name} and ${claim.name}; set ${claim.portVar} to move ${claim.name}`,
      );
    } else {
      owners.set(claim.port, claim);
      unique.push(claim);
    }
  }
  const free = await Promise.all(unique.map((claim) => isPortFree(claim.port)));
  unique.forEach((claim, index) => {
    if (!free[index]) {
      problems.push(`port ${claim.port} (${claim.name}) is in use; set ${claim.portVar} to move it`);
    }
  });
  return problems;
}

/** Throws PORT_IN_USE naming every taken port and its variable; start nothing before this passes. */
export async function checkPorts(claims: readonly PortClaim[]): Promise<void> {
  const problems = await findPortConflicts(claims);
  if (problems.length > 0) throw new CliError('PORT_IN_USE', problems.join('\n'));
}
