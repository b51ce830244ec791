import { describe, expect, it } from 'vitest';
import { meshServices } from '../services.js';
import { serviceEnv } from './service-env.js';

const base = { databaseUrl: 'postgresql://db', redisUrl: 'redis://r', serviceToken: 't'.repeat(32) };

describe('serviceEnv', () => {
  it('points the exporters at the trace explorer when the user set no endpoint', () => {
    const env = serviceEnv({ ...base, inherited: {}, services: meshServices });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4000');
  });

  it("keeps the user's endpoint, even an empty one that turns export off", () => {
    for (const endpoint of ['http://collector:4318', '']) {
      const env = serviceEnv({
        ...base,
        inherited: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
        services: meshServices,
      });
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(endpoint);
    }
  });

  it("gives every service each one's HTTP and gRPC port, as placed for this run", () => {
    const services = meshServices.map((service) =>
      service.name === 'analytics' && service.grpc
        ? { ...service, grpc: { ...service.grpc, port: 14031 } }
        : service,
    );
    const env = serviceEnv({ ...base, inherited: { ANALYTICS_GRPC_PORT: '1' }, services });
    expect(env).toMatchObject({
      USER_CACHE_PORT: '4020',
      USER_CACHE_GRPC_PORT: '4021',
      INGESTION_GRPC_PORT: '4011',
      ANALYTICS_GRPC_PORT: '14031',
      BOT_CONTROL_GRPC_PORT: '4041',
    });
  });

  it('sets no endpoint when the explorer is not among the services started', () => {
    const services = meshServices.filter((service) => service.name !== 'trace-explorer');
    expect(serviceEnv({ ...base, inherited: {}, services }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });
});
