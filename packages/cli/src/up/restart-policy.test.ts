import { describe, expect, it } from 'vitest';
import { createRestartPolicy } from './restart-policy.js';

function clock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createRestartPolicy', () => {
  it('restarts with a doubling, capped pause and gives up on the fifth crash within a minute', () => {
    const { now, advance } = clock();
    const policy = createRestartPolicy({ now, baseDelayMs: 250, maxDelayMs: 1000 });
    const decisions = [];
    for (let i = 0; i < 5; i++) {
      decisions.push(policy.crashed());
      advance(1000);
    }
    expect(decisions).toEqual([
      { action: 'restart', delayMs: 250, crashes: 1 },
      { action: 'restart', delayMs: 500, crashes: 2 },
      { action: 'restart', delayMs: 1000, crashes: 3 },
      { action: 'restart', delayMs: 1000, crashes: 4 },
      { action: 'give-up', crashes: 5 },
    ]);
  });

  it('forgets crashes older than the window, so a child that crashes now and then is always restarted', () => {
    const { now, advance } = clock();
    const policy = createRestartPolicy({ now, maxCrashes: 3, windowMs: 10_000 });
    for (let i = 0; i < 20; i++) {
      expect(policy.crashed()).toMatchObject({ action: 'restart', delayMs: 250, crashes: 1 });
      advance(10_000);
    }
  });

  it('counts only the crashes inside the window', () => {
    const { now, advance } = clock();
    const policy = createRestartPolicy({ now, maxCrashes: 3, windowMs: 10_000 });
    policy.crashed();
    advance(6000);
    policy.crashed();
    advance(6000); // The first is now out of the window.
    expect(policy.crashed()).toMatchObject({ action: 'restart', crashes: 2 });
    expect(policy.crashed()).toMatchObject({ action: 'give-up', crashes: 3 });
  });
});
