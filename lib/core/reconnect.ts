import type { Clock, TimerHandle } from '../clock';

/** Automatic reconnect settings (beyond Qt). Delays in milliseconds. */
export interface ReconnectPolicy {
  enabled: boolean;
  /** First delay; doubles per failed attempt. */
  initialDelay: number;
  /** Cap of the delay. */
  maxDelay: number;
}

/**
 * Schedules reconnect attempts with capped, jittered exponential backoff: attempt n waits
 * min(maxDelay, initialDelay · 2^(n-1)) scaled by a random factor in [0.5, 1] ("equal jitter"), so that a
 * fleet of clients that lost the same broker does not come back in lockstep.
 */
export class Reconnector {
  private attempt = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly policy: () => ReconnectPolicy,
    private readonly reconnect: () => void,
    private readonly scheduled: (attempt: number, delayMs: number) => void,
    private readonly random: () => number = Math.random,
  ) {}

  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** The connection (or an attempt) ended without the application asking: try again later. */
  connectionLost(): void {
    const p = this.policy();
    if (!p.enabled || this.timer) return;
    this.attempt++;
    const base = Math.min(p.maxDelay, p.initialDelay * 2 ** Math.min(this.attempt - 1, 30));
    const delay = Math.round(base * (0.5 + 0.5 * this.random()));
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.reconnect();
    }, delay);
    this.scheduled(this.attempt, delay);
  }

  /** Connected: the next loss starts from the first delay again. */
  connected(): void {
    this.attempt = 0;
  }

  /** The application disconnected: no more attempts. */
  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.attempt = 0;
  }
}
