export { catalogue, type ServiceName, serviceEntries, serviceEntry, traceExplorer } from './catalogue.js';
export {
  type CamelCase,
  defineProcess,
  defineService,
  type EnvPrefix,
  type ProcessEntry,
  type ServiceEntry,
} from './define-service.js';
export { repoPath } from './repo-path.js';
