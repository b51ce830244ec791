// The services' entries without the catalogue's file paths (Node only): browsers load this too.
import { catalogue } from '@mesh/catalogue/services';
import { createServiceClient, type ServiceClientOptions } from '@mesh/client';
import type { TRPCClient } from '@trpc/client';
import type { AnalyticsRouter, BotControlRouter, IngestionRouter, UserCacheRouter } from './routers.js';

export interface MeshUrls {
  ingestion: string;
  userCache: string;
  analytics: string;
  botControl: string;
}

/** Where each service listens on a laptop (`npm start`), from the catalogue. */
export const defaultMeshUrls: MeshUrls = {
  ingestion: catalogue.ingestion.defaultUrl,
  userCache: catalogue['user-cache'].defaultUrl,
  analytics: catalogue.analytics.defaultUrl,
  botControl: catalogue['bot-control'].defaultUrl,
};

export interface CreateMeshClientOptions extends Omit<ServiceClientOptions, 'url'> {
  urls?: Partial<MeshUrls>;
}

export interface MeshClient {
  ingestion: TRPCClient<IngestionRouter>;
  userCache: TRPCClient<UserCacheRouter>;
  analytics: TRPCClient<AnalyticsRouter>;
  botControl: TRPCClient<BotControlRouter>;
  /** Closes any open websockets. */
  close(): Promise<void>;
}

/** The typed client for every service of the mesh. */
export function createMeshClient({ urls = {}, ...options }: CreateMeshClientOptions): MeshClient {
  const resolved = { ...defaultMeshUrls, ...urls };
  const ingestion = createServiceClient<IngestionRouter>({ ...options, url: resolved.ingestion });
  const userCache = createServiceClient<UserCacheRouter>({ ...options, url: resolved.userCache });
  const analytics = createServiceClient<AnalyticsRouter>({ ...options, url: resolved.analytics });
  const botControl = createServiceClient<BotControlRouter>({ ...options, url: resolved.botControl });
  const all = [ingestion, userCache, analytics, botControl];
  return {
    ingestion: ingestion.client,
    userCache: userCache.client,
    analytics: analytics.client,
    botControl: botControl.client,
    close: async () => void (await Promise.all(all.map((entry) => entry.close()))),
  };
}
