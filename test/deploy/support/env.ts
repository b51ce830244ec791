import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';

const schema = z.object({
  /** The kubectl that renders the overlays; `.ci/run` installs Debian's when none is on the PATH. */
  KUBECTL: z.preprocess(emptyAsUndefined, z.string().default('kubectl')),
});

/** Settings of the deploy tests (the only reader of process.env under test/deploy). */
export const deployTestEnv = parseEnv(schema);

/** The environment a child process of these tests starts from (PATH, HOME, ...), plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
