import { describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';

function setup(probe: () => Promise<void>) {
  let now = 0;
  const onOpen = vi.fn();
  const onClose = vi.fn();
  const breaker = createCircuitBreaker({
    failures: 3,
    cooldownMs: 100,
    probe,
    onOpen,
    onClose,
    now: () => now,
  });
  return { breaker, onOpen, onClose, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('opens after consecutive failures and says so once', () => {
    const { breaker, onOpen } = setup(async () => {});
    breaker.failure(new Error('1'));
    breaker.success();
    breaker.failure(new Error('1'));
    breaker.failure(new Error('2'));
    expect(breaker.allow()).toBe(true);
    breaker.failure(new Error('3'));
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    breaker.failure(new Error('4'));
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('probes in the background after the cooldown, keeping callers off until the probe succeeds', async () => {
    let finishProbe: () => void = () => {};
    const probe = vi.fn(() => new Promise<void>((resolve) => (finishProbe = resolve)));
    const { breaker, onClose, advance } = setup(probe);
    for (let i = 0; i < 3; i++) breaker.failure(new Error('down'));
    expect(breaker.allow()).toBe(false);
    expect(probe).not.toHaveBeenCalled();
    advance(100);
    expect(breaker.allow()).toBe(false);
    expect(breaker.allow()).toBe(false);
    expect(probe).toHaveBeenCalledTimes(1);
    finishProbe();
    await vi.waitFor(() => expect(breaker.state).toBe('closed'));
    expect(breaker.allow()).toBe(true);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('waits twice as long after a failed probe', async () => {
    const probe = vi.fn(async () => Promise.reject(new Error('still down')));
    const { breaker, advance } = setup(probe);
    for (let i = 0; i < 3; i++) breaker.failure(new Error('down'));
    advance(100);
    breaker.allow();
    await vi.waitFor(() => expect(breaker.state).toBe('open'));
    advance(150);
    breaker.allow();
    expect(probe).toHaveBeenCalledTimes(1);
    advance(50);
    breaker.allow();
    expect(probe).toHaveBeenCalledTimes(2);
  });
});
