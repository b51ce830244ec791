// A service written the slow ways the mesh replaced, for the trace explorer's tests to flag: a
// query per id, a call per id, a webhook that works before it answers, an INSERT per message.
// Test code only. It runs as its own process, traced and exporting like a real service.
import { startTelemetry } from '@mesh/telemetry';
import { exitOnSignals } from './exit-on-signals.js';

const env = process.env;
const telemetry = startTelemetry({
  serviceName: 'naive-lookups',
  endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  instrument: true,
});

const { createService, procedure, readKitEnv, router } = await import('@mesh/kit');
const { createMeshClient } = await import('@mesh/sdk');
const { default: pg } = await import('pg');
const { z } = await import('zod');

const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
const mesh = createMeshClient({
  token: env.MESH_SERVICE_TOKEN as string,
  retries: 0,
  urls: { userCache: env.USER_CACHE_URL as string },
});
const ids = z.object({ ids: z.array(z.bigint()).min(1).max(200) });
const selfUrl = `http://127.0.0.1:${env.NAIVE_PORT}`;

const answer = (update: number) =>
  fetch(`${selfUrl}/bot123456:test-token/answerCallbackQuery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ callback_query_id: `cbq-${update}` }),
  });

const naiveRouter = router({
  /** One SELECT per id: the per-user findOne loop. */
  namesOneQueryEach: procedure.input(ids).query(async ({ ctx, input }) => {
    ctx.log.info({ ids: input.ids.length }, 'looking names up one query at a time');
    const names: Array<string | null> = [];
    for (const id of input.ids) {
      const { rows } = await pool.query('SELECT name FROM users.users WHERE id = $1', [String(id)]);
      names.push(rows[0]?.name ?? null);
    }
    return names;
  }),
  /** One getUser call per id. */
  namesOneCallEach: procedure.input(ids).query(async ({ input }) => {
    const names: Array<string | null> = [];
    for (const id of input.ids) names.push((await mesh.userCache.getUser.query({ id }))?.name ?? null);
    return names;
  }),
  /** The mesh's way: one getUsers call for all of them. */
  namesBatched: procedure.input(ids).query(async ({ input }) => {
    const users = await mesh.userCache.getUsers.query({ ids: input.ids });
    return users.map((user) => user?.name ?? null);
  }),
  /** A sync the per-message way: one INSERT per message. */
  storeOneByOne: procedure
    .input(z.object({ channelId: z.bigint(), texts: z.array(z.string()).min(1).max(500) }))
    .mutation(async ({ input }) => {
      let saved = 0;
      for (const [i, text] of input.texts.entries()) {
        const { rowCount } = await pool.query(
          `INSERT INTO ingestion.messages (channel_id, message_id, text, telegram_date, source, message_type)
           VALUES ($1, $2, $3, now(), 'simulated', 'text') ON CONFLICT DO NOTHING`,
          [String(input.channelId), String(i + 1), text],
        );
        saved += rowCount ?? 0;
      }
      return { saved };
    }),
});

const service = await createService({
  name: 'naive-lookups',
  router: naiveRouter,
  env: readKitEnv(env),
  readiness: {},
  onClose: [mesh.close, () => pool.end()],
});
// A button press handled the slow way: the user and their deals loaded, then the answer.
service.app.post('/telegram/webhook-late', async () => {
  await mesh.userCache.getUsers.query({ ids: [1n] });
  await pool.query('SELECT count(*) FROM ingestion.messages WHERE channel_id = $1', ['1']);
  await answer(1);
  return {};
});
// The same press answered first, as bot-control does, the work after.
service.app.post('/telegram/webhook-first', async () => {
  await answer(2);
  await mesh.userCache.getUsers.query({ ids: [1n] });
  return {};
});
service.app.post('/bot123456:test-token/answerCallbackQuery', async () => ({ ok: true, result: true }));

export type NaiveRouter = typeof naiveRouter;

await service.listen(Number(env.NAIVE_PORT));
exitOnSignals(
  () => service.close(),
  () => telemetry.shutdown(),
);
