import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt-packet';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAedes, type AedesBroker } from '../helpers/aedes';
import { brokerTargets, type RunningBroker } from '../helpers/brokers';
import { makeCerts } from '../helpers/certs';
import { findMosquitto, startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { canConnect, freePort } from '../helpers/ports';
import { openTcp, openTls, openWs, rawConnect, waitClosed } from '../helpers/raw-mqtt';

const started: Array<{ stop(): Promise<void> }> = [];
function track<T extends { stop(): Promise<void> }>(b: T): T {
  started.push(b);
  return b;
}
afterAll(async () => {
  await Promise.all(started.map((b) => b.stop()));
});

/** True while `pid` exists and is not a zombie (orphans are reaped by init only eventually). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ports', () => {
  it('freePort returns distinct, bindable ports', async () => {
    const a = await freePort();
    const b = await freePort();
    expect(a).toBeGreaterThan(0);
    expect(a).not.toBe(b);
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(a, '127.0.0.1', () => r()));
    expect(await canConnect(a)).toBe(true);
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await canConnect(a)).toBe(false);
  });
});

describe('certs', () => {
  it('generates a verifiable PKI, cached per process', () => {
    const c = makeCerts();
    expect(makeCerts()).toBe(c);
    for (const f of Object.values(c)) expect(fs.existsSync(f)).toBe(true);
    const verify = (ca: string, cert: string): string =>
      execFileSync('openssl', ['verify', '-CAfile', ca, cert], { encoding: 'utf8' });
    expect(verify(c.caCert, c.serverCert)).toContain('OK');
    expect(verify(c.caCert, c.clientCert)).toContain('OK');
    expect(verify(c.caCert, c.wrongHostCert)).toContain('OK');
    expect(verify(c.otherCaCert, c.otherClientCert)).toContain('OK');
    expect(() =>
      execFileSync('openssl', ['verify', '-CAfile', c.otherCaCert, c.serverCert], { stdio: 'pipe' }),
    ).toThrow();
    const text = execFileSync('openssl', ['x509', '-in', c.serverCert, '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(text).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1/);
    const wrong = execFileSync('openssl', ['x509', '-in', c.wrongHostCert, '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(wrong).toMatch(/DNS:wrong\.example/);
    expect(wrong).not.toMatch(/localhost|127\.0\.0\.1/);
  });
});

describe('mosquitto', () => {
  it('fails loudly with an install hint when the binary is missing', async () => {
    const saved = process.env.MOSQUITTO_BIN;
    process.env.MOSQUITTO_BIN = '/nonexistent/mosquitto';
    try {
      expect(() => findMosquitto()).toThrow(/apt-get install mosquitto/);
      await expect(startMosquitto()).rejects.toThrow(/apt-get install mosquitto/);
    } finally {
      if (saved === undefined) delete process.env.MOSQUITTO_BIN;
      else process.env.MOSQUITTO_BIN = saved;
    }
  });

  describe('plain + websockets', () => {
    let m: MosquittoBroker;
    beforeAll(async () => {
      m = track(await startMosquitto({ websockets: true }));
    });

    it('generated config only sets up listeners (broker defaults otherwise)', () => {
      const conf = fs.readFileSync(m.configPath, 'utf8');
      expect(conf).toContain(`listener ${m.port} 127.0.0.1`);
      expect(conf).toContain('allow_anonymous true');
      expect(conf).not.toMatch(/max_inflight|max_queued|persistence/);
    });

    it('accepts MQTT 3.1.1 over TCP', async () => {
      const s = await openTcp(m.port);
      const ack = await rawConnect(s);
      expect(ack.returnCode).toBe(0);
      s.destroy();
    });

    it('accepts MQTT 5 over TCP (broker defaults visible in CONNACK)', async () => {
      const s = await openTcp(m.port);
      const ack = await rawConnect(s, { protocolVersion: 5 });
      expect(ack.reasonCode).toBe(0);
      // mosquitto announces its default max_inflight_messages (20) as Receive Maximum.
      expect(ack.properties?.receiveMaximum).toBe(20);
      s.destroy();
    });

    it('accepts MQTT over WebSockets (this mosquitto build supports websockets)', async () => {
      expect(m.wsPort).toBeTypeOf('number');
      const s = await openWs(`ws://127.0.0.1:${m.wsPort}/`);
      const ack = await rawConnect(s, { protocolVersion: 5 });
      expect(ack.reasonCode).toBe(0);
      s.destroy();
    });

    it('collects logs', () => {
      expect(m.logs()).toMatch(/mosquitto version \S+ running/);
      expect(m.logs()).toMatch(/New client connected/);
    });
  });

  describe('TLS', () => {
    let m: MosquittoBroker;
    beforeAll(async () => {
      m = track(await startMosquitto({ tls: true }));
    });

    it('accepts a TLS client that trusts the test CA', async () => {
      const c = m.certs!;
      const s = await openTls({
        host: '127.0.0.1',
        port: m.tlsPort!,
        servername: 'localhost',
        ca: fs.readFileSync(c.caCert),
      });
      const ack = await rawConnect(s);
      expect(ack.returnCode).toBe(0);
      s.destroy();
    });

    it('verifies the IP SAN as well', async () => {
      const s = await openTls({ host: '127.0.0.1', port: m.tlsPort!, ca: fs.readFileSync(m.certs!.caCert) });
      expect((await rawConnect(s)).returnCode).toBe(0);
      s.destroy();
    });

    it('rejects a client trusting the wrong CA with a certificate error', async () => {
      await expect(
        openTls({
          host: '127.0.0.1',
          port: m.tlsPort!,
          servername: 'localhost',
          ca: fs.readFileSync(m.certs!.otherCaCert),
        }),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/),
      });
    });

    it('keeps the plain listener too', async () => {
      const s = await openTcp(m.port);
      expect((await rawConnect(s)).returnCode).toBe(0);
      s.destroy();
    });
  });

  describe('TLS with wrong host name certificate', () => {
    it('fails hostname verification', async () => {
      const m = track(await startMosquitto({ tls: true, tlsServerCert: 'wrongHost' }));
      const ca = fs.readFileSync(m.certs!.caCert);
      await expect(
        openTls({ host: '127.0.0.1', port: m.tlsPort!, servername: 'localhost', ca }),
      ).rejects.toMatchObject({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
      const s = await openTls({ host: '127.0.0.1', port: m.tlsPort!, servername: 'wrong.example', ca });
      expect((await rawConnect(s)).returnCode).toBe(0);
      s.destroy();
      await m.stop();
    });
  });

  describe('TLS requiring client certificates', () => {
    let m: MosquittoBroker;
    beforeAll(async () => {
      m = track(await startMosquitto({ requireClientCert: true }));
    });
    const base = () => ({
      host: '127.0.0.1',
      port: m.tlsPort!,
      servername: 'localhost',
      ca: fs.readFileSync(m.certs!.caCert),
    });

    it('accepts a client certificate from the CA', async () => {
      const c = m.certs!;
      const s = await openTls({
        ...base(),
        cert: fs.readFileSync(c.clientCert),
        key: fs.readFileSync(c.clientKey),
      });
      expect((await rawConnect(s)).returnCode).toBe(0);
      s.destroy();
    });

    it('refuses clients without a certificate or with an untrusted one', async () => {
      const c = m.certs!;
      const attempt = async (extra: object): Promise<void> => {
        const s = await openTls({ ...base(), ...extra });
        s.on('error', () => {});
        try {
          await rawConnect(s);
        } finally {
          s.destroy();
        }
      };
      await expect(attempt({})).rejects.toThrow();
      await expect(
        attempt({ cert: fs.readFileSync(c.otherClientCert), key: fs.readFileSync(c.otherClientKey) }),
      ).rejects.toThrow();
    });
  });

  describe('lifecycle', () => {
    it('restart keeps the port (and a persistent session)', async () => {
      const m = track(await startMosquitto({ persistence: true }));
      const port = m.port;
      const pid = m.pid;
      const s1 = await openTcp(port);
      expect((await rawConnect(s1, { clientId: 'harness-persist', clean: false })).sessionPresent).toBe(
        false,
      );
      s1.destroy();

      await m.restart();
      expect(m.port).toBe(port);
      expect(m.pid).not.toBe(pid);
      expect(m.running).toBe(true);

      const s2 = await openTcp(port);
      const ack = await rawConnect(s2, { clientId: 'harness-persist', clean: false });
      expect(ack.returnCode).toBe(0);
      expect(ack.sessionPresent).toBe(true);
      s2.destroy();
      await m.stop();
      expect(fs.readdirSync(m.dataDir!)).toContain('mosquitto.db');
    });

    it('kill (SIGKILL) makes the port refuse connections and drops clients; restart brings it back', async () => {
      const m = track(await startMosquitto());
      const s = await openTcp(m.port);
      expect((await rawConnect(s)).returnCode).toBe(0);
      const pid = m.pid!;
      const closed = waitClosed(s);
      await m.kill();
      expect(m.running).toBe(false);
      expect(pidAlive(pid)).toBe(false);
      await closed;
      await expect(openTcp(m.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(m.logs()).toMatch(/signal SIGKILL/);

      await m.restart();
      const s2 = await openTcp(m.port);
      expect((await rawConnect(s2)).returnCode).toBe(0);
      s2.destroy();
      await m.stop();
      await m.stop(); // idempotent
      expect(await canConnect(m.port)).toBe(false);
    });

    it('SIGSTOP freezes the broker, stop() still works', async () => {
      const m = track(await startMosquitto());
      await m.kill('SIGSTOP');
      const s = await openTcp(m.port); // the kernel still accepts into the backlog
      await expect(rawConnect(s, {}, 500)).rejects.toThrow(/no CONNACK/);
      s.destroy();
      await m.kill('SIGCONT');
      const s2 = await openTcp(m.port);
      expect((await rawConnect(s2)).returnCode).toBe(0);
      s2.destroy();
      await m.kill('SIGSTOP');
      await m.stop();
      expect(m.running).toBe(false);
    });

    it('reports a clear error with the output when mosquitto rejects its config', async () => {
      await expect(startMosquitto({ extraConfig: 'this_is_not_an_option 1' })).rejects.toThrow(
        /mosquitto died during startup[\s\S]*this_is_not_an_option/,
      );
    });

    it('kills mosquitto and removes temp dirs when the owning process dies (SIGKILL or normal exit)', async () => {
      // Transpile the helpers to CommonJS and run them in a child Node process.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-harness-orphan-'));
      try {
        for (const f of ['ports', 'cleanup', 'certs', 'mosquitto']) {
          const src = fs.readFileSync(path.join(__dirname, '..', 'helpers', `${f}.ts`), 'utf8');
          const out = ts.transpileModule(src, {
            compilerOptions: {
              module: ts.ModuleKind.CommonJS,
              target: ts.ScriptTarget.ES2022,
              esModuleInterop: true,
            },
          });
          fs.writeFileSync(path.join(dir, `${f}.js`), out.outputText);
        }
        fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}');
        const script = (how: string): string => `
          const { startMosquitto } = require(${JSON.stringify(path.join(dir, 'mosquitto.js'))});
          startMosquitto().then((m) => {
            process.stdout.write(m.pid + ' ' + m.configPath + '\\n', () => { ${how} });
          }, (e) => { console.error(e); process.exit(2); });`;
        for (const how of ["process.kill(process.pid, 'SIGKILL')", 'process.exit(0)']) {
          const child = spawn(process.execPath, ['-e', script(how)], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          await new Promise<void>((r) => child.once('close', () => r()));
          const [pidText = '', configPath = ''] = out.trim().split(' ');
          const pid = Number(pidText);
          expect(pid, `child output: ${out} ${err}`).toBeGreaterThan(0);
          expect(configPath).toMatch(/mosquitto\.conf$/);
          await waitFor(() => !pidAlive(pid), 5000, `orphaned mosquitto ${pid} to die after ${how}`);
          await waitFor(
            () => !fs.existsSync(path.dirname(configPath)),
            5000,
            `temp dir removal after ${how}`,
          );
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('aedes', () => {
  let a: AedesBroker;
  beforeAll(async () => {
    a = track(await startAedes({ websocket: true }));
  });

  it('accepts MQTT 3.1.1 over TCP', async () => {
    const s = await openTcp(a.port);
    expect((await rawConnect(s)).returnCode).toBe(0);
    s.destroy();
  });

  it('accepts MQTT 3.1.1 over WebSockets', async () => {
    const s = await openWs(`ws://127.0.0.1:${a.wsPort}/mqtt`);
    expect((await rawConnect(s)).returnCode).toBe(0);
    s.destroy();
  });

  it('does not support MQTT 5: answers a v5 CONNECT with a 3.1.1 CONNACK rc=1 and closes', async () => {
    const s = await openTcp(a.port);
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    const closed = waitClosed(s);
    s.write(
      mqtt.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clientId: 'v5',
        clean: true,
        keepalive: 10,
      }),
    );
    await closed;
    // 0x20 len=2 flags=0 returnCode=1 ("unacceptable protocol version"), no v5 properties
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([0x20, 0x02, 0x00, 0x01]));
  });

  it('stop() closes listeners and clients', async () => {
    const b = await startAedes({ websocket: true });
    const s = await openTcp(b.port);
    expect((await rawConnect(s)).returnCode).toBe(0);
    const closed = waitClosed(s);
    await b.stop();
    await closed;
    expect(await canConnect(b.port)).toBe(false);
    expect(await canConnect(b.wsPort!)).toBe(false);
    expect(b.broker.closed).toBe(true);
  });
});

describe.each(brokerTargets)('brokerTargets: $name', (target) => {
  let b: RunningBroker;
  afterEach(async () => {
    await b?.stop();
  });

  it('starts, accepts 3.1.1 over TCP and WebSocket, and reports v5 support correctly', async () => {
    b = await target.start({ websocket: true });
    expect(b.name).toBe(target.name);
    expect(b.supportsV5).toBe(target.supportsV5);
    const s = await openTcp(b.port, b.host);
    expect((await rawConnect(s)).returnCode).toBe(0);
    s.destroy();
    const w = await openWs(`ws://${b.host}:${b.wsPort}/mqtt`);
    expect((await rawConnect(w)).returnCode).toBe(0);
    w.destroy();

    const s5 = await openTcp(b.port, b.host);
    s5.on('error', () => {});
    // v5-capable brokers answer with a v5 CONNACK (reasonCode 0); aedes answers a v4 CONNACK with rc=1.
    const ack = await rawConnect(s5, { protocolVersion: 5 });
    if (target.supportsV5) expect(ack.reasonCode).toBe(0);
    else expect(ack.reasonCode ?? ack.returnCode).toBe(1);
    s5.destroy();
    if (target.name === 'mosquitto') {
      expect(typeof b.kill).toBe('function');
      expect(typeof b.restart).toBe('function');
    }
  });
});
