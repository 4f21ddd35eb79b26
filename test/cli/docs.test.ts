/**
 * The documentation for scripters is generated from the sources: docs/qt-mapping.md from the Qt checklist and
 * lib/ (scripts/gen-qt-mapping.mjs), the API reference from the TSDoc comments (TypeDoc, `npm run docs`).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cleanup';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

describe('scripting documentation', () => {
  it('docs/qt-mapping.md is up to date with lib/ and lists no missing Qt member', async () => {
    const r = await run(process.execPath, ['scripts/gen-qt-mapping.mjs', '--check'], { cwd: ROOT }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect('stderr' in r ? r.stderr : '').toBe('');
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'qt-mapping.md'), 'utf8');
    expect(doc).not.toMatch(/\*\*missing\*\*|## Missing/);
    // one row per Qt overload, with the three columns filled
    expect(doc).toMatch(
      /\| <code>qint32 publish\(QMqttTopicName topic, QByteArray message = QByteArray\(\), quint8 qos = 0, bool retain = false\)<\/code> \| <code>publish\(topic: QMqttTopicName, message: QByteArray = QByteArray\(\), qos: int = 0, retain: bool = False\) -&gt; int<\/code> \| <code>publish\(topic: TopicNameLike/,
    );
    expect(doc).toMatch(
      /<code>signal void connected\(\)<\/code> \| <code>connected\(\) {2}# Signal<\/code> \| <code>readonly connected: Signal&lt;\[\]&gt;<\/code>/,
    );
    expect(doc).toMatch(
      /<code>QMqtt::ReasonCode::Success<\/code> \| <code>QMqtt.ReasonCode.Success<\/code> \| <code>ReasonCode.Success<\/code> \| 0 \|/,
    );
  });

  it('TypeDoc builds the API reference from lib/ with every public class in it', async () => {
    const out = makeTempDir('qmqtt-typedoc-');
    await run(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out],
      {
        cwd: ROOT,
      },
    );
    const classes = fs.readdirSync(path.join(out, 'classes'));
    for (const c of [
      'QMqttClient',
      'QMqttSubscription',
      'QMqttMessage',
      'QMqttTopicFilter',
      'QMqttPublishProperties',
    ])
      expect(classes).toContain(`${c}.html`);
    const client = fs.readFileSync(path.join(out, 'classes', 'QMqttClient.html'), 'utf8');
    expect(client).toContain('publishAsync');
    expect(client).toContain('resolves when the broker acknowledged');
  }, 120_000);
});
