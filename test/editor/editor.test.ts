/**
 * The editor in a real browser (DESIGN §4 layer 5): Node-RED with this package, Debian's chromium driven by
 * playwright-core. Every node's dialog is opened, every property field must be there, values are changed and
 * saved, the flow is deployed, and the runtime must have the new values. Screenshots: test/editor/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientState, SubscriptionState } from '../../lib';
import { startAedes, type AedesBroker } from '../helpers/aedes';
import { startNodeRed, type EditorServer } from './node-red-server';

interface EditorRED {
  nodes: {
    node(id: string): Record<string, unknown> | null;
    getType(t: string): { defaults: Record<string, unknown>; credentials?: Record<string, unknown> };
  };
  editor: { edit(n: unknown): void; editConfig(name: string, type: string, id: string): void };
}
interface JQuery {
  val(v?: unknown): JQuery;
  prop(k: string, v: unknown): JQuery;
  trigger(e: string): JQuery;
}
interface EditorWindow {
  RED: EditorRED;
  $: (sel: string) => JQuery;
}

const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the editor in chromium', () => {
  let aedes: AedesBroker;
  let nr: EditorServer;
  let ctx: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    aedes = await startAedes();
    nr = await startNodeRed([
      { id: 'tab1', type: 'tab', label: 'qmqtt' },
      {
        id: 'b1',
        type: 'qmqtt-broker',
        name: 'editor broker',
        broker: '127.0.0.1',
        port: aedes.port,
        protocolVersion: '4',
        configVersion: 1,
        autoReconnect: false,
      },
      {
        id: 'tls1',
        type: 'tls-config',
        name: 'tls',
        cert: '',
        key: '',
        ca: '',
        certname: '',
        keyname: '',
        caname: '',
        servername: '',
        verifyservercert: true,
        alpnprotocol: '',
      },
      {
        id: 'in1',
        type: 'qmqtt-in',
        z: 'tab1',
        broker: 'b1',
        topic: 'editor/start/#',
        qos: '2',
        datatype: 'auto-detect',
        x: 150,
        y: 60,
        wires: [[]],
      },
      {
        id: 'out1',
        type: 'qmqtt-out',
        z: 'tab1',
        broker: 'b1',
        topic: '',
        qos: '',
        retain: '',
        x: 150,
        y: 120,
        wires: [[], []],
      },
      { id: 'auth1', type: 'qmqtt-auth', z: 'tab1', broker: 'b1', x: 150, y: 180, wires: [[]] },
      { id: 'status1', type: 'qmqtt-status', z: 'tab1', broker: 'b1', x: 150, y: 240, wires: [[]] },
    ]);
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 900 },
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(8000);
    await page.goto(nr.url);
    await page.waitForFunction(
      () => !!(globalThis as unknown as EditorWindow).RED?.nodes?.node?.('status1'),
      undefined,
      { timeout: 60_000 },
    );
    await page.screenshot({ path: path.join(SHOTS, '00-workspace.png') });
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await nr?.stop();
    await aedes?.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  /** Ids of every defaults / credentials property of `type` that must have an input in the dialog. */
  async function propertyIds(type: string, prefix: string): Promise<string[]> {
    const t = await page.evaluate((ty) => {
      const d = (globalThis as unknown as EditorWindow).RED.nodes.getType(ty);
      return [...Object.keys(d.defaults), ...Object.keys(d.credentials ?? {})];
    }, type);
    return t
      .filter((k) => k !== 'configVersion' && !k.endsWith('Msg') && k !== 'signals')
      .map((k) => `#${prefix}${k}`);
  }

  async function expectFields(ids: string[]): Promise<void> {
    for (const id of ids) expect(await page.locator(id).count(), id).toBe(1);
  }

  const set = (id: string, v: string): Promise<void> =>
    page.evaluate(
      ([i, x]) => void (globalThis as unknown as EditorWindow).$(i!).val(x).trigger('change'),
      [id, v],
    );
  const check = (id: string, on: boolean): Promise<void> =>
    page.evaluate(([i, x]) => void (globalThis as unknown as EditorWindow).$(i).prop('checked', x), [
      id,
      on,
    ] as const);

  it('shows the nodes in the palette, valid, with the connection status', async () => {
    const valid = await page.evaluate(() =>
      ['b1', 'in1', 'out1', 'auth1', 'status1'].map(
        (id) => (globalThis as unknown as EditorWindow).RED.nodes.node(id)?.valid,
      ),
    );
    expect(valid).toEqual([true, true, true, true, true]);
    for (const label of ['qmqtt in', 'qmqtt out', 'qmqtt auth', 'qmqtt status'])
      expect(await page.locator('.red-ui-palette-node', { hasText: label }).count(), label).toBe(1);
    await page.locator('.red-ui-flow-node-status-label', { hasText: 'connected' }).first().waitFor();
  });

  it('qmqtt-broker: every client property is in the dialog, MQTT 5 fields only for MQTT 5', async () => {
    await page.evaluate(() =>
      (globalThis as unknown as EditorWindow).RED.editor.editConfig('', 'qmqtt-broker', 'b1'),
    );
    await page.locator('#node-config-input-broker').waitFor({ state: 'visible' });
    const ids = await propertyIds('qmqtt-broker', 'node-config-input-');
    expect(ids.length).toBeGreaterThan(35);
    await expectFields(ids);
    for (const kind of ['birth', 'close', 'will'])
      await expectFields(
        ['contentType', 'userProps', 'respTopic', 'correl', 'expiry'].map(
          (f) => `#node-config-input-${kind}-${f}`,
        ),
      );
    await expectFields(['#node-config-input-will-delay']);
    expect(await page.locator('.qmqtt-v5.qmqtt-v5-on').count()).toBe(0);
    await page.selectOption('#node-config-input-protocolVersion', '5');
    expect(await page.locator('.qmqtt-v5.qmqtt-v5-on').count()).toBeGreaterThan(20);
    await page.screenshot({ path: path.join(SHOTS, '01-broker-v5.png') });
    for (const tab of ['Security', 'Session', 'Messages', 'Connection']) {
      const content = page.locator(`#qmqtt-broker-tab-${tab.toLowerCase()}`);
      // RED.tabs ignores a click that comes too soon after the previous one: click until the tab shows
      for (let i = 0; i < 5 && !(await content.isVisible()); i++) {
        await page.locator('#node-config-qmqtt-broker-tabs').getByText(tab, { exact: true }).click();
        await content.waitFor({ state: 'visible', timeout: 1000 }).catch(() => undefined);
      }
      await content.waitFor({ state: 'visible' });
      await page.screenshot({ path: path.join(SHOTS, `01-broker-v5-${tab.toLowerCase()}.png`) });
    }
    await page.selectOption('#node-config-input-protocolVersion', '4');
    expect(await page.locator('.qmqtt-v5.qmqtt-v5-on').count()).toBe(0);
    await page.selectOption('#node-config-input-transport', 'ws');
    expect(await page.locator('#node-config-input-wsPath').isVisible()).toBe(true);
    await page.selectOption('#node-config-input-transport', 'tcp');
    expect(await page.locator('#node-config-input-wsPath').isVisible()).toBe(false);
    await page.fill('#node-config-input-clientid', 'editor-client');
    await page.fill('#node-config-input-keepalive', '33');
    await set('#node-config-input-password', 'pw-from-editor');
    await set('#node-config-input-user', 'editor-user');
    await check('#node-config-input-autoKeepAlive', false);
    await check('#node-config-input-tcpQuickAck', false);
    await set('#node-config-input-birthTopic', 'editor/birth');
    await set('#node-config-input-birthPayload', 'born');
    await page.screenshot({ path: path.join(SHOTS, '02-broker.png') });
    await page.click('#node-config-dialog-ok');
    await page.locator('#node-config-input-broker').waitFor({ state: 'detached' });
  });

  it('qmqtt-in, qmqtt-out, qmqtt-auth, qmqtt-status: every property field, changed and saved', async () => {
    const edit = async (id: string, type: string, change: () => Promise<void>): Promise<void> => {
      await page.evaluate(
        (n) =>
          (globalThis as unknown as EditorWindow).RED.editor.edit(
            (globalThis as unknown as EditorWindow).RED.nodes.node(n),
          ),
        id,
      );
      await page.locator('#node-input-broker').waitFor({ state: 'visible' });
      await expectFields(await propertyIds(type, 'node-input-'));
      await change();
      await page.screenshot({ path: path.join(SHOTS, `03-${type}.png`) });
      await page.click('#node-dialog-ok');
      await page.locator('#node-input-broker').waitFor({ state: 'detached' });
    };
    await edit('in1', 'qmqtt-in', async () => {
      await page.fill('#node-input-topic', 'editor/changed/#');
      await page.selectOption('#node-input-datatype', 'utf8');
      await page.selectOption('#node-input-qos', '1');
    });
    await edit('out1', 'qmqtt-out', async () => {
      await page.fill('#node-input-topic', 'editor/changed/out');
      await page.selectOption('#node-input-qos', '1');
      await page.selectOption('#node-input-retain', 'false');
    });
    await edit('auth1', 'qmqtt-auth', async () => {
      await page.fill('#node-input-name', 'auth edited');
    });
    await edit('status1', 'qmqtt-status', async () => {
      expect(await page.locator('.qmqtt-signal').count()).toBe(27);
      await page.click('#qmqtt-status-none');
      await page.check('#qmqtt-signal-connected');
      await page.check('#qmqtt-signal-stateChanged');
    });
  });

  it('deploys, and the runtime has the new values', async () => {
    const valid = await page.evaluate(() =>
      ['b1', 'in1', 'out1', 'auth1', 'status1'].map(
        (id) => (globalThis as unknown as EditorWindow).RED.nodes.node(id)?.valid,
      ),
    );
    expect(valid).toEqual([true, true, true, true, true]); // no "not properly configured" prompt
    await page.click('#red-ui-header-button-deploy');
    const broker = (): ReturnType<typeof nr.RED.nodes.getNode> => nr.RED.nodes.getNode('b1');
    await until(() => broker()?.connection?.client.clientId() === 'editor-client', 'the redeployed broker');
    const client = broker()!.connection!.client;
    expect(client.keepAlive()).toBe(33);
    expect(client.autoKeepAlive()).toBe(false);
    expect(client.tcpQuickAck()).toBe(false);
    expect(client.username()).toBe('editor-user');
    expect(client.password()).toBe('pw-from-editor');
    await until(() => client.state() === ClientState.Connected, 'connected');
    await until(
      () =>
        client
          .subscriptions()
          .some(
            (s) =>
              s.fullTopic().filter() === 'editor/changed/#' && s.state() === SubscriptionState.Subscribed,
          ),
      'the new subscription',
    );
    const saved = JSON.parse(fs.readFileSync(path.join(nr.userDir, 'flows.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    const byId = Object.fromEntries(saved.map((n) => [n.id, n]));
    expect(byId.out1).toMatchObject({ topic: 'editor/changed/out', qos: '1', retain: 'false' });
    expect(byId.in1).toMatchObject({ topic: 'editor/changed/#', datatype: 'utf8', qos: '1' });
    expect(byId.auth1).toMatchObject({ name: 'auth edited' });
    expect(byId.status1!.signals).toEqual(['connected', 'stateChanged']);
    expect(byId.b1).toMatchObject({ birthTopic: 'editor/birth', birthPayload: 'born', configVersion: 1 });
    // properties the initial flow did not have were saved with their defaults, not as false / ''
    expect(byId.b1).toMatchObject({
      autoConnect: true,
      cleansession: true,
      requestProblemInformation: true,
      connectTimeout: '30000',
    });
    expect(JSON.stringify(saved)).not.toContain('pw-from-editor'); // credentials live elsewhere
    await page.screenshot({ path: path.join(SHOTS, '04-deployed.png') });
  });
});
