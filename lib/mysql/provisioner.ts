// What a provider implements (internal, not exported from the package): each provider validates its
// factory's options into a readonly model, then renders the model's objects into the binding. A new
// provider is a new file with a MySqlProvisioner, and a factory on MySqlProvider that chooses it.

import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { Json, recommendedLabels } from '../core';
import { manifest } from '../k8s-object';
import type { WebApp } from '../web-app';
import type { MySqlConnection } from './contract';
import type { MySqlProvider } from './provider';

/** The binding as a provider validates options for it: names and messages. */
export interface BindingIdentity {
  /** Base of every object name. */
  readonly name: string;
  /** The subject of error messages (`MySqlBinding '<name>'`). */
  readonly owner: string;
}

/** The binding as a provider renders into it. */
export interface BindingContext extends BindingIdentity {
  /** The MySqlBinding: every object is its child. */
  readonly scope: Construct;
  /** `metadata.namespace` of the objects: the namespace given in props (`undefined`: the chart's). */
  readonly namespace: string | undefined;
  /** The WebApps bound so far (read when the objects are rendered, e.g. by a NetworkPolicy). */
  readonly boundApps: () => readonly WebApp[];
}

/** What a provider rendered: where each setting lives, and its objects (each provider sets its own). */
export interface Provisioned {
  /** Where each setting lives. */
  readonly connection: MySqlConnection;
  /** OSBA: the ServiceInstance. */
  readonly serviceInstance?: ApiObject;
  /** OSBA: the ServiceBinding. */
  readonly serviceBinding?: ApiObject;
  /** ASO: the FlexibleServer. */
  readonly flexibleServer?: ApiObject;
  /** ASO: the FlexibleServersDatabase. */
  readonly flexibleServersDatabase?: ApiObject;
  /** ASO: the FlexibleServersFirewallRules. */
  readonly flexibleServersFirewallRules?: ApiObject[];
  /** ASO, external and in-cluster: the ConfigMap with the non-secret settings. */
  readonly configMap?: ApiObject;
  /** external: the ExternalName Service; in-cluster: the headless Service. */
  readonly service?: ApiObject;
  /** in-cluster: the StatefulSet. */
  readonly statefulSet?: ApiObject;
  /** in-cluster with `isolate`: the NetworkPolicy that admits only bound apps. */
  readonly networkPolicy?: ApiObject;
  /** in-cluster: the labels of the MySQL pods (bound apps' egress peer). */
  readonly databasePods?: Record<string, string>;
  /** A database outside the cluster (OSBA, ASO, external): its port, which bound apps may reach at any address. */
  readonly externalPort?: number;
}

/** One provider: its options validated into a readonly `Model`, and the objects rendered from that model. */
export interface MySqlProvisioner<Options = any, Model = unknown> {
  /** Which provider (MySqlProvider.kind). */
  readonly kind: MySqlProvider['kind'];
  /** The MySqlProvider factory that chooses it (for messages). */
  readonly factory: string;
  /** A minimal call of that factory (for messages). */
  readonly example: string;
  /** Validates the factory's options, throwing the first problem, into the model the objects are rendered from. */
  model(binding: BindingIdentity, options: Options): Model;
  /** Renders the model's objects as children of the binding, in a fixed order (their construct ids and YAML order). */
  render(binding: BindingContext, model: Model): Provisioned;
}

/** The labels on every object of a binding or server named `name`. */
export function objectLabels(name: string): Record<string, string> {
  return recommendedLabels({ name: `${name}-mysql`, instance: `${name}-mysql`, component: 'database' });
}

/**
 * Renders an object of the binding: a child of it (construct id `id`, by default the kind), named `name`,
 * in its namespace, with its {@link objectLabels}; `body` is everything besides apiVersion, kind and metadata.
 */
export function bindingObject(binding: BindingContext, apiVersion: string, kind: string, name: string, body: Json, id: string = kind): ApiObject {
  return manifest(binding.scope, id, apiVersion, kind, { name, namespace: binding.namespace, labels: objectLabels(binding.name), body });
}

/** The name of the ConfigMap with a binding's non-secret settings. */
export function connectionConfigMapName(binding: BindingIdentity): string {
  return `${binding.name}-mysql-connection`;
}

/**
 * The connection of a provider that keeps host, port and database in the ConfigMap `configMap` (keys
 * `host`, `port`, `database`) and the user and password in the existing Secret `secret`.
 */
export function configMapAndSecretConnection(configMap: string, secret: string, keys: { readonly username: string; readonly password: string }): MySqlConnection {
  return {
    host: { kind: 'ConfigMap', name: configMap, key: 'host' },
    port: { kind: 'ConfigMap', name: configMap, key: 'port' },
    database: { kind: 'ConfigMap', name: configMap, key: 'database' },
    user: { kind: 'Secret', name: secret, key: keys.username },
    password: { kind: 'Secret', name: secret, key: keys.password },
  };
}
