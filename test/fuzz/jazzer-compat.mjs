#!/usr/bin/env node
/**
 * Makes the prebuilt native addon of @jazzer.js/fuzzer 4.0.0 load on Debian 12 (glibc 2.36, libstdc++ of GCC 12).
 *
 * The addon was linked on a newer system and asks for three symbols this system lacks:
 *   __isoc23_strtol@GLIBC_2.38, __isoc23_strtoul@GLIBC_2.38   (C23 variants; they only add "0b" prefixes)
 *   std::ios_base_library_init()@GLIBCXX_3.4.32               (GCC 13's one-shot iostream initialiser)
 * so `dlopen` fails with "version `GLIBC_2.38' not found". This script edits the ELF dynamic tables in place:
 *   - the two strtol symbols are re-pointed at the classic strtol / strtoul@GLIBC_2.2.5 (same ABI), by moving
 *     their name offset 9 bytes into "__isoc23_strtol" (which ends in "strtol");
 *   - ios_base_library_init is re-pointed at getpid@GLIBC_2.2.5, a harmless call without arguments (libstdc++ 12
 *     initialises the standard streams itself, and libFuzzer prints through stdio);
 *   - the two version needs GLIBC_2.38 and GLIBCXX_3.4.32 are marked weak, so their absence is not fatal.
 * It is idempotent, keeps the original as `<file>.orig`, and does nothing where the addon already loads.
 *
 * Usage: node test/fuzz/jazzer-compat.mjs   (exit 0: the addon loads; exit 1: it cannot be made to load)
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const SHT_DYNSYM = 11;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHT_GNU_VERNEED = 0x6ffffffe;
const VER_FLG_WEAK = 0x2;

function addonPath() {
  const dir = path.dirname(require.resolve('@jazzer.js/fuzzer/package.json'));
  return path.join(dir, 'prebuilds', `fuzzer-${process.platform}-${process.arch}.node`);
}

function loads(file) {
  try {
    process.dlopen({ exports: {} }, file);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function cstr(buf, off) {
  let end = off;
  while (buf[end] !== 0) end++;
  return buf.toString('latin1', off, end);
}

/** Patches `file` in place; returns a list of what was changed. */
function patch(buf) {
  const changes = [];
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1)
    throw new Error('not a 64-bit little-endian ELF file');
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: buf.readUInt32LE(o + 4),
      offset: Number(buf.readBigUInt64LE(o + 0x18)),
      size: Number(buf.readBigUInt64LE(o + 0x20)),
      link: buf.readUInt32LE(o + 0x28),
      entsize: Number(buf.readBigUInt64LE(o + 0x38)),
    });
  }
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  if (!dynsym || !versym || !verneed) throw new Error('no .dynsym / .gnu.version / .gnu.version_r');
  const dynstr = sections[dynsym.link];
  if (!dynstr) throw new Error('no .dynstr');

  // version needs: name -> { index, auxOffset }
  const needs = new Map();
  for (let vn = verneed.offset; ;) {
    const file = cstr(buf, dynstr.offset + buf.readUInt32LE(vn + 4));
    const cnt = buf.readUInt16LE(vn + 2);
    let aux = vn + buf.readUInt32LE(vn + 8);
    for (let k = 0; k < cnt; k++) {
      const name = cstr(buf, dynstr.offset + buf.readUInt32LE(aux + 8));
      needs.set(`${file}:${name}`, { index: buf.readUInt16LE(aux + 6), aux });
      const next = buf.readUInt32LE(aux + 12);
      if (next === 0) break;
      aux += next;
    }
    const next = buf.readUInt32LE(vn + 12);
    if (next === 0) break;
    vn += next;
  }
  const base = needs.get('libc.so.6:GLIBC_2.2.5');
  if (!base) throw new Error('the addon has no GLIBC_2.2.5 need to retarget to');

  const count = dynsym.size / dynsym.entsize;
  let getpidName = -1;
  for (let i = 0; i < count; i++) {
    const o = dynsym.offset + i * dynsym.entsize;
    if (cstr(buf, dynstr.offset + buf.readUInt32LE(o)) === 'getpid') getpidName = buf.readUInt32LE(o);
  }
  for (let i = 0; i < count; i++) {
    const o = dynsym.offset + i * dynsym.entsize;
    const nameOff = buf.readUInt32LE(o);
    const name = cstr(buf, dynstr.offset + nameOff);
    const vo = versym.offset + i * 2;
    if (name === '__isoc23_strtol' || name === '__isoc23_strtoul') {
      buf.writeUInt32LE(nameOff + '__isoc23_'.length, o);
      buf.writeUInt16LE(base.index, vo);
      changes.push(`${name} -> ${name.slice(9)}@GLIBC_2.2.5`);
    } else if (name === '_ZSt21ios_base_library_initv') {
      if (getpidName < 0) throw new Error('no getpid symbol name to retarget ios_base_library_init to');
      buf.writeUInt32LE(getpidName, o);
      buf.writeUInt16LE(base.index, vo);
      changes.push('std::ios_base_library_init -> getpid@GLIBC_2.2.5 (no-op)');
    }
  }
  for (const key of ['libc.so.6:GLIBC_2.38', 'libstdc++.so.6:GLIBCXX_3.4.32']) {
    const n = needs.get(key);
    if (n && !(buf.readUInt16LE(n.aux + 4) & VER_FLG_WEAK)) {
      buf.writeUInt16LE(buf.readUInt16LE(n.aux + 4) | VER_FLG_WEAK, n.aux + 4);
      changes.push(`version need ${key} marked weak`);
    }
  }
  return changes;
}

export function ensureJazzerLoads({ quiet = false } = {}) {
  const file = addonPath();
  const before = loads(file);
  if (before === null) return true;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    if (!quiet) console.error(`jazzer.js native addon does not load: ${before}`);
    return false;
  }
  const buf = fs.readFileSync(file);
  if (!fs.existsSync(file + '.orig')) fs.writeFileSync(file + '.orig', buf);
  const changes = patch(buf);
  // write a new file (a loaded .so must not be rewritten in place)
  fs.writeFileSync(file + '.tmp', buf);
  fs.renameSync(file + '.tmp', file);
  const after = loads(file);
  if (!quiet) {
    console.error(
      `jazzer.js addon did not load (${before.split('\n')[0]}); patched: ${changes.join('; ') || 'nothing'}`,
    );
    if (after !== null) console.error(`still does not load: ${after}`);
  }
  return after === null;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureJazzerLoads() ? 0 : 1);
