// One Compose service rendered: its model as a WebApp (with its workload: StatefulSet, Recreate,
// hostname, working_dir), then its volumes, secrets and configs, then its Ingress.
import { EnvValue } from '../web-app';
import { ComposeConversion } from './context';
import { jvmResources } from './jvm';
import { secretRefsIn } from './secret-refs';
import { EnvEntry, mountSecretsAndConfigs, renderEnvironment } from './env';
import { ServicePort, composeProbes, composeResources, newWebApp, webAppProps } from './model';
import { HostIndex, rewriteHosts } from './names';
import { ComposeServiceResult } from './props';
import { VolumeMount, VolumeNames, mountVolumes, mountsReadWriteOnceClaim, tmpfsEntries } from './volumes';
import { checkReadWriteOnceReplicas, noteHostname, workloadProps } from './workload';

/** What the conversion knows about a service before it renders it. */
export interface ServiceInputs {
  /** Its Kubernetes name. */
  readonly name: string;
  /** Its container ports. */
  readonly ports: readonly ServicePort[];
  /** Its environment entries. */
  readonly env: readonly EnvEntry[];
  /** Its volume mounts. */
  readonly mounts: readonly VolumeMount[];
  /** Named volume → the services that mount it. */
  readonly volumeUsers: ReadonlyMap<string, readonly string[]>;
  /** The names containers resolve, for rewriting host names in values. */
  readonly hostIndex: HostIndex;
  /** The DNS name of its `hostname`, if it has one. */
  readonly hostname: string | undefined;
  /** Extra pod labels (its Compose networks), if any. */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/**
 * Fails when a command, entrypoint or healthcheck of service `n` refers to a secret variable (`${DB_PASSWORD}`)
 * that is not a Secret-backed variable of its environment `env`: the reference would expand to nothing.
 */
function checkSecretRefs(ctx: ComposeConversion, n: string, env: Readonly<Record<string, string | EnvValue>>): void {
  const s = ctx.service(n);
  for (const key of ['command', 'entrypoint', 'healthcheck'] as const) {
    for (const name of new Set(strings(s[key]).flatMap(secretRefsIn))) {
      if (env[name] instanceof EnvValue) continue;
      ctx.err(['services', n, key], `${key} uses the secret variable ${name}, which is not in the service's environment: its value is not written into a ${key}`,
        `add '${name}: \${${name}}' to the environment of ${n} (it is then read from a Secret, and the ${key} refers to it)`);
    }
  }
}

/** Every string in a Compose value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Renders service `n`: its WebApp (as a Deployment or a StatefulSet), env Secret, volumes, mounts and Ingress. */
export function buildService(ctx: ComposeConversion, n: string, inputs: ServiceInputs): ComposeServiceResult {
  const s = ctx.service(n);
  const o = ctx.opts(n);
  const { name, ports } = inputs;
  const stateful = o.statefulSet ?? false;
  const rewrite = (value: string, key?: string) => rewriteHosts(ctx, n, key, value, inputs.hostIndex);

  const command = ['entrypoint', 'command'].flatMap((k) => (s[k] === undefined || s[k] === null ? [] : [s[k]].flat().map(String)));
  let resources = composeResources(ctx, n) ?? jvmResources(ctx, n, inputs.env, command);
  if (resources === undefined && o.resources === undefined) ctx.unsized.push(n);
  // No CPU limit when the file says nothing about CPU (a limit throttles; none is invented): `null`
  // removes the default one. (A reservation alone keeps a limit at least as high, as before.)
  const fileCpu = s.cpus ?? s.deploy?.resources?.limits?.cpus ?? s.deploy?.resources?.reservations?.cpus;
  if (fileCpu === undefined && o.resources === undefined) resources = { ...resources, cpu: { ...resources?.cpu, limit: null } };
  const probes = composeProbes(ctx, n);
  // env: literal values, secret-looking ones from a Secret
  const { env, envSecret } = renderEnvironment(ctx, n, name, inputs.env, rewrite);
  checkSecretRefs(ctx, n, env);
  const readWriteOnceClaim = !stateful && mountsReadWriteOnceClaim(ctx, inputs.mounts);
  const workload = workloadProps(ctx, n, inputs.mounts, inputs.hostname, stateful, readWriteOnceClaim);
  const props = webAppProps(ctx, n, { name, ports, env, mounts: inputs.mounts, tmpfs: tmpfsEntries(s), resources, probes, rewrite, workload, podLabels: inputs.podLabels });
  const webApp = newWebApp(ctx, n, props);
  if (inputs.hostname !== undefined) noteHostname(ctx, n, name, inputs.hostname, stateful);

  const volumeNames = new VolumeNames();
  mountVolumes(ctx, n, webApp, inputs.mounts, inputs.volumeUsers, stateful, volumeNames);
  mountSecretsAndConfigs(ctx, n, webApp, volumeNames);

  if (readWriteOnceClaim) checkReadWriteOnceReplicas(ctx, n, webApp);
  const ingress = props.ingress;
  if (ingress) ctx.at(['services', n], () => webApp.exposeViaIngress(ingress));
  return { composeName: n, name, webApp, workloadKind: webApp.workloadKind, aliasServices: {}, envSecret, ports };
}
