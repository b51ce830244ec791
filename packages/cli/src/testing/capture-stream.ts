import { PassThrough } from 'node:stream';

/** A writable stream for a command's output, and what has been written to it so far. */
export function captureStream(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}
