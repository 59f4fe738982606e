import { Json } from '../k8s-object';

// Service Catalog (servicecatalog.k8s.io/v1beta1) specs. The CRDs ship no schema, so the generated
// classes in imports/ have no `spec`: these interfaces follow kubernetes-sigs/service-catalog
// pkg/apis/servicecatalog/v1beta1/types.go, and the objects are rendered with `manifest()`.

/** The Service Catalog API version of ServiceInstance and ServiceBinding. */
export const SERVICE_CATALOG_API_VERSION = 'servicecatalog.k8s.io/v1beta1';

/** A key of a Secret in the object's namespace (`SecretKeyReference` in types.go). */
export interface SecretKeyReference {
  /** The Secret's name. */
  readonly name: string;
  /** The key whose value is used. */
  readonly key: string;
}

/**
 * Parameters read from a Secret key holding a JSON object (`ParametersFromSource`); the broker receives
 * them merged into `parameters`. The way to pass secrets (e.g. an admin password) to a broker without
 * writing them into the ServiceInstance.
 */
export interface ParametersFromSource {
  /** The Secret key holding a JSON object of parameters. */
  readonly secretKeyRef: SecretKeyReference;
}

/** `spec` of a Service Catalog ServiceInstance (the fields this library renders). @see https://github.com/kubernetes-sigs/service-catalog/blob/master/pkg/apis/servicecatalog/v1beta1/types.go */
export interface ServiceInstanceSpec {
  /** The broker's external name of the ClusterServiceClass (e.g. `azure-mysql-5-7`). */
  readonly clusterServiceClassExternalName: string;
  /** The broker's external name of the ClusterServicePlan (e.g. `basic`). */
  readonly clusterServicePlanExternalName: string;
  /** Provisioning parameters sent to the broker. @default - none */
  readonly parameters?: Json;
  /** Provisioning parameters read from Secrets. @default - none */
  readonly parametersFrom?: ParametersFromSource[];
}

/** One transformation of the binding Secret's keys (`SecretTransform`); exactly one field is set. */
export interface SecretTransform {
  /** Renames a key. */
  readonly renameKey?: { readonly from: string; readonly to: string };
  /** Adds a key with a literal value or a JSONPath into the credentials. */
  readonly addKey?: { readonly key: string; readonly stringValue?: string; readonly jsonPathExpression?: string };
  /** Copies every key of another Secret. */
  readonly addKeysFrom?: { readonly secretRef: { readonly name: string; readonly namespace?: string } };
  /** Removes a key. */
  readonly removeKey?: { readonly key: string };
}

/** `spec` of a Service Catalog ServiceBinding (the fields this library renders). @see https://github.com/kubernetes-sigs/service-catalog/blob/master/pkg/apis/servicecatalog/v1beta1/types.go */
export interface ServiceBindingSpec {
  /** The ServiceInstance (same namespace) to bind to. */
  readonly instanceRef: { readonly name: string };
  /** The Secret the credentials are written to. @default - the binding's name */
  readonly secretName?: string;
  /** Binding parameters sent to the broker. @default - none */
  readonly parameters?: Json;
  /** Binding parameters read from Secrets. @default - none */
  readonly parametersFrom?: ParametersFromSource[];
  /** Transformations of the credentials before they are written. @default - none */
  readonly secretTransforms?: SecretTransform[];
}
