import type { MeshClient } from '@mesh/sdk';
import { answerCallbackFirst } from '@mesh/sdk/grammy';
import { Bot, InlineKeyboard } from 'grammy';

export interface EscrowBotOptions {
  token: string;
  /** Where the Bot API is (Telegram's by default; a local one in tests). */
  apiRoot?: string;
  mesh: Pick<MeshClient, 'userCache' | 'botControl'>;
}

/** Waits for the first command of a bot on its stream, then stops following it. */
function firstCommand(mesh: EscrowBotOptions['mesh'], botId: string) {
  return new Promise<{ command: string; seq: bigint }>((resolve, reject) => {
    const subscription = mesh.botControl.onCommand.subscribe(
      { botId },
      {
        onData: ({ data }) => {
          subscription.unsubscribe();
          resolve({ command: data.command, seq: data.seq });
        },
        onError: reject,
      },
    );
  });
}

/**
 * The escrow bot: `/start` shows two buttons. "My wallets" looks the user and their wallets up
 * in one call; "Start my bot" registers a bot with bot-control, starts it and reports the
 * command as its stream delivers it. Every button press is answered before any of that.
 */
export function createEscrowBot({ token, apiRoot, mesh }: EscrowBotOptions): Bot {
  const bot = new Bot(token, apiRoot ? { client: { apiRoot } } : {});
  bot.use(answerCallbackFirst({ answer: { text: 'On it…' } }));

  bot.command('start', (ctx) =>
    ctx.reply('What shall we do?', {
      reply_markup: new InlineKeyboard().text('My wallets', 'wallets').text('Start my bot', 'start-bot'),
    }),
  );

  bot.callbackQuery('wallets', async (ctx) => {
    const [user] = await mesh.userCache.getUsers.query({
      ids: [BigInt(ctx.from.id)],
      include: { wallets: true },
    });
    if (!user) return ctx.reply('I do not know you yet.');
    const wallets = (user.wallets ?? []).map((wallet) => `${wallet.balance} ${wallet.currency}`);
    return ctx.reply(`${user.name}: ${wallets.join(', ') || 'no wallets'}`);
  });

  bot.callbackQuery('start-bot', async (ctx) => {
    const registered = await mesh.botControl.registerBot.mutate({ name: `escrow-${ctx.from.id}` });
    const command = firstCommand(mesh, registered.id);
    await mesh.botControl.startBot.mutate({ botId: registered.id });
    const { command: name, seq } = await command;
    return ctx.reply(`${registered.name}: ${name} is queued as command #${seq}`);
  });

  return bot;
}
