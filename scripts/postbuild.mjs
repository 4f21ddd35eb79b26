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

// Node-RED looks beside each node's .js for `<type>.html` (editor), `icons/` and
// `locales/<lang>/<type>.{json,html}` (message catalog and help), so each node folder gets its own copies.
const nodesSrc = join(root, 'nodes');
let nodeCount = 0;
if (existsSync(nodesSrc)) {
  for (const entry of readdirSync(nodesSrc, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'shared') continue;
    const type = entry.name;
    const out = join(root, 'dist/nodes', type);
    mkdirSync(out, { recursive: true });
    for (const f of readdirSync(join(nodesSrc, type))) {
      if (f.endsWith('.html')) cpSync(join(nodesSrc, type, f), join(out, f));
    }
    if (existsSync(join(root, 'icons'))) cpSync(join(root, 'icons'), join(out, 'icons'), { recursive: true });
    const locales = join(root, 'locales');
    if (existsSync(locales)) {
      for (const lang of readdirSync(locales, { withFileTypes: true })) {
        if (!lang.isDirectory()) continue;
        for (const ext of ['json', 'html']) {
          const src = join(locales, lang.name, `${type}.${ext}`);
          if (!existsSync(src)) continue;
          mkdirSync(join(out, 'locales', lang.name), { recursive: true });
          cpSync(src, join(out, 'locales', lang.name, `${type}.${ext}`));
        }
      }
    }
    nodeCount++;
  }
}
console.log(`postbuild: ESM entry with ${names.length} exports, ${nodeCount} Node-RED nodes`);
