// One Compose service rendered: its model as a WebApp, then its volumes, secrets and configs, and
// what its workload needs (StatefulSet, Recreate, hostname, working_dir), then its Ingress.
import { ComposeConversion } from './context';
import { EnvEntry, mountSecretsAndConfigs, renderEnvironment } from './env';
import { ServicePort, composeProbes, composeResources, newWebApp, webAppProps } from './model';
import { HostIndex, rewriteHosts } from './names';
import { ComposeServiceResult } from './props';
import { VolumeMount, VolumeNames, mountVolumes, tmpfsEntries } from './volumes';
import { setHostname, setWorkingDir, setWorkloadKind } from './workload';

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
}

/** Renders service `n`: its WebApp (as a Deployment or a StatefulSet), env Secret, volumes, mounts and Ingress. */
export function buildService(ctx: ComposeConversion, n: string, inputs: ServiceInputs): ComposeServiceResult {
  const s = ctx.service(n);
  const o = ctx.opts(n);
  const { name, ports } = inputs;
  const stateful = o.statefulSet ?? false;
  const rewrite = (value: string, key?: string) => rewriteHosts(ctx, n, key, value, inputs.hostIndex);

  const resources = composeResources(ctx, n);
  const probes = composeProbes(ctx, n);
  // env: literal values, secret-looking ones from a Secret
  const { env, envSecret } = renderEnvironment(ctx, n, name, inputs.env, rewrite);
  const props = webAppProps(ctx, n, { name, ports, env, mounts: inputs.mounts, tmpfs: tmpfsEntries(s), resources, probes, rewrite });
  const webApp = newWebApp(ctx, n, props);
  if (inputs.hostname !== undefined) setHostname(ctx, n, name, webApp, inputs.hostname, stateful);

  const volumeNames = new VolumeNames();
  const { claimTemplates, rwoClaim } = mountVolumes(ctx, n, webApp, inputs.mounts, inputs.volumeUsers, stateful, volumeNames);
  mountSecretsAndConfigs(ctx, n, webApp, volumeNames);

  if (s.working_dir) setWorkingDir(webApp, s.working_dir);
  setWorkloadKind(ctx, n, webApp, stateful, claimTemplates, rwoClaim);
  const ingress = props.ingress;
  if (ingress) ctx.at(['services', n], () => webApp.exposeViaIngress(ingress));
  return { composeName: n, name, webApp, workloadKind: stateful ? 'StatefulSet' : 'Deployment', aliasServices: {}, envSecret, ports };
}
