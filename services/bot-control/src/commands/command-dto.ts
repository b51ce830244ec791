/** The four commands a bot runtime obeys. */
export const COMMANDS = ['START', 'STOP', 'RESTART', 'CONFIG'] as const;
export type CommandName = (typeof COMMANDS)[number];

export type CommandStatus = 'pending' | 'acked' | 'done' | 'failed';

/** Channels the database notifies on; the payload is the bot id. */
export const COMMANDS_CHANNEL = 'bot_commands';
export const EVENTS_CHANNEL = 'bot_events';

/** Rows per read of a live feed. */
export const FEED_PAGE_SIZE = 500;
