// Library defaults, and chart-wide (or any scope's) defaults for WebApps.
import { IConstruct } from 'constructs';
import { compact, definedFields } from '../core';
import { Resources, mergeResources } from '../k8s';
import type { WebAppProps } from './types';

/** The library's default resources for an app container. */
export const DEFAULT_RESOURCES: Resources = {
  cpu: { request: '100m', limit: '1' },
  memory: { request: '128Mi', limit: '256Mi' },
  // The container's writable layer and logs (emptyDirs have their own sizeLimit, DEFAULT_EMPTY_DIR_SIZE_LIMIT).
  ephemeralStorage: { request: '128Mi', limit: '1Gi' },
};

/**
 * The `sizeLimit` of every emptyDir a WebApp mounts (writablePaths, addEmptyDir) unless one is given:
 * past it the kubelet evicts the pod instead of letting it fill the node's disk (or, with
 * `medium: Memory`, its memory).
 */
export const DEFAULT_EMPTY_DIR_SIZE_LIMIT = '1Gi';

/** Defaults that apply to every WebApp below a scope (usually a Chart). */
export interface WebAppDefaultsProps {
  /** Resources, merged field by field under each app's own `resources`. @default DEFAULT_RESOURCES */
  readonly resources?: Resources;
  /** Numeric user id of the containers. @default 10001 */
  readonly runAsUser?: number;
  /** Numeric group id of the containers. @default - runAsUser */
  readonly runAsGroup?: number;
  /** `sizeLimit` of emptyDirs given none. @default DEFAULT_EMPTY_DIR_SIZE_LIMIT ('1Gi') */
  readonly emptyDirSizeLimit?: string;
  /** Give each WebApp its default-deny NetworkPolicy (see {@link WebAppProps.networkIsolation}). @default true */
  readonly networkIsolation?: boolean;
  /** The Ingress controller's namespace (see {@link WebAppProps.ingressControllerNamespace}). @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
}

/**
 * The key under which {@link WebAppDefaults.set} keeps a scope's own defaults on the scope itself (a
 * non-enumerable property, as aws-cdk's `Aspects.of` keeps a scope's aspects), so that no module-level
 * map holds them. Not a child construct: that would change the construct tree (`node.children`,
 * `findAll()`, the review's topology).
 */
const DEFAULTS = Symbol('WebAppDefaults');

/** The defaults set on `scope` itself, if any. */
function ownDefaults(scope: IConstruct): WebAppDefaultsProps | undefined {
  return (scope as { [DEFAULTS]?: WebAppDefaultsProps })[DEFAULTS];
}

/**
 * Chart-wide (or any scope's) defaults for WebApps, e.g. to drop the CPU limit for a whole chart:
 *
 * @example
 * WebAppDefaults.set(chart, { resources: { cpu: { request: '50m', limit: null } } });
 */
export class WebAppDefaults {
  /**
   * Sets the defaults for every WebApp created below `scope` afterwards (nearest scope wins per field).
   * Calling it again on the same scope merges into the earlier call, field by field (resources per
   * request and limit), the later call winning: `set(c, { resources }); set(c, { runAsUser })` keeps
   * both. WebApps created before a call keep the defaults they were created with. A field given as
   * `undefined` is ignored.
   */
  public static set(scope: IConstruct, defaults: WebAppDefaultsProps): void {
    const earlier = ownDefaults(scope);
    const value = earlier ? mergeDefaults(earlier, defaults) : { ...defaults };
    Object.defineProperty(scope, DEFAULTS, { value, configurable: true, enumerable: false, writable: false });
  }

  /** The defaults that apply at `scope`, merged from the root down (nearest scope wins per field). */
  public static of(scope: IConstruct): WebAppDefaultsProps {
    let merged: WebAppDefaultsProps = {};
    for (const c of scope.node.scopes) {
      const d = ownDefaults(c);
      if (d) merged = mergeDefaults(merged, d);
    }
    return merged;
  }

  private constructor() {}
}

/** `over` merged into `base` field by field, the later winning; `undefined` fields of `over` are ignored. */
function mergeDefaults(base: WebAppDefaultsProps, over: WebAppDefaultsProps): WebAppDefaultsProps {
  const resources = base.resources || over.resources ? mergeResources(base.resources ?? {}, over.resources ?? {}) : undefined;
  return compact({ ...definedFields(base), ...definedFields(over), resources });
}

/** Resources given to small helper containers (init containers, exporters). */
export const HELPER_RESOURCES: Resources = {
  cpu: { request: '10m', limit: '100m' },
  memory: { request: '16Mi', limit: '32Mi' },
  ephemeralStorage: { request: '16Mi', limit: '128Mi' },
};

/** A pinned busybox image for wait-for init containers. */
export const BUSYBOX_IMAGE = 'busybox:1.36.1';

/** The nginx metrics exporter sidecar's image (MetricsExporter.NGINX). */
export const NGINX_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:1.4.2';
/** The nginx metrics exporter's port. */
export const NGINX_EXPORTER_PORT = 9113;
