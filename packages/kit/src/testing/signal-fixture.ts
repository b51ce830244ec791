// A service process for run-service.test.ts: listens on a free port, prints its URL, and
// drains on SIGTERM like every main.ts.
import { createLogger } from '@mesh/telemetry';
import { createService } from '../create-service.js';
import { readKitEnv } from '../env.js';
import { runService } from '../run-service.js';
import { signalFixtureRouter } from './signal-fixture-router.js';

const token = process.argv[2] ?? '';
const service = await createService({
  name: 'signal-fixture',
  router: signalFixtureRouter,
  logger: createLogger({ name: 'signal-fixture', level: 'silent' }),
  env: readKitEnv({ MESH_SERVICE_TOKEN: token, LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '5000' }),
});
await runService(service, { port: 0, shutdownTimeoutMs: 5000 });
process.stdout.write(
  `${JSON.stringify({ port: (service.app.server.address() as { port: number }).port })}\n`,
);
