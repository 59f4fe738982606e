/**
 * References of the progressive-delivery controllers' objects: a Flagger `Canary` (targetRef,
 * autoscalerRef, service.gateways or, on the Gateway API, service.gatewayRefs, metric templateRefs) and an
 * Argo Rollouts `Rollout` (workloadRef, its Services, the VirtualService routes and DestinationRule subsets
 * it moves or the HTTPRoutes of its Gateway API plugin, its AnalysisTemplates). Rule names match kcheck's
 * (`rollout-httproute`, which kcheck does not check, is ours).
 */
import { groupOf } from '../../core/identity';
import { Bundle, isObj, Obj, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { gatewayRef } from './istio';
import { Report } from './report';

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The Argo Rollouts Gateway API plugin's key under `trafficRouting.plugins`. */
const ARGO_GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** The object `ref` names in `ns`, when it exists with the API group `ref.apiVersion` says (or `fallbackGroup`). */
function findRef(bundle: Bundle, ns: string, ref: Obj, fallbackGroup: string): SourceDoc | undefined {
  const found = bundle.find(ref.kind, ns, ref.name);
  const group = typeof ref.apiVersion === 'string' ? groupOf(ref.apiVersion) : fallbackGroup;
  return found && groupOf(String(found.doc.apiVersion)) === group ? found : undefined;
}

/** Flagger `Canary` (flagger.app). */
export function checkFlaggerCanary(bundle: Bundle, d: SourceDoc, report: Report): void {
  const spec = d.doc.spec ?? {};
  const ns = Bundle.namespaceOf(d.doc);
  for (const [field, rule, fallback] of [['targetRef', 'canary-target', 'apps'], ['autoscalerRef', 'canary-autoscaler', 'autoscaling']] as const) {
    const ref = spec[field];
    if (!isObj(ref) || typeof ref.name !== 'string' || typeof ref.kind !== 'string') continue;
    if (!findRef(bundle, ns, ref, fallback)) report(d, Level.ERROR, rule, `/spec/${field}`, `${field} ${ref.kind}/${ref.name} not found in namespace '${ns}'`);
  }
  list(spec.service?.gateways).forEach((g: unknown, i: number) => {
    if (typeof g !== 'string') return;
    const r = gatewayRef(g, ns);
    if (!r.mesh && !bundle.find('Gateway', r.ns, r.name)) {
      report(d, Level.ERROR, 'canary-gateway', `/spec/service/gateways/${i}`, `gateway '${g}' not found (no Gateway ${r.ns}/${r.name} in the bundle); add the Gateway or fix the name`);
    }
  });
  checkGatewayRefs(bundle, d, report);
  list(spec.analysis?.metrics).forEach((m: Obj, i: number) => {
    const ref = m?.templateRef;
    if (!isObj(ref) || typeof ref.name !== 'string') return;
    const tns = typeof ref.namespace === 'string' ? ref.namespace : ns;
    if (!bundle.find('MetricTemplate', tns, ref.name)) {
      report(d, Level.ERROR, 'canary-metric', `/spec/analysis/metrics/${i}/templateRef`, `metric ${m.name}: MetricTemplate '${ref.name}' not found in namespace '${tns}'`);
    }
  });
}

/**
 * Flagger on the Gateway API: `service.gatewayRefs` must name a Gateway API Gateway of the bundle, or a
 * Service (GAMMA): the Canary's own `<name>` (Flagger creates it) or one of the bundle. Flagger refuses a
 * `gatewayapi` provider without gatewayRefs.
 */
function checkGatewayRefs(bundle: Bundle, d: SourceDoc, report: Report): void {
  const spec = d.doc.spec ?? {};
  const ns = Bundle.namespaceOf(d.doc);
  const refs = list(spec.service?.gatewayRefs);
  if (typeof spec.provider === 'string' && spec.provider.startsWith('gatewayapi') && refs.length === 0) {
    report(d, Level.ERROR, 'canary-gateway', '/spec/service', `provider ${spec.provider} needs service.gatewayRefs (the parents of the HTTPRoute Flagger generates); add the Gateway (or the Service, for GAMMA)`);
  }
  const apex = typeof spec.service?.name === 'string' ? spec.service.name : spec.targetRef?.name;
  refs.forEach((ref: Obj, i: number) => {
    if (!isObj(ref) || typeof ref.name !== 'string') return;
    const rns = typeof ref.namespace === 'string' ? ref.namespace : ns;
    const kind = ref.kind ?? 'Gateway';
    const group = ref.group ?? GATEWAY_API_GROUP;
    if (kind === 'Service' && (group === '' || group === 'core')) {
      if ((ref.name !== apex || rns !== ns) && !bundle.find('Service', rns, ref.name)) {
        report(d, Level.ERROR, 'canary-gateway', `/spec/service/gatewayRefs/${i}`, `Service '${ref.name}' not found in namespace '${rns}' (and it is not the Canary's own Service '${apex}', which Flagger creates)`);
      }
    } else if (kind === 'Gateway' && group === GATEWAY_API_GROUP && !bundle.ofKind('Gateway', rns).some((g) => g.doc.metadata?.name === ref.name && groupOf(String(g.doc.apiVersion)) === GATEWAY_API_GROUP)) {
      report(d, Level.ERROR, 'canary-gateway', `/spec/service/gatewayRefs/${i}`, `Gateway API Gateway '${ref.name}' not found in namespace '${rns}'; add the Gateway or fix the reference`);
    }
  });
}

/** Argo Rollouts `Rollout` (argoproj.io). */
export function checkRollout(bundle: Bundle, d: SourceDoc, report: Report): void {
  const spec = d.doc.spec ?? {};
  const ns = Bundle.namespaceOf(d.doc);
  const wl = spec.workloadRef;
  if (isObj(wl) && typeof wl.name === 'string' && !findRef(bundle, ns, { kind: 'Deployment', ...wl }, 'apps')) {
    report(d, Level.ERROR, 'rollout-workload', '/spec/workloadRef', `workloadRef ${wl.kind ?? 'Deployment'}/${wl.name} not found in namespace '${ns}'`);
  }
  const canary = spec.strategy?.canary ?? {};
  const blueGreen = spec.strategy?.blueGreen ?? {};
  for (const [at, name] of [['canary/canaryService', canary.canaryService], ['canary/stableService', canary.stableService],
    ['blueGreen/activeService', blueGreen.activeService], ['blueGreen/previewService', blueGreen.previewService]]) {
    if (typeof name === 'string' && name && !bundle.find('Service', ns, name)) report(d, Level.ERROR, 'rollout-service', `/spec/strategy/${at}`, `Service '${name}' not found in namespace '${ns}'`);
  }
  const istio = canary.trafficRouting?.istio;
  if (isObj(istio)) checkRolloutIstio(bundle, d, report, istio, canary);
  const plugin = canary.trafficRouting?.plugins?.[ARGO_GATEWAY_API_PLUGIN];
  if (isObj(plugin)) checkRolloutGatewayApi(bundle, d, report, plugin, canary);
  const analyses: Array<[string, Obj]> = [['canary/analysis', canary.analysis], ['blueGreen/prePromotionAnalysis', blueGreen.prePromotionAnalysis],
    ['blueGreen/postPromotionAnalysis', blueGreen.postPromotionAnalysis]];
  list(canary.steps).forEach((s: Obj, i: number) => analyses.push([`canary/steps/${i}/analysis`, s?.analysis]));
  for (const [at, analysis] of analyses) {
    list(analysis?.templates).forEach((t: Obj, j: number) => {
      if (typeof t?.templateName !== 'string') return;
      const kind = t.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      if (!bundle.find(kind, t.clusterScope === true ? '' : ns, t.templateName)) {
        report(d, Level.ERROR, 'rollout-analysis', `/spec/strategy/${at}/templates/${j}`, `${kind} '${t.templateName}' not found${t.clusterScope === true ? '' : ` in namespace '${ns}'`}`);
      }
    });
  }
}

/**
 * The Argo Rollouts Gateway API plugin: every HTTPRoute it names (`httpRoute`, `httpRoutes[].name`, in the
 * plugin's `namespace` or the Rollout's) must exist, and a rule of it must list both the stable and the
 * canary Service (the plugin moves their weights and fails when either is missing).
 */
function checkRolloutGatewayApi(bundle: Bundle, d: SourceDoc, report: Report, plugin: Obj, canary: Obj): void {
  const ns = typeof plugin.namespace === 'string' && plugin.namespace ? plugin.namespace : Bundle.namespaceOf(d.doc);
  const at = `/spec/strategy/canary/trafficRouting/plugins/${ARGO_GATEWAY_API_PLUGIN.replace('/', '~1')}`;
  const refs: Array<[string, unknown]> = [
    ...(plugin.httpRoute !== undefined ? [[`${at}/httpRoute`, plugin.httpRoute] as [string, unknown]] : []),
    ...list(plugin.httpRoutes).map((r: Obj, i: number) => [`${at}/httpRoutes/${i}`, r?.name] as [string, unknown]),
  ];
  for (const [where, name] of refs) {
    if (typeof name !== 'string') continue;
    const route = bundle.ofKind('HTTPRoute', ns).find((r) => r.doc.metadata?.name === name && groupOf(String(r.doc.apiVersion)) === GATEWAY_API_GROUP);
    if (!route) {
      report(d, Level.ERROR, 'rollout-httproute', where, `HTTPRoute '${name}' not found in namespace '${ns}'; add it or fix the name`);
      continue;
    }
    const services = [canary.stableService, canary.canaryService].filter((x): x is string => typeof x === 'string');
    const weighted = list(route.doc.spec?.rules).some((r: Obj) => services.every((svc) => list(r?.backendRefs).some((b: Obj) => b?.name === svc && (b.kind ?? 'Service') === 'Service')));
    if (services.length === 2 && !weighted) {
      report(d, Level.ERROR, 'rollout-httproute', where, `HTTPRoute '${name}' has no rule with backendRefs to both '${services[0]}' and '${services[1]}'; the Gateway API plugin moves the weights of both`);
    }
  }
}

/** The VirtualService routes Argo moves must exist and hold both subsets (or both Services); the DestinationRule must define the subsets. */
function checkRolloutIstio(bundle: Bundle, d: SourceDoc, report: Report, istio: Obj, canary: Obj): void {
  const ns = Bundle.namespaceOf(d.doc);
  const at = '/spec/strategy/canary/trafficRouting/istio';
  const dr = isObj(istio.destinationRule) ? istio.destinationRule : undefined;
  const refs: Array<[string, Obj]> = [
    ...(isObj(istio.virtualService) ? [[`${at}/virtualService`, istio.virtualService] as [string, Obj]] : []),
    ...list(istio.virtualServices).map((v: Obj, i: number) => [`${at}/virtualServices/${i}`, v] as [string, Obj]),
  ];
  for (const [where, ref] of refs) {
    if (typeof ref?.name !== 'string') continue;
    const [name, vsNs = ns] = ref.name.split('.');
    const vs = bundle.find('VirtualService', vsNs, name);
    if (!vs) {
      report(d, Level.ERROR, 'rollout-istio', where, `VirtualService '${name}' not found in namespace '${vsNs}'`);
      continue;
    }
    const http: Obj[] = list(vs.doc.spec?.http).filter(isObj);
    const names: string[] = list(ref.routes).filter((r: unknown) => typeof r === 'string');
    const routes: Obj[] = [];
    for (const r of names) {
      const route = http.find((h) => h.name === r);
      if (route) routes.push(route);
      else report(d, Level.ERROR, 'rollout-istio', `${where}/routes`, `VirtualService '${name}' has no HTTP route named '${r}'`);
    }
    if (names.length === 0) {
      if (http.length === 1) routes.push(http[0]);
      else report(d, Level.ERROR, 'rollout-istio', where, `routes is omitted, so VirtualService '${name}' must have exactly one HTTP route (it has ${http.length})`);
    }
    for (const route of routes) {
      const dests: Obj[] = list(route.route).map((x: Obj) => x?.destination ?? {});
      const wanted = dr ? [dr.stableSubsetName, dr.canarySubsetName] : [canary.stableService, canary.canaryService];
      for (const w of wanted.filter((x): x is string => typeof x === 'string')) {
        const ok = dr ? dests.some((x) => x.subset === w) : dests.some((x) => typeof x.host === 'string' && x.host.split('.')[0] === w);
        if (!ok) report(d, Level.ERROR, 'rollout-istio', where, `HTTP route '${route.name ?? '(the only one)'}' of VirtualService '${name}' has no destination ${dr ? `with subset '${w}'` : `for Service '${w}'`}; Argo moves the weights of both`);
      }
    }
  }
  if (dr && typeof dr.name === 'string') {
    const rule = bundle.find('DestinationRule', ns, dr.name);
    if (!rule) {
      report(d, Level.ERROR, 'rollout-istio', `${at}/destinationRule`, `DestinationRule '${dr.name}' not found in namespace '${ns}'`);
      return;
    }
    const subsets = list(rule.doc.spec?.subsets).map((s: Obj) => s?.name);
    for (const field of ['stableSubsetName', 'canarySubsetName']) {
      if (typeof dr[field] === 'string' && !subsets.includes(dr[field])) report(d, Level.ERROR, 'rollout-istio', `${at}/destinationRule/${field}`, `DestinationRule '${dr.name}' has no subset '${dr[field]}'`);
    }
  }
}
