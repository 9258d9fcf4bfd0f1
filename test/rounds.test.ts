import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRoundLoop } from '@/lib/rounds';

// The loop shared by the reconciler and the outbox, on fake timers: what runs when is decided by the test's clock.

describe('a loop of rounds', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // A round the test finishes by hand, reporting whether it found work.
  function scripted() {
    const pending: ((busy: boolean) => void)[] = [];
    let started = 0;
    return {
      round: () =>
        new Promise<boolean>((resolve) => {
          started += 1;
          pending.push(resolve);
        }),
      finish: async (busy: boolean) => {
        pending.shift()!(busy);
        await vi.advanceTimersByTimeAsync(0);
      },
      started: () => started,
    };
  }

  it('runs back to back while rounds find work and pauses idleMs when one finds none', async () => {
    const r = scripted();
    const loop = startRoundLoop({ name: 't', idleMs: 1000, round: r.round });
    await vi.advanceTimersByTimeAsync(0);
    expect(r.started()).toBe(1);
    await r.finish(true);
    expect(r.started()).toBe(2);
    await r.finish(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(r.started()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started()).toBe(3);
    const stopped = loop.stop();
    await r.finish(false);
    await stopped;
  });

  it('a wake during a round skips the next pause; a wake during a pause ends it', async () => {
    const r = scripted();
    const loop = startRoundLoop({ name: 't', idleMs: 60_000, round: r.round });
    await vi.advanceTimersByTimeAsync(0);
    loop.wake(); // work written while the round runs
    await r.finish(false);
    expect(r.started()).toBe(2);
    await r.finish(false);
    expect(r.started()).toBe(2);
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.started()).toBe(3);
    const stopped = loop.stop();
    await r.finish(false);
    await stopped;
  });

  it('after failed rounds it waits longer each time, logs each failure, and recovers', async () => {
    let calls = 0;
    const errors: string[] = [];
    const loop = startRoundLoop({
      name: 'outbox',
      idleMs: 100,
      log: { error: (...a: unknown[]) => errors.push(a.join(' ')) },
      round: async () => {
        calls += 1;
        if (calls <= 3) throw new Error('database away');
        return false;
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    // Each retry waits at most a minute (the backoff cap), so a minute later the third retry has run and succeeded.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(errors.slice(0, 3)).toEqual([
      '[outbox] round failed (1 in a row): database away',
      '[outbox] round failed (2 in a row): database away',
      '[outbox] round failed (3 in a row): database away',
    ]);
    expect(errors).toHaveLength(3);
    await loop.stop();
  });

  it('stop ends a pause at once and waits for the round in progress', async () => {
    const r = scripted();
    const loop = startRoundLoop({ name: 't', idleMs: 3_600_000, round: r.round });
    await vi.advanceTimersByTimeAsync(0);
    let done = false;
    const stopped = loop.stop().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false); // the round is still running
    await r.finish(false);
    await stopped;
    expect(done).toBe(true);
    expect(r.started()).toBe(1);
  });
});
