import { Api, helpers } from 'telegram';
import { describe, expect, it } from 'vitest';
import { mapGramjsMessage } from './map-gramjs-message.js';

const big = helpers.returnBigInt;
const channelPeer = new Api.PeerChannel({ channelId: big('1234567890') });

/** A channel post as GramJS builds it from the wire (only the TL fields, no client attached). */
function post(fields: Partial<ConstructorParameters<typeof Api.Message>[0]> = {}) {
  return new Api.Message({
    id: 42,
    peerId: channelPeer,
    date: 1_767_225_600,
    message: 'hello',
    post: true,
    ...fields,
  });
}

function documentWith(attributes: Api.TypeDocumentAttribute[]) {
  return new Api.MessageMediaDocument({
    document: new Api.Document({
      id: big(1),
      accessHash: big(2),
      fileReference: Buffer.alloc(0),
      date: 1_767_225_600,
      mimeType: 'application/octet-stream',
      size: big(10),
      dcId: 2,
      attributes,
    }),
  });
}

describe('mapGramjsMessage', () => {
  it('maps a text post: id, raw text, date, and only the metadata Telegram sent', () => {
    expect(mapGramjsMessage(post({ views: 1200, forwards: 3 }))).toEqual({
      id: 42n,
      text: 'hello',
      date: new Date('2026-01-01T00:00:00Z'),
      messageType: 'channel_post',
      mediaType: null,
      metadata: { isForwarded: false, views: 1200, forwards: 3 },
    });
  });

  it('maps forwards, replies, albums, edits, signatures and senders', () => {
    const mapped = mapGramjsMessage(
      post({
        fromId: new Api.PeerUser({ userId: big(777) }),
        fwdFrom: new Api.MessageFwdHeader({
          date: 1_767_000_000,
          fromId: new Api.PeerChannel({ channelId: big(55) }),
        }),
        replyTo: new Api.MessageReplyHeader({ replyToMsgId: 40 }),
        groupedId: big('13371337133713371'),
        editDate: 1_767_225_660,
        postAuthor: 'Ana',
      }),
    );
    expect(mapped?.metadata).toEqual({
      fromId: '777',
      isForwarded: true,
      forwardedFrom: '-10055',
      replyTo: 40,
      groupedId: '13371337133713371',
      editDate: '2026-01-01T00:01:00.000Z',
      postAuthor: 'Ana',
    });
    const named = mapGramjsMessage(
      post({ fwdFrom: new Api.MessageFwdHeader({ date: 1, fromName: 'Hidden' }) }),
    );
    expect(named?.metadata.forwardedFrom).toBe('Hidden');
  });

  it('names the media of photos, documents by their attributes, web pages, polls and places', () => {
    const media = (value: Api.TypeMessageMedia) => mapGramjsMessage(post({ media: value }))?.mediaType;
    expect(media(new Api.MessageMediaPhoto({ photo: new Api.PhotoEmpty({ id: big(5) }) }))).toBe('photo');
    expect(media(documentWith([new Api.DocumentAttributeFilename({ fileName: 'a.pdf' })]))).toBe('document');
    expect(media(documentWith([new Api.DocumentAttributeVideo({ duration: 3, w: 640, h: 480 })]))).toBe(
      'video',
    );
    expect(
      media(
        documentWith([new Api.DocumentAttributeVideo({ duration: 3, w: 240, h: 240, roundMessage: true })]),
      ),
    ).toBe('video_note');
    expect(media(documentWith([new Api.DocumentAttributeAudio({ duration: 9, voice: true })]))).toBe('voice');
    expect(media(documentWith([new Api.DocumentAttributeAudio({ duration: 9, title: 'Song' })]))).toBe(
      'audio',
    );
    expect(
      media(
        documentWith([
          new Api.DocumentAttributeVideo({ duration: 1, w: 100, h: 100 }),
          new Api.DocumentAttributeAnimated(),
        ]),
      ),
    ).toBe('animation');
    expect(
      media(
        documentWith([
          new Api.DocumentAttributeSticker({ alt: ':)', stickerset: new Api.InputStickerSetEmpty() }),
        ]),
      ),
    ).toBe('sticker');
    expect(media(new Api.MessageMediaWebPage({ webpage: new Api.WebPageEmpty({ id: big(1) }) }))).toBe(
      'webpage',
    );
    expect(media(new Api.MessageMediaGeo({ geo: new Api.GeoPointEmpty() }))).toBe('geo');
    expect(media(new Api.MessageMediaEmpty())).toBeNull();
    expect(media(new Api.MessageMediaUnsupported())).toBe('other');
  });

  it('maps a service message by its action and drops an empty (deleted) one', () => {
    const service = new Api.MessageService({
      id: 1,
      peerId: channelPeer,
      date: 1_767_225_600,
      action: new Api.MessageActionChannelCreate({ title: 'News' }),
    });
    expect(mapGramjsMessage(service)).toEqual({
      id: 1n,
      text: '',
      date: new Date('2026-01-01T00:00:00Z'),
      messageType: 'service',
      mediaType: null,
      metadata: { isForwarded: false, action: 'MessageActionChannelCreate' },
    });
    expect(mapGramjsMessage(new Api.MessageEmpty({ id: 3 }))).toBeUndefined();
  });
});
