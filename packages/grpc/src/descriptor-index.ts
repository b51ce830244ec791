import { type DescFile, type DescMessage, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

/** The files a reflection client can ask for, by file name and by every symbol they declare. */
export interface DescriptorIndex {
  /** The file with its transitive imports, each serialized as a FileDescriptorProto. */
  fileByName(name: string): Uint8Array[] | undefined;
  /** The file declaring a message, enum, service, method, field or extension. */
  fileBySymbol(symbol: string): Uint8Array[] | undefined;
}

function addMessage(symbols: Map<string, DescFile>, file: DescFile, message: DescMessage) {
  symbols.set(message.typeName, file);
  for (const field of message.fields) symbols.set(`${message.typeName}.${field.name}`, file);
  for (const nested of message.nestedMessages) addMessage(symbols, file, nested);
  for (const nested of message.nestedEnums) symbols.set(nested.typeName, file);
  for (const nested of message.nestedExtensions) symbols.set(nested.typeName, file);
}

/** Indexes `files` and everything they import (google/protobuf/* included). */
export function createDescriptorIndex(files: readonly DescFile[]): DescriptorIndex {
  const byName = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (byName.has(file.proto.name)) return;
    byName.set(file.proto.name, file);
    for (const message of file.messages) addMessage(symbols, file, message);
    for (const desc of file.enums) symbols.set(desc.typeName, file);
    for (const desc of file.extensions) symbols.set(desc.typeName, file);
    for (const service of file.services) {
      symbols.set(service.typeName, file);
      for (const method of service.methods) symbols.set(`${service.typeName}.${method.name}`, file);
    }
    for (const dependency of file.dependencies) visit(dependency);
  };
  for (const file of files) visit(file);

  const encoded = new Map<DescFile, Uint8Array>();
  const encode = (file: DescFile) => {
    let bytes = encoded.get(file);
    if (!bytes) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      encoded.set(file, bytes);
    }
    return bytes;
  };
  /** The file first, then its imports: clients resolve dependencies from the same answer. */
  const withImports = (file: DescFile): Uint8Array[] => {
    const seen = new Set<DescFile>();
    const walk = (current: DescFile) => {
      if (seen.has(current)) return;
      seen.add(current);
      for (const dependency of current.dependencies) walk(dependency);
    };
    walk(file);
    return [file, ...[...seen].filter((other) => other !== file)].map(encode);
  };
  return {
    fileByName: (name) => {
      const file = byName.get(name);
      return file && withImports(file);
    },
    fileBySymbol: (symbol) => {
      const file = symbols.get(symbol.startsWith('.') ? symbol.slice(1) : symbol);
      return file && withImports(file);
    },
  };
}
