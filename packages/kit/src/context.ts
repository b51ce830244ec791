import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@mesh/telemetry';
import type { ServiceMetrics } from './metrics.js';

/** What every procedure sees. Services reach their own dependencies through closures, not ctx. */
export interface MeshContext {
  service: string;
  /** Request headers: the source of the caller's trace context. */
  headers: IncomingHttpHeaders;
  /** Whether the caller presented the service token. */
  authorized: boolean;
  /** How many calls arrived in this HTTP request (1 unless batched). */
  batchSize: number;
  metrics: ServiceMetrics;
  log: Logger;
}
