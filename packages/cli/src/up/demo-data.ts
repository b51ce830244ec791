import type { IngestionRouter } from '@mesh/ingestion/router';
import { createServiceClient } from '@mesh/sdk';
import type { ServiceSpec } from '../services.js';
import type { Output } from './output.js';
import { serviceUrl } from './service-env.js';

/** Three channels of the simulated source; ids in the Bot API's -100... range. */
const DEMO_CHANNELS = [
  { id: -1_009_000_000_001n, username: 'mesh_demo_news', title: 'Mesh demo: news' },
  { id: -1_009_000_000_002n, username: 'mesh_demo_signals', title: 'Mesh demo: signals' },
  { id: -1_009_000_000_003n, username: 'mesh_demo_releases', title: 'Mesh demo: releases' },
];

export interface SeedDemoDataOptions {
  /** With their ports as placed for this run. */
  services: readonly ServiceSpec[];
  token: string;
  output: Output;
}

/**
 * `npm start`'s demo data: when ingestion runs on the simulated source, registers three channels
 * and syncs them once, so listMessages and `mesh sync` have something to show. Never fails
 * `mesh up`: a problem is one line on stderr. Does nothing when ingestion reads real Telegram.
 */
export async function seedDemoData({ services, token, output }: SeedDemoDataOptions): Promise<void> {
  const ingestion = services.find((service) => service.name === 'ingestion');
  if (!ingestion) return;
  const sdk = createServiceClient<IngestionRouter>({
    url: serviceUrl(ingestion),
    token,
    retries: 0,
    timeoutMs: 60_000,
  });
  try {
    // Bounded on its own: a first call that cannot connect should not hold `mesh up` for a minute.
    const { kind } = await sdk.client.getSyncSource.query(undefined, { context: { timeoutMs: 5000 } });
    if (kind !== 'simulated') return;
    await sdk.client.registerChannels.mutate({ channels: DEMO_CHANNELS });
    const { totals } = await sdk.client.syncMessages.mutate({
      channels: DEMO_CHANNELS.map((channel) => channel.id),
      limit: 500,
      triggeredBy: 'demo',
    });
    output.info(
      `demo data: ${DEMO_CHANNELS.length} simulated channels, ${totals.messagesSaved} new messages (\`mesh sync\` fetches more)`,
    );
  } catch (error) {
    output.line(
      'mesh',
      `demo data skipped: ${error instanceof Error ? error.message : String(error)}`,
      'stderr',
    );
  } finally {
    await sdk.close();
  }
}
