export {
  createServiceClient,
  type ServiceClient,
  type ServiceClientOptions,
} from './create-service-client.js';
export { MeshTimeoutError } from './links/timeout-link.js';
