// Names as Kubernetes checks them: objects, DNS names, environment variables, Secret and ConfigMap keys.
import { fail, show } from './errors';

/** A DNS-1035 label: lowercase alphanumerics and '-', starts with a letter, at most 63 characters. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label: lowercase alphanumerics and '-', alphanumeric ends, at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A C identifier, the portable form of an environment variable name. */
export const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Kubernetes' own rule for env var names (printable ASCII except '=', not starting with a digit). */
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

// Fix texts several checks give, each typed once here (the checks word their problems their own way).
/** The fix for a name that must be a DNS-1123 label (namespaces, container names). */
export const DNS1123_LABEL_FIX = 'use at most 63 lowercase letters, digits and \'-\'';
/** The short fix for a name that must be a Kubernetes object name (a DNS-1123 subdomain). */
export const OBJECT_NAME_FIX = 'use lowercase letters, digits, \'-\' and \'.\'';
/** The fix for an environment variable name (see {@link ENV_VAR_NAME}). */
export const ENV_VAR_NAME_FIX = 'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (portable: [A-Za-z_][A-Za-z0-9_]*)';

/** True when `s` is a DNS-1035 label (Service names). */
export function isDns1035Label(s: string): boolean {
  return s.length <= 63 && DNS1035_LABEL.test(s);
}

/** True when `s` is a DNS-1123 label (namespaces, container names, volume names). */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** True when `s` is a DNS-1123 subdomain (most object names). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/**
 * True when `host` is a fully qualified DNS name (RFC 1123, lowercase, at least one dot not required)
 * or, with `allowWildcard`, a single leading `*.` wildcard.
 */
export function isDnsName(host: string, allowWildcard = true): boolean {
  const h = allowWildcard && host.startsWith('*.') ? host.slice(2) : host;
  return h.length > 0 && h.length <= 253 && h.split('.').every((l) => isDns1123Label(l));
}

/** Checks a name that other pods address by DNS (Services and the workloads behind them). */
export function validateDns1035(owner: string, prop: string, value: string): void {
  if (!isDns1035Label(value)) {
    fail(owner, `${prop} ${show(value)} is not a DNS-1035 label`,
      'use at most 63 lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit');
  }
}

/** Checks an environment variable name. */
export function validateEnvName(owner: string, name: string): void {
  if (!ENV_VAR_NAME.test(name)) {
    fail(owner, `env var name ${show(name)} is invalid`, ENV_VAR_NAME_FIX);
  }
}

/** Turns an arbitrary identifier into a DNS-1123 label (lowercase, '-' for anything else). */
export function toDnsLabel(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * True when `key` is a valid Secret or ConfigMap key (what `secretKeyRef.key` and `configMapKeyRef.key`
 * accept): at most 253 letters, digits, '-', '_' and '.', not '.' or '..' and not starting with '..'.
 */
export function isConfigMapKey(key: string): boolean {
  return key.length <= 253 && CONFIG_MAP_KEY.test(key) && key !== '.' && !key.startsWith('..');
}

/** Checks the name of an object a pod refers to (Secret, ConfigMap, ServiceAccount, IngressClass...). */
export function validateDns1123Subdomain(owner: string, prop: string, value: string, example = 'db-credentials'): void {
  if (typeof value !== 'string' || !isDns1123Subdomain(value)) {
    fail(owner, `${prop} ${show(value)} is not a DNS-1123 subdomain (the apiserver would reject it)`,
      `use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. ${show(example)})`);
  }
}

/** Checks a Secret or ConfigMap key. */
export function validateConfigMapKey(owner: string, prop: string, key: string): void {
  if (typeof key !== 'string' || !isConfigMapKey(key)) {
    fail(owner, `${prop} ${show(key)} is not a valid Secret/ConfigMap key`,
      'use at least one of letters, digits, \'-\', \'_\' and \'.\' (not \'.\' or \'..\'), e.g. \'password\' or \'tls.crt\'');
  }
}
