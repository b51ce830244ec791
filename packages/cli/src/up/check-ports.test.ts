import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isCliError } from '../errors.js';
import { meshServices } from '../services.js';
import { checkPorts, findPortConflicts, portClaims } from './check-ports.js';
import { freePort, isPortFree } from './free-port.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Something else listening, the way a service or a stray process would. */
async function occupy(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port: 0, host }, resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return address.port;
}

describe('freePort', () => {
  it('gives the preferred port when it is free', async () => {
    const port = await freePort();
    await expect(freePort({ preferred: port })).resolves.toBe(port);
  });

  it('gives another free port when the preferred one is taken', async () => {
    const taken = await occupy('127.0.0.1');
    const port = await freePort({ preferred: taken });
    expect(port).not.toBe(taken);
    await expect(isPortFree(port)).resolves.toBe(true);
  });

  it('sees a port taken on 127.0.0.1 as well as on every address', async () => {
    await expect(isPortFree(await occupy('127.0.0.1'))).resolves.toBe(false);
    await expect(isPortFree(await occupy('0.0.0.0'))).resolves.toBe(false);
  });
});

describe('checkPorts', () => {
  it('reports a taken port with the service and the variable that moves it', async () => {
    const taken = await occupy('127.0.0.1');
    const free = await freePort();
    const claims = [
      { name: 'ingestion', port: free, portVar: 'INGESTION_PORT' },
      { name: 'user-cache', port: taken, portVar: 'USER_CACHE_PORT' },
    ];

    const error = await checkPorts(claims).catch((caught: unknown) => caught);

    expect(isCliError(error, 'PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toBe(
      `port ${taken} (user-cache) is in use; set USER_CACHE_PORT to move it`,
    );
  });

  it('reports every taken port at once', async () => {
    const first = await occupy('127.0.0.1');
    const second = await occupy('127.0.0.1');
    const problems = await findPortConflicts([
      { name: 'analytics', port: first, portVar: 'ANALYTICS_PORT' },
      { name: 'bot-control', port: second, portVar: 'BOT_CONTROL_PORT' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('ANALYTICS_PORT');
    expect(problems[1]).toContain('BOT_CONTROL_PORT');
  });

  it('reports two services set to the same port, naming the variable of the second', async () => {
    const port = await freePort();
    const problems = await findPortConflicts([
      { name: 'ingestion', port, portVar: 'INGESTION_PORT' },
      { name: 'analytics', port, portVar: 'ANALYTICS_PORT' },
    ]);
    expect(problems).toEqual([
      `port ${port} is set for both ingestion and analytics; set ANALYTICS_PORT to move analytics`,
    ]);
  });

  it("claims each service's gRPC port beside its HTTP port, and reports a taken one by its variable", async () => {
    const claims = portClaims(meshServices);
    expect(claims).toEqual(
      expect.arrayContaining([
        { name: 'user-cache', port: 4020, portVar: 'USER_CACHE_PORT' },
        { name: 'user-cache gRPC', port: 4021, portVar: 'USER_CACHE_GRPC_PORT' },
        { name: 'bot-control gRPC', port: 4041, portVar: 'BOT_CONTROL_GRPC_PORT' },
      ]),
    );
    // Four services with two ports each, the explorer with one.
    expect(claims).toHaveLength(9);

    const taken = await occupy('127.0.0.1');
    const userCache = meshServices.find((service) => service.name === 'user-cache');
    const moved = {
      name: 'user-cache',
      port: await freePort(),
      portVar: 'USER_CACHE_PORT',
      urlVar: 'USER_CACHE_URL',
      entry: userCache?.entry ?? '',
      grpc: { port: taken, portVar: 'USER_CACHE_GRPC_PORT' },
    };
    expect(await findPortConflicts(portClaims([moved]))).toEqual([
      `port ${taken} (user-cache gRPC) is in use; set USER_CACHE_GRPC_PORT to move it`,
    ]);
  });

  it('passes when every port is free', async () => {
    const port = await freePort();
    await expect(
      checkPorts([{ name: 'ingestion', port, portVar: 'INGESTION_PORT' }]),
    ).resolves.toBeUndefined();
  });
});
