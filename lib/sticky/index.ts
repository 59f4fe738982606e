/**
 * StickyIngress's public API. The construct turns its props into the session-affinity model
 * (lib/routing/affinity-model.ts) and hands it to the Ingress / ingress-nginx renderer
 * (lib/routing/ingress/) and the Istio consistent-hash renderer; the model and renderers stay internal.
 */
export { type IServiceBackend } from './backend';
export { type GatewayApiCookieOptions, GatewayImplementation } from './gateway-api-strategy';
export { DefaultBackend, NOT_FOUND_BACKEND_IMAGE, NOT_FOUND_BACKEND_PORT, type NotFoundBackendOptions } from './default-backend';
export { type StickyIngressProps, type StickyPathOptions } from './props';
export { StickyIngress } from './sticky-ingress';
export {
  AffinityMode, type ClientIpOptions, CookieSameSite, type IstioConsistentHashOptions, type IstioHashCookie, type NginxCookieOptions,
  StickyStrategy, StickyStrategyKind,
} from './strategy';
export { meshInjectionOf } from './rules/client-ip-in-mesh';
