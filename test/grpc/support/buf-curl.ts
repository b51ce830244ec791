import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const buf = fileURLToPath(new URL('../../../node_modules/.bin/buf', import.meta.url));

export interface CurlResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** `buf curl` over h2c; it reads the schema through the server's reflection unless told otherwise. */
export async function bufCurl(args: string[]): Promise<CurlResult> {
  try {
    const { stdout, stderr } = await run(buf, ['curl', '--http2-prior-knowledge', ...args], {
      timeout: 20_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}
