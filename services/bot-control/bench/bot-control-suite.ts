import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, serviceEnvSource } from '@mesh/bench';
import { createServiceClient } from '@mesh/client';
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { startFakeTelegram, testEnv, unlinkPrefix } from '@mesh/testing';
import { readEnv } from '../src/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { migrations } from '../src/migrations.js';
import type { BotControlRouter } from '../src/router.js';
import { buildBotControlService } from '../src/server.js';
import { createTelegramApi } from '../src/webhook/telegram-api.js';
import { WEBHOOK_PATH } from '../src/webhook/webhook-route.js';
import { pollingLatencies, subscriptionLatencies } from './command-latency.js';
import { readBenchEnv } from './env.js';
import { JOB_IO_MS, jobsPerSecond } from './job-throughput.js';
import { answerLatencies, startAnswerAfterWork, WORK_MS } from './webhook-latency.js';

interface Runs {
  baseline: number[];
  value: number[];
}
const runs = (): Runs => ({ baseline: [], value: [] });

/**
 * bot-control: command-to-subscriber latency (subscription vs the old 5 s poll), button
 * answer latency while each press's work takes 500 ms (answer-first plus a job vs the old
 * answer-after-work), and job throughput (the service's worker concurrency vs BullMQ's default 1).
 */
export async function run({ progress = (_line: string) => {} } = {}) {
  const env = readBenchEnv();
  const cleanup: Array<() => Promise<unknown>> = [];
  const logger = createLogger({ name: 'bench', level: 'silent' });
  try {
    const database = await createTestDatabase({ migrations: [migrations] });
    cleanup.push(() => database.drop());
    const prefix = `bench-${randomBytes(4).toString('hex')}:`;
    cleanup.push(() => unlinkPrefix(prefix));
    const botToken = `1:${randomUUID()}`;
    const secret = randomUUID();
    const telegram = await startFakeTelegram(botToken);
    cleanup.push(async () => telegram[Symbol.asyncDispose]());
    const serviceEnv = readEnv(
      serviceEnvSource({
        DATABASE_URL: database.url,
        REDIS_URL: testEnv.REDIS_URL,
        MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
        LOG_LEVEL: 'silent',
        CACHE_KEY_PREFIX: prefix,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_BOT_TOKEN: botToken,
        TELEGRAM_WEBHOOK_SECRET: secret,
      }),
    );
    const service = await buildBotControlService(serviceEnv, {
      // The button's work, as the escrow bot measured it: 500 ms.
      jobHandlers: { 'telegram.callback': () => sleep(WORK_MS) },
    });
    const url = await service.listen(0);
    cleanup.push(() => service.close());
    const sdk = createServiceClient<BotControlRouter>({
      url,
      token: serviceEnv.MESH_SERVICE_TOKEN,
      retries: 0,
    });
    cleanup.push(() => sdk.close());
    const db = createDatabase({
      PrismaClient,
      schema: 'bots',
      env: readDbEnv({ DATABASE_URL: database.url }),
      logger,
    });
    cleanup.push(() => db.close());
    const baselineServer = await startAnswerAfterWork(
      createTelegramApi({ apiRoot: telegram.apiRoot, token: botToken }),
    );
    cleanup.push(() => baselineServer.close());

    const p50 = { commands: runs(), answers: runs() };
    const p99 = { commands: runs(), answers: runs() };
    const throughput = runs();
    let errors = 0;
    let updateId = 1;
    for (let round = 1; round <= env.runs; round++) {
      progress(`run ${round}/${env.runs}: ${env.commands} commands by subscription`);
      const bot = await service
        .createCaller()
        .registerBot({ name: `bench-${round}-${randomBytes(3).toString('hex')}` });
      const live = await subscriptionLatencies(sdk.client, bot.id, env.commands);
      progress(
        `run ${round}/${env.runs}: ${env.commands} commands by 5 s polling over ${env.pollWindowMs} ms`,
      );
      const polled = await pollingLatencies(db.pool, bot.id, env.commands, env.pollWindowMs);
      p50.commands.value.push(percentile(live, 50));
      p99.commands.value.push(percentile(live, 99));
      p50.commands.baseline.push(percentile(polled, 50));
      p99.commands.baseline.push(percentile(polled, 99));

      for (const side of round % 2 === 0
        ? (['baseline', 'value'] as const)
        : (['value', 'baseline'] as const)) {
        progress(`run ${round}/${env.runs}: ${env.updates} button presses, ${side}`);
        const measured = await answerLatencies({
          url: side === 'value' ? `${url}${WEBHOOK_PATH}` : baselineServer.url,
          secret,
          telegram,
          count: env.updates,
          concurrency: env.updateConcurrency,
          firstUpdateId: updateId,
        });
        updateId += env.updates;
        errors += measured.errors;
        p50.answers[side].push(percentile(measured.latencies, 50));
        p99.answers[side].push(percentile(measured.latencies, 99));
      }

      progress(`run ${round}/${env.runs}: ${env.jobs} jobs`);
      for (const [side, concurrency] of [
        ['baseline', 1],
        ['value', serviceEnv.BOT_JOBS_CONCURRENCY],
      ] as const) {
        throughput[side].push(
          await jobsPerSecond({
            redisUrl: testEnv.REDIS_URL,
            prefix: `${prefix}throughput-${round}-${side}`,
            concurrency,
            count: env.jobs,
            logger,
          }),
        );
      }
    }

    const latencyCase = (name: string, metric: Runs, notes: string) => ({
      name,
      metric: 'ms',
      better: 'lower' as const,
      baselineRuns: metric.baseline,
      valueRuns: metric.value,
      errors: 0,
      notes,
    });
    const commandNotes = `${env.commands} commands per run; mesh: startBot to onCommand arrival over the SDK websocket, one at a time; baseline: the old poll every 5 s, commands spread over ${env.pollWindowMs} ms`;
    const answerNotes = `${env.updates} presses per run, ${env.updateConcurrency} in flight, each press's work ${WORK_MS} ms; mesh: webhook answers then queues a critical job; baseline: a Fastify route doing the work then answering (the escrow bot's old order)`;
    return {
      cases: [
        latencyCase('command to subscriber p50', p50.commands, commandNotes),
        latencyCase('command to subscriber p99', p99.commands, commandNotes),
        { ...latencyCase('button answer p50', p50.answers, answerNotes), errors },
        latencyCase('button answer p99', p99.answers, answerNotes),
        {
          name: `jobs/s (${env.jobs} jobs, ${JOB_IO_MS} ms I/O each)`,
          metric: 'jobs/s',
          better: 'higher' as const,
          baselineRuns: throughput.baseline,
          valueRuns: throughput.value,
          errors: 0,
          notes: `BullMQ, jobs added one by one; mesh: worker concurrency ${serviceEnv.BOT_JOBS_CONCURRENCY} (BOT_JOBS_CONCURRENCY); baseline: BullMQ's default concurrency 1`,
        },
      ],
    };
  } finally {
    for (const undo of cleanup.reverse()) await undo().catch(() => {});
  }
}
