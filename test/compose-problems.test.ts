// ComposeApp reports every problem of a Compose file in one run (issue 16), each with file:line, the
// key, and the option (or, through fixAdvice, the command-line flag) that fixes it.
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ComposeApp, ComposeAppOptions } from '../lib';
import { ComposeProblems } from '../lib/compose';

const FIXTURES = path.join(__dirname, 'fixtures', 'compose');

function convert(yaml: string, options: ComposeAppOptions = {}) {
  const chart = new Chart(Testing.app(), 'test');
  return ComposeApp.fromYaml(chart, 'shop', yaml, { baseDir: FIXTURES, fileName: 'docker-compose.yml', onWarning: () => undefined, ...options });
}

/** The problems `f` throws, as messages. */
function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    return e instanceof ComposeProblems ? e.problems.map((p) => p.message) : [(e as Error).message];
  }
  throw new Error('expected problems, got none');
}

const MANY = `
services:
  web:
    image: nginx
    volumes: ['./site:/usr/share/nginx/html:ro', './nginx.conf:/etc/nginx/nginx.conf:ro']
    depends_on: [api]
  api:
    image: 'example/api:latest'
    user: app
    restart: "no"
    environment:
      GREETING: \${GREETING}
  worker:
    build: .
  db:
    image: 'postgres:16'
    environment:
      LOG: \${LOG_LEVEL:?set a log level}
`;

describe('every problem of a file in one run', () => {
  test('image tags, bind mounts, a user name, restart, a build-only service and unset variables are all reported, each with file:line', () => {
    const list = problems(() => convert(MANY));
    expect(list).toEqual([
      expect.stringMatching(/docker-compose.yml:12 services.api.environment.GREETING: '\$\{GREETING\}' names the unset variable GREETING/),
      expect.stringMatching(/docker-compose.yml:18 services.db.environment.LOG: variable LOG_LEVEL is unset: set a log level; set variables.LOG_LEVEL/),
      expect.stringMatching(/docker-compose.yml:4 services.web.image: WebApp 'web': image 'nginx' has no tag; .*allowMutableImageTag: true$/),
      expect.stringMatching(/docker-compose.yml:5 services.web.volumes\[0\] bind mount of the host path '.\/site'.*options.services.web.bindMounts/),
      expect.stringMatching(/docker-compose.yml:5 services.web.volumes\[1\] bind mount of the host path '.\/nginx.conf'/),
      expect.stringMatching(/docker-compose.yml:8 services.api.image: WebApp 'api': image 'example\/api:latest' uses the mutable tag 'latest'/),
      expect.stringMatching(/docker-compose.yml:9 services.api.user user 'app' is not numeric/),
      expect.stringMatching(/docker-compose.yml:10 services.api.restart restart 'no' .*options.services.api.allowRestartAlways: true/),
      expect.stringMatching(/docker-compose.yml:13 services.worker service worker has build but no image/),
      expect.stringMatching(/docker-compose.yml:7 services.api service api is addressed by web \(depends_on\) but has no port/),
    ]);
  });

  test('the message of the error lists every problem under the file name', () => {
    expect(() => convert(MANY)).toThrow(/^ComposeApp 'shop': 'docker-compose.yml' has 10 problems; fix each one:\n  - ComposeApp 'shop': docker-compose.yml:12 /);
  });

  test('a single problem is thrown as it is (no list)', () => {
    expect(() => convert('services:\n  a:\n    image: alpine\n')).toThrow(/^ComposeApp 'shop': docker-compose.yml:3 services.a.image: WebApp 'a': image 'alpine' has no tag/);
  });

  test('schema problems are all reported, most specific per key', () => {
    const list = problems(() => convert('services:\n  a:\n    image: \'x/a:1\'\n    portz: [80]\n  b:\n    image: \'x/b:1\'\n    restart: sometimes\n    healthcheck: { interval: soon }\n'));
    expect(list).toEqual(expect.arrayContaining([
      expect.stringMatching(/docker-compose.yml:4 services.a.portz unknown key 'portz'/),
      expect.stringMatching(/docker-compose.yml:8 services.b.healthcheck.interval 'soon' is not a valid duration/),
    ]));
    expect(list).toHaveLength(2); // restart is free text in the schema; ComposeApp's own checks run after a valid schema
  });

  test('a service with a problem is skipped by the later steps; the others still report theirs', () => {
    const list = problems(() => convert('services:\n  a:\n    image: alpine\n  b:\n    image: \'x/b:1\'\n    tmpfs: ["/cache:size=lots"]\n'));
    expect(list).toEqual([
      expect.stringMatching(/services.a.image: WebApp 'a': image 'alpine' has no tag/),
      expect.stringMatching(/services.b.tmpfs\[0\] tmpfs size 'lots' is not a byte value/),
    ]);
  });

  test('fixAdvice words the fixes (the command line names its flags)', () => {
    const list = problems(() => convert(MANY, { fixAdvice: (f) => `pass --${f.option}${f.service ? `=${f.service}` : ''}${f.subject ? ` ${f.subject}` : ''}` }));
    expect(list).toEqual(expect.arrayContaining([
      expect.stringMatching(/'nginx' has no tag; .*allowMutableImageTag: true \(pass --allowMutableImageTag=web\)$/),
      expect.stringMatching(/services.web.volumes\[0\] .*; use a named volume, or pass --bindMounts=web$/),
      expect.stringMatching(/services.api.restart .*; pass --allowRestartAlways=api to run it as a Deployment anyway/),
      expect.stringMatching(/services.api.user .*or pass --runAsUser=api$/),
      expect.stringMatching(/unset variable GREETING.*; pass --variable GREETING, or give a default/),
      expect.stringMatching(/variable LOG_LEVEL is unset: set a log level; pass --variable LOG_LEVEL$/),
      expect.stringMatching(/has build but no image.*or pass --image=worker$/),
    ]));
  });

  test('fails if every service is in an inactive profile', () => {
    expect(() => convert('services:\n  a:\n    image: \'x/a:1\'\n    profiles: [debug]\n'))
      .toThrow(/docker-compose.yml:1 services every service is in an inactive profile \(a\); activate a profile in options.profiles/);
  });
});

describe('Compose file formats', () => {
  test('fails if the file is in the v1 format, naming it and the migration', () => {
    expect(() => convert('web:\n  image: \'nginx:1.27\'\n  links: [db]\ndb:\n  image: \'postgres:16\'\n'))
      .toThrow(/docker-compose.yml:1 web docker-compose.yml is in the Compose file format v1 \(services 'web', 'db' at the top level\), which the Compose specification no longer reads; move the services under a top-level 'services:' key/);
  });

  test('a YAML alias bomb is refused with the file name', () => {
    const bomb = ['x-a: &a ["l","l","l","l","l","l","l","l","l"]', 'x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'services:', '  a: { image: \'x/a:1\', labels: { bomb: *d } }', ''].join('\n');
    expect(() => convert(bomb)).toThrow(/^ComposeApp 'shop': docker-compose.yml: Excessive alias count .*\(its YAML aliases expand to too many nodes\)/);
  });

  test('develop (compose watch) is accepted and ignored; post_start and pre_stop are accepted and listed as ignored', () => {
    const warnings: string[] = [];
    const app = convert(`
services:
  a:
    image: 'x/a:1'
    expose: ["80"]
    develop:
      watch: [{ action: sync, path: ./src, target: /app/src }]
    post_start: [{ command: ["chown", "-R", "app", "/data"], user: root }]
    pre_stop: [{ command: ./drain.sh }]
`, { onWarning: (m) => warnings.push(m) });
    expect(app.ignoredKeys).toEqual(['services.a.develop', 'services.a.post_start', 'services.a.pre_stop']);
    expect(warnings[0]).toMatch(/ignored: services.a.develop \(line 6\), services.a.post_start \(line 8\), services.a.pre_stop \(line 9\)/);
  });

  test('the output of docker compose config converts (name, long-form ports and bind options, networks: default: null)', () => {
    const app = convert(`
name: shop
services:
  web:
    image: 'nginx:1.27'
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
    volumes:
      - type: bind
        source: ./nginx.conf
        target: /etc/nginx/nginx.conf
        read_only: true
        bind:
          create_host_path: true
networks:
  default:
    name: shop_default
`, { defaults: { bindMounts: 'configMap' as any } });
    expect(app.services.web.ports).toEqual([expect.objectContaining({ containerPort: 80, published: '8080' })]);
  });
});

test('a problem two steps find (a key both read) is reported once', () => {
  const list = problems(() => convert('services:\n  a:\n    image: \'x/a:1\'\n    expose: [\'80\']\n    volumes: [\'data:/x\']\n    command: \'sh -c "oops\'\n'));
  expect(list).toEqual([
    expect.stringMatching(/docker-compose.yml:5 services.a.volumes\[0\] volume 'data' is not declared/),
    expect.stringMatching(/docker-compose.yml:6 services.a.command command 'sh -c "oops' has an unclosed double quote/),
  ]);
});
