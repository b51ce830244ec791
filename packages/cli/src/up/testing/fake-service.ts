import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceSpec } from '../../services.js';
import { freePort } from '../free-port.js';

/** How a fake service's /readyz answers. */
export const readiness = {
  ready: 'res.statusCode = 200; res.end("ok");',
  neverReady: 'res.statusCode = 503; res.end("not yet");',
};

export interface FakeServiceOptions {
  /** Code answering /readyz (`req`, `res` in scope). */
  readyz?: string;
  /** Code run first thing in the process. */
  startup?: string;
  /** Code run on SIGTERM; drains and exits 0 by default. */
  onSigterm?: string;
  port?: number;
  /** Give it a gRPC port (not listened on): this one, or a free one for `true`. */
  grpc?: number | true;
}

/**
 * Writes a stand-in for a service into `dir` and returns its table entry: a real process
 * started the real way (node --import tsx) that answers /readyz, and anything else with
 * `{ pid, env }`, what it was started with.
 */
export async function writeFakeService(
  dir: string,
  name: string,
  { readyz = readiness.ready, startup = '', onSigterm, port, grpc }: FakeServiceOptions = {},
): Promise<ServiceSpec> {
  const prefix = name.toUpperCase().replace(/-/g, '_');
  const entry = join(dir, `${name}.mjs`);
  const source = `import { createServer } from 'node:http';
${startup}
const server = createServer((req, res) => {
  if (req.url === '/readyz') { ${readyz} return; }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ pid: process.pid, env: process.env }));
});
server.listen(Number(process.env.${prefix}_PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => { ${onSigterm ?? "console.log('draining'); server.close(() => process.exit(0));"} });
`;
  await writeFile(entry, source);
  return {
    name,
    port: port ?? (await freePort()),
    portVar: `${prefix}_PORT`,
    urlVar: `${prefix}_URL`,
    entry,
    database: { schema: name, migrationsDir: `services/${name}/prisma/migrations` },
    ...(grpc === undefined
      ? {}
      : { grpc: { port: grpc === true ? await freePort() : grpc, portVar: `${prefix}_GRPC_PORT` } }),
  };
}

/** What a fake service was started with. */
export async function fakeServiceInfo(
  service: Pick<ServiceSpec, 'port'>,
): Promise<{ pid: number; env: Record<string, string> }> {
  const response = await fetch(`http://127.0.0.1:${service.port}/info`);
  return (await response.json()) as { pid: number; env: Record<string, string> };
}
