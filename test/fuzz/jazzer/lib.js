'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so that Jazzer.js can load it */
/** The built library (dist/lib, from `npm run build`) in the shape test/fuzz/targets.js expects. */
const path = require('node:path');

const dist = path.resolve(__dirname, '../../../dist/lib');
const index = require(path.join(dist, 'index.js'));
const codec = require(path.join(dist, 'packet/codec.js'));

module.exports = { ...index, PacketDecoder: codec.PacketDecoder, encodePacket: codec.encodePacket };
