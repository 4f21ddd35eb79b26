/**
 * TLS (--cafile, --cert/--key, --insecure, mqtts:// URLs) and WebSockets (ws:// URLs) against mosquitto,
 * with mosquitto_sub / mosquitto_pub on the plain TCP listener as the other side.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCerts } from '../helpers/certs';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import {
  MOSQUITTO_SUBSCRIBED,
  SUBSCRIBED,
  assertBuilt,
  runCli,
  runTool,
  startCli,
  startMosquittoSub,
  uniqueTopic,
} from './helpers';

let tls: MosquittoBroker;
let mutual: MosquittoBroker;
let wrongHost: MosquittoBroker;
let ws: MosquittoBroker;

beforeAll(async () => {
  assertBuilt();
  [tls, mutual, wrongHost, ws] = await Promise.all([
    startMosquitto({ tls: true }),
    startMosquitto({ tls: true, requireClientCert: true }),
    startMosquitto({ tls: true, tlsServerCert: 'wrongHost' }),
    startMosquitto({ websockets: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([tls, mutual, wrongHost, ws].map((b) => b?.stop()));
});

describe('TLS', () => {
  it.each(['311', '5'])('qmqtt pub --cafile over TLS (-V %s) → mosquitto_sub on TCP', async (v) => {
    const topic = uniqueTopic('tls');
    const sub = startMosquittoSub([
      '-h',
      '127.0.0.1',
      '-p',
      String(tls.port),
      '-t',
      topic,
      '-C',
      '1',
      '-v',
      '-d',
    ]);
    await sub.waitFor(MOSQUITTO_SUBSCRIBED);
    const pub = await runCli([
      'pub',
      '-h',
      'localhost',
      '-p',
      String(tls.tlsPort),
      '--cafile',
      tls.certs!.caCert,
      '-V',
      v,
      '-t',
      topic,
      '-q',
      '1',
      '-m',
      'encrypted',
    ]);
    expect(pub.code, pub.stderr).toBe(0);
    expect((await sub.done).stdout.split('\n')).toContain(`${topic} encrypted`);
  });

  it('-L mqtts://host:port/topic with --cafile: qmqtt sub receives from mosquitto_pub', async () => {
    const topic = uniqueTopic('mqtts-url');
    const sub = startCli([
      'sub',
      '-L',
      `mqtts://localhost:${tls.tlsPort}/${topic}`,
      '--cafile',
      tls.certs!.caCert,
      '-C',
      '1',
      '-d',
    ]);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(tls.port), '-t', topic, '-m', 'secret']);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('secret\n');
  });

  it('an untrusted server certificate (no --cafile) exits 3 with the TLS reason', async () => {
    const r = await runCli(['pub', '-L', `mqtts://localhost:${tls.tlsPort}/t`, '-m', 'x']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /cannot connect to mqtts:\/\/localhost:\d+: .*(self[- ]signed|unable to get local issuer|certificate)/i,
    );
  });

  it('a certificate for another host name fails; --insecure skips only the name check (as mosquitto)', async () => {
    const args = [
      'pub',
      '-h',
      'localhost',
      '-p',
      String(wrongHost.tlsPort),
      '--cafile',
      wrongHost.certs!.caCert,
      '-t',
      't',
      '-m',
      'x',
    ];
    const strict = await runCli(args);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toMatch(
      /cannot connect to mqtts:\/\/localhost:\d+: .*(altnames|Hostname|host name)/i,
    );
    const insecure = await runCli([...args, '--insecure']);
    expect(insecure.code, insecure.stderr).toBe(0);
    // --insecure still verifies the chain: an unknown CA is refused
    const unknownCa = await runCli([
      ...args.filter((a) => a !== wrongHost.certs!.caCert && a !== '--cafile'),
      '--cafile',
      wrongHost.certs!.otherCaCert,
      '--insecure',
    ]);
    expect(unknownCa.code).toBe(3);
  });

  it('a broker that requires a client certificate: --cert/--key connect, without them exit 3', async () => {
    const base = ['-h', 'localhost', '-p', String(mutual.tlsPort), '--cafile', mutual.certs!.caCert];
    const topic = uniqueTopic('mutual');
    const sub = startMosquittoSub([
      '-h',
      '127.0.0.1',
      '-p',
      String(mutual.port),
      '-t',
      topic,
      '-C',
      '1',
      '-d',
    ]);
    await sub.waitFor(MOSQUITTO_SUBSCRIBED);
    const ok = await runCli([
      'pub',
      ...base,
      '--cert',
      mutual.certs!.clientCert,
      '--key',
      mutual.certs!.clientKey,
      '-t',
      topic,
      '-m',
      'signed',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await sub.done).stdout.split('\n')).toContain('signed');
    const refused = await runCli(['pub', ...base, '-t', topic, '-m', 'anonymous']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^qmqtt pub: cannot connect to mqtts:\/\/localhost:\d+: /);
  });
});

describe('WebSockets', () => {
  it.each(['311', '5'])(
    '-L ws://host:port/mqtt (-V %s): qmqtt pub and sub over WebSockets, mosquitto clients on TCP',
    async (v) => {
      const topic = uniqueTopic('ws');
      const url = `ws://127.0.0.1:${ws.wsPort}/mqtt`;
      // ours over ws → theirs over TCP
      const theirs = startMosquittoSub([
        '-h',
        '127.0.0.1',
        '-p',
        String(ws.port),
        '-t',
        topic,
        '-C',
        '1',
        '-v',
        '-d',
      ]);
      await theirs.waitFor(MOSQUITTO_SUBSCRIBED);
      const pub = await runCli(['pub', '-L', url, '-V', v, '-t', topic, '-q', '1', '-m', 'over websockets']);
      expect(pub.code, pub.stderr).toBe(0);
      expect((await theirs.done).stdout.split('\n')).toContain(`${topic} over websockets`);
      // theirs over TCP → ours over ws
      const ours = startCli([
        'sub',
        '-L',
        url,
        '-V',
        v,
        '-t',
        topic,
        '-q',
        '1',
        '-C',
        '1',
        '-F',
        'json',
        '-d',
      ]);
      await ours.waitFor(/subscribed to "/);
      expect(ours.stderr).toMatch(/connecting to ws:\/\/127\.0\.0\.1:\d+\/mqtt/);
      await runTool('mosquitto_pub', [
        '-h',
        '127.0.0.1',
        '-p',
        String(ws.port),
        '-t',
        topic,
        '-q',
        '1',
        '-m',
        'back',
      ]);
      const r = await ours.done;
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ topic, payload: 'back', qos: 1 });
    },
  );

  it("-h/-p given beside -L override the URL's host and port", async () => {
    const topic = uniqueTopic('override');
    const sub = startCli([
      'sub',
      '-L',
      `ws://wrong.invalid:1/mqtt`,
      '-h',
      '127.0.0.1',
      '-p',
      String(ws.wsPort),
      '-t',
      topic,
      '-C',
      '1',
      '-d',
    ]);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(ws.port), '-t', topic, '-m', 'ok']);
    expect((await sub.done).stdout).toBe('ok\n');
  });
});

describe('secure WebSockets', () => {
  it('-L wss://host:port/mqtt with --cafile: pub and sub through an Aedes broker behind https', async () => {
    const certs = makeCerts();
    const broker = await Aedes.createBroker();
    const server = https.createServer({
      cert: fs.readFileSync(certs.serverCert),
      key: fs.readFileSync(certs.serverKey),
    });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket, req) => {
      const stream = createWebSocketStream(socket);
      stream.on('error', () => {});
      broker.handle(stream, req);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `wss://localhost:${(server.address() as AddressInfo).port}/mqtt`;
    try {
      const topic = uniqueTopic('wss');
      const sub = startCli([
        'sub',
        '-L',
        url,
        '--cafile',
        certs.caCert,
        '-t',
        topic,
        '-q',
        '1',
        '-C',
        '1',
        '-v',
        '-d',
      ]);
      await sub.waitFor(SUBSCRIBED);
      expect(sub.stderr).toMatch(/connecting to wss:\/\/localhost:\d+\/mqtt/);
      const pub = await runCli([
        'pub',
        '-L',
        url,
        '--cafile',
        certs.caCert,
        '-t',
        topic,
        '-q',
        '1',
        '-m',
        'wrapped twice',
      ]);
      expect(pub.code, pub.stderr).toBe(0);
      const r = await sub.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${topic} wrapped twice\n`);
      // without the CA the server certificate is not trusted
      const untrusted = await runCli(['pub', '-L', url, '-t', topic, '-m', 'x']);
      expect(untrusted.code).toBe(3);
      expect(untrusted.stderr).toMatch(/^qmqtt pub: cannot connect to wss:\/\/localhost:\d+\/mqtt: /);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
