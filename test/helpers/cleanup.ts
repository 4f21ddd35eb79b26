import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';

/*
 * Vitest fork workers are usually terminated without running process 'exit' handlers, so cleanup that
 * must happen "when this process goes away" is delegated to tiny /bin/sh helpers holding a pipe from us:
 * when this process dies (normal exit, SIGTERM, SIGKILL...) the pipe reaches EOF and they act.
 */

const dirs = new Set<string>();
let janitor: ChildProcess | undefined;
let exitHook = false;

function unrefChild(c: ChildProcess): void {
  c.on('error', () => {});
  c.stdin?.on('error', () => {});
  c.unref();
  (c.stdin as unknown as net.Socket | null)?.unref?.();
}

/** Creates a temp dir (mkdtemp under os.tmpdir()) that is removed when this process exits or dies. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  if (!janitor || janitor.exitCode !== null) {
    // Collects one path per line; on EOF removes them all.
    janitor = spawn('/bin/sh', ['-c', 'while IFS= read -r p; do set -- "$@" "$p"; done; rm -rf -- "$@"'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    unrefChild(janitor);
    for (const d of dirs) janitor.stdin?.write(d + '\n');
  } else {
    janitor.stdin?.write(dir + '\n');
  }
  return dir;
}

/**
 * Spawns a watchdog that SIGKILLs `pid` as soon as this process dies. Kill the returned watchdog once
 * `pid` has exited by itself (so a recycled pid is never hit).
 */
export function killOnParentDeath(pid: number): ChildProcess {
  const wd = spawn('/bin/sh', ['-c', `read _x; kill -9 ${pid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  unrefChild(wd);
  return wd;
}
