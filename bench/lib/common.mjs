// Helpers shared by the benchmark's role processes and its orchestrator (plain ESM, Node >= 20).
import { readFileSync } from 'node:fs';

/** Monotonic milliseconds (CLOCK_MONOTONIC: comparable between processes on one host). */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** `--key=value` command-line arguments over `defaults` (numbers stay numbers). */
export function args(defaults) {
  const out = { ...defaults };
  for (const a of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (!m) continue;
    const d = defaults[m[1]];
    out[m[1]] = typeof d === 'number' ? Number(m[2]) : m[2];
  }
  return out;
}

/** `{a: 1, b: 'x'}` → `['--a=1', '--b=x']` */
export function toArgv(obj) {
  return Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `--${k}=${v}`);
}

/** CPU time (user + system) of this process since `since` (a process.cpuUsage() value), in ms. */
export function cpuMs(since) {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

const CLK_TCK = 100; // Linux USER_HZ, the unit of /proc/<pid>/stat utime and stime (getconf CLK_TCK)

/** CPU time (user + system) of any process from /proc/<pid>/stat in ms (10 ms resolution), or null. */
export function procCpuMs(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Resident set size of a process from /proc/<pid>/status in MiB, or null. */
export function procRssMB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** A payload of `size` bytes whose first 4 bytes carry the sequence number `i` (for loss / dup counting). */
export function makePayload(i, size) {
  const b = Buffer.allocUnsafe(size).fill(0x61);
  if (size >= 4) b.writeUInt32BE(i, 0);
  return b;
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export const round = (x, d = 1) =>
  x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves on the next IPC message from the parent that satisfies `pred`. */
export function nextParentMessage(pred = () => true) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (!pred(m)) return;
      process.off('message', on);
      resolve(m);
    };
    process.on('message', on);
  });
}

/** Sends `msg` to the parent and resolves once it has been handed to the IPC channel. */
export function tell(msg) {
  return new Promise((resolve) => process.send(msg, () => resolve()));
}

/** Every role process: exit when the orchestrator goes away, report unexpected errors to it. */
export function roleSetup() {
  process.on('disconnect', () => process.exit(0));
  const fail = (e) => {
    const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    if (process.connected) process.send({ type: 'error', error: text }, () => process.exit(1));
    else {
      console.error(text);
      process.exit(1);
    }
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
