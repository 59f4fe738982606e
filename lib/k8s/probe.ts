// Renders a container probe.
import { Json, compact } from '../core';

/** What a probe does, by kind: the fields of its `httpGet`, `tcpSocket`, `exec` or `grpc` object besides the port. */
export interface ProbeAction {
  /** httpGet: the URL path. @default - none */
  readonly path?: string;
  /** httpGet: `HTTP` or `HTTPS`. @default - Kubernetes' default (HTTP) */
  readonly scheme?: string;
  /** exec: the command. @default - none */
  readonly command?: readonly string[];
  /** grpc: the service name sent in the health check. @default - none */
  readonly service?: string;
}

/** A validated probe. */
export interface ProbeModel {
  /** The probe's kind, which is also its field in the rendered probe. */
  readonly kind: 'httpGet' | 'tcpSocket' | 'exec' | 'grpc';
  /** The kind's fields besides the port. */
  readonly action: ProbeAction;
  /** Port name or number (not for exec). @default - none */
  readonly port?: number | string;
  /** @default - Kubernetes' default */
  readonly initialDelaySeconds?: number;
  /** @default - Kubernetes' default */
  readonly periodSeconds?: number;
  /** @default - Kubernetes' default */
  readonly timeoutSeconds?: number;
  /** @default - Kubernetes' default */
  readonly failureThreshold?: number;
  /** @default - Kubernetes' default */
  readonly successThreshold?: number;
}

/** Renders a `readinessProbe`, `livenessProbe` or `startupProbe`. */
export function renderProbe(probe: ProbeModel): Json {
  const action = probe.kind === 'exec' ? probe.action : compact({ ...probe.action, port: probe.port });
  return compact({
    [probe.kind]: action,
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
    successThreshold: probe.successThreshold,
  });
}
