import { parseImage } from '../core';

/** What the library knows about a well-known image, used when the Compose file does not say. */
export interface WellKnownImage {
  /** The ports the image listens on by default. */
  readonly ports: readonly number[];
  /** The numeric user the image's processes run as (from its Dockerfile). @default - the library's 10001 */
  readonly runAsUser?: number;
  /** Directories the image writes to, mounted as emptyDir under a read-only root filesystem. */
  readonly writablePaths: readonly string[];
}

/**
 * Default ports, users and writable directories of common images, keyed by the last segment of the
 * repository (`mysql`, `bitnami/redis` → `redis`, `maildev/maildev` → `maildev`). The uids are the
 * official images' service users (`mysql`, `postgres`, `redis`, ... are 999 in the Debian variants).
 */
export const WELL_KNOWN_IMAGES: Readonly<Record<string, WellKnownImage>> = {
  mysql: { ports: [3306], runAsUser: 999, writablePaths: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'] },
  mariadb: { ports: [3306], runAsUser: 999, writablePaths: ['/var/lib/mysql', '/run/mysqld', '/tmp'] },
  postgres: { ports: [5432], runAsUser: 999, writablePaths: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp'] },
  redis: { ports: [6379], runAsUser: 999, writablePaths: ['/data', '/tmp'] },
  valkey: { ports: [6379], runAsUser: 999, writablePaths: ['/data', '/tmp'] },
  mongo: { ports: [27017], runAsUser: 999, writablePaths: ['/data/db', '/data/configdb', '/tmp'] },
  memcached: { ports: [11211], runAsUser: 11211, writablePaths: ['/tmp'] },
  rabbitmq: { ports: [5672], runAsUser: 999, writablePaths: ['/var/lib/rabbitmq', '/tmp'] },
  maildev: { ports: [1025, 1080], runAsUser: 1000, writablePaths: ['/tmp'] },
  mailhog: { ports: [1025, 8025], runAsUser: 1000, writablePaths: ['/tmp'] },
  elasticsearch: { ports: [9200, 9300], runAsUser: 1000, writablePaths: ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'] },
};

/** The entry of {@link WELL_KNOWN_IMAGES} for `image`, if any. */
export function wellKnownImage(image: string): WellKnownImage | undefined {
  const repo = parseImage(image).repository;
  const last = repo.split('/').pop() ?? repo;
  const known = Object.prototype.hasOwnProperty.call(WELL_KNOWN_IMAGES, last) ? WELL_KNOWN_IMAGES[last] : undefined;
  // The Alpine variant of postgres runs as uid 70, not 999.
  if (known && last === 'postgres' && /alpine/.test(parseImage(image).tag ?? '')) return { ...known, runAsUser: 70 };
  return known;
}
