// The bot as a process: webhook updates on PORT (Telegram POSTs them), calls into the mesh.
import { createServer } from 'node:http';
import { createMeshClient } from '@mesh/sdk';
import { webhookCallback } from 'grammy';
import { createEscrowBot } from './create-escrow-bot.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const mesh = createMeshClient({
  token: required('MESH_SERVICE_TOKEN'),
  urls: {
    ...(process.env.USER_CACHE_URL && { userCache: process.env.USER_CACHE_URL }),
    ...(process.env.BOT_CONTROL_URL && { botControl: process.env.BOT_CONTROL_URL }),
  },
});
const bot = createEscrowBot({
  token: required('BOT_TOKEN'),
  apiRoot: process.env.TELEGRAM_API_ROOT,
  mesh,
});
await bot.init();

const server = createServer(webhookCallback(bot, 'http', { secretToken: required('WEBHOOK_SECRET') }));
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = server.address();
  console.log(`escrow-bot listening on ${typeof address === 'object' && address ? address.port : ''}`);
});

const stop = () => {
  server.close();
  void mesh.close();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
