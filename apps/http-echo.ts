import { App } from 'cdk8s';
import { Probe, WebApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/** hashicorp/http-echo answering "hello world v1" on container port 5678, Service port 80. */
export const httpEcho: ExampleApp = {
  name: 'http-echo',
  description: 'hashicorp/http-echo behind a ClusterIP Service on port 80',
  build(app: App) {
    const chart = namespacedChart(app, 'http-echo');
    new WebApp(chart, 'http-echo', {
      image: 'hashicorp/http-echo:1.0',
      args: ['-text=hello world v1'],
      port: 5678,
      readiness: Probe.httpGet('/'),
    });
  },
};
