import type { DescFile, DescService } from '@bufbuild/protobuf';
import { Code, type ConnectRouter } from '@connectrpc/connect';
import { ServerReflectionV1, ServerReflectionV1alpha } from '@mesh/contracts';
import { createDescriptorIndex, type DescriptorIndex } from './descriptor-index.js';

type ReflectionRequest = {
  host: string;
  messageRequest: { case: string | undefined; value?: unknown };
};

function answer(index: DescriptorIndex, services: readonly DescService[], request: ReflectionRequest) {
  const { case: kind, value } = request.messageRequest;
  const files = (found: Uint8Array[] | undefined, what: string) =>
    found
      ? { case: 'fileDescriptorResponse', value: { fileDescriptorProto: found } }
      : { case: 'errorResponse', value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } };
  switch (kind) {
    case 'listServices':
      return {
        case: 'listServicesResponse',
        value: { service: services.map((s) => ({ name: s.typeName })) },
      };
    case 'fileByFilename':
      return files(index.fileByName(value as string), `file ${String(value)}`);
    case 'fileContainingSymbol':
      return files(index.fileBySymbol(value as string), `symbol ${String(value)}`);
    default:
      // The mesh's contracts declare no extensions of other messages a client would ask about.
      return {
        case: 'errorResponse',
        value: { errorCode: Code.Unimplemented, errorMessage: `${kind ?? 'empty request'} is not supported` },
      };
  }
}

/**
 * gRPC server reflection (v1, and v1alpha for older tools) from the descriptors the face
 * serves: list_services, file_by_filename and file_containing_symbol, each file with its
 * imports. Connect-ES ships no reflection service, hence this one.
 */
export function registerReflection(router: ConnectRouter, options: { services: readonly DescService[] }) {
  const reflected = [...options.services, ServerReflectionV1, ServerReflectionV1alpha];
  const index = createDescriptorIndex(reflected.map((service): DescFile => service.file));
  for (const desc of [ServerReflectionV1, ServerReflectionV1alpha]) {
    router.rpc(desc.method.serverReflectionInfo, async function* (
      requests: AsyncIterable<ReflectionRequest>,
    ) {
      for await (const request of requests) {
        yield {
          validHost: request.host,
          originalRequest: request,
          messageResponse: answer(index, reflected, request),
        } as never;
      }
    } as never);
  }
}
