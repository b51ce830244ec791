import { AsyncResource } from 'node:async_hooks';
import { type Logger, recordStat } from '@mesh/telemetry';
import pg from 'pg';

export interface CountingClientOptions {
  slowQueryMs: number;
  logger: Logger;
}

type QueryCallback = (error: Error | null, result: unknown) => void;

const maxLoggedSqlLength = 200;

function isSubmittable(config: unknown): boolean {
  return typeof (config as { submit?: unknown }).submit === 'function';
}

function sqlText(config: unknown): string {
  const text = typeof config === 'string' ? config : (config as { text?: unknown }).text;
  return typeof text === 'string' ? text.slice(0, maxLoggedSqlLength) : '';
}

/**
 * A pg.Client class (for the Pool's `Client` option) that counts every query() round trip
 * in the active request-stats scope (`dbQueries`, `dbMs`) and warns about queries slower
 * than `slowQueryMs` with their SQL text, never their parameters. Submittables (cursors,
 * streams) pass through uncounted.
 */
export function createCountingClient({ slowQueryMs, logger }: CountingClientOptions): typeof pg.Client {
  function startTimer(config: unknown): () => void {
    const started = performance.now();
    // pg finishes a query from a socket event; binding keeps the stats scope of the caller.
    return AsyncResource.bind(() => {
      const ms = performance.now() - started;
      recordStat('dbQueries', 1);
      recordStat('dbMs', ms);
      if (ms > slowQueryMs) logger.warn({ ms: Math.round(ms), sql: sqlText(config) }, 'slow query');
    });
  }

  function timed(callback: QueryCallback, done: () => void): QueryCallback {
    return (error, result) => {
      done();
      callback(error, result);
    };
  }

  return class CountingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: one override stands in for pg's seven query() overloads
    override query(config: any, values?: any, callback?: any): any {
      if (config == null || isSubmittable(config)) return super.query(config, values, callback);
      const done = startTimer(config);
      if (typeof values === 'function') return super.query(config, timed(values, done));
      if (typeof callback === 'function') return super.query(config, values, timed(callback, done));
      if (typeof config.callback === 'function') {
        return super.query({ ...config, callback: timed(config.callback, done) }, values);
      }
      return super.query(config, values).then(
        (result: unknown) => {
          done();
          return result;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      );
    }
  };
}
