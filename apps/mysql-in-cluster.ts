import { App } from 'cdk8s';
import { MySqlBinding, MySqlProvider } from '../lib';
import { sampleOsbaMysqlApp } from './osba-mysql';
import { ExampleApp, namespacedChart } from './registry';

/**
 * The seed app with MySQL in the cluster: a one-replica StatefulSet `example-mysql` (official image,
 * non-root, read-only root filesystem) behind a headless Service, a 10Gi data volume, and a
 * NetworkPolicy that admits only the bound app. The credentials Secret `example-mysql-credentials`
 * (keys username, password, root-password) is created out of band, never rendered.
 */
export const mysqlInCluster: ExampleApp = {
  name: 'mysql-in-cluster',
  description: 'sample-osba-mysql bound to a MySQL StatefulSet in the cluster',
  build(app: App) {
    const chart = namespacedChart(app, 'mysql-in-cluster');
    const db = new MySqlBinding(chart, 'example', {
      provider: MySqlProvider.inCluster({ credentialsSecret: 'example-mysql-credentials', database: 'sampledb' }),
    });
    db.bindTo(sampleOsbaMysqlApp(chart), { waitForDatabase: true });
  },
};
