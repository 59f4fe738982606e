import { App, Chart, Duration } from 'cdk8s';
import { DefaultBackend, Probe, StickyIngress, StickyStrategy, WebApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/**
 * The seed's test app: an HTTP server that echoes the request back (so `curl` shows which pod
 * answered and which cookie came in), on port 3000. The tag is pinned as the project rules require;
 * it could not be checked against Docker Hub from the build machine (npm registry only), so confirm
 * it exists before deploying (`docker manifest inspect`).
 */
export const HTTP_DEBUG_SERVER_IMAGE = 'cotoami/http-debug-server:1.0.0';

/**
 * Builds the seed's app (3 replicas of http-debug-server behind a ClusterIP Service) in `chart`.
 * Shared by sticky-debug and sticky-mesh so the two differ only in the stickiness layer.
 */
export function httpDebugServer(chart: Chart): WebApp {
  return new WebApp(chart, 'http-debug', {
    image: HTTP_DEBUG_SERVER_IMAGE,
    port: 3000,
    replicas: 3,
    readiness: Probe.httpGet('/'),
  });
}

/**
 * Seed scenario: sticky sessions through the NGINX ingress controller, which picks the pod itself
 * (kube-proxy is bypassed) and pins it with a cookie named `route`. The app routes `/` as a prefix,
 * so every path of `debug.example.com` reaches it; the 404 default backend answers requests for
 * hosts no Ingress of class `nginx` defines, through the rules-less Ingress
 * `http-debug-default-backend` (ingress-nginx ignores `spec.defaultBackend` as a catch-all on an
 * Ingress that has rules). The app's Service stays ClusterIP: only the Ingress exposes it.
 */
export const stickyDebug: ExampleApp = {
  name: 'sticky-debug',
  description: 'http-debug-server x3 behind ingress-nginx cookie affinity (cookie route) with a 404 catch-all default backend',
  build(app: App) {
    const chart = namespacedChart(app, 'sticky-debug');
    const debug = httpDebugServer(chart);
    new StickyIngress(chart, 'sticky', {
      name: 'http-debug',
      backend: debug,
      host: 'debug.example.com',
      strategy: StickyStrategy.nginxCookie({ name: 'route', maxAge: Duration.hours(48) }),
      defaultBackend: DefaultBackend.notFound(),
    });
  },
};
