import { procedure } from '@mesh/kit';
import { errors } from '../errors.js';
import type { JobQueue } from './job-queue.js';

/** Background job figures. */
export function createJobsProcedures({ jobs }: { jobs: () => JobQueue | null }) {
  return {
    /** Per job type: completed, failed (after all attempts), retried, running now; across replicas. Budget: 0 queries, 1 Redis call. */
    jobStats: procedure.query(async () => {
      const queue = jobs();
      if (!queue) throw errors.create('BOTS_JOBS_UNAVAILABLE');
      return queue.stats();
    }),
  };
}
