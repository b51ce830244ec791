import type { RestartPolicy } from './restart-policy.js';

/** How a run of a child ended. */
export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

/** One run of a child process. */
export interface Incarnation {
  pid: number | undefined;
  /** Resolves when this run ends, whatever the reason. */
  exit: Promise<ChildExit>;
  /** Ends this run (politely, then not); resolves once it is gone. */
  stop(): Promise<void>;
}

export type KeepAliveEvent =
  | { kind: 'crashed'; exit: ChildExit; delayMs: number; crashes: number }
  | { kind: 'restarted'; pid: number | undefined }
  | { kind: 'gave-up'; exit: ChildExit; crashes: number };

export interface KeepAliveOptions {
  name: string;
  /** The run already started (start-up failures are the caller's, not a crash to retry). */
  first: Incarnation;
  /** Starts another run; a throw counts as a crash. */
  restart(): Promise<Incarnation> | Incarnation;
  policy: RestartPolicy;
  onEvent(event: KeepAliveEvent): void;
}

export interface KeptAlive {
  /** The current run's pid (undefined between runs). */
  readonly pid: number | undefined;
  /** The first end that was not asked for: start-up fails on it rather than retrying. */
  readonly firstExit: Promise<ChildExit>;
  /** Resolves with the last exit once the policy gives up on the child. */
  readonly gaveUp: Promise<ChildExit>;
  /** Stops the current run and any restart still pending; later calls share the first. */
  stop(): Promise<void>;
}

/** Restarts a child each time it ends by itself, as `policy` says, until stopped or given up on. */
export function keepAlive({ name, first, restart, policy, onEvent }: KeepAliveOptions): KeptAlive {
  let current: Incarnation | undefined = first;
  let stopping = false;
  let pending: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  let starting: Promise<Incarnation | undefined> | undefined;
  let resolveFirst: (exit: ChildExit) => void = () => {};
  let resolveGaveUp: (exit: ChildExit) => void = () => {};
  const firstExit = new Promise<ChildExit>((resolve) => {
    resolveFirst = resolve;
  });
  const gaveUp = new Promise<ChildExit>((resolve) => {
    resolveGaveUp = resolve;
  });

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      pending = { timer: setTimeout(resolve, ms), resolve };
    }).finally(() => {
      pending = undefined;
    });

  const watch = async (run: Incarnation): Promise<void> => {
    const exit = await run.exit;
    if (stopping) return;
    current = undefined;
    resolveFirst(exit);
    const decision = policy.crashed();
    if (decision.action === 'give-up') {
      onEvent({ kind: 'gave-up', exit, crashes: decision.crashes });
      resolveGaveUp(exit);
      return;
    }
    onEvent({ kind: 'crashed', exit, delayMs: decision.delayMs, crashes: decision.crashes });
    await wait(decision.delayMs);
    if (stopping) return;
    starting = Promise.resolve()
      .then(restart)
      .then(
        (next) => next,
        (error: unknown): Incarnation => ({
          pid: undefined,
          exit: Promise.resolve({ name, code: null, signal: null, error: asError(error) }),
          stop: async () => {},
        }),
      );
    const next = await starting;
    starting = undefined;
    if (!next) return;
    current = next;
    if (stopping) return;
    if (next.pid !== undefined) onEvent({ kind: 'restarted', pid: next.pid });
    void watch(next);
  };
  void watch(first);

  let stopped: Promise<void> | undefined;
  return {
    get pid() {
      return current?.pid;
    },
    firstExit,
    gaveUp,
    stop: () => {
      stopping = true;
      stopped ??= (async () => {
        if (pending) {
          clearTimeout(pending.timer);
          pending.resolve();
        }
        current = (await starting) ?? current;
        await current?.stop();
      })();
      return stopped;
    },
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
