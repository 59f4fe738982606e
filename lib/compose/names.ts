// Service names and how services find each other: Compose names → DNS-safe Kubernetes names, extra
// names (container_name, hostname, network and links aliases) as extra Services, the references
// between services (depends_on, links, host names in environment values) and the host names rewritten
// in values, and the wait-for init containers.
import { ApiObject } from 'cdk8s';
import { ServiceType, renderServiceSpec } from '../k8s';
import { Json, manifest } from '../k8s-object';
import { isDns1035Label, isDns1123Label, show, toDnsLabel } from '../core';
import { Protocol } from '../web-app';
import { COMPOSE_NAME_ANNOTATION, ComposeConversion, KeyPath } from './context';
import { EnvEntry } from './env';
import { ServicePort } from './model';
import { ComposeServiceResult } from './props';

/** On an extra-name Service: the name as written in the Compose file (`my_db` for the Service `my-db`). */
const COMPOSE_ALIAS_ANNOTATION = 'cdk8s-noops.io/compose-name';

/** The active services and their Kubernetes names. */
export interface ServiceNames {
  /** Every service of the Compose file, in its order. */
  readonly all: readonly string[];
  /** The services rendered (those whose profiles are active), in the file's order. */
  readonly names: readonly string[];
  /** Compose service name → Kubernetes name. */
  readonly mapping: Readonly<Record<string, string>>;
  /** Kubernetes name → Compose service name. */
  readonly byK8s: ReadonlyMap<string, string>;
}

/**
 * Selects the services whose profiles are active and gives each its Kubernetes name (the `name`
 * option, or the DNS-safe Compose name); fails on an invalid name or two services with one name.
 */
export function selectServices(ctx: ComposeConversion): ServiceNames {
  const source = ctx.source;
  const doc = source.data;
  const active = new Set(ctx.props.profiles ?? []);
  const all = Object.keys(doc.services);
  const names = all.filter((n) => {
    const profiles: string[] | undefined = doc.services[n].profiles;
    const on = !profiles || profiles.some((p) => active.has(p));
    if (!on) ctx.note(`service ${n} skipped: its profiles (${profiles!.join(', ')}) are not active (${ctx.advise({ option: 'profile', subject: profiles![0] }, 'options.profiles')})`);
    return on;
  });
  const mapping: Record<string, string> = {};
  const byK8s = new Map<string, string>();
  for (const n of names) {
    const k8s = ctx.opts(n).name ?? toDnsLabel(n);
    if (!isDns1035Label(k8s)) {
      ctx.report(['services', n], `service name ${show(n)} maps to ${show(k8s)}, which is not a DNS-1035 label`,
        `${ctx.advise({ option: 'name', service: n }, `set options.services.${n}.name`)} to a name of lowercase letters, digits and '-' starting with a letter`);
    }
    if (byK8s.has(k8s)) {
      ctx.report(['services', n], `services ${show(byK8s.get(k8s))} and ${show(n)} both map to the Kubernetes name ${show(k8s)}`,
        `${ctx.advise({ option: 'name', service: n }, `set options.services.${n}.name`)} to another name`);
    }
    byK8s.set(k8s, n);
    mapping[n] = k8s;
    if (k8s !== n) ctx.note(`service ${n} is named ${k8s} (DNS names are lowercase; '${n}' still resolves where only case differs)`);
  }
  return { all, names, mapping, byK8s };
}

/** Names containers resolve in Compose (lowercase) → the service they reach and its Kubernetes DNS name. */
export type HostIndex = ReadonlyMap<string, { readonly target: string; readonly dns: string }>;

/** A reference of one service to another. */
export interface ServiceRef {
  /** The Compose service referred to. */
  readonly target: string;
  /** `depends_on`, `links` or `environment KEY`. */
  readonly via: string;
  /** The referring service waits for the target's port before it starts. */
  readonly wait: boolean;
  /** The environment variable's name says it holds a host (`DB_HOST`). */
  readonly hostKey?: boolean;
  /** The port the reference names (`backend:8000`, `http://backend:8000/api`), if any. */
  readonly port?: number;
}

/** The references between the services and their extra names. */
export interface ServiceLinks {
  /** Compose service → its references to other services, in the order written. */
  readonly refs: Map<string, ServiceRef[]>;
  /** Extra DNS name → the Compose service it reaches. */
  readonly aliasOf: ReadonlyMap<string, string>;
  /** Extra DNS name → the name as written, and which key gave it (`alias of WEB`). */
  readonly aliasFrom: ReadonlyMap<string, { readonly name: string; readonly origin: string }>;
  /** Compose service → the DNS name of its hostname. */
  readonly hostnameOf: ReadonlyMap<string, string>;
  /** Every name a container resolves in Compose → the service and the DNS name that reaches it now. */
  readonly hostIndex: HostIndex;
}

/**
 * Collects the extra names (container_name, hostname, network aliases, links aliases) and the
 * `depends_on` and `links` references of the services `sn`; fails on an extra name that cannot be a
 * Service name or is another service's, and on a reference to a service that is not rendered.
 */
export function linkServices(ctx: ComposeConversion, sn: ServiceNames): ServiceLinks {
  const source = ctx.source;
  const { all, names, mapping, byK8s } = sn;
  const refs = new Map<string, ServiceRef[]>(names.map((n) => [n, []]));
  const aliasOf = new Map<string, string>(); // extra DNS name -> compose service
  const aliasFrom = new Map<string, { readonly name: string; readonly origin: string }>(); // extra DNS name -> as written, and which key gave it
  const hostnameOf = new Map<string, string>(); // compose service -> DNS name of its hostname
  // Every name another container resolves in Compose (service names and extra names, case-insensitive:
  // DNS is) -> the service it reaches and the Kubernetes DNS name that reaches it now.
  const hostIndex = new Map<string, { readonly target: string; readonly dns: string }>(names.map((n) => [n.toLowerCase(), { target: n, dns: mapping[n] }]));
  const addAlias = (alias: string, target: string, at: KeyPath, key: 'container_name' | 'hostname' | 'aliases' | 'links') => {
    // The same mapping as service names: lowercase, runs of other characters become '-' (`my_db` -> `my-db`).
    const dns = toDnsLabel(alias);
    const what = `${key === 'aliases' ? 'network alias' : key === 'links' ? 'links alias' : key} ${show(alias)} of service ${target}`;
    const as = dns === alias.toLowerCase() ? '' : ` (as the DNS name ${show(dns)})`;
    if (!isDns1035Label(dns)) {
      ctx.err(at, `${what} cannot be a Service name${dns ? `: it maps to ${show(dns)}, which does not start with a letter` : ''}`,
        'use lowercase letters, digits and \'-\' starting with a letter, or remove it');
    }
    const owner = byK8s.get(dns) ?? aliasOf.get(dns);
    if (owner !== undefined && owner !== target) {
      const clash = byK8s.get(dns) !== undefined ? '' : ` (its ${aliasFrom.get(dns)!.origin.split(' of ')[0]} ${show(aliasFrom.get(dns)!.name)})`;
      ctx.err(at, `${what}${as} is already the name of service ${owner}${clash}`, `use another ${key === 'aliases' ? 'alias' : key}`);
    }
    hostIndex.set(alias.toLowerCase(), { target, dns });
    if (key === 'hostname') hostnameOf.set(target, dns);
    if (dns === mapping[target] || aliasOf.has(dns)) return;
    aliasOf.set(dns, target);
    aliasFrom.set(dns, { name: alias, origin: `${key === 'container_name' || key === 'hostname' ? key : 'alias'} of ${target}` });
    if (as) ctx.note(`${what} is the Service name ${dns} (DNS names are lowercase letters, digits and '-'; references to ${alias} in other services' environment and commands are rewritten)`);
  };
  for (const n of names) {
    const s = ctx.service(n);
    if (s.container_name) addAlias(s.container_name, n, ['services', n, 'container_name'], 'container_name');
    if (s.hostname !== undefined && s.hostname !== null) {
      // Since Docker 20.10 a container's hostname is also a DNS name on its networks (moby#39204).
      const hostname = String(s.hostname);
      if (hostname.includes('.') || !isDns1123Label(toDnsLabel(hostname))) {
        ctx.err(['services', n, 'hostname'], `hostname ${show(s.hostname)} is not a DNS label`, 'use lowercase letters, digits and \'-\' (no dots), or remove it');
      }
      // A hostname is often set for the container's own sake (logs, a node name): when it cannot also be a
      // Service name, or another service already has that name, it stays the pod's own host name only.
      const dns = toDnsLabel(hostname);
      const taken = byK8s.get(dns) ?? aliasOf.get(dns);
      if (!isDns1035Label(dns) || (taken !== undefined && taken !== n)) {
        hostnameOf.set(n, dns);
        const why = !isDns1035Label(dns) ? `${show(dns)} cannot be a Service name (it does not start with a letter)` : `${show(dns)} is already the name of service ${taken}`;
        ctx.note(`${source.where(['services', n, 'hostname'])} hostname ${show(hostname)} of service ${n} is only its pod's own host name (spec.hostname): ${why}, so other services cannot reach ${n} by it`);
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
        ctx.report(['services', n, 'depends_on'], `names ${show(d)}, which is not a${all.includes(d) ? 'n active' : ''} service`,
          all.includes(d) ? ctx.advise({ option: 'profile', subject: (ctx.service(d).profiles ?? [])[0] }, 'activate its profile in options.profiles') : `use one of ${names.join(', ')}`);
        continue;
      }
      if (condition === 'service_completed_successfully') {
        ctx.note(`${n} depends on ${d} completing: Kubernetes has no start order for that; ${n} is not made to wait`);
        continue;
      }
      refs.get(n)!.push({ target: d, via: 'depends_on', wait: true });
    }
    (s.links ?? []).forEach((l: string, i: number) => {
      const [target, alias] = l.split(':');
      if (!names.includes(target)) return ctx.report(['services', n, 'links', i], `links to ${show(target)}, which is not a service`, `use one of ${names.join(', ')}`);
      if (alias) addAlias(alias, target, ['services', n, 'links', i], 'links');
      refs.get(n)!.push({ target, via: 'links', wait: true });
    });
  }
  return { refs, aliasOf, aliasFrom, hostnameOf, hostIndex };
}

/**
 * Adds the references of service `n`'s environment values to other services: host names in them
 * (`DB`, `db:3306`, `redis://kvs:6379`, `user:pw@postgres/x`).
 */
export function addEnvironmentRefs(links: ServiceLinks, n: string, env: readonly EnvEntry[]): void {
  const { refs, hostIndex } = links;
  for (const { key, value } of env) {
    if (!value) continue;
    for (const span of hostSpans(value, key)) {
      const target = hostIndex.get(span.host.toLowerCase())?.target;
      const port = portAfter(value, span.index + span.host.length);
      // A name with a port is an address (`PEERS: worker_1:7000`) whatever the variable's name.
      if (target && target !== n) refs.get(n)!.push({ target, via: `environment ${key}`, wait: false, hostKey: HOST_KEY.test(key) || port !== undefined, port });
    }
  }
}

/**
 * Adds the addresses in service `n`'s command and entrypoint (`--upstream=http://api:3000`,
 * `redis-cli -h cache` is not one: only URLs and `host:port` words count) to its references.
 */
export function addCommandRefs(links: ServiceLinks, n: string, words: readonly string[], via = 'command'): void {
  for (const word of words) {
    for (const span of hostSpans(word)) {
      const target = links.hostIndex.get(span.host.toLowerCase())?.target;
      const port = portAfter(word, span.index + span.host.length);
      if (target && target !== n && port !== undefined) links.refs.get(n)!.push({ target, via, wait: false, hostKey: true, port });
    }
  }
}

/** The port written right after a host name ending at `end` (`:8000`), if any. */
function portAfter(value: string, end: number): number | undefined {
  const m = /^:(\d{1,5})(?![\d])/.exec(value.slice(end));
  const port = m ? Number(m[1]) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * Fails when a service without a port (none in `portsOf`, none in its options) is addressed by
 * another (depends_on, links, a host-named environment variable, a network alias); otherwise notes
 * that it is rendered as a worker without a Service.
 */
export function requirePortsOfAddressed(
  ctx: ComposeConversion, names: readonly string[], links: ServiceLinks, portsOf: Map<string, readonly ServicePort[]>,
): void {
  const { refs, aliasOf, aliasFrom } = links;
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
  const namedPorts = new Map<string, Map<number, string[]>>(); // service → port → who names it
  for (const [n, list] of refs) {
    for (const r of list) {
      if (r.port === undefined) continue;
      const byPort = namedPorts.get(r.target) ?? new Map<number, string[]>();
      byPort.set(r.port, [...(byPort.get(r.port) ?? []), `${n} (${r.via})`]);
      namedPorts.set(r.target, byPort);
    }
  }
  for (const n of names) {
    const o = ctx.opts(n);
    if (portsOf.get(n)!.length || o.ports || o.port !== undefined) continue;
    // The Kompose trap: a service without ports that others address on a port gets a Service on it.
    const named = namedPorts.get(n);
    if (named?.size) {
      portsOf.set(n, [...named.keys()].sort((a, b) => a - b).map((containerPort) => ({ containerPort, protocol: Protocol.TCP, source: 'reference' as const })));
      for (const [port, by] of named) {
        ctx.note(`service ${n} declares no port; its Service serves ${port}, the port ${[...new Set(by)].join(', ')} connect${by.length === 1 ? 's' : ''} to (${ctx.portAdvice(n, false)} if it listens elsewhere)`);
      }
      continue;
    }
    const users = [...new Set(addressedBy.get(n) ?? [])];
    if (users.length) {
      ctx.report(['services', n], `service ${n} is addressed by ${users.join(', ')} but has no port: no ports, no expose, ${ctx.imageOf(n) ? `and its image ${show(ctx.imageOf(n))} has no well-known port` : 'and no image whose well-known port could be used'}`,
        `${ctx.portAdvice(n, true)}, or add expose: ["<port>"] to the service`);
      continue;
    }
    const mentions = [...new Set(mentionedBy.get(n) ?? [])];
    if (mentions.length) {
      ctx.note(`service ${n} is named in ${mentions.join(', ')} but has no port: rendered as a worker without a Service; if that value is a host, ${ctx.portAdvice(n, false)}`);
    } else ctx.note(`service ${n} has no port and nobody addresses it: rendered as a worker without a Service`);
  }
}

/** The extra-name Services, by name → the service's Kubernetes name, and the names as written → Service names. */
export interface AliasServices {
  /** Extra DNS names (Services) → the Kubernetes name of the service they select. */
  readonly aliases: Record<string, string>;
  /** Extra names as written in the Compose file → their Service names. */
  readonly aliasMapping: Record<string, string>;
}

/**
 * Renders a ClusterIP Service for each extra name, selecting the pods of the service it names (none
 * when that service has no port), and adds it to the service's `aliasServices`.
 */
export function renderAliasServices(
  ctx: ComposeConversion, links: ServiceLinks, services: Readonly<Record<string, ComposeServiceResult>>, mapping: Readonly<Record<string, string>>,
): AliasServices {
  const { aliasOf, aliasFrom } = links;
  const aliasServices: Record<string, string> = {};
  const aliasMapping: Record<string, string> = {};
  for (const [alias, target] of aliasOf) {
    const app = services[target].webApp;
    const from = aliasFrom.get(alias)!;
    if (!app.service) {
      ctx.note(`${from.origin.split(' of ')[0]} ${from.name} of ${target} gets no Service: ${target} has no port`);
      continue;
    }
    const svc = manifest(ctx.scope, `alias-${alias}`, 'v1', 'Service', {
      name: alias,
      namespace: ctx.namespace,
      labels: ctx.objectLabels(app.podLabels['app.kubernetes.io/name'], 'alias'),
      annotations: { [COMPOSE_NAME_ANNOTATION]: target, 'cdk8s-noops.io/alias-of': app.name, [COMPOSE_ALIAS_ANNOTATION]: from.name },
      body: {
        spec: renderServiceSpec({
          type: ServiceType.CLUSTER_IP,
          selector: app.selectorLabels,
          ports: app.ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol })),
        }),
      },
    });
    (services[target].aliasServices as Record<string, ApiObject>)[alias] = svc;
    aliasServices[alias] = mapping[target];
    aliasMapping[from.name] = alias;
    ctx.note(`${alias} is an extra Service selecting the pods of ${app.name} (Compose ${from.origin})`);
  }
  return { aliases: aliasServices, aliasMapping };
}

/**
 * Adds an init container to each service that waits for the TCP port of every service it
 * `depends_on` or `links` to (once per dependency), unless its `waitForDependencies` is false.
 */
export function addWaitForContainers(
  ctx: ComposeConversion, names: readonly string[], links: ServiceLinks, services: Readonly<Record<string, ComposeServiceResult>>,
  mayConnect: (from: string, to: string) => boolean = () => true,
): void {
  const refs = links.refs;
  for (const n of names) {
    const o = ctx.opts(n);
    if (o.waitForDependencies === false) continue;
    const seen = new Set<string>();
    for (const r of refs.get(n)!) {
      if (!r.wait || seen.has(r.target)) continue;
      seen.add(r.target);
      const dep = services[r.target].webApp;
      if (!dep.service || !dep.ports.length) continue;
      if (!mayConnect(n, r.target)) {
        ctx.note(`${n} does not wait for ${r.target}: they share no Compose network, so the NetworkPolicies block the connection (as Compose networks do); put them on a common network if ${n} talks to ${r.target}`);
        continue;
      }
      // The wait-for container checks with `nc -z`, which speaks TCP only.
      const tcp = dep.ports.find((p) => p.protocol === Protocol.TCP);
      if (!tcp) {
        ctx.note(`${n} does not wait for ${r.target}: it listens on ${dep.ports.map((p) => `${p.containerPort}/${p.protocol}`).join(', ')} only, and the wait-for check speaks TCP`);
        continue;
      }
      const via = r.via === 'links' ? ['links'] : ['depends_on'];
      ctx.at(['services', n, ...via], () => services[n].webApp.waitFor(dep.name, tcp.servicePort));
    }
  }
}

/**
 * Rewrites the host names (see {@link hostSpans}) in a value of service `self` that are not valid DNS
 * names: service names and extra names (container_name, hostname, network and links aliases) become
 * their Service names (`my_db` → `my-db`). A service's references to itself are left alone.
 */
export function rewriteHosts(ctx: ComposeConversion, self: string, key: string | undefined, value: string, hostIndex: HostIndex): string {
  let out = value;
  for (const span of hostSpans(value, key).reverse()) {
    const entry = hostIndex.get(span.host.toLowerCase());
    // DNS is case-insensitive: only a name whose DNS form differs beyond case is rewritten.
    if (!entry || entry.target === self || entry.dns === span.host.toLowerCase()) continue;
    out = out.slice(0, span.index) + entry.dns + out.slice(span.index + span.host.length);
    ctx.note(`host name ${span.host} in ${show(value)} was rewritten to ${entry.dns}`);
  }
  return out;
}

/** Environment variable names whose value is a host (or a list of hosts, or an address/URL naming one). */
export const HOST_KEY = /(_HOST|_HOSTNAME|_ADDR|_ADDRESS|_URL|_URI|_SERVER)$/i;
const HOST_NAME = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';

/**
 * The host names a value names, with their positions: URL authorities (`redis://kvs:6379`,
 * `postgres://u:p@db/x`, `mongodb://a:1,b:2/`), `host:port` words, and, for keys ending in `_HOST`,
 * `_HOSTNAME`, `_ADDR`, `_ADDRESS`, `_URL`, `_URI` or `_SERVER`, the whole value or each of its
 * comma-separated items. Other words (`POSTGRES_DB: app_db`, `ROLE: worker`) are not hosts.
 */
export function hostSpans(value: string, key?: string): Array<{ readonly host: string; readonly index: number }> {
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
