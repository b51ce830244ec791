import { connect } from 'node:net';

export interface RedisProbeOptions {
  port: number;
  host?: string;
  timeoutMs?: number;
}

/** True when a Redis server on `host:port` answers PING with PONG. */
export async function pingRedis(options: RedisProbeOptions): Promise<boolean> {
  return (await redisReply('PING', options)) === '+PONG';
}

/** The process id of the Redis server on `host:port` (from INFO server), if one answers. */
export async function redisServerPid(options: RedisProbeOptions): Promise<number | undefined> {
  const reply = await redisReply('INFO server', options);
  const match = reply?.match(/^process_id:(\d+)/m);
  return match ? Number(match[1]) : undefined;
}

/**
 * One inline command and its reply (a simple string or a bulk string), speaking RESP by hand so
 * the CLI needs no Redis client. Undefined when nothing answers in time.
 */
function redisReply(
  command: string,
  { port, host = '127.0.0.1', timeoutMs = 1000 }: RedisProbeOptions,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let reply = Buffer.alloc(0);
    const finish = (answer: string | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const complete = completeReply(reply);
      if (complete !== undefined) finish(complete);
    });
  });
}

function completeReply(reply: Buffer): string | undefined {
  const headerEnd = reply.indexOf('\r\n');
  if (headerEnd < 0) return undefined;
  const header = reply.subarray(0, headerEnd).toString();
  if (!header.startsWith('$')) return header;
  const length = Number(header.slice(1));
  if (length < 0) return '';
  const body = reply.subarray(headerEnd + 2);
  return body.length >= length + 2 ? body.subarray(0, length).toString() : undefined;
}
