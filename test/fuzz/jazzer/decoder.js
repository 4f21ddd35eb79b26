'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so that Jazzer.js can load it */
/** Jazzer.js target: arbitrary bytes → PacketDecoder (levels 3/4/5, cut into reads). See ../targets.js. */
const { createTargets } = require('../targets.js');

const targets = createTargets(require('./lib.js'));

module.exports.fuzz = function fuzz(data) {
  targets.decoder(data);
};
