import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, compact, manifest } from '../../k8s-object';
import { fail, recommendedLabels } from '../../core';
import { HashKey, ServicePortRef } from '../affinity-model';
import { IstioPortInput, IstioProtocolClass, istioPortProtocol } from './port-protocol';

/** The Istio renderer of a consistent-hash affinity: a DestinationRule per Service, hashing the key onto one pod. */

/** Istio's `consistentHash` block for `key`. */
export function consistentHashJson(key: HashKey): Json {
  if ('cookie' in key) return { httpCookie: compact({ name: key.cookie.name, path: key.cookie.path, ttl: `${key.cookie.ttlSeconds}s` }) };
  if ('header' in key) return { httpHeaderName: key.header };
  if ('queryParameter' in key) return { httpQueryParameterName: key.queryParameter };
  return { useSourceIp: true };
}

/**
 * Fails when `key` is an HTTP attribute (cookie, header, query parameter) but Istio proxies `port` of
 * Service `service` as opaque TCP or TLS, where no HTTP attribute can be read.
 */
export function checkHashablePort(owner: string, key: HashKey, service: string, port: IstioPortInput): void {
  if ('sourceIp' in key) return;
  const selected = istioPortProtocol(port);
  if (selected.class === IstioProtocolClass.OPAQUE) {
    fail(owner, `istioConsistentHash hashes an HTTP ${'cookie' in key ? 'cookie' : 'header' in key ? 'header' : 'query parameter'}, but port ${port.port}${port.name ? ` ('${port.name}')` : ''} of Service '${service}' is ${selected.reason}, which Istio proxies as opaque ${selected.tls ? 'TLS (a sidecar does not decrypt it)' : 'non-HTTP traffic'}, so the hash would be ignored`,
      'serve plain HTTP on a port named \'http\' or \'http-<suffix>\' (or appProtocol: \'http\'; Istio mTLS encrypts pod-to-pod traffic), or use sourceIp: true');
  }
}

/** The DestinationRule `<service>-sticky` (construct id `id`) that makes every Envoy hash `consistentHash` for `svc`. */
export function renderConsistentHashRule(scope: Construct, id: string, svc: ServicePortRef, consistentHash: Json): ApiObject {
  return manifest(scope, id, 'networking.istio.io/v1', 'DestinationRule', {
    name: `${svc.service}-sticky`,
    namespace: svc.namespace,
    labels: recommendedLabels({}),
    body: { spec: { host: svc.service, trafficPolicy: { loadBalancer: { consistentHash: { ...consistentHash } } } } },
  });
}
