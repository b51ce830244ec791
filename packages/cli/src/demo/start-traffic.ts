import type { MeshClient } from '@mesh/sdk';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { runBotRuntime } from './bot-runtime.js';
import { DEMO, DEMO_ASSETS, DEMO_BOT_NAMES, demoBotId, demoUserId } from './demo-data-set.js';
import { lookUpUsersOneByOne } from './naive-user-lookups.js';
import { runEvery } from './run-every.js';
import { createFailureNotes, type TrafficLog } from './traffic-log.js';

/** The kinds of call the demo makes; each is counted when it succeeds. */
export type TrafficKind = 'dashboard' | 'users' | 'trades' | 'commands' | 'acks' | 'sync' | 'naive';

/**
 * How often each kind runs, in ms. About three calls a second in all, so a laptop running
 * `npm start` stays usable: dashboard reads, user lookups, a trade recorded, a bot command,
 * the naive per-id lookups, and a channel sync every minute.
 */
export const defaultTrafficIntervals: Record<Exclude<TrafficKind, 'acks'>, number> = {
  dashboard: 2000,
  users: 1500,
  trades: 3000,
  commands: 5000,
  sync: 60_000,
  naive: 20_000,
};

/** Bots with a runtime answering their commands; the others only have their history. */
const LIVE_BOTS = DEMO_BOT_NAMES.slice(0, 3).map(demoBotId);

export interface StartTrafficOptions {
  client: MeshClient;
  /** Each action is one trace with a span of this tracer as its root. */
  tracer: Tracer;
  log: TrafficLog;
  intervals?: Partial<typeof defaultTrafficIntervals>;
}

export interface Traffic {
  /** Successful actions per kind so far. */
  counts: Readonly<Record<TrafficKind, number>>;
  /** Stops every loop and the bot runtimes, and closes the client's sockets. */
  stop(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, so a demo run's choices are the same every time. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    user: () => demoUserId(1 + Math.floor(next() ** 2 * DEMO.users)),
  };
}

/**
 * The demo's light traffic through the SDK, until `stop()`. A failing call (a service down or
 * restarting) is one line when it starts failing and one when it answers again; the loops go on.
 */
export function startTraffic({ client, tracer, log, intervals = {} }: StartTrafficOptions): Traffic {
  const every = { ...defaultTrafficIntervals, ...intervals };
  const counts: Record<TrafficKind, number> = {
    dashboard: 0,
    users: 0,
    trades: 0,
    commands: 0,
    acks: 0,
    sync: 0,
    naive: 0,
  };
  const notes = createFailureNotes(log);
  const random = createRandom(42);
  const controller = new AbortController();
  const { signal } = controller;

  const act = (kind: TrafficKind, name: string, work: () => Promise<unknown>) => () =>
    tracer.startActiveSpan(`demo.${name}`, async (span) => {
      try {
        await work();
        counts[kind] += 1;
        notes.succeeded(kind);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        if (!signal.aborted) notes.failed(kind, error);
      } finally {
        span.end();
      }
    });

  const dashboardReads = [
    ['dashboard', () => client.analytics.dashboardMetrics.query()],
    ['top-traders', () => client.analytics.topUsersByPnl.query({ limit: 10 })],
    [
      'revenue',
      () =>
        client.analytics.revenue.query({
          from: new Date(Date.now() - 30 * 86_400_000),
          to: new Date(),
          bucket: 'day',
        }),
    ],
    ['asset-performance', () => client.analytics.assetPerformance.query()],
    ['user-summary', () => client.analytics.userSummary.query({ userId: random.user() })],
  ] as const;
  let dashboardTurn = 0;

  const commandSenders = [
    (botId: string) => client.botControl.restartBot.mutate({ botId, payload: { reason: 'demo' } }),
    (botId: string) =>
      client.botControl.configureBot.mutate({ botId, config: { spread: 0.2 + random.int(10) / 10 } }),
    (botId: string) => client.botControl.startBot.mutate({ botId, payload: {} }),
  ];

  const loops = [
    runEvery({
      everyMs: every.dashboard,
      signal,
      run: () => {
        const [name, read] = dashboardReads[
          dashboardTurn++ % dashboardReads.length
        ] as (typeof dashboardReads)[number];
        return act('dashboard', name, read)();
      },
    }),
    runEvery({
      everyMs: every.users,
      firstAfterMs: every.users / 3,
      signal,
      run: act('users', 'user-lookup', () =>
        client.userCache.getUsers.query({
          ids: [...new Set(Array.from({ length: 20 }, random.user))],
          include: { wallets: random.next() < 0.3 },
        }),
      ),
    }),
    runEvery({
      everyMs: every.trades,
      firstAfterMs: every.trades / 2,
      signal,
      run: act('trades', 'record-trades', () =>
        client.analytics.recordTrades.mutate({ trades: newTrades() }),
      ),
    }),
    runEvery({
      everyMs: every.commands,
      firstAfterMs: every.commands / 4,
      signal,
      run: act('commands', 'bot-command', () => {
        const send = commandSenders[random.int(commandSenders.length)] as (typeof commandSenders)[number];
        return send(LIVE_BOTS[random.int(LIVE_BOTS.length)] as string);
      }),
    }),
    runEvery({
      everyMs: every.sync,
      firstAfterMs: Math.min(every.sync, 5000),
      signal,
      run: act('sync', 'channel-sync', () =>
        client.ingestion.syncMessages.mutate({ limit: 20, triggeredBy: 'demo-traffic' }),
      ),
    }),
    runEvery({
      everyMs: every.naive,
      firstAfterMs: Math.min(every.naive, 3000),
      signal,
      run: act('naive', 'naive-user-lookups', () =>
        lookUpUsersOneByOne(
          client.userCache,
          Array.from({ length: 10 }, (_, index) =>
            demoUserId(1 + ((random.int(DEMO.users) + index) % DEMO.users)),
          ),
        ),
      ),
    }),
    ...LIVE_BOTS.map((botId) =>
      runBotRuntime({
        botControl: client.botControl,
        botId,
        signal,
        onSettled: () => {
          counts.acks += 1;
          notes.succeeded('acks');
        },
        onError: (error) => notes.failed('acks', error),
      }),
    ),
  ];

  function newTrades() {
    return Array.from({ length: 1 + random.int(3) }, () => {
      const { asset, price } = DEMO_ASSETS[random.int(DEMO_ASSETS.length)] as (typeof DEMO_ASSETS)[number];
      const quantity = ((1000 / price) * (0.05 + random.next() * 2)).toFixed(8);
      const at = (price * (0.95 + random.next() * 0.1)).toFixed(8);
      const closed = random.next() < 0.5;
      const openedAt = new Date(Date.now() - random.int(3_600_000));
      return {
        userId: random.user(),
        asset,
        side: random.next() < 0.5 ? ('buy' as const) : ('sell' as const),
        quantity,
        price: at,
        fee: (Number(quantity) * Number(at) * 0.001).toFixed(8),
        openedAt,
        ...(closed
          ? {
              status: 'closed' as const,
              closedAt: new Date(),
              pnl: (Number(quantity) * Number(at) * (random.next() - 0.47) * 0.08).toFixed(8),
            }
          : {}),
      };
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    counts,
    stop() {
      stopping ??= (async () => {
        controller.abort();
        // A call in flight gets a moment to finish; closing the client fails whatever is left.
        await Promise.race([Promise.all(loops), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        await client.close();
      })();
      return stopping;
    },
  };
}
