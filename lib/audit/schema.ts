/**
 * Schema validation of manifests, with unknown fields rejected.
 *
 * - Core kinds: the ajv-compiled validators that kubernetes-models 4 ships (Kubernetes 1.33 OpenAPI).
 *   Those validators never reject unknown fields, so each document is wrapped in a Proxy that records
 *   which keys the validator reads: a compiled validator reads every declared property of an object
 *   (present or not) and iterates free-form maps, so an own key that was never read, on an object
 *   on which the validator read any property name, is a field the schema does not declare.
 * - Istio `networking.istio.io` kinds: the CRD's openAPIV3Schema (crds/istio-networking-v1.yaml, the
 *   v1 cut of ../shared/crds; v1beta1 and v1alpha3 serve the same schema), compiled with ajv with
 *   every object schema that lists properties closed (`additionalProperties: false`) unless it sets
 *   `additionalProperties` or `x-kubernetes-preserve-unknown-fields`.
 * - Service Catalog `servicecatalog.k8s.io/v1beta1` ServiceInstance and ServiceBinding: their CRDs carry
 *   no schema, so {@link extraSchemas} holds closed shapes for them (from service-catalog's v1beta1 types).
 * - Other kinds: register a validator in {@link extraSchemas} or their CRDs with {@link loadCrds}.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { asoMySqlSchemas } from './aso-schemas';

/** One schema problem: a JSON pointer into the document and what is wrong there. */
export interface SchemaProblem {
  /** JSON pointer (`/spec/template/spec/containers/0/image`); `/` for the document itself. */
  readonly path: string;
  /** What is wrong, e.g. `must be integer` or `unknown field`. */
  readonly message: string;
}

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; keyword?: string; params?: any }> | null };

/** Finds `rel` in this package: next to the sources (lib/audit) or the build output (build/lib/audit). */
function packageFile(rel: string): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, rel);
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '../..', rel);
}

// ---------------------------------------------------------------- core kinds (kubernetes-models)

const coreCache = new Map<string, Validator | null>();

/**
 * Throws a message that says how to install kubernetes-models when it is missing: it is an optional peer
 * dependency (only the audit needs it), and without it core kinds would silently go unvalidated.
 */
function requireKubernetesModels(): void {
  try {
    require.resolve('kubernetes-models/package.json');
  } catch {
    throw new Error('the audit validates core kinds with the kubernetes-models package, which is not installed: '
      + 'npm install --save-dev kubernetes-models@^4.5 (an optional peer dependency of cdk8s-noops, needed by cdk8s-noops/audit and the check command only)');
  }
}

function coreValidator(apiVersion: string, kind: string): Validator | null {
  const key = `${apiVersion}/${kind}`;
  if (coreCache.has(key)) return coreCache.get(key)!;
  if (coreCache.size === 0) requireKubernetesModels();
  let validator: Validator | null = null;
  try {
    if (!/^[A-Za-z0-9.\/-]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) throw new Error('not a model name');
    const modelFile = require.resolve(`kubernetes-models/${apiVersion}/${kind}`);
    const schemaFile = /require\("((?:\.\.\/)+_schemas\/\w+\.js)"\)/.exec(fs.readFileSync(modelFile, 'utf8'))?.[1];
    if (schemaFile) validator = require(path.resolve(path.dirname(modelFile), schemaFile)).validate as Validator;
  } catch {
    validator = null;
  }
  coreCache.set(key, validator);
  return validator;
}

/** Wraps `value` so that every key the validator reads, or every object it iterates, is recorded. */
function tracker() {
  const reads = new WeakMap<object, Set<PropertyKey>>();
  const iterated = new WeakSet<object>();
  const proxies = new WeakMap<object, unknown>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const target = value as Record<PropertyKey, unknown>;
    if (proxies.has(target)) return proxies.get(target);
    const seen = new Set<PropertyKey>();
    reads.set(target, seen);
    const proxy = new Proxy(target, {
      get(t, k) {
        seen.add(k);
        return wrap(t[k as string]);
      },
      has(t, k) {
        seen.add(k);
        return k in t;
      },
      ownKeys(t) {
        iterated.add(t);
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return { wrap, reads, iterated };
}

function unknownFields(doc: unknown, reads: WeakMap<object, Set<PropertyKey>>, iterated: WeakSet<object>): string[] {
  const out: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}/${i}`));
      return;
    }
    const seen = reads.get(value);
    const keys = Object.keys(value);
    // Schema-bound: the validator read some property name on it. It reads every declared property, even
    // absent ones, so this holds when the object's only key is unknown (`securityContext: {runAsNonroot: true}`).
    const readAny = seen !== undefined && [...seen].some((k) => typeof k === 'string');
    if (!iterated.has(value) && readAny) {
      // The model generator strips properties named `description` and `x-kubernetes-*`.
      for (const k of keys) if (!seen!.has(k) && k !== 'description' && !k.startsWith('x-kubernetes-')) out.push(`${at}/${k}`);
    }
    for (const k of keys) walk((value as Record<string, unknown>)[k], `${at}/${k}`);
  };
  walk(doc, '');
  return out;
}

// ---------------------------------------------------------------- CRDs

function closeSchema(schema: any): any {
  if (!schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map(closeSchema);
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = closeSchema(v);
  }
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const crdValidators = new Map<string, ValidateFunction>();
let crdsLoaded = false;

/** Registers every CRD in a YAML file: its custom resources are then validated against its schema. */
export function loadCrds(file: string, versions?: string[]): void {
  for (const crd of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS())) {
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    for (const v of crd.spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) continue;
      const validate = ajv.compile(closeSchema({ ...schema, properties: { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } } }));
      for (const served of versions ?? [v.name]) crdValidators.set(`${crd.spec.group}/${served}/${crd.spec.names.kind}`, validate);
    }
  }
}

function ensureCrds(): void {
  if (crdsLoaded) return;
  crdsLoaded = true;
  // The v1 cut; Istio serves the identical schema as v1beta1 and v1alpha3.
  loadCrds(packageFile('crds/istio-networking-v1.yaml'), ['v1', 'v1beta1', 'v1alpha3']);
}

// ---------------------------------------------------------------- Service Catalog

const ref = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const free = { type: 'object' };
const parametersFrom = {
  type: 'array',
  items: { type: 'object', properties: { secretKeyRef: { type: 'object', properties: { name: { type: 'string' }, key: { type: 'string' } }, required: ['name', 'key'] } } },
};
const userInfo = { type: 'object', properties: { username: { type: 'string' }, uid: { type: 'string' }, groups: { type: 'array', items: { type: 'string' } }, extra: free } };
const catalogObject = (spec: any) => closeSchema({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: free, spec, status: { ...free, additionalProperties: true } },
});
const str = { type: 'string' };
const planReference = Object.fromEntries([
  'clusterServiceClassExternalName', 'clusterServicePlanExternalName', 'clusterServiceClassExternalID', 'clusterServicePlanExternalID',
  'clusterServiceClassName', 'clusterServicePlanName', 'serviceClassExternalName', 'servicePlanExternalName',
  'serviceClassExternalID', 'servicePlanExternalID', 'serviceClassName', 'servicePlanName',
].map((k) => [k, str]));

/** Returns `make()`'s value, computed on the first call: importing the library compiles no schema. */
function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Closed shape of `ServiceInstanceSpec` (service-catalog `pkg/apis/servicecatalog/v1beta1/types.go`). */
const SERVICE_INSTANCE = lazily(() => ajv.compile(catalogObject({
  type: 'object',
  properties: {
    ...planReference,
    clusterServiceClassRef: ref, clusterServicePlanRef: ref, serviceClassRef: ref, servicePlanRef: ref,
    parameters: { ...free, additionalProperties: true }, parametersFrom, externalID: str, userInfo, updateRequests: { type: 'integer' },
  },
})));

/** Closed shape of `ServiceBindingSpec`. */
const SERVICE_BINDING = lazily(() => ajv.compile(catalogObject({
  type: 'object',
  required: ['instanceRef'],
  properties: {
    instanceRef: ref, parameters: { ...free, additionalProperties: true }, parametersFrom, secretName: str, externalID: str, userInfo,
    secretTransforms: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          renameKey: { type: 'object', properties: { from: str, to: str }, required: ['from', 'to'] },
          addKey: { type: 'object', properties: { key: str, value: str, stringValue: str, jsonPathExpression: str }, required: ['key'] },
          addKeysFrom: { type: 'object', properties: { secretRef: { type: 'object', properties: { name: str, namespace: str } } } },
          removeKey: { type: 'object', properties: { key: str }, required: ['key'] },
        },
      },
    },
  },
})));

/** A message for an ajv error compiled without messages (kubernetes-models' standalone validators). */
function describeError(e: { keyword?: string; params?: any }): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'type': return `must be ${p.type}`;
    case 'required': return `must have required property '${p.missingProperty}'`;
    case 'enum': return `must be one of ${JSON.stringify(p.allowedValues)}`;
    case 'format': return `must match format "${p.format}"`;
    case 'minimum': case 'maximum': return `must be ${p.comparison} ${p.limit}`;
    default: return `fails ${e.keyword ?? 'the schema'} ${JSON.stringify(p)}`;
  }
}

function ajvProblems(validate: ValidateFunction | Validator, doc: unknown): SchemaProblem[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.params?.additionalProperty;
    return extra !== undefined
      ? { path: `${e.instancePath}/${extra}`, message: 'unknown field' }
      : { path: e.instancePath || '/', message: e.message ?? 'is invalid' };
  });
}

function catalogValidator(validate: () => ValidateFunction, needsClass: boolean) {
  return (doc: any): string[] => {
    const problems = ajvProblems(validate(), doc).map((p) => `${p.path}: ${p.message}`);
    if (needsClass && doc?.spec && typeof doc.spec === 'object') {
      const names = ['clusterServiceClassExternalName', 'clusterServiceClassName', 'serviceClassExternalName', 'serviceClassName', 'clusterServiceClassRef', 'serviceClassRef'];
      if (!names.some((n) => doc.spec[n] !== undefined)) problems.push('/spec: must name a service class (clusterServiceClassExternalName or serviceClassExternalName)');
    }
    return problems;
  };
}

/**
 * Validators for kinds without a published schema, keyed by `apiVersion/kind`; each returns
 * `/path: message` lines. Service Catalog v1beta1 ServiceInstance and ServiceBinding are registered;
 * register more (or replace these) with `extraSchemas.set('example.com/v1/Widget', (doc) => [...])`.
 */
export const extraSchemas = new Map<string, (doc: any) => string[]>([
  ['servicecatalog.k8s.io/v1beta1/ServiceInstance', catalogValidator(SERVICE_INSTANCE, true)],
  ['servicecatalog.k8s.io/v1beta1/ServiceBinding', catalogValidator(SERVICE_BINDING, false)],
  // Azure Service Operator v2 dbformysql kinds (hand-written, see ./aso-schemas.ts).
  ...asoMySqlSchemas(),
]);

/** Parses a `/path: message` line of an extra validator; ajv's additional-property errors become `unknown field`. */
function splitProblem(line: string): SchemaProblem {
  const i = line.indexOf(': ');
  const p = i > 0 && line.startsWith('/') ? { path: line.slice(0, i), message: line.slice(i + 2) } : { path: '/', message: line };
  const extra = /^must NOT have additional properties '(.+)'$/.exec(p.message);
  return extra ? { path: `${p.path === '/' ? '' : p.path}/${extra[1]}`, message: 'unknown field' } : p;
}

/**
 * Validates one manifest against its schema, unknown fields rejected. Returns the problems, empty when
 * valid. `schema: false` on a result means no schema knows the kind (the caller decides how bad that is).
 */
export function validateSchema(doc: any): { problems: SchemaProblem[]; schema: boolean } {
  ensureCrds();
  const { apiVersion, kind } = doc ?? {};
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return { problems: [{ path: '/', message: 'apiVersion and kind must be strings' }], schema: true };
  const extra = extraSchemas.get(`${apiVersion}/${kind}`);
  if (extra) return { problems: extra(doc).map(splitProblem), schema: true };
  const crd = crdValidators.get(`${apiVersion}/${kind}`);
  if (crd) return { problems: ajvProblems(crd, doc), schema: true };
  const core = coreValidator(apiVersion, kind);
  if (!core) return { problems: [], schema: false };
  const { wrap, reads, iterated } = tracker();
  const problems: SchemaProblem[] = [];
  if (!core(wrap(doc))) problems.push(...(core.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? describeError(e) })));
  problems.push(...unknownFields(doc, reads, iterated).map((p) => ({ path: p, message: 'unknown field' })));
  return { problems, schema: true };
}

/**
 * Validates one manifest. Returns a list of problems (`/path: message`), empty when valid. A kind with
 * no schema at all is a problem too, so nothing slips through unvalidated.
 */
export function schemaProblems(doc: any): string[] {
  const { problems, schema } = validateSchema(doc);
  if (!schema) return [`/: no schema for ${doc.apiVersion} ${doc.kind}`];
  return problems.map((p) => `${p.path}: ${p.message}`);
}

/** Validates every manifest; returns `kind/name/path: problem` lines. */
export function allSchemaProblems(docs: any[]): string[] {
  return docs.flatMap((d) => schemaProblems(d).map((p) => `${d?.kind}/${d?.metadata?.name}${p}`));
}
