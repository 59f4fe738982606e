// A WebApp's Service ports: their default (the container port; 80 for the shorthand `port`) and the
// annotation that marks the ones the user set to another number on purpose (read by `cdk8s-noops check`).
import { INTENDED_SERVICE_PORTS_ANNOTATION, isConventionalHttpPort } from '../core';
import type { ResolvedPort, WebAppProps } from './types';

/**
 * The Service port of the `i`-th port when the props give none: 80 for the shorthand `port` (one HTTP
 * port), the container port for each entry of `ports`.
 */
export function defaultServicePort(props: WebAppProps, containerPort: number): number {
  return props.ports === undefined ? 80 : containerPort;
}

/**
 * The Service's annotations: the props' own record, plus {@link INTENDED_SERVICE_PORTS_ANNOTATION} naming
 * each port whose `servicePort` the user set to a number other than its `containerPort`, except 80 (443) for an
 * `http` (`https`) port, the convention the check accepts anyway. The props' annotations win on that key;
 * the props' record itself when no port is remapped.
 */
export function serviceAnnotations(props: WebAppProps, ports: readonly ResolvedPort[]): Record<string, string> | undefined {
  const remapped = ports
    .filter((p, i) => props.ports?.[i]?.servicePort !== undefined && p.servicePort !== p.containerPort && !isConventionalHttpPort(p.servicePort, p.name))
    .map((p) => p.name);
  if (!remapped.length) return props.serviceAnnotations;
  return { [INTENDED_SERVICE_PORTS_ANNOTATION]: remapped.join(','), ...props.serviceAnnotations };
}
