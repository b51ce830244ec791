import type { createNodeHttpFetch } from '../transport/node-http-fetch.js';

/**
 * A browser: its own WebSocket and fetch, so no Node module is on this path. The `http`
 * transport (Node's http client) becomes the built-in fetch here.
 */
export const platformWebSocket: typeof globalThis.WebSocket = globalThis.WebSocket;
export const createPlatformHttpFetch: typeof createNodeHttpFetch | undefined = undefined;
