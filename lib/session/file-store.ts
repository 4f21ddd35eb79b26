import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodePacket, PacketDecoder, type PublishPacket } from '../packet/codec';
import type { OutgoingStage, SessionStore, StoredOutgoing } from './store';

type Record =
  | { o: 'put'; id: number; s: OutgoingStage; p: string }
  | { o: 'stage'; id: number; s: OutgoingStage }
  | { o: 'del'; id: number }
  | { o: 'in'; id: number }
  | { o: 'out'; id: number }
  | { o: 'clear' };

/** Options of {@link FileSessionStore}. */
export interface FileSessionStoreOptions {
  /**
   * `fsync` every record: survives power loss, costs a disk flush per message. Default false: every record is
   * handed to the OS at once, which survives the process being killed.
   */
  fsync?: boolean;
  /** Rewrite the log when it holds this many records more than the live entries (default 10 000). */
  compactAfter?: number;
}

/**
 * A session store in one append-only file (JSON lines; each packet as its encoded MQTT bytes, base64), so that a
 * process killed and restarted with the same client id and clean session false continues the same session:
 * no QoS 1/2 message accepted by `publish` is lost and no incoming QoS 2 message is delivered twice.
 *
 * Crash safety: records are appended with one `write` each and end with a newline; at load a trailing record
 * without its newline (a torn write) or that does not parse is ignored, so a crash at any byte leaves a
 * readable store. Compaction writes a new file, syncs it and renames it over the old one (atomic on POSIX).
 */
export class FileSessionStore implements SessionStore {
  private fd: number;
  private readonly outgoing = new Map<number, StoredOutgoing>();
  private readonly incoming = new Set<number>();
  private records = 0;
  private readonly fsync: boolean;
  private readonly compactAfter: number;

  constructor(
    readonly file: string,
    options: FileSessionStoreOptions = {},
  ) {
    this.fsync = options.fsync ?? false;
    this.compactAfter = options.compactAfter ?? 10_000;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.replay();
    this.fd = fs.openSync(file, 'a');
  }

  load(): { outgoing: StoredOutgoing[]; incomingQos2: number[] } {
    return { outgoing: [...this.outgoing.values()], incomingQos2: [...this.incoming] };
  }

  putOutgoing(entry: StoredOutgoing): void {
    const known = this.outgoing.get(entry.id);
    if (known && known.packet === entry.packet) {
      if (known.stage === entry.stage) return;
      known.stage = entry.stage;
      this.append({ o: 'stage', id: entry.id, s: entry.stage });
      return;
    }
    this.outgoing.set(entry.id, { ...entry });
    this.append({
      o: 'put',
      id: entry.id,
      s: entry.stage,
      p: encodePacket(entry.packet, 5).toString('base64'),
    });
  }

  deleteOutgoing(id: number): void {
    if (!this.outgoing.delete(id)) return;
    this.append({ o: 'del', id });
  }

  putIncomingQos2(id: number): void {
    if (this.incoming.has(id)) return;
    this.incoming.add(id);
    this.append({ o: 'in', id });
  }

  deleteIncomingQos2(id: number): void {
    if (!this.incoming.delete(id)) return;
    this.append({ o: 'out', id });
  }

  clear(): void {
    this.outgoing.clear();
    this.incoming.clear();
    this.append({ o: 'clear' });
  }

  /** Closes the file. */
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private append(r: Record): void {
    if (this.fd < 0) return;
    fs.writeSync(this.fd, JSON.stringify(r) + '\n');
    if (this.fsync) fs.fsyncSync(this.fd);
    this.records++;
    if (this.records > this.compactAfter + this.outgoing.size + this.incoming.size) this.compact();
  }

  private replay(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n');
    lines.pop(); // the part after the last newline is a torn write (or empty)
    for (const line of lines) {
      let r: Record;
      try {
        r = JSON.parse(line) as Record;
      } catch {
        continue;
      }
      this.records++;
      this.applyRecord(r);
    }
  }

  private applyRecord(r: Record): void {
    switch (r.o) {
      case 'put': {
        const packet = decodePublish(Buffer.from(r.p, 'base64'));
        if (packet) this.outgoing.set(r.id, { id: r.id, stage: r.s, packet });
        break;
      }
      case 'stage': {
        const e = this.outgoing.get(r.id);
        if (e) e.stage = r.s;
        break;
      }
      case 'del':
        this.outgoing.delete(r.id);
        break;
      case 'in':
        this.incoming.add(r.id);
        break;
      case 'out':
        this.incoming.delete(r.id);
        break;
      case 'clear':
        this.outgoing.clear();
        this.incoming.clear();
        break;
    }
  }

  private compact(): void {
    const tmp = `${this.file}.tmp`;
    const lines: string[] = [];
    for (const e of this.outgoing.values())
      lines.push(
        JSON.stringify({ o: 'put', id: e.id, s: e.stage, p: encodePacket(e.packet, 5).toString('base64') }),
      );
    for (const id of this.incoming) lines.push(JSON.stringify({ o: 'in', id }));
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, lines.length ? lines.join('\n') + '\n' : '');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.records = lines.length;
  }
}

function decodePublish(bytes: Buffer): PublishPacket | undefined {
  let out: PublishPacket | undefined;
  const d = new PacketDecoder(
    5,
    (p) => {
      if (p.cmd === 'publish') out = p;
    },
    () => undefined,
  );
  d.push(bytes);
  return out;
}
