import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@mesh/telemetry';
import type { CallLayersOff } from './call-layers.js';
import type { InFlight } from './in-flight.js';
import type { ServiceMetrics } from './metrics.js';

/** A gRPC method by its proto names: `mesh.user_cache.v1.UserCacheService`, `GetUsers`. */
export interface GrpcMethod {
  service: string;
  method: string;
}

/** What every procedure sees. Services reach their own dependencies through closures, not ctx. */
export interface MeshContext {
  service: string;
  /** Request headers: the source of the caller's trace context. */
  headers: IncomingHttpHeaders;
  /** Whether the caller presented the service token. */
  authorized: boolean;
  /** How the call arrived: a websocket carries many calls, each with its own trace context. */
  transport: 'http' | 'websocket' | 'grpc';
  /** The gRPC method a call through the gRPC face came by (its span names it). */
  grpc?: GrpcMethod | undefined;
  /** How many calls arrived in this HTTP request (1 unless batched); 1 for every websocket call. */
  batchSize: number;
  metrics: ServiceMetrics;
  /** Websocket calls running now; shutdown waits for them. */
  inFlight: InFlight;
  log: Logger;
  /** Layers the cost bench took away from this service's calls; empty in every real service. */
  layersOff: CallLayersOff;
}
