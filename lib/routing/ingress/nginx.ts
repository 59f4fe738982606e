import { compact } from '../../k8s-object';
import { CookieAffinity, StickyRouting } from '../affinity-model';

/** ingress-nginx's reading of the model: the annotations that carry cookie affinity and regex paths. */

/** The ingress-nginx annotation prefix. */
export const NGINX = 'nginx.ingress.kubernetes.io';

/** The `affinity*` and `session-cookie-*` annotations of a cookie affinity. */
export function nginxAffinityAnnotations(a: CookieAffinity): Record<string, string> {
  const c = a.cookie;
  const bool = (b: boolean | undefined) => (b === undefined ? undefined : String(b));
  return compact({
    [`${NGINX}/affinity`]: 'cookie',
    [`${NGINX}/affinity-mode`]: a.mode,
    [`${NGINX}/session-cookie-name`]: c.name,
    [`${NGINX}/session-cookie-max-age`]: c.maxAgeSeconds === undefined ? undefined : String(c.maxAgeSeconds),
    [`${NGINX}/session-cookie-expires`]: c.expiresSeconds === undefined ? undefined : String(c.expiresSeconds),
    [`${NGINX}/session-cookie-path`]: c.path,
    [`${NGINX}/session-cookie-domain`]: c.domain,
    [`${NGINX}/session-cookie-samesite`]: c.sameSite,
    [`${NGINX}/session-cookie-secure`]: bool(c.secure),
    [`${NGINX}/session-cookie-change-on-failure`]: String(a.changeOnFailure),
  }) as Record<string, string>;
}

/** The annotations ingress-nginx needs for the model's affinity: cookie affinity's, or none. */
export function nginxAnnotations(model: StickyRouting): Record<string, string> {
  return model.affinity.kind === 'cookie' ? nginxAffinityAnnotations(model.affinity) : {};
}

/** ingress-nginx reads paths as regular expressions only with `use-regex: "true"` (set under cookie affinity when a path is a regex). */
export function useRegexAnnotation(model: StickyRouting): Record<string, string> {
  const nginx = model.affinity.kind === 'cookie';
  return nginx && (model.ingress?.paths ?? []).some((p) => p.regex) ? { [`${NGINX}/use-regex`]: 'true' } : {};
}

/** The `affinity*` and `session-cookie-*` annotations among `annotations`, as a comparable string. */
export function affinityOf(annotations: Record<string, string> | undefined): string {
  const picked = Object.entries(annotations ?? {})
    .filter(([k]) => k.startsWith(`${NGINX}/affinity`) || k.startsWith(`${NGINX}/session-cookie-`))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(Object.fromEntries(picked));
}
