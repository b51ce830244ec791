// Outputs have no runtime schema (the procedures declare no `.output()` parser), so their
// agreement with the response messages is checked by the compiler (`npm run typecheck`): each
// unary procedure's answer, or each item of it, has exactly the fields of its proto message.
// Field names only; the types follow the mapping in proto/README.md.
import type { AnalyticsRouter } from '@mesh/analytics/router';
import type { BotControlRouter } from '@mesh/bot-control/router';
import type * as a from '@mesh/contracts/analytics';
import type * as b from '@mesh/contracts/bot-control';
import type * as i from '@mesh/contracts/ingestion';
import type * as u from '@mesh/contracts/user-cache';
import type { IngestionRouter } from '@mesh/ingestion/router';
import type { UserCacheRouter } from '@mesh/user-cache/router';
import type { inferRouterOutputs } from '@trpc/server';
import { expectTypeOf, test } from 'vitest';

type Fields<TMessage> = Exclude<keyof TMessage, '$typeName' | '$unknown'>;
type Item<T> = T extends readonly (infer TItem)[] ? Item<TItem> : NonNullable<T>;
/** `true`, or the keys found on one side only. */
type SameFields<TOutput, TMessage, TExtra extends PropertyKey = never> = [
  Exclude<keyof Item<TOutput>, Fields<TMessage>>,
  Exclude<Fields<TMessage>, keyof Item<TOutput> | TExtra>,
] extends [never, never]
  ? true
  : {
      onlyInOutput: Exclude<keyof Item<TOutput>, Fields<TMessage>>;
      onlyInProto: Exclude<Fields<TMessage>, keyof Item<TOutput> | TExtra>;
    };

type I = inferRouterOutputs<IngestionRouter>;
type U = inferRouterOutputs<UserCacheRouter>;
type A = inferRouterOutputs<AnalyticsRouter>;
type B = inferRouterOutputs<BotControlRouter>;
type UnaryFields<TOutputs, TMap> = {
  [K in keyof TMap & keyof TOutputs]: TMap[K] extends [infer TMessage, infer TExtra extends PropertyKey]
    ? SameFields<TOutputs[K], TMessage, TExtra>
    : SameFields<TOutputs[K], TMap[K]>;
};
type AllTrue<T> = { [K in keyof T]: true };

test('ingestion answers carry exactly their messages’ fields', () => {
  type Map = {
    registerChannels: i.RegisterChannelsResponse;
    listChannels: i.Channel;
    listMessages: i.ListMessagesResponse;
    syncMessages: i.SyncMessagesResponse;
    getSyncSource: i.GetSyncSourceResponse;
    saveTelegramSession: i.SaveTelegramSessionResponse;
  };
  expectTypeOf<UnaryFields<I, Map>>().toEqualTypeOf<AllTrue<Map>>();
  expectTypeOf<SameFields<I['listMessages']['messages'], i.Message>>().toEqualTypeOf<true>();
  expectTypeOf<SameFields<I['syncMessages']['channels'], i.ChannelOutcome>>().toEqualTypeOf<true>();
});

test('user-cache answers carry exactly their messages’ fields', () => {
  type Map = {
    // UserDto has no wallets; the User message carries them only for getUsers.
    getUser: [u.User, 'wallets'];
    getUsers: u.User;
    createUsers: u.CreateUsersResponse;
    upsertUsers: u.UpsertUsersResponse;
    updateUser: [u.User, 'wallets'];
    pair: u.PairResponse;
    unpair: u.UnpairResponse;
    getPartner: u.GetPartnerResponse;
    getUsersWithPartners: u.ChatWithPartner;
  };
  expectTypeOf<UnaryFields<U, Map>>().toEqualTypeOf<AllTrue<Map>>();
});

test('analytics answers carry exactly their messages’ fields', () => {
  type Map = {
    recordTrades: a.RecordTradesResponse;
    userSummary: a.UserSummaryResponse;
    dashboardMetrics: a.DashboardFigures;
    revenue: a.RevenuePoint;
    userGrowth: a.UserGrowthResponse;
    topUsersByPnl: a.TopUser;
    topUsersByVolume: a.TopUser;
    assetPerformance: a.AssetFigures;
    cacheStats: a.CacheStatsResponse;
    tradeHistory: a.TradeHistoryResponse;
    tradeHistoryPage: a.TradeHistoryPageResponse;
  };
  expectTypeOf<UnaryFields<A, Map>>().toEqualTypeOf<AllTrue<Map>>();
  expectTypeOf<SameFields<A['tradeHistory']['trades'], a.Trade>>().toEqualTypeOf<true>();
  expectTypeOf<SameFields<A['userGrowth']['days'], a.GrowthDay>>().toEqualTypeOf<true>();
});

test('bot-control answers carry exactly their messages’ fields', () => {
  type Map = {
    registerBot: b.Bot;
    getBot: b.Bot;
    startBot: b.StartBotResponse;
    stopBot: b.StopBotResponse;
    restartBot: b.RestartBotResponse;
    configureBot: b.ConfigureBotResponse;
    ackCommand: b.AckCommandResponse;
    completeCommand: b.CompleteCommandResponse;
    jobStats: b.JobTypeStats;
  };
  expectTypeOf<UnaryFields<B, Map>>().toEqualTypeOf<AllTrue<Map>>();
});
