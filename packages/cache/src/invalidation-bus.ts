import type { BusMessage } from './bus-message.js';
import type { CacheCore } from './cache-core.js';

/**
 * Drops from this instance's L1 what an invalidation named (its own and others'). Hygiene
 * and a saved round trip, not correctness: an entry the message never reaches fails its
 * version check on the next read anyway.
 */
export function applyToL1(core: CacheCore, message: BusMessage): void {
  const { l1, keys } = core;
  if (!l1) return;
  if (message.all) l1.dropAll();
  if (message.keys) l1.delete(message.keys);
  if (message.namespace && message.pattern) {
    l1.dropPattern(message.namespace, keys.head(message.namespace), message.pattern);
  }
  if (message.tag) l1.dropTag(message.tag);
}

/**
 * Listens on the service's invalidation channel so this instance's L1 drops what another
 * instance invalidated before its next read meets it (one round trip instead of two). A
 * message lost (pub/sub delivers at most once, nothing while reconnecting) costs that
 * second round trip, never a stale answer. Resolves once listening (or at once without an L1).
 */
export async function startInvalidationBus(core: CacheCore, origin: string): Promise<void> {
  if (!core.l1) return;
  await core.store.subscribe(
    (raw) => {
      let message: BusMessage & { origin?: string };
      try {
        message = JSON.parse(raw) as BusMessage & { origin?: string };
      } catch {
        return;
      }
      if (message.origin !== origin) applyToL1(core, message);
    },
    // Nothing to do when the subscription drops: what the L1 answers never depended on it.
    () => {},
  );
}
