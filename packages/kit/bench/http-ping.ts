import { Agent, get } from 'node:http';

export interface HttpPing {
  /** Calls `GET /ping?n=` and resolves whether the answer was `{ n: n + 1 }`. */
  call(n: number): Promise<boolean>;
  close(): void;
}

/**
 * The caller view's baseline: node:http with a keep-alive agent of `sockets` connections,
 * Node's fastest built-in client (Node 20's fetch is markedly slower on these machines).
 */
export function createHttpPing(baseUrl: string, sockets: number): HttpPing {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const call = (n: number) =>
    new Promise<boolean>((resolve, reject) => {
      get(`${baseUrl}/ping?n=${n}`, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => {
          try {
            resolve(response.statusCode === 200 && (JSON.parse(body) as { n?: unknown }).n === n + 1);
          } catch {
            resolve(false);
          }
        });
        response.on('error', reject);
      }).on('error', reject);
    });
  return { call, close: () => agent.destroy() };
}
