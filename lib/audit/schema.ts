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
 * - Gateway API `gateway.networking.k8s.io/v1` GatewayClass, Gateway, HTTPRoute and ReferenceGrant: the
 *   v1.6.1 standard channel's CRDs (crds/gateway-api-v1.6.1-standard-v1.yaml), closed the same way, so an
 *   experimental-channel field is reported unless the experimental CRDs are loaded (`extraCrdFiles`), or
 *   the object declares that it needs the experimental channel (annotation `noops.io/gateway-api-channel:
 *   experimental`, which our constructs set when they render an experimental-only field, e.g. HTTPRoute
 *   `sessionPersistence`): then the v1.6.1 experimental channel's CRD validates it.
 * - Flagger `flagger.app/v1beta1` Canary and MetricTemplate, and Argo Rollouts `argoproj.io/v1alpha1`
 *   Rollout and AnalysisTemplate: their CRDs (crds/flagger-v1.44.0-import.yaml and
 *   crds/argo-rollouts-v1.9.1-import.yaml, the copies `npm run import` reads), closed the same way.
 * - Service Catalog `servicecatalog.k8s.io/v1beta1` ServiceInstance and ServiceBinding: their CRDs carry
 *   no schema, so {@link extraSchemas} holds closed shapes for them (from service-catalog's v1beta1 types),
 *   next to the Azure Service Operator dbformysql kinds (./aso-schemas.ts).
 * - Other kinds: a {@link SchemaCatalog} of your own, given their CRDs (`extraCrdFiles`, or
 *   {@link SchemaCatalog.loadCrds}) or validators (`extraSchemas`).
 *
 * A {@link SchemaCatalog} holds the compiled validators, each compiled on first use. The module itself keeps
 * no state: the schema tables are frozen constants, and the one shared catalog ({@link defaultSchemaCatalog},
 * used when no catalog is given) is a read-only memo of those constants (see lib/core/lazy.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { GATEWAY_API_CHANNEL_ANNOTATION, GATEWAY_API_EXPERIMENTAL } from '../core/channels';
import { lazy } from '../core/lazy';
import { ASO_MYSQL_SCHEMAS } from './aso-schemas';
import { deepFreeze } from './frozen';

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

/** The validator kubernetes-models ships for a core kind, or null when it has no model for it. */
function loadCoreValidator(apiVersion: string, kind: string): Validator | null {
  try {
    if (!/^[A-Za-z0-9.\/-]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) throw new Error('not a model name');
    const modelFile = require.resolve(`kubernetes-models/${apiVersion}/${kind}`);
    const schemaFile = /require\("((?:\.\.\/)+_schemas\/\w+\.js)"\)/.exec(fs.readFileSync(modelFile, 'utf8'))?.[1];
    return schemaFile ? require(path.resolve(path.dirname(modelFile), schemaFile)).validate as Validator : null;
  } catch {
    return null;
  }
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

/**
 * The closed schema of every CRD version in a YAML file, keyed by `group/version/Kind`: under each version
 * in `versions` when given, else under the version's own name.
 */
function crdSchemas(file: string, versions?: string[]): Array<[string, object]> {
  const out: Array<[string, object]> = [];
  for (const crd of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS())) {
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    for (const v of crd.spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) continue;
      const closed = closeSchema({ ...schema, properties: { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } } });
      for (const served of versions ?? [v.name]) out.push([`${crd.spec.group}/${served}/${crd.spec.names.kind}`, closed]);
    }
  }
  return out;
}

/** The Istio networking CRDs the audit knows without being told: the v1 cut, which Istio serves as v1beta1 and v1alpha3 too. */
const ISTIO_CRDS = { file: 'crds/istio-networking-v1.yaml', versions: ['v1', 'v1beta1', 'v1alpha3'] } as const;
/** The Gateway API CRDs the audit knows without being told: v1.6.1, standard channel, v1 (the version the constructs render). */
const GATEWAY_API_CRDS = { file: 'crds/gateway-api-v1.6.1-standard-v1.yaml', versions: ['v1'] } as const;
/** The progressive-delivery CRDs the audit knows without being told (Flagger's Canary and MetricTemplate; Argo's Rollout and AnalysisTemplate). */
const DELIVERY_CRD_FILES = ['crds/flagger-v1.44.0-import.yaml', 'crds/argo-rollouts-v1.9.1-import.yaml'] as const;

/** The experimental channel's CRDs of the same kinds, for objects that declare they need it (each version under its own name). */
const GATEWAY_API_EXPERIMENTAL_CRDS = ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'].map((k) => `crds/gateway-api-v1.6.1/experimental/${k}.yaml`);

/** Whether `doc` is a Gateway API object that declares it needs the experimental channel. */
function declaresExperimental(doc: any): boolean {
  return typeof doc?.apiVersion === 'string' && doc.apiVersion.startsWith('gateway.networking.k8s.io/')
    && doc.metadata?.annotations?.[GATEWAY_API_CHANNEL_ANNOTATION] === GATEWAY_API_EXPERIMENTAL;
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

/** Closed shape of `ServiceInstanceSpec` (service-catalog `pkg/apis/servicecatalog/v1beta1/types.go`). */
const SERVICE_INSTANCE = catalogObject({
  type: 'object',
  properties: {
    ...planReference,
    clusterServiceClassRef: ref, clusterServicePlanRef: ref, serviceClassRef: ref, servicePlanRef: ref,
    parameters: { ...free, additionalProperties: true }, parametersFrom, externalID: str, userInfo, updateRequests: { type: 'integer' },
  },
});

/** Closed shape of `ServiceBindingSpec`. */
const SERVICE_BINDING = catalogObject({
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
});

/** A ServiceInstance must name its class, which JSON schema cannot say (any one of six fields). */
function instanceNamesClass(doc: any): string[] {
  if (!doc?.spec || typeof doc.spec !== 'object') return [];
  const names = ['clusterServiceClassExternalName', 'clusterServiceClassName', 'serviceClassExternalName', 'serviceClassName', 'clusterServiceClassRef', 'serviceClassRef'];
  return names.some((n) => doc.spec[n] !== undefined) ? [] : ['/spec: must name a service class (clusterServiceClassExternalName or serviceClassExternalName)'];
}

/**
 * How to validate a kind without a published schema: a JSON schema (unknown fields are rejected where it
 * says `additionalProperties: false`), a check for what JSON schema cannot express, or both.
 */
export interface ExtraSchema {
  /** A JSON schema for the whole document; compiled by the catalog on first use. */
  readonly schema?: object;
  /** More checks; returns `/path: message` lines, empty when valid. Runs after `schema`. */
  readonly check?: (doc: any) => string[];
}

/**
 * The validators for kinds without a published schema that every {@link SchemaCatalog} has, keyed by
 * `apiVersion/kind`: Service Catalog v1beta1 ServiceInstance and ServiceBinding, and the Azure Service
 * Operator v2 dbformysql kinds (hand-written, see ./aso-schemas.ts). A frozen constant: add or replace
 * entries for one catalog with `new SchemaCatalog({ extraSchemas: { 'example.com/v1/Widget': { check } } })`.
 */
export const extraSchemas: Readonly<Record<string, ExtraSchema>> = deepFreeze({
  'servicecatalog.k8s.io/v1beta1/ServiceInstance': { schema: SERVICE_INSTANCE, check: instanceNamesClass },
  'servicecatalog.k8s.io/v1beta1/ServiceBinding': { schema: SERVICE_BINDING },
  ...Object.fromEntries(Object.entries(ASO_MYSQL_SCHEMAS).map(([key, schema]) => [key, { schema }])),
});

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

/** Parses a `/path: message` line of an extra validator; ajv's additional-property errors become `unknown field`. */
function splitProblem(line: string): SchemaProblem {
  const i = line.indexOf(': ');
  const p = i > 0 && line.startsWith('/') ? { path: line.slice(0, i), message: line.slice(i + 2) } : { path: '/', message: line };
  const extra = /^must NOT have additional properties '(.+)'$/.exec(p.message);
  return extra ? { path: `${p.path === '/' ? '' : p.path}/${extra[1]}`, message: 'unknown field' } : p;
}

/** Options for a {@link SchemaCatalog}. */
export interface SchemaCatalogOptions {
  /**
   * CRD files (YAML streams; documents of other kinds are skipped) whose custom resources to validate
   * against the CRD's `openAPIV3Schema`, each version under its own name. Same as calling
   * {@link SchemaCatalog.loadCrds} for each file.
   * @default - the Istio networking CRDs only
   */
  readonly extraCrdFiles?: string[];
  /**
   * Validators for more kinds without a published schema, keyed by `apiVersion/kind`. They come first,
   * then the built-in {@link extraSchemas} (which an entry with the same key replaces), CRDs, core kinds.
   * @default - the built-in {@link extraSchemas} only
   */
  readonly extraSchemas?: Readonly<Record<string, ExtraSchema>>;
  /**
   * Refuse {@link SchemaCatalog.loadCrds}: for a catalog that is shared, so that what one caller loads
   * cannot change what another one's audit finds. The catalog of {@link defaultSchemaCatalog} is read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * The schemas manifests are validated against, each compiled on first use and kept for the catalog's
 * lifetime: core kinds (kubernetes-models), CRDs (Istio networking built in, more with `extraCrdFiles` or
 * {@link loadCrds}), and kinds without a published schema ({@link extraSchemas}).
 *
 * Compiling is the slow part of an audit (about a second for the first documents), so reuse a catalog:
 * `audit()` without one uses the shared, read-only {@link defaultSchemaCatalog}. Create your own to add
 * CRDs or validators; what you add stays in your catalog.
 *
 * @example
 * const schemas = new SchemaCatalog({ extraCrdFiles: ['crds/widgets.yaml'] });
 * const report = audit('dist/', { schemas });
 */
export class SchemaCatalog {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly extras: Readonly<Record<string, ExtraSchema>>;
  private readonly readOnly: boolean;
  /** CRD schemas loaded by the caller (they replace built-in ones of the same key), not compiled yet. */
  private readonly crds = new Map<string, object>();
  /** The built-in Istio, Gateway API and progressive-delivery CRD schemas, read on first use. */
  private readonly builtInCrds = lazy(() => new Map([
    ...crdSchemas(packageFile(ISTIO_CRDS.file), [...ISTIO_CRDS.versions]),
    ...crdSchemas(packageFile(GATEWAY_API_CRDS.file), [...GATEWAY_API_CRDS.versions]),
    ...DELIVERY_CRD_FILES.flatMap((f) => crdSchemas(packageFile(f))),
  ]));
  /** The Gateway API experimental channel's CRD schemas, read on first use (for objects that declare the channel). */
  private readonly experimentalCrds = lazy(() => new Map(GATEWAY_API_EXPERIMENTAL_CRDS.flatMap((f) => crdSchemas(packageFile(f)))));
  /** Compiled validators by schema (a CRD's versions share one schema, so they share the validator). */
  private readonly compiled = new Map<object, ValidateFunction>();
  /** kubernetes-models validators by `apiVersion/kind`; null when it has no model. */
  private readonly core = new Map<string, Validator | null>();

  constructor(options: SchemaCatalogOptions = {}) {
    this.extras = { ...extraSchemas, ...options.extraSchemas };
    this.readOnly = options.readOnly ?? false;
    for (const file of options.extraCrdFiles ?? []) this.addCrds(file);
  }

  /**
   * Registers every CRD in a YAML file: its custom resources are then validated against its schema, in this
   * catalog only. Each version is registered under its own name, or under each of `versions` (for a file that
   * holds one version of a schema the API server serves under several). A CRD replaces one loaded before
   * under the same `group/version/Kind`, the built-in Istio ones included. Returns the catalog.
   */
  loadCrds(file: string, versions?: string[]): this {
    if (this.readOnly) {
      throw new Error(`loadCrds(${JSON.stringify(file)}): this schema catalog is read-only (it is shared, e.g. the default one of audit()); `
        + 'load CRDs into a catalog of your own, new SchemaCatalog({ extraCrdFiles }), and pass it as audit(input, { schemas })');
    }
    this.addCrds(file, versions);
    return this;
  }

  /**
   * Validates one manifest against its schema, unknown fields rejected. Returns the problems, empty when
   * valid. `schema: false` on a result means no schema knows the kind (the caller decides how bad that is).
   */
  validate(doc: any): { problems: SchemaProblem[]; schema: boolean } {
    const { apiVersion, kind } = doc ?? {};
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return { problems: [{ path: '/', message: 'apiVersion and kind must be strings' }], schema: true };
    const key = `${apiVersion}/${kind}`;
    const extra = Object.prototype.hasOwnProperty.call(this.extras, key) ? this.extras[key] : undefined;
    if (extra) {
      const problems = extra.schema ? ajvProblems(this.compile(extra.schema), doc) : [];
      problems.push(...(extra.check?.(doc) ?? []).map(splitProblem));
      return { problems, schema: true };
    }
    const crd = this.crds.get(key) ?? (declaresExperimental(doc) ? this.experimentalCrds().get(key) : undefined) ?? this.builtInCrds().get(key);
    if (crd) return { problems: ajvProblems(this.compile(crd), doc), schema: true };
    const core = this.coreValidator(apiVersion, kind);
    if (!core) return { problems: [], schema: false };
    const { wrap, reads, iterated } = tracker();
    const problems: SchemaProblem[] = [];
    if (!core(wrap(doc))) problems.push(...(core.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? describeError(e) })));
    problems.push(...unknownFields(doc, reads, iterated).map((p) => ({ path: p, message: 'unknown field' })));
    return { problems, schema: true };
  }

  private addCrds(file: string, versions?: string[]): void {
    for (const [key, schema] of crdSchemas(file, versions)) this.crds.set(key, schema);
  }

  private compile(schema: object): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private coreValidator(apiVersion: string, kind: string): Validator | null {
    const key = `${apiVersion}/${kind}`;
    if (this.core.has(key)) return this.core.get(key)!;
    if (this.core.size === 0) requireKubernetesModels();
    const validator = loadCoreValidator(apiVersion, kind);
    this.core.set(key, validator);
    return validator;
  }
}

/**
 * The shared schema catalog: the built-in schemas only, compiled once per process on first use, and
 * read-only ({@link SchemaCatalog.loadCrds} throws), so that it answers the same to every caller. `audit()`
 * and the functions below use it when given no catalog.
 */
export const defaultSchemaCatalog: () => SchemaCatalog = lazy(() => new SchemaCatalog({ readOnly: true }));

/**
 * Validates one manifest against its schema, unknown fields rejected (see {@link SchemaCatalog.validate}).
 * @param schemas the catalog to validate with; the shared {@link defaultSchemaCatalog} when not given
 */
export function validateSchema(doc: any, schemas: SchemaCatalog = defaultSchemaCatalog()): { problems: SchemaProblem[]; schema: boolean } {
  return schemas.validate(doc);
}

/**
 * Validates one manifest. Returns a list of problems (`/path: message`), empty when valid. A kind with
 * no schema at all is a problem too, so nothing slips through unvalidated.
 * @param schemas the catalog to validate with; the shared {@link defaultSchemaCatalog} when not given
 */
export function schemaProblems(doc: any, schemas: SchemaCatalog = defaultSchemaCatalog()): string[] {
  const { problems, schema } = schemas.validate(doc);
  if (!schema) return [`/: no schema for ${doc.apiVersion} ${doc.kind}`];
  return problems.map((p) => `${p.path}: ${p.message}`);
}

/**
 * Validates every manifest; returns `kind/name/path: problem` lines.
 * @param schemas the catalog to validate with; the shared {@link defaultSchemaCatalog} when not given
 */
export function allSchemaProblems(docs: any[], schemas: SchemaCatalog = defaultSchemaCatalog()): string[] {
  return docs.flatMap((d) => schemaProblems(d, schemas).map((p) => `${d?.kind}/${d?.metadata?.name}${p}`));
}
