import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * `request.log` as Fastify makes it (`logger.child({ reqId }, options)`), made only when the
 * request writes a line or asks for its level: most calls write none, and a pino child per
 * request (its bindings serialised, its prototype chain) was a few microseconds of each. The
 * lines are the same child's, bound to the same id.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildOptions;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return this.#real().level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: LogArgs): void {
    this.#real().fatal(...args);
  }

  error(...args: LogArgs): void {
    this.#real().error(...args);
  }

  warn(...args: LogArgs): void {
    this.#real().warn(...args);
  }

  info(...args: LogArgs): void {
    this.#real().info(...args);
  }

  debug(...args: LogArgs): void {
    this.#real().debug(...args);
  }

  trace(...args: LogArgs): void {
    this.#real().trace(...args);
  }

  silent(...args: LogArgs): void {
    this.#real().silent(...args);
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory` giving each request a {@link LazyChildLogger}. */
export const lazyChildLoggerFactory = (
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildOptions,
): FastifyBaseLogger => new LazyChildLogger(logger, bindings, options);
