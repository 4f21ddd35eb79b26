// Generates the ESM entry dist/lib/index.mjs from the CommonJS build so that
// `import { QMqttClient } from 'node-red-contrib-qmqtt'` and `require(...)` share one implementation.
// Also copies each node's editor HTML, icons and locales next to the built JavaScript (Node-RED looks there).
import { createRequire } from 'node:module';
import { writeFileSync, existsSync, readdirSync, cpSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cjs = require(join(root, 'dist/lib/index.js'));
const names = Object.keys(cjs).filter((n) => n !== 'default' && n !== '__esModule');
const lines = [
  "import cjs from './index.js';",
  ...names.map((n) => `export const ${n} = cjs.${n};`),
  'export default cjs;',
  '',
];
writeFileSync(join(root, 'dist/lib/index.mjs'), lines.join('\n'));
writeFileSync(join(root, 'dist/lib/index.d.mts'), "export * from './index.js';\n");

const nodesSrc = join(root, 'nodes');
if (existsSync(nodesSrc)) {
  for (const entry of readdirSync(nodesSrc, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const f of readdirSync(join(nodesSrc, entry.name))) {
      if (f.endsWith('.html')) {
        mkdirSync(join(root, 'dist/nodes', entry.name), { recursive: true });
        cpSync(join(nodesSrc, entry.name, f), join(root, 'dist/nodes', entry.name, f));
      }
    }
  }
  for (const dir of ['icons', 'locales']) {
    if (existsSync(join(root, dir))) {
      if (!existsSync(join(root, 'dist/nodes'))) continue;
      for (const entry of readdirSync(join(root, 'dist/nodes'), { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name !== 'shared')
          cpSync(join(root, dir), join(root, 'dist/nodes', entry.name, dir), { recursive: true });
      }
    }
  }
}
console.log(`postbuild: ESM entry with ${names.length} exports`);
