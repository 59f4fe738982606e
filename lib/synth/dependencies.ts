// What every `chart.toJson()` of cdk8s repeats for the whole app, done once: validation and dependency resolution.
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Runs every construct's validations; throws all errors at once, worded like cdk8s's. */
export function validate(all: IConstruct[]): void {
  const errors: string[] = [];
  for (const c of all) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * cdk8s's `resolveDependencies`, run once: nested charts and cross-chart construct dependencies become
 * chart dependencies, and construct dependencies become dependencies between their API objects.
 * Returns whether any chart depends on another (file names are then indexed).
 */
export function resolveDependencies(all: IConstruct[]): boolean {
  let hasDependantCharts = false;
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        hasDependantCharts = true;
      }
    }
  }
  const deps: Array<{ source: IConstruct; target: IConstruct }> = [];
  for (const source of all) for (const target of source.node.dependencies) deps.push({ source, target });
  for (const { source, target } of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }
  const subtree = new Map<IConstruct, IConstruct[]>();
  const findAll = (c: IConstruct) => {
    let found = subtree.get(c);
    if (!found) subtree.set(c, (found = c.node.findAll()));
    return found;
  };
  // cdk8s rebuilds the list here, so the chart dependencies added above take part as well.
  const allDeps: Array<{ source: IConstruct; target: IConstruct }> = [];
  for (const source of all) for (const target of source.node.dependencies) allDeps.push({ source, target });
  for (const { source, target } of allDeps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = findAll(target).filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = findAll(source).filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) {
      for (const s of sources) if (t !== s) s.node.addDependency(t);
    }
  }
  return hasDependantCharts;
}
