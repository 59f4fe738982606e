// A service's workload: what ComposeApp changes in the Deployment its WebApp renders. WebApp has no
// props for these, so each is a JSON patch of `webApp.deployment`, and all of them are here: the
// StatefulSet conversion, the Recreate strategy of a ReadWriteOnce volume, `hostname` and `working_dir`.
import { JsonPatch } from 'cdk8s';
import { Json } from '../k8s-object';
import { WebApp } from '../web-app';
import { ComposeConversion } from './context';

/**
 * Compose `hostname` is the container's own host name (and, since Docker 20.10, an extra DNS name for
 * the others: an extra Service, rendered by the caller): the pod's `spec.hostname`, except in a
 * StatefulSet, whose controller names each pod's host after the pod. `name`: the service's Kubernetes name.
 */
export function setHostname(ctx: ComposeConversion, n: string, name: string, webApp: WebApp, hostname: string, stateful: boolean): void {
  const s = ctx.service(n);
  if (stateful) {
    // The StatefulSet controller sets each pod's hostname to the pod name, overriding the template.
    ctx.note(`${n}: hostname ${s.hostname} is not applied: a StatefulSet names each pod's host after the pod (other services use ${name})`);
  } else {
    webApp.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostname', hostname));
    ctx.note(`${n}: hostname ${s.hostname} is the pod's spec.hostname${hostname === String(s.hostname).toLowerCase() ? '' : ` ${hostname}`} (its own host name, as in Compose)`);
  }
}

/** Compose `working_dir`: the container's `workingDir`. */
export function setWorkingDir(webApp: WebApp, workingDir: string): void {
  webApp.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/workingDir', workingDir));
}

/**
 * Makes the WebApp's Deployment a StatefulSet when `stateful` (RollingUpdate `updateStrategy`, the
 * Service as `serviceName`, the named volumes as `volumeClaimTemplates`, the autoscaler pointed at it).
 * Otherwise, when a ReadWriteOnce claim is mounted, refuses more than one replica and replaces the
 * RollingUpdate with Recreate: a new pod would wait for the old one to release the volume.
 */
export function setWorkloadKind(ctx: ComposeConversion, n: string, webApp: WebApp, stateful: boolean, claimTemplates: readonly Json[], rwoClaim: boolean): void {
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
      ctx.err(['services', n], `service ${n} mounts a ReadWriteOnce volume but runs ${webApp.maxReplicas} replicas, which cannot all attach it`,
        `set options.services.${n}.statefulSet: true (one claim per pod) or replicas: 1`);
    }
    // A RollingUpdate would start the new pod before the old one released the volume.
    webApp.deployment.addJsonPatch(JsonPatch.replace('/spec/strategy', { type: 'Recreate' }));
  }
}
