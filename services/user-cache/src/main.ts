// Telemetry starts before anything it instruments is imported, hence the dynamic import below.
import { readTelemetryEnv, startTelemetry } from '@mesh/telemetry';

const telemetry = startTelemetry({
  serviceName: 'user-cache',
  endpoint: readTelemetryEnv().OTEL_EXPORTER_OTLP_ENDPOINT,
  instrument: true,
});

const { runService } = await import('@mesh/kit');
const { readEnv } = await import('./env.js');
const { buildUserCacheService } = await import('./server.js');

const env = readEnv();
await runService(await buildUserCacheService(env), {
  port: env.USER_CACHE_PORT,
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  afterClose: telemetry.shutdown,
});
