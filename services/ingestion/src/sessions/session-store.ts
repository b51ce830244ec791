import type { PrismaClient } from '../generated/prisma/client.js';
import type { SessionCipher } from './session-cipher.js';

export interface SessionStore {
  /** Seals and stores (or replaces) a session. 1 query. */
  save(name: string, session: string): Promise<{ name: string; keyId: string }>;
  /** The session in clear, or undefined when none is stored under `name`. 1 query. */
  load(name: string): Promise<string | undefined>;
}

/** Telegram session strings at rest in `telegram_sessions`, always encrypted. */
export function createSessionStore(prisma: PrismaClient, cipher: SessionCipher): SessionStore {
  return {
    async save(name, session) {
      const sealed = cipher.seal(name, session);
      const data = {
        keyId: sealed.keyId,
        iv: Buffer.from(sealed.iv),
        authTag: Buffer.from(sealed.authTag),
        ciphertext: Buffer.from(sealed.ciphertext),
      };
      await prisma.telegramSession.upsert({ where: { name }, create: { name, ...data }, update: data });
      return { name, keyId: sealed.keyId };
    },
    async load(name) {
      const row = await prisma.telegramSession.findUnique({ where: { name } });
      return row ? cipher.open(name, row) : undefined;
    },
  };
}
