import { WebSocket } from 'ws';
import { createNodeHttpFetch } from '../transport/node-http-fetch.js';

/** Node: the `ws` package's WebSocket, and Node's own http client for the `http` transport. */
export const platformWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
export const createPlatformHttpFetch: typeof createNodeHttpFetch | undefined = createNodeHttpFetch;
