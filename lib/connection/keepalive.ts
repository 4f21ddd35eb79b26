import type { Clock, TimerHandle } from '../clock';

/**
 * Keep Alive (MQTT 3.1.1 §3.1.2.10, 5.0 §3.1.2.10). With automatic keepalive, a PINGREQ goes out when nothing
 * was sent for the whole interval [MQTT-3.1.2-23]; sends only store a timestamp (no timer work per packet).
 * Every PINGREQ, automatic or requested, must be answered within `responseTimeoutMs`, or the connection is
 * declared dead.
 */
export class KeepAlive {
  private timer: TimerHandle | undefined;
  private responseTimer: TimerHandle | undefined;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly auto: boolean,
    private readonly lastSentAt: () => number,
    private readonly sendPing: () => void,
    private readonly onTimeout: () => void,
    private readonly responseTimeoutMs = intervalMs,
  ) {}

  start(): void {
    this.stopped = false;
    if (this.auto && this.intervalMs > 0) this.arm(this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.responseTimer?.cancel();
    this.timer = this.responseTimer = undefined;
  }

  /** A PINGREQ went out: start waiting for its PINGRESP (if not already waiting). */
  pingSent(): void {
    if (this.stopped || this.responseTimer) return;
    const timeout = this.responseTimeoutMs > 0 ? this.responseTimeoutMs : 30_000;
    this.responseTimer = this.clock.setTimer(() => {
      this.responseTimer = undefined;
      if (!this.stopped) this.onTimeout();
    }, timeout);
  }

  /** PINGRESP arrived. */
  pongReceived(): void {
    this.responseTimer?.cancel();
    this.responseTimer = undefined;
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimer(this.tick, ms);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const idle = this.clock.now() - this.lastSentAt();
    if (idle >= this.intervalMs) {
      this.sendPing();
      this.arm(this.intervalMs);
    } else {
      this.arm(this.intervalMs - idle);
    }
  };
}
