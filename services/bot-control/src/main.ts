// Telemetry starts before anything it instruments is imported, hence the dynamic import below.
import { readTelemetryEnv, startTelemetry } from '@mesh/telemetry';

const telemetry = startTelemetry({
  serviceName: 'bot-control',
  endpoint: readTelemetryEnv().OTEL_EXPORTER_OTLP_ENDPOINT,
  instrument: true,
});

const { runService } = await import('@mesh/kit');
const { readEnv } = await import('./env.js');
const { buildBotControlService } = await import('./server.js');

const env = readEnv();
await runService(await buildBotControlService(env), {
  port: env.BOT_CONTROL_PORT,
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  afterClose: telemetry.shutdown,
});
