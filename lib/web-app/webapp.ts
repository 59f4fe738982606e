// The WebApp construct: validates its props into a model (validate.ts), creates its objects, and renders
// their specs at synth (render.ts), so that what its methods add after construction is included.
import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, fail, isDnsName, show, toDnsLabel, validateAnnotations, validateInt, validatePort, validateQuantity, wholeSeconds } from '../core';
import {
  ExternalTrafficPolicy, IngressPathModel, NetworkPolicyPort, PathType, Protocol, ServiceType, emptyDirVolume,
  type ServiceModel, WorkloadKind, renderServiceAccount, volumeMount,
} from '../k8s';
import { manifest, withChildSlots } from '../k8s-object';
import { AppRegistry, checkUniqueObjects } from '../registry';
import { namespacePodSecurityErrors } from './pod-security';
import { NAMESPACES } from '../routing/traffic-facts';
import { implicitRules } from './default-isolation';
import { collisionErrors, registerCollisionFacts } from './collisions';
import { registerIngress, registerPodTemplate } from './traffic-facts';
import { governingServiceName, governingServiceSpec } from './governing-service';
import { BUSYBOX_IMAGE } from './defaults';
import { EnvFrom, EnvValue, envEntry, envFromEntry } from './env';
import { GatewayExposure, GatewayExposureOptions } from './gateway-exposure';
import { WebAppModel, WebAppState } from './model';
import { NetworkIsolation, rulePorts } from './network-isolation';
import { NetworkPeer } from './network-peer';
import { hpaSpec, ingressSpec, pdbSpec, serviceModel, serviceSpec, workloadSpec } from './render';
import { IngressOptions, InitContainerOptions, IsolateOptions, ResolvedPort, WebAppProps } from './types';
import { helperContainer, validateIngressOptions, validateWebApp, volumeNameFor } from './validate';

/**
 * An HTTP (or TCP) service: a Deployment (or, with `workloadKind`, a StatefulSet) and a Service named
 * exactly `name`, hardened to Pod Security Standards "restricted" by default, with zero-downtime
 * rollouts, probes, bounded resources, spread over nodes and zones, a default-deny NetworkPolicy, and optional
 * Ingress, HPA, PodDisruptionBudget and ServiceAccount.
 *
 * @example
 * const web = new WebApp(chart, 'echo', { image: 'hashicorp/http-echo:1.0', port: 5678, args: ['-text=hello'] });
 * web.exposeViaIngress({ host: 'echo.example.com' });
 */
export class WebApp extends Construct {
  /** Name of the workload, Service and container. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** The image. */
  public readonly image: string;
  /** The `version` label value. */
  public readonly version: string;
  /** Labels on the pods. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Labels the Deployment and Service select on. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Resolved container ports; the first is the main port. */
  public readonly ports: readonly ResolvedPort[];
  /** Fixed replicas, or `undefined` when an HPA owns the count. */
  public readonly replicas: number | undefined;
  /** Lowest number of replicas the app can run with (replicas, or the HPA minimum). */
  public readonly minReplicas: number;
  /** Highest number of replicas the app can run with. */
  public readonly maxReplicas: number;
  /** The rendered resources of the app container. */
  public readonly resources: Json;
  /** The Service type. */
  public readonly serviceType: ServiceType;

  /** The workload: a Deployment, or a StatefulSet when `workloadKind` says so. */
  public readonly workload: ApiObject;
  /** The workload's kind. */
  public readonly workloadKind: WorkloadKind;
  /**
   * The workload (a Deployment unless `workloadKind` says StatefulSet): the same object as
   * {@link workload}, under the name it always had.
   */
  public readonly deployment: ApiObject;
  /** The Service (`undefined` when `createService: false`). */
  public readonly service?: ApiObject;
  /**
   * A StatefulSet's governing Service `<name>-headless` (`clusterIP: None`), its `serviceName`, so that
   * `<pod>.<name>-headless` resolves; undefined for a Deployment, without a Service, or when the app's own
   * Service is headless (it governs then).
   */
  public readonly governingService?: ApiObject;
  /** The ServiceAccount, when `createServiceAccount` is set. */
  public readonly serviceAccount?: ApiObject;
  /** The HorizontalPodAutoscaler, when `autoscaling` is set. */
  public readonly horizontalPodAutoscaler?: ApiObject;
  /** The PodDisruptionBudget, if any. */
  public readonly podDisruptionBudget?: ApiObject;

  private _networkPolicy?: ApiObject;
  private _ingress?: ApiObject;
  private _gatewayExposure?: GatewayExposure;
  private readonly owner: string;
  /** The validated props. */
  private readonly model: WebAppModel;
  /** What the methods below change; rendered at synth. */
  private readonly state: WebAppState;
  private readonly isolation = new NetworkIsolation();

  public constructor(scope: Construct, id: string, props: WebAppProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    const { model, state } = validateWebApp(this, id, props);
    this.model = model;
    this.state = state;
    this.owner = model.owner;
    this.name = model.name;
    this.namespace = model.namespace;
    this.image = model.image;
    this.version = model.version;
    this.podLabels = model.podLabels;
    this.selectorLabels = model.selectorLabels;
    this.ports = model.ports;
    this.replicas = model.replicas;
    this.minReplicas = model.minReplicas;
    this.maxReplicas = model.maxReplicas;
    this.resources = model.resources;
    this.serviceType = model.serviceType;
    this.workloadKind = model.workloadKind;
    // (The claim templates become pod volumes too: an emptyDir must not take one of their names.)
    model.writablePaths.forEach((path) => this.addEmptyDir(volumeNameFor(path, [...state.volumes, ...model.volumeClaimTemplates]), path));

    // The objects, rendered at synth from the model and state. Construct ids and order are part of the tree's shape.
    const meta = { namespace: model.givenNamespace, labels: model.objectLabels };
    if (model.createServiceAccount) {
      this.serviceAccount = manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
        ...meta, name: this.name, body: renderServiceAccount({ automountServiceAccountToken: model.automountServiceAccountToken }),
      });
    }
    // The construct id stays 'Deployment' whatever the kind: ids are part of the tree's shape.
    const governing = governingServiceName(model);
    this.workload = manifest(this, 'Deployment', 'apps/v1', model.workloadKind, {
      ...meta, name: this.name, body: { spec: Lazy.any({ produce: () => workloadSpec(model, state, governing) }) },
    });
    this.deployment = this.workload;
    if (model.service) {
      this.service = manifest(this, 'Service', 'v1', 'Service', {
        ...meta, name: this.name, annotations: model.service.annotations, body: { spec: Lazy.any({ produce: () => serviceSpec(model, state) }) },
      });
    }
    if (governing !== undefined && governing !== this.name) {
      this.governingService = manifest(this, 'HeadlessService', 'v1', 'Service', {
        ...meta, name: governing, body: { spec: Lazy.any({ produce: () => governingServiceSpec(model, state) }) },
      });
    }
    if (model.autoscaling) {
      this.horizontalPodAutoscaler = manifest(this, 'HorizontalPodAutoscaler', 'autoscaling/v2', 'HorizontalPodAutoscaler', {
        ...meta, name: this.name, body: { spec: Lazy.any({ produce: () => hpaSpec(model) }) },
      });
    }
    if (model.disruptionBudget.field !== 'none') {
      this.podDisruptionBudget = manifest(this, 'PodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget', {
        ...meta, name: this.name, body: { spec: Lazy.any({ produce: () => pdbSpec(model) }) },
      });
    }

    if (model.networkIsolation) {
      this.isolation.ingressIsolated = true;
      this.isolation.egressIsolated = true;
      this.ensureNetworkPolicy();
    }
    registerCollisionFacts(this);
    registerPodTemplate(this, model, state);
    this.node.addValidation({
      validate: () => [...model.synthErrors, ...this.validateExposure(), ...collisionErrors(this), ...namespacePodSecurityErrors(this, this.owner, model.security, this.namespace)],
    });
  }

  /** Synth-time check: see {@link NetworkIsolation.exposureErrors}. */
  private validateExposure(): string[] {
    // A default-isolated app allows its exposure itself (default-isolation.ts).
    if (this.model.networkIsolation) return [];
    const external = this.service !== undefined && (this.serviceType === ServiceType.NODE_PORT || this.serviceType === ServiceType.LOAD_BALANCER);
    return this.isolation.exposureErrors(this.owner, this._ingress ? this.name : undefined, external ? this.serviceType : undefined);
  }

  /**
   * The NetworkPolicy: the default-deny one (`networkIsolation`, the default), or with
   * `networkIsolation: false` once {@link isolate}, {@link allowFrom} or {@link allowTo} was called.
   */
  public get networkPolicy(): ApiObject | undefined {
    return this._networkPolicy;
  }

  /** The Ingress, once {@link exposeViaIngress} was called. */
  public get ingress(): ApiObject | undefined {
    return this._ingress;
  }

  /**
   * Client-IP session affinity: kube-proxy sends every connection from one client IP to the same pod
   * for `timeout` after the client's last connection (`sessionAffinity: ClientIP`,
   * `sessionAffinityConfig.clientIP.timeoutSeconds`, 1s-24h). For NodePort and LoadBalancer Services
   * it also sets `externalTrafficPolicy: Local`: with `Cluster`, a node forwarding to a pod on another
   * node SNATs the packet to its own IP, so kube-proxy would see the node, not the client, and pin
   * whole nodes' worth of users to one pod. Only callers whose packets reach kube-proxy with their own
   * IP stick: not traffic through an Ingress controller or other proxy, not mesh (Envoy) callers.
   * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
   */
  public setSessionAffinity(timeout: Duration = Duration.hours(3)): void {
    if (!this.service) fail(this.owner, 'setSessionAffinity needs a Service', 'give the app a port and keep createService');
    if (this.serviceType === ServiceType.HEADLESS) {
      fail(this.owner, 'session affinity on a headless Service does nothing (DNS returns the pod IPs; kube-proxy is not involved)', 'use serviceType CLUSTER_IP, NODE_PORT or LOAD_BALANCER');
    }
    const seconds = wholeSeconds(this.owner, 'session affinity timeout', timeout);
    validateInt(this.owner, 'session affinity timeout (seconds)', seconds, 1, 86400);
    if (this.serviceType === ServiceType.NODE_PORT || this.serviceType === ServiceType.LOAD_BALANCER) {
      if (this.state.externalTrafficPolicy === ExternalTrafficPolicy.CLUSTER) {
        fail(this.owner, 'externalTrafficPolicy Cluster SNATs external clients to node IPs, so ClientIP session affinity would pin by node, not by client',
          'remove externalTrafficPolicy (session affinity sets Local) or set it to ExternalTrafficPolicy.LOCAL');
      }
      this.state.externalTrafficPolicy = ExternalTrafficPolicy.LOCAL;
    }
    this.state.sessionAffinityTimeoutSeconds = seconds;
  }

  /** The ClientIP session affinity timeout in seconds, once {@link setSessionAffinity} was called. */
  public get sessionAffinityTimeout(): number | undefined {
    return this.state.sessionAffinityTimeoutSeconds;
  }

  /**
   * The Service as data (type, ports, traffic policy, affinity): what {@link service} renders, for
   * constructs that route to this app and must not read its rendered output. Undefined without a Service.
   */
  public serviceModel(): ServiceModel | undefined {
    return this.service ? serviceModel(this.model, this.state) : undefined;
  }

  /** The main port (the first one), if any. */
  public get mainPort(): ResolvedPort | undefined {
    return this.ports[0];
  }

  /** In-cluster DNS name of the Service (`<name>` in the same namespace, `<name>.<ns>.svc` otherwise). */
  public get host(): string {
    return this.namespace ? `${this.name}.${this.namespace}.svc` : this.name;
  }

  /** Names of the env vars set so far. */
  public get envNames(): string[] {
    return this.state.env.map((e) => e.name);
  }

  /**
   * Adds an environment variable to the app container. Throws if the name is invalid or already set.
   */
  public addEnv(name: string, value: string | EnvValue): void {
    const entry = envEntry(this.owner, name, value);
    if (this.state.env.some((e) => e.name === name)) {
      fail(this.owner, `env var ${show(name)} is already set`, 'use another name (or a prefix), or remove the earlier definition');
    }
    this.state.env.push(entry);
  }

  /** Imports a whole Secret or ConfigMap as env. */
  public addEnvFrom(source: EnvFrom): void {
    this.state.envFrom.push(envFromEntry(this.owner, `envFrom[${this.state.envFrom.length}]`, source));
  }

  /** Adds a pod annotation (the key must be a qualified name such as `example.com/team`). */
  public addPodAnnotation(key: string, value: string): void {
    validateAnnotations(this.owner, 'pod annotation', { [key]: value });
    this.state.podAnnotations[key] = value;
    registerPodTemplate(this, this.model, this.state);
  }

  /**
   * Mounts an emptyDir at `path` in the app container (`medium: Memory` for tmpfs), bounded by
   * `sizeLimit` (default: the app's `emptyDirSizeLimit`, '1Gi' unless set).
   */
  public addEmptyDir(volumeName: string, path: string, options: { readonly medium?: 'Memory'; readonly sizeLimit?: string } = {}): void {
    if (options.sizeLimit) validateQuantity(this.owner, `emptyDir ${volumeName} sizeLimit`, options.sizeLimit, 'storage');
    this.addVolume(emptyDirVolume(volumeName, { ...options, sizeLimit: options.sizeLimit || this.model.emptyDirSizeLimit }), { mountPath: path });
  }

  /**
   * Adds a pod volume and mounts it in the app container. `volume` is a `volumes[]` entry (with `name`),
   * `mount` a `volumeMounts[]` entry without its name.
   */
  public addVolume(volume: Json, mount: { readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }): void {
    const { volumes, mounts } = this.state;
    if (volumes.some((v) => v.name === volume.name) || this.model.volumeClaimTemplates.some((t) => t.name === volume.name)) {
      fail(this.owner, `volume ${show(volume.name)} already exists`, 'use another volume name');
    }
    if (mounts.some((m) => m.mountPath === mount.mountPath)) fail(this.owner, `mount path ${show(mount.mountPath)} is already mounted`, 'mount each path once');
    volumes.push(volume);
    mounts.push(volumeMount(volume.name, mount));
  }

  /**
   * Mounts a volume the pod spec does not list itself (e.g. a StatefulSet `volumeClaimTemplates`
   * entry, which the StatefulSet controller adds to each pod) in the app container.
   */
  public addVolumeMount(volumeName: string, mount: { readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }): void {
    const { volumes, mounts } = this.state;
    if (volumes.some((v) => v.name === volumeName) || mounts.some((m) => m.name === volumeName)) fail(this.owner, `volume ${show(volumeName)} already exists`, 'use another volume name');
    if (mounts.some((m) => m.mountPath === mount.mountPath)) fail(this.owner, `mount path ${show(mount.mountPath)} is already mounted`, 'mount each path once');
    mounts.push(volumeMount(volumeName, mount));
  }

  /** Adds an init container, hardened like the app container (same uid, restricted security context). */
  public addInitContainer(options: InitContainerOptions): Json {
    if (this.state.initContainers.some((c) => c.name === options.name) || options.name === this.name) {
      fail(this.owner, `init container name ${show(options.name)} is already used by ${options.name === this.name ? 'the app container' : 'another init container'}`,
        'add the container once, or give it another name (addInitContainer\'s name option, or waitFor\'s name argument)');
    }
    const c = helperContainer(this.owner, this.model.security, options);
    this.state.initContainers.push(c);
    return c;
  }

  /**
   * Adds an init container that waits until `host:port` accepts TCP connections, so the app does not
   * crash-loop while a dependency starts.
   */
  public waitFor(host: string, port: number, name?: string): Json {
    validatePort(this.owner, 'waitFor port', port);
    if (!isDnsName(host, false)) fail(this.owner, `waitFor host ${show(host)} is not a DNS name`, 'use a Service name such as \'db\' or \'db.shop.svc\'');
    return this.addInitContainer({
      name: name ?? toDnsLabel(`wait-for-${host.split('.')[0]}`),
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', `until nc -z -w 2 ${host} ${port}; do echo waiting for ${host}:${port}; sleep 2; done`],
    });
  }

  /**
   * Isolates the pods: a NetworkPolicy named like the app denies all ingress (and, with
   * `egress: true`, all egress but DNS) except what {@link allowFrom} / {@link allowTo} declare. Under
   * `networkIsolation` (the default) both directions are isolated already; this call only matters with
   * `networkIsolation: false`.
   * `egress: true` does not turn ingress isolation off (pass `ingress: false` for that). Synth fails if
   * ingress is isolated with no allowed peer at all while the app is exposed through
   * {@link exposeViaIngress} or a NodePort/LoadBalancer Service: allow the Ingress controller's
   * namespace (`allowFrom(NetworkPeer.namespace('ingress-nginx'))`) or the clients' `ipBlock`.
   */
  public isolate(options: IsolateOptions = {}): ApiObject {
    if (options.ingress ?? true) this.isolation.ingressIsolated = true;
    if (options.egress) this.isolation.egressIsolated = true;
    return this.ensureNetworkPolicy();
  }

  /**
   * Allows ingress from `peer` (to `port`, default every container port of the pod, sidecars' included,
   * such as the metrics exporter's 9113) and isolates ingress. `port` must be one of those ports.
   * When the peer is a WebApp with isolated egress, its egress to this app is allowed too.
   */
  public allowFrom(peer: WebApp | NetworkPeer, port?: number): void {
    const p = peer instanceof WebApp ? NetworkPeer.webApp(peer) : peer;
    const ports = this.rulePorts(port);
    this.isolation.ingressPeers.push({ peer: p, ports });
    if (p.app) p.app.isolation.egressPeers.push({ peer: NetworkPeer.webApp(this), ports });
    this.isolate({ ingress: true });
  }

  /**
   * Allows egress to `peer` (to `port`, default every container port of a WebApp peer's pods, sidecars'
   * included; any port otherwise) and
   * isolates egress (DNS stays allowed). When the peer is a WebApp, its ingress from this app is allowed too.
   */
  public allowTo(peer: WebApp | NetworkPeer, port?: number): void {
    const p = peer instanceof WebApp ? NetworkPeer.webApp(peer) : peer;
    const ports = p.app ? p.app.rulePorts(port) : port !== undefined ? this.rulePorts(port, true) : undefined;
    this.isolation.egressPeers.push({ peer: p, ports });
    if (p.app) p.app.isolation.ingressPeers.push({ peer: NetworkPeer.webApp(this), ports });
    this.isolate({ ingress: false, egress: true });
  }

  /**
   * Declares egress to `peer` like {@link allowTo} but does not isolate egress: the rule is rendered only
   * if the app's egress is isolated, whether {@link isolate} / {@link allowTo} is called before or after.
   * For libraries that must keep an egress-isolated app working without isolating apps that are not.
   */
  public allowToIfEgressIsolated(peer: NetworkPeer, port?: number): void {
    this.isolation.egressPeers.push({ peer, ports: port !== undefined ? this.rulePorts(port, true) : undefined });
  }

  /**
   * Declares ingress from `peer` like {@link allowFrom} but does not isolate ingress: the rule is rendered
   * only if the app's ingress is isolated (by `networkIsolation`, {@link isolate} or another allowFrom).
   * For constructs that route to the app (a gateway, an Ingress controller) and must keep an isolated app
   * reachable without isolating apps that are not.
   */
  public allowFromIfIngressIsolated(peer: NetworkPeer, port?: number): void {
    this.isolation.ingressPeers.push({ peer, ports: this.rulePorts(port) });
  }

  /**
   * Lets the Ingress controller's pods (every pod of `ingressControllerNamespace`, 'ingress-nginx' by
   * default) reach the app if its ingress is isolated, as {@link allowFromIfIngressIsolated}: for
   * constructs that route an Ingress of their own to the app (StickyIngress). {@link exposeViaIngress}
   * needs no call.
   */
  public allowFromIngressController(port?: number): void {
    this.allowFromIfIngressIsolated(NetworkPeer.namespace(this.model.ingressControllerNamespace), port);
  }

  /**
   * Routes external HTTP traffic to the app's main Service port through an Ingress named like the app.
   * Calling it again adds rules to the same Ingress.
   */
  public exposeViaIngress(options: IngressOptions = {}): ApiObject {
    if (!this.service || !this.mainPort) fail(this.owner, 'exposeViaIngress needs a Service', 'give the app a port and keep createService');
    const path = validateIngressOptions(this.owner, options);
    const state = this.state;
    if (options.className !== undefined) {
      if (state.ingressClassName !== undefined && state.ingressClassName !== options.className) {
        fail(this.owner, `ingress className ${show(options.className)} differs from ${show(state.ingressClassName)} given earlier`, 'use one IngressClass per app');
      }
      state.ingressClassName = options.className;
    }
    const httpPath: IngressPathModel = { path, pathType: options.pathType ?? PathType.PREFIX, backend: { serviceName: this.name, port: this.mainPort.name } };
    const existing = state.ingressRules.find((r) => r.host === options.host);
    if (existing) existing.paths.push(httpPath);
    else state.ingressRules.push({ host: options.host, paths: [httpPath] });
    if (options.tlsSecretName) {
      if (!options.host) fail(this.owner, 'ingress tlsSecretName needs a host', 'set host');
      const tls = state.ingressTls.find((t) => t.secretName === options.tlsSecretName);
      if (tls) tls.hosts.push(options.host);
      else state.ingressTls.push({ hosts: [options.host], secretName: options.tlsSecretName });
    }
    if (!this._ingress) {
      this._ingress = manifest(this, 'Ingress', 'networking.k8s.io/v1', 'Ingress', {
        name: this.name,
        namespace: this.namespace,
        labels: { ...this.model.objectLabels },
        body: { spec: Lazy.any({ produce: () => ingressSpec(state) }) },
      });
    }
    for (const [key, value] of Object.entries(options.annotations ?? {})) this._ingress.metadata.addAnnotation(key, value);
    registerIngress(this, this._ingress, state);
    return this._ingress;
  }

  /**
   * Routes external HTTP traffic to the app's main Service port through a Gateway API Gateway: an
   * HTTPRoute named like the app (hostnames, the path, `parentRefs` to the Gateway and optionally one
   * listener), checked at once against the listeners of a {@link Gateway} of this app (protocol,
   * allowed namespaces, hostnames). With `routePlacement: GATEWAY_NAMESPACE` the route lives in the
   * Gateway's namespace and a ReferenceGrant in the app's allows it to name the Service. When the app's
   * ingress is isolated, its NetworkPolicy admits the Gateway's proxies (`gatewayPeer`) on the main
   * port. Calling it again adds paths to the same route. The successor of {@link exposeViaIngress}
   * (community ingress-nginx is retired since March 2026).
   *
   * @example
   * const gw = new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'echo.example.com' }] });
   * web.exposeViaGateway({ gateway: gw, hostnames: ['echo.example.com'] });
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  public exposeViaGateway(options: GatewayExposureOptions): ApiObject {
    if (!this.service || !this.mainPort) fail(this.owner, 'exposeViaGateway needs a Service', 'give the app a port and keep createService');
    if (this._gatewayExposure) {
      this._gatewayExposure.add(options);
      return this._gatewayExposure.route;
    }
    const exposure = new GatewayExposure({
      scope: this, owner: this.owner, name: this.name, namespace: this.namespace, labels: this.model.objectLabels, servicePort: this.mainPort.servicePort,
    }, options);
    this._gatewayExposure = exposure;
    this.isolation.ingressPeers.push({ peer: exposure.peer, ports: this.rulePorts(this.mainPort.containerPort) });
    return exposure.route;
  }

  /** The HTTPRoute, once {@link exposeViaGateway} was called. */
  public get httpRoute(): ApiObject | undefined {
    return this._gatewayExposure?.route;
  }

  /** The ReferenceGrant that lets the HTTPRoute in the Gateway's namespace name the Service (`routePlacement: GATEWAY_NAMESPACE`, other namespace). */
  public get referenceGrant(): ApiObject | undefined {
    return this._gatewayExposure?.referenceGrant;
  }

  /** Every container port of the pod: the app container's, then its sidecars' (e.g. the metrics exporter's 9113). */
  private podPorts(): Array<{ containerPort: number; protocol: Protocol }> {
    return [...this.ports, ...this.state.sidecars.flatMap((c) => (c.ports ?? []) as Array<{ containerPort: number; protocol: Protocol }>)];
  }

  private rulePorts(port?: number, anyPort = false): NetworkPolicyPort[] | undefined {
    return rulePorts(this.owner, this.podPorts(), port, anyPort);
  }

  /** The rules a default-isolated app allows besides its declared peers (none with `networkIsolation: false`). */
  private implicitRules(): { ingress: Json[]; egress: Json[] } {
    if (!this.model.networkIsolation) return { ingress: [], egress: [] };
    const main = this.mainPort;
    const external = this.service !== undefined && (this.serviceType === ServiceType.NODE_PORT || this.serviceType === ServiceType.LOAD_BALANCER);
    const meshInjection = this.namespace === undefined ? undefined
      : AppRegistry.of(this).facts(NAMESPACES).find((f) => f.fact.name === this.namespace)?.fact.meshInjection;
    return implicitRules({
      namespace: this.namespace,
      ingressPort: this._ingress && main ? { port: main.containerPort, protocol: main.protocol } : undefined,
      ingressControllerNamespace: this.model.ingressControllerNamespace,
      externalPorts: external ? this.ports.map((p) => ({ port: p.containerPort, protocol: p.protocol })) : undefined,
      meshInjection,
    });
  }

  private ensureNetworkPolicy(): ApiObject {
    if (this._networkPolicy) return this._networkPolicy;
    this._networkPolicy = manifest(this, 'NetworkPolicy', 'networking.k8s.io/v1', 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      labels: { ...this.model.objectLabels },
      body: { spec: Lazy.any({ produce: () => this.isolation.renderSpec(this.selectorLabels, this.namespace, this.implicitRules()) }) },
    });
    return this._networkPolicy;
  }
}
