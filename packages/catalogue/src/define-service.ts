/** `user-cache` → `userCache`: the key a service has in the SDK's aggregate client. */
export type CamelCase<TName extends string> = TName extends `${infer THead}-${infer TTail}`
  ? `${THead}${Capitalize<CamelCase<TTail>>}`
  : TName;

/** `user-cache` → `USER_CACHE`: the prefix of a process's environment variables. */
export type EnvPrefix<TName extends string> = TName extends `${infer THead}-${infer TTail}`
  ? `${Uppercase<THead>}_${EnvPrefix<TTail>}`
  : Uppercase<TName>;

/** What `mesh up` starts and a peer calls: every process of the mesh has these. */
export interface ProcessEntry<TName extends string = string> {
  readonly name: TName;
  /** Where it listens for HTTP (tRPC, probes, metrics) unless `portVar` moves it. */
  readonly httpPort: number;
  /** `USER_CACHE`: every variable naming this process starts with it. */
  readonly envPrefix: EnvPrefix<TName>;
  /** `USER_CACHE_PORT`: moves the HTTP port. */
  readonly portVar: `${EnvPrefix<TName>}_PORT`;
  /** `USER_CACHE_URL`: where its peers find it. */
  readonly urlVar: `${EnvPrefix<TName>}_URL`;
  /** Where it answers on a laptop: `http://127.0.0.1:<httpPort>`. */
  readonly defaultUrl: string;
  /** Process entry, relative to the repo root. */
  readonly entry: string;
}

/** One service of the mesh: a process with a gRPC face, its own Postgres schema and an image. */
export interface ServiceEntry<TName extends string = string> extends ProcessEntry<TName> {
  /** `userCache`: its key in the SDK's aggregate client. */
  readonly clientKey: CamelCase<TName>;
  /** Where it listens for gRPC, gRPC-Web and Connect (h2c) unless `grpcPortVar` moves it. */
  readonly grpcPort: number;
  /** `USER_CACHE_GRPC_PORT`. */
  readonly grpcPortVar: `${EnvPrefix<TName>}_GRPC_PORT`;
  /** Its Postgres schema and its SQL migrations (relative to the repo root). */
  readonly database: { readonly schema: string; readonly migrationsDir: string };
  /** Where it answers inside a Kubernetes namespace: its Service's DNS name and HTTP port. */
  readonly clusterUrl: string;
  /** The image name the manifests and overlays use (`mesh-user-cache`). */
  readonly image: string;
}

function envPrefix<TName extends string>(name: TName): EnvPrefix<TName> {
  return name.toUpperCase().replaceAll('-', '_') as EnvPrefix<TName>;
}

function camelCase<TName extends string>(name: TName): CamelCase<TName> {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()) as CamelCase<TName>;
}

/** A process entry from the facts written by hand; variable names and URLs follow from them. */
export function defineProcess<TName extends string>(facts: {
  name: TName;
  httpPort: number;
  entry: string;
}): ProcessEntry<TName> {
  const prefix = envPrefix(facts.name);
  return {
    name: facts.name,
    httpPort: facts.httpPort,
    envPrefix: prefix,
    portVar: `${prefix}_PORT`,
    urlVar: `${prefix}_URL`,
    defaultUrl: `http://127.0.0.1:${facts.httpPort}`,
    entry: facts.entry,
  };
}

/**
 * A service entry from its four facts. The rest follows by convention: the folder
 * `services/<name>` (entry `src/main.ts`, migrations `prisma/migrations`), the variables
 * `<PREFIX>_PORT`, `<PREFIX>_GRPC_PORT` and `<PREFIX>_URL`, the image `mesh-<name>`.
 */
export function defineService<TName extends string>(facts: {
  name: TName;
  httpPort: number;
  grpcPort: number;
  schema: string;
}): ServiceEntry<TName> {
  const { name, httpPort, grpcPort, schema } = facts;
  const base = defineProcess({ name, httpPort, entry: `services/${name}/src/main.ts` });
  return {
    ...base,
    clientKey: camelCase(name),
    grpcPort,
    grpcPortVar: `${base.envPrefix}_GRPC_PORT`,
    database: { schema, migrationsDir: `services/${name}/prisma/migrations` },
    clusterUrl: `http://${name}:${httpPort}`,
    image: `mesh-${name}`,
  };
}
