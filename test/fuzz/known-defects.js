'use strict';
/**
 * Crashes of the fuzz targets that are known library defects, each pinned by an `it.fails` test in
 * test/fuzz/regressions.test.ts. The bounded run in the test suite and `npm run fuzz` (unless FUZZ_STRICT=1)
 * count these and go on, so that they report only new crashes. When lib/ is fixed, the regression test flips
 * to a failure: remove the entry here together with the `.fails`.
 */
const KNOWN_DEFECTS = [
  // None at the moment. Fixed since they were found (see regressions.test.ts):
  //  - an acknowledgement whose Packet Identifier ran past its Remaining Length was answered with a corrupt
  //    packet (pattern /the client wrote a malformed packet/);
  //  - a repeated Server Reference in DISCONNECT made the handler throw (/Cannot handle DISCONNECT/).
  // Entry shape: { name: 'what goes wrong', pattern: /text of the FuzzCrash message/ }
];

/** The known defect `error` is, or undefined for a new crash. */
function knownDefect(error) {
  const message = error instanceof Error ? error.message : String(error);
  return KNOWN_DEFECTS.find((d) => d.pattern.test(message));
}

module.exports = { KNOWN_DEFECTS, knownDefect };
