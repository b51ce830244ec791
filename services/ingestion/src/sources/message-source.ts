/** What a message is, whichever source fetched it. */
export type MessageType = 'channel_post' | 'service';

export type MediaType =
  | 'photo'
  | 'video'
  | 'video_note'
  | 'animation'
  | 'audio'
  | 'voice'
  | 'sticker'
  | 'document'
  | 'webpage'
  | 'poll'
  | 'geo'
  | 'contact'
  | 'other';

/** Extra facts kept as JSON beside a message; only what the source said is present. */
export interface MessageMetadata {
  fromId?: string;
  isForwarded: boolean;
  forwardedFrom?: string;
  replyTo?: number;
  views?: number;
  forwards?: number;
  groupedId?: string;
  editDate?: string;
  postAuthor?: string;
  action?: string;
}

/** One channel post as a source returns it. */
export interface SourceMessage {
  id: bigint;
  text: string;
  date: Date;
  messageType: MessageType;
  mediaType: MediaType | null;
  metadata: MessageMetadata;
}

/** Which channel to read: MTProto needs the username to resolve the channel's access hash. */
export interface SourceChannel {
  id: bigint;
  username: string;
}

export interface GetMessagesOptions {
  /** At most this many messages. */
  limit: number;
  /** Only messages newer than this id (0: from the channel's first post). */
  minId: bigint;
  /** Aborted when the sync gives up on this channel (timeout). */
  signal?: AbortSignal;
}

/**
 * Where posts come from: Telegram over MTProto, or the simulated channel. Returns the oldest
 * `limit` messages after `minId`, in ascending id order, so repeated syncs catch up without gaps.
 */
export interface MessageSource {
  /** `mtproto` or `simulated`: stored in each message's `source` column. */
  readonly kind: 'mtproto' | 'simulated';
  getMessages(channel: SourceChannel, options: GetMessagesOptions): Promise<SourceMessage[]>;
  close?(): Promise<void>;
}
