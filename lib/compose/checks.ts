// What ComposeApp refuses and what it ignores: the Compose keys with no Kubernetes equivalent.
import { Json } from '../k8s-object';
import { ValidationError, show, toDnsLabel, validateImage } from '../core';
import { ComposeConversion } from './context';
import { composeCommand } from './model';
import { parseUser } from './values';
import { BindMountPolicy } from './props';
import { bindMountFix, bindMountProblem, volumeMounts } from './volumes';

/** Compose service keys that are converted (or rejected with a clear error) by {@link ComposeApp}. */
const HANDLED_KEYS: ReadonlySet<string> = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose', 'deploy', 'scale', 'mem_limit',
  'mem_reservation', 'cpus', 'healthcheck', 'depends_on', 'links', 'container_name', 'hostname', 'networks', 'network_mode',
  'volumes', 'tmpfs', 'shm_size', 'secrets', 'configs', 'user', 'read_only', 'cap_add', 'cap_drop', 'stop_grace_period',
  'restart', 'working_dir', 'pull_policy', 'labels', 'profiles', 'privileged', 'pid', 'ipc', 'devices', 'volumes_from',
  'extends', 'userns_mode', 'external_links',
]);
const HANDLED_DEPLOY_KEYS: ReadonlySet<string> = new Set(['replicas', 'resources', 'restart_policy', 'mode']);

/**
 * Refuses what service `n` asks for that has no Kubernetes equivalent (privileged, host namespaces,
 * devices, a build-only service, a non-numeric user, a one-shot restart policy...) and adds the keys
 * it sets that are ignored to `ignored`.
 */
export function checkService(ctx: ComposeConversion, n: string, ignored: string[]): void {
  const s = ctx.service(n);
  const at = (k: string) => ['services', n, k];
  const o = ctx.opts(n);
  if (s.privileged === true) ctx.report(at('privileged'), 'privileged: true gives the container full access to the node', 'remove it; Kubernetes Pod Security rejects privileged pods, and no opt-in is offered');
  if (s.network_mode !== undefined && s.network_mode !== 'bridge' && s.network_mode !== 'default') {
    ctx.report(at('network_mode'), `network_mode ${show(s.network_mode)} has no Kubernetes equivalent (pods get their own network namespace)`,
      'remove network_mode; services reach each other through Services, and a shared network namespace means containers of one pod');
  }
  for (const k of ['pid', 'ipc', 'userns_mode'] as const) {
    if (s[k] !== undefined && s[k] !== null) ctx.report(at(k), `${k} ${show(s[k])} shares a host or container namespace`, `remove ${k}; Pod Security forbids host namespaces`);
  }
  if (s.devices?.length) ctx.report(at('devices'), `devices ${show(s.devices)} maps host devices`, 'remove devices; use a device plugin resource in options.services.' + n + '.resources instead');
  if (s.volumes_from?.length) ctx.report(at('volumes_from'), 'volumes_from shares another container\'s volumes', 'declare a named volume and mount it in both services');
  if (s.external_links?.length) ctx.report(at('external_links'), `external_links ${show(s.external_links)} name containers outside this application`, 'remove them; reach outside services by their DNS names in environment values');
  if (!s.image && !o.image) {
    ctx.report(['services', n], `service ${n} has ${s.build ? 'build but no image (a build-only service)' : 'no image'}`,
      `build and push the image, then set image: in the Compose file or ${ctx.advise({ option: 'image', service: n }, `options.services.${n}.image`)}`);
  } else checkImageTag(ctx, n);
  checkBindMounts(ctx, n);
  const extraCaps = (s.cap_add ?? []).map((c: string) => String(c).toUpperCase().replace(/^CAP_/, '')).filter((c: string) => c !== 'NET_BIND_SERVICE' && c !== 'ALL');
  if (extraCaps.length && !o.allowCapabilities) {
    ctx.report(at('cap_add'), `cap_add ${show(extraCaps)} adds capabilities that Pod Security "restricted" refuses (it allows only NET_BIND_SERVICE)`,
      `remove them if the service runs without, or ${ctx.advise({ option: 'allowCapabilities', service: n }, `set options.services.${n}.allowCapabilities: true`)} (the namespace then needs Pod Security "baseline" or laxer)`);
  }
  if (s.pull_policy === 'build') ctx.report(at('pull_policy'), 'pull_policy build builds the image locally', 'push the image to a registry and remove pull_policy');
  if (s.deploy?.mode === 'global') ctx.report(['services', n, 'deploy', 'mode'], 'deploy.mode global runs one container per node (a DaemonSet)', 'remove it; ComposeApp renders Deployments');
  if (s.user !== undefined && !parseUser(s.user) && o.runAsUser === undefined) {
    ctx.report(at('user'), `user ${show(s.user)} is not numeric; Kubernetes cannot look up names in the image`, `use user: "<uid>[:<gid>]" or ${ctx.advise({ option: 'runAsUser', service: n }, `set options.services.${n}.runAsUser`)}`);
  }
  const restart = s.restart ?? (s.deploy?.restart_policy?.condition === 'none' ? 'no' : s.deploy?.restart_policy?.condition);
  if (restart !== undefined && !['always', 'unless-stopped', 'any'].includes(restart) && !o.allowRestartAlways) {
    ctx.report(at(s.restart !== undefined ? 'restart' : 'deploy'), `restart ${show(restart)} asks not to restart a finished container, but a Deployment always restarts its pods`,
      `${ctx.advise({ option: 'allowRestartAlways', service: n }, `set options.services.${n}.allowRestartAlways: true`)} to run it as a Deployment anyway (or run it as a Job outside ComposeApp)`);
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
  for (const k of ['entrypoint', 'command'] as const) if (s[k] !== undefined && s[k] !== null) ctx.attempt(n, () => composeCommand(ctx, n, k));
}

/**
 * Reports an image of service `n` that its WebApp will refuse (not a valid reference, untagged or
 * `latest`) with the WebApp's own message, here so that every service's image problem is reported in
 * one run; the command line adds its flag for `allowMutableImageTag`.
 */
function checkImageTag(ctx: ComposeConversion, n: string): void {
  const o = ctx.opts(n);
  const image = ctx.imageOf(n)!;
  if (typeof image !== 'string') return; // the schema or WebApp reports it
  const at = ['services', n, ...(o.image === undefined ? ['image'] : [])];
  const flag = ctx.props.fixAdvice?.({ option: 'allowMutableImageTag', service: n });
  ctx.attempt(n, () => ctx.at(at, () => {
    try {
      validateImage(`WebApp '${o.name ?? toDnsLabel(n)}'`, 'image', image, o.allowMutableImageTag ?? false);
    } catch (e) {
      if (!(e instanceof ValidationError) || flag === undefined || !/allowMutableImageTag/.test(e.fix)) throw e;
      throw new ValidationError(e.owner, e.problem, `${e.fix} (${flag})`, e.prop);
    }
  }));
}

/** Reports every bind mount of service `n` when its bindMounts policy is ERROR (the default). */
function checkBindMounts(ctx: ComposeConversion, n: string): void {
  if ((ctx.opts(n).bindMounts ?? BindMountPolicy.ERROR) !== BindMountPolicy.ERROR) return;
  for (const m of ctx.attempt(n, () => volumeMounts(ctx, n)) ?? []) {
    if (m.kind !== 'bind') continue;
    ctx.report(m.at, bindMountProblem(m), bindMountFix(ctx, n));
  }
}

/** Adds the keys of the top-level `volumes`, `networks`, `secrets` and `configs` entries that are ignored to `ignored`. */
export function checkTopLevel(doc: Json, ignored: string[]): void {
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
}

/** Reports the ignored keys (`services.WEB.logging (line 12)`) in one warning, if there are any. */
export function warnIgnoredKeys(ctx: ComposeConversion, ignored: readonly string[]): void {
  if (!ignored.length) return;
  const source = ctx.source;
  const lines = ignored.map((k) => {
    // List indexes are numbers in the key path (`services.web.volumes.0.volume.nocopy`).
    const at = k.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x));
    const line = source.line(at) ?? source.line(k.split('.'));
    return line ? `${k} (line ${line})` : k;
  });
  (ctx.props.onWarning ?? ((m: string) => console.warn(m)))(
    `${ctx.owner}: ${source.file ?? 'compose'}: these Compose keys have no Kubernetes equivalent and were ignored: ${lines.join(', ')}`);
}
