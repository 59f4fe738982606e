// The image profiles (lib/core/image-profiles.ts): each entry's facts, as cited in the table's source
// comment, rendered into a WebApp's pod; the image that needs root refused with its two ways out.
import { Chart } from 'cdk8s';
import { ComposeApp, MySqlBinding, MySqlProvider, WebApp, WebAppDefaults, WebAppProps } from '../lib';
import { imageProfile, imageProfileKey, imageProfileKeys } from '../lib/core';
import { chart, find, synth } from './support/synth';

/** The rendered pod of a WebApp with `props`. */
function pod(props: WebAppProps, c: Chart = chart()): any {
  new WebApp(c, 'app', props);
  return find(synth(c), 'Deployment').spec.template.spec;
}

/** What a test checks of a rendered pod: user, group, writable paths, sysctl. */
function facts(spec: any) {
  const container = spec.containers[0];
  return {
    runAsUser: spec.securityContext.runAsUser,
    runAsGroup: spec.securityContext.runAsGroup,
    containerUser: container.securityContext.runAsUser,
    readOnlyRootFilesystem: container.securityContext.readOnlyRootFilesystem,
    writable: (container.volumeMounts ?? []).map((m: any) => m.mountPath),
    emptyDirs: (spec.volumes ?? []).filter((v: any) => v.emptyDir).length,
    sysctls: spec.securityContext.sysctls,
  };
}

const SYSCTL = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];

describe('image profiles: each well-known image renders the user, writable paths and ports of its Dockerfile', () => {
  // [image, its ports, uid, gid, writable paths, whether its port needs the sysctl] — the facts cited in lib/core/image-profiles.ts.
  const cases: Array<[string, number[], number, number, string[], boolean]> = [
    ['nginx:1.27', [80], 101, 101, ['/var/cache/nginx', '/var/run', '/tmp'], true],
    ['nginx:1.27-alpine', [80], 101, 101, ['/var/cache/nginx', '/var/run', '/tmp'], true],
    ['nginxinc/nginx-unprivileged:1.27', [8080], 101, 101, ['/tmp'], false],
    ['httpd:2.4', [80], 33, 33, ['/usr/local/apache2/logs', '/tmp'], true],
    ['httpd:2.4-alpine', [80], 82, 82, ['/usr/local/apache2/logs', '/tmp'], true],
    ['php:8.3-apache', [80], 33, 33, ['/var/run/apache2', '/var/lock/apache2', '/tmp'], true],
    ['php:8.3-fpm', [9000], 33, 33, ['/tmp'], false],
    ['php:8.3-fpm-alpine', [9000], 82, 82, ['/tmp'], false],
    ['php:8.3-cli', [], 10001, 10001, ['/tmp'], false],
    ['redis:7.4.1', [6379], 999, 999, ['/data', '/tmp'], false],
    ['redis:7.4.1-alpine', [6379], 999, 1000, ['/data', '/tmp'], false],
    ['postgres:16.4', [5432], 999, 999, ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], false],
    ['postgres:16.4-alpine', [5432], 70, 70, ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], false],
    ['mysql:8.4', [3306], 999, 999, ['/var/lib/mysql', '/var/run/mysqld', '/tmp'], false],
    ['mariadb:11.4', [3306], 999, 999, ['/var/lib/mysql', '/run/mysqld', '/tmp'], false],
    ['mongo:8.0', [27017], 999, 999, ['/data/db', '/data/configdb', '/tmp'], false],
    ['rabbitmq:4.1', [5672], 999, 999, ['/var/lib/rabbitmq', '/var/log/rabbitmq', '/tmp'], false],
    ['memcached:1.6', [11211], 11211, 11211, ['/tmp'], false],
    ['node:22', [], 1000, 1000, ['/tmp'], false],
    ['python:3.13', [], 10001, 10001, ['/tmp'], false],
    ['busybox:1.36.1', [], 10001, 10001, ['/tmp'], false],
    ['traefik/whoami:v1.10', [80], 10001, 10001, ['/tmp'], true],
    ['hashicorp/http-echo:1.0', [5678], 10001, 10001, ['/tmp'], false],
    ['elasticsearch:8.15.0', [9200, 9300], 1000, 1000, ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'], false],
    ['bitnami/redis:7.4', [6379], 1001, 1001, ['/tmp'], false],
  ];

  test.each(cases)('%s', (image, ports, uid, gid, writable, sysctl) => {
    expect(imageProfile(image)!.ports).toEqual(ports);
    // The app listens on the image's first port (an app of an image without a server: on 8080).
    const f = facts(pod({ image, port: ports[0] ?? 8080 }));
    expect(f).toEqual({
      runAsUser: uid, runAsGroup: gid, containerUser: uid, readOnlyRootFilesystem: true,
      writable, emptyDirs: writable.length, sysctls: sysctl ? SYSCTL : undefined,
    });
  });

  test('the table has a test case for each entry but the carried-over and root ones', () => {
    const tested = new Set(cases.map(([image]) => imageProfile(image)!.key));
    const untested = imageProfileKeys().filter((k) => !tested.has(k));
    expect(untested).toEqual(['valkey/valkey', 'maildev/maildev', 'mailhog/mailhog', 'gitlab/gitlab-ce', 'valkey', 'elasticsearch/elasticsearch', 'gitlab/gitlab-ee']);
  });

  test('every entry keeps /tmp writable, lists absolute, distinct paths, and valid ports and ids', () => {
    for (const key of imageProfileKeys()) {
      const p = imageProfile(key === 'bitnami/*' ? 'bitnami/redis:7' : `${key}:1`)!;
      expect(p.writablePaths).toContain('/tmp');
      expect(p.writablePaths.every((w) => w.startsWith('/'))).toBe(true);
      expect(new Set(p.writablePaths).size).toBe(p.writablePaths.length);
      expect(p.ports.every((n) => Number.isInteger(n) && n >= 1 && n <= 65535)).toBe(true);
      for (const id of [p.runAsUser, p.runAsGroup]) if (id !== undefined) expect(id).toBeGreaterThan(0);
    }
  });

  test('a Bitnami image has the ports of its upstream image, 80 and 443 moved to 8080 and 8443, and none when the table does not know it', () => {
    expect(imageProfile('bitnami/postgresql:16')).toEqual({ key: 'bitnami/*', ports: [5432], runAsUser: 1001, writablePaths: ['/tmp'] });
    expect(imageProfile('bitnami/mongodb:8.0')!.ports).toEqual([27017]);
    expect(imageProfile('bitnami/nginx:1.27')!.ports).toEqual([8080]);
    expect(imageProfile('bitnami/apache:2.4')!.ports).toEqual([8080]);
    expect(imageProfile('bitnami/whatever:1')).toMatchObject({ key: 'bitnami/*', ports: [], runAsUser: 1001 });
  });
});

describe('nginx:1.27 on port 80 renders a pod the official image can run in', () => {
  // GIVEN the issue's example, WHEN it is rendered
  const c = chart();
  new WebApp(c, 'web', { image: 'nginx:1.27', port: 80 });
  const spec = find(synth(c), 'Deployment').spec.template.spec;
  const container = spec.containers[0];

  test('it runs as the image\'s nginx user (uid/gid 101), non-root', () => {
    expect(spec.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, fsGroup: 101, runAsNonRoot: true });
    expect(container.securityContext).toMatchObject({ runAsUser: 101, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  test('its temp directory /var/cache/nginx, its pid directory /var/run and /tmp are writable emptyDirs', () => {
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/var/cache/nginx', '/var/run', '/tmp']);
    expect(container.volumeMounts.map((m: any) => m.name)).toEqual(['var-cache-nginx', 'var-run', 'tmp']);
    expect(spec.volumes.map((v: any) => [v.name, v.emptyDir !== undefined])).toEqual([['var-cache-nginx', true], ['var-run', true], ['tmp', true]]);
  });

  test('it may bind port 80 as non-root: the unprivileged-port sysctl', () => {
    expect(container.ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
    expect(spec.securityContext.sysctls).toEqual(SYSCTL);
  });
});

describe('props win over the profile', () => {
  test('runAsUser, runAsGroup and writablePaths given are kept', () => {
    expect(facts(pod({ image: 'nginx:1.27', port: 80, runAsUser: 20000, writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'] }))).toMatchObject({
      runAsUser: 20000, runAsGroup: 20000, writable: ['/tmp', '/var/cache/nginx', '/var/run'],
    });
    expect(facts(pod({ image: 'redis:7.4.1-alpine', port: 6379, runAsUser: 5000 }))).toMatchObject({ runAsUser: 5000, runAsGroup: 5000 });
    expect(facts(pod({ image: 'redis:7.4.1', port: 6379, runAsGroup: 3000 }))).toMatchObject({ runAsUser: 999, runAsGroup: 3000 });
  });

  test('a chart\'s WebAppDefaults user wins over the profile\'s', () => {
    const c = chart();
    WebAppDefaults.set(c, { runAsUser: 20000 });
    expect(facts(pod({ image: 'nginx:1.27', port: 80 }, c))).toMatchObject({ runAsUser: 20000, runAsGroup: 20000, writable: ['/var/cache/nginx', '/var/run', '/tmp'] });
  });

  test('allowRunAsRoot runs the image as its own user: the profile\'s user is not set', () => {
    expect(pod({ image: 'nginx:1.27', port: 80, allowRunAsRoot: true }).securityContext.runAsUser).toBeUndefined();
  });

  test('an image the table does not know keeps the library\'s defaults', () => {
    expect(imageProfile('ghcr.io/acme/nginx:1.0')).toBeUndefined();
    expect(facts(pod({ image: 'ghcr.io/acme/nginx:1.0', port: 8080 }))).toEqual({
      runAsUser: 10001, runAsGroup: 10001, containerUser: 10001, readOnlyRootFilesystem: true, writable: ['/tmp'], emptyDirs: 1, sysctls: undefined,
    });
  });
});

describe('images that need root', () => {
  test('fails if an image that needs root is given without the relaxations, naming the image and both ways out', () => {
    const make = (props: Partial<WebAppProps> = {}) => () => new WebApp(chart(), 'gitlab', { image: 'gitlab/gitlab-ce:17.5.1-ce.0', port: 80, ...props });
    const message = /WebApp 'gitlab': image 'gitlab\/gitlab-ce:17.5.1-ce.0' cannot run as non-root with a read-only root filesystem \(Omnibus GitLab runs its init as root.*\); use an image built to run as non-root such as GitLab's cloud-native images.*, or set allowRunAsRoot: true and readOnlyRootFilesystem: false/;
    expect(make()).toThrow(message);
    expect(make({ allowRunAsRoot: true })).toThrow(message);
    expect(make({ readOnlyRootFilesystem: false })).toThrow(message);
    expect(() => new WebApp(chart(), 'gitlab', { image: 'gitlab/gitlab-ee:17.5.1-ee.0', port: 80 })).toThrow(/gitlab-ee.*cannot run as non-root/);
  });

  test('with both relaxations it renders, as root with a writable root filesystem', () => {
    const spec = pod({ image: 'gitlab/gitlab-ce:17.5.1-ce.0', port: 80, allowRunAsRoot: true, readOnlyRootFilesystem: false });
    expect(spec.securityContext.runAsNonRoot).toBeUndefined();
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });
});

describe('image profile keys', () => {
  test.each([
    ['nginx:1.27', 'nginx'], ['docker.io/library/nginx:1.27', 'nginx'], ['library/nginx:1.27', 'nginx'],
    ['public.ecr.aws/docker/library/redis:7', 'redis'], ['localhost:5000/nginx:1', 'nginx'], ['ghcr.io/acme/nginx:1', 'acme/nginx'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 'elasticsearch/elasticsearch'], ['nginx@sha256:' + 'a'.repeat(64), 'nginx'],
  ])('%s → %s', (image, key) => {
    expect(imageProfileKey(image)).toBe(key);
  });

  test('aliases and mirrors find the same entry', () => {
    expect(imageProfile('docker.elastic.co/elasticsearch/elasticsearch:8.15.0')!.key).toBe('elasticsearch');
    expect(imageProfile('public.ecr.aws/docker/library/redis:7.4.1')!.runAsUser).toBe(999);
    expect(imageProfile('acme/redis:7.4.1')).toBeUndefined();
  });
});

describe('the in-cluster MySQL of MySqlBinding takes its user and runtime directories from its image\'s profile', () => {
  /** The MySQL pod of an in-cluster binding running `image` (with `runAsUser`, if given). */
  function mysqlPod(image?: string, runAsUser?: number): any {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: 'hashicorp/http-echo:1.0', port: 5678 });
    new MySqlBinding(c, 'example', { provider: MySqlProvider.inCluster({ credentialsSecret: 's', database: 'orders', image, runAsUser }) }).bindTo(app);
    const spec = find(synth(c), 'StatefulSet').spec.template.spec;
    return {
      runAsUser: spec.securityContext.runAsUser,
      mounts: spec.containers[0].volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`),
      emptyDirs: spec.volumes.map((v: any) => v.name),
    };
  }

  test.each([
    // the default image (mysql:8.4.3) and mysql: 999, the socket directory /var/run/mysqld (mysql's Dockerfile L76-L92)
    [undefined, 999, ['data:/var/lib/mysql', 'run:/var/run/mysqld', 'tmp:/tmp']],
    ['mysql:8.4', 999, ['data:/var/lib/mysql', 'run:/var/run/mysqld', 'tmp:/tmp']],
    // mariadb: 999, the socket directory /run/mysqld (mariadb-docker's 11.4/Dockerfile L120-L123)
    ['mariadb:11.4', 999, ['data:/var/lib/mysql', 'run:/run/mysqld', 'tmp:/tmp']],
    // an image the table does not know keeps the official MySQL image's user and directories
    ['registry.example.com/team/mysql-with-plugins:8.4', 999, ['data:/var/lib/mysql', 'run:/var/run/mysqld', 'tmp:/tmp']],
  ])('%s', (image, uid, mounts) => {
    const p = mysqlPod(image);
    expect(p).toEqual({ runAsUser: uid, mounts, emptyDirs: ['run', 'tmp'] });
  });

  test('runAsUser wins over the profile', () => {
    expect(mysqlPod('mysql:8.4', 27).runAsUser).toBe(27);
  });
});

describe('ComposeApp takes the same profiles', () => {
  // GIVEN a Compose file of well-known images, without ports, users or volumes
  const c = chart('shop');
  ComposeApp.fromObject(c, 'shop', {
    services: {
      web: { image: 'nginx:1.27', ports: ['8080:80'] },
      cache: { image: 'redis:7.4.1-alpine' },
      db: { image: 'postgres:16.4' },
      tool: { image: 'bitnami/redis:7.4', expose: ['6379'] },
      user: { image: 'postgres:16.4', user: '5000' },
    },
  }, { onWarning: () => undefined });
  const docs = synth(c);
  const spec = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec;
  const of = (name: string) => ({ ...facts(spec(name)), ports: spec(name).containers[0].ports.map((p: any) => p.containerPort) });

  test('user, group, writable paths and (for a service without ports) ports', () => {
    expect(of('web')).toMatchObject({ runAsUser: 101, runAsGroup: 101, writable: ['/var/cache/nginx', '/var/run', '/tmp'], sysctls: SYSCTL, ports: [80] });
    expect(of('cache')).toMatchObject({ runAsUser: 999, runAsGroup: 1000, writable: ['/data', '/tmp'], ports: [6379] });
    expect(of('db')).toMatchObject({ runAsUser: 999, runAsGroup: 999, writable: ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], ports: [5432] });
    expect(of('tool')).toMatchObject({ runAsUser: 1001, writable: ['/tmp'] });
  });

  test('the service\'s user wins over the profile\'s', () => {
    expect(of('user')).toMatchObject({ runAsUser: 5000, runAsGroup: 5000 });
  });
});
