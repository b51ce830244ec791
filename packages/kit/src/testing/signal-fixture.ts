// A service process for run-service.test.ts: listens on a free port, prints its URL, and
// drains on SIGTERM like every main.ts.
import { createLogger } from '@mesh/telemetry';
import { createService } from '../create-service.js';
import { runService } from '../run-service.js';
import { signalFixtureRouter } from './signal-fixture-router.js';

const token = process.argv[2] ?? '';
const service = await createService({
  name: 'signal-fixture',
  router: signalFixtureRouter,
  logger: createLogger({ name: 'signal-fixture', level: 'silent' }),
  env: {
    HOST: '127.0.0.1',
    MESH_SERVICE_TOKEN: token,
    SLOW_REQUEST_MS: 1000,
    BODY_LIMIT_BYTES: 1 << 20,
    MAX_BATCH_SIZE: 10,
    SHUTDOWN_TIMEOUT_MS: 5000,
    LOG_LEVEL: 'silent',
  },
});
await runService(service, { port: 0, shutdownTimeoutMs: 5000 });
process.stdout.write(
  `${JSON.stringify({ port: (service.app.server.address() as { port: number }).port })}\n`,
);
