import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';

/*
 * Issue #7 (memory row): mqtt-packet (with readable-stream, about 10 MB of RSS) and ws (about 7 MB) are loaded
 * only when a packet or a transport needs them. A 3.1.1 client that connects, subscribes, publishes at every QoS,
 * receives, unsubscribes and pings needs neither over TCP. Run in a child process on the built package, so
 * Node's own module cache is what is inspected.
 */
const fixture = path.join(__dirname, '..', 'fixtures', 'loaded-modules.cjs');
const run = promisify(execFile);

interface Report {
  atStart: { mqttPacket: boolean; ws: boolean };
  afterUse: { mqttPacket: boolean; ws: boolean };
  afterRare: { mqttPacket: boolean; packet: Record<string, unknown> };
  encoderCache: number;
  got: string[];
}

async function loadedModules(port: number, version: number, transport = 'tcp'): Promise<Report> {
  const { stdout } = await run(process.execPath, [fixture, String(port), String(version), transport], {
    timeout: 20_000,
  });
  return JSON.parse(stdout) as Report;
}

describe('optional modules are loaded on first need (issue #7, memory)', () => {
  let m: MosquittoBroker;
  beforeAll(async () => {
    m = await startMosquitto({ websockets: true });
  });
  afterAll(async () => {
    await m.stop();
  });

  it('a 3.1.1 client over TCP never loads mqtt-packet or ws', async () => {
    const r = await loadedModules(m.port, 4);
    expect(r.got.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(r.atStart).toEqual({ mqttPacket: false, ws: false });
    expect(r.afterUse).toEqual({ mqttPacket: false, ws: false });
  });

  it('a WebSocket connection loads ws when it opens', async () => {
    const r = await loadedModules(m.wsPort!, 4, 'websocket');
    expect(r.got.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(r.atStart.ws).toBe(false);
    expect(r.afterUse).toEqual({ mqttPacket: false, ws: true });
  });

  it('an MQTT 5 client does not load mqtt-packet either (CONNACK properties decoded directly); a rare packet loads it', async () => {
    // mosquitto's v5 CONNACK carries properties (Topic Alias Maximum, …): decoded without mqtt-packet
    const r = await loadedModules(m.port, 5);
    expect(r.got.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(r.afterUse.mqttPacket).toBe(false);
    // a DISCONNECT from a 3.1.1 server is left to mqtt-packet's parser, loaded at that moment
    expect(r.afterRare.mqttPacket).toBe(true);
    expect(r.afterRare.packet).toMatchObject({ cmd: 'disconnect' });
    expect(r.encoderCache).toBe(0);
  });

  it('an MQTT 5 client sending properties on every packet never runs mqtt-packet’s encoder (no 6 MB cache)', async () => {
    const r = await loadedModules(m.port, 5, 'properties');
    expect(r.got.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(r.afterUse.mqttPacket).toBe(false); // messages with properties are decoded directly too
    expect(r.encoderCache).toBe(0);
  });
});
