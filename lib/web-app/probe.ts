// Readiness, liveness and startup probes, validated against the container's ports.
import { Duration } from 'cdk8s';
import { fail, show, validateInt, validatePort, wholeSeconds } from '../core';
import { ProbeAction, ProbeModel, Protocol } from '../k8s';
import type { ResolvedPort } from './types';

/** Timing options shared by every probe. */
export interface ProbeOptions {
  /** Wait before the first probe. @default - none (use a startup probe for slow starters) */
  readonly initialDelay?: Duration;
  /** How often to probe. @default Duration.seconds(10) */
  readonly period?: Duration;
  /** How long one probe may take. @default Duration.seconds(1) */
  readonly timeout?: Duration;
  /** Consecutive failures before the probe counts as failed. @default 3 */
  readonly failureThreshold?: number;
  /** Consecutive successes before the probe counts as passed (must be 1 for liveness and startup). @default 1 */
  readonly successThreshold?: number;
}

/** Options of network probes. */
export interface NetworkProbeOptions extends ProbeOptions {
  /**
   * Container port number or name to probe. A name must be one of the container's TCP ports (probes
   * connect over TCP). gRPC probes render the port's number, as `grpc.port` is an integer.
   * @default - the app's main port (by name; by number for gRPC)
   */
  readonly port?: number | string;
}

/** A readiness, liveness or startup probe. @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/ */
export class Probe {
  /** An HTTP GET; any status from 200 to 399 passes. `path` must start with '/'. */
  public static httpGet(path: string, options: NetworkProbeOptions & { readonly scheme?: 'HTTP' | 'HTTPS' } = {}): Probe {
    return new Probe('httpGet', options, { path, scheme: options.scheme }, options.port);
  }

  /** A TCP connect to the port. */
  public static tcp(options: NetworkProbeOptions = {}): Probe {
    return new Probe('tcpSocket', options, {}, options.port);
  }

  /** A command run inside the container; exit code 0 passes. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe('exec', options, { command: [...command] });
  }

  /** A gRPC health check (grpc.health.v1). A named port is rendered as its number (`grpc.port` is an integer). */
  public static grpc(options: NetworkProbeOptions & { readonly service?: string } = {}): Probe {
    return new Probe('grpc', options, { service: options.service }, options.port);
  }

  private constructor(
    private readonly kind: 'httpGet' | 'tcpSocket' | 'exec' | 'grpc',
    private readonly options: ProbeOptions,
    private readonly action: ProbeAction,
    private readonly port?: number | string,
  ) {}

  /**
   * Validates the probe for `owner` and returns its model (rendered by `renderProbe`). `defaultPort` is
   * the main port's name; `ports`, when given, are the container's ports, which a named probe port must
   * be one of.
   * @internal
   */
  public _validate(owner: string, prop: string, defaultPort: number | string | undefined, ports?: readonly ResolvedPort[]): ProbeModel {
    const o = this.options;
    if (this.kind === 'httpGet' && !String(this.action.path).startsWith('/')) {
      fail(owner, `${prop} path ${show(this.action.path)} does not start with '/'`, `use an absolute path such as '/${this.action.path}'`);
    }
    if (this.kind === 'exec' && this.action.command!.length === 0) fail(owner, `${prop} exec command is empty`, 'give the command to run');
    let port = this.port ?? defaultPort;
    if (this.kind !== 'exec' && port === undefined) fail(owner, `${prop} has no port and the app has no ports`, 'set the probe\'s port');
    if (typeof port === 'number') validatePort(owner, `${prop} port`, port);
    if (this.kind !== 'exec' && typeof port === 'string' && ports) {
      const named = ports.find((p) => p.name === port);
      if (!named) {
        fail(owner, `${prop} port ${show(port)} is not a port of the container (${ports.map((p) => p.name).join(', ') || 'it declares none'})`,
          'name one of the container\'s ports, or give a port number');
      }
      if (named.protocol !== Protocol.TCP) {
        fail(owner, `${prop} port ${show(port)} is ${named.protocol === Protocol.SCTP ? 'an' : 'a'} ${named.protocol} port, but ${this.kind} probes connect over TCP`,
          'probe a TCP port, or use Probe.exec([...])');
      }
      // grpc.port is an int32 in the API: a name would be rejected.
      if (this.kind === 'grpc') port = named.containerPort;
    }
    if (this.kind === 'grpc' && typeof port !== 'number') {
      fail(owner, `${prop} gRPC port ${show(port)} is not a number`, 'give the port number (grpc.port is an integer in the Kubernetes API)');
    }
    const seconds = (d: Duration | undefined, what: string, min: number) => (d === undefined ? undefined : wholeSeconds(owner, `${prop} ${what}`, d, min));
    if (o.failureThreshold !== undefined) validateInt(owner, `${prop} failureThreshold`, o.failureThreshold, 1);
    if (o.successThreshold !== undefined) validateInt(owner, `${prop} successThreshold`, o.successThreshold, 1);
    if (o.successThreshold !== undefined && o.successThreshold !== 1 && !prop.startsWith('readiness')) {
      fail(owner, `${prop} successThreshold ${o.successThreshold} is not 1`, 'Kubernetes requires successThreshold 1 for liveness and startup probes');
    }
    return {
      kind: this.kind,
      action: this.action,
      port,
      initialDelaySeconds: seconds(o.initialDelay, 'initialDelay', 0),
      periodSeconds: seconds(o.period, 'period', 1),
      timeoutSeconds: seconds(o.timeout, 'timeout', 1),
      failureThreshold: o.failureThreshold,
      successThreshold: o.successThreshold,
    };
  }
}
