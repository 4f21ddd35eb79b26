/**
 * Packet identifiers of one session (MQTT §2.2.1): 1…65535, never 0 [MQTT-2.3.1-1], never reused while
 * the packet that holds one is unacknowledged [MQTT-2.3.1-2]. Each client has its own counter starting at 1
 * (Qt shares one counter across every client in the process).
 */
export class PacketIdAllocator {
  private next = 1;
  private readonly used = new Set<number>();

  /** A free identifier, or 0 when all 65535 are in use. */
  allocate(): number {
    if (this.used.size >= 65535) return 0;
    for (;;) {
      const id = this.next;
      this.next = id === 65535 ? 1 : id + 1;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  /** Marks an identifier restored from a store as in use. */
  reserve(id: number): void {
    this.used.add(id);
  }

  release(id: number): void {
    this.used.delete(id);
  }

  inUse(id: number): boolean {
    return this.used.has(id);
  }

  get size(): number {
    return this.used.size;
  }

  reset(): void {
    this.used.clear();
    this.next = 1;
  }
}
