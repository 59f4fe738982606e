// Service ports that differ from their container port: which are intended, as the manifests say it.
// The constructs write the annotation when the user sets a servicePort of their own; the audit reads it.

/**
 * Annotation on a Service listing (comma-separated) the names of its ports whose `port` differs from the
 * container port on purpose. WebApp writes it for each port given an explicit `servicePort` other than
 * its `containerPort`; `cdk8s-noops check` does not warn about the ports it lists. Add it by hand to
 * silence the warning on a Service written elsewhere.
 * @example
 * metadata:
 *   annotations:
 *     cdk8s-noops.io/intended-service-ports: tcp-redis,metrics
 */
export const INTENDED_SERVICE_PORTS_ANNOTATION = 'cdk8s-noops.io/intended-service-ports';

/** The port names listed in a Service's {@link INTENDED_SERVICE_PORTS_ANNOTATION} (none when absent or not a string). */
export function intendedServicePorts(annotations: unknown): string[] {
  const value = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>)[INTENDED_SERVICE_PORTS_ANNOTATION] : undefined;
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/**
 * Whether Service port `port` in front of the container port named `name` follows the HTTP convention:
 * 80 for a port named `http`, `http2` or `http-<suffix>` (WebApp's shorthand `port`), 443 for `https...`.
 * Such a port is what clients of an HTTP app expect, whatever the container listens on.
 */
export function isConventionalHttpPort(port: number, name: string): boolean {
  return (port === 80 && /^http2?(-|$)/.test(name)) || (port === 443 && /^https(-|$)/.test(name));
}
