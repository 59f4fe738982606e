import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { emitYamlDocument, stringifyYaml } from '../lib/synth/yaml-emitter';

// The emitter must round-trip through both a YAML 1.1 reader (what kubectl's go-yaml v2 and PyYAML
// implement) and a YAML 1.2 reader: every string stays a string, every number a number.
const parse11 = (text: string) => YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
const parse12 = (text: string) => YAML.parseAllDocuments(text).map((d) => d.toJS());
const cdk8sYaml = (doc: unknown) => YAML.stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' });

const TRICKY_STRINGS = [
  // YAML 1.1 bools and nulls
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', 'true', 'False', 'TRUE',
  'null', 'Null', 'NULL', '~', '',
  // numbers and things that look like them
  '0755', '0o755', '0x1F', '0b101', '1e3', '1E-3', '1.0', '1', '-1', '+1', '.5', '1.', '1_000', '.inf', '-.Inf', '.NaN',
  '12:30', '190:20:30.15', '2024-01-01', '2024-01-01T10:00:00Z', '2001-12-14 21:59:43.10 -5',
  // indicators and structure
  '-', '--', '---', '---x', '...', '- x', '-x', '?', '? x', '?x', ':', ': ', 'x:', ':x', 'a: b', 'a:b', '#', 'a #b', 'a#b',
  '*x', '&x', '!x', '!!str', '%x', '@x', '`x', '|', '>', '[x]', '{x}', 'a, b', '"x"', "'x'", 'a"b', "a'b", `a"b'c`,
  '<<', '=', ' lead', 'trail ', '\tx', 'x\t', 'http://x.example.com:80/y?z=1#f', 'key=value', '100m', '256Mi', '10.0.0.0/8',
  // multi-line strings
  'a\nb', 'a\nb\n', 'a\nb\n\n', '\n', '\n\n', '\nx', '  lead\nx', 'a\n  b', 'x\n ', 'x \ny', '\n\nx\n\n\ny\n\n',
  '#!/bin/sh\nset -e\necho "hi: there"\n', 'line\n---\nline', 'line\n...\n', '\ttab\nx', 'x\r\ny',
  // unicode and control characters
  'héllo wörld', '日本語', 'emoji 🎉', 'a\u0000b', 'bell\u0007', 'esc\u001b', 'del\u007f', 'nel\u0085x', 'ls\u2028ps\u2029',
  'bom\ufeff', 'lone \ud800 surrogate', 'a\\u0041', 'back\\slash',
];

describe('every output parses back to the same object', () => {
  test.each(TRICKY_STRINGS.map((s) => [JSON.stringify(s), s] as const))('string %s as value, key and list item', (_label, s) => {
    const doc = { value: s, list: [s, [s], { inner: s }], [s]: { nested: s }, count: 1 };
    const text = stringifyYaml(doc);
    expect(parse11(text)).toEqual([doc]);
    expect(parse12(text)).toEqual([doc]);
  });

  test('numbers, booleans, null, empty collections and nesting', () => {
    const doc = {
      int: 42, negative: -7, float: 1.5, small: 0.0001, big: 1e21, zero: 0, t: true, f: false, nil: null,
      emptyList: [], emptyMap: {}, listOfLists: [[1, 2], [], [[3]]], listOfMaps: [{ a: 1, b: [{ c: 'd' }] }, {}],
      numberKeys: { 80: 'http', 443: 'https' }, deep: { a: { b: { c: { d: ['e'] } } } },
    };
    expect(parse11(stringifyYaml(doc))).toEqual([doc]);
    expect(parse12(stringifyYaml(doc))).toEqual([doc]);
  });

  test('multi-document streams, like cdk8s: `---` between documents, undefined as an empty document', () => {
    const text = stringifyYaml({ a: 1 }, undefined, { b: 'yes' });
    expect(text).toEqual('a: 1\n---\n\n---\nb: "yes"\n');
    expect(YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS())).toEqual([{ a: 1 }, null, { b: 'yes' }]);
  });

  test('top-level scalars and collections', () => {
    for (const doc of ['plain', 'multi\nline', 'yes', 3, true, null, [], {}, ['x', { y: 'z' }]]) {
      expect(parse11(emitYamlDocument(doc))).toEqual([doc]);
    }
  });

  test('very long keys are written as explicit keys', () => {
    const key = 'k'.repeat(1100);
    const doc = { [key]: { v: 1 }, list: [{ [key]: 'x' }] };
    expect(parse11(stringifyYaml(doc))).toEqual([doc]);
  });
});

describe('same bytes as cdk8s (the yaml package with lineWidth 0, YAML 1.1) for what manifests hold', () => {
  // Left out: the strings where it deliberately quotes more (see the describe blocks below).
  const SAME = TRICKY_STRINGS.filter((s) => !/^(?:---|\.\.\.)|^<<$|^=$|^0o|^0X|^\t[^\n]*\n|[\u0085\u2028\u2029\ufeff\u007f]/.test(s));
  test.each(SAME.map((s) => [JSON.stringify(s), s] as const))('%s', (_label, s) => {
    const doc = { value: s, list: [s, [s], { inner: s }], [s]: { nested: s } };
    expect(stringifyYaml(doc)).toEqual(cdk8sYaml(doc));
  });

  test('a realistic manifest', () => {
    const doc = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', version: '1.0' } },
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', args: ['-c', 'echo "a: b"\nexit 0\n'], ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1', memory: '256Mi' } } }], volumes: [{ name: 'tmp', emptyDir: {} }] } },
      },
    };
    expect(stringifyYaml(doc, doc)).toEqual(`${cdk8sYaml(doc)}---\n${cdk8sYaml(doc)}`);
  });
});

describe('where it quotes more than the yaml package (safer for YAML 1.1 readers)', () => {
  test.each([
    ['0o755', 'a YAML 1.2 octal'],
    ['<<', 'the YAML 1.1 merge key'],
    ['nel\u0085x', 'NEL is a line break in YAML 1.1'],
    ['ls\u2028ps', 'LS is a line break in YAML 1.1'],
    ['=', 'the YAML 1.1 value key, which PyYAML rejects'],
    ['0X1F', 'go-yaml v2 reads it as a hex int'],
  ])('%j (%s)', (s) => {
    expect(stringifyYaml({ v: s })).toMatch(/^v: ["']/);
  });
});

// go-yaml v2 (kubectl) drops every `_` and then parses with Go's ParseInt(s, 0) / its float rule.
const GO_YAML_NUMBERS = ['0X1F', '-0X1', '0B101', '0O17', '0o1_7', '0_x1', '1e_3', '1.5e_3', '1_000', '+0x_1', '09', '-1_0.5'];

describe('strings go-yaml v2 reads as numbers are quoted, as values and keys', () => {
  test.each(GO_YAML_NUMBERS)('%j', (s) => {
    const text = stringifyYaml({ v: s, [s]: 'k' });
    expect(text).toMatch(/^v: ["']/);
    expect(text.split('\n')[1]).toMatch(/^["']/);
    expect(parse11(text)).toEqual([{ v: s, [s]: 'k' }]);
    expect(parse12(text)).toEqual([{ v: s, [s]: 'k' }]);
  });

  test('look-alikes that stay strings for go-yaml v2 stay plain', () => {
    expect(stringifyYaml({ v: '0x1g', w: '1e3x', x: '_1', z: '1-2' })).toEqual('v: 0x1g\nw: 1e3x\nx: _1\nz: 1-2\n');
  });
});

describe('PyYAML-safe: `=` and single-line strings with a tab are quoted', () => {
  test.each(['=', 'a\tb', '\tx', 'x\t'])('%j', (s) => {
    const text = stringifyYaml({ v: s, [s]: 'k' });
    expect(text).toMatch(/^v: ["']/);
    expect(text.split('\n')[1]).toMatch(/^["']/);
    expect(parse11(text)).toEqual([{ v: s, [s]: 'k' }]);
  });
});

describe('a literal block whose first line starts with a tab gets an indentation indicator', () => {
  test('{ a: "\\tb\\nc" }', () => {
    const doc = { a: '\tb\nc' };
    const text = stringifyYaml(doc);
    expect(text).toEqual('a: |2-\n  \tb\n  c\n');
    expect(parse11(text)).toEqual([doc]);
    expect(parse12(text)).toEqual([doc]);
  });

  test.each(['\n\tb', '\tb\n', '\n\n\tb\nc\n'])('%j, as value and list item, nested', (s) => {
    const doc = { a: s, list: [s, { inner: s }], deep: { x: s } };
    const text = stringifyYaml(doc);
    expect(text).toMatch(/^a: \|2/);
    expect(text).not.toMatch(/\|[-+]?\n/); // every block has the indicator
    expect(parse11(text)).toEqual([doc]);
    expect(parse12(text)).toEqual([doc]);
  });
});

// Optional: kubectl reads kubeconfig files with go-yaml v2 (via sigs.k8s.io/yaml). Runs only where kubectl is
// installed; CI does not depend on it.
const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
(KUBECTL ? test : test.skip)('optional (skipped without kubectl): kubectl (go-yaml v2) reads every string back unchanged', () => {
  const strings = [
    ...GO_YAML_NUMBERS, '=', 'a\tb', '\tb\nc', '\n\tb', '\ttab\nx',
    ...TRICKY_STRINGS.filter((s) => s !== '' && !FORCE_DOUBLE_LIKE.test(s)),
  ];
  const config: Record<string, string> = {};
  strings.forEach((s, i) => { config[`k${i}`] = s; config[s] = `v${i}`; });
  const kubeconfig = {
    'apiVersion': 'v1', 'kind': 'Config', 'current-context': '0X1F', 'preferences': {},
    'users': [{ name: 'u', user: { 'auth-provider': { name: 'x', config } } }],
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-emitter-'));
  try {
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, stringifyYaml(kubeconfig));
    const json = JSON.parse(execFileSync('kubectl', ['config', 'view', `--kubeconfig=${file}`, '-o', 'json'], { encoding: 'utf8' }));
    expect(json['current-context']).toEqual('0X1F');
    expect(json.users[0].user['auth-provider'].config).toEqual(config);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Control characters and lone surrogates: not what a kubeconfig can carry through JSON unchanged. */
const FORCE_DOUBLE_LIKE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

test('fails on values that are not JSON data', () => {
  expect(() => stringifyYaml({ f: () => 1 })).toThrow(/cannot render a value of type function; pass plain JSON data/);
});

// Failure classes found by fuzzing ≈9,500 documents through the yaml package (YAML 1.1 and 1.2), PyYAML and kubectl,
// and by `test/yaml-emitter-fuzz.test.ts`. Each is quoted as a value, a key and a list item, and reads back unchanged.
describe('failure classes found by fuzzing', () => {
  const expectQuotedEverywhere = (s: string) => {
    const doc = { v: s, [s]: 'k', l: [s] };
    const text = stringifyYaml(doc);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^v: ["']/);
    expect(lines[1]).toMatch(/^["']/);
    expect(lines[3]).toMatch(/^ {2}- ["']/);
    expect(parse11(text)).toEqual([doc]);
    expect(parse12(text)).toEqual([doc]);
    return text;
  };

  describe('letter-led exponents, which a YAML 1.1 reader (the yaml package) takes for floats', () => {
    test.each(['E1', 'e5', 'E10', 'e-3', 'E0', 'e+5', 'e123456', '-e5', '+E1', '.e1', '._e1'])('%j', (s) => {
      expect(expectQuotedEverywhere(s)).toEqual(`v: "${s}"\n"${s}": k\nl:\n  - "${s}"\n`);
    });

    test('look-alikes stay plain: e, E, e1x, ex1, e_1, e1.5x, env, e2e, E_VAR, exec', () => {
      const doc = { a: ['e', 'E', 'e1x', 'ex1', 'e_1', 'e1.5x', 'env', 'e2e', 'E_VAR', 'exec'], e: 1, env: 2, E_VAR: 3 };
      expect(stringifyYaml(doc)).toEqual('a:\n  - e\n  - E\n  - e1x\n  - ex1\n  - e_1\n  - e1.5x\n  - env\n  - e2e\n  - E_VAR\n  - exec\ne: 1\nenv: 2\nE_VAR: 3\n');
    });
  });

  describe('what YAML 1.1 (or PyYAML, or go-yaml v2) resolves to something other than a string', () => {
    test.each([
      'y', 'Y', 'n', 'N', 'yes', 'yEs', 'NO', 'on', 'oN', 'OFF', 'oFF', 'True', 'fALSE', '~', 'null', 'nULL', // bools and nulls, any case
      '1:20', '-1:20', '190:20:30.15', '1_0:20', // sexagesimal ints and floats
      '0b101', '0b_', '0o17', '0x1F', '0x_', '0_', '0755', '1_000', // 1.1 and 1.2 ints
      '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.', '._', '1.', '-.', '1e3', '1.5E-3', // floats
      '2024-01-01', '2024-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
      '2001-12-14 21:59:43.', '2001-12-14 21:59:43 +35', // timestamps as PyYAML reads them (empty fraction, any zone hour)
      '=', '<<', // YAML 1.1's value key and merge key
    ])('%j', (s) => {
      expectQuotedEverywhere(s);
    });
  });

  describe('whitespace-only multi-line strings are double-quoted (a literal block cannot hold them)', () => {
    // `{ b: " \n" }` as `b: |+` + a line of three spaces reads back as "\n"; "\t\n" as a block makes kubectl refuse the file.
    test.each([' \n', '\t\n', '  \n\n', ' \n ', '\t\n\t', '\n \n', ' \t\n', '\n\t\n', '\n\n  '])('%j', (s) => {
      const doc = { b: s, [s]: 'k', l: [s], m: { n: s } };
      const text = stringifyYaml(doc);
      expect(text).toMatch(/^b: "/);
      expect(text).not.toMatch(/\|/);
      expect(parse11(text)).toEqual([doc]);
      expect(parse12(text)).toEqual([doc]);
    });

    test('exactly: { b: " \\n" } and { b: "\\t\\n" }', () => {
      expect(stringifyYaml({ b: ' \n' })).toEqual('b: "\\ \\n"\n');
      expect(stringifyYaml({ b: '\t\n' })).toEqual('b: "\\t\\n"\n');
    });

    test('strings of newlines only, and blocks with whitespace-only lines among content, stay literal blocks', () => {
      const doc = { a: '\n', b: '\n\n', c: 'x\n \ny', d: 'x\n\t\n', e: ' x\n  \n' };
      const text = stringifyYaml(doc);
      expect(text).toEqual(cdk8sYaml(doc));
      expect(text).toEqual('a: |+\n  \nb: |+\n  \n\nc: |-\n  x\n   \n  y\nd: |+\n  x\n  \t\ne: |2+\n   x\n    \n');
      expect(parse11(text)).toEqual([doc]);
      expect(parse12(text)).toEqual([doc]);
    });
  });

  describe('characters outside YAML\'s printable set are escaped in double quotes', () => {
    // c-printable: #x9 | #xA | #xD | [#x20-#x7E] | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    const PRINTABLE = /^[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

    test('U+FFFE and U+FFFF (PyYAML and kubectl refuse them raw), as values and keys', () => {
      const doc = { v: '\ufffe', '\uffff': 'x\uffffy', l: ['a\ufffe'] };
      const text = stringifyYaml(doc);
      expect(text).toEqual('v: "\\ufffe"\n"\\uffff": "x\\uffffy"\nl:\n  - "a\\ufffe"\n');
      expect(parse11(text)).toEqual([doc]);
      expect(parse12(text)).toEqual([doc]);
    });

    test('lone surrogates are escaped (`\\ud800`), and read back as the same lone surrogates', () => {
      // There is no UTF-8 for a lone surrogate: written raw, it would become U+FFFD. Escaped, the yaml package and
      // PyYAML read it back unchanged; kubectl (go-yaml v2) refuses the escape ("found invalid Unicode character
      // escape code") rather than change the data. A pair split across two strings stays two lone halves.
      const doc = { v: 'a\ud800b', '\udc00': '\udfff\ud800', pair: '\ud83c\udf89', l: ['\ud800\ud800\udc00'] };
      const text = stringifyYaml(doc);
      expect(text).toEqual('v: "a\\ud800b"\n"\\udc00": "\\udfff\\ud800"\npair: \ud83c\udf89\nl:\n  - "\\ud800\ud800\udc00"\n');
      expect(parse11(text)).toEqual([doc]);
      expect(parse12(text)).toEqual([doc]);
    });

    test('every UTF-16 code unit, as a value and a key: the output is printable and reads back unchanged', () => {
      const doc: Record<string, string> = {};
      const keys: Record<string, string> = {};
      for (let c = 0; c <= 0xffff; c++) {
        const ch = String.fromCharCode(c);
        if (!PRINTABLE.test(ch) || c % 97 === 0) {
          doc[`u${c.toString(16)}`] = `a${ch}b`;
          keys[`a${ch}b`] = 'v';
        }
      }
      expect(Object.keys(doc).length).toBeGreaterThan(2048 + 2 + 65);
      const text = stringifyYaml({ values: doc, keys });
      expect(text).toMatch(PRINTABLE);
      expect(text).not.toMatch(/[\r\x85\u2028\u2029\ufeff]/); // line breaks of YAML 1.1 and BOM escaped too
      expect(parse11(text)).toEqual([{ values: doc, keys }]);
      expect(parse12(text)).toEqual([{ values: doc, keys }]);
    });
  });

  test('empty strings, numbers JSON cannot hold, and keys near the implicit-key limit', () => {
    const long = 'k'.repeat(999);
    const doc = { '': '', nums: [NaN, Infinity, -Infinity, -0, Number('1e400'), 5e-324, 1e21], [long]: 1, [`${long}:`]: 2, [`${long}\n`]: 3 };
    const text = stringifyYaml(doc);
    expect(text.split('\n').slice(0, 9)).toEqual(['"": ""', 'nums:', '  - .nan', '  - .inf', '  - -.inf', '  - -0', '  - .inf', '  - 5e-324', '  - 1e+21']);
    expect(text).toContain(`\n${long}: 1\n? "${long}:"\n: 2\n? "${long}\\n"\n: 3\n`);
    for (const parse of [parse11, parse12]) {
      const [back] = parse(text) as [typeof doc];
      expect(back).toEqual(doc);
      expect(Object.is(back.nums[3], -0)).toBe(true);
    }
  });
});
