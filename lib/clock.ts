/**
 * The one source of time for keepalive, CONNACK timeout, reconnect backoff and drain timeouts, so that tests
 * can drive time with a fake clock instead of sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds unless cancelled. */
  setTimer(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};
