import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AnalyticsService, BotControlService, UserCacheService } from '@mesh/contracts';
import { describe, expect, it } from 'vitest';
import { messageToInput } from './message-to-input.js';
import { outputToMessage } from './output-to-message.js';

const upsert = UserCacheService.method.upsertUsers.input;
const getUsers = UserCacheService.method.getUsers.output;
const revenue = AnalyticsService.method.revenue.input;

describe('request messages as procedure input', () => {
  it('keeps int64 as bigint, turns enums into zod strings and leaves unset fields out', () => {
    const request = create(upsert, {
      users: [
        { id: 7n, name: 'Alice', gender: 2, wallets: [{ currency: 'USDT', balance: '1.5' }] },
        { id: 8n, name: 'Bob' },
      ],
    });
    expect(messageToInput(upsert, request)).toEqual({
      users: [
        { id: 7n, name: 'Alice', gender: 'female', wallets: [{ currency: 'USDT', balance: '1.5' }] },
        // No gender, no status, no wallets: proto3 cannot tell an empty list from none.
        { id: 8n, name: 'Bob' },
      ],
    });
  });

  it('turns Timestamps into Dates and an unspecified enum into undefined', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const request = create(revenue, {
      from: timestampFromDate(from),
      to: timestampFromDate(new Date(0)),
      bucket: 0,
    });
    expect(messageToInput(revenue, request)).toEqual({ from, to: new Date(0) });
  });

  it('hands a Struct over as plain JSON', () => {
    const desc = BotControlService.method.configureBot.input;
    const request = create(desc, { botId: 'b', config: { retries: 3, tags: ['a'] } });
    expect(messageToInput(desc, request)).toEqual({ botId: 'b', config: { retries: 3, tags: ['a'] } });
  });
});

describe('procedure output as response messages', () => {
  it('puts a whole output in its field and a null item of a nullable list in an empty wrapper', () => {
    const createdAt = new Date('2026-02-03T04:05:06Z');
    const user = { id: 7n, name: 'Alice', gender: null, status: 'active', createdAt, updatedAt: createdAt };
    const message = create(getUsers, outputToMessage(getUsers, [user, null]) as never);
    expect(message.users).toHaveLength(2);
    expect(message.users[0]?.user).toMatchObject({ id: 7n, name: 'Alice', status: 'active' });
    expect(message.users[0]?.user?.gender).toBeUndefined();
    expect(message.users[0]?.user?.createdAt).toEqual(timestampFromDate(createdAt));
    expect(message.users[1]?.user).toBeUndefined();
  });

  it('maps enum strings whatever their case or dashes, and puts a tracked id in event_id', () => {
    const desc = BotControlService.method.onCommand.output;
    const row = {
      id: 'c1',
      botId: 'b1',
      seq: 4n,
      command: 'START',
      payload: {},
      status: 'pending',
      createdAt: new Date(),
    };
    const message = create(desc, outputToMessage(desc, row, '4') as never);
    expect(message).toMatchObject({ eventId: '4', id: 'c1', seq: 4n, command: 1, status: 1 });
  });
});
