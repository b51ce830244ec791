// Telemetry starts before anything it instruments is imported, hence the dynamic import below.
import { readTelemetryEnv, startTelemetry } from '@mesh/telemetry';

const telemetry = startTelemetry({
  serviceName: 'ingestion',
  endpoint: readTelemetryEnv().OTEL_EXPORTER_OTLP_ENDPOINT,
  instrument: true,
});

const { runService } = await import('@mesh/kit');
const { readEnv } = await import('./env.js');
const { buildIngestionService } = await import('./server.js');

const env = readEnv();
await runService(await buildIngestionService(env), {
  port: env.INGESTION_PORT,
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  afterClose: telemetry.shutdown,
});
