import * as path from 'path';
import { App } from 'cdk8s';
import { ComposeApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/** Cotoami's all-in-one compose file. */
export const COTOAMI_COMPOSE_FILE = path.join(__dirname, 'compose', 'cotoami.yml');

/**
 * Cotoami all-in-one (the Phoenix app on port 4000, PostgreSQL, Redis, MailDev), converted from its
 * compose file: postgres' data on a PersistentVolumeClaim, SECRET_KEY_BASE and the database password
 * from the existing Secret `cotoami-credentials` (keys SECRET_KEY_BASE and POSTGRES_PASSWORD), the app
 * waiting for postgres, redis and maildev, and an Ingress for the app.
 */
export const cotoami: ExampleApp = {
  name: 'cotoami',
  description: 'Cotoami (Phoenix) + postgres + redis + maildev, converted from docker-compose',
  build(app: App) {
    const chart = namespacedChart(app, 'cotoami');
    ComposeApp.fromFile(chart, 'cotoami', COTOAMI_COMPOSE_FILE, {
      variables: { COTOAMI_HOST: 'cotoami.example.com' },
      existingSecretName: 'cotoami-credentials',
      secretKeys: { COTOAMI_REPO_PASSWORD: 'POSTGRES_PASSWORD' },
      volumes: { 'postgres-data': { size: '5Gi' } },
      services: {
        cotoami: { ingress: { host: 'cotoami.example.com' }, resources: { memory: { request: '256Mi', limit: '512Mi' } } },
        postgres: { resources: { memory: { request: '256Mi', limit: '512Mi' } } },
      },
    });
  },
};
