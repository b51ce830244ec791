import { checkpoint, type Logger } from '@mesh/telemetry';
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../jobs/job-queue.js';
import { createSecretCheck } from './secret-token.js';
import type { TelegramApi } from './telegram-api.js';
import { type CallbackJobData, telegramUpdate } from './telegram-update.js';

export const WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookRouteOptions {
  secret: string;
  telegram: TelegramApi;
  jobs: JobQueue;
  logger: Logger;
}

/**
 * Telegram's webhook. A button press is answered (`answerCallbackQuery`) before anything
 * else, then its work is queued as a critical job keyed by update id (Telegram redelivers
 * an update it did not get a 200 for; the job id makes that a no-op). No database here.
 */
export function registerTelegramWebhook(app: FastifyInstance, options: WebhookRouteOptions): void {
  const secretMatches = createSecretCheck(options.secret);
  app.post(WEBHOOK_PATH, async (request, reply) => {
    if (!secretMatches(request.headers[SECRET_HEADER])) {
      return reply.code(401).send({ error: 'UNAUTHORIZED', message: 'wrong or missing secret token' });
    }
    const parsed = telegramUpdate.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      return reply
        .code(400)
        .send({ error: 'BAD_REQUEST', message: issues.map((i) => i.path).join(', '), issues });
    }
    const query = parsed.data.callback_query;
    if (!query) return reply.send({});
    try {
      await options.telegram.call('answerCallbackQuery', { callback_query_id: query.id });
    } catch (error) {
      // The spinner times out on the user's side; the work still has to happen.
      options.logger.warn({ err: error, updateId: parsed.data.update_id }, 'answerCallbackQuery failed');
    }
    // The trace explorer measures the work done before this point (slow-before-answer).
    checkpoint('callback.answered');
    const data: CallbackJobData = {
      updateId: parsed.data.update_id,
      userId: String(query.from.id),
      chatId: query.message ? String(query.message.chat.id) : null,
      action: query.data ?? '',
    };
    await options.jobs.add('telegram.callback', data, { jobId: `tg-update-${parsed.data.update_id}` });
    return reply.send({});
  });
}
