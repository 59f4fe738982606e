// The ComposeApp construct: parses the Compose document, then runs the conversion's steps in order.
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, namespaceOf, withChildSlots } from '../k8s-object';
import { fail, show, toDnsLabel } from '../core';
import { WebApp } from '../web-app';
import { checkService, checkTopLevel, warnIgnoredKeys } from './checks';
import { ComposeConversion, DEFAULT_SECRET_ENV, prefixErrors } from './context';
import { EnvEntry, isSecretEnv, serviceEnvironment } from './env';
import { ServicePort, composeCommand, composePorts } from './model';
import { addCommandRefs, addEnvironmentRefs, addWaitForContainers, linkServices, renderAliasServices, requirePortsOfAddressed, selectServices } from './names';
import { mountedConfigTexts } from './config-refs';
import { resolveExtends } from './extends';
import { resolveIncludes } from './include';
import { listenPortsFromEnv } from './listen';
import { composeNetworks, isExposed, mayConnect, networkPodLabels, renderNetworkPolicies } from './networks';
import { ComposeSource, composeSchemaProblems, composeV1Problem, interpolate } from './parse';
import { ComposeProblems } from './problems';
import { hasUrlCredentials, secretRefToken } from './secret-refs';
import { noteDefaultResources } from './jvm';
import { ComposeAppOptions, ComposeAppProps, ComposeServiceResult } from './props';
import { buildService } from './service';
import { VolumeMount, volumeMounts } from './volumes';

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

  public constructor(scope: Construct, id: string, props: ComposeAppProps) {
    super(withChildSlots(scope), id);
    withChildSlots(this); // its children's ids start with the compose services' names
    this.owner = `ComposeApp '${id}'`;
    const namespace = namespaceOf(this);
    let partOf = props.partOf ?? toDnsLabel(id); // may be replaced by the top-level name: below
    const given = [props.file, props.yaml, props.compose].filter((x) => x !== undefined).length;
    if (given !== 1) fail(this.owner, `${given} of file, yaml and compose are set`, 'set exactly one of them (or use ComposeApp.fromFile / fromObject / fromYaml)');

    // ---- parse, interpolate, validate
    const source = prefixErrors(this.owner, () => (props.file !== undefined ? ComposeSource.fromFile(props.file)
      : props.yaml !== undefined ? ComposeSource.fromYaml(props.yaml, props.fileName ?? 'compose')
        : ComposeSource.fromObject(props.compose!, props.fileName)));
    this.source = source;
    const baseDir = props.baseDir ?? (props.file ? path.dirname(path.resolve(props.file)) : process.cwd());
    const v1 = composeV1Problem(source, this.owner);
    if (v1) throw v1;
    const includeNotes = resolveIncludes(source, { owner: this.owner, baseDir, allowOutside: props.allowOutside ?? false });
    resolveExtends(source, { owner: this.owner, baseDir, allowOutside: props.allowOutside ?? false });
    // Secret-looking environment values read from an existing Secret are never used, so
    // `MYSQL_PASSWORD: ${DB_PASSWORD}` needs no variable.
    const pattern = props.secretEnvPattern ?? DEFAULT_SECRET_ENV;
    const interpolationProblems = interpolate(source, props.variables ?? {}, this.owner, (at, value) => {
      if (at[0] !== 'services' || at[2] !== 'environment' || at.length !== 4) return false;
      const existing = props.services?.[at[1]]?.existingSecretName ?? props.defaults?.existingSecretName ?? props.existingSecretName;
      const key = typeof at[3] === 'number' ? value.split('=')[0] : String(at[3]);
      // (a URL with a password is read from the Secret too: `postgres://app:${DB_PASSWORD}@db/app` needs no variable)
      return existing !== undefined && (isSecretEnv(pattern, key) || hasUrlCredentials(value));
    }, (name, library) => props.fixAdvice?.({ option: 'variable', subject: name }) ?? library,
    // A secret variable in a command or healthcheck becomes a reference to the container's variable.
    (at, name) => (at[0] === 'services' && ['command', 'entrypoint', 'healthcheck'].includes(String(at[2])) && isSecretEnv(pattern, name) ? secretRefToken(name) : undefined));
    // Every problem of the file is reported at once: a document that does not match the specification
    // stops here (the steps below rely on its shape); otherwise each step records its problems and
    // goes on with the services that have none.
    const schemaProblems = composeSchemaProblems(source, this.owner);
    if (schemaProblems.length) {
      const all = [...interpolationProblems, ...schemaProblems];
      throw all.length === 1 ? all[0] : new ComposeProblems(this.owner, source.file ?? 'the Compose document', all);
    }
    const doc = source.data;
    if (props.partOf === undefined && typeof doc.name === 'string') partOf = toDnsLabel(doc.name);
    if (!doc.services || Object.keys(doc.services).length === 0) {
      fail(this.owner, `${source.where(['services'])} has no services`, 'define at least one service under services:');
    }
    for (const name of Object.keys(props.services ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(doc.services, name)) {
        fail(this.owner, `options.services names ${show(name)}, which is not a service in ${source.file ?? 'the Compose document'}`,
          `use one of ${Object.keys(doc.services).join(', ')} (Compose names, case-sensitive)`);
      }
    }
    const ctx = new ComposeConversion(this, this.owner, props, source, baseDir, partOf, namespace);
    ctx.record(interpolationProblems);
    for (const note of includeNotes) ctx.note(note);

    // ---- select services (profiles), names
    const sn = ctx.attempt(undefined, () => selectServices(ctx));
    if (!sn) throw ctx.problemsError();
    const { names, mapping } = sn;
    this.nameMapping = mapping;
    if (names.length === 0) {
      ctx.err(['services'], `every service is in an inactive profile (${Object.keys(doc.services).join(', ')})`,
        ctx.advise({ option: 'profile' }, 'activate a profile in options.profiles'));
    }

    // ---- refuse what has no equivalent, collect what is ignored
    const ignored: string[] = [];
    for (const n of names) checkService(ctx, n, ignored);
    checkTopLevel(doc, ignored);
    this.ignoredKeys = ignored;

    // ---- references between services and extra names
    const links = ctx.attempt(undefined, () => linkServices(ctx, sn));
    if (!links) throw ctx.problemsError();
    // Hostnames in environment values (`DB`, `db:3306`, `redis://kvs:6379`, `user:pw@postgres/x`).
    const envs = new Map<string, EnvEntry[]>();
    for (const n of names) {
      const list = ctx.attempt(n, () => serviceEnvironment(ctx, n)) ?? [];
      envs.set(n, list);
      addEnvironmentRefs(links, n, list);
      for (const key of ['entrypoint', 'command'] as const) {
        if (doc.services[n][key] !== undefined && doc.services[n][key] !== null) addCommandRefs(links, n, ctx.attempt(n, () => composeCommand(ctx, n, key)) ?? []);
      }
    }

    // ---- volumes (read here: the configuration files a service mounts may name other services)
    const mountsOf = new Map<string, VolumeMount[]>();
    const volumeUsers = new Map<string, string[]>();
    for (const n of names) {
      const mounts = ctx.attempt(n, () => volumeMounts(ctx, n)) ?? [];
      mountsOf.set(n, mounts);
      for (const v of mounts) if (v.kind === 'named') volumeUsers.set(v.source!, [...(volumeUsers.get(v.source!) ?? []), n]);
      for (const { label, text } of ctx.attempt(n, () => mountedConfigTexts(ctx, n, mounts)) ?? []) addCommandRefs(links, n, [text], label);
    }

    // ---- ports
    const portsOf = new Map<string, ServicePort[]>();
    for (const n of names) {
      const declared = ctx.attempt(n, () => composePorts(ctx, n)) ?? [];
      const o = ctx.opts(n);
      portsOf.set(n, declared.length || o.ports || o.port !== undefined ? declared : listenPortsFromEnv(ctx, n, envs.get(n)!));
    }
    requirePortsOfAddressed(ctx, names, links, portsOf);

    // ---- networks: which services share one (pod labels now, NetworkPolicies once the services exist)
    const policies = props.networkPolicies ?? true;
    const networksOf = new Map<string, readonly string[]>();
    const exposed = new Set<string>();
    if (policies) {
      for (const n of names) {
        networksOf.set(n, composeNetworks(ctx, n));
        if (isExposed(ctx, n, portsOf.get(n)!)) exposed.add(n);
      }
    }

    // ---- build every service (those with a problem so far are skipped: their problems are known)
    const services: Record<string, ComposeServiceResult> = {};
    for (const n of names) {
      if (ctx.isBroken(n)) continue;
      const built = ctx.attempt(n, () => buildService(ctx, n, {
        name: mapping[n], ports: portsOf.get(n)!, env: envs.get(n)!, mounts: mountsOf.get(n)!, volumeUsers,
        hostIndex: links.hostIndex, hostname: links.hostnameOf.get(n),
        podLabels: policies ? networkPodLabels(ctx, networksOf.get(n)!, exposed.has(n)) : undefined,
      }));
      if (built) services[n] = built;
    }
    ctx.throwProblems();
    if (ctx.unsized.length) noteDefaultResources(ctx, ctx.unsized);

    // ---- extra names: ClusterIP Services selecting the same pods
    const { aliases, aliasMapping } = renderAliasServices(ctx, links, services, mapping);
    this.aliases = aliases;
    this.aliasMapping = aliasMapping;

    // ---- wait-for init containers (only where the NetworkPolicies let the wait through)
    addWaitForContainers(ctx, names, links, services, (n, target) => !policies || mayConnect(networksOf, exposed, n, target));

    // ---- networks → NetworkPolicies
    if (policies) renderNetworkPolicies(ctx, networksOf, exposed.size > 0);

    this.services = services;
    this.persistentVolumeClaims = ctx.persistentVolumeClaims;
    this.configMaps = ctx.configMaps;
    this.requiredSecretKeys = ctx.requiredSecretKeys();
    for (const [secret, keys] of Object.entries(this.requiredSecretKeys)) {
      ctx.note(`Secret ${secret} must exist in the namespace with the keys ${keys.join(', ')}`);
    }
    this.notes = ctx.notes;
    warnIgnoredKeys(ctx, ignored);
  }

  /** The WebApp of a Compose service (by its Compose name). */
  public webApp(composeName: string): WebApp {
    const s = this.services[composeName];
    if (!s) fail(this.owner, `has no service ${show(composeName)}`, `use one of ${Object.keys(this.services).join(', ')}`);
    return s.webApp;
  }
}
