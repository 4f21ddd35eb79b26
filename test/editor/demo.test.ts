/**
 * The main job, as a newcomer meets it: `node scripts/start-node-red.mjs` (what `npm start` runs after the
 * build) starts the embedded broker and Node-RED with the examples; in the browser, messages arrive in the
 * debug sidebar.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';

const root = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let ctx: BrowserContext | undefined;
  const dirs: string[] = [];
  let log = '';

  afterAll(async () => {
    await ctx?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('shows example messages in the debug sidebar', async () => {
    const [uiPort, mqttPort] = [await freePort(), await freePort()];
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-demo-'));
    dirs.push(userDir);
    child = spawn(process.execPath, [path.join(root, 'scripts/start-node-red.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        NODE_RED_PORT: String(uiPort),
        MQTT_PORT: String(mqttPort),
        QMQTT_DEMO_DIR: userDir,
        MQTT_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const end = Date.now() + 60_000;
    while (!log.includes('open http://')) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`the demo did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(log).toContain(`embedded Aedes broker (MQTT 3.1.1) on mqtt://127.0.0.1:${mqttPort}`);
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-chromium-'));
    dirs.push(profile);
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`http://127.0.0.1:${uiPort}/`);
    await page.locator('#red-ui-workspace').waitFor({ timeout: 60_000 });
    await page.locator('#red-ui-tab-debug-link-button').click(); // the bug icon of the sidebar, as a person would
    const hello = page.locator('.red-ui-debug-msg', { hasText: 'demo/hello' }).first();
    await hello.waitFor({ timeout: 60_000 }).catch(async (e) => {
      await page.screenshot({ path: path.join(SHOTS, 'debug-demo.png') });
      throw e;
    });
    await page.screenshot({ path: path.join(SHOTS, '10-demo-debug-sidebar.png') });
    expect(await page.locator('.red-ui-debug-msg').count()).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(userDir, 'flows.json'))).toBe(true);
  }, 150_000);
});
