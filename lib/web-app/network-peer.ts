// The peers a WebApp's NetworkPolicy names.
import { Json, fail, isDns1123Label, isStrictSubnet, show, validateCidr, validateLabels } from '../core';
import { renderNetworkPolicyPeer } from '../k8s';
import type { WebApp } from './webapp';

/** Something a NetworkPolicy rule can name: another WebApp, a namespace, pods by label, or an IP block. */
export class NetworkPeer {
  /** The pods of a WebApp (in its namespace). */
  public static webApp(app: WebApp): NetworkPeer {
    return new NetworkPeer(app.selectorLabels, app.namespace, undefined, app);
  }

  /** Every pod in a namespace (by its `kubernetes.io/metadata.name` label). `name` must be a DNS-1123 label. */
  public static namespace(name: string): NetworkPeer {
    validateNamespaceName('namespace', name);
    return new NetworkPeer(undefined, name);
  }

  /**
   * Pods with these labels, in `namespace` (default: the policy's own namespace). Label keys and values
   * must be valid (`app`, `app.kubernetes.io/name`; values of at most 63 characters).
   */
  public static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    validateLabels('NetworkPeer', 'pods label', labels);
    if (namespace !== undefined) validateNamespaceName('pods namespace', namespace);
    return new NetworkPeer({ ...labels }, namespace);
  }

  /**
   * Pods with these labels in any namespace (`namespaceSelector: {}`), e.g. an Istio ingress gateway
   * selected by its labels wherever it is installed.
   */
  public static podsInAnyNamespace(labels: Record<string, string>): NetworkPeer {
    validateLabels('NetworkPeer', 'pods label', labels);
    return new NetworkPeer({ ...labels }, undefined, undefined, undefined, true);
  }

  /** Any address, in or outside the cluster (`0.0.0.0/0` and `::/0`): for a destination known only at run time. */
  public static anywhere(): NetworkPeer {
    return new NetworkPeer(undefined, undefined, { cidr: '0.0.0.0/0' }, undefined, false, true);
  }

  /** An IPv4/IPv6 CIDR, optionally with exceptions, each a strict subset of `cidr` (as the apiserver requires). */
  public static ipBlock(cidr: string, except: string[] = []): NetworkPeer {
    validateCidr('NetworkPeer', 'cidr', cidr);
    except.forEach((e) => {
      validateCidr('NetworkPeer', 'except', e);
      if (!isStrictSubnet(cidr, e)) {
        fail('NetworkPeer', `ipBlock except ${show(e)} is not a strict subset of cidr ${show(cidr)} (the apiserver would reject the NetworkPolicy)`,
          `list only ranges inside ${cidr} with a longer prefix, or widen cidr`);
      }
    });
    return new NetworkPeer(undefined, undefined, { cidr, except: except.length ? [...except] : undefined });
  }

  private constructor(
    private readonly podLabels?: Record<string, string>,
    private readonly peerNamespace?: string,
    private readonly ipBlock?: { cidr: string; except?: string[] },
    /** The WebApp behind this peer, if any. */
    public readonly app?: WebApp,
    private readonly anyNamespace = false,
    private readonly everywhere = false,
  ) {}

  /** A readable description, e.g. for error messages. */
  public toString(): string {
    if (this.app) return `WebApp '${this.app.name}'`;
    if (this.everywhere) return 'anywhere';
    if (this.ipBlock) return `ipBlock ${this.ipBlock.cidr}`;
    return `pods ${JSON.stringify(this.podLabels ?? {})} in namespace ${this.anyNamespace ? '(any)' : this.peerNamespace ?? '(same)'}`;
  }

  /**
   * The NetworkPolicy peer object as seen from a policy in `fromNamespace`.
   * @internal
   */
  public _render(fromNamespace: string | undefined): Json {
    return renderNetworkPolicyPeer({ podLabels: this.podLabels, namespace: this.peerNamespace, anyNamespace: this.anyNamespace, ipBlock: this.ipBlock }, fromNamespace);
  }

  /**
   * The NetworkPolicy peers (`from[]` / `to[]` entries) as seen from a policy in `fromNamespace`: one,
   * or for {@link anywhere} the IPv4 and IPv6 catch-alls.
   * @internal
   */
  public _renderAll(fromNamespace: string | undefined): Json[] {
    return this.everywhere ? [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] : [this._render(fromNamespace)];
  }
}

function validateNamespaceName(prop: string, name: string): void {
  if (typeof name !== 'string' || !isDns1123Label(name)) {
    fail('NetworkPeer', `${prop} ${show(name)} is not a DNS-1123 label, so no namespace has that name`,
      'use the namespace\'s name: at most 63 lowercase letters, digits and \'-\' (e.g. \'monitoring\')');
  }
}
