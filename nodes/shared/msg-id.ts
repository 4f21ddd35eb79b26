/**
 * `_msgid` for the msgs `qmqtt-in` sends. Node-RED makes one per msg in `node.send` from eight `Math.random()`
 * calls (about 5 % of the CPU a relay flow spends per message); this is a random per-process prefix and a
 * counter, in the same form: 16 hex digits, unique within the process and unlikely to repeat across processes.
 */
import { randomBytes } from 'node:crypto';

let prefix = randomBytes(4).toString('hex');
let counter = 0;

export function nextMsgId(): string {
  counter = (counter + 1) >>> 0;
  if (counter === 0) prefix = randomBytes(4).toString('hex'); // after 2^32 ids: a new prefix, no repeat
  return prefix + counter.toString(16).padStart(8, '0');
}
