import { App } from 'cdk8s';
import { Gateway, ListenerProtocol, Probe, RoutePlacement, WebApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/**
 * {@link httpEcho} exposed through a Gateway API Gateway with `WebApp.exposeViaGateway`, the successor
 * of `exposeViaIngress`. A platform chart `http-echo-exposed-infra` owns the Gateway (class `istio`): an
 * HTTPS listener for `echo.example.com` (Secret `echo-tls`, created by cert-manager or by hand) and an
 * HTTP listener that redirects to it. The listeners admit routes from their own namespace only (the
 * Gateway API default), so the app's HTTPRoute is placed beside the Gateway, attached to the HTTPS
 * listener, and a ReferenceGrant in the app's namespace lets it name the Service. The app is isolated;
 * its NetworkPolicy admits the Gateway's namespace (where Istio runs the Gateway's proxies).
 */
export const httpEchoExposed: ExampleApp = {
  name: 'http-echo-exposed',
  description: 'hashicorp/http-echo exposed with exposeViaGateway: HTTPS listener, HTTP->HTTPS redirect, route beside the Gateway with a ReferenceGrant',
  build(app: App) {
    const infra = namespacedChart(app, 'http-echo-exposed-infra');
    const gateway = new Gateway(infra, 'gateway', {
      name: 'public',
      gatewayClassName: 'istio',
      listeners: [
        { name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'echo.example.com', redirectToHttps: true },
        { name: 'https', protocol: ListenerProtocol.HTTPS, hostname: 'echo.example.com', certificateRefs: [{ name: 'echo-tls' }] },
      ],
    });
    const chart = namespacedChart(app, 'http-echo-exposed');
    const echo = new WebApp(chart, 'http-echo', {
      image: 'hashicorp/http-echo:1.0',
      args: ['-text=hello world v1'],
      port: 5678,
      readiness: Probe.httpGet('/'),
    });
    echo.isolate();
    echo.exposeViaGateway({ gateway, hostnames: ['echo.example.com'], sectionName: 'https', routePlacement: RoutePlacement.GATEWAY_NAMESPACE });
  },
};
