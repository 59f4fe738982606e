import { fail, show } from '../core';
import { PathType } from '../web-app';
import { IngressPathRoute, SessionAffinity } from '../routing/affinity-model';
import { NGINX } from '../routing/ingress/nginx';
import { IServiceBackend, ServiceInfo, ServicePortInfo, describeService, portRef, resolvePort } from './backend';
import { StickyPathOptions } from './props';

/** A path of the StickyIngress's host → the model's {@link IngressPathRoute}, with the checks each strategy needs. */

const REGEX_CHARS = /[\^$*+?()[\]{}|\\]/;

/** What a new path is checked against. */
export interface PathContext {
  /** `StickyIngress '<name>'`, for errors. */
  readonly owner: string;
  /** The affinity (cookie path and name under cookie affinity; hash affinity forbids regex paths). */
  readonly affinity: SessionAffinity;
  /** The user's extra Ingress annotations (`use-regex` must not contradict a regex path). */
  readonly userAnnotations: Readonly<Record<string, string>>;
  /** The paths so far. */
  readonly paths: readonly IngressPathRoute[];
  /** The main backend's Service and port. */
  readonly main: { readonly svc: ServiceInfo; readonly port: ServicePortInfo };
  /** The Ingress's namespace: every backend must be in it. */
  readonly namespace: string | undefined;
}

/** A checked path: its model data, and the Service and port it routes to. */
export interface CheckedPath {
  /** The path as model data. */
  readonly route: IngressPathRoute;
  /** Its backend Service. */
  readonly svc: ServiceInfo;
  /** The Service port. */
  readonly port: ServicePortInfo;
}

/** Checks `options` as one more path of the host. */
export function checkPath(ctx: PathContext, options: StickyPathOptions): CheckedPath {
  const owner = ctx.owner;
  const cookie = ctx.affinity.kind === 'cookie' ? ctx.affinity.cookie : undefined;
  const at = `path ${show(options.path)}`;
  if (typeof options.path !== 'string' || !options.path.startsWith('/')) {
    fail(owner, `${at} does not start with '/'`, `use an absolute path such as '/${options.path ?? ''}'`);
  }
  const regex = options.regex ?? false;
  const pathType = options.pathType ?? (regex ? PathType.IMPLEMENTATION_SPECIFIC : PathType.PREFIX);
  if (!Object.values(PathType).includes(pathType)) fail(owner, `${at} pathType ${show(pathType)} is not Prefix, Exact or ImplementationSpecific`, 'use a PathType value');
  if (regex && pathType !== PathType.IMPLEMENTATION_SPECIFIC) {
    fail(owner, `${at} is a regex but its pathType is ${pathType}`, 'use pathType PathType.IMPLEMENTATION_SPECIFIC for regex paths');
  }
  if (!regex && REGEX_CHARS.test(options.path)) {
    fail(owner, `${at} contains regular-expression characters but regex is not set`, 'set regex: true (pathType ImplementationSpecific), or use a plain path');
  }
  if (regex) {
    try {
      new RegExp(options.path);
    } catch (e) {
      fail(owner, `${at} is not a valid regular expression (${(e as Error).message})`, 'fix the expression');
    }
    if (cookie && cookie.path === undefined) {
      fail(owner, `${at} is a regular expression but nginxCookie has no path`,
        'set StickyStrategy.nginxCookie({ path: \'/\' }) (or the common prefix): ingress-nginx would otherwise use the regex itself as the cookie Path and browsers would never send the cookie back');
    }
    const useRegex = ctx.userAnnotations[`${NGINX}/use-regex`];
    if (cookie && useRegex !== undefined && useRegex !== 'true') {
      fail(owner, `annotation ${NGINX}/use-regex ${show(useRegex)} contradicts ${at}, a regular expression, which needs 'true'`,
        'remove the annotation (StickyIngress sets use-regex "true" when a path is a regex), or make the path a plain path');
    }
    if (ctx.affinity.kind === 'hash') {
      fail(owner, `${at} is a regular expression, which the Istio ingress gateway's Kubernetes Ingress support does not implement`, 'use a Prefix or Exact path');
    }
  }
  if (ctx.paths.some((p) => p.path === options.path && p.pathType === pathType)) {
    fail(owner, `${at} (${pathType}) is routed twice`, 'route each path once');
  }
  const backend: IServiceBackend = options.backend ?? ctx.main.svc.backend;
  const svc = backend === ctx.main.svc.backend ? ctx.main.svc : describeService(owner, `${at} backend`, backend);
  checkSameNamespace(owner, `${at} backend`, svc, ctx.namespace);
  const cookiePath = cookie?.path;
  const others = [...new Set(ctx.paths.map((p) => p.backend.service))].filter((n) => n !== svc.name);
  if (cookiePath !== undefined && others.length > 0) {
    const cookieName = cookie!.name;
    fail(owner, `nginxCookie path ${show(cookiePath)} is set and ${at} routes to Service '${svc.name}' besides ${others.map((n) => `'${n}'`).join(', ')}: ingress-nginx applies the affinity annotations to every backend of the Ingress, so each Service writes its own pod into the same cookie ${show(cookieName)} at Path ${show(cookiePath)}, they overwrite each other and no session stays sticky (ingress-nginx#1930)`,
      `remove the nginxCookie path (each Ingress path then sets the cookie on its own Path), or route Service '${svc.name}' through its own StickyIngress with another cookie name, e.g. '${cookieName}-${svc.name}'`);
  }
  if (cookiePath !== undefined && !regex && !pathMatches(options.path, cookiePath)) {
    // RFC 6265 5.1.4: the browser sends the cookie back only for request paths under its Path.
    fail(owner, `${at} is not under the nginxCookie path ${show(cookiePath)}, so browsers would not send the cookie back for it and no session there stays sticky`,
      `set the nginxCookie path to a common prefix of every path (e.g. '/'), or route ${show(options.path)} through another StickyIngress`);
  }
  const port = options.port === undefined && svc === ctx.main.svc ? ctx.main.port : resolvePort(owner, `${at} port`, svc, options.port);
  return { route: { path: options.path, pathType, regex, backend: portRef(svc, port) }, svc, port };
}

/** Fails unless `svc` (named `prop` in errors) is in `namespace`: an Ingress routes to Services of its own namespace only. */
export function checkSameNamespace(owner: string, prop: string, svc: ServiceInfo, namespace: string | undefined): void {
  if (svc.namespace !== namespace) {
    fail(owner, `${prop} Service '${svc.name}' is in namespace ${show(svc.namespace)}, not ${show(namespace)}`,
      'an Ingress can only route to Services in its own namespace; use a backend in the same namespace');
  }
}

/** RFC 6265 path-match: `path` is `cookiePath` or under it (at a '/' boundary). */
function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}
