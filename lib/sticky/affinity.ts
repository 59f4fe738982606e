import { Duration } from 'cdk8s';
import { ValidationError } from '../core/errors';
import { fail, show } from '../core';
import { WebApp } from '../web-app';
import { ClientIpAffinity, CookieAffinity, HashAffinity } from '../routing/affinity-model';
import { ServiceInfo } from './backend';
import { AffinityMode, ClientIpOptions, CookieSameSite, IstioConsistentHashOptions, NginxCookieOptions } from './strategy';

/** A StickyStrategy's options → the model's {@link SessionAffinity}, with every check each strategy needs. */

/** An RFC 6265 token (cookie names, HTTP header names). */
export const RFC6265_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 tokens that ingress-nginx's `session-cookie-name` validator (BasicCharsRegex) also accepts. */
const NGINX_COOKIE_NAME = /^[-._~0-9A-Za-z]+$/;
/** ingress-nginx's `URLIsValidRegex` (the validator of `session-cookie-path`). */
const NGINX_COOKIE_PATH = /^[-._~a-zA-Z0-9/:,?&=]*$/;
const NGINX_COOKIE_DOMAIN = /^[-._~a-zA-Z0-9]+$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = RFC6265_TOKEN;

/**
 * ingress-nginx cookie affinity for `host`. `https`: browsers reach the host over HTTPS (the Ingress
 * terminates TLS, or something in front of it does).
 */
export function cookieAffinity(owner: string, o: NginxCookieOptions, host: string | undefined, https: boolean): CookieAffinity {
  const at = 'nginxCookie';
  const name = o.name ?? 'INGRESSCOOKIE';
  if (!RFC6265_TOKEN.test(name)) {
    fail(owner, `${at} cookie name ${show(name)} is not an RFC 6265 token`, 'use letters, digits and \'-\', \'_\', \'.\' or \'~\' (no spaces, \'=\', \';\', \',\' or quotes), e.g. \'route\'');
  }
  if (!NGINX_COOKIE_NAME.test(name)) {
    fail(owner, `${at} cookie name ${show(name)} is rejected by ingress-nginx's annotation validator`, 'use only letters, digits, \'-\', \'_\', \'.\' and \'~\'');
  }
  const maxAge = positiveSeconds(owner, `${at} maxAge`, o.maxAge);
  const expires = positiveSeconds(owner, `${at} expires`, o.expires);
  if (o.path !== undefined && (!o.path.startsWith('/') || !NGINX_COOKIE_PATH.test(o.path))) {
    fail(owner, `${at} path ${show(o.path)} is not a plain absolute path`, 'use e.g. \'/\' or \'/app\' (letters, digits, \'/\', \'-\', \'_\', \'.\', \'~\')');
  }
  if (o.domain !== undefined && !NGINX_COOKIE_DOMAIN.test(o.domain)) {
    fail(owner, `${at} domain ${show(o.domain)} is not a domain`, 'use e.g. \'example.com\' or \'.example.com\'');
  }
  if (o.domain !== undefined && host !== undefined) {
    // RFC 6265 5.3: a browser ignores a Set-Cookie whose Domain does not domain-match the request host.
    const domain = o.domain.replace(/^\./, '').toLowerCase();
    const bare = host.replace(/^\*\./, '');
    if (bare !== domain && !bare.endsWith(`.${domain}`)) {
      fail(owner, `${at} domain ${show(o.domain)} does not cover host ${show(host)}, so browsers would ignore the cookie (RFC 6265 domain matching)`,
        `use the host's domain or a parent of it (e.g. '${bare.split('.').slice(-2).join('.')}'), or leave domain unset`);
    }
  }
  if (o.sameSite !== undefined && !Object.values(CookieSameSite).includes(o.sameSite)) {
    fail(owner, `${at} sameSite ${show(o.sameSite)} is not Strict, Lax or None`, 'use CookieSameSite.STRICT, LAX or NONE');
  }
  if (o.sameSite === CookieSameSite.NONE && o.secure !== true) {
    fail(owner, `${at} sameSite None without secure: true`, 'set secure: true (browsers reject SameSite=None cookies that are not Secure), or use CookieSameSite.LAX');
  }
  if (o.secure === true && !https) {
    fail(owner, `${at} secure: true, but host ${show(host)} is served over plain HTTP (no tlsSecretName), and browsers drop a Secure cookie set by a plain-HTTP response, so no request would stick`,
      'set tlsSecretName, or tlsTerminatedUpstream: true if a load balancer in front of the Ingress controller terminates TLS' +
      (o.sameSite === CookieSameSite.NONE ? ' (sameSite None needs secure: true, so use LAX if the site has no HTTPS)' : ''));
  }
  if (o.mode !== undefined && !Object.values(AffinityMode).includes(o.mode)) {
    fail(owner, `${at} mode ${show(o.mode)} is not balanced or persistent`, 'use AffinityMode.BALANCED or AffinityMode.PERSISTENT');
  }
  return {
    kind: 'cookie',
    cookie: {
      name,
      path: o.path,
      maxAgeSeconds: maxAge,
      expiresSeconds: expires ?? maxAge,
      domain: o.domain,
      sameSite: o.sameSite,
      secure: o.secure,
    },
    mode: o.mode ?? AffinityMode.BALANCED,
    changeOnFailure: o.changeOnFailure ?? false,
  };
}

/**
 * kube-proxy client-IP affinity on `svc`. `meshInjected` is the user's word on whether its pods run an
 * Istio sidecar (`undefined`: checked against the construct tree at synth).
 */
export function clientIpAffinity(owner: string, o: ClientIpOptions, svc: ServiceInfo, meshInjected: boolean | undefined): ClientIpAffinity {
  const seconds = secondsOf(o.timeout ?? Duration.hours(3));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86400) {
    fail(owner, `clientIp timeout ${seconds}s is outside 1-86400 seconds`, 'use a timeout between Duration.seconds(1) and Duration.hours(24)');
  }
  if (meshInjected === true) throw clientIpInMeshError(owner, svc.name, 'meshInjected is true');
  if (svc.headless) {
    fail(owner, `clientIp on headless Service '${svc.name}' does nothing: DNS returns the pod IPs and kube-proxy is not involved`, 'use a ClusterIP, NodePort or LoadBalancer Service');
  }
  const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  if (external && svc.externalTrafficPolicy === 'Cluster') {
    fail(owner, `clientIp on ${svc.type} Service '${svc.name}' with externalTrafficPolicy Cluster: nodes SNAT external clients to their own IP, so every client behind one node would look alike`,
      'remove externalTrafficPolicy (clientIp sets Local) or set ExternalTrafficPolicy.LOCAL');
  }
  const backend = svc.backend;
  if (backend instanceof WebApp && backend.sessionAffinityTimeout !== undefined && backend.sessionAffinityTimeout !== seconds) {
    fail(owner, `clientIp timeout ${seconds}s differs from the ${backend.sessionAffinityTimeout}s already set on WebApp '${backend.name}'`, 'use one timeout per Service');
  }
  return { kind: 'clientIp', timeoutSeconds: seconds };
}

/** Why client-IP affinity on `service`, whose pods are in the mesh (`why`), would do nothing. */
export function clientIpInMeshError(owner: string, service: string, why: string): ValidationError {
  return new ValidationError(owner, `clientIp on Service '${service}' whose pods are in the Istio mesh (${why}): Envoy picks the endpoint itself and ignores the Service's sessionAffinity (istio/istio#6011), so it would silently do nothing`,
    'use StickyStrategy.istioConsistentHash({ sourceIp: true }) or ({ cookie: { name: ... } }) instead');
}

/** Istio consistent-hash affinity on exactly one key. */
export function hashAffinity(owner: string, o: IstioConsistentHashOptions): HashAffinity {
  const at = 'istioConsistentHash';
  const keys = (['cookie', 'header', 'sourceIp', 'queryParameter'] as const).filter((k) => o[k] !== undefined && o[k] !== false);
  if (keys.length !== 1) {
    fail(owner, `${at} sets ${keys.length ? keys.join(' and ') : 'no hash key'}`, 'set exactly one of cookie, header, sourceIp or queryParameter');
  }
  if (o.cookie) {
    const c = o.cookie;
    if (typeof c.name !== 'string' || !RFC6265_TOKEN.test(c.name)) {
      fail(owner, `${at} cookie name ${show(c.name)} is not an RFC 6265 token`, 'use letters, digits and \'-\', \'_\', \'.\' or \'~\', e.g. \'route\'');
    }
    if (c.path !== undefined && (!c.path.startsWith('/') || /[\s;,]/.test(c.path))) {
      fail(owner, `${at} cookie path ${show(c.path)} is not an absolute path`, 'use e.g. \'/\'');
    }
    const ttl = c.ttl === undefined ? 0 : secondsOf(c.ttl);
    if (!Number.isInteger(ttl) || ttl < 0) fail(owner, `${at} cookie ttl ${ttl}s is not a whole number of seconds >= 0`, 'use e.g. Duration.hours(1), or Duration.seconds(0) for a session cookie');
    return { kind: 'hash', key: { cookie: { name: c.name, path: c.path, ttlSeconds: ttl } } };
  }
  if (o.header !== undefined) {
    if (!HEADER_NAME.test(o.header)) fail(owner, `${at} header ${show(o.header)} is not an HTTP header name`, 'use e.g. \'x-user-id\'');
    return { kind: 'hash', key: { header: o.header } };
  }
  if (o.queryParameter !== undefined) {
    if (!/^[-._~0-9A-Za-z]+$/.test(o.queryParameter)) fail(owner, `${at} queryParameter ${show(o.queryParameter)} is not a plain parameter name`, 'use letters, digits, \'-\', \'_\', \'.\' or \'~\'');
    return { kind: 'hash', key: { queryParameter: o.queryParameter } };
  }
  return { kind: 'hash', key: { sourceIp: true } };
}

/** The seconds of `d`, which must be a positive whole number (`undefined` passes through). */
function positiveSeconds(owner: string, prop: string, d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  const s = secondsOf(d);
  if (!Number.isInteger(s) || s <= 0) fail(owner, `${prop} ${s}s is not a positive whole number of seconds`, 'use e.g. Duration.hours(48)');
  return s;
}

/** Seconds of a Duration, possibly fractional (Duration.toSeconds() throws on fractions; we report them). */
function secondsOf(d: Duration): number {
  return d.toMilliseconds() / 1000;
}
