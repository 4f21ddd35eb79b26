/**
 * Packet identifiers of one session (MQTT §2.2.1): 1…65535, never 0 [MQTT-2.3.1-1], never reused while
 * the packet that holds one is unacknowledged [MQTT-2.3.1-2]. Each client has its own counter starting at 1
 * (Qt shares one counter across every client in the process). In-use ids are one byte each in a table (64 KiB,
 * made when the first id is taken, so a client that never needs one costs nothing): no hash set work per message.
 */
export class PacketIdAllocator {
  private next = 1;
  private table: Uint8Array | undefined;
  private count = 0;

  /** A free identifier, or 0 when all 65535 are in use. */
  allocate(): number {
    if (this.count >= 65535) return 0;
    const used = this.used();
    for (;;) {
      const id = this.next;
      this.next = id === 65535 ? 1 : id + 1;
      if (used[id] === 0) {
        used[id] = 1;
        this.count++;
        return id;
      }
    }
  }

  /** Marks an identifier restored from a store as in use. */
  reserve(id: number): void {
    if (!this.valid(id) || this.used()[id] === 1) return;
    this.used()[id] = 1;
    this.count++;
  }

  release(id: number): void {
    if (!this.valid(id) || this.table === undefined || this.table[id] === 0) return;
    this.table[id] = 0;
    this.count--;
  }

  inUse(id: number): boolean {
    return this.valid(id) && this.table !== undefined && this.table[id] === 1;
  }

  get size(): number {
    return this.count;
  }

  reset(): void {
    this.table?.fill(0);
    this.count = 0;
    this.next = 1;
  }

  private used(): Uint8Array {
    return (this.table ??= new Uint8Array(65536));
  }

  private valid(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= 65535;
  }
}
