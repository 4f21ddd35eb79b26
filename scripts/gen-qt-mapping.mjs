// Generates docs/qt-mapping.md: every class, method, signal and enum of Qt MQTT (scripts/qtmqtt-api.json, a
// copy of the project's checklist) with its C++ and PySide6 signature beside this package's TypeScript
// signature, read from lib/ with the TypeScript compiler. Qt members without a counterpart are marked.
//
//   node scripts/gen-qt-mapping.mjs          writes docs/qt-mapping.md
//   node scripts/gen-qt-mapping.mjs --check  exits 1 when docs/qt-mapping.md is not what it would write
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiPath = join(root, 'scripts', 'qtmqtt-api.json');
const outPath = join(root, 'docs', 'qt-mapping.md');
const api = JSON.parse(readFileSync(apiPath, 'utf8'));

// ---- our side: the public exports of lib/index.ts, as the compiler sees them ----------------------------

const configFile = ts.readConfigFile(join(root, 'tsconfig.build.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const program = ts.createProgram([join(root, 'lib', 'index.ts')], { ...parsed.options, noEmit: true });
const checker = program.getTypeChecker();
const entry = program.getSourceFile(join(root, 'lib', 'index.ts'));
const moduleSymbol = checker.getSymbolAtLocation(entry);
const exportsByName = new Map(
  checker
    .getExportsOfModule(moduleSymbol)
    .map((s) => [s.getName(), s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s]),
);

const FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** `x?: T | undefined` → `x?: T`, `Buffer<ArrayBufferLike>` → `Buffer`: what a reader expects to see. */
function tidy(text) {
  return text.replace(/\?: ([^,()]+?) \| undefined(?=[,)])/g, '?: $1').replace(/<ArrayBufferLike>/g, '');
}

function isPublic(sym) {
  const decl = sym.valueDeclaration ?? sym.declarations?.[0];
  if (!decl) return false;
  if (ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
    return false;
  if (sym.getName().startsWith('#')) return false;
  return !sym.getJsDocTags(checker).some((t) => t.name === 'internal');
}

/** name → list of TypeScript signatures (methods) or a property type (signals, fields). */
function ourMembers(className) {
  const sym = exportsByName.get(className);
  if (!sym || !(sym.flags & ts.SymbolFlags.Class)) return undefined;
  const type = checker.getDeclaredTypeOfSymbol(sym);
  const members = new Map();
  for (const prop of checker.getPropertiesOfType(type)) {
    if (!isPublic(prop)) continue;
    const decl = prop.valueDeclaration ?? prop.declarations[0];
    const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
    const name = prop.getName();
    if (prop.flags & ts.SymbolFlags.Method) {
      const sigs = propType
        .getCallSignatures()
        .map((s) => tidy(`${name}${checker.signatureToString(s, undefined, FLAGS)}`));
      members.set(name, { kind: 'method', text: sigs });
    } else {
      const text = tidy(checker.typeToString(propType, undefined, FLAGS));
      const readonly = ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Readonly ? 'readonly ' : '';
      members.set(name, {
        kind: text.startsWith('Signal<') ? 'signal' : 'property',
        text: [`${readonly}${name}: ${text}`],
      });
    }
  }
  const ctor = checker.getTypeOfSymbolAtLocation(sym, sym.valueDeclaration);
  const ctors = ctor.getConstructSignatures().filter((s) => !s.declaration || isPublicCtor(s.declaration));
  members.set('constructor', {
    kind: 'constructor',
    text: ctors.map(
      (s) => `new ${className}${checker.signatureToString(s, undefined, FLAGS).replace(/: [^:]+$/, '')}`,
    ),
  });
  return members;
}

function isPublicCtor(decl) {
  const tags = ts.getJSDocTags(decl).map((t) => t.tagName.getText());
  return !tags.includes('internal');
}

function ourEnum(name) {
  const sym = exportsByName.get(name);
  if (!sym || !(sym.flags & ts.SymbolFlags.Enum)) return undefined;
  const values = new Map();
  for (const member of checker.getExportsOfModule(sym)) {
    const v = checker.getConstantValue(member.valueDeclaration);
    values.set(member.getName(), v);
  }
  return values;
}

// ---- Qt side ---------------------------------------------------------------------------------------------

const PY_TYPES = {
  QString: 'str',
  QStringList: 'list[str]',
  bool: 'bool',
  int: 'int',
  qint32: 'int',
  quint8: 'int',
  quint16: 'int',
  quint32: 'int',
  void: 'None',
  'QList<quint32>': 'list[int]',
};
const PY_DEFAULTS = { nullptr: 'None', false: 'False', true: 'True' };

function pyType(t) {
  if (PY_TYPES[t]) return PY_TYPES[t];
  return t.replace(/\*$/, '').replace(/^QMqtt::/, 'QMqtt.');
}

function cppSignature(cls, m) {
  const params = m.params.map(
    (p) => `${p.type} ${p.name}${p.default !== undefined ? ` = ${p.default}` : ''}`,
  );
  if (m.kind === 'constructor') return `${cls}(${params.join(', ')})`;
  const prefix = m.kind === 'signal' ? 'signal ' : m.kind === 'slot' ? 'slot ' : '';
  return `${prefix}${m.returns} ${m.name}(${params.join(', ')})${m.const ? ' const' : ''}`;
}

function pySignature(cls, m) {
  const params = m.params.map(
    (p) =>
      `${p.name}: ${pyType(p.type)}${p.default !== undefined ? ` = ${PY_DEFAULTS[p.default] ?? p.default}` : ''}`,
  );
  if (m.kind === 'constructor') return `${cls}(${params.join(', ')})`;
  if (m.kind === 'signal') return `${m.name}(${params.map((p) => p.split(' =')[0]).join(', ')})  # Signal`;
  return `${m.name}(${params.join(', ')}) -> ${pyType(m.returns)}`;
}

// ---- the document ----------------------------------------------------------------------------------------

const cell = (s) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// the compiler names well-known symbols `__@iterator@123`, with a number that changes with every edit of lib/
const symbolName = (s) => s.replace(/__@(\w+)@\d+/g, '[Symbol.$1]');
const code = (lines) => lines.map((l) => `<code>${cell(symbolName(l))}</code>`).join('<br>');

const missing = [];
const out = [];
out.push(
  '# Qt MQTT → TypeScript',
  '',
  '<!-- Generated by scripts/gen-qt-mapping.mjs from scripts/qtmqtt-api.json and lib/; do not edit by hand. -->',
  '',
  'For people who know `QMqttClient` from Qt (C++) or PySide6: every public class, method, signal and enum of',
  "Qt MQTT beside its counterpart in this package. The names are Qt's; the differences are TypeScript idiom:",
  '',
  '- Getters are methods (`client.hostname()`), setters `setX(value)`, as in Qt.',
  '- Signals are typed objects: `client.connected.connect(() => …)` returns a handle whose `disconnect()` removes',
  '  that listener (PySide6: `client.connected.connect(slot)`).',
  '- `QByteArray` is a Node.js `Buffer` (strings and `Uint8Array`s are accepted as input); `QString` is `string`;',
  '  integers are `number`; `QList<T>` is an array; pointers that may be null are `T | null` or `T | undefined`.',
  "- Enums are TypeScript enums with Qt's numbers, exported at the top level: `QMqttClient::Connected` is",
  '  `ClientState.Connected` (= 2); `QMqtt::ReasonCode::Success` is `ReasonCode.Success`.',
  '- Value classes (`QMqttTopicName`, property classes, …) are plain classes; the client copies what it is given.',
  '  Copy construction is `copy()`, `==` is `equals()`, `<` is `compare()`.',
  '- Every asynchronous action also has a promise form (`connectToHostAsync`, `publishAsync`, `subscribeAsync`, …)',
  '  listed under "Beyond Qt" for each class.',
  '',
  `Source of the Qt side: ${api.source.primary}; ${api.source.qt610Additions}.`,
  '',
);

for (const cls of api.classes) {
  const ours = cls.class === 'QMqtt' ? undefined : ourMembers(cls.class);
  out.push(`## ${cls.class}`, '');
  const bits = [`header \`${cls.header}\``, `since Qt ${cls.since}`];
  if (cls.inherits) bits.push(`inherits \`${cls.inherits}\``);
  if (cls.mqtt5Only) bits.push('MQTT 5 only');
  out.push(bits.join(' · '), '');
  if (cls.class !== 'QMqtt' && !ours) {
    missing.push(`class ${cls.class}`);
    out.push(`**No counterpart in this package.**`, '');
    continue;
  }
  if (cls.class === 'QMqttUserProperties') {
    out.push(
      'Qt declares no members: it is a `QList<QMqttStringPair>`. Ours is an ordered, iterable list of',
      '`QMqttStringPair`:',
      '',
    );
    const rows = [...ours.entries()].filter(([n]) => n !== 'constructor');
    out.push('| TypeScript |', '| --- |');
    out.push(`| ${code(ours.get('constructor').text)} |`);
    for (const [, m] of rows) out.push(`| ${code(m.text)} |`);
    out.push('');
    continue;
  }
  if (cls.members.length > 0) {
    out.push('| Qt C++ | PySide6 | TypeScript |', '| --- | --- | --- |');
    const seen = new Set();
    for (const m of cls.members) {
      const key = m.kind === 'constructor' ? 'constructor' : m.name;
      const theirs = `${code([cppSignature(cls.class, m)])}${m.since && m.since !== cls.since ? ` <sub>Qt ${m.since}</sub>` : ''}${m.mqtt5Only && !cls.mqtt5Only ? ' <sub>MQTT 5</sub>' : ''}`;
      let mine;
      const ourMember = ours.get(key);
      if (!ourMember) {
        mine = '**missing**';
        missing.push(`${cls.class}.${key}`);
      } else if (seen.has(key)) mine = '〃';
      else mine = code(ourMember.text);
      seen.add(key);
      out.push(`| ${theirs} | ${code([pySignature(cls.class, m)])} | ${mine} |`);
    }
    for (const name of cls.inheritedMethods ?? []) {
      const ourMember = ours.get(name);
      if (!ourMember) missing.push(`${cls.class}.${name} (inherited)`);
      out.push(
        `| <sub>inherited</sub> <code>${name}</code> | <sub>inherited</sub> | ${ourMember ? code(ourMember.text) : '**missing**'} |`,
      );
    }
    out.push('');
  }
  if (cls.operators?.length) {
    out.push(
      `Operators ${cls.operators.map((o) => `\`${o}\``).join(', ')}: ` +
        'assignment is plain JavaScript assignment (or `copy()` for an independent value); `==`/`!=` are ' +
        '`equals()`' +
        (cls.operators.some((o) => o.startsWith('<')) ? '; `<` is `compare()`' : '') +
        '.',
      '',
    );
  }
  for (const [enumName, values] of Object.entries(cls.enums ?? {})) {
    const mine = ourEnum(enumName);
    const scope = cls.class === 'QMqtt' ? 'QMqtt' : cls.class;
    out.push(`### enum ${scope}::${enumName} → \`${enumName}\``, '');
    out.push('| Qt C++ | PySide6 | TypeScript | value |', '| --- | --- | --- | --- |');
    for (const [name, value] of Object.entries(values)) {
      const ok = mine && mine.get(name) === value;
      if (!ok) missing.push(`${enumName}.${name} = ${value}`);
      out.push(
        // QMqtt's enums are scoped (enum class): QMqtt::ReasonCode::Success
        `| <code>${scope}::${cls.class === 'QMqtt' ? `${enumName}::` : ''}${name}</code> | <code>${scope}.${enumName}.${name}</code> | ${ok ? `<code>${enumName}.${name}</code>` : '**missing**'} | ${value} |`,
      );
    }
    out.push('');
  }
  if (ours) {
    const qtNames = new Set([...cls.methods, ...cls.signals, ...(cls.inheritedMethods ?? []), 'constructor']);
    const extra = [...ours.entries()].filter(([n]) => !qtNames.has(n));
    if (extra.length > 0) {
      out.push('<details><summary>Beyond Qt</summary>', '', '| TypeScript |', '| --- |');
      for (const [, m] of extra) out.push(`| ${code(m.text)} |`);
      out.push('', '</details>', '');
    }
  }
}

out.push(
  '## Not carried over',
  '',
  '- `swap()` exists for parity but is rarely useful in JavaScript; assignment of references does the same.',
  '- `qHash`, `QDataStream <<`/`>>`, `QDebug <<`: use `toString()` / `toJSON()` (both value classes have them).',
  '- `QObject* parent` constructor arguments: JavaScript has garbage collection; call `disconnectFromHost()` to',
  '  release the connection.',
  '- `QIODevice*` / `QWebSocket*` become a Node.js `Duplex` stream (`setTransport`) and `WebSocketOptions`.',
  '',
);
if (missing.length > 0) out.push('## Missing', '', ...missing.map((m) => `- ${m}`), '');

const text = out.join('\n');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // missing file: stale
  }
  if (current !== text) {
    console.error(
      'docs/qt-mapping.md is out of date: run `npm run docs:mapping` (node scripts/gen-qt-mapping.mjs)',
    );
    process.exit(1);
  }
  console.log(`docs/qt-mapping.md is up to date (${missing.length} Qt members without a counterpart)`);
} else {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text);
  console.log(`wrote docs/qt-mapping.md (${missing.length} Qt members without a counterpart)`);
}
