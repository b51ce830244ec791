import { createTokenVerifier, MeshError, type MeshService } from '@mesh/kit';
import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';
import { outcomeJson } from './record-sync-run.js';
import { syncInput } from './sync-input.js';
import type { SyncMessages } from './sync-messages.js';
import type { SyncResult } from './sync-result.js';

export const SYNC_ROUTE = '/api/telegram-gateway/sync-messages';

/** The old gateway's body: channel ids may come as strings ("-1001234567890") or numbers. */
const httpBody = z
  .object({
    channels: z
      .array(z.union([z.string().regex(/^-?\d{1,20}$/, 'must be a channel id'), z.number().int()]))
      .optional(),
    limit: z.number().optional(),
    concurrency: z.number().optional(),
  })
  .transform(({ channels, ...rest }) => ({ ...rest, channels: channels?.map((id) => BigInt(id)) }));

const httpInput = syncInput.omit({ runId: true, triggeredBy: true });

type ParsedBody =
  | { success: true; data: z.output<typeof httpInput> }
  | { success: false; issues: Array<{ path: string; message: string }> };

/** The body in the old gateway's shape, then the same rules as the procedure's input. */
function parseBody(body: unknown): ParsedBody {
  const issuesOf = (error: z.ZodError) =>
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const shaped = httpBody.safeParse(body ?? {});
  if (!shaped.success) return { success: false, issues: issuesOf(shaped.error) };
  const parsed = httpInput.safeParse(shaped.data);
  return parsed.success ? parsed : { success: false, issues: issuesOf(parsed.error) };
}

/** The old gateway's answer, ids as strings (JSON numbers cannot carry 64-bit ids), plus what the mesh adds. */
function answer(result: SyncResult) {
  return {
    success: true,
    message: `Synced ${result.totals.messagesSynced} messages from ${result.totals.channels} channels`,
    data: {
      totalMessagesSynced: result.totals.messagesSynced,
      totalMessagesSaved: result.totals.messagesSaved,
      channelsSynced: result.channels.map((outcome) => {
        const { error, ...rest } = outcomeJson(outcome);
        return error ? { ...rest, error: error.message, errorCode: error.code } : rest;
      }),
      runId: result.runId,
      status: result.status,
      durationMs: result.durationMs,
      queryCount: result.queryCount,
      timestamp: new Date().toISOString(),
    },
  };
}

export interface SyncRouteOptions {
  /** TELEGRAM_GATEWAY_API_KEY; without one the route answers 503 to everyone. */
  apiKey: string | undefined;
  syncMessages: SyncMessages;
}

/**
 * `POST /api/telegram-gateway/sync-messages` for the cron callers of the old gateway: same body,
 * same answer, `X-API-Key` compared in constant time. On the service's Fastify app, since the
 * kit's bearer token guards /trpc only.
 */
export function registerSyncRoute(
  app: MeshService<AnyRouter>['app'],
  { apiKey, syncMessages }: SyncRouteOptions,
) {
  const verify = apiKey === undefined ? undefined : createTokenVerifier(apiKey);
  app.post(SYNC_ROUTE, async (request, reply) => {
    if (!verify) {
      return reply.code(503).send({ success: false, error: 'TELEGRAM_GATEWAY_API_KEY is not configured' });
    }
    const presented = request.headers['x-api-key'];
    if (!verify(typeof presented === 'string' ? presented : undefined)) {
      return reply.code(401).send({ success: false, error: 'Invalid or missing X-API-Key' });
    }
    const parsed = parseBody(request.body);
    if (!parsed.success) {
      const { issues } = parsed;
      const detail = issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
      return reply.code(400).send({ success: false, error: `Invalid input: ${detail}`, issues });
    }
    try {
      return answer(await syncMessages(parsed.data, { triggeredBy: 'http' }));
    } catch (error) {
      if (error instanceof MeshError && error.code !== 'INTERNAL_SERVER_ERROR') {
        const status = error.code === 'NOT_FOUND' ? 404 : error.code === 'CONFLICT' ? 409 : 400;
        return reply.code(status).send({ success: false, error: error.message, code: error.meshCode });
      }
      request.log.error({ err: error }, 'sync-messages failed');
      return reply.code(500).send({ success: false, error: 'Internal server error' });
    }
  });
}
