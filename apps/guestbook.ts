import { App } from 'cdk8s';
import { Probe, ServiceType, WebApp } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

const REDIS_IMAGE = 'redis:7.4.1';

/**
 * The classic Kubernetes guestbook, all in one chart: a redis master (1 replica), redis replicas (2)
 * and the PHP frontend (3, NodePort). Network isolation: only the frontend reaches redis (and the
 * replicas reach the master to replicate).
 */
export const guestbook: ExampleApp = {
  name: 'guestbook',
  description: 'redis-master, redis-replica and a NodePort frontend; only the frontend reaches redis',
  build(app: App) {
    const chart = namespacedChart(app, 'guestbook');

    // Served on 6379 (a port's Service port is its container port); redis's image profile gives uid 999 and /data.
    const redisPort = [{ containerPort: 6379, name: 'tcp-redis' }];
    const redisProbe = Probe.exec(['redis-cli', 'ping']);
    const master = new WebApp(chart, 'redis-master', {
      image: REDIS_IMAGE,
      replicas: 1,
      ports: redisPort,
      readiness: redisProbe,
      partOf: 'guestbook',
    });
    const replica = new WebApp(chart, 'redis-replica', {
      image: REDIS_IMAGE,
      replicas: 2,
      args: ['--replicaof', 'redis-master', '6379'],
      ports: redisPort,
      readiness: redisProbe,
      partOf: 'guestbook',
    });
    const frontend = new WebApp(chart, 'frontend', {
      image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5',
      replicas: 3,
      port: 80,
      serviceType: ServiceType.NODE_PORT,
      readiness: Probe.httpGet('/'),
      // The PHP image reads its redis hosts from these variables when GET_HOSTS_FROM=env.
      env: { GET_HOSTS_FROM: 'env', REDIS_LEADER_SERVICE_HOST: 'redis-master', REDIS_FOLLOWER_SERVICE_HOST: 'redis-replica' },
      writablePaths: ['/tmp', '/var/run/apache2', '/var/lock/apache2'],
      partOf: 'guestbook',
    });

    // Only the frontend reaches redis; the replicas also reach the master to replicate.
    master.allowFrom(frontend);
    master.allowFrom(replica);
    replica.allowFrom(frontend);
  },
};
