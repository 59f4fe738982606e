import { App } from 'cdk8s';
import { MySqlBinding, MySqlProvider } from '../lib';
import { sampleOsbaMysqlApp } from './osba-mysql';
import { ExampleApp, namespacedChart } from './registry';

/**
 * The seed app bound to a database outside the cluster (an AWS RDS endpoint) through an ExternalName
 * Service `example-mysql`. Host, port and database are in the ConfigMap `example-mysql-connection`;
 * the credentials are in the Secret `example-mysql-credentials` (keys username, password), which the
 * operator creates out of band (kubectl, external-secrets): it is not part of the manifests.
 */
export const rdsExternal: ExampleApp = {
  name: 'rds-external',
  description: 'sample-osba-mysql bound to an external (RDS) MySQL through an ExternalName Service',
  build(app: App) {
    const chart = namespacedChart(app, 'rds-external');
    const db = new MySqlBinding(chart, 'example', {
      provider: MySqlProvider.external({
        host: 'example-mysql.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com',
        database: 'sampledb',
        credentialsSecret: 'example-mysql-credentials',
      }),
    });
    db.bindTo(sampleOsbaMysqlApp(chart), { waitForDatabase: true });
  },
};
