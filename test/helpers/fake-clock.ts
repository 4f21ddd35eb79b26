import type { Clock, TimerHandle } from '../../lib/clock';

/** A clock the test moves by hand: timers fire only inside `advance`. */
export class FakeClock implements Clock {
  private t = 0;
  private timers: { at: number; fn: () => void; live: boolean; seq: number }[] = [];
  private seq = 0;

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.t + ms, fn, live: true, seq: this.seq++ };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }

  /** Number of live timers. */
  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.live && t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    this.timers = this.timers.filter((t) => t.live);
  }
}
