/**
 * Runs the built `qmqtt` executable (node bin/qmqtt.js) and mosquitto's own clients as child processes.
 * The CLI must be built first (`npm run build`; `npm test` does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'qmqtt.js');

/** Fails with a clear message when dist/cli is missing or older than a source in cli/. */
export function assertBuilt(): void {
  const built = path.join(ROOT, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(built)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const builtAt = fs.statSync(built).mtimeMs;
  for (const f of fs.readdirSync(path.join(ROOT, 'cli'))) {
    const src = path.join(ROOT, 'cli', f);
    const out = path.join(ROOT, 'dist', 'cli', f.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(out) || fs.statSync(src).mtimeMs > Math.max(builtAt, fs.statSync(out).mtimeMs))
      throw new Error(`dist/cli is older than cli/${f}: run \`npm run build\` first`);
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  /** Written to stdin, which is then closed (stdin is closed at once without it). */
  input?: string | Buffer;
  /** Kill with SIGKILL after this many ms (default 20 000); the result then has signal SIGKILL. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A running process with its output so far and helpers to wait for a line. */
export class Proc {
  readonly child: ChildProcess;
  private out: Buffer[] = [];
  private err = '';
  readonly done: Promise<RunResult>;
  private readonly started = Date.now();

  constructor(cmd: string, args: readonly string[], opts: RunOptions = {}) {
    this.child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this.child);
    this.child.stdout!.on('data', (c: Buffer) => this.out.push(c));
    this.child.stderr!.setEncoding('utf8').on('data', (c: string) => (this.err += c));
    this.child.stdin!.on('error', () => {});
    if (opts.input !== undefined) this.child.stdin!.end(opts.input);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    this.done = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        clearTimeout(timer);
        live.delete(this.child);
        resolve({
          code,
          signal,
          stdout: this.stdout,
          stdoutBytes: Buffer.concat(this.out),
          stderr: this.err,
          ms: Date.now() - this.started,
        });
      });
    });
  }

  get stdout(): string {
    return Buffer.concat(this.out).toString('utf8');
  }

  get stderr(): string {
    return this.err;
  }

  /** Resolves when stdout or stderr matches `re`; rejects if the process ends first or after `ms`. */
  async waitFor(re: RegExp, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    let exited = false;
    void this.done.then(() => (exited = true));
    while (!re.test(this.stdout) && !re.test(this.err)) {
      if (exited || Date.now() > deadline)
        throw new Error(
          `${exited ? 'process ended' : 'timed out'} before output matched ${re}\nstdout: ${this.stdout}\nstderr: ${this.err}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }
}

/** Starts `node bin/qmqtt.js …args`. */
export function startCli(args: readonly string[], opts: RunOptions = {}): Proc {
  return new Proc(process.execPath, [CLI, ...args], opts);
}

/** Runs `node bin/qmqtt.js …args` to its end. */
export function runCli(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return startCli(args, opts).done;
}

/** Runs another program (mosquitto_pub, mosquitto_sub) to its end. */
export function runTool(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Proc(cmd, args, opts).done;
}

/** Starts another program. */
export function startTool(cmd: string, args: readonly string[], opts: RunOptions = {}): Proc {
  return new Proc(cmd, args, opts);
}

/**
 * Starts mosquitto_sub with its stdout line-buffered (stdbuf), so that `-d`'s "received SUBACK" can be waited
 * for; its stdout is block-buffered when it is a pipe.
 */
export function startMosquittoSub(args: readonly string[], opts: RunOptions = {}): Proc {
  return new Proc('stdbuf', ['-oL', 'mosquitto_sub', ...args], opts);
}

/** A `qmqtt sub -d …` is ready once it printed that its subscriptions were acknowledged. */
export const SUBSCRIBED = /subscribed to "/;
/** mosquitto_sub -d prints this once the SUBACK arrived. */
export const MOSQUITTO_SUBSCRIBED = /received SUBACK/;

/** A unique topic per test, so tests sharing a broker never see each other's messages. */
let seq = 0;
export function uniqueTopic(prefix = 'cli'): string {
  return `qmqtt-test/${prefix}/${process.pid}/${++seq}`;
}
