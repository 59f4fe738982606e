import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { INTENDED_SERVICE_PORTS_ANNOTATION } from '../core';
import { compact, manifest } from '../k8s-object';
import { ReleaseRouting } from './model';

/**
 * The Service `<name>` over every version of the app: the host in-mesh callers use, whatever renders
 * the routes (an Istio VirtualService today; a GAMMA HTTPRoute's parent later).
 */
export function renderAppService(scope: Construct, model: ReleaseRouting): ApiObject {
  return renderAppServiceAs(scope, 'Service', model.app.name, model);
}

/**
 * A Service like {@link renderAppService}'s under another id and name: the Services a delivery
 * controller points at one ReplicaSet (Argo Rollouts' `<name>-stable`, `<name>-canary`, `<name>-preview`).
 */
export function renderAppServiceAs(scope: Construct, id: string, name: string, model: ReleaseRouting): ApiObject {
  const app = model.app;
  return manifest(scope, id, 'v1', 'Service', {
    name,
    labels: app.labels,
    annotations: app.intendedServicePorts?.length ? { [INTENDED_SERVICE_PORTS_ANNOTATION]: app.intendedServicePorts.join(',') } : undefined,
    body: {
      spec: {
        type: 'ClusterIP',
        selector: { ...app.selector },
        ports: app.ports.map((p) => compact({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol, appProtocol: p.appProtocol })),
      },
    },
  });
}
