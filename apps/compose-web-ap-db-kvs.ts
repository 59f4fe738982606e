import * as path from 'path';
import { App } from 'cdk8s';
import { ComposeApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/** The compose file of the seed scenario (real images substituted). */
export const WEB_AP_DB_KVS_COMPOSE_FILE = path.join(__dirname, 'compose', 'web-ap-db-kvs.yml');

/**
 * The Web / AP / DB / KVS application that Kompose half-converted: here every service that another
 * one addresses gets a Service (DB and KVS have no `ports`; their images' well-known ports are used),
 * `DB`/`KVS`/`WEB`/`AP` become lowercase Service names, the DB credentials are read from the existing
 * Secret `web-ap-db-kvs-credentials` (keys MYSQL_PASSWORD and MYSQL_ROOT_PASSWORD, never in dist/),
 * healthchecks become probes and `depends_on` becomes wait-for init containers. DB runs as a
 * StatefulSet with a volume claim template; WEB is served through an Ingress.
 */
export const composeWebApDbKvs: ExampleApp = {
  name: 'compose-web-ap-db-kvs',
  description: 'the Web/AP/DB/KVS docker-compose app converted with ComposeApp: every addressed service gets a Service, credentials from an existing Secret',
  build(app: App) {
    const chart = namespacedChart(app, 'compose-web-ap-db-kvs');
    ComposeApp.fromFile(chart, 'web-ap-db-kvs', WEB_AP_DB_KVS_COMPOSE_FILE, {
      existingSecretName: 'web-ap-db-kvs-credentials',
      secretKeys: { DB_PASS: 'MYSQL_PASSWORD' },
      volumes: { 'db-data': { size: '10Gi' } },
      services: {
        DB: { statefulSet: true },
        WEB: { replicas: 2, ingress: { host: 'web-ap-db-kvs.example.com' } },
        AP: { replicas: 2 },
      },
    });
  },
};
