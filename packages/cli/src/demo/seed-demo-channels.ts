import type { MeshClient } from '@mesh/sdk';
import { DEMO, DEMO_CHANNELS } from './demo-data-set.js';

export type SeedChannelsOutcome =
  | { outcome: 'seeded'; channels: number; posts: number }
  | { outcome: 'present' }
  | { outcome: 'not-simulated' };

/**
 * The demo's channels with their posts, through ingestion itself: registered, then synced
 * once from the simulated source (the service's own bulk write), so the posts are exactly
 * what the source gives and later syncs continue from them. Only on the simulated source
 * (never registers made-up channels against real Telegram) and only when ingestion has no
 * channel yet.
 */
export async function seedDemoChannels(ingestion: MeshClient['ingestion']): Promise<SeedChannelsOutcome> {
  const { kind } = await ingestion.getSyncSource.query(undefined, { context: { timeoutMs: 5000 } });
  if (kind !== 'simulated') return { outcome: 'not-simulated' };
  if ((await ingestion.listChannels.query({ limit: 1 })).length > 0) return { outcome: 'present' };
  await ingestion.registerChannels.mutate({ channels: DEMO_CHANNELS });
  const { totals } = await ingestion.syncMessages.mutate(
    {
      channels: DEMO_CHANNELS.map((channel) => channel.id),
      limit: DEMO.postsPerChannel,
      concurrency: 4,
      triggeredBy: 'demo',
    },
    { context: { timeoutMs: 60_000 } },
  );
  return { outcome: 'seeded', channels: DEMO_CHANNELS.length, posts: totals.messagesSaved };
}
