import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { MySqlBinding, MySqlProvider, WebApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/** The seed scenario's app: it reads MYSQL_HOST, MYSQL_DATABASE, MYSQL_USER and MYSQL_PASSWORD and serves port 80. */
export function sampleOsbaMysqlApp(scope: Construct): WebApp {
  return new WebApp(scope, 'sample-osba-mysql', {
    image: 'yoichikawasaki/sample-osba-mysql:0.0.1',
    port: 80,
  });
}

/**
 * The OSBA seed scenario: Open Service Broker for Azure provisions Azure Database for MySQL from a
 * ServiceInstance (class azure-mysql-5-7, plan basic), a ServiceBinding writes the Secret
 * `example-mysql-secret`, and the app reads its connection settings from that Secret.
 */
export const osbaMysql: ExampleApp = {
  name: 'osba-mysql',
  description: 'sample-osba-mysql bound to Azure Database for MySQL through OSBA (Secret example-mysql-secret)',
  build(app: App) {
    const chart = namespacedChart(app, 'osba-mysql');
    const db = new MySqlBinding(chart, 'example', {
      // No firewall rules: OSBA then admits Azure IPs only, which covers an AKS cluster's egress.
      provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo' }),
    });
    db.bindTo(sampleOsbaMysqlApp(chart));
  },
};
