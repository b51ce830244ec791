import { router } from '@mesh/kit';
import { createBotsProcedures } from './bots/bots-procedures.js';
import type { ChangeListener } from './commands/change-listener.js';
import { createCommandsProcedures } from './commands/commands-procedures.js';
import type { PrismaClient } from './generated/prisma/client.js';

export interface BotControlDeps {
  prisma: PrismaClient;
  listener: ChangeListener;
  backstopMs: number;
}

/** The whole tRPC surface of bot-control. */
export function createBotControlRouter(deps: BotControlDeps) {
  return router({ ...createBotsProcedures(deps), ...createCommandsProcedures(deps) });
}

export type BotControlRouter = ReturnType<typeof createBotControlRouter>;
