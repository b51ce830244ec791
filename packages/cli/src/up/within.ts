/** `promise`'s value, or `timedOut` if it takes longer than `ms`; never leaves a timer behind. */
export async function within<TValue, TFallback = undefined>(
  promise: Promise<TValue>,
  ms: number,
  timedOut?: TFallback,
): Promise<TValue | TFallback> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TFallback>((resolve) => {
    timer = setTimeout(() => resolve(timedOut as TFallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
