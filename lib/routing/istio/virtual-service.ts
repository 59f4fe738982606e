import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  toJson_VirtualServiceSpecHttpCorsPolicy, toJson_VirtualServiceSpecHttpHeaders, toJson_VirtualServiceSpecHttpRetries,
  toJson_VirtualServiceSpecHttpRewrite,
} from '../../../imports/networking.istio.io';
import { Json, compact, manifest } from '../../k8s-object';
import { cookieRegex } from '../match';
import { HttpMatch, ReleaseRouting, RoutingStage, splitVersions, stickyCanaries } from '../model';
import { VirtualServiceFact, virtualServiceFact } from '../traffic-facts';

/** The VirtualService(s) of a release: the rendered stage's routes, for the mesh host and the gateway hosts. */
export interface IstioVirtualServices {
  /** `<name>`: the Service and the gateway hosts, bound to the gateways and `mesh`; or the Service alone, bound to `mesh`. */
  readonly virtualService: ApiObject;
  /** `<name>-gateway`: the gateway hosts bound to the gateway alone, when a gateway host is a wildcard. */
  readonly gatewayVirtualService?: ApiObject;
  /** What each VirtualService serves and where its routes send requests, read from the spec it was given (for the app-wide rules). */
  readonly virtualServiceFacts: readonly VirtualServiceFact[];
}

/**
 * Renders the VirtualService(s). `gateways` are the gateway references (the gateway and `mesh`, or
 * none). A wildcard gateway host gets a VirtualService of its own, bound to the gateway alone: Istio
 * gives every sidecar a virtual host for each host of a VirtualService bound to `mesh`, so a wildcard
 * there would send in-mesh calls to any matching host (partner.example.com) to this release.
 */
export function renderVirtualServices(scope: Construct, model: ReleaseRouting, gateways: readonly string[], options: HttpRouteOptions = {}): IstioVirtualServices {
  const { app, attachment } = model;
  const virtualServiceFacts: VirtualServiceFact[] = [];
  const virtualService = (id: string, name: string, hosts: string[], bound: string[]) => {
    const spec = compact({ hosts, gateways: bound, http: httpRoutes(model, model.stage, options) });
    const vs = manifest(scope, id, model.istio.apiVersion, 'VirtualService', { labels: app.labels, name, body: { spec } });
    virtualServiceFacts.push(virtualServiceFact(vs, { metadata: { name, namespace: vs.metadata.namespace }, spec }));
    return vs;
  };
  const gatewayHosts = attachment.gatewayHosts;
  if (gatewayHosts.some((h) => h.startsWith('*')) && gateways.length) {
    return {
      virtualService: virtualService('VirtualService', app.name, [attachment.meshHost], ['mesh']),
      gatewayVirtualService: virtualService('VirtualService-gateway', `${app.name}-gateway`, [...gatewayHosts], gateways.filter((g) => g !== 'mesh')),
      virtualServiceFacts,
    };
  }
  return { virtualService: virtualService('VirtualService', app.name, [attachment.meshHost, ...gatewayHosts], [...gateways]), virtualServiceFacts };
}

/** Options of {@link httpRoutes}. */
export interface HttpRouteOptions {
  /**
   * List every version in the weighted default route, 0% ones included (a controller such as Argo
   * Rollouts moves the weights of the destinations it finds there). @default false
   */
  readonly keepZeroWeights?: boolean;
}

/** Istio `HTTPRoute`s of `stage`: its match routes in order, the sticky cookie routes, then the weighted default route. */
export function httpRoutes(model: ReleaseRouting, stage: RoutingStage, options: HttpRouteOptions = {}): Json[] {
  const policy = model.policy;
  const common = compact({
    timeout: policy.timeoutMillis !== undefined ? istioDuration(policy.timeoutMillis) : undefined,
    retries: policy.retries ? toJson_VirtualServiceSpecHttpRetries(policy.retries) : undefined,
    corsPolicy: policy.cors ? toJson_VirtualServiceSpecHttpCorsPolicy(policy.cors) : undefined,
    headers: policy.headers ? toJson_VirtualServiceSpecHttpHeaders(policy.headers) : undefined,
    rewrite: policy.rewrite ? toJson_VirtualServiceSpecHttpRewrite(policy.rewrite) : undefined,
  });
  const destination = (version: string): Json => {
    const backend = model.versions.find((v) => v.name === version)!.backend;
    return backend.subset
      ? { host: backend.service, subset: backend.subset.name, port: { number: model.app.port.port } }
      : { host: backend.service, port: { number: model.app.port.port } };
  };
  const http: Json[] = [];
  // 1. the stage's match routes, in order
  for (const r of stage.routes) {
    http.push({ name: r.name, match: r.matches.map(httpMatchRequest), route: [{ destination: destination(r.version) }], ...common });
  }
  const split = (options.keepZeroWeights ? model.versions : splitVersions(model, stage)).map((v) => v.name);
  const mirror = stage.mirror;
  // Mirror fields for a route to `target`; never a copy to the version that already serves the request.
  const mirrorTo = (target: string | undefined) => (mirror && mirror.version !== target ? {
    mirror: destination(mirror.version),
    mirrorPercentage: { value: mirror.percentage },
  } : {});
  // 2. sticky (Flagger's approach): while the weights are split, the weighted route sets a cookie on
  //    the canary destinations only (every split version but the stable one), and users carrying it
  //    are matched to that version before the weighted route. Users who got the stable version carry
  //    no cookie and stay on the weighted route.
  const sticky = model.sticky;
  const canaries = stickyCanaries(model, stage).map((v) => v.name);
  for (const v of canaries) {
    http.push({
      name: `sticky-${v}`,
      match: [{ headers: { cookie: { regex: cookieRegex(sticky!.cookie, v) } } }],
      route: [{ destination: destination(v) }],
      ...mirrorTo(v),
      ...common,
    });
  }
  // 3. the weighted default route
  http.push(compact({
    name: 'default',
    route: split.map((v) => compact({
      destination: destination(v),
      weight: stage.weights[v],
      headers: canaries.includes(v)
        ? { response: { add: { 'set-cookie': `${sticky!.cookie}=${v}; Max-Age=${sticky!.maxAgeSeconds}; Path=/; HttpOnly; SameSite=Lax${sticky!.secure ? '; Secure' : ''}` } } }
        : undefined,
    })),
    mirror: mirror ? destination(mirror.version) : undefined,
    mirrorPercentage: mirror ? { value: mirror.percentage } : undefined,
    ...common,
  }));
  return http;
}

/** Istio `HTTPMatchRequest` of one match block: its conditions, keyed in the order first tested. */
export function httpMatchRequest(m: HttpMatch): Json {
  const out: Json = {};
  for (const c of m.conditions) {
    if (c.type === 'header') {
      out.headers = out.headers ?? {};
      out.headers[c.name] = { [c.match.kind]: c.match.value };
    } else {
      out[c.type] = { [c.match.kind]: c.match.value };
    }
  }
  return out;
}

/** Istio's duration format: whole seconds as `5s`, otherwise milliseconds (`250ms`). */
export function istioDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
