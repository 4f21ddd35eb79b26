// The `node` devDependency (Node 22, for the Node-RED 5 test pass) links node_modules/.bin/node, and npm puts
// node_modules/.bin first on PATH for every script: without this, `npm test`, `npm start`, `npx vitest` and
// `npm run bench` would all silently run on Node 22. Run from `prepare` (after `npm ci` / `npm install`):
// removes that link; scripts that want Node 22 call node_modules/node/bin/node by path.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const link = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'node');
try {
  const target = fs.readlinkSync(link);
  if (target.includes(`${path.sep}node${path.sep}bin${path.sep}node`) || target.endsWith('node/bin/node')) {
    fs.unlinkSync(link);
    console.log(
      'unshadow-node: removed node_modules/.bin/node (Node 22 stays at node_modules/node/bin/node)',
    );
  }
} catch {
  // no link: nothing to do
}
