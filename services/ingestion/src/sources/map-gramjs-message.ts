import { type Api, utils } from 'telegram';
import type { MediaType, MessageMetadata, SourceMessage } from './message-source.js';

function documentMediaType(document: Api.TypeDocument | undefined): MediaType {
  if (document?.className !== 'Document') return 'document';
  let type: MediaType = 'document';
  for (const attribute of document.attributes) {
    switch (attribute.className) {
      case 'DocumentAttributeSticker':
        return 'sticker';
      case 'DocumentAttributeAnimated':
        return 'animation';
      case 'DocumentAttributeVideo':
        type = attribute.roundMessage ? 'video_note' : 'video';
        break;
      case 'DocumentAttributeAudio':
        type = attribute.voice ? 'voice' : 'audio';
        break;
      default:
        break;
    }
  }
  return type;
}

/** The kind of a GramJS message's media, or null for a text-only post. */
export function mediaTypeOf(media: Api.TypeMessageMedia | undefined): MediaType | null {
  switch (media?.className) {
    case undefined:
    case 'MessageMediaEmpty':
      return null;
    case 'MessageMediaPhoto':
      return 'photo';
    case 'MessageMediaDocument':
      return documentMediaType(media.document);
    case 'MessageMediaWebPage':
      return 'webpage';
    case 'MessageMediaPoll':
      return 'poll';
    case 'MessageMediaGeo':
    case 'MessageMediaGeoLive':
    case 'MessageMediaVenue':
      return 'geo';
    case 'MessageMediaContact':
      return 'contact';
    default:
      return 'other';
  }
}

/** A peer as Telegram's marked id: users positive, chats negative, channels -100... */
function peerId(peer: Api.TypePeer | undefined): string | undefined {
  return peer ? utils.getPeerId(peer) : undefined;
}

function isoDate(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
}

/** Drops absent keys so the stored JSON holds only what Telegram said. */
function compact(metadata: MessageMetadata): MessageMetadata {
  return Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== undefined),
  ) as MessageMetadata;
}

/**
 * A message as GramJS returns it from `getMessages` (`Api.Message`, `Api.MessageService`,
 * `Api.MessageEmpty`) in the source's shape; undefined for an empty (deleted) one. Reads the raw
 * TL fields: `message.text` needs a connected client's parse mode, `message.message` does not.
 */
export function mapGramjsMessage(message: Api.TypeMessage): SourceMessage | undefined {
  if (message.className === 'MessageEmpty') return undefined;
  const common = {
    id: BigInt(message.id),
    date: new Date(message.date * 1000),
  };
  if (message.className === 'MessageService') {
    return {
      ...common,
      text: '',
      messageType: 'service',
      mediaType: null,
      metadata: compact({
        isForwarded: false,
        fromId: peerId(message.fromId),
        action: message.action.className,
      }),
    };
  }
  const replyTo =
    message.replyTo?.className === 'MessageReplyHeader' ? message.replyTo.replyToMsgId : undefined;
  const forward = message.fwdFrom;
  return {
    ...common,
    text: message.message ?? '',
    messageType: 'channel_post',
    mediaType: mediaTypeOf(message.media),
    metadata: compact({
      fromId: peerId(message.fromId),
      isForwarded: forward !== undefined,
      forwardedFrom: forward ? (peerId(forward.fromId) ?? forward.fromName) : undefined,
      replyTo,
      views: message.views,
      forwards: message.forwards,
      groupedId: message.groupedId?.toString(),
      editDate: isoDate(message.editDate),
      postAuthor: message.postAuthor,
    }),
  };
}
