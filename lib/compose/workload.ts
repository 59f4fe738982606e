// A service's workload, as WebApp props: a StatefulSet with the named volumes as claim templates when
// `statefulSet` is asked, Recreate for a Deployment mounting a ReadWriteOnce claim, `hostname` and
// `working_dir`. Pure prop building: the WebApp renders them.
import { UpdateStrategy, WebApp, WebAppProps, WorkloadKind } from '../web-app';
import { ComposeConversion } from './context';
import { VolumeMount, claimTemplates } from './volumes';

/** The workload props of a service's WebApp. */
export type WorkloadProps = Pick<WebAppProps, 'workloadKind' | 'volumeClaimTemplates' | 'updateStrategy' | 'hostname' | 'workingDir'>;

/**
 * The workload props of service `n`: a StatefulSet when `stateful` (RollingUpdate, the Service as
 * `serviceName`, the named volumes as `volumeClaimTemplates`, the autoscaler pointed at it); otherwise a
 * Deployment, with Recreate when `readWriteOnceClaim` (a RollingUpdate would start the new pod before
 * the old one released the volume). `hostname` (the DNS name of the service's Compose `hostname`) is the
 * pod's `spec.hostname`, except in a StatefulSet, whose controller names each pod's host after the pod.
 * `working_dir` is the container's `workingDir`.
 */
export function workloadProps(ctx: ComposeConversion, n: string, mounts: readonly VolumeMount[], hostname: string | undefined,
  stateful: boolean, readWriteOnceClaim: boolean): WorkloadProps {
  const workingDir: string | undefined = ctx.service(n).working_dir || undefined;
  if (stateful) {
    const templates = claimTemplates(ctx, mounts);
    return { workloadKind: WorkloadKind.STATEFUL_SET, volumeClaimTemplates: templates.length ? templates : undefined, workingDir };
  }
  return { updateStrategy: readWriteOnceClaim ? UpdateStrategy.RECREATE : undefined, hostname, workingDir };
}

/**
 * Notes what became of the Compose `hostname` of service `n` (its DNS name `hostname`; `name`: the
 * service's Kubernetes name): the pod's own host name, or, in a StatefulSet, nothing.
 */
export function noteHostname(ctx: ComposeConversion, n: string, name: string, hostname: string, stateful: boolean): void {
  const s = ctx.service(n);
  if (stateful) {
    // The StatefulSet controller sets each pod's hostname to the pod name, overriding the template.
    ctx.note(`${n}: hostname ${s.hostname} is not applied: a StatefulSet names each pod's host after the pod (other services use ${name})`);
  } else {
    ctx.note(`${n}: hostname ${s.hostname} is the pod's spec.hostname${hostname === String(s.hostname).toLowerCase() ? '' : ` ${hostname}`} (its own host name, as in Compose)`);
  }
}

/**
 * Refuses more than one replica of service `n` when it mounts a ReadWriteOnce claim in a Deployment:
 * pods on other nodes could not attach it.
 */
export function checkReadWriteOnceReplicas(ctx: ComposeConversion, n: string, webApp: WebApp): void {
  if ((webApp.replicas ?? webApp.maxReplicas) > 1) {
    ctx.err(['services', n], `service ${n} mounts a ReadWriteOnce volume but runs ${webApp.maxReplicas} replicas, which cannot all attach it`,
      `${ctx.advise({ option: 'statefulSet', service: n }, `set options.services.${n}.statefulSet: true`)} (one claim per pod) or replicas: 1`);
  }
}
