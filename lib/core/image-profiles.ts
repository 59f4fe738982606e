// What well-known images need to run under the library's hardening (non-root, read-only root
// filesystem, all capabilities dropped): the user they run as, the directories they write, the ports
// they listen on. One table for every construct: WebApp (and so CanaryRelease), ComposeApp and the
// in-cluster MySQL of MySqlBinding. Each fact names its source below the entry; `HEAD` commits are the
// ones read when the table was written.
import { parseImage } from './images';

/** What the library knows about one well-known image (or one variant of it, e.g. its Alpine tags). */
export interface ImageProfile {
  /** The table key the image matched (`nginx`, `nginxinc/nginx-unprivileged`, `bitnami/*`...). */
  readonly key: string;
  /** The ports the image listens on by default (none for images without a server, e.g. `node`). */
  readonly ports: readonly number[];
  /**
   * The numeric user to run as: the image's own service user, when the image's files or data directories
   * belong to it. @default - any uid works: the library's (10001)
   */
  readonly runAsUser?: number;
  /** The numeric group to run as. @default - runAsUser */
  readonly runAsGroup?: number;
  /** Directories the image writes to, mounted as emptyDirs under the read-only root filesystem (`/tmp` included). */
  readonly writablePaths: readonly string[];
  /**
   * Set when the image cannot run as non-root with a read-only root filesystem, even with emptyDirs:
   * why, in a few words. WebApp then refuses it unless `allowRunAsRoot: true` and `readOnlyRootFilesystem: false` are set.
   */
  readonly needsRoot?: string;
  /** An image that does the same job as non-root, named in the error when {@link needsRoot} is set. */
  readonly nonRootAlternative?: string;
}

/** The facts of an entry without its key. */
type Facts = Omit<ImageProfile, 'key'>;

/** A table entry: the facts of the image, and tag patterns whose images differ (`alpine`: other uids). */
interface Entry {
  readonly facts: Facts;
  readonly variants?: ReadonlyArray<{ readonly tag: RegExp; readonly facts: Partial<Facts> }>;
}

/** The tag of an Alpine-based variant (`1.27-alpine`, `alpine3.21`, `16.4-alpine3.20`). */
const ALPINE = /(^|-)alpine/;

/**
 * The table, keyed by repository without registry or `library/` (`nginx`, `bitnami/redis` is `bitnami/*`).
 *
 * Sources (Dockerfiles at the commit read; docs pages):
 * - nginx: uid/gid 101 (`useradd ... --uid 101 nginx`), `EXPOSE 80` —
 *   https://github.com/nginxinc/docker-nginx/blob/b430becb8f0f6b8d69e68cc73a82ea2873c38639/mainline/debian/Dockerfile#L18-L19 and #L141.
 *   It writes its pid to `/var/run/nginx.pid` and its temp files (client_temp, proxy_temp...) below
 *   `/var/cache/nginx`: the unprivileged image rewrites exactly these to `/tmp` —
 *   https://github.com/nginxinc/docker-nginx-unprivileged/blob/8ead5cede31b9dc5a976d1b44bb1987226b48677/mainline/debian/Dockerfile#L139-L145 —
 *   and the image docs list the same directives for a non-root run —
 *   https://github.com/docker-library/docs/blob/c4a9ba41443427b2ec1d5c4cc01879076aa4a1eb/nginx/content.md#L164-L189.
 *   The entrypoint skips its IPv6 edit of default.conf on a read-only filesystem (10-listen-on-ipv6-by-default.sh, `touch ... || exit 0`).
 *   So it runs as uid 101 with emptyDirs at those paths, and binds 80 with the unprivileged-port sysctl.
 * - nginxinc/nginx-unprivileged: uid 101, listens on 8080, pid and temp files in `/tmp`, `USER $UID` —
 *   https://github.com/nginxinc/docker-nginx-unprivileged/blob/8ead5cede31b9dc5a976d1b44bb1987226b48677/mainline/debian/Dockerfile#L17-L18, #L139-L142, #L156-L160.
 * - httpd: workers run as `www-data` (`User www-data`; uid 33 in Debian's base-passwd, 82 in Alpine),
 *   `EXPOSE 80`, logs to /proc/self/fd/1 and 2 —
 *   https://github.com/docker-library/httpd/blob/9b63b37c9be3b42d16b924ebb40af3cc40793119/2.4/Dockerfile#L199-L209 and #L233,
 *   https://github.com/docker-library/httpd/blob/9b63b37c9be3b42d16b924ebb40af3cc40793119/2.4/alpine/Dockerfile#L3-L6;
 *   the pid file is `/usr/local/apache2/logs/httpd.pid` (httpd-foreground removes it before starting) —
 *   https://github.com/docker-library/httpd/blob/9b63b37c9be3b42d16b924ebb40af3cc40793119/2.4/httpd-foreground.
 *   Started as non-root, httpd skips its switch to `User` (mod_unixd: "Only try to switch if we're running as root",
 *   https://github.com/apache/httpd/blob/trunk/modules/arch/unix/mod_unixd.c) and runs as the uid it was given.
 * - php (`-apache` tags): Debian's apache2 with `APACHE_RUN_DIR` /var/run/apache2 and `APACHE_LOCK_DIR`
 *   /var/lock/apache2, made mode 1777 "to allow running as an arbitrary user", logs linked to stdout/stderr, `EXPOSE 80` —
 *   https://github.com/docker-library/php/blob/445bf414f1d5866f7aef715f1203eae043710070/8.3/bookworm/apache/Dockerfile#L51-L90 and #L293;
 *   PHP's session files go to the system temp directory (`/tmp`). `-fpm` tags: php-fpm as `www-data`, `listen = 9000`, errors to /proc/self/fd/2 —
 *   https://github.com/docker-library/php/blob/445bf414f1d5866f7aef715f1203eae043710070/8.3/bookworm/fpm/Dockerfile#L175-L176, #L243-L258, #L277.
 * - redis: uid/gid 999 (Alpine: uid 999, gid 1000), data in `/data`, `EXPOSE 6379` —
 *   https://github.com/docker-library/redis/blob/e92049967d6baa9b4b3d6fd950553e6458e61f13/6.2/debian/Dockerfile#L11-L12 and #L142-L149,
 *   https://github.com/docker-library/redis/blob/e92049967d6baa9b4b3d6fd950553e6458e61f13/6.2/alpine/Dockerfile#L12-L13.
 * - postgres: uid/gid 999 (Alpine: 70), the socket directory `/var/run/postgresql`, `EXPOSE 5432`; PGDATA is
 *   `/var/lib/postgresql/data` (18+: `/var/lib/postgresql/18/docker`, VOLUME `/var/lib/postgresql`) —
 *   https://github.com/docker-library/postgres/blob/6edb0a8c4def40c371514b34aef9037ec82d9110/17/bookworm/Dockerfile#L11-L13, #L182-L187, #L217,
 *   https://github.com/docker-library/postgres/blob/6edb0a8c4def40c371514b34aef9037ec82d9110/18/bookworm/Dockerfile#L189-L192,
 *   https://github.com/docker-library/postgres/blob/6edb0a8c4def40c371514b34aef9037ec82d9110/17/alpine3.22/Dockerfile#L9-L13.
 *   initdb must own PGDATA and chmod it to 0700, which it cannot do on a mount point owned by root (the docs'
 *   "PGDATA ... a subdirectory" advice), so the emptyDir is `/var/lib/postgresql`, the parent in which the
 *   entrypoint creates PGDATA as the running user (docker-entrypoint.sh `mkdir -p "$PGDATA"`).
 * - mysql: uid/gid 999, `/var/lib/mysql` and the socket directory `/var/run/mysqld`, `EXPOSE 3306 33060` —
 *   https://github.com/docker-library/mysql/blob/7f30fdb0738041fc5125e8218e393e0a891243e9/8.4/Dockerfile.oracle#L10-L11, #L76-L92, #L117-L122.
 * - mariadb: `useradd -r ... mysql` (999, the first system uid of its Ubuntu base), `/var/lib/mysql` and
 *   `/run/mysqld`, `EXPOSE 3306` —
 *   https://github.com/MariaDB/mariadb-docker/blob/1b6429ba3544e134715c15f8c56cc6f665f827c9/11.4/Dockerfile#L5, #L120-L143.
 * - mongo: uid/gid 999, `/data/db` and `/data/configdb`, `EXPOSE 27017`; mongod's socket is in `/tmp` —
 *   https://github.com/docker-library/mongo/blob/2c69a57b939afb99266e8f97258adb178e9559e0/8.0/Dockerfile#L11-L14, #L111-L124.
 * - rabbitmq: uid/gid 999, `HOME` and data in `/var/lib/rabbitmq` (the Erlang cookie), `/var/log/rabbitmq`
 *   made writable for any uid, AMQP on 5672 —
 *   https://github.com/docker-library/rabbitmq/blob/9193c1de6d32046e0c1132841a7a4995b0dc32e0/4.1/ubuntu/Dockerfile#L209-L233, #L308-L325.
 *   (`/etc/rabbitmq` is mode 1777 too, but an emptyDir there would hide conf.d/10-defaults.conf.)
 * - memcached: `USER memcache` (uid/gid 11211), `EXPOSE 11211`, writes nothing —
 *   https://github.com/docker-library/memcached/blob/53ac0ecb0bf88b471a0110f8996ce791baf1a667/1/debian/Dockerfile#L11-L12, #L98-L99.
 * - node: the image's non-root user `node` (uid/gid 1000), no `USER`, no port —
 *   https://github.com/nodejs/docker-node/blob/f27d936f7d7ccdeec25cd2de33584c1a841f561d/22/bookworm/Dockerfile#L3-L4.
 * - python, busybox: no service user, no port, nothing outside `/tmp`: any uid —
 *   https://github.com/docker-library/python/blob/4f07059567fa61c80397126e8063dbbde011b794/3.13/bookworm/Dockerfile.
 * - traefik/whoami: a static binary `FROM scratch`, `EXPOSE 80`, writes nothing: any uid —
 *   https://github.com/traefik/whoami/blob/8951300b46f13ce678dbed8a692ef2ccecf0eec4/Dockerfile#L19-L26.
 * - hashicorp/http-echo: a static binary (distroless `nonroot`), `EXPOSE 5678/tcp`, writes nothing: any uid —
 *   https://github.com/hashicorp/http-echo/blob/b69bfb9d049af502694eed7957b44de6a75c2a2d/Dockerfile#L4-L28.
 * - elasticsearch: runs as uid 1000 (gid 0), data and logs below /usr/share/elasticsearch, HTTP 9200 and transport 9300 —
 *   https://www.elastic.co/guide/en/elasticsearch/reference/current/docker.html.
 * - bitnami/*: Bitnami's images run as the non-root uid 1001 and, being non-root, serve HTTP on 8080 and HTTPS
 *   on 8443 instead of 80 and 443 —
 *   https://docs.bitnami.com/tutorials/why-non-root-containers-are-important-for-security; their other ports are
 *   the upstream image's (`bitnami/postgresql` is `postgres`, `bitnami/mongodb` `mongo`, `bitnami/apache` `httpd`). Their writable paths
 *   (`/opt/bitnami/<app>/tmp`...) differ per image and are not in the table.
 * - gitlab/gitlab-ce, gitlab/gitlab-ee: Omnibus GitLab runs its init (`gitlab-ctl reconfigure`, runit) as root and
 *   writes /etc/gitlab, /var/opt/gitlab and /var/log/gitlab; the images "all require root access in order to run properly" —
 *   https://gitlab.com/gitlab-org/gitlab/-/issues/4203, https://gitlab.com/gitlab-org/omnibus-gitlab/issues/1324.
 * - valkey, maildev/maildev, mailhog/mailhog: carried over from ComposeApp's earlier table (uid, ports), not re-read.
 */
const TABLE: Readonly<Record<string, Entry>> = {
  'nginx': {
    facts: { ports: [80], runAsUser: 101, runAsGroup: 101, writablePaths: ['/var/cache/nginx', '/var/run', '/tmp'] },
  },
  'nginxinc/nginx-unprivileged': { facts: { ports: [8080], runAsUser: 101, runAsGroup: 101, writablePaths: ['/tmp'] } },
  'httpd': {
    facts: { ports: [80], runAsUser: 33, runAsGroup: 33, writablePaths: ['/usr/local/apache2/logs', '/tmp'] },
    variants: [{ tag: ALPINE, facts: { runAsUser: 82, runAsGroup: 82 } }],
  },
  'php': {
    // php's CLI tags run no server: any uid, no port.
    facts: { ports: [], writablePaths: ['/tmp'] },
    variants: [
      { tag: /(^|-)apache/, facts: { ports: [80], runAsUser: 33, runAsGroup: 33, writablePaths: ['/var/run/apache2', '/var/lock/apache2', '/tmp'] } },
      { tag: /(^|-)fpm/, facts: { ports: [9000], runAsUser: 33, runAsGroup: 33, writablePaths: ['/tmp'] } },
      { tag: /fpm-alpine/, facts: { runAsUser: 82, runAsGroup: 82 } },
    ],
  },
  'redis': {
    facts: { ports: [6379], runAsUser: 999, runAsGroup: 999, writablePaths: ['/data', '/tmp'] },
    variants: [{ tag: ALPINE, facts: { runAsGroup: 1000 } }],
  },
  'valkey/valkey': { facts: { ports: [6379], runAsUser: 999, writablePaths: ['/data', '/tmp'] } },
  'postgres': {
    facts: { ports: [5432], runAsUser: 999, runAsGroup: 999, writablePaths: ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'] },
    variants: [{ tag: ALPINE, facts: { runAsUser: 70, runAsGroup: 70 } }],
  },
  'mysql': { facts: { ports: [3306], runAsUser: 999, runAsGroup: 999, writablePaths: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'] } },
  'mariadb': { facts: { ports: [3306], runAsUser: 999, runAsGroup: 999, writablePaths: ['/var/lib/mysql', '/run/mysqld', '/tmp'] } },
  'mongo': { facts: { ports: [27017], runAsUser: 999, runAsGroup: 999, writablePaths: ['/data/db', '/data/configdb', '/tmp'] } },
  'rabbitmq': { facts: { ports: [5672], runAsUser: 999, runAsGroup: 999, writablePaths: ['/var/lib/rabbitmq', '/var/log/rabbitmq', '/tmp'] } },
  'memcached': { facts: { ports: [11211], runAsUser: 11211, runAsGroup: 11211, writablePaths: ['/tmp'] } },
  'node': { facts: { ports: [], runAsUser: 1000, runAsGroup: 1000, writablePaths: ['/tmp'] } },
  'python': { facts: { ports: [], writablePaths: ['/tmp'] } },
  'busybox': { facts: { ports: [], writablePaths: ['/tmp'] } },
  'traefik/whoami': { facts: { ports: [80], writablePaths: ['/tmp'] } },
  'hashicorp/http-echo': { facts: { ports: [5678], writablePaths: ['/tmp'] } },
  'elasticsearch': {
    facts: { ports: [9200, 9300], runAsUser: 1000, writablePaths: ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'] },
  },
  'maildev/maildev': { facts: { ports: [1025, 1080], runAsUser: 1000, writablePaths: ['/tmp'] } },
  'mailhog/mailhog': { facts: { ports: [1025, 8025], runAsUser: 1000, writablePaths: ['/tmp'] } },
  'gitlab/gitlab-ce': {
    facts: {
      ports: [80, 443, 22], writablePaths: ['/tmp'],
      needsRoot: 'Omnibus GitLab runs its init as root and writes /etc/gitlab, /var/opt/gitlab and /var/log/gitlab',
      nonRootAlternative: 'GitLab\'s cloud-native images (registry.gitlab.com/gitlab-org/build/cng, as its Helm chart runs them)',
    },
  },
};

/** Other names of table entries: the same image published elsewhere. */
const ALIASES: Readonly<Record<string, string>> = {
  'valkey': 'valkey/valkey',
  'elasticsearch/elasticsearch': 'elasticsearch', // docker.elastic.co/elasticsearch/elasticsearch
  'gitlab/gitlab-ee': 'gitlab/gitlab-ce',
};

/** The Bitnami images' user: https://docs.bitnami.com/tutorials/why-non-root-containers-are-important-for-security. */
const BITNAMI_UID = 1001;

/** Bitnami repository names whose upstream image is named otherwise. */
const BITNAMI_UPSTREAM: Readonly<Record<string, string>> = { postgresql: 'postgres', mongodb: 'mongo', apache: 'httpd' };

/** A privileged port of an upstream image as a Bitnami (non-root) image serves it; `undefined`: not known. */
function bitnamiPort(port: number): number | undefined {
  if (port >= 1024) return port;
  return port === 80 ? 8080 : port === 443 ? 8443 : undefined;
}

/**
 * The table key of `image`: its repository without a registry host (a first segment with '.' or ':', or
 * `localhost`), without Docker Hub's `library/` and the ECR mirror's `docker/library/`.
 * `docker.io/library/nginx:1.27` → `nginx`; `public.ecr.aws/docker/library/redis:7` → `redis`; `ghcr.io/acme/nginx` → `acme/nginx`.
 */
export function imageProfileKey(image: string): string {
  const parts = parseImage(image).repository.split('/');
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'docker' && parts[1] === 'library' && parts.length > 2) parts.splice(0, 2);
  else if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return parts.join('/');
}

/**
 * The profile of `image`, if it is a well-known one: the entry of its repository with the variant of its
 * tag applied (Alpine uids, php's apache and fpm tags); Bitnami images (`bitnami/<app>`) get uid 1001 and
 * the ports of the upstream `<app>`, 80 and 443 served on 8080 and 8443. `undefined` for an image the table does not know.
 */
export function imageProfile(image: string): ImageProfile | undefined {
  const key = imageProfileKey(image);
  const bitnami = /^bitnami\/(.+)$/.exec(key);
  if (bitnami) {
    const name = Object.prototype.hasOwnProperty.call(BITNAMI_UPSTREAM, bitnami[1]) ? BITNAMI_UPSTREAM[bitnami[1]] : bitnami[1];
    const ports = (imageProfile(name)?.ports ?? []).map(bitnamiPort).filter((p): p is number => p !== undefined);
    return { key: 'bitnami/*', ports, runAsUser: BITNAMI_UID, writablePaths: ['/tmp'] };
  }
  const found = Object.prototype.hasOwnProperty.call(ALIASES, key) ? ALIASES[key] : key;
  if (!Object.prototype.hasOwnProperty.call(TABLE, found)) return undefined;
  const entry = TABLE[found];
  const tag = parseImage(image).tag ?? '';
  let facts: Facts = entry.facts;
  for (const v of entry.variants ?? []) if (v.tag.test(tag)) facts = { ...facts, ...v.facts };
  return { key: found, ...facts };
}

/** The keys of the table (for docs and tests), aliases and `bitnami/*` included. */
export function imageProfileKeys(): string[] {
  return [...Object.keys(TABLE), ...Object.keys(ALIASES), 'bitnami/*'];
}
