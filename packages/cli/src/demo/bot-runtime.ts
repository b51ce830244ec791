import { setTimeout as sleep } from 'node:timers/promises';
import type { MeshClient } from '@mesh/sdk';

export interface BotRuntimeOptions {
  botControl: MeshClient['botControl'];
  botId: string;
  signal: AbortSignal;
  /** Called after each command it acknowledged and completed. */
  onSettled(ok: boolean): void;
  onError(error: unknown): void;
  /** How long the bot "works" on a command between its ack and its completion. */
  workMs?: number;
}

/**
 * A stand-in for a bot process: follows its bot's commands by `onCommand` from the last one
 * stored (older ones are history), acks each and completes it (about one in twenty fails).
 * When the subscription ends (bot-control restarted) it subscribes again from the last
 * command it saw.
 */
export async function runBotRuntime({
  botControl,
  botId,
  signal,
  onSettled,
  onError,
  workMs = 300,
}: BotRuntimeOptions): Promise<void> {
  let lastEventId: string | undefined;
  // Commands being acknowledged and completed: a stop waits for them, so nothing is counted
  // after the runtime has returned.
  const settling = new Set<Promise<void>>();
  while (!signal.aborted) {
    try {
      lastEventId ??= String((await botControl.getBot.query({ id: botId })).lastCommandSeq);
      await new Promise<void>((resolve) => {
        const subscription = botControl.onCommand.subscribe(
          { botId, lastEventId },
          {
            onData: ({ id, data }) => {
              lastEventId = id;
              const settled = settle(data.id, data.seq);
              settling.add(settled);
              void settled.finally(() => settling.delete(settled));
            },
            onError: (error) => {
              // Closing the client on stop ends the subscription with an error: not a failure.
              if (!signal.aborted) onError(error);
              finish();
            },
            onComplete: () => finish(),
          },
        );
        function finish() {
          signal.removeEventListener('abort', finish);
          subscription.unsubscribe();
          resolve();
        }
        // A stop during getBot above aborted before this listener existed.
        if (signal.aborted) finish();
        else signal.addEventListener('abort', finish, { once: true });
      });
    } catch (error) {
      onError(error);
    }
    await sleep(2000, undefined, { signal }).catch(() => undefined);
  }
  await Promise.allSettled(settling);

  async function settle(commandId: string, seq: bigint) {
    try {
      await botControl.ackCommand.mutate({ commandId });
      await sleep(workMs, undefined, { signal });
      const ok = seq % 20n !== 0n;
      await botControl.completeCommand.mutate(
        ok ? { commandId, ok } : { commandId, ok, error: 'simulated failure: the exchange did not answer' },
      );
      onSettled(ok);
    } catch (error) {
      if (!signal.aborted) onError(error);
    }
  }
}
