// How a WebApp's pods are spread over nodes and zones.
import { fail, isQualifiedName, show, validateInt } from '../core';
import { TopologySpreadModel, WhenUnsatisfiable, WorkloadKind } from '../k8s';

/** One domain to spread the pods over (a node label), for {@link TopologySpread.custom}. */
export interface TopologySpreadConstraint {
  /** The node label whose values are the domains, e.g. `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
  /** Most pods one domain may have above the emptiest one (>= 1). @default 1 */
  readonly maxSkew?: number;
  /**
   * `ScheduleAnyway` (a preference: a pod still starts when nodes or zones are short) or
   * `DoNotSchedule` (a rule: the pod stays Pending).
   * @default 'ScheduleAnyway'
   */
  readonly whenUnsatisfiable?: WhenUnsatisfiable;
}

/** The node label of a node's name: one domain per node. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
/** The node label of a node's zone: one domain per zone. */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

/**
 * `topologySpreadConstraints` of a WebApp's pods, so that one node or zone going down does not take
 * every replica with it.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export class TopologySpread {
  /**
   * Across nodes (`kubernetes.io/hostname`) and zones (`topology.kubernetes.io/zone`), `maxSkew: 1`,
   * `ScheduleAnyway` (a preference: a single-node or single-zone cluster still runs every replica), plus
   * a preferred host `podAntiAffinity` (what kube-score's anti-affinity check reads), when the app can
   * run more than one replica; nothing for a single replica.
   */
  public static nodesAndZones(): TopologySpread {
    return new TopologySpread([{ topologyKey: HOSTNAME_TOPOLOGY_KEY }, { topologyKey: ZONE_TOPOLOGY_KEY }], false, true);
  }

  /** No topologySpreadConstraints: the scheduler's own (cluster-level) defaults apply. */
  public static none(): TopologySpread {
    return new TopologySpread([], false);
  }

  /** These constraints, whatever the replica count. */
  public static custom(constraints: TopologySpreadConstraint[]): TopologySpread {
    return new TopologySpread(constraints, true);
  }

  private constructor(
    /** The constraints. */
    public readonly constraints: readonly TopologySpreadConstraint[],
    /** Rendered for a single replica too. */
    private readonly always: boolean,
    /** Also render a preferred host podAntiAffinity. */
    private readonly hostAntiAffinity = false,
  ) {}

  /**
   * Whether the pods also get a preferred host podAntiAffinity (the default, for more than one replica).
   * @internal
   */
  public _hostAntiAffinity(maxReplicas: number): boolean {
    return this.hostAntiAffinity && maxReplicas > 1;
  }

  /**
   * Checks the constraints and returns their models for the pods `selector` of a workload of `kind`
   * that runs at most `maxReplicas` pods (`pod-template-hash` is a Deployment's).
   * @internal
   */
  public _resolve(owner: string, selector: Readonly<Record<string, string>>, kind: WorkloadKind, maxReplicas: number): TopologySpreadModel[] {
    if (!Array.isArray(this.constraints)) fail(owner, `topologySpread constraints ${show(this.constraints)} is not a list`, 'pass TopologySpread.custom([{ topologyKey: \'topology.kubernetes.io/zone\' }])', 'topologySpread');
    const seen = new Set<string>();
    const models = this.constraints.map((c, i): TopologySpreadModel => {
      const at = `topologySpread[${i}]`;
      if (typeof c?.topologyKey !== 'string' || !isQualifiedName(c.topologyKey)) {
        fail(owner, `${at}.topologyKey ${show(c?.topologyKey)} is not a node label key`, `use e.g. '${HOSTNAME_TOPOLOGY_KEY}' or '${ZONE_TOPOLOGY_KEY}'`, 'topologySpread');
      }
      if (seen.has(c.topologyKey)) fail(owner, `${at}.topologyKey ${show(c.topologyKey)} is listed twice`, 'give each topology key once', 'topologySpread');
      seen.add(c.topologyKey);
      const maxSkew = c.maxSkew ?? 1;
      validateInt(owner, `${at}.maxSkew`, maxSkew, 1);
      const when = c.whenUnsatisfiable ?? 'ScheduleAnyway';
      if (when !== 'ScheduleAnyway' && when !== 'DoNotSchedule') {
        fail(owner, `${at}.whenUnsatisfiable ${show(when)} is not ScheduleAnyway or DoNotSchedule`, 'use \'ScheduleAnyway\' (a preference) or \'DoNotSchedule\' (a rule)', 'topologySpread');
      }
      return {
        topologyKey: c.topologyKey, maxSkew, whenUnsatisfiable: when, selector,
        matchLabelKeys: kind === WorkloadKind.DEPLOYMENT ? ['pod-template-hash'] : undefined,
      };
    });
    return this.always || maxReplicas > 1 ? models : [];
  }
}
