// A StatefulSet WebApp's governing Service: headless, so that each pod gets a stable DNS name
// (`<pod>.<governing>.<namespace>.svc`, e.g. `db-0.db-headless`), beside the ClusterIP Service clients use.
import { Json, fail } from '../core';
import { ServiceType, WorkloadKind, renderServiceSpec } from '../k8s';
import { WebAppModel, WebAppState } from './model';
import { serviceModel } from './render';

/** The suffix of the governing Service's name. */
const SUFFIX = '-headless';

/**
 * The name of the governing Service of the WebApp `m`: its own Service when that is headless already,
 * `<name>-headless` for a StatefulSet with another Service type, `undefined` otherwise (a Deployment, or no Service).
 */
export function governingServiceName(m: Pick<WebAppModel, 'owner' | 'name' | 'workloadKind' | 'serviceType'> & { readonly service?: unknown }): string | undefined {
  if (m.workloadKind !== WorkloadKind.STATEFUL_SET || !m.service) return undefined;
  if (m.serviceType === ServiceType.HEADLESS) return m.name;
  const name = `${m.name}${SUFFIX}`;
  if (name.length > 63) {
    fail(m.owner, `name '${m.name}' is too long for the StatefulSet's governing Service '${name}' (at most 63 characters)`,
      `use a name of at most ${63 - SUFFIX.length} characters, or serviceType: ServiceType.HEADLESS (the app's Service then governs)`, 'name');
  }
  return name;
}

/**
 * The governing Service's `spec`: the app's ports, `clusterIP: None`, and `publishNotReadyAddresses`,
 * so that pods find each other by name while they start (a database replica joining its primary), as the
 * StatefulSet docs advise; clients keep using the ClusterIP Service, which lists ready pods only.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
 */
export function governingServiceSpec(m: WebAppModel, s: WebAppState): Json {
  const service = serviceModel(m, s);
  return renderServiceSpec({ type: ServiceType.HEADLESS, selector: service.selector, ports: service.ports.map((p) => ({ ...p, nodePort: undefined })), publishNotReadyAddresses: true });
}
