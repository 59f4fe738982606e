// Environment variables: values (literal, Secret, ConfigMap or downward API) and whole Secrets or
// ConfigMaps, and their validation into `env[]` and `envFrom[]` entries.
import { ENV_VAR_NAME, Json, compact, fail, isQualifiedName, show, validateConfigMapKey, validateDns1123Subdomain, validateEnvName } from '../core';
import { secretEnvValue } from '../k8s';

/** Options for env values read from a Secret or ConfigMap key. */
export interface KeyRefOptions {
  /** Start the pod even if the key is missing. @default false */
  readonly optional?: boolean;
}

/** The value of one environment variable: a literal, or a reference that is resolved in the cluster. */
export class EnvValue {
  /** A literal value (never use this for credentials: it lands in the manifests). */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /**
   * A key of a Secret (`valueFrom.secretKeyRef`). `secretName` must be a DNS-1123 subdomain and `key` a
   * valid Secret key (letters, digits, '-', '_', '.'); the WebApp that uses the value checks both.
   */
  public static fromSecret(secretName: string, key: string, options: KeyRefOptions = {}): EnvValue {
    return new EnvValue(secretEnvValue(secretName, key, options.optional));
  }

  /**
   * A key of a ConfigMap (`valueFrom.configMapKeyRef`). `configMapName` must be a DNS-1123 subdomain and
   * `key` a valid ConfigMap key; the WebApp that uses the value checks both.
   */
  public static fromConfigMap(configMapName: string, key: string, options: KeyRefOptions = {}): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: compact({ name: configMapName, key, optional: options.optional }) } });
  }

  /**
   * A field of the pod through the downward API: `metadata.name`, `metadata.namespace`, `metadata.uid`,
   * `metadata.labels['<key>']`, `metadata.annotations['<key>']`, `spec.nodeName`, `spec.serviceAccountName`,
   * `status.hostIP`, `status.hostIPs`, `status.podIP` or `status.podIPs` (the WebApp checks it).
   * @see https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#downwardapi-fieldRef
   */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(
    /** The rendered `env[]` entry without its name. */
    public readonly spec: Json,
  ) {}

  /** The Secret this value reads, if any. */
  public get secretName(): string | undefined {
    return this.spec.valueFrom?.secretKeyRef?.name;
  }
}

/**
 * A whole Secret or ConfigMap imported as environment variables (`envFrom`). The name must be a DNS-1123
 * subdomain and the prefix a valid env var name start (no '='); the WebApp that uses it checks both.
 */
export class EnvFrom {
  /** Every key of a Secret, optionally prefixed. */
  public static secret(secretName: string, prefix?: string): EnvFrom {
    return new EnvFrom(compact({ prefix, secretRef: { name: secretName } }));
  }

  /** Every key of a ConfigMap, optionally prefixed. */
  public static configMap(configMapName: string, prefix?: string): EnvFrom {
    return new EnvFrom(compact({ prefix, configMapRef: { name: configMapName } }));
  }

  private constructor(
    /** The rendered `envFrom[]` entry. */
    public readonly spec: Json,
  ) {}
}

/** The env fields of a pod the downward API serves (`valueFrom.fieldRef`), besides subscripted labels and annotations. */
const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

/**
 * Validates one env var for `owner` and renders its `env[]` entry. Literal numbers and booleans (from
 * JavaScript callers or parsed config) become their string form; any other non-string is an error.
 */
export function envEntry(owner: string, name: string, value: unknown): Json {
  validateEnvName(owner, name);
  if (typeof value === 'string') return { name, value };
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return { name, value: String(value) };
  if (typeof value !== 'object' || value === null || typeof (value as EnvValue).spec !== 'object') {
    fail(owner, `env ${name} value ${typeof value === 'number' ? String(value) : show(value)} is not a string or an EnvValue`,
      `give a string (e.g. '8080'), or EnvValue.fromSecret(...), fromConfigMap(...) or fromFieldPath(...)${value === undefined ? ' (is it read from an unset process.env variable?)' : ''}`);
  }
  const spec = (value as EnvValue).spec;
  const ref = spec.valueFrom ?? {};
  for (const [selector, kind] of [[ref.secretKeyRef, 'Secret'], [ref.configMapKeyRef, 'ConfigMap']] as Array<[Json | undefined, string]>) {
    if (!selector) continue;
    validateDns1123Subdomain(owner, `env ${name} ${kind} name`, selector.name, kind === 'Secret' ? 'db-credentials' : 'app-settings');
    validateConfigMapKey(owner, `env ${name} ${kind} key`, selector.key);
  }
  if (ref.fieldRef) {
    const path = ref.fieldRef.fieldPath;
    const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
    const ok = ENV_FIELD_PATHS.includes(path) || (sub !== null && isQualifiedName(sub[1] === 'annotations' ? sub[2].toLowerCase() : sub[2]));
    if (!ok) {
      fail(owner, `env ${name} fieldPath ${show(path)} is not a pod field the downward API serves to env vars`,
        `use one of ${ENV_FIELD_PATHS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`);
    }
  }
  return { name, ...spec };
}

/** Validates one `envFrom` source for `owner` and renders it. */
export function envFromEntry(owner: string, prop: string, source: unknown): Json {
  if (typeof source !== 'object' || source === null || typeof (source as EnvFrom).spec !== 'object') {
    fail(owner, `${prop} ${show(source)} is not an EnvFrom`, 'use EnvFrom.secret(name) or EnvFrom.configMap(name)');
  }
  const spec = (source as EnvFrom).spec;
  const kind = spec.secretRef ? 'Secret' : 'ConfigMap';
  validateDns1123Subdomain(owner, `${prop} ${kind} name`, (spec.secretRef ?? spec.configMapRef)?.name, kind === 'Secret' ? 'api-keys' : 'app-settings');
  if (spec.prefix !== undefined && spec.prefix !== '' && (typeof spec.prefix !== 'string' || !ENV_VAR_NAME.test(spec.prefix))) {
    fail(owner, `${prop} prefix ${show(spec.prefix)} is not a valid env var name prefix`,
      'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit and without \'=\' (e.g. \'DB_\')');
  }
  return spec;
}
