import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSessionStore } from '../../lib/session/file-store';
import { Session } from '../../lib/session/session';
import { encodePacket, type PublishPacket } from '../../lib/packet/codec';
import { QMqttPublishProperties, QMqttUserProperties } from '../../lib/properties';
import { publishPropertiesFromWire, publishPropertiesToWire } from '../../lib/properties/wire-publish';

const dirs: string[] = [];
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-store-'));
  dirs.push(d);
  return path.join(d, 'session.log');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function pub(id: number, topic = `t/${id}`, payload = `p${id}`): PublishPacket {
  return {
    cmd: 'publish',
    topic,
    payload: Buffer.from(payload),
    qos: 2,
    retain: false,
    dup: false,
    messageId: id,
    properties: { correlationData: Buffer.from([id]), userProperties: { k: 'v' } },
  };
}

describe('FileSessionStore', () => {
  it('[MQTT-4.1.0-1] a restarted process gets back outgoing messages in order, with stages and incoming QoS 2 ids', () => {
    const file = tmpFile();
    const a = new FileSessionStore(file);
    a.putOutgoing({ id: 1, stage: 'queued', packet: pub(1) });
    const p2 = pub(2);
    a.putOutgoing({ id: 2, stage: 'queued', packet: p2 });
    a.putOutgoing({ id: 2, stage: 'pubrec', packet: p2 });
    a.putOutgoing({ id: 3, stage: 'pubcomp', packet: pub(3) });
    a.deleteOutgoing(1);
    a.putIncomingQos2(7);
    a.putIncomingQos2(8);
    a.deleteIncomingQos2(7);
    a.close();

    const b = new FileSessionStore(file);
    const loaded = b.load();
    expect(loaded.outgoing.map((e) => [e.id, e.stage, e.packet.topic, e.packet.payload.toString()])).toEqual([
      [2, 'pubrec', 't/2', 'p2'],
      [3, 'pubcomp', 't/3', 'p3'],
    ]);
    expect(loaded.outgoing[0]!.packet.properties?.correlationData).toEqual(Buffer.from([2]));
    expect(loaded.incomingQos2).toEqual([8]);
    b.close();
  });

  it('[MQTT-3.3.2-18] a message restored after a restart keeps its user properties in the order they were added', () => {
    const file = tmpFile();
    const pairs: [string, string][] = [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ];
    const props = new QMqttPublishProperties();
    props.setUserProperties(new QMqttUserProperties(pairs));
    const packet: PublishPacket = { ...pub(1), properties: publishPropertiesToWire(props) };
    new FileSessionStore(file).putOutgoing({ id: 1, stage: 'queued', packet });
    const [restored] = new FileSessionStore(file).load().outgoing;
    expect(publishPropertiesFromWire(restored!.packet.properties).userProperties().toArray()).toEqual(pairs);
    // sent again after the restart: the same bytes as before it, pairs in order
    expect(encodePacket(restored!.packet, 5).equals(encodePacket(packet, 5))).toBe(true);
  });

  it('a torn last record (crash in the middle of a write) is ignored and everything before it is kept', () => {
    const file = tmpFile();
    const a = new FileSessionStore(file);
    a.putOutgoing({ id: 1, stage: 'puback', packet: pub(1) });
    a.putOutgoing({ id: 2, stage: 'puback', packet: pub(2) });
    a.close();
    const full = fs.readFileSync(file, 'utf8');
    // cut the file at every byte of the second record: the first must always survive, never a throw
    const firstEnd = full.indexOf('\n') + 1;
    for (let cut = firstEnd; cut < full.length; cut++) {
      fs.writeFileSync(file, full.slice(0, cut));
      const s = new FileSessionStore(file);
      expect(s.load().outgoing.map((e) => e.id)).toEqual([1]);
      s.close();
    }
  });

  it('compaction keeps exactly the live entries', () => {
    const file = tmpFile();
    const a = new FileSessionStore(file, { compactAfter: 10 });
    for (let i = 1; i <= 100; i++) {
      a.putOutgoing({ id: i, stage: 'puback', packet: pub(i) });
      if (i % 10 !== 0) a.deleteOutgoing(i);
    }
    a.close();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThan(40);
    const b = new FileSessionStore(file);
    expect(b.load().outgoing.map((e) => e.id)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    b.close();
  });

  it('a Session built on the store restores queue, in-flight and reserved packet ids', () => {
    const file = tmpFile();
    const a = new FileSessionStore(file);
    a.putOutgoing({ id: 1, stage: 'puback', packet: pub(1) });
    a.putOutgoing({ id: 2, stage: 'queued', packet: pub(2) });
    a.putIncomingQos2(5);
    a.close();
    const session = new Session(new FileSessionStore(file));
    expect([...session.inflight.keys()]).toEqual([1]);
    expect([...session.queue].map((m) => m.packet.messageId)).toEqual([2]);
    expect(session.incomingQos2.has(5)).toBe(true);
    expect(session.ids.allocate()).toBe(3);
  });
});
