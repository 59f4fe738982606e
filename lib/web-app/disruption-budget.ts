// Pod disruption budgets.

/** How many pods voluntary disruptions (drains, upgrades) may take down at once. */
export class DisruptionBudget {
  /** At most `n` (an integer, or a percentage such as `'25%'`) pods unavailable. */
  public static maxUnavailable(n: number | string): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', n);
  }

  /** At least `n` (an integer, or a percentage) pods available. */
  public static minAvailable(n: number | string): DisruptionBudget {
    return new DisruptionBudget('minAvailable', n);
  }

  /** No PodDisruptionBudget. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget('none', 0);
  }

  private constructor(
    /** Which field the budget sets. */
    public readonly field: 'maxUnavailable' | 'minAvailable' | 'none',
    /** Its value. */
    public readonly value: number | string,
  ) {}
}
