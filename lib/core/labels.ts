// Labels and annotations: the key and value rules, and the standard label set of an application.
import { fail, show } from './errors';
import { compact } from './json';
import { isDns1123Subdomain } from './names';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The fix for an invalid label value (see {@link isLabelValue}). */
export const LABEL_VALUE_FIX = 'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit';

/** True when `value` is a valid label value (at most 63 characters, alphanumeric ends, `-_.` inside). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * True when `key` is a qualified name, as Kubernetes requires of label keys: an optional DNS-1123
 * subdomain prefix and '/', then a name of at most 63 alphanumerics, '-', '_' and '.' with alphanumeric
 * ends (`app`, `app.kubernetes.io/name`). Annotation keys follow the same rule, checked in lowercase.
 */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || !isDns1123Subdomain(parts[0]))) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/** Checks label keys (qualified names) and values (label values). */
export function validateLabels(owner: string, prop: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) {
      fail(owner, `${prop} key ${show(key)} is not a valid label key`,
        'use [prefix/]name: a lowercase DNS prefix, and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit (e.g. \'app\', \'app.kubernetes.io/name\')');
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      fail(owner, `${prop} ${key} value ${show(value)} is not a valid label value`, LABEL_VALUE_FIX);
    }
  }
}

/** Checks annotation keys (qualified names, compared in lowercase as the apiserver does) and that values are strings. */
export function validateAnnotations(owner: string, prop: string, annotations: Record<string, string>): void {
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedName(key.toLowerCase())) {
      fail(owner, `${prop} key ${show(key)} is not a valid annotation key`,
        'use [prefix/]name: a DNS prefix, and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit (e.g. \'prometheus.io/scrape\')');
    }
    if (typeof value !== 'string') {
      fail(owner, `${prop} ${key} value ${show(value)} is not a string`, `quote it (e.g. ${show(String(value))})`);
    }
  }
}

/** The value of the `app.kubernetes.io/managed-by` label on everything this library renders. */
export const MANAGED_BY = 'cdk8s-noops';

/**
 * The recommended `app.kubernetes.io/*` labels of an application's objects.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export interface RecommendedLabels {
  /** `app.kubernetes.io/name`. @default - none */
  readonly name?: string;
  /**
   * `app.kubernetes.io/instance`: which installation of the application this is. Helm sets it to the
   * release name; Polaris (`metadataAndInstanceMismatched`) expects a workload's to equal its
   * `metadata.name`, which for a WebApp is the app's name. Never part of a selector (selectors are immutable).
   * @default - none
   */
  readonly instance?: string;
  /** `app.kubernetes.io/version`. @default - none */
  readonly version?: string;
  /** `app.kubernetes.io/component`. @default - none */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default - none */
  readonly partOf?: string;
}

/**
 * The `app.kubernetes.io/*` labels (name, instance, version, component, part-of, in that order, each only when
 * given) and `app.kubernetes.io/managed-by: cdk8s-noops`.
 */
export function recommendedLabels(labels: RecommendedLabels): Record<string, string> {
  return compact({
    'app.kubernetes.io/name': labels.name,
    'app.kubernetes.io/instance': labels.instance,
    'app.kubernetes.io/version': labels.version,
    'app.kubernetes.io/component': labels.component,
    'app.kubernetes.io/part-of': labels.partOf,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  }) as Record<string, string>;
}

/** The labels of an app's pods: `objectLabels` (usually {@link recommendedLabels}) plus `app` and `version`, which Istio reads. */
export function appPodLabels(objectLabels: Readonly<Record<string, string>>, app: string, version: string): Record<string, string> {
  return { ...objectLabels, app, version };
}

/**
 * The labels a workload and its Service select the app's pods by: `app`, plus `version` when it is
 * given (several versions of one app running side by side).
 */
export function appSelector(app: string, version?: string): Record<string, string> {
  return version === undefined ? { app } : { app, version };
}
