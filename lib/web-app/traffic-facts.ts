// A WebApp's part in the traffic rules of CanaryRelease and StickyIngress (lib/routing/traffic-facts.ts):
// its pod template (whether its pods get the Istio sidecar) and its Ingress, registered from its model
// and state, again after each method call that changes them (the latest fact of an object counts).
import { ApiObject } from 'cdk8s';
import { AppRegistry } from '../registry';
import { INGRESSES, POD_TEMPLATES, ingressFact } from '../routing/traffic-facts';
import { WebAppModel, WebAppState } from './model';
import { ingressSpec } from './render';
import type { WebApp } from './webapp';

/** Registers the labels and annotations of `app`'s pod template as they are now. */
export function registerPodTemplate(app: WebApp, model: WebAppModel, state: WebAppState): void {
  AppRegistry.of(app).register(POD_TEMPLATES, app, { workload: app.workload, labels: model.podLabels, annotations: { ...state.podAnnotations } });
}

/** Registers `ingress` (the app's Ingress, see WebApp.exposeViaIngress) as it is now: the same reading as a rendered Ingress's. */
export function registerIngress(app: WebApp, ingress: ApiObject, state: WebAppState): void {
  const metadata = ingress.metadata.toJson();
  AppRegistry.of(app).register(INGRESSES, app, ingressFact(ingress, { metadata, spec: ingressSpec(state) }));
}
