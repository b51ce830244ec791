import { z } from 'zod';

/** The part of a Bot API `Update` the webhook acts on; other fields are ignored. */
export const telegramUpdate = z.object({
  update_id: z.number().int().nonnegative(),
  callback_query: z
    .object({
      id: z.string().min(1),
      from: z.object({ id: z.number().int().positive() }),
      data: z.string().max(64).optional(),
      message: z
        .object({ message_id: z.number().int(), chat: z.object({ id: z.number().int() }) })
        .optional(),
    })
    .optional(),
});

export type TelegramUpdate = z.infer<typeof telegramUpdate>;

/** What the job behind a button press needs: no Telegram objects, ids as strings (BigInt-safe JSON). */
export interface CallbackJobData {
  updateId: number;
  userId: string;
  chatId: string | null;
  action: string;
}
