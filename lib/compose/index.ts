import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, MANAGED_BY, compact, manifest, namespaceOf, withChildSlots } from '../k8s-object';
import { fail, isDns1035Label, isDns1123Label, isDns1123Subdomain, parseQuantity, show, toDnsLabel } from '../validation';
import {
  DEFAULT_RESOURCES, EnvValue, ImagePullPolicy, PortOptions, Probe, Protocol, ResourceRange, Resources,
  ServiceType, WebApp, WebAppDefaults, WebAppProps,
} from '../web-app';
import { wellKnownImage } from './images';
import { ComposeSource, interpolate, interpolateString, readRelative, validateComposeSchema } from './parse';
import { ComposePort, mergePorts, parseExposeEntry, parsePortEntry, publishedText } from './ports';
import { BindMountPolicy, ComposeAppOptions, ComposeAppProps, ComposeServiceOptions, ComposeServiceResult } from './props';
import {
  composeBytesToQuantity, composeCpusToQuantity, environmentEntries, escapeKubernetesExpansion, parseComposeDuration, parseEnvFile, parseUser, splitWords,
} from './values';

export { BindMountPolicy } from './props';
export type {
  ComposeAppOptions, ComposeAppProps, ComposeSecretSource, ComposeServiceOptions, ComposeServiceResult, ComposeVolumeOptions,
} from './props';
export { WELL_KNOWN_IMAGES, wellKnownImage } from './images';
export type { WellKnownImage } from './images';
export { COMPOSE_SCHEMA_FILE, ComposeSource, validateComposeSchema } from './parse';
export { parseExposeEntry, parsePortEntry } from './ports';
export type { ComposePort } from './ports';
export { composeBytesToQuantity, composeCpusToQuantity, escapeKubernetesExpansion, parseComposeDuration, parseEnvFile, splitWords } from './values';
export type { EnvFileEntry, EnvFileProblem } from './values';

/** Compose service keys that are converted (or rejected with a clear error) by {@link ComposeApp}. */
const HANDLED_KEYS = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose', 'deploy', 'scale', 'mem_limit',
  'mem_reservation', 'cpus', 'healthcheck', 'depends_on', 'links', 'container_name', 'hostname', 'networks', 'network_mode',
  'volumes', 'tmpfs', 'shm_size', 'secrets', 'configs', 'user', 'read_only', 'cap_add', 'cap_drop', 'stop_grace_period',
  'restart', 'working_dir', 'pull_policy', 'labels', 'profiles', 'privileged', 'pid', 'ipc', 'devices', 'volumes_from',
  'extends', 'userns_mode', 'external_links',
]);
const HANDLED_DEPLOY_KEYS = new Set(['replicas', 'resources', 'restart_policy', 'mode']);
const MAX_SERVICE_PORTS = 100;
const DEFAULT_SECRET_ENV = /PASS|SECRET|TOKEN|KEY/i;
const COMPOSE_NAME_ANNOTATION = 'cdk8s-noops.io/compose-service';
/** On an extra-name Service: the name as written in the Compose file (`my_db` for the Service `my-db`). */
const COMPOSE_ALIAS_ANNOTATION = 'cdk8s-noops.io/compose-name';

/** Names containers resolve in Compose (lowercase) → the service they reach and its Kubernetes DNS name. */
type HostIndex = ReadonlyMap<string, { readonly target: string; readonly dns: string }>;

interface Ref { readonly target: string; readonly via: string; readonly wait: boolean; readonly hostKey?: boolean }

/** One environment variable of a service: from `env_file` or `environment`, with where it was written. */
interface EnvEntry {
  readonly key: string;
  /** `null`: no value given (Compose takes it from the shell). */
  readonly value: string | null;
  /** Key path for `file:line` in messages. */
  readonly at: Array<string | number>;
  /** `environment KEY` or `env_file 'app.env' line 3: KEY`, for messages. */
  readonly label: string;
}

/**
 * A docker-compose application converted to hardened {@link WebApp}s: every service that another
 * service can address gets a Service (from `ports`, `expose`, the image's well-known ports, or
 * options), Compose names become DNS-safe names (reported in {@link nameMapping}; extra names from
 * `container_name`, `hostname` and aliases in {@link aliasMapping}), credentials move to
 * Secrets, healthchecks become probes, `depends_on` becomes wait-for init containers, named volumes
 * become PersistentVolumeClaims and networks become NetworkPolicies. Compose features without a
 * Kubernetes equivalent fail with a message naming the file, line and key (or need an explicit opt-in);
 * ignored keys are listed in one warning.
 *
 * @example
 * const app = ComposeApp.fromFile(chart, 'shop', 'docker-compose.yml', {
 *   existingSecretName: 'shop-credentials',
 *   services: { WEB: { ingress: { host: 'shop.example.com' } } },
 * });
 * app.webApp('DB').podDisruptionBudget;
 */
export class ComposeApp extends Construct {
  /** Converts the Compose file at `file` (relative paths in it resolve against its directory). */
  public static fromFile(scope: Construct, id: string, file: string, options: ComposeAppOptions = {}): ComposeApp {
    return new ComposeApp(scope, id, { ...options, file });
  }

  /** Converts an already-parsed Compose document. */
  public static fromObject(scope: Construct, id: string, compose: Json, options: ComposeAppOptions & { readonly fileName?: string } = {}): ComposeApp {
    return new ComposeApp(scope, id, { ...options, compose });
  }

  /** Converts Compose YAML text. */
  public static fromYaml(scope: Construct, id: string, yaml: string, options: ComposeAppOptions & { readonly fileName?: string } = {}): ComposeApp {
    return new ComposeApp(scope, id, { ...options, yaml });
  }

  /** The converted services, by Compose service name. */
  public readonly services: Readonly<Record<string, ComposeServiceResult>>;
  /** Compose service name → Kubernetes name (`{ DB: 'db' }`). */
  public readonly nameMapping: Readonly<Record<string, string>>;
  /** Extra DNS names (Services) → the Kubernetes name of the service they select. */
  public readonly aliases: Readonly<Record<string, string>>;
  /**
   * Extra names as written in the Compose file (`container_name`, `hostname`, network and `links`
   * aliases) → their Service names (`{ legacy_db: 'legacy-db', 'KVS-main': 'kvs-main' }`): the same
   * mapping as {@link nameMapping}, for the names that became extra Services.
   */
  public readonly aliasMapping: Readonly<Record<string, string>>;
  /** Rendered PersistentVolumeClaims, by Compose volume name. */
  public readonly persistentVolumeClaims: Readonly<Record<string, ApiObject>>;
  /** Rendered ConfigMaps (Compose configs and `BindMountPolicy.CONFIG_MAP` mounts), by name. */
  public readonly configMaps: Readonly<Record<string, ApiObject>>;
  /** Secrets that must exist in the namespace before the pods start, with the keys they must hold. */
  public readonly requiredSecretKeys: Readonly<Record<string, string[]>>;
  /** Compose keys that were ignored (`services.WEB.logging`), also reported in one warning. */
  public readonly ignoredKeys: readonly string[];
  /** What the conversion decided that a reader should know (renames, published ports, worker services...). */
  public readonly notes: readonly string[];
  /** The parsed Compose document (after interpolation). */
  public readonly source: ComposeSource;

  private readonly owner: string;
  private readonly props: ComposeAppProps;
  private readonly baseDir: string;
  private partOf: string;
  private readonly namespace: string | undefined;
  private readonly notesList: string[] = [];
  private readonly configMapOrigins = new Map<string, string>();

  public constructor(scope: Construct, id: string, props: ComposeAppProps) {
    super(withChildSlots(scope), id);
    withChildSlots(this); // its children's ids start with the compose services' names
    this.owner = `ComposeApp '${id}'`;
    this.props = props;
    this.namespace = namespaceOf(this);
    this.partOf = props.partOf ?? toDnsLabel(id); // may be replaced by the top-level name: below
    const given = [props.file, props.yaml, props.compose].filter((x) => x !== undefined).length;
    if (given !== 1) fail(this.owner, `${given} of file, yaml and compose are set`, 'set exactly one of them (or use ComposeApp.fromFile / fromObject / fromYaml)');

    // ---- parse, interpolate, validate
    const wrap = <T>(f: () => T): T => {
      try {
        return f();
      } catch (e) {
        const msg = (e as Error).message;
        throw new Error(msg.startsWith(this.owner) ? msg : `${this.owner}: ${msg}`);
      }
    };
    const source = wrap(() => (props.file !== undefined ? ComposeSource.fromFile(props.file)
      : props.yaml !== undefined ? ComposeSource.fromYaml(props.yaml, props.fileName ?? 'compose')
        : ComposeSource.fromObject(props.compose!, props.fileName)));
    this.source = source;
    this.baseDir = props.baseDir ?? (props.file ? path.dirname(path.resolve(props.file)) : process.cwd());
    // Secret-looking environment values read from an existing Secret are never used, so
    // `MYSQL_PASSWORD: ${DB_PASSWORD}` needs no variable.
    const pattern = props.secretEnvPattern ?? DEFAULT_SECRET_ENV;
    interpolate(source, props.variables ?? {}, this.owner, (at, value) => {
      if (at[0] !== 'services' || at[2] !== 'environment' || at.length !== 4) return false;
      const existing = props.services?.[at[1]]?.existingSecretName ?? props.defaults?.existingSecretName ?? props.existingSecretName;
      const key = typeof at[3] === 'number' ? value.split('=')[0] : String(at[3]);
      return existing !== undefined && pattern.test(key) && !/_FILE$/.test(key);
    });
    validateComposeSchema(source, this.owner);
    const doc = source.data;
    if (props.partOf === undefined && typeof doc.name === 'string') this.partOf = toDnsLabel(doc.name);
    if (!doc.services || Object.keys(doc.services).length === 0) {
      fail(this.owner, `${source.where(['services'])} has no services`, 'define at least one service under services:');
    }
    for (const name of Object.keys(props.services ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(doc.services, name)) {
        fail(this.owner, `options.services names ${show(name)}, which is not a service in ${source.file ?? 'the Compose document'}`,
          `use one of ${Object.keys(doc.services).join(', ')} (Compose names, case-sensitive)`);
      }
    }

    // ---- select services (profiles), names
    const active = new Set(props.profiles ?? []);
    const all = Object.keys(doc.services);
    const names = all.filter((n) => {
      const profiles: string[] | undefined = doc.services[n].profiles;
      const on = !profiles || profiles.some((p) => active.has(p));
      if (!on) this.note(`service ${n} skipped: its profiles (${profiles!.join(', ')}) are not active (options.profiles)`);
      return on;
    });
    const mapping: Record<string, string> = {};
    const byK8s = new Map<string, string>();
    for (const n of names) {
      const k8s = this.opts(n).name ?? toDnsLabel(n);
      if (!isDns1035Label(k8s)) {
        fail(this.owner, `${source.where(['services', n])} service name ${show(n)} maps to ${show(k8s)}, which is not a DNS-1035 label`,
          `set options.services.${n}.name to a name of lowercase letters, digits and '-' starting with a letter`);
      }
      if (byK8s.has(k8s)) {
        fail(this.owner, `${source.where(['services', n])} services ${show(byK8s.get(k8s))} and ${show(n)} both map to the Kubernetes name ${show(k8s)}`,
          `set options.services.${n}.name to another name`);
      }
      byK8s.set(k8s, n);
      mapping[n] = k8s;
      if (k8s !== n) this.note(`service ${n} is named ${k8s} (DNS names are lowercase; '${n}' still resolves where only case differs)`);
    }
    this.nameMapping = mapping;

    // ---- refuse what has no equivalent, collect what is ignored
    const ignored: string[] = [];
    for (const n of names) this.checkKeys(n, ignored);
    for (const kind of ['volumes', 'networks', 'secrets', 'configs'] as const) {
      for (const [k, def] of Object.entries(doc[kind] ?? {})) {
        for (const key of Object.keys((def ?? {}) as Json)) {
          const ok = key.startsWith('x-') || key === 'external' || key === 'name' || (kind !== 'volumes' && kind !== 'networks' && key === 'file')
            || (kind === 'configs' && key === 'content')
            || (kind === 'networks' && key === 'internal');
          if (!ok) ignored.push(`${kind}.${k}.${key}`);
        }
      }
    }
    this.ignoredKeys = ignored;

    // ---- references between services and extra names
    const refs = new Map<string, Ref[]>(names.map((n) => [n, []]));
    const aliasOf = new Map<string, string>(); // extra DNS name -> compose service
    const aliasFrom = new Map<string, { readonly name: string; readonly origin: string }>(); // extra DNS name -> as written, and which key gave it
    const hostnameOf = new Map<string, string>(); // compose service -> DNS name of its hostname
    // Every name another container resolves in Compose (service names and extra names, case-insensitive:
    // DNS is) -> the service it reaches and the Kubernetes DNS name that reaches it now.
    const hostIndex = new Map<string, { readonly target: string; readonly dns: string }>(names.map((n) => [n.toLowerCase(), { target: n, dns: mapping[n] }]));
    const addAlias = (alias: string, target: string, at: Array<string | number>, key: 'container_name' | 'hostname' | 'aliases' | 'links') => {
      // The same mapping as service names: lowercase, runs of other characters become '-' (`my_db` -> `my-db`).
      const dns = toDnsLabel(alias);
      const what = `${key === 'aliases' ? 'network alias' : key === 'links' ? 'links alias' : key} ${show(alias)} of service ${target}`;
      const as = dns === alias.toLowerCase() ? '' : ` (as the DNS name ${show(dns)})`;
      if (!isDns1035Label(dns)) {
        fail(this.owner, `${source.where(at)} ${what} cannot be a Service name${dns ? `: it maps to ${show(dns)}, which does not start with a letter` : ''}`,
          'use lowercase letters, digits and \'-\' starting with a letter, or remove it');
      }
      const owner = byK8s.get(dns) ?? aliasOf.get(dns);
      if (owner !== undefined && owner !== target) {
        const clash = byK8s.get(dns) !== undefined ? '' : ` (its ${aliasFrom.get(dns)!.origin.split(' of ')[0]} ${show(aliasFrom.get(dns)!.name)})`;
        fail(this.owner, `${source.where(at)} ${what}${as} is already the name of service ${owner}${clash}`, `use another ${key === 'aliases' ? 'alias' : key}`);
      }
      hostIndex.set(alias.toLowerCase(), { target, dns });
      if (key === 'hostname') hostnameOf.set(target, dns);
      if (dns === mapping[target] || aliasOf.has(dns)) return;
      aliasOf.set(dns, target);
      aliasFrom.set(dns, { name: alias, origin: `${key === 'container_name' || key === 'hostname' ? key : 'alias'} of ${target}` });
      if (as) this.note(`${what} is the Service name ${dns} (DNS names are lowercase letters, digits and '-'; references to ${alias} in other services' environment and commands are rewritten)`);
    };
    for (const n of names) {
      const s = doc.services[n];
      if (s.container_name) addAlias(s.container_name, n, ['services', n, 'container_name'], 'container_name');
      if (s.hostname !== undefined && s.hostname !== null) {
        // Since Docker 20.10 a container's hostname is also a DNS name on its networks (moby#39204).
        const hostname = String(s.hostname);
        if (hostname.includes('.') || !isDns1123Label(toDnsLabel(hostname))) {
          fail(this.owner, `${source.where(['services', n, 'hostname'])} hostname ${show(s.hostname)} is not a DNS label`, 'use lowercase letters, digits and \'-\' (no dots), or remove it');
        }
        // A hostname is often set for the container's own sake (logs, a node name): when it cannot also be a
        // Service name, or another service already has that name, it stays the pod's own host name only.
        const dns = toDnsLabel(hostname);
        const taken = byK8s.get(dns) ?? aliasOf.get(dns);
        if (!isDns1035Label(dns) || (taken !== undefined && taken !== n)) {
          hostnameOf.set(n, dns);
          const why = !isDns1035Label(dns) ? `${show(dns)} cannot be a Service name (it does not start with a letter)` : `${show(dns)} is already the name of service ${taken}`;
          this.note(`${source.where(['services', n, 'hostname'])} hostname ${show(hostname)} of service ${n} is only its pod's own host name (spec.hostname): ${why}, so other services cannot reach ${n} by it`);
        } else addAlias(hostname, n, ['services', n, 'hostname'], 'hostname');
      }
      if (s.networks && !Array.isArray(s.networks)) {
        for (const [net, cfg] of Object.entries(s.networks as Record<string, Json | null>)) {
          (cfg?.aliases ?? []).forEach((a: string, i: number) => addAlias(a, n, ['services', n, 'networks', net, 'aliases', i], 'aliases'));
        }
      }
      const deps: Array<[string, string | undefined]> = Array.isArray(s.depends_on)
        ? s.depends_on.map((d: string) => [d, undefined])
        : Object.entries(s.depends_on ?? {}).map(([d, c]) => [d, (c as Json).condition]);
      for (const [d, condition] of deps) {
        if (!names.includes(d)) {
          fail(this.owner, `${source.where(['services', n, 'depends_on'])} names ${show(d)}, which is not a${all.includes(d) ? 'n active' : ''} service`,
            all.includes(d) ? `activate its profile in options.profiles` : `use one of ${names.join(', ')}`);
        }
        if (condition === 'service_completed_successfully') {
          this.note(`${n} depends on ${d} completing: Kubernetes has no start order for that; ${n} is not made to wait`);
          continue;
        }
        refs.get(n)!.push({ target: d, via: 'depends_on', wait: true });
      }
      (s.links ?? []).forEach((l: string, i: number) => {
        const [target, alias] = l.split(':');
        if (!names.includes(target)) fail(this.owner, `${source.where(['services', n, 'links', i])} links to ${show(target)}, which is not a service`, `use one of ${names.join(', ')}`);
        if (alias) addAlias(alias, target, ['services', n, 'links', i], 'links');
        refs.get(n)!.push({ target, via: 'links', wait: true });
      });
    }
    // Hostnames in environment values (`DB`, `db:3306`, `redis://kvs:6379`, `user:pw@postgres/x`).
    const envRefs = (n: string, key: string, value: string) => {
      for (const span of hostSpans(value, key)) {
        const target = hostIndex.get(span.host.toLowerCase())?.target;
        if (target && target !== n) refs.get(n)!.push({ target, via: `environment ${key}`, wait: false, hostKey: HOST_KEY.test(key) });
      }
    };
    const envs = new Map<string, EnvEntry[]>();
    for (const n of names) {
      const list = this.environment(n);
      envs.set(n, list);
      for (const e of list) if (e.value) envRefs(n, e.key, e.value);
    }

    // ---- ports
    const portsOf = new Map<string, Array<ComposePort & { source: 'ports' | 'expose' | 'image' | 'options' }>>();
    for (const n of names) portsOf.set(n, this.ports(n));
    const addressedBy = new Map<string, string[]>();
    const mentionedBy = new Map<string, string[]>(); // env values that are not host keys: maybe not a connection
    for (const [n, list] of refs) {
      for (const r of list) {
        const by = r.via.startsWith('environment') && !r.hostKey ? mentionedBy : addressedBy;
        by.set(r.target, [...(by.get(r.target) ?? []), `${n} (${r.via})`]);
      }
    }
    for (const [alias, target] of aliasOf) {
      // A hostname or container_name is often set for the container's own sake (logs, a node name,
      // `docker ps`): it addresses the service only when someone uses it (environment, links), which
      // the references above count. A network alias exists only to be resolved, so it counts.
      const origin = aliasFrom.get(alias)!.origin;
      if (origin.startsWith('hostname') || origin.startsWith('container_name')) continue;
      addressedBy.set(target, [...(addressedBy.get(target) ?? []), `its extra name ${alias}`]);
    }
    for (const n of names) {
      const o = this.opts(n);
      if (portsOf.get(n)!.length || o.ports || o.port !== undefined) continue;
      const users = [...new Set(addressedBy.get(n) ?? [])];
      if (users.length) {
        fail(this.owner, `${source.where(['services', n])} service ${n} is addressed by ${users.join(', ')} but has no port: no ports, no expose, and its image ${show(this.imageOf(n) ?? '')} has no well-known port`,
          `set options.services.${n}.port (or ports), or add expose: ["<port>"] to the service`);
      }
      const mentions = [...new Set(mentionedBy.get(n) ?? [])];
      if (mentions.length) {
        this.note(`service ${n} is named in ${mentions.join(', ')} but has no port: rendered as a worker without a Service; if that value is a host, set options.services.${n}.port`);
      } else this.note(`service ${n} has no port and nobody addresses it: rendered as a worker without a Service`);
    }

    // ---- volumes used by several services
    const volumeUsers = new Map<string, string[]>();
    for (const n of names) {
      for (const v of this.volumeMounts(n)) if (v.kind === 'named') volumeUsers.set(v.source!, [...(volumeUsers.get(v.source!) ?? []), n]);
    }

    // ---- build every service
    const services: Record<string, ComposeServiceResult> = {};
    const pvcs: Record<string, ApiObject> = {};
    const configMaps: Record<string, ApiObject> = {};
    const required: Record<string, Set<string>> = {};
    const requireKey = (secret: string, key: string) => (required[secret] ??= new Set()).add(key);
    for (const n of names) {
      services[n] = this.buildService(n, mapping, portsOf.get(n)!, envs.get(n)!, volumeUsers, pvcs, configMaps, requireKey, hostIndex, hostnameOf.get(n));
    }

    // ---- extra names: ClusterIP Services selecting the same pods
    const aliasServices: Record<string, string> = {};
    const aliasMapping: Record<string, string> = {};
    for (const [alias, target] of aliasOf) {
      const app = services[target].webApp;
      const from = aliasFrom.get(alias)!;
      if (!app.service) {
        this.note(`${from.origin.split(' of ')[0]} ${from.name} of ${target} gets no Service: ${target} has no port`);
        continue;
      }
      const svc = manifest(this, `alias-${alias}`, 'v1', 'Service', {
        name: alias,
        namespace: this.namespace,
        labels: { ...this.labels(app), 'app.kubernetes.io/component': 'alias' },
        annotations: { [COMPOSE_NAME_ANNOTATION]: target, 'cdk8s-noops.io/alias-of': app.name, [COMPOSE_ALIAS_ANNOTATION]: from.name },
        body: {
          spec: {
            type: 'ClusterIP',
            selector: { ...app.selectorLabels },
            ports: app.ports.map((p) => compact({ name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol })),
          },
        },
      });
      (services[target].aliasServices as Record<string, ApiObject>)[alias] = svc;
      aliasServices[alias] = mapping[target];
      aliasMapping[from.name] = alias;
      this.note(`${alias} is an extra Service selecting the pods of ${app.name} (Compose ${from.origin})`);
    }

    this.aliases = aliasServices;
    this.aliasMapping = aliasMapping;

    // ---- wait-for init containers
    for (const n of names) {
      const o = this.opts(n);
      if (o.waitForDependencies === false) continue;
      const seen = new Set<string>();
      for (const r of refs.get(n)!) {
        if (!r.wait || seen.has(r.target)) continue;
        seen.add(r.target);
        const dep = services[r.target].webApp;
        if (!dep.service || !dep.ports.length) continue;
        // The wait-for container checks with `nc -z`, which speaks TCP only.
        const tcp = dep.ports.find((p) => p.protocol === Protocol.TCP);
        if (!tcp) {
          this.note(`${n} does not wait for ${r.target}: it listens on ${dep.ports.map((p) => `${p.containerPort}/${p.protocol}`).join(', ')} only, and the wait-for check speaks TCP`);
          continue;
        }
        const via = r.via === 'links' ? ['links'] : ['depends_on'];
        this.at(['services', n, ...via], () => services[n].webApp.waitFor(dep.name, tcp.servicePort));
      }
    }

    // ---- networks → NetworkPolicies
    if (props.networkPolicies ?? true) this.networkPolicies(names, services);

    this.services = services;
    this.persistentVolumeClaims = pvcs;
    this.configMaps = configMaps;
    this.requiredSecretKeys = Object.fromEntries(Object.entries(required).map(([k, v]) => [k, [...v].sort()]));
    for (const [secret, keys] of Object.entries(this.requiredSecretKeys)) {
      this.note(`Secret ${secret} must exist in the namespace with the keys ${keys.join(', ')}`);
    }
    this.notes = this.notesList;
    if (ignored.length) {
      const lines = ignored.map((k) => {
        // List indexes are numbers in the key path (`services.web.volumes.0.volume.nocopy`).
        const at = k.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x));
        const line = source.line(at) ?? source.line(k.split('.'));
        return line ? `${k} (line ${line})` : k;
      });
      (props.onWarning ?? ((m: string) => console.warn(m)))(
        `${this.owner}: ${source.file ?? 'compose'}: these Compose keys have no Kubernetes equivalent and were ignored: ${lines.join(', ')}`);
    }
  }

  /** The WebApp of a Compose service (by its Compose name). */
  public webApp(composeName: string): WebApp {
    const s = this.services[composeName];
    if (!s) fail(this.owner, `has no service ${show(composeName)}`, `use one of ${Object.keys(this.services).join(', ')}`);
    return s.webApp;
  }

  // ===================================================================================================

  private opts(n: string): ComposeServiceOptions {
    return { ...this.props.defaults, ...this.props.services?.[n] };
  }

  private note(message: string): void {
    this.notesList.push(message);
  }

  private err(at: Array<string | number>, problem: string, fix: string): never {
    return fail(this.owner, `${this.source.where(at)} ${problem}`, fix);
  }

  /** Records that `origin` renders ConfigMap `name`; fails when another origin already renders it. */
  private claimConfigMap(name: string, origin: string, keyPath: Array<string | number>): void {
    const other = this.configMapOrigins.get(name);
    if (other !== undefined && other !== origin) {
      this.err(keyPath, `${origin} and ${other} both give the ConfigMap name ${show(name)}`, 'rename one of them so their DNS-safe names differ');
    }
    this.configMapOrigins.set(name, origin);
  }

  /** The split `entrypoint` or `command` of a service; fails on an unclosed quote or an empty override. */
  private command(n: string, key: 'entrypoint' | 'command'): string[] {
    const value = this.source.data.services[n][key];
    const words = Array.isArray(value) ? [...value] : splitWords(String(value));
    if (typeof words === 'string') this.err(['services', n, key], `${key} ${show(value)} ${words}`, 'close the quote');
    if (words.length === 0) {
      this.err(['services', n, key], `${key} ${show(value)} is empty: Compose then runs the container with no ${key === 'entrypoint' ? 'entrypoint' : 'command'} (overriding the image's), which Kubernetes cannot express`,
        `give the ${key} to run explicitly (e.g. ${key}: ["/docker-entrypoint.sh"]), or remove the key to keep the image's`);
    }
    return words;
  }

  /** Runs `f` (a WebApp call), prefixing its error with the file, line and key it comes from. */
  private at<T>(keyPath: Array<string | number>, f: () => T): T {
    try {
      return f();
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(msg.startsWith(this.owner) ? msg : `${this.owner}: ${this.source.where(keyPath)}: ${msg}`);
    }
  }

  private imageOf(n: string): string | undefined {
    return this.opts(n).image ?? this.source.data.services[n].image;
  }

  private labels(app: WebApp): Record<string, string> {
    return compact({
      'app.kubernetes.io/name': app.podLabels['app.kubernetes.io/name'],
      'app.kubernetes.io/part-of': this.partOf,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    });
  }

  private checkKeys(n: string, ignored: string[]): void {
    const s = this.source.data.services[n];
    const at = (k: string) => ['services', n, k];
    const o = this.opts(n);
    if (s.privileged === true) this.err(at('privileged'), 'privileged: true gives the container full access to the node', 'remove it; Kubernetes Pod Security rejects privileged pods, and no opt-in is offered');
    if (s.network_mode !== undefined && s.network_mode !== 'bridge' && s.network_mode !== 'default') {
      this.err(at('network_mode'), `network_mode ${show(s.network_mode)} has no Kubernetes equivalent (pods get their own network namespace)`,
        'remove network_mode; services reach each other through Services, and a shared network namespace means containers of one pod');
    }
    for (const k of ['pid', 'ipc', 'userns_mode'] as const) {
      if (s[k] !== undefined && s[k] !== null) this.err(at(k), `${k} ${show(s[k])} shares a host or container namespace`, `remove ${k}; Pod Security forbids host namespaces`);
    }
    if (s.devices?.length) this.err(at('devices'), `devices ${show(s.devices)} maps host devices`, 'remove devices; use a device plugin resource in options.services.' + n + '.resources instead');
    if (s.volumes_from?.length) this.err(at('volumes_from'), 'volumes_from shares another container\'s volumes', 'declare a named volume and mount it in both services');
    if (s.extends !== undefined) this.err(at('extends'), 'extends is not supported', 'inline the extended service\'s keys');
    if (s.external_links?.length) this.err(at('external_links'), `external_links ${show(s.external_links)} name containers outside this application`, 'remove them; reach outside services by their DNS names in environment values');
    if (!s.image && !o.image) {
      this.err(['services', n], `service ${n} has ${s.build ? 'build but no image (a build-only service)' : 'no image'}`,
        `build and push the image, then set image: in the Compose file or options.services.${n}.image`);
    }
    if (s.pull_policy === 'build') this.err(at('pull_policy'), 'pull_policy build builds the image locally', 'push the image to a registry and remove pull_policy');
    if (s.deploy?.mode === 'global') this.err(['services', n, 'deploy', 'mode'], 'deploy.mode global runs one container per node (a DaemonSet)', 'remove it; ComposeApp renders Deployments');
    if (s.user !== undefined && !parseUser(s.user) && o.runAsUser === undefined) {
      this.err(at('user'), `user ${show(s.user)} is not numeric; Kubernetes cannot look up names in the image`, `use user: "<uid>[:<gid>]" or set options.services.${n}.runAsUser`);
    }
    const restart = s.restart ?? (s.deploy?.restart_policy?.condition === 'none' ? 'no' : s.deploy?.restart_policy?.condition);
    if (restart !== undefined && !['always', 'unless-stopped', 'any'].includes(restart) && !o.allowRestartAlways) {
      this.err(at(s.restart !== undefined ? 'restart' : 'deploy'), `restart ${show(restart)} asks not to restart a finished container, but a Deployment always restarts its pods`,
        `set options.services.${n}.allowRestartAlways: true to run it as a Deployment anyway (or run it as a Job outside ComposeApp)`);
    }
    if (s.build && s.image) ignored.push(`services.${n}.build`);
    if (s.depends_on && !Array.isArray(s.depends_on)) {
      for (const [d, c] of Object.entries(s.depends_on as Record<string, Json>)) {
        for (const k of ['restart', 'required']) if (c[k] !== undefined) ignored.push(`services.${n}.depends_on.${d}.${k}`);
      }
    }
    for (const k of Object.keys(s)) {
      if (k.startsWith('x-') || HANDLED_KEYS.has(k)) continue;
      ignored.push(`services.${n}.${k}`);
    }
    for (const k of Object.keys(s.deploy ?? {})) {
      if (!k.startsWith('x-') && !HANDLED_DEPLOY_KEYS.has(k)) ignored.push(`services.${n}.deploy.${k}`);
    }
    for (const r of ['generic_resources', 'devices']) {
      if (s.deploy?.resources?.reservations?.[r]) ignored.push(`services.${n}.deploy.resources.reservations.${r}`);
    }
    if (s.deploy?.resources?.limits?.pids !== undefined) ignored.push(`services.${n}.deploy.resources.limits.pids`);
    for (const k of ['delay', 'max_attempts', 'window']) {
      if (s.deploy?.restart_policy?.[k] !== undefined) ignored.push(`services.${n}.deploy.restart_policy.${k}`);
    }
    if (s.networks && !Array.isArray(s.networks)) {
      for (const [net, cfg] of Object.entries(s.networks as Record<string, Json | null>)) {
        for (const k of ['ipv4_address', 'ipv6_address', 'link_local_ips', 'priority']) if (cfg?.[k] !== undefined) ignored.push(`services.${n}.networks.${net}.${k}`);
      }
    }
    for (const kind of ['secrets', 'configs']) {
      (s[kind] ?? []).forEach((ref: string | Json, i: number) => {
        for (const k of ['uid', 'gid']) if (typeof ref === 'object' && ref[k] !== undefined) ignored.push(`services.${n}.${kind}.${i}.${k}`);
      });
    }
    (s.volumes ?? []).forEach((v: string | Json, i: number) => {
      if (typeof v !== 'object') return;
      for (const [sub, k] of [['bind', 'propagation'], ['volume', 'nocopy'], ['tmpfs', 'mode']]) {
        if (v[sub]?.[k] !== undefined) ignored.push(`services.${n}.volumes.${i}.${sub}.${k}`);
      }
    });
    for (const k of ['entrypoint', 'command'] as const) if (s[k] !== undefined && s[k] !== null) this.command(n, k);
  }

  /**
   * env_file entries then environment entries (environment wins), each with its key path and a label
   * for messages. env_file values are interpolated like the Compose file, from `variables` (never the
   * process environment), then, as Compose does, the service's `environment` and the env file entries
   * read before; not when single-quoted, `format: raw`, or secret-looking and read from an existing
   * Secret (then the value is never used).
   */
  private environment(n: string): EnvEntry[] {
    const s = this.source.data.services[n];
    const o = this.opts(n);
    const pattern = this.props.secretEnvPattern ?? DEFAULT_SECRET_ENV;
    const existing = o.existingSecretName ?? this.props.existingSecretName;
    const out = new Map<string, EnvEntry>();
    const isUnused = (key: string) => existing !== undefined && pattern.test(key) && !/_FILE$/.test(key);
    // Compose interpolates env_file values with its environment, then the service's `environment`,
    // then the entries of its env files read before (compose-go WithServicesEnvironmentResolved).
    const fileVars: Record<string, string> = {};
    const serviceVars: Record<string, string> = {};
    for (const [k, v] of environmentEntries(s.environment)) if (v !== null && !isUnused(k)) serviceVars[k] = v;
    const files: Array<string | Json> = s.env_file === undefined ? [] : [s.env_file].flat();
    files.forEach((item, i) => {
      const at = ['services', n, 'env_file', ...(Array.isArray(s.env_file) ? [i] : [])];
      const spec: Json = typeof item === 'string' ? { path: item } : item;
      const f: string = spec.path;
      const required = spec.required === undefined || spec.required === true || spec.required === 'true';
      if (spec.format !== undefined && spec.format !== 'raw') {
        this.err([...at, 'format'], `env_file ${show(f)} has format ${show(spec.format)}, which Compose does not define`,
          'remove format (Compose\'s env file syntax) or use format: raw (KEY=VALUE lines taken as is)');
      }
      const file = readRelative(this.baseDir, f);
      if (!file) {
        if (!required) {
          this.note(`${n}: env_file ${f} does not exist (looked in ${this.baseDir}) and is required: false; skipped, as Compose does`);
          return;
        }
        this.err(at, `env_file ${show(f)} cannot be read (looked in ${this.baseDir})`, 'create the file, fix the path (relative to the Compose file), or mark it optional: { path: ..., required: false }');
      }
      const entries = parseEnvFile(file.text, spec.format);
      if (!Array.isArray(entries)) this.err(at, `env_file ${show(f)} line ${entries.line} ${entries.problem}`, 'fix that line (see the env file syntax of Compose: KEY=VALUE, # comments)');
      for (const e of entries) {
        const label = `env_file ${show(f)} line ${e.line}: ${e.key}`;
        let value = e.value;
        if (value !== null && e.interpolate && !isUnused(e.key)) {
          value = interpolateString(value, { ...fileVars, ...serviceVars, ...this.props.variables }, (problem, fix) => this.err(at, `${label} ${problem}`, fix));
        }
        if (value !== null) fileVars[e.key] = value;
        out.set(e.key, { key: e.key, value, at, label });
      }
    });
    environmentEntries(s.environment).forEach(([k, v], i) => {
      out.set(k, { key: k, value: v, at: ['services', n, 'environment', ...(Array.isArray(s.environment) ? [i] : [k])], label: `environment ${k}` });
    });
    return [...out.values()];
  }

  private ports(n: string): Array<ComposePort & { source: 'ports' | 'expose' | 'image' | 'options' }> {
    const s = this.source.data.services[n];
    const out: Array<ComposePort & { source: 'ports' | 'expose' | 'image' | 'options'; entry: [string, number] }> = [];
    (s.ports ?? []).forEach((p: unknown, i: number) => {
      const parsed = parsePortEntry(p);
      if (typeof parsed === 'string') this.err(['services', n, 'ports', i], `${show(p)} ${parsed}`, 'use e.g. \'8080:80\', \'53:53/udp\', \'9000-9002:9000-9002\' or { target: 80, published: 8080 }');
      parsed.forEach((q) => out.push({ ...q, source: 'ports', entry: ['ports', i] }));
    });
    (s.expose ?? []).forEach((p: unknown, i: number) => {
      const parsed = parseExposeEntry(p);
      if (typeof parsed === 'string') this.err(['services', n, 'expose', i], `${show(p)} ${parsed}`, 'use e.g. \'3000\', \'5000-5002\' or \'53/udp\'');
      parsed.forEach((q) => out.push({ ...q, source: 'expose', entry: ['expose', i] }));
    });
    if (!out.length) {
      const known = wellKnownImage(this.imageOf(n) ?? '');
      known?.ports.forEach((containerPort) => out.push({ containerPort, protocol: Protocol.TCP, source: 'image', entry: ['image', 0] }));
      if (known) this.note(`service ${n} has no ports; using its image's well-known port(s) ${known.ports.join(', ')}`);
    }
    // Kubernetes caps a Service (its EndpointSlice) at 100 ports.
    const seen = new Set<string>();
    for (const p of out) {
      seen.add(`${p.containerPort}/${p.protocol}`);
      if (seen.size > MAX_SERVICE_PORTS) {
        this.err(['services', n, p.entry[0], p.entry[1]], `${show(s[p.entry[0]][p.entry[1]])} brings service ${n} to more than ${MAX_SERVICE_PORTS} ports, the most one Kubernetes Service (EndpointSlice) holds`,
          'publish a smaller range, or split the service');
      }
    }
    const merged = mergePorts(out.map(({ entry: _e, ...p }) => p)) as Array<ComposePort & { source: 'ports' | 'expose' | 'image' | 'options' }>;
    // TCP ports first: the main port gets the TCP readiness probe.
    return [...merged.filter((p) => p.protocol === Protocol.TCP), ...merged.filter((p) => p.protocol !== Protocol.TCP)];
  }

  private volumeMounts(n: string): Array<{ kind: 'named' | 'anonymous' | 'bind' | 'tmpfs'; source?: string; target: string; readOnly: boolean; size?: string; at: Array<string | number> }> {
    const s = this.source.data.services[n];
    const doc = this.source.data;
    return (s.volumes ?? []).map((v: string | Json, i: number) => {
      const at = ['services', n, 'volumes', i];
      let type: string;
      let src: string | undefined;
      let target: string;
      let readOnly = false;
      let size: string | undefined;
      if (typeof v === 'string') {
        const parts = v.split(':');
        if (parts.length === 1) [target] = parts;
        else {
          [src, target] = parts;
          const mode = parts[2] ?? '';
          readOnly = mode.split(',').includes('ro');
        }
        type = src === undefined ? 'volume' : /^[./~]/.test(src) ? 'bind' : 'volume';
      } else {
        type = v.type;
        src = v.source;
        target = v.target;
        readOnly = v.read_only ?? false;
        if (v.tmpfs?.size !== undefined) size = composeBytesToQuantity(v.tmpfs.size);
      }
      if (!target || !target.startsWith('/')) this.err(at, `volume ${show(v)} has no absolute container path`, 'use SOURCE:/container/path[:ro]');
      if (type === 'volume' && src !== undefined) {
        if (!doc.volumes || !Object.prototype.hasOwnProperty.call(doc.volumes, src)) {
          this.err(at, `volume ${show(src)} is not declared under the top-level volumes:`, `add 'volumes: { ${src}: {} }' at the top level, or use a path such as ./${src} for a bind mount`);
        }
        return { kind: 'named' as const, source: src, target, readOnly, at };
      }
      if (type === 'volume') return { kind: 'anonymous' as const, target, readOnly, at };
      if (type === 'bind') return { kind: 'bind' as const, source: src, target, readOnly, at };
      if (type === 'tmpfs') return { kind: 'tmpfs' as const, target, readOnly, size, at };
      return this.err(at, `volume type ${show(type)} has no Kubernetes equivalent`, 'use a named volume, tmpfs, or remove it');
    });
  }

  private buildService(
    n: string, mapping: Record<string, string>, ports: ComposeServiceResult['ports'], env: EnvEntry[],
    volumeUsers: Map<string, string[]>, pvcs: Record<string, ApiObject>, configMaps: Record<string, ApiObject>,
    requireKey: (secret: string, key: string) => void, hostIndex: HostIndex, hostname: string | undefined,
  ): ComposeServiceResult {
    const s = this.source.data.services[n];
    const o = this.opts(n);
    const name = mapping[n];
    const at = (...k: Array<string | number>) => ['services', n, ...k];
    const image = this.imageOf(n)!;
    const known = wellKnownImage(image);
    const stateful = o.statefulSet ?? false;

    // ---- replicas
    const replicas: number = s.deploy?.replicas ?? s.scale ?? 1;

    // ---- user
    const user = s.user !== undefined ? parseUser(s.user) : undefined;
    const runAsUser = user?.uid ?? known?.runAsUser;
    const runAsGroup = user?.gid;

    // ---- resources
    const resources = this.resources(n);

    // ---- probes
    const probes = this.probes(n);

    // ---- env: literal values, secret-looking ones from a Secret
    const pattern = this.props.secretEnvPattern ?? DEFAULT_SECRET_ENV;
    const existing = o.existingSecretName ?? this.props.existingSecretName;
    const envSecretName = `${name}-env`;
    const secretData: Record<string, string> = {};
    const envProps: Record<string, string | EnvValue> = {};
    const rewrite = (value: string, key?: string) => this.rewriteHosts(n, key, value, hostIndex);
    for (const { key: k, value: v, at: where, label } of env) {
      const secret = pattern.test(k) && !/_FILE$/.test(k);
      if (secret && existing) {
        const key = this.props.secretKeys?.[k] ?? k;
        envProps[k] = EnvValue.fromSecret(existing, key);
        requireKey(existing, key);
        continue;
      }
      const value = v ?? this.props.variables?.[k];
      if (value === undefined) {
        this.err(where, `${label} has no value (Compose takes it from the shell)`,
          secret ? `set existingSecretName (CLI: --existing-secret) to read it from an existing Secret, or variables.${k}` : `set variables.${k} (CLI: --var ${k}=...) or give it a value`);
      }
      if (secret) {
        secretData[k] = value;
        envProps[k] = EnvValue.fromSecret(envSecretName, k);
      } else {
        envProps[k] = escapeKubernetesExpansion(rewrite(value, k));
      }
    }
    let envSecret: ApiObject | undefined;
    if (Object.keys(secretData).length) {
      envSecret = manifest(this, `${n}-env`, 'v1', 'Secret', {
        name: envSecretName,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': this.partOf, 'app.kubernetes.io/managed-by': MANAGED_BY },
        body: { type: 'Opaque', stringData: secretData },
      });
      this.note(`secret-looking environment of ${n} (${Object.keys(secretData).join(', ')}) is in Secret ${envSecretName}, which is written to the manifests; set existingSecretName to keep credentials out of them`);
    }

    // ---- ports
    const portProps: PortOptions[] = ports.map((p) => compact({
      containerPort: p.containerPort, protocol: p.protocol, servicePort: p.containerPort, name: p.name ?? `${p.protocol.toLowerCase()}-${p.containerPort}`, appProtocol: p.appProtocol,
    }));
    for (const p of ports.filter((q) => q.published)) {
      this.note(`${n} publishes ${publishedText(p)} → ${p.containerPort}/${p.protocol}: the Service ${name} serves it on ${p.containerPort} inside the cluster; expose it outside with options.services.${n}.ingress or serviceType`);
    }
    const hasPorts = portProps.length > 0 || o.ports !== undefined || o.port !== undefined;
    if (portProps.length && portProps[0].protocol !== Protocol.TCP && !probes.readiness && !o.readiness && !o.ports && o.port === undefined) {
      this.err(at('ports'), `service ${n} listens on ${portProps.map((p) => `${p.containerPort}/${p.protocol}`).join(', ')} only, and a TCP readiness probe cannot check a ${portProps[0].protocol} port`,
        `add a healthcheck to the service or set options.services.${n}.readiness (e.g. Probe.exec([...]))`);
    }

    // ---- lifecycle
    let terminationGracePeriod: Duration | undefined;
    let preStopSleep: Duration | undefined;
    if (s.stop_grace_period !== undefined) {
      const secs = Math.ceil(parseComposeDuration(s.stop_grace_period)!);
      terminationGracePeriod = Duration.seconds(secs);
      if (secs <= 5) preStopSleep = Duration.seconds(0);
    }

    // ---- volumes: writable paths the image needs (not those a volume covers)
    const mounts = this.volumeMounts(n);
    const tmpfs: string[] = s.tmpfs === undefined ? [] : [s.tmpfs].flat();
    const covered = new Set([...mounts.map((m) => m.target), ...tmpfs.map((t) => t.split(':')[0])].map((p) => p.replace(/\/+$/, '')));
    const writablePaths = (known?.writablePaths ?? ['/tmp']).filter((p) => !covered.has(p));

    const capAdd: string[] = (s.cap_add ?? []).map((c: string) => c.toUpperCase().replace(/^CAP_/, ''));
    if (capAdd.some((c) => c === 'ALL')) this.err(at('cap_add'), 'cap_add ALL gives every capability', 'list the capabilities the service needs (Pod Security "restricted" allows only NET_BIND_SERVICE)');
    if (capAdd.some((c) => c !== 'NET_BIND_SERVICE')) this.note(`${n} adds capabilities ${capAdd.join(', ')}: Pod Security "restricted" allows only NET_BIND_SERVICE`);

    const pullPolicy: Record<string, ImagePullPolicy> = { always: ImagePullPolicy.ALWAYS, never: ImagePullPolicy.NEVER, missing: ImagePullPolicy.IF_NOT_PRESENT, if_not_present: ImagePullPolicy.IF_NOT_PRESENT };
    const podAnnotations: Record<string, string> = {};
    for (const [k, v] of environmentEntries(s.labels)) podAnnotations[k] = v ?? '';

    const mapped: WebAppProps = compact({
      name,
      image,
      partOf: this.partOf,
      command: s.entrypoint !== undefined ? this.command(n, 'entrypoint').map(escapeKubernetesExpansion) : undefined,
      args: s.command !== undefined ? this.command(n, 'command').map((a) => escapeKubernetesExpansion(rewrite(a))) : undefined,
      ports: portProps.length ? portProps : undefined,
      createService: hasPorts,
      replicas,
      resources,
      readiness: probes.readiness,
      liveness: probes.liveness,
      startup: probes.startup,
      env: envProps,
      runAsUser,
      runAsGroup,
      readOnlyRootFilesystem: s.read_only === false ? false : undefined,
      writablePaths,
      addCapabilities: capAdd.length ? capAdd : undefined,
      terminationGracePeriod,
      preStopSleep,
      imagePullPolicy: s.pull_policy ? pullPolicy[s.pull_policy] : undefined,
      serviceAnnotations: { [COMPOSE_NAME_ANNOTATION]: n },
      podAnnotations: Object.keys(podAnnotations).length ? podAnnotations : undefined,
    }) as WebAppProps;
    const { statefulSet: _s, waitForDependencies: _w, bindMounts: _b, allowRestartAlways: _r, ingress, existingSecretName: _e, ...overrides } = o;
    const props: Json = { ...mapped, ...overrides, env: { ...mapped.env, ...overrides.env } };
    if (overrides.port !== undefined && overrides.ports === undefined) {
      // Service port = container port, as for the compose file's own ports (WebApp's `port` would serve 80).
      props.ports = [{ containerPort: overrides.port, servicePort: overrides.port, name: `tcp-${overrides.port}` }];
      delete props.port;
    }
    if (overrides.autoscaling && overrides.replicas === undefined) delete props.replicas;
    if (overrides.createService === undefined) props.createService = hasPorts;

    let webApp: WebApp;
    try {
      webApp = new WebApp(this, n, props as WebAppProps);
    } catch (e) {
      // Point at the Compose key behind the WebApp prop the message starts with (`image ...`, `runAsUser ...`).
      const msg = (e as Error).message;
      const prop = /^WebApp '[^']*': (\w+)/.exec(msg)?.[1] ?? '';
      // A prop given in options is not in the file: then point at the service.
      const key = prop in overrides ? undefined : PROP_TO_KEY[prop]?.find((k) => getKey(s, k) !== undefined);
      throw new Error(`${this.owner}: ${this.source.where(key ? at(...key.split('.')) : at())}: ${msg}`);
    }
    if (hostname !== undefined) {
      // Compose `hostname` is the container's own host name (and, since Docker 20.10, an extra DNS
      // name for the others: an extra Service, added by the caller).
      if (stateful) {
        // The StatefulSet controller sets each pod's hostname to the pod name, overriding the template.
        this.note(`${n}: hostname ${s.hostname} is not applied: a StatefulSet names each pod's host after the pod (other services use ${name})`);
      } else {
        webApp.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostname', hostname));
        this.note(`${n}: hostname ${s.hostname} is the pod's spec.hostname${hostname === String(s.hostname).toLowerCase() ? '' : ` ${hostname}`} (its own host name, as in Compose)`);
      }
    }
    // Volume names are derived from paths and Compose names; a collision gets a short stable hash suffix.
    const volNames = new Set<string>();
    const uniqueVol = (base: string, origin: string): string => {
      let v = base.slice(0, 63).replace(/-+$/, '');
      if (volNames.has(v)) v = `${base.slice(0, 56).replace(/-+$/, '')}-${createHash('sha256').update(origin).digest('hex').slice(0, 6)}`;
      volNames.add(v);
      return v;
    };

    // ---- mounts
    const claimTemplates: Json[] = [];
    const templateSources = new Map<string, string>();
    let rwoClaim = false;
    for (const m of mounts) {
      const volName = uniqueVol(toDnsLabel(`${m.kind === 'named' ? m.source : m.kind}-${m.target}`), `${m.kind}:${m.source ?? ''}:${m.target}`);
      if (m.kind === 'named') {
        const vo = this.props.volumes?.[m.source!] ?? {};
        const def = this.source.data.volumes[m.source!] ?? {};
        const accessModes = vo.accessModes ?? ['ReadWriteOnce'];
        const users = volumeUsers.get(m.source!) ?? [];
        if (users.length > 1 && !accessModes.includes('ReadWriteMany') && !vo.existingClaimName) {
          this.err(m.at, `named volume ${show(m.source)} is shared by ${users.join(', ')}, but a ReadWriteOnce claim attaches to one node only`,
            `set options.volumes.${m.source}.accessModes: ['ReadWriteMany'] (a StorageClass that supports it), or give each service its own volume`);
        }
        const size = vo.size ?? '1Gi';
        const spec = compact({ accessModes, storageClassName: vo.storageClassName, resources: { requests: { storage: size } } });
        if (stateful) {
          const tplName = toDnsLabel(m.source!);
          const clash = templateSources.get(tplName);
          if (clash !== undefined && clash !== m.source) {
            this.err(m.at, `named volumes ${show(clash)} and ${show(m.source)} both give the claim template name ${show(tplName)}`, 'rename one of the volumes');
          }
          templateSources.set(tplName, m.source!);
          claimTemplates.push({
            metadata: { name: tplName, labels: { 'app.kubernetes.io/part-of': this.partOf, 'app.kubernetes.io/managed-by': MANAGED_BY } },
            spec,
          });
          volNames.add(tplName);
          this.at(m.at, () => webApp.addVolumeMount(tplName, { mountPath: m.target, readOnly: m.readOnly || undefined }));
          continue;
        }
        const external = def.external;
        const claimName = vo.existingClaimName ?? (external ? toDnsLabel((typeof external === 'object' && external.name) || def.name || m.source!) : toDnsLabel(def.name ?? m.source!));
        if (!external && !vo.existingClaimName && !pvcs[m.source!]) {
          const clash = Object.entries(pvcs).find(([, c]) => c.metadata.name === claimName);
          if (clash) {
            this.err(m.at, `named volumes ${show(clash[0])} and ${show(m.source)} both give the PersistentVolumeClaim name ${show(claimName)}`,
              `rename one of the volumes, or set a distinct name: under the top-level volumes.${m.source}`);
          }
          if (!isDns1123Subdomain(claimName)) this.err(m.at, `volume name ${show(m.source)} gives the claim name ${show(claimName)}`, `set options.volumes.${m.source}.existingClaimName`);
          pvcs[m.source!] = manifest(this, `volume-${m.source}`, 'v1', 'PersistentVolumeClaim', {
            name: claimName,
            namespace: this.namespace,
            labels: { 'app.kubernetes.io/part-of': this.partOf, 'app.kubernetes.io/managed-by': MANAGED_BY },
            annotations: { 'cdk8s-noops.io/compose-volume': m.source! },
            body: { spec },
          });
        }
        if (!accessModes.includes('ReadWriteMany')) rwoClaim = true;
        this.at(m.at, () => webApp.addVolume({ name: volName, persistentVolumeClaim: compact({ claimName, readOnly: m.readOnly || undefined }) }, { mountPath: m.target, readOnly: m.readOnly || undefined }));
      } else if (m.kind === 'anonymous') {
        this.at(m.at, () => webApp.addEmptyDir(volName, m.target));
        this.note(`${n}: anonymous volume ${m.target} is an emptyDir (its data lives as long as the pod)`);
      } else if (m.kind === 'tmpfs') {
        this.at(m.at, () => webApp.addEmptyDir(volName, m.target, { medium: 'Memory', sizeLimit: m.size }));
      } else {
        this.bindMount(n, webApp, m, volName, configMaps);
      }
    }
    tmpfs.forEach((t, i) => {
      const [target, opts] = t.split(':');
      const size = /(?:^|,)size=([^,]+)/.exec(opts ?? '')?.[1];
      const others = (opts ?? '').split(',').filter((x) => x !== '' && !x.startsWith('size='));
      if (others.length) this.note(`${n}: tmpfs ${target} options ${others.join(',')} are ignored: an emptyDir takes a size only (its files belong to the pod's user)`);
      const sizeLimit = size === undefined ? undefined : composeBytesToQuantity(size);
      if (size !== undefined && sizeLimit === undefined) this.err(at('tmpfs', ...(Array.isArray(s.tmpfs) ? [i] : [])), `tmpfs size ${show(size)} is not a byte value`, 'use e.g. size=64m');
      this.at(at('tmpfs', ...(Array.isArray(s.tmpfs) ? [i] : [])), () => webApp.addEmptyDir(uniqueVol(toDnsLabel(`tmpfs-${target}`), `tmpfs:${target}`), target, { medium: 'Memory', sizeLimit }));
    });
    if (s.shm_size !== undefined) {
      const sizeLimit = composeBytesToQuantity(s.shm_size);
      if (sizeLimit === undefined) this.err(at('shm_size'), `shm_size ${show(s.shm_size)} is not a byte value`, 'use e.g. \'256m\'');
      this.at(at('shm_size'), () => webApp.addEmptyDir(uniqueVol('dshm', 'shm'), '/dev/shm', { medium: 'Memory', sizeLimit }));
    }
    this.mountSecrets(n, webApp, configMaps, requireKey, uniqueVol);

    if (s.working_dir) webApp.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/workingDir', s.working_dir));

    // ---- workload kind
    if (stateful) {
      const d = webApp.deployment;
      d.addJsonPatch(JsonPatch.replace('/kind', 'StatefulSet'));
      d.addJsonPatch(JsonPatch.remove('/spec/strategy'));
      d.addJsonPatch(JsonPatch.add('/spec/updateStrategy', { type: 'RollingUpdate' }));
      if (webApp.service) d.addJsonPatch(JsonPatch.add('/spec/serviceName', webApp.name));
      if (claimTemplates.length) d.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', claimTemplates));
      webApp.horizontalPodAutoscaler?.addJsonPatch(JsonPatch.replace('/spec/scaleTargetRef/kind', 'StatefulSet'));
    } else if (rwoClaim) {
      if ((webApp.replicas ?? webApp.maxReplicas) > 1) {
        this.err(at(), `service ${n} mounts a ReadWriteOnce volume but runs ${webApp.maxReplicas} replicas, which cannot all attach it`,
          `set options.services.${n}.statefulSet: true (one claim per pod) or replicas: 1`);
      }
      // A RollingUpdate would start the new pod before the old one released the volume.
      webApp.deployment.addJsonPatch(JsonPatch.replace('/spec/strategy', { type: 'Recreate' }));
    }
    if (ingress) this.at(at(), () => webApp.exposeViaIngress(ingress));
    return { composeName: n, name, webApp, workloadKind: stateful ? 'StatefulSet' : 'Deployment', aliasServices: {}, envSecret, ports };
  }

  private bindMount(n: string, webApp: WebApp, m: { source?: string; target: string; readOnly: boolean; at: Array<string | number> }, volName: string, configMaps: Record<string, ApiObject>): void {
    const policy = this.opts(n).bindMounts ?? BindMountPolicy.ERROR;
    if (policy === BindMountPolicy.ERROR) {
      this.err(m.at, `bind mount of the host path ${show(m.source)} at ${m.target} has no Kubernetes equivalent (the path does not exist on cluster nodes)`,
        `use a named volume, or set options.services.${n}.bindMounts to BindMountPolicy.CONFIG_MAP (configuration files) or BindMountPolicy.EMPTY_DIR (scratch data)`);
    }
    if (policy === BindMountPolicy.EMPTY_DIR) {
      this.at(m.at, () => webApp.addEmptyDir(volName, m.target));
      this.note(`${n}: bind mount ${m.source} → ${m.target} is an empty directory (BindMountPolicy.EMPTY_DIR)`);
      return;
    }
    const src = path.resolve(this.baseDir, m.source!);
    let files: string[];
    let isDir: boolean;
    try {
      isDir = fs.statSync(src).isDirectory();
      files = isDir ? fs.readdirSync(src).filter((f) => fs.statSync(path.join(src, f)).isFile()).sort() : [path.basename(src)];
    } catch {
      return this.err(m.at, `bind mount source ${show(m.source)} does not exist (looked at ${src})`, 'create it or fix the path (relative to the Compose file)');
    }
    const cmName = toDnsLabel(`${webApp.name}-${m.target}`);
    this.claimConfigMap(cmName, `bind mount ${m.source} → ${m.target} of ${n}`, m.at);
    const data: Record<string, string> = {};
    for (const f of files) {
      if (!/^[-._a-zA-Z0-9]+$/.test(f)) this.err(m.at, `file ${show(f)} in ${m.source} is not a valid ConfigMap key`, 'rename it (letters, digits, \'-\', \'_\', \'.\')');
      data[f] = fs.readFileSync(isDir ? path.join(src, f) : src, 'utf8');
    }
    configMaps[cmName] = manifest(this, `bind-${n}-${m.target}`, 'v1', 'ConfigMap', {
      name: cmName, namespace: this.namespace,
      labels: { 'app.kubernetes.io/part-of': this.partOf, 'app.kubernetes.io/managed-by': MANAGED_BY },
      body: { data },
    });
    this.at(m.at, () => webApp.addVolume({ name: volName, configMap: { name: cmName } }, isDir ? { mountPath: m.target, readOnly: true } : { mountPath: m.target, readOnly: true, subPath: files[0] }));
    this.note(`${n}: bind mount ${m.source} → ${m.target} is ConfigMap ${cmName} (BindMountPolicy.CONFIG_MAP)`);
  }

  private mountSecrets(n: string, webApp: WebApp, configMaps: Record<string, ApiObject>, requireKey: (secret: string, key: string) => void, uniqueVol: (base: string, origin: string) => string): void {
    const s = this.source.data.services[n];
    const doc = this.source.data;
    for (const kind of ['secrets', 'configs'] as const) {
      (s[kind] ?? []).forEach((ref: string | Json, i: number) => {
        const at = ['services', n, kind, i];
        const src = typeof ref === 'string' ? ref : ref.source;
        const def = doc[kind]?.[src];
        if (!def) this.err(at, `${kind.slice(0, -1)} ${show(src)} is not declared under the top-level ${kind}:`, `declare it: ${kind}: { ${src}: { external: true } }`);
        const targetRaw = typeof ref === 'string' ? undefined : ref.target;
        const target = kind === 'secrets'
          ? (targetRaw?.startsWith('/') ? targetRaw : `/run/secrets/${targetRaw ?? src}`)
          : (targetRaw ?? `/${src}`);
        let mode: number | undefined = typeof ref === 'string' ? undefined : ref.mode;
        // Compose reads `mode: 0440` as octal (YAML 1.1); YAML 1.2 would read decimal 440.
        const rawMode = this.source.raw([...at, 'mode']);
        if (rawMode !== undefined && /^0[0-7]+$/.test(rawMode)) mode = parseInt(rawMode, 8);
        if (mode !== undefined && (!Number.isInteger(mode) || mode < 0 || mode > 0o777)) {
          this.err([...at, 'mode'], `mode ${show(mode)} is not a file mode between 0 and 0777`, 'write it in octal, e.g. 0440');
        }
        const volName = uniqueVol(toDnsLabel(`${kind.slice(0, -1)}-${src}`), `${kind}:${src}:${target}`);
        if (kind === 'secrets') {
          const given = this.props.secrets?.[src];
          const external = def.external;
          if (!given && !external) {
            this.err(['secrets', src], `secret ${show(src)} is read from ${def.file ? `the file ${show(def.file)}` : 'outside Kubernetes'}; converting it would write the credential into the manifests`,
              `create a Kubernetes Secret and set options.secrets.${src} = { secretName: '...', key: '...' } (or mark the Compose secret external: true)`);
          }
          const secretName = given?.secretName ?? toDnsLabel((typeof external === 'object' && external.name) || def.name || src);
          const key = given?.key ?? src;
          requireKey(secretName, key);
          this.at(at, () => webApp.addVolume({ name: volName, secret: compact({ secretName, items: [{ key, path: key }], defaultMode: mode }) }, { mountPath: target, readOnly: true, subPath: key }));
        } else {
          let cmName: string;
          let key: string;
          if (def.external) {
            cmName = toDnsLabel((typeof def.external === 'object' && def.external.name) || def.name || src);
            key = src;
          } else {
            let text: string;
            if (typeof def.content === 'string') {
              text = def.content;
              key = src.replace(/[^-._a-zA-Z0-9]/g, '-');
            } else {
              if (!def.file) this.err(['configs', src], `config ${show(src)} has no file or content`, 'set file:, content: or external: true');
              const file = readRelative(this.baseDir, def.file);
              if (!file) this.err(['configs', src, 'file'], `config file ${show(def.file)} cannot be read (looked in ${this.baseDir})`, 'create the file or fix the path');
              text = file.text;
              key = path.basename(def.file).replace(/[^-._a-zA-Z0-9]/g, '-');
            }
            cmName = toDnsLabel(`${this.partOf}-${src}`);
            this.claimConfigMap(cmName, `config ${src}`, ['configs', src]);
            configMaps[cmName] ??= manifest(this, `config-${src}`, 'v1', 'ConfigMap', {
              name: cmName, namespace: this.namespace,
              labels: { 'app.kubernetes.io/part-of': this.partOf, 'app.kubernetes.io/managed-by': MANAGED_BY },
              annotations: { 'cdk8s-noops.io/compose-config': src },
              body: { data: { [key]: text } },
            });
          }
          this.at(at, () => webApp.addVolume({ name: volName, configMap: compact({ name: cmName, items: [{ key, path: key }], defaultMode: mode }) }, { mountPath: target, readOnly: true, subPath: key }));
        }
      });
    }
  }

  private resources(n: string): Resources | undefined {
    const s = this.source.data.services[n];
    const at = (...k: string[]) => ['services', n, ...k];
    const limits = s.deploy?.resources?.limits ?? {};
    const reservations = s.deploy?.resources?.reservations ?? {};
    const cpu = (v: unknown, where: Array<string | number>) => {
      if (v === undefined) return undefined;
      const q = composeCpusToQuantity(v as string | number);
      if (!q) this.err(where, `${show(v)} is not a CPU count`, 'use e.g. \'0.5\' or 2');
      return q;
    };
    const mem = (v: unknown, where: Array<string | number>) => {
      if (v === undefined) return undefined;
      const q = composeBytesToQuantity(v as string | number);
      if (!q) this.err(where, `${show(v)} is not a byte value`, 'use e.g. \'512m\' or \'1g\'');
      return q;
    };
    const cpuLimit = cpu(limits.cpus ?? s.cpus, limits.cpus !== undefined ? at('deploy', 'resources', 'limits', 'cpus') : at('cpus'));
    const cpuRequest = cpu(reservations.cpus, at('deploy', 'resources', 'reservations', 'cpus'));
    const memLimit = mem(limits.memory ?? s.mem_limit, limits.memory !== undefined ? at('deploy', 'resources', 'limits', 'memory') : at('mem_limit'));
    const memRequest = mem(reservations.memory ?? s.mem_reservation, reservations.memory !== undefined ? at('deploy', 'resources', 'reservations', 'memory') : at('mem_reservation'));
    if (!cpuLimit && !cpuRequest && !memLimit && !memRequest) return undefined;
    const base = WebAppDefaults.of(this).resources ?? {};
    const fit = (dflt: ResourceRange | undefined, request?: string, limit?: string): ResourceRange | undefined => {
      if (!request && !limit) return undefined;
      let req = request ?? dflt?.request;
      let lim: string | null | undefined = limit ?? dflt?.limit;
      // A limit below the default request lowers the request; a reservation above the default limit raises the limit.
      if (req && lim && parseQuantity(req)! > parseQuantity(lim)!) {
        if (request) lim = request;
        else req = lim;
      }
      return compact({ request: req, limit: lim });
    };
    return compact({
      cpu: fit(base.cpu ?? DEFAULT_RESOURCES.cpu, cpuRequest, cpuLimit),
      memory: fit(base.memory ?? DEFAULT_RESOURCES.memory, memRequest, memLimit),
    });
  }

  private probes(n: string): { readiness?: Probe; liveness?: Probe; startup?: Probe } {
    const hc = this.source.data.services[n].healthcheck;
    if (!hc || hc.disable) return {};
    const test: string[] = typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test ?? [];
    if (test.length === 0) {
      // Compose then keeps the image's HEALTHCHECK (with these timings), which Kubernetes does not run.
      this.note(`${n}: healthcheck has no test, so Compose runs the image's own HEALTHCHECK, which Kubernetes ignores; the WebApp's default probe is used (set options.services.${n}.readiness and liveness to check more)`);
      return {};
    }
    if (test[0] === 'NONE') return {};
    let command: string[];
    if (test[0] === 'CMD') command = test.slice(1);
    else if (test[0] === 'CMD-SHELL') command = ['/bin/sh', '-c', test.slice(1).join(' ')];
    else return this.err(['services', n, 'healthcheck', 'test'], `healthcheck test ${show(test)} starts with ${show(test[0])}`, 'start it with CMD, CMD-SHELL or NONE, or give a string');
    if (command.length === 0) this.err(['services', n, 'healthcheck', 'test'], 'healthcheck test has no command', 'give the command after CMD');
    const secs = (v: string | undefined, dflt: number) => (v === undefined ? dflt : Math.max(1, Math.ceil(parseComposeDuration(v)!)));
    const period = secs(hc.interval, 30);
    const timeout = secs(hc.timeout, 30);
    const retries = Math.max(1, Math.round(hc.retries ?? 3));
    const startPeriod = hc.start_period === undefined ? 0 : parseComposeDuration(hc.start_period)!;
    const base = { period: Duration.seconds(period), timeout: Duration.seconds(timeout), failureThreshold: retries };
    const startPeriodSecs = hc.start_interval === undefined ? period : secs(hc.start_interval, period);
    return {
      readiness: Probe.exec(command, base),
      liveness: Probe.exec(command, base),
      // start_period: failures before the first success do not count. A startup probe gives the app
      // that long (plus the usual retries) before liveness takes over.
      // start_interval (newer spec) is how often to probe during the start period.
      startup: startPeriod > 0
        ? Probe.exec(command, { ...base, period: Duration.seconds(startPeriodSecs), failureThreshold: Math.ceil(startPeriod / startPeriodSecs) + retries })
        : undefined,
    };
  }

  /**
   * Rewrites the host names (see {@link hostSpans}) in a value of service `self` that are not valid DNS
   * names: service names and extra names (container_name, hostname, network and links aliases) become
   * their Service names (`my_db` → `my-db`). A service's references to itself are left alone.
   */
  private rewriteHosts(self: string, key: string | undefined, value: string, hostIndex: HostIndex): string {
    let out = value;
    for (const span of hostSpans(value, key).reverse()) {
      const entry = hostIndex.get(span.host.toLowerCase());
      // DNS is case-insensitive: only a name whose DNS form differs beyond case is rewritten.
      if (!entry || entry.target === self || entry.dns === span.host.toLowerCase()) continue;
      out = out.slice(0, span.index) + entry.dns + out.slice(span.index + span.host.length);
      this.note(`host name ${span.host} in ${show(value)} was rewritten to ${entry.dns}`);
    }
    return out;
  }

  private networkPolicies(names: string[], services: Record<string, ComposeServiceResult>): void {
    const doc = this.source.data;
    const netsOf = (n: string): string[] => {
      const nets = doc.services[n].networks;
      const list: string[] = nets === undefined ? ['default'] : Array.isArray(nets) ? nets : Object.keys(nets);
      list.forEach((net) => {
        if (net !== 'default' && !Object.prototype.hasOwnProperty.call(doc.networks ?? {}, net)) {
          this.err(['services', n, 'networks'], `network ${show(net)} is not declared under the top-level networks:`, `add 'networks: { ${net}: {} }' at the top level`);
        }
      });
      return list;
    };
    const nets = new Map(names.map((n) => [n, new Set(netsOf(n))]));
    for (const n of names) {
      const app = services[n].webApp;
      const published = services[n].ports.filter((p) => p.published);
      if (published.some((p) => !isLoopback(p.hostIp))) {
        this.note(`${n} publishes ports, so its ingress is not isolated (like a published Compose port, anyone may connect)`);
        continue;
      }
      if (published.length) {
        // Compose publishes these on the Docker host's loopback only: nobody else could connect, so
        // they open nothing here (kubectl port-forward is the Kubernetes equivalent).
        this.note(`${n} publishes ${published.map(publishedText).join(', ')} on the host's loopback only, which no other machine reaches: its ingress stays isolated to its networks; use kubectl port-forward, or options.services.${n}.ingress to expose it`);
      }
      // An Ingress controller or load balancer must reach it, as a published port would be reached.
      if (app.service && (app.ingress || app.serviceType === ServiceType.NODE_PORT || app.serviceType === ServiceType.LOAD_BALANCER)) {
        this.note(`${n} is exposed through ${app.ingress ? 'an Ingress' : `a ${app.serviceType} Service`}, so its ingress is not isolated (like a published Compose port)`);
        continue;
      }
      const peers = names.filter((m) => m !== n && [...nets.get(m)!].some((net) => nets.get(n)!.has(net)));
      if (peers.length === 0) app.isolate();
      for (const m of peers) app.allowFrom(services[m].webApp);
    }
  }
}

/** True for a loopback host IP (`127.0.0.0/8`, `::1`, `localhost`): a port Compose publishes there is reachable from the Docker host only. */
function isLoopback(ip: string | undefined): boolean {
  return ip !== undefined && (/^127\./.test(ip) || ip === '::1' || ip.toLowerCase() === 'localhost');
}

/** WebApp props → the Compose keys (first present one wins) they come from, for error locations. */
const PROP_TO_KEY: Record<string, string[]> = {
  image: ['image'], runAsUser: ['user'], runAsGroup: ['user'], command: ['entrypoint'], args: ['command'], port: ['ports', 'expose'],
  ports: ['ports', 'expose'], replicas: ['deploy.replicas', 'scale'], resources: ['deploy.resources', 'mem_limit', 'cpus'],
  terminationGracePeriod: ['stop_grace_period'], preStopSleep: ['stop_grace_period'], env: ['environment', 'env_file'],
  readiness: ['healthcheck'], liveness: ['healthcheck'], startup: ['healthcheck'], addCapabilities: ['cap_add'],
  writablePaths: ['volumes', 'tmpfs'], imagePullPolicy: ['pull_policy'], podAnnotations: ['labels'],
};

function getKey(service: Json, dotted: string): unknown {
  return dotted.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), service);
}

/** Environment variable names whose value is a host (or a list of hosts, or an address/URL naming one). */
const HOST_KEY = /(_HOST|_HOSTNAME|_ADDR|_ADDRESS|_URL|_URI|_SERVER)$/i;
const HOST_NAME = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';

/**
 * The host names a value names, with their positions: URL authorities (`redis://kvs:6379`,
 * `postgres://u:p@db/x`, `mongodb://a:1,b:2/`), `host:port` words, and, for keys ending in `_HOST`,
 * `_HOSTNAME`, `_ADDR`, `_ADDRESS`, `_URL`, `_URI` or `_SERVER`, the whole value or each of its
 * comma-separated items. Other words (`POSTGRES_DB: app_db`, `ROLE: worker`) are not hosts.
 */
function hostSpans(value: string, key?: string): Array<{ readonly host: string; readonly index: number }> {
  const out = new Map<number, string>();
  for (const m of value.matchAll(/[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/\s?#]*@)?([^/\s?#]*)/g)) {
    let offset = m.index! + m[0].length - m[1].length;
    for (const part of m[1].split(',')) {
      const h = new RegExp(`^${HOST_NAME}`).exec(part)?.[0];
      if (h) out.set(offset, h);
      offset += part.length + 1;
    }
  }
  for (const m of value.matchAll(new RegExp(`(^|[\\s,;=(@])(${HOST_NAME}):(\\d{1,5})(?=$|[\\s,;/)?])`, 'g'))) {
    out.set(m.index! + m[1].length, m[2]);
  }
  if (key !== undefined && HOST_KEY.test(key)) {
    for (const m of value.matchAll(/[^,\s]+/g)) {
      const h = new RegExp(`^(${HOST_NAME})(?::\\d{1,5})?$`).exec(m[0])?.[1];
      if (h) out.set(m.index!, h);
    }
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([index, host]) => ({ host, index }));
}
