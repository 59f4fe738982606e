// A WebApp's part in the app-wide collision rules (lib/registry/rules): the facts it registers, and the
// errors the rules report on it. A fixed node port used twice, and selectors of two apps in one namespace
// that match each other's pods.
import { AppRegistry, NODE_PORTS, NODE_PORT_CONFLICTS, POD_SELECTORS, SELECTOR_OVERLAPS, errorsFor } from '../registry';
import type { WebApp } from './webapp';

/**
 * Registers `app`'s facts for the collision rules, once its objects exist: the distinct fixed node ports
 * of its Service (if any), and its selector and pod labels in its namespace. All fixed at construction.
 */
export function registerCollisionFacts(app: WebApp): void {
  const registry = AppRegistry.of(app);
  const owner = `WebApp '${app.name}'`;
  if (app.service) {
    for (const nodePort of new Set(app.ports.map((p) => p.nodePort).filter((n): n is number => n !== undefined))) {
      registry.register(NODE_PORTS, app, { nodePort, owner });
    }
  }
  registry.register(POD_SELECTORS, app, { namespace: app.namespace, selector: app.selectorLabels, podLabels: app.podLabels, owner });
}

/**
 * Synth-time check against the WebApps before `app` in tree order in the same cdk8s App: a node port
 * is allocated cluster-wide, so a second Service asking for it is rejected; and overlapping selectors
 * in one namespace make each Service route to the other app's pods and the Deployments fight over them.
 */
export function collisionErrors(app: WebApp): string[] {
  return [...errorsFor(app, NODE_PORT_CONFLICTS), ...errorsFor(app, SELECTOR_OVERLAPS)];
}
