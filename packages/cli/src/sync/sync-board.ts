/** The progress events `mesh sync` reads (the ingestion service's onSyncProgress, structurally). */
export type ProgressEvent =
  | {
      stage: 'run-started';
      limit: number;
      channels: Array<{ channelId: bigint; username: string; locked: boolean }>;
    }
  | { stage: 'started'; channelId: bigint }
  | { stage: 'fetched'; channelId: bigint; fetched: number }
  | { stage: 'saved'; channelId: bigint; fetched: number; written: number; saved: number }
  | {
      stage: 'done';
      channelId: bigint;
      outcome: {
        messagesSynced: number;
        messagesSaved: number;
        skipped?: boolean;
        error?: { message: string };
      };
    }
  | { stage: 'run-done' };

type Phase = 'waiting' | 'fetching' | 'saving' | 'done' | 'skipped' | 'failed';

interface Row {
  label: string;
  phase: Phase;
  /** Bar total: the limit until the fetch says how many came. */
  total: number;
  written: number;
  saved: number;
  note: string;
}

const BAR_WIDTH = 24;

/** One channel per line: what `mesh sync` redraws on a terminal after every event. */
export class SyncBoard {
  readonly #rows = new Map<bigint, Row>();
  #limit = 0;

  /** Applies an event; returns a line worth printing when the output is not a terminal. */
  apply(event: ProgressEvent): string | undefined {
    if (event.stage === 'run-started') {
      this.#limit = event.limit;
      for (const channel of event.channels) {
        this.#rows.set(channel.channelId, {
          label: `${channel.username} (${channel.channelId})`,
          phase: channel.locked ? 'waiting' : 'skipped',
          total: event.limit,
          written: 0,
          saved: 0,
          note: '',
        });
      }
      return `syncing ${event.channels.length} channels, up to ${event.limit} messages each`;
    }
    if (event.stage === 'run-done') return undefined;
    const row = this.#rows.get(event.channelId);
    if (!row) return undefined;
    switch (event.stage) {
      case 'started':
        row.phase = 'fetching';
        return undefined;
      case 'fetched':
        row.phase = 'saving';
        row.total = event.fetched;
        return `${row.label}: fetched ${event.fetched}`;
      case 'saved':
        row.written = event.written;
        row.saved = event.saved;
        return undefined;
      case 'done': {
        const { outcome } = event;
        row.phase = outcome.skipped ? 'skipped' : outcome.error ? 'failed' : 'done';
        row.written = row.total = outcome.messagesSynced;
        row.saved = outcome.messagesSaved;
        row.note = outcome.skipped ? 'another sync holds it' : (outcome.error?.message ?? '');
        return `${row.label}: ${this.#status(row)}`;
      }
      default:
        return undefined;
    }
  }

  /** Every channel's bar, padded to line up. */
  lines(): string[] {
    const width = Math.max(0, ...[...this.#rows.values()].map((row) => row.label.length));
    return [...this.#rows.values()].map(
      (row) => `${row.label.padEnd(width)}  ${this.#bar(row)}  ${this.#status(row)}`,
    );
  }

  #bar(row: Row): string {
    const fraction = row.phase === 'done' ? 1 : row.total === 0 ? 0 : row.written / row.total;
    const filled = Math.round(Math.min(1, fraction) * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  }

  #status(row: Row): string {
    switch (row.phase) {
      case 'waiting':
        return 'waiting';
      case 'fetching':
        return `fetching (up to ${this.#limit})`;
      case 'saving':
        return `${row.written}/${row.total} written, ${row.saved} new`;
      case 'done':
        return `${row.total} fetched, ${row.saved} new`;
      case 'skipped':
        return `skipped${row.note ? `: ${row.note}` : ''}`;
      case 'failed':
        return `failed: ${row.note}`;
    }
  }
}
