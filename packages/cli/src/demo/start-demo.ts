import { createMeshClient, type MeshUrls } from '@mesh/sdk';
import { createClientTracer } from '@mesh/telemetry';
import { type ServiceSpec, TRACE_EXPLORER } from '../services.js';
import type { Output } from '../up/output.js';
import { grpcAddress, serviceUrl } from '../up/service-env.js';
import { DEMO, DEMO_BOT_NAMES, demoUserId } from './demo-data-set.js';
import { seedDemoChannels } from './seed-demo-channels.js';
import { seedDemoTables } from './seed-demo-tables.js';
import { startTraffic } from './start-traffic.js';
import { describeError } from './traffic-log.js';

export interface StartDemoOptions {
  /** With their ports as placed for this run. */
  services: readonly ServiceSpec[];
  databaseUrl: string;
  token: string;
  output: Output;
  /** Run the traffic generator (`mesh up --no-traffic` turns it off). */
  traffic: boolean;
  /** Ctrl-C: nothing more is started once it aborts (a seeding under way finishes). */
  signal?: AbortSignal;
}

export interface Demo {
  /** Stops the traffic and closes its clients; resolves within a couple of seconds. */
  stop(): Promise<void>;
}

const meshUrlKeys: Record<string, keyof MeshUrls> = {
  ingestion: 'ingestion',
  'user-cache': 'userCache',
  analytics: 'analytics',
  'bot-control': 'botControl',
};

/**
 * What `mesh up` does once every service answers: seeds the demo data set (once: a later
 * start finds it and writes nothing), says what to open and try, and starts the light demo
 * traffic. Never fails `mesh up`: a problem is one line on stderr. Once `signal` aborts it
 * starts nothing more, and traffic already running stops.
 */
export async function startDemo({
  services,
  databaseUrl,
  token,
  output,
  traffic,
  signal,
}: StartDemoOptions): Promise<Demo> {
  const nothing: Demo = { stop: async () => {} };
  if (signal?.aborted) return nothing;
  const urls: Partial<MeshUrls> = {};
  for (const service of services) {
    const key = meshUrlKeys[service.name];
    if (key) urls[key] = serviceUrl(service);
  }
  const explorer = services.find((service) => service.name === TRACE_EXPLORER);
  const client = createMeshClient({ urls, token, retries: 0, timeoutMs: 5000 });
  await seed({ databaseUrl, client, output });
  // `mesh up` is stopping: no tips, no traffic it would never hear about to stop.
  if (signal?.aborted) {
    await client.close();
    return nothing;
  }
  const userCache = services.find((service) => service.name === 'user-cache');
  printTips(output, explorer && serviceUrl(explorer), userCache && grpcAddress(userCache));
  if (!traffic) {
    await client.close();
    return nothing;
  }
  const tracer = createClientTracer({
    serviceName: 'demo-traffic',
    endpoint: explorer && serviceUrl(explorer),
  });
  const running = startTraffic({
    client,
    tracer: tracer.tracer,
    log: { info: (text) => output.info(text), warn: (text) => output.line('mesh', text, 'stderr') },
  });
  output.info('demo traffic: about 3 calls a second through the SDK (`mesh up --no-traffic` for none)');
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= running.stop().then(() => tracer.shutdown(1000));
    return stopping;
  };
  signal?.addEventListener('abort', () => void stop(), { once: true });
  return { stop };
}

async function seed({
  databaseUrl,
  client,
  output,
}: {
  databaseUrl: string;
  client: ReturnType<typeof createMeshClient>;
  output: Output;
}) {
  const started = performance.now();
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  // Two independent writers: the tables straight into Postgres, the posts through ingestion.
  const [tables, channels] = await Promise.allSettled([
    seedDemoTables({ databaseUrl }),
    timed(() => seedDemoChannels(client.ingestion)),
  ]);
  const total = seconds(performance.now() - started);
  for (const outcome of [tables, channels]) {
    if (outcome.status === 'rejected') {
      output.line('mesh', `demo data skipped: ${describeError(outcome.reason)}`, 'stderr');
    }
  }
  if (tables.status === 'rejected' || channels.status === 'rejected') return;
  const posts = channels.value.result;
  const fresh = Object.values(tables.value.parts).includes('seeded') || posts.outcome === 'seeded';
  if (!fresh) {
    output.info('demo data: already there from an earlier start (nothing written)');
    return;
  }
  output.info(
    `demo data seeded in ${total} (tables ${seconds(tables.value.ms)}, posts ${seconds(channels.value.ms)}): ${DEMO.users} users with wallets, ${DEMO.trades} trades over ${DEMO.tradeDays} days, ${DEMO_BOT_NAMES.length} bots with commands and ${DEMO.escrows} escrows, ${
      posts.outcome === 'seeded'
        ? `${posts.channels} channels with ${posts.posts} posts`
        : posts.outcome === 'present'
          ? 'channels already there'
          : 'no demo channels (ingestion does not read the simulated source)'
    }`,
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: Math.round(performance.now() - started) };
}

function printTips(output: Output, explorerUrl: string | undefined, userCacheGrpc: string | undefined) {
  const ids = `["${demoUserId(1)}n","${demoUserId(2)}n"]`;
  output.plain('');
  output.plain('what to try:');
  if (explorerUrl) {
    output.plain(
      `  open ${explorerUrl}  the trace explorer: live traces of the demo traffic (#/map, #/logs)`,
    );
    output.plain(
      '    pick Finding "N+1 call" there: demo.naive-user-lookups calls getUser once per id, the N+1 to avoid',
    );
  }
  output.plain('  npm run mesh -- call analytics.dashboardMetrics');
  output.plain(`  npm run mesh -- call user-cache.getUsers '{"ids":${ids},"include":{"wallets":true}}'`);
  output.plain('  npm run mesh -- call --list   (every procedure, its kind and its input)');
  if (userCacheGrpc) {
    output.plain(
      `  npx buf curl --http2-prior-knowledge --list-services http://${userCacheGrpc}   (the gRPC face)`,
    );
  }
}
