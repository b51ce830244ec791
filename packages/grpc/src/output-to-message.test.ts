import { create, type DescMessage, toBinary } from '@bufbuild/protobuf';
import { ChannelOutcomeSchema, SyncMessagesResponseSchema } from '@mesh/contracts/ingestion';
import { describe, expect, it } from 'vitest';
import { OutputFieldError } from './output-field-error.js';
import { outputToMessage } from './output-to-message.js';

const answer = {
  runId: 'r1',
  source: 'simulated',
  status: 'ok',
  channels: [{ channelId: -1001n, username: 'news', messagesSynced: 3, messagesSaved: 2 }],
  totals: { channels: 1, synced: 1, skipped: 0, failed: 0, messagesSynced: 3, messagesSaved: 2 },
  durationMs: 33.9,
  queryCount: 4,
};

/** The OutputFieldError converting `output` throws, or undefined when it converts. */
function unfit(output: unknown, desc: DescMessage = SyncMessagesResponseSchema) {
  try {
    outputToMessage(desc, output);
    return undefined;
  } catch (error) {
    if (error instanceof OutputFieldError) return error;
    throw error;
  }
}

describe('outputToMessage', () => {
  it('converts an answer the binary encoding takes, fractions in a double included', () => {
    const message = create(SyncMessagesResponseSchema, outputToMessage(SyncMessagesResponseSchema, answer));
    expect(message).toMatchObject({ durationMs: 33.9, queryCount: 4, totals: { messagesSaved: 2 } });
    expect(toBinary(SyncMessagesResponseSchema, message).length).toBeGreaterThan(0);
  });

  it('names the path and proto type of a fraction in an int32, and not the value', () => {
    const error = unfit({ ...answer, totals: { ...answer.totals, messagesSaved: 2.5 } });
    expect(error).toMatchObject({ field: 'totals.messages_saved', protoType: 'int32', reason: 'a fraction' });
    expect(error?.message).not.toContain('2.5');
  });

  it('names the item of a repeated field that does not fit', () => {
    const channels = [answer.channels[0], { ...answer.channels[0], channelId: 1.5 }];
    expect(unfit({ ...answer, channels })).toMatchObject({
      field: 'channels[1].channel_id',
      protoType: 'int64',
      reason: 'not an integer',
    });
  });

  it('refuses an int32 out of range, text that is no number, an int64 beyond 64 bits and a non-list', () => {
    expect(unfit({ ...answer, queryCount: 2 ** 31 })).toMatchObject({
      field: 'query_count',
      reason: 'out of range',
    });
    expect(unfit({ ...answer, queryCount: 'many' })).toMatchObject({
      field: 'query_count',
      protoType: 'int32',
    });
    expect(unfit({ channelId: 2n ** 63n, username: 'x' }, ChannelOutcomeSchema)).toMatchObject({
      field: 'channel_id',
      reason: 'out of range',
    });
    expect(unfit({ ...answer, channels: 'none' })).toMatchObject({
      field: 'channels',
      protoType: 'repeated mesh.ingestion.v1.ChannelOutcome',
    });
  });

  it('takes numeric text and bigints for number fields, as the encoding does', () => {
    const init = outputToMessage(SyncMessagesResponseSchema, { ...answer, queryCount: '7', durationMs: 2n });
    expect(init).toMatchObject({ queryCount: 7, durationMs: 2 });
  });
});
