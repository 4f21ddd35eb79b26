'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so that Jazzer.js can load it */
/**
 * Jazzer.js target: bytes from a broker → a QMqttClient on an in-memory socket (3.1.1 / 5.0). See ../targets.js.
 * Known defects (../known-defects.js) are counted, not reported, unless FUZZ_STRICT=1.
 */
const { createTargets } = require('../targets.js');
const { knownDefect } = require('../known-defects.js');

const targets = createTargets(require('./lib.js'));
const strict = process.env.FUZZ_STRICT === '1';
const seen = new Map();
let escaped;
process.on('unhandledRejection', (e) => (escaped = e));
process.on('uncaughtException', (e) => (escaped = e));
process.on('exit', () => {
  for (const [name, n] of seen) console.error(`known defect hit ${n}×: ${name}`);
});

module.exports.fuzz = async function fuzz(data) {
  try {
    await targets.inboundClient(data);
  } catch (e) {
    const known = strict ? undefined : knownDefect(e);
    if (!known) throw e;
    seen.set(known.name, (seen.get(known.name) ?? 0) + 1);
  }
  await new Promise((resolve) => setImmediate(resolve));
  if (escaped !== undefined) {
    const e = escaped;
    escaped = undefined;
    throw new Error(`escaped to the process: ${e instanceof Error ? e.stack : String(e)}`);
  }
};
