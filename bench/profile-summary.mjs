// Summarises V8 CPU profiles (node --cpu-prof, or BENCH_CPU_PROF=<dir> npm run bench): self time per
// function and per package / file, largest first.
// Usage: node bench/profile-summary.mjs <file.cpuprofile | dir> [--top=30] [--filter=substring]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const top = Number(argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
const filter = argv.find((a) => a.startsWith('--filter='))?.slice(9);
const targets = argv.filter((a) => !a.startsWith('--'));
const files = targets.flatMap((t) =>
  statSync(t).isDirectory()
    ? readdirSync(t)
        .filter((f) => f.endsWith('.cpuprofile') && (!filter || f.includes(filter)))
        .map((f) => path.join(t, f))
    : [t],
);

for (const file of files) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map();
  const where = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const url = cf.url.replace(/^file:\/\//, '');
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const pkg = m
      ? m[1]
      : url.includes('/dist/lib/')
        ? `ours: ${url.split('/dist/')[1]}`
        : url || `(${cf.functionName || 'native'})`;
    const key = `${cf.functionName || '(anonymous)'}  ${pkg.replace(/^.*\/bench\//, 'bench/')}:${cf.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const group = m
      ? m[1]
      : url.includes('/dist/lib/')
        ? 'ours (dist/lib)'
        : url.startsWith('node:')
          ? 'node core'
          : url.includes('/bench/')
            ? 'bench harness'
            : `(${cf.functionName || 'native'})`;
    where.set(group, (where.get(group) ?? 0) + us);
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\n== ${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled`);
  console.log('-- by package / area');
  for (const [k, us] of [...where].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${pct(us)}  ${k}`);
  console.log('-- by function (self time)');
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
}
