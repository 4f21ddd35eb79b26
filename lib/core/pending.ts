/** A promise settled from outside, for operations that finish when a packet arrives. */
export interface Deferred<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Waiters of one kind (e.g. connect) settled together. */
export class Waiters<T> {
  private list: Deferred<T>[] = [];

  wait(): Promise<T> {
    return new Promise<T>((resolve, reject) => this.list.push({ resolve, reject }));
  }

  resolveAll(value: T): void {
    const l = this.list;
    this.list = [];
    for (const d of l) d.resolve(value);
  }

  rejectAll(error: Error): void {
    const l = this.list;
    this.list = [];
    for (const d of l) d.reject(error);
  }
}
