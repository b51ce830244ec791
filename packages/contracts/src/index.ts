import type { DescFile, DescService } from '@bufbuild/protobuf';
import { BadRequestSchema, ErrorInfoSchema } from './generated/google/rpc/error_details_pb.js';
import { file_grpc_health_v1_health, Health } from './generated/grpc/health/v1/health_pb.js';
import {
  file_grpc_reflection_v1_reflection,
  ServerReflection as ServerReflectionV1,
} from './generated/grpc/reflection/v1/reflection_pb.js';
import {
  file_grpc_reflection_v1alpha_reflection,
  ServerReflection as ServerReflectionV1alpha,
} from './generated/grpc/reflection/v1alpha/reflection_pb.js';
import {
  AnalyticsService,
  file_mesh_analytics_v1_analytics,
} from './generated/mesh/analytics/v1/analytics_pb.js';
import {
  BotControlService,
  file_mesh_bot_control_v1_bot_control,
} from './generated/mesh/bot_control/v1/bot_control_pb.js';
import {
  file_mesh_ingestion_v1_ingestion,
  IngestionService,
} from './generated/mesh/ingestion/v1/ingestion_pb.js';
import {
  file_mesh_options_v1_options,
  nullable_items,
  whole_output,
} from './generated/mesh/options/v1/options_pb.js';
import {
  file_mesh_user_cache_v1_user_cache,
  UserCacheService,
} from './generated/mesh/user_cache/v1/user_cache_pb.js';

export {
  AnalyticsService,
  BadRequestSchema,
  BotControlService,
  ErrorInfoSchema,
  Health,
  IngestionService,
  nullable_items,
  ServerReflectionV1,
  ServerReflectionV1alpha,
  UserCacheService,
  whole_output,
};

/** Each mesh service's gRPC service, by the service's catalogue name. */
export const meshServices = {
  ingestion: IngestionService,
  'user-cache': UserCacheService,
  analytics: AnalyticsService,
  'bot-control': BotControlService,
} as const satisfies Record<string, DescService>;

export type MeshServiceName = keyof typeof meshServices;

/** The file each mesh service is declared in, by catalogue name (what reflection describes). */
export const meshServiceFiles = {
  ingestion: file_mesh_ingestion_v1_ingestion,
  'user-cache': file_mesh_user_cache_v1_user_cache,
  analytics: file_mesh_analytics_v1_analytics,
  'bot-control': file_mesh_bot_control_v1_bot_control,
} as const satisfies Record<MeshServiceName, DescFile>;

/**
 * Every file generated from proto/ (the well-known types they import are reached through
 * each file's `dependencies`): enough for `createFileRegistry(...protoFiles)` and reflection.
 */
export const protoFiles: readonly DescFile[] = [
  file_mesh_options_v1_options,
  file_mesh_ingestion_v1_ingestion,
  file_mesh_user_cache_v1_user_cache,
  file_mesh_analytics_v1_analytics,
  file_mesh_bot_control_v1_bot_control,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
];
