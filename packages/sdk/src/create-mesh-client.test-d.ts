import { describe, expectTypeOf, it } from 'vitest';
import { createMeshClient } from './create-mesh-client.js';

const mesh = createMeshClient({ token: 'type-test-token-0123456789' });

describe('createMeshClient types', () => {
  it('types each service from its router', () => {
    expectTypeOf(mesh.userCache.getUsers.query)
      .parameter(0)
      .toEqualTypeOf<{ ids: bigint[]; include?: { wallets?: boolean | undefined } | undefined }>();
    expectTypeOf(mesh.userCache.getUsers.query).returns.resolves.toEqualTypeOf<
      Array<{
        id: bigint;
        name: string;
        gender: string | null;
        status: string;
        createdAt: Date;
        updatedAt: Date;
        wallets?: Array<{ currency: string; balance: string; updatedAt: Date }>;
      } | null>
    >();
    expectTypeOf(mesh.analytics.userSummary.query).returns.resolves.toEqualTypeOf<{
      userId: bigint;
      name: string | null;
      trades: number;
      volume: string;
    }>();
  });

  it('does not compile a wrong input type', () => {
    // @ts-expect-error ids are Telegram ids as BigInt, not numbers
    void mesh.userCache.getUsers.query({ ids: [1] });
    void mesh.analytics.recordTrades.mutate({
      trades: [
        // @ts-expect-error side is 'buy' or 'sell'
        { userId: 1n, asset: 'BTC', side: 'hold', quantity: '1', price: '1' },
      ],
    });
  });

  it('does not compile a wrong field or procedure name', () => {
    // @ts-expect-error the field is `ids`
    void mesh.userCache.getUsers.query({ idz: [1n] });
    // @ts-expect-error there is no such procedure
    void mesh.userCache.getUserz;
    // @ts-expect-error queries are not mutations
    void mesh.botControl.getBot.mutate;
  });

  it('does not let a caller read a field the output lacks', () => {
    type Summary = Awaited<ReturnType<typeof mesh.analytics.userSummary.query>>;
    // @ts-expect-error the summary has no `email`
    expectTypeOf<Summary['email']>().toBeString();
  });
});
