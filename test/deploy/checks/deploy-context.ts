import type { K8sObject } from '../support/k8s-object.js';
import type { ReadEnv } from '../support/required-env.js';

/** What every check reads: one rendered overlay and the env readers of what it runs. */
export interface DeployContext {
  objects: K8sObject[];
  /** Each service's `readEnv`, by its services/ folder name (= its Deployment's name). */
  serviceEnv: Map<string, ReadEnv>;
  /** The migration Job's `readEnv` (deploy/migrate/env.ts). */
  migrateEnv: ReadEnv;
}

/** A check returns one message per violation, naming the object; none means it holds. */
export type Check = (context: DeployContext) => string[];
