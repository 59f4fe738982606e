import { Duration } from 'cdk8s';
import {
  DestinationRuleSpecTrafficPolicy, VirtualServiceSpecHttpCorsPolicy, VirtualServiceSpecHttpHeaders, VirtualServiceSpecHttpRetries,
  VirtualServiceSpecHttpRewrite,
} from '../../imports/networking.istio.io';
import { IstioApiVersion } from '../routing/istio/api-version';
import { PortOptions, WebAppProps } from '../web-app';
import { Delivery } from './delivery';
import { CanaryGateway } from './gateway';
import { CanaryPlan, CanaryStage } from './plan';
import { TrafficApi } from './traffic-api';

/** CanaryRelease's properties and the small types they use. */

/** How the VirtualService reaches the versions. */
export enum CanaryMode {
  /**
   * One Service `<name>` over every version; the VirtualService routes to DestinationRule subsets
   * generated from the versions' `version` labels. Deployments are named `<name>-<version>`.
   */
  SUBSETS = 'subsets',
  /**
   * Each version is a separate release (Helm-style) with its own Deployment and Service named exactly
   * like the version (e.g. `foolish-penguin`); the VirtualService routes between those Services. A
   * Service `<name>` over every release stays the host in-mesh callers use.
   */
  SERVICES = 'services',
}

/** One version of a release: a name and the WebApp workload options of its Deployment. */
export interface CanaryVersion extends Omit<WebAppProps, 'name' | 'namespace' | 'appLabel' | 'version' | 'selectVersion' | 'port' | 'ports'
| 'createService' | 'serviceType' | 'loadBalancerSourceRanges' | 'externalTrafficPolicy' | 'serviceAnnotations' | 'partOf'> {
  /**
   * Version name (DNS-1123 label, e.g. `v2`): the pods' `version` label, the DestinationRule subset, and
   * part of the Deployment name `<name>-<version>`; in {@link CanaryMode.SERVICES} the release's
   * Deployment and Service name.
   */
  readonly name: string;
}

/** Keeps users on the version they first got while the weights are split. */
export interface CanaryStickyOptions {
  /** Cookie name. @default `<name>-version` */
  readonly cookieName?: string;
  /** How long the cookie lasts, in whole seconds (at least 1). @default Duration.hours(24) */
  readonly maxAge?: Duration;
}

/** Properties of a {@link CanaryRelease}. */
export interface CanaryReleaseProps {
  /** Name of the Service, DestinationRule and VirtualService (DNS-1035 label). @default - derived from the id */
  readonly name?: string;
  /** Two or more versions. */
  readonly versions: CanaryVersion[];
  /** Shorthand for one HTTP port named 'http' served on Service port 80 (shared by every version). Exclusive with `ports`. */
  readonly port?: number;
  /**
   * Container ports of every version; the first is the HTTP port the VirtualService routes. Its name
   * must tell Istio it is HTTP (`http`, `http2`, `grpc`, `grpc-web` or `<that>-<suffix>`), or set appProtocol.
   * @default - see port
   */
  readonly ports?: PortOptions[];
  /** @default CanaryMode.SUBSETS */
  readonly mode?: CanaryMode;
  /** Named stages (any weights, e.g. a permanent A/B split). Exclusive with `plan`. @default - see plan */
  readonly stages?: CanaryStage[];
  /** A plan (its last stage sends 100% to one version). Exclusive with `stages`; one of them is required. */
  readonly plan?: CanaryPlan;
  /** The stage to render. Wins over the environment variable. @default - the value of `stageEnvVar` */
  readonly stage?: string;
  /** Environment variable read when `stage` is not set, so a pipeline can run `CANARY_STAGE=canary-10 npm run synth`. @default 'CANARY_STAGE' */
  readonly stageEnvVar?: string;
  /**
   * The traffic API the routes are rendered with: Istio's resources, or the Kubernetes Gateway API
   * (HTTPRoutes on a Gateway and/or the release's Service; a Service per version). The declaration is
   * the same either way. @default TrafficApi.istio()
   */
  readonly trafficApi?: TrafficApi;
  /** Serve the release through an Istio ingress Gateway too (Istio only; see trafficApi for a Gateway API Gateway). @default - mesh only */
  readonly gateway?: CanaryGateway;
  /**
   * Sticky canary (Flagger's approach; Istio's consistent hash does not hold across weighted subsets,
   * istio/istio#9764): while a stage splits the weights, the weighted route sets a cookie
   * (`Path=/; HttpOnly; SameSite=Lax`, plus `Secure` when the created gateway redirects HTTP to HTTPS)
   * on the canary destinations only, i.e. every split version except the stable one: the plan's
   * stable version (progressive `stable`, blue/green `active`), or the first declared version for
   * {@link CanaryPlan.of} and `stages`. Requests carrying the cookie are matched to that canary before the
   * weighted route, so users who got a canary stay on it; users who got the stable version carry no
   * cookie and are re-split on each request (they may reach the canary later, then stay there).
   * The stage's mirror is copied onto the cookie routes (except a route to the mirrored version itself).
   * @default - not sticky
   */
  readonly sticky?: CanaryStickyOptions;
  /** DestinationRule `trafficPolicy` (in SERVICES mode one DestinationRule per release Service). @default - none */
  readonly trafficPolicy?: DestinationRuleSpecTrafficPolicy;
  /** Request timeout on every route. @default - Istio's (none) */
  readonly timeout?: Duration;
  /** Retry policy on every route. @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry @default - Istio's (2 attempts) */
  readonly retries?: VirtualServiceSpecHttpRetries;
  /** CORS policy on every route. @default - none */
  readonly corsPolicy?: VirtualServiceSpecHttpCorsPolicy;
  /** Header manipulation on every route. @default - none */
  readonly headers?: VirtualServiceSpecHttpHeaders;
  /** URI/authority rewrite on every route. @default - none */
  readonly rewrite?: VirtualServiceSpecHttpRewrite;
  /** @default IstioApiVersion.V1 */
  readonly apiVersion?: IstioApiVersion;
  /** `app.kubernetes.io/part-of` label. @default - none */
  readonly partOf?: string;
  /**
   * Who moves the release through its stages. {@link Delivery.static} renders the selected stage (a
   * pipeline moves it). {@link Delivery.flagger} and {@link Delivery.argoRollouts} render the controller's
   * object instead, walking the same stages: the first stage must send 100% to the running version, the
   * last 100% to the new one, and exactly two versions are declared. The release then runs one Deployment
   * `<name>` with the pod spec (image, env, resources...) of the new version; the running version's
   * options only document what the controller already runs as its primary / stable ReplicaSet. Stages the
   * controller cannot walk are rejected, naming the controller and the stage.
   * @default Delivery.static()
   */
  readonly delivery?: Delivery;
}
