import { ApiObject } from 'cdk8s';
import { CLUSTER_SCOPED_KINDS, objectKey } from '../core/identity';
import { tryRender } from './registry';

/**
 * What makes an API object one object to the apiserver, read from any `ApiObject` (ours or hand-written):
 * API group, kind, namespace and name (fixed once the object is created), with its construct path and
 * a content fingerprint computed only when asked (rendering an object costs).
 */
export class ObjectIdentity {
  /** `o`'s identity, or `undefined` when its name is a token (resolved later, so it cannot be compared). */
  public static of(o: ApiObject): ObjectIdentity | undefined {
    const name = o.metadata.name;
    return typeof name === 'string' ? new ObjectIdentity(o, name, o.metadata.namespace) : undefined;
  }

  /** Group, kind, namespace (none for a cluster-scoped kind) and name as one string ({@link objectKey}). */
  public readonly key: string;
  private rendered?: { readonly fingerprint: string | undefined };

  private constructor(
    /** The object. */
    public readonly object: ApiObject,
    /** `metadata.name`. */
    public readonly name: string,
    /** `metadata.namespace` (`undefined`: the kubectl context's). */
    public readonly namespace: string | undefined,
  ) {
    this.key = objectKey(object.apiVersion, object.kind, namespace, name);
  }

  /** The kind. */
  public get kind(): string {
    return this.object.kind;
  }

  /** The object's construct path. */
  public get path(): string {
    return this.object.node.path;
  }

  /** Where the object lives, as errors say it: nothing for a cluster-scoped kind. */
  public get where(): string {
    if (CLUSTER_SCOPED_KINDS.has(this.kind)) return '';
    return this.namespace === undefined ? ' (no namespace)' : ` in namespace '${this.namespace}'`;
  }

  /** The rendered object as a string (rendered once), or `undefined` when it does not render. */
  public fingerprint(): string | undefined {
    if (!this.rendered) {
      const json = tryRender(this.object);
      this.rendered = { fingerprint: json === undefined ? undefined : JSON.stringify(json) };
    }
    return this.rendered.fingerprint;
  }
}
