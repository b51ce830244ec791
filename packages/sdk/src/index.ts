export {
  createServiceClient,
  MeshTimeoutError,
  type ServiceClient,
  type ServiceClientOptions,
} from '@mesh/client';
export {
  type CreateMeshClientOptions,
  createMeshClient,
  defaultMeshUrls,
  type MeshClient,
  type MeshUrls,
} from './create-mesh-client.js';
export type { AnalyticsRouter, BotControlRouter, IngestionRouter, UserCacheRouter } from './routers.js';
