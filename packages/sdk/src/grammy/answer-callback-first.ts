import type { Context, MiddlewareFn } from 'grammy';

type AnswerOptions = Parameters<Context['answerCallbackQuery']>[0];

export interface AnswerCallbackFirstOptions<TContext extends Context> {
  /** What the answer says (a toast, or an alert): by default nothing, which only stops the spinner. */
  answer?: AnswerOptions | ((ctx: TContext) => AnswerOptions);
  /** Called when Telegram refuses the answer (a query older than 15 s, say); the update is still handled. */
  onAnswerError?: (error: unknown, ctx: TContext) => void;
}

/**
 * Answers a button press before anything else runs: Telegram shows a spinner on the button
 * until the callback query is answered, and a mesh call (or several) made first would keep it
 * spinning. Later `ctx.answerCallbackQuery()` calls in the handlers resolve without sending a
 * second answer, which Telegram would refuse.
 */
export function answerCallbackFirst<TContext extends Context>(
  options: AnswerCallbackFirstOptions<TContext> = {},
): MiddlewareFn<TContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    const answer = typeof options.answer === 'function' ? options.answer(ctx) : options.answer;
    try {
      await ctx.answerCallbackQuery(answer);
    } catch (error) {
      options.onAnswerError?.(error, ctx);
    }
    ctx.answerCallbackQuery = async () => true;
    return next();
  };
}
