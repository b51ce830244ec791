import type { TestDatabase } from '@mesh/db/testing';
import { type ServiceHarness, startServiceHarness } from '@mesh/testing';
import { readEnv } from '../env.js';
import { migrations } from '../migrations.js';
import type { BotControlRouter } from '../router.js';
import { type BuildOptions, buildBotControlService } from '../server.js';

export type BotControlHarness = ServiceHarness<BotControlRouter>;

/** A real bot-control on its own migrated database (or a shared one: a second replica), with an SDK client. */
export function startBotControl(
  options: { env?: Record<string, string | undefined>; database?: TestDatabase; build?: BuildOptions } = {},
): Promise<BotControlHarness> {
  return startServiceHarness({
    service: 'bot-control',
    migrations,
    readEnv,
    build: (env) => buildBotControlService(env, options.build),
    env: options.env,
    database: options.database,
  });
}
