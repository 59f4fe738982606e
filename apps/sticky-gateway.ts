import { App, Duration } from 'cdk8s';
import { Gateway, GatewayImplementation, ListenerProtocol, NetworkPeer, StickyIngress, StickyStrategy } from '../lib';
import { ExampleApp, namespacedChart } from './registry';
import { httpDebugServer } from './sticky-debug';

/**
 * {@link stickyDebug} on the Gateway API: the same three http-debug-server pods behind an Envoy Gateway
 * `Gateway` (class `eg`), kept on one pod by the HTTPRoute's `sessionPersistence` (cookie `route`, 48 h,
 * a permanent cookie). `sessionPersistence` is an experimental-channel field of Gateway API v1.6.1, so
 * the cluster needs the experimental CRDs and the strategy says `experimental: true`; the route is
 * annotated `noops.io/gateway-api-channel: experimental`. The app is isolated: its NetworkPolicy admits
 * the Gateway's proxies only (Envoy Gateway runs them in `envoy-gateway-system` by default).
 */
export const stickyGateway: ExampleApp = {
  name: 'sticky-gateway',
  description: 'http-debug-server x3 behind an Envoy Gateway with HTTPRoute sessionPersistence (cookie route, experimental channel)',
  build(app: App) {
    const chart = namespacedChart(app, 'sticky-gateway');
    const gateway = new Gateway(chart, 'gateway', {
      name: 'debug',
      gatewayClassName: 'eg',
      listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'debug.example.com' }],
    });
    const debug = httpDebugServer(chart);
    debug.isolate();
    debug.allowFrom(NetworkPeer.namespace('envoy-gateway-system'));
    new StickyIngress(chart, 'sticky', {
      name: 'http-debug',
      backend: debug,
      host: 'debug.example.com',
      gateway,
      strategy: StickyStrategy.gatewayApiCookie({
        implementation: GatewayImplementation.ENVOY_GATEWAY,
        name: 'route',
        absoluteTimeout: Duration.hours(48),
        permanent: true,
        experimental: true,
      }),
    });
  },
};
