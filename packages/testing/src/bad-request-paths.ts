import { TRPCClientError } from '@trpc/client';

/**
 * Awaits a call that must fail input validation and returns the failing field paths from
 * the kit's error shape. Anything else (success, another error) fails the test.
 */
export async function badRequestPaths(call: Promise<unknown>): Promise<string[]> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected BAD_REQUEST, but the call succeeded');
  if (!(caught instanceof TRPCClientError) || caught.data?.code !== 'BAD_REQUEST') throw caught;
  const issues = (caught.data as { issues?: Array<{ path: string }> }).issues ?? [];
  return issues.map((issue) => issue.path);
}

/** The tRPC code and registry code of a call that must fail. */
export async function callError(call: Promise<unknown>): Promise<{ code?: string; meshCode?: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code?: string; meshCode?: string } | undefined;
    return { code: data?.code, meshCode: data?.meshCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
