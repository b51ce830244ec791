import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';

type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  done: () => void,
) => void;

/**
 * A pg.Pool whose connect callbacks run in the caller's async context. pg-pool hands a
 * client to a waiting caller from whichever socket event freed it, so without this a
 * `pool.query()` would be counted in the stats scope of another request, or in none.
 */
export class AsyncContextPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    if (!callback) return super.connect();
    super.connect(AsyncResource.bind(callback));
    return undefined;
  }
}
