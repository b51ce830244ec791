export { protoFieldPath, toConnectError } from './grpc-error.js';
export { type GrpcRoutesOptions, grpcRoutes } from './grpc-routes.js';
export { type GrpcServer, type GrpcServerOptions, startGrpcServer } from './grpc-server.js';
export { messageToInput } from './message-to-input.js';
export { createMethodTable, type MethodEntry, type MethodTable } from './method-table.js';
export { outputToMessage } from './output-to-message.js';
export { procedurePathOf } from './procedure-handler.js';
export { type GrpcFaceOptions, grpcUrlOf, type MeshServiceWithGrpc, withGrpcFace } from './with-grpc-face.js';
