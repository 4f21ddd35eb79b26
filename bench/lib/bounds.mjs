// What bounds a row's message rate, from the CPU each process spent per message (estimates, per repetition):
// mosquitto runs on one thread, so it cannot move more than 1e6 / (its µs per message) messages a second; and
// all the row's processes together cannot use more than the machine's cores. The lower of the two, for our
// side, divided by MQTT.js's measured rate, is the best ratio this broker and machine allow whatever our
// client did. Where a target is missed, the report shows that ceiling next to it.

const isNum = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0;
const CPU_KEYS = [
  'pub_cpu_us_per_msg',
  'sub_cpu_us_per_msg',
  'broker_cpu_us_per_msg',
  'relay_cpu_us_per_msg',
];

/** µs of CPU per message of every process of one run (undefined when a part is missing). */
export function totalCpuUs(m) {
  const parts = CPU_KEYS.filter((k) => k in m).map((k) => m[k]);
  return parts.length >= 3 && parts.every(isNum) ? parts.reduce((a, b) => a + b, 0) : undefined;
}

/**
 * One run's load: the broker's share of one core and all processes' share of the machine while the row ran,
 * and the rates at which the broker (one core) and the machine (`cores`) would be full at this cost per message.
 */
export function runLoad(m, cores) {
  const rate = m.e2e_msgs_per_s;
  const broker = m.broker_cpu_us_per_msg;
  const total = totalCpuUs(m);
  if (!isNum(rate) || !isNum(broker) || total === undefined) return undefined;
  return {
    broker_busy: (broker * rate) / 1e6,
    machine_busy: (total * rate) / 1e6 / cores,
    broker_ceiling: 1e6 / broker,
    machine_ceiling: (cores * 1e6) / total,
  };
}

/**
 * Per repetition pair: the best ratio our side could reach, min(broker, machine ceiling) ÷ their rate, and
 * which of the two ceilings it was ('broker' | 'machine').
 */
export function bestRatios(oursRuns, theirRuns, cores) {
  const out = [];
  for (let i = 0; i < Math.min(oursRuns.length, theirRuns.length); i++) {
    const a = oursRuns[i];
    const b = theirRuns[i];
    if (a.status !== 'ok' || b.status !== 'ok') continue;
    const load = runLoad(a.metrics, cores);
    const theirs = b.metrics.e2e_msgs_per_s;
    if (!load || !isNum(theirs)) continue;
    const byBroker = load.broker_ceiling <= load.machine_ceiling;
    out.push({
      ratio: (byBroker ? load.broker_ceiling : load.machine_ceiling) / theirs,
      bound: byBroker ? 'broker' : 'machine',
    });
  }
  return out;
}
