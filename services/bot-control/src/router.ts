import { router } from '@mesh/kit';
import { createBotsProcedures } from './bots/bots-procedures.js';
import type { ChangeListener } from './commands/change-listener.js';
import { createCommandsProcedures } from './commands/commands-procedures.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { JobQueue } from './jobs/job-queue.js';
import { createJobsProcedures } from './jobs/jobs-procedures.js';

export interface BotControlDeps {
  prisma: PrismaClient;
  listener: ChangeListener;
  backstopMs: number;
  /** The job queue once started (null without Redis). */
  jobs: () => JobQueue | null;
}

/** The whole tRPC surface of bot-control. */
export function createBotControlRouter(deps: BotControlDeps) {
  return router({
    ...createBotsProcedures(deps),
    ...createCommandsProcedures(deps),
    ...createJobsProcedures(deps),
  });
}

export type BotControlRouter = ReturnType<typeof createBotControlRouter>;
