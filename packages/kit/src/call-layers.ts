/**
 * The layers a call passes through on the kit's fast path, by the names the cost bench uses
 * (`packages/kit/bench/cost-suite.ts`). zod is not here: the bench takes it away by serving a
 * router whose input parser is a plain function.
 */
export const CALL_LAYERS = [
  'auth',
  'span',
  'stats',
  'metrics',
  'requestLogger',
  'superjson',
  'middlewareChain',
  'fastPathParsing',
] as const;

export type CallLayer = (typeof CALL_LAYERS)[number];

/** Which layers are taken away; empty for every real service. */
export type CallLayersOff = ReadonlySet<CallLayer>;

export const ALL_LAYERS_ON: CallLayersOff = new Set();
