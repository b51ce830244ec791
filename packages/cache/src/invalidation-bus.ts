import type { BusMessage } from './bus-message.js';
import type { CacheCore } from './cache-core.js';

/** Applies an invalidation to this instance's L1 (for its own and for others' messages). */
export function applyToL1(core: CacheCore, message: BusMessage): void {
  const { l1, keys } = core;
  if (!l1) return;
  if (message.all) l1.demoteAll();
  if (message.keys) l1.delete(message.keys);
  if (message.namespace && message.pattern) {
    l1.dropPattern(message.namespace, keys.head(message.namespace), message.pattern);
  }
  if (message.tag) l1.dropTag(message.tag);
}

/**
 * Listens on the service's invalidation channel so this instance's L1 drops what another
 * instance invalidated. While the subscription is down, L1 entries are served only as a
 * last resort (see `setL1Coherent`). Resolves once listening (or at once without an L1).
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
    (connected) => core.setL1Coherent(connected),
  );
}
