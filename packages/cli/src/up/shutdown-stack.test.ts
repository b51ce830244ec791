import { describe, expect, it } from 'vitest';
import { createShutdownStack } from './shutdown-stack.js';

describe('createShutdownStack', () => {
  it('stops in reverse start order, goes on past a failure, and stops only once', async () => {
    const stopped: string[] = [];
    const failures: string[] = [];
    const stack = createShutdownStack({ onError: (name) => failures.push(name) });
    stack.push('postgres', async () => {
      stopped.push('postgres');
    });
    stack.push('redis', async () => {
      throw new Error('already gone');
    });
    stack.push('services', async () => {
      stopped.push('services');
    });

    await Promise.all([stack.stopAll(), stack.stopAll()]);
    await stack.stopAll();

    expect(stopped).toEqual(['services', 'postgres']);
    expect(failures).toEqual(['redis']);
  });
});
