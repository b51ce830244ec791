// The public surface of the mesh's services, as the SDK's clients see it: every procedure's kind,
// input and output, spelled out as plain types. Written by `npm run surface -w @mesh/sdk` from the
// services' routers; a test fails when it differs from what the routers say now, so a change to a
// procedure shows in review here, and a breaking one fails until acknowledged (see CHANGELOG.md).
// biome-ignore-all lint: printed by the type checker; an input of void is how tRPC says "no input".
import type {
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from '@trpc/server';

type JSONType =
  | null
  | string
  | number
  | boolean
  | JSONType[]
  | {
      [key: string]: JSONType;
    };
type JsonObject = {
  [key: string]: undefined | null | string | number | boolean | JsonObject | JsonValue[];
};
type JsonValue = null | string | number | boolean | JsonObject | JsonValue[];
export type AnalyticsRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: {
      message: string;
      data: {
        code:
          | 'BAD_GATEWAY'
          | 'BAD_REQUEST'
          | 'CLIENT_CLOSED_REQUEST'
          | 'CONFLICT'
          | 'FORBIDDEN'
          | 'GATEWAY_TIMEOUT'
          | 'INTERNAL_SERVER_ERROR'
          | 'METHOD_NOT_SUPPORTED'
          | 'NOT_FOUND'
          | 'NOT_IMPLEMENTED'
          | 'PARSE_ERROR'
          | 'PAYLOAD_TOO_LARGE'
          | 'PAYMENT_REQUIRED'
          | 'PRECONDITION_FAILED'
          | 'PRECONDITION_REQUIRED'
          | 'SERVICE_UNAVAILABLE'
          | 'TIMEOUT'
          | 'TOO_MANY_REQUESTS'
          | 'UNAUTHORIZED'
          | 'UNPROCESSABLE_CONTENT'
          | 'UNSUPPORTED_MEDIA_TYPE';
        httpStatus: number;
        path?: undefined | string;
        meshCode?: undefined | string;
        issues?:
          | undefined
          | {
              path: string;
              message: string;
            }[];
      };
      code:
        | -32603
        | -32600
        | -32099
        | -32009
        | -32003
        | -32005
        | -32004
        | -32700
        | -32013
        | -32002
        | -32012
        | -32028
        | -32008
        | -32029
        | -32001
        | -32022
        | -32015;
    };
    transformer: true;
  },
  {
    tradeHistory: TRPCQueryProcedure<{
      input: {
        cursor?: undefined | string;
        limit?: undefined | number;
        userId?: undefined | bigint;
        asset?: undefined | string;
      };
      output: {
        trades: {
          id: bigint;
          userId: bigint;
          asset: string;
          side: string;
          quantity: string;
          price: string;
          fee: string;
          pnl: null | string;
          status: string;
          openedAt: Date;
          closedAt: Date;
        }[];
        nextCursor: null | string;
      };
      meta: object;
    }>;
    tradeHistoryPage: TRPCQueryProcedure<{
      input: {
        page?: undefined | number;
        limit?: undefined | number;
        userId?: undefined | bigint;
        asset?: undefined | string;
      };
      output: {
        trades: {
          id: bigint;
          userId: bigint;
          asset: string;
          side: string;
          quantity: string;
          price: string;
          fee: string;
          pnl: null | string;
          status: string;
          openedAt: Date;
          closedAt: Date;
        }[];
        total: number;
        page: number;
        limit: number;
        pages: number;
      };
      meta: object;
    }>;
    dashboardMetrics: TRPCQueryProcedure<{
      input: void;
      output: {
        traders: number;
        activeTraders24h: number;
        trades: number;
        openTrades: number;
        volume: string;
        revenue: string;
        pnl: string;
      };
      meta: object;
    }>;
    revenue: TRPCQueryProcedure<{
      input: {
        from: Date;
        to: Date;
        bucket?: undefined | 'hour' | 'day' | 'week' | 'month';
      };
      output: {
        bucket: Date;
        revenue: string;
        trades: number;
      }[];
      meta: object;
    }>;
    userGrowth: TRPCQueryProcedure<{
      input: {
        from: Date;
        to: Date;
      };
      output: {
        days: {
          day: Date;
          newTraders: number;
          signups: number;
        }[];
        signupsComplete: boolean;
      };
      meta: object;
    }>;
    topUsersByPnl: TRPCQueryProcedure<{
      input:
        | undefined
        | {
            limit?: undefined | number;
          };
      output: {
        userId: bigint;
        name: null | string;
        value: string;
        trades: number;
      }[];
      meta: object;
    }>;
    topUsersByVolume: TRPCQueryProcedure<{
      input:
        | undefined
        | {
            limit?: undefined | number;
          };
      output: {
        userId: bigint;
        name: null | string;
        value: string;
        trades: number;
      }[];
      meta: object;
    }>;
    assetPerformance: TRPCQueryProcedure<{
      input: void;
      output: {
        asset: string;
        trades: number;
        closedTrades: number;
        winningTrades: number;
        volume: string;
        pnl: string;
        fees: string;
      }[];
      meta: object;
    }>;
    onDashboard: TRPCSubscriptionProcedure<{
      input: void;
      output: AsyncIterable<{
        traders: number;
        activeTraders24h: number;
        trades: number;
        openTrades: number;
        volume: string;
        revenue: string;
        pnl: string;
      }>;
      meta: object;
    }>;
    cacheStats: TRPCQueryProcedure<{
      input: void;
      output: {
        figures: {
          revenue: {
            hits: number;
            misses: number;
            stale: number;
            errors: number;
            hitRatio: number;
          };
          dashboardMetrics: {
            hits: number;
            misses: number;
            stale: number;
            errors: number;
            hitRatio: number;
          };
          userGrowth: {
            hits: number;
            misses: number;
            stale: number;
            errors: number;
            hitRatio: number;
          };
          topUsersByPnl: {
            hits: number;
            misses: number;
            stale: number;
            errors: number;
            hitRatio: number;
          };
          topUsersByVolume: {
            hits: number;
            misses: number;
            stale: number;
            errors: number;
            hitRatio: number;
          };
          assetPerformance: {
            hits: number;
            misses: number;
            stale: number;
            errors: number;
            hitRatio: number;
          };
        };
      };
      meta: object;
    }>;
    recordTrades: TRPCMutationProcedure<{
      input: {
        trades: {
          userId: bigint;
          asset: string;
          side: 'buy' | 'sell';
          quantity: string;
          price: string;
          fee?: undefined | string;
          pnl?: undefined | string;
          status?: undefined | 'open' | 'closed' | 'cancelled';
          openedAt?: undefined | Date;
          closedAt?: undefined | Date;
        }[];
      };
      output: {
        recorded: number;
      };
      meta: object;
    }>;
    userSummary: TRPCQueryProcedure<{
      input: {
        userId: bigint;
      };
      output: {
        userId: bigint;
        name: null | string;
        trades: number;
        volume: string;
      };
      meta: object;
    }>;
  }
>;

export type BotControlRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: {
      message: string;
      data: {
        code:
          | 'BAD_GATEWAY'
          | 'BAD_REQUEST'
          | 'CLIENT_CLOSED_REQUEST'
          | 'CONFLICT'
          | 'FORBIDDEN'
          | 'GATEWAY_TIMEOUT'
          | 'INTERNAL_SERVER_ERROR'
          | 'METHOD_NOT_SUPPORTED'
          | 'NOT_FOUND'
          | 'NOT_IMPLEMENTED'
          | 'PARSE_ERROR'
          | 'PAYLOAD_TOO_LARGE'
          | 'PAYMENT_REQUIRED'
          | 'PRECONDITION_FAILED'
          | 'PRECONDITION_REQUIRED'
          | 'SERVICE_UNAVAILABLE'
          | 'TIMEOUT'
          | 'TOO_MANY_REQUESTS'
          | 'UNAUTHORIZED'
          | 'UNPROCESSABLE_CONTENT'
          | 'UNSUPPORTED_MEDIA_TYPE';
        httpStatus: number;
        path?: undefined | string;
        meshCode?: undefined | string;
        issues?:
          | undefined
          | {
              path: string;
              message: string;
            }[];
      };
      code:
        | -32603
        | -32600
        | -32099
        | -32009
        | -32003
        | -32005
        | -32004
        | -32700
        | -32013
        | -32002
        | -32012
        | -32028
        | -32008
        | -32029
        | -32001
        | -32022
        | -32015;
    };
    transformer: true;
  },
  {
    jobStats: TRPCQueryProcedure<{
      input: void;
      output: {
        type: 'telegram.callback' | 'bot.notify' | 'escrow.sync' | 'bot.health' | 'analytics.rollup';
        completed: number;
        failed: number;
        retried: number;
        active: number;
      }[];
      meta: object;
    }>;
    startBot: TRPCMutationProcedure<{
      input: {
        botId: string;
        payload?:
          | undefined
          | {
              [key: string]: JSONType;
            };
      };
      output: {
        commandId: string;
        eventId: string;
      };
      meta: object;
    }>;
    stopBot: TRPCMutationProcedure<{
      input: {
        botId: string;
        payload?:
          | undefined
          | {
              [key: string]: JSONType;
            };
      };
      output: {
        commandId: string;
        eventId: string;
      };
      meta: object;
    }>;
    restartBot: TRPCMutationProcedure<{
      input: {
        botId: string;
        payload?:
          | undefined
          | {
              [key: string]: JSONType;
            };
      };
      output: {
        commandId: string;
        eventId: string;
      };
      meta: object;
    }>;
    configureBot: TRPCMutationProcedure<{
      input: {
        botId: string;
        config: {
          [key: string]: JSONType;
        };
      };
      output: {
        commandId: string;
        eventId: string;
      };
      meta: object;
    }>;
    onCommand: TRPCSubscriptionProcedure<{
      input: {
        botId: string;
        lastEventId?: undefined | string;
      };
      output: AsyncIterable<{
        id: string;
        data: {
          command: 'START' | 'STOP' | 'RESTART' | 'CONFIG';
          error: null | string;
          id: string;
          status: string;
          createdAt: Date;
          botId: string;
          payload: JsonValue;
          seq: bigint;
          ackedAt: null | Date;
          completedAt: null | Date;
        };
      }>;
      meta: object;
    }>;
    ackCommand: TRPCMutationProcedure<{
      input: {
        commandId: string;
      };
      output: {
        eventId: string;
        botStatus: string;
      };
      meta: object;
    }>;
    completeCommand: TRPCMutationProcedure<{
      input: {
        commandId: string;
        ok: boolean;
        error?: undefined | string;
      };
      output: {
        eventId: string;
        botStatus: string;
      };
      meta: object;
    }>;
    onStatus: TRPCSubscriptionProcedure<{
      input: {
        botId: string;
        lastEventId?: undefined | string;
      };
      output: AsyncIterable<{
        id: string;
        data: {
          type: string;
          id: string;
          createdAt: Date;
          botId: string;
          payload: JsonValue;
          seq: bigint;
          commandId: null | string;
        };
      }>;
      meta: object;
    }>;
    registerBot: TRPCMutationProcedure<{
      input: {
        name: string;
      };
      output: {
        id: string;
        name: string;
        status: string;
        createdAt: Date;
        updatedAt: Date;
        lastCommandSeq: bigint;
        lastEventSeq: bigint;
      };
      meta: object;
    }>;
    getBot: TRPCQueryProcedure<{
      input: {
        id: string;
      };
      output: {
        id: string;
        name: string;
        status: string;
        createdAt: Date;
        updatedAt: Date;
        lastCommandSeq: bigint;
        lastEventSeq: bigint;
      };
      meta: object;
    }>;
  }
>;

export type IngestionRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: {
      message: string;
      data: {
        code:
          | 'BAD_GATEWAY'
          | 'BAD_REQUEST'
          | 'CLIENT_CLOSED_REQUEST'
          | 'CONFLICT'
          | 'FORBIDDEN'
          | 'GATEWAY_TIMEOUT'
          | 'INTERNAL_SERVER_ERROR'
          | 'METHOD_NOT_SUPPORTED'
          | 'NOT_FOUND'
          | 'NOT_IMPLEMENTED'
          | 'PARSE_ERROR'
          | 'PAYLOAD_TOO_LARGE'
          | 'PAYMENT_REQUIRED'
          | 'PRECONDITION_FAILED'
          | 'PRECONDITION_REQUIRED'
          | 'SERVICE_UNAVAILABLE'
          | 'TIMEOUT'
          | 'TOO_MANY_REQUESTS'
          | 'UNAUTHORIZED'
          | 'UNPROCESSABLE_CONTENT'
          | 'UNSUPPORTED_MEDIA_TYPE';
        httpStatus: number;
        path?: undefined | string;
        meshCode?: undefined | string;
        issues?:
          | undefined
          | {
              path: string;
              message: string;
            }[];
      };
      code:
        | -32603
        | -32600
        | -32099
        | -32009
        | -32003
        | -32005
        | -32004
        | -32700
        | -32013
        | -32002
        | -32012
        | -32028
        | -32008
        | -32029
        | -32001
        | -32022
        | -32015;
    };
    transformer: true;
  },
  {
    saveTelegramSession: TRPCMutationProcedure<{
      input: {
        session: string;
        name?: undefined | string;
      };
      output: {
        name: string;
        keyId: string;
      };
      meta: object;
    }>;
    syncMessages: TRPCMutationProcedure<{
      input: {
        channels?: undefined | bigint[];
        limit?: undefined | number;
        concurrency?: undefined | number;
        runId?: undefined | string;
        triggeredBy?: undefined | string;
      };
      output: {
        runId: string;
        source: 'mtproto' | 'simulated';
        status: 'failed' | 'ok' | 'partial' | 'empty';
        channels: {
          channelId: bigint;
          username: string;
          messagesSynced: number;
          messagesSaved: number;
          latestMessageId: null | bigint;
          skipped?: undefined | true;
          reason?: undefined | string;
          error?:
            | undefined
            | {
                code: string;
                message: string;
              };
        }[];
        totals: {
          channels: number;
          synced: number;
          skipped: number;
          failed: number;
          messagesSynced: number;
          messagesSaved: number;
        };
        durationMs: number;
        queryCount: number;
      };
      meta: object;
    }>;
    onSyncProgress: TRPCSubscriptionProcedure<{
      input: {
        runId?: undefined | string;
      };
      output: AsyncIterable<
        | {
            runId: string;
            stage: 'run-started';
            limit: number;
            channels: {
              channelId: bigint;
              username: string;
              locked: boolean;
            }[];
          }
        | {
            runId: string;
            stage: 'started';
            channelId: bigint;
          }
        | {
            runId: string;
            stage: 'fetched';
            channelId: bigint;
            fetched: number;
          }
        | {
            runId: string;
            stage: 'saved';
            channelId: bigint;
            fetched: number;
            written: number;
            saved: number;
          }
        | {
            runId: string;
            stage: 'done';
            channelId: bigint;
            outcome: {
              channelId: bigint;
              username: string;
              messagesSynced: number;
              messagesSaved: number;
              latestMessageId: null | bigint;
              skipped?: undefined | true;
              reason?: undefined | string;
              error?:
                | undefined
                | {
                    code: string;
                    message: string;
                  };
            };
          }
        | {
            runId: string;
            stage: 'run-done';
            status: 'failed' | 'ok' | 'partial' | 'empty';
            totals: {
              channels: number;
              synced: number;
              skipped: number;
              failed: number;
              messagesSynced: number;
              messagesSaved: number;
            };
            durationMs: number;
          }
      >;
      meta: object;
    }>;
    getSyncSource: TRPCQueryProcedure<{
      input: void;
      output: {
        kind: 'mtproto' | 'simulated';
      };
      meta: object;
    }>;
    listMessages: TRPCQueryProcedure<{
      input: {
        channelId: bigint;
        cursor?: undefined | string;
        limit?: undefined | number;
      };
      output: {
        messages: {
          channelId: bigint;
          messageId: bigint;
          text: string;
          telegramDate: Date;
          source: string;
          messageType: 'service' | 'channel_post';
          mediaType:
            | null
            | 'other'
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
            | 'contact';
          status: string;
          metadata: {
            fromId?: undefined | string;
            isForwarded: boolean;
            forwardedFrom?: undefined | string;
            replyTo?: undefined | number;
            views?: undefined | number;
            forwards?: undefined | number;
            groupedId?: undefined | string;
            editDate?: undefined | string;
            postAuthor?: undefined | string;
            action?: undefined | string;
          };
          createdAt: Date;
        }[];
        nextCursor: null | string;
      };
      meta: object;
    }>;
    registerChannels: TRPCMutationProcedure<{
      input: {
        channels: {
          id: bigint;
          username: string;
          title: string;
        }[];
      };
      output: {
        registered: number;
      };
      meta: object;
    }>;
    listChannels: TRPCQueryProcedure<{
      input: {
        limit?: undefined | number;
      };
      output: {
        id: bigint;
        createdAt: Date;
        username: string;
        title: string;
        active: boolean;
      }[];
      meta: object;
    }>;
  }
>;

export type UserCacheRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: {
      message: string;
      data: {
        code:
          | 'BAD_GATEWAY'
          | 'BAD_REQUEST'
          | 'CLIENT_CLOSED_REQUEST'
          | 'CONFLICT'
          | 'FORBIDDEN'
          | 'GATEWAY_TIMEOUT'
          | 'INTERNAL_SERVER_ERROR'
          | 'METHOD_NOT_SUPPORTED'
          | 'NOT_FOUND'
          | 'NOT_IMPLEMENTED'
          | 'PARSE_ERROR'
          | 'PAYLOAD_TOO_LARGE'
          | 'PAYMENT_REQUIRED'
          | 'PRECONDITION_FAILED'
          | 'PRECONDITION_REQUIRED'
          | 'SERVICE_UNAVAILABLE'
          | 'TIMEOUT'
          | 'TOO_MANY_REQUESTS'
          | 'UNAUTHORIZED'
          | 'UNPROCESSABLE_CONTENT'
          | 'UNSUPPORTED_MEDIA_TYPE';
        httpStatus: number;
        path?: undefined | string;
        meshCode?: undefined | string;
        issues?:
          | undefined
          | {
              path: string;
              message: string;
            }[];
      };
      code:
        | -32603
        | -32600
        | -32099
        | -32009
        | -32003
        | -32005
        | -32004
        | -32700
        | -32013
        | -32002
        | -32012
        | -32028
        | -32008
        | -32029
        | -32001
        | -32022
        | -32015;
    };
    transformer: true;
  },
  {
    pair: TRPCMutationProcedure<{
      input: {
        chatId: bigint;
        partnerId: bigint;
      };
      output: {
        paired: true;
      };
      meta: object;
    }>;
    unpair: TRPCMutationProcedure<{
      input: {
        chatId: bigint;
      };
      output: {
        partnerId: null | bigint;
      };
      meta: object;
    }>;
    getPartner: TRPCQueryProcedure<{
      input: {
        chatId: bigint;
      };
      output: {
        partnerId: null | bigint;
      };
      meta: object;
    }>;
    getUsersWithPartners: TRPCQueryProcedure<{
      input: {
        chatIds: bigint[];
      };
      output: {
        chatId: bigint;
        user: null | {
          id: bigint;
          name: string;
          gender: null | string;
          status: string;
          createdAt: Date;
          updatedAt: Date;
        };
        partnerId: null | bigint;
        partner: null | {
          id: bigint;
          name: string;
          gender: null | string;
          status: string;
          createdAt: Date;
          updatedAt: Date;
        };
      }[];
      meta: object;
    }>;
    getUsers: TRPCQueryProcedure<{
      input: {
        ids: bigint[];
        include?:
          | undefined
          | {
              wallets?: undefined | boolean;
            };
      };
      output: (null | {
        wallets?:
          | undefined
          | {
              currency: string;
              balance: string;
              updatedAt: Date;
            }[];
        id: bigint;
        name: string;
        gender: null | string;
        status: string;
        createdAt: Date;
        updatedAt: Date;
      })[];
      meta: object;
    }>;
    getUser: TRPCQueryProcedure<{
      input: {
        id: bigint;
      };
      output: null | {
        id: bigint;
        name: string;
        gender: null | string;
        status: string;
        createdAt: Date;
        updatedAt: Date;
      };
      meta: object;
    }>;
    createUsers: TRPCMutationProcedure<{
      input: {
        users: {
          id: bigint;
          name: string;
          gender?: undefined | 'male' | 'female' | 'other';
        }[];
      };
      output: {
        created: number;
      };
      meta: object;
    }>;
    upsertUsers: TRPCMutationProcedure<{
      input: {
        users: {
          id: bigint;
          name: string;
          gender?: undefined | 'male' | 'female' | 'other';
          status?: undefined | string;
          wallets?:
            | undefined
            | {
                currency: string;
                balance: string;
              }[];
        }[];
      };
      output: {
        users: number;
        wallets: number;
      };
      meta: object;
    }>;
    updateUser: TRPCMutationProcedure<{
      input: {
        id: bigint;
        name?: undefined | string;
        gender?: undefined | null | 'male' | 'female' | 'other';
        status?: undefined | string;
      };
      output: {
        id: bigint;
        name: string;
        gender: null | string;
        status: string;
        createdAt: Date;
        updatedAt: Date;
      };
      meta: object;
    }>;
  }
>;
