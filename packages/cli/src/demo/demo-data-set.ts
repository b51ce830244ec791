import { createHash } from 'node:crypto';

/**
 * The demo data set's sizes and keys. The traffic generator reads the same constants, so it
 * looks up users that exist and commands bots that exist.
 */
export const DEMO = {
  users: 5000,
  /** Users get Telegram-like nine-digit ids: 700000001 ... 700005000. */
  firstUserId: 700_000_001n,
  trades: 100_000,
  tradeDays: 90,
  escrows: 3000,
  invitations: 1500,
  commandsPerBot: 40,
  /** Posts per channel fetched by the first sync (the simulated source has more). */
  postsPerChannel: 1000,
} as const;

/** Assets traded, each with a typical price (USDT) so the figures look like a market. */
export const DEMO_ASSETS = [
  { asset: 'BTC/USDT', price: 97_000 },
  { asset: 'ETH/USDT', price: 3400 },
  { asset: 'TON/USDT', price: 5.4 },
  { asset: 'SOL/USDT', price: 190 },
  { asset: 'BNB/USDT', price: 650 },
  { asset: 'XRP/USDT', price: 2.3 },
  { asset: 'DOGE/USDT', price: 0.32 },
  { asset: 'NOT/USDT', price: 0.008 },
] as const;

export const DEMO_BOT_NAMES = [
  'price-alerts',
  'escrow-desk',
  'signals-hub',
  'news-digest',
  'wallet-watch',
  'trade-copier',
  'airdrop-checker',
  'support-desk',
  'channel-mirror',
  'giveaway-runner',
  'market-maker',
  'portfolio-report',
] as const;

/** Channels of the simulated source; ids in the Bot API's -100... range. */
export const DEMO_CHANNELS = [
  ['mesh_demo_news', 'Mesh demo: news'],
  ['mesh_demo_signals', 'Mesh demo: signals'],
  ['mesh_demo_releases', 'Mesh demo: releases'],
  ['mesh_demo_markets', 'Mesh demo: markets'],
  ['mesh_demo_airdrops', 'Mesh demo: airdrops'],
  ['mesh_demo_defi', 'Mesh demo: DeFi digest'],
  ['mesh_demo_nft', 'Mesh demo: NFT drops'],
  ['mesh_demo_dev', 'Mesh demo: developer notes'],
].map(([username, title], index) => ({
  id: -1_009_000_000_001n - BigInt(index),
  username: username as string,
  title: title as string,
}));

/** User `n` (1-based) of the data set. */
export function demoUserId(n: number): bigint {
  return DEMO.firstUserId + BigInt(n - 1);
}

/**
 * The bot's id: a UUID made from its name exactly as the data set's SQL makes it (md5, version
 * nibble 8, RFC variant), so the traffic generator knows every bot without asking.
 */
export function demoBotId(name: string): string {
  const md5 = createHash('md5').update(`mesh-demo-bot:${name}`).digest('hex');
  const hex = `${md5.slice(0, 12)}8${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
