import type { Duplex } from 'node:stream';

/**
 * TCP_QUICKACK (Linux), issue #7 / perf-anchor F3.
 *
 * A broker that keeps Nagle's algorithm on (mosquitto's default, `set_tcp_nodelay false`) holds a small packet
 * while an earlier small packet to the same client is unacknowledged. A client that has just written (its
 * PUBLISH, its PUBACK) is in Linux's "ping-pong" mode and delays its TCP ACKs by 40 ms, so a QoS 1 request →
 * response round trip waits 40 ms for the broker's PUBACK to be acknowledged before the response may leave.
 * Setting TCP_QUICKACK sends the pending ACK at once and takes the socket out of ping-pong mode, so the
 * broker's next packet is not held (core/quick-ack-policy.ts decides when).
 *
 * Node.js has no `setsockopt`; the optional dependency `koffi` (prebuilt, no compiler) calls libc's. Where it is
 * missing, or the system is not Linux, this is a no-op and {@link tcpQuickAckUnavailable} says why.
 */

const IPPROTO_TCP = 6;
const TCP_QUICKACK = 12;

type SockOpt = (fd: number, level: number, name: number, value: Buffer, len: number | number[]) => number;
interface Koffi {
  load(path: string): { func(signature: string): SockOpt };
}
interface SockOpts {
  set: SockOpt;
  get: SockOpt;
}

let sockopts: SockOpts | null | undefined;
let unavailable: string | undefined;
const one = Buffer.from([1, 0, 0, 0]);
const zero = Buffer.from([0, 0, 0, 0]);

function load(): SockOpts | null {
  if (sockopts !== undefined) return sockopts;
  sockopts = null;
  if (process.platform !== 'linux') {
    unavailable = `TCP_QUICKACK exists only on Linux (this is ${process.platform})`;
    return null;
  }
  let koffi: Koffi;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    koffi = require('koffi') as Koffi;
  } catch (e) {
    unavailable = `the optional dependency koffi cannot be loaded: ${(e as Error).message}`;
    return null;
  }
  const errors: string[] = [];
  // glibc, then musl (Alpine: the Node-RED container images)
  for (const name of ['libc.so.6', `libc.musl-${muslArch()}.so.1`]) {
    try {
      const libc = koffi.load(name);
      sockopts = {
        set: libc.func('int setsockopt(int, int, int, const void *, uint32_t)'),
        get: libc.func('int getsockopt(int, int, int, _Out_ void *, _Inout_ uint32_t *)'),
      };
      return sockopts;
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  unavailable = `libc cannot be loaded: ${errors.join('; ')}`;
  return null;
}

function muslArch(): string {
  return process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
}

/** Why TCP_QUICKACK cannot be used here, or undefined when it can. */
export function tcpQuickAckUnavailable(): string | undefined {
  load();
  return unavailable;
}

/** The TCP socket under a transport stream (WebSocket streams are registered by the WebSocket transport). */
const socketOfStream = new WeakMap<Duplex, object>();

export function registerRawSocket(stream: Duplex, socket: object): void {
  socketOfStream.set(stream, socket);
}

/** The file descriptor of the TCP socket under `stream`, read each time (it is gone once the socket closes). */
function socketFd(stream: Duplex): number {
  const s = (socketOfStream.get(stream) ?? stream) as { _handle?: { fd?: number } | null };
  const fd = s._handle?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/** Sets the TCP acknowledgement mode of one socket (core/quick-ack-policy.ts decides when). */
export interface TcpAcker {
  /** TCP_QUICKACK 1: a delayed ACK still pending goes out now and the socket leaves ping-pong mode. */
  now(): void;
  /** TCP_QUICKACK 0: the socket enters ping-pong mode, so ACKs wait (for data of ours, or the kernel's timer). */
  delay(): void;
}

/**
 * The {@link TcpAcker} of the socket under `stream`. Undefined when that cannot be done (not Linux, koffi missing,
 * not a TCP socket: a stream given with setTransport may be anything).
 */
export function quickAcker(stream: Duplex): TcpAcker | undefined {
  const so = load();
  if (!so || socketFd(stream) < 0) return undefined;
  const set = (value: Buffer): void => {
    const fd = socketFd(stream);
    if (fd >= 0) so.set(fd, IPPROTO_TCP, TCP_QUICKACK, value, 4);
  };
  return { now: () => set(one), delay: () => set(zero) };
}

/**
 * Reads TCP_QUICKACK back: 1 when the socket is out of ping-pong mode (acknowledges at once), 0 when it
 * delays its ACKs, undefined when it cannot be read. For tests and diagnostics.
 */
export function readQuickAck(stream: Duplex): number | undefined {
  const so = load();
  const fd = socketFd(stream);
  if (!so || fd < 0) return undefined;
  const out = Buffer.alloc(4);
  const len = [4];
  return so.get(fd, IPPROTO_TCP, TCP_QUICKACK, out, len) === 0 ? out.readInt32LE(0) : undefined;
}
