// Renders a chart's API objects, through the fast path where cdk8s's own rendering can be reproduced.
import { ApiObject, App, Chart, DependencyGraph, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { fastToJson } from './cdk8s-internals';

/**
 * The chart's manifests: `toJson()` of its API objects in dependency order (or the chart's own `toJson()`).
 * `inTreeOrder`: the app has no dependencies (see {@link chartApiObjects}); `fastPath`: the installed cdk8s is
 * one the fast rendering was tested against (see {@link cdk8sFastPathTested}).
 */
export function renderChart(chart: Chart, inTreeOrder: boolean, fastPath: boolean): any[] {
  if (chart.toJson !== Chart.prototype.toJson) return chart.toJson();
  const objects = chartApiObjects(chart, inTreeOrder);
  const fast = fastPath && hasDefaultResolvers(chart);
  return objects.map((o) => (fast ? fastToJson(o) : o.toJson()));
}

/** Whether the app resolves values with cdk8s's three built-in resolvers only (no custom `resolvers`). */
function hasDefaultResolvers(chart: Chart): boolean {
  const r = App.of(chart).resolvers;
  // Exact classes: a subclass put in place of a built-in (app.resolvers is a mutable array) may resolve differently.
  return r.length === 3 && r[0]?.constructor === LazyResolver && r[1]?.constructor === ImplicitTokenResolver && r[2]?.constructor === NumberStringUnionResolver;
}

/**
 * The API objects whose closest chart is `chart`, in dependency order (cdk8s's `chartToKube`). With
 * `inTreeOrder` (no construct of the app has a dependency) that order is the construct tree's pre-order.
 */
export function chartApiObjects(chart: Chart, inTreeOrder: boolean): ApiObject[] {
  const ordered = inTreeOrder ? chart.node.findAll() : new DependencyGraph(chart.node).topology();
  return ordered.filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}
