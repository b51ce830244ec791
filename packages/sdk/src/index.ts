export {
  type CreateMeshClientOptions,
  createMeshClient,
  defaultMeshUrls,
  type MeshClient,
  type MeshUrls,
} from './create-mesh-client.js';
export {
  createServiceClient,
  type ServiceClient,
  type ServiceClientOptions,
} from './create-service-client.js';
export { MeshTimeoutError } from './links/timeout-link.js';
