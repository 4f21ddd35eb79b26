// Child processes of the orchestrator: one role script each, talking JSON messages over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { procCpuMs, sleep } from './common.mjs';

const ROLES = fileURLToPath(new URL('../roles/', import.meta.url));
const live = new Set();
process.once('exit', () => {
  for (const r of live) r.child.kill('SIGKILL');
});

let profiles = 0;

export class TimeoutError extends Error {}

/** BENCH_NODE_ARGS="--trace-gc …": Node.js options for every role process (diagnostics; not for results). */
const extraNodeArgs = () => (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Starts `bench/roles/<role>.mjs` with `--key=value` arguments. */
export function spawnRole(role, argv, { execArgv = [], env } = {}) {
  // BENCH_CPU_PROF=<dir>: every role process writes a V8 CPU profile there (see bench/profile-summary.mjs)
  const client = argv.find((x) => x.startsWith('--client='))?.slice(9) ?? 'nodered';
  const prof = process.env.BENCH_CPU_PROF
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`,
        `--cpu-prof-name=${role}-${client}-${++profiles}.cpuprofile`,
      ]
    : [];
  const child = fork(`${ROLES}${role}.mjs`, argv, {
    execArgv: [...execArgv, ...prof, ...extraNodeArgs()],
    env: env ?? process.env,
    // the roles' own output (Node-RED's log, warnings) goes to stderr: stdout carries only the results table
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const inbox = [];
  const waiters = [];
  let exitInfo = null;
  let failure = null;
  const wake = () => {
    for (const w of [...waiters]) w.check();
  };
  child.on('message', (m) => {
    if (m && m.type === 'error') failure = new Error(`role ${role} failed: ${m.error}`);
    else inbox.push(m);
    wake();
  });
  child.on('error', (e) => {
    failure ??= new Error(`role ${role}: ${e.message}`);
    wake();
  });
  child.on('exit', (code, signal) => {
    exitInfo = { code, signal };
    live.delete(handle);
    wake();
  });
  const handle = {
    role,
    child,
    pid: child.pid,
    get exited() {
      return exitInfo !== null;
    },
    send(msg) {
      // a role may be exiting on its own: a closed channel is not an error here
      if (exitInfo === null && child.connected) child.send(msg, () => {});
    },
    /** CPU ms of the child from /proc (for children that cannot answer any more). */
    procCpuMs: () => procCpuMs(child.pid),
    /** Resolves with the next message of `type`; rejects on timeout, role failure or exit. */
    waitFor(type, timeoutMs) {
      return new Promise((resolve, reject) => {
        let timer;
        const w = {
          check() {
            const i = inbox.findIndex((m) => m && m.type === type);
            if (i >= 0) {
              done();
              resolve(inbox.splice(i, 1)[0]);
            } else if (failure) {
              done();
              reject(failure);
            } else if (exitInfo) {
              done();
              reject(new Error(`role ${role} exited (${exitInfo.code ?? exitInfo.signal}) before '${type}'`));
            }
          },
        };
        const done = () => {
          clearTimeout(timer);
          const k = waiters.indexOf(w);
          if (k >= 0) waiters.splice(k, 1);
        };
        waiters.push(w);
        timer = setTimeout(() => {
          done();
          reject(new TimeoutError(`role ${role}: no '${type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        w.check();
      });
    },
    /** Asks the role to exit, kills it after `graceMs`. */
    async stop(graceMs = 3000) {
      if (exitInfo) return;
      const gone = new Promise((r) => child.once('exit', r));
      handle.send({ type: 'exit' });
      await Promise.race([gone, sleep(graceMs)]);
      if (!exitInfo) {
        child.kill('SIGKILL');
        await Promise.race([gone, sleep(1000)]);
      }
    },
  };
  live.add(handle);
  return handle;
}
