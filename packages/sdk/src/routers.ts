// The four routers' types, the one place the SDK names them. In this workspace they come from
// the services' sources; the published package carries, in this module's place, the plain
// declaration `emitRouterSurface` prints from them (`packages/sdk/api/routers.d.ts`), which
// names no Prisma type and no service internal.
export type { AnalyticsRouter } from '@mesh/analytics/router';
export type { BotControlRouter } from '@mesh/bot-control/router';
export type { IngestionRouter } from '@mesh/ingestion/router';
export type { UserCacheRouter } from '@mesh/user-cache/router';
