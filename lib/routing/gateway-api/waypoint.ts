import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewaySpec } from '../../../imports/gateway.networking.k8s.io';
import { manifest } from '../../k8s-object';
import { GATEWAY_API_V1 } from './api';

/** The GatewayClass of Istio's waypoint proxies. */
export const ISTIO_WAYPOINT_CLASS = 'istio-waypoint';
/** The name of a namespace's waypoint (what `istio.io/use-waypoint` names). */
export const WAYPOINT_NAME = 'waypoint';

/**
 * Istio ambient mode's waypoint for `namespace`: the Gateway `istioctl waypoint generate` writes
 * (class `istio-waypoint`, one listener `mesh` on 15008 speaking HBONE), for the namespace's Services
 * (`istio.io/waypoint-for: service`). Ambient mode applies L7 routes (HTTPRoutes on a Service, i.e.
 * GAMMA) only through a waypoint.
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 */
export function renderWaypoint(scope: Construct, id: string, namespace: string, labels: Readonly<Record<string, string>>): ApiObject {
  const spec: GatewaySpec = { gatewayClassName: ISTIO_WAYPOINT_CLASS, listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] };
  return manifest(scope, id, GATEWAY_API_V1, 'Gateway', {
    name: WAYPOINT_NAME,
    namespace,
    labels: { ...labels, 'istio.io/waypoint-for': 'service' },
    body: { spec },
  });
}
