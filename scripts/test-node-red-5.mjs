// The Node-RED 5 pass: runs the node tests (test/nodes) under Node 22 from the `node` devDependency with the
// aliased `node-red-5` devDependency loaded by the test helper (QMQTT_NODE_RED=node-red-5).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node22 = path.join(root, 'node_modules', 'node', 'bin', 'node');
if (!fs.existsSync(node22)) {
  console.error(
    'node_modules/node/bin/node is missing: run `npm ci` (the `node` devDependency brings Node 22)',
  );
  process.exit(1);
}
const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`Node-RED 5 pass: node-red-5 on Node ${version}`);
const r = spawnSync(
  node22,
  [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/nodes', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, QMQTT_NODE_RED: 'node-red-5' } },
);
process.exit(r.status ?? 1);
