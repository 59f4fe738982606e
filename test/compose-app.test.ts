import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BindMountPolicy, ComposeApp, ComposeAppOptions, ServiceType } from '../lib';
import { EnvFileEntry, parseEnvFile, splitWords } from '../lib/compose';
import { allSchemaProblems } from './support/schema';
import { allowedFrom, matchesSelector, podLabelsByWorkload } from './support/netpol';

const FIXTURES = path.join(__dirname, 'fixtures', 'compose');

/** Converts Compose YAML in a chart with namespace 'shop'; returns the app, its documents and the warnings. */
function convert(yaml: string, options: ComposeAppOptions = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const warnings: string[] = [];
  const app = ComposeApp.fromYaml(chart, 'shop', yaml, { baseDir: FIXTURES, fileName: 'docker-compose.yml', onWarning: (m) => warnings.push(m), ...options });
  const docs = Testing.synth(chart);
  return { app, docs, warnings };
}

const find = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const workload = (docs: any[], name: string) => docs.find((d) => (d.kind === 'Deployment' || d.kind === 'StatefulSet') && d.metadata.name === name);
const container = (docs: any[], name: string) => workload(docs, name).spec.template.spec.containers[0];
const env = (docs: any[], name: string) => Object.fromEntries((container(docs, name).env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

/** The compose file of the seed scenario (issue 6), images made pullable. */
const SEED = `
version: '3'
services:
  DB:  { image: 'mysql:8.4', environment: { DB_USER: xxxx, DB_PASS: xxxx } }
  KVS: { image: 'redis:7.4.1', command: redis-server --appendonly no, container_name: KVS }
  WEB: { image: 'httpd:2.4.62', depends_on: [DB], ports: ["3000:3000"], command: httpd -DFOREGROUND }
  AP:  { image: 'hashicorp/http-echo:1.0', depends_on: [DB], links: [DB], command: -listen=:2000 -text=ap, ports: ["2000:2000"] }
`;

describe('the seed scenario (Web / AP / DB / KVS)', () => {
  const { app, docs } = convert(SEED);

  test('renders schema-valid documents (snapshot)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs).toMatchSnapshot();
  });

  test('services without ports (DB, KVS) get a Service on their image\'s well-known port', () => {
    expect(find(docs, 'Service', 'db').spec.ports).toEqual([{ name: 'tcp-3306', port: 3306, protocol: 'TCP', targetPort: 'tcp-3306' }]);
    expect(find(docs, 'Service', 'kvs').spec.ports).toEqual([{ name: 'tcp-6379', port: 6379, protocol: 'TCP', targetPort: 'tcp-6379' }]);
  });

  test('Compose names become lowercase DNS names and the mapping is reported', () => {
    expect(app.nameMapping).toEqual({ DB: 'db', KVS: 'kvs', WEB: 'web', AP: 'ap' });
    expect(app.notes).toContain('service DB is named db (DNS names are lowercase; \'DB\' still resolves where only case differs)');
    expect(find(docs, 'Service', 'db').metadata.annotations).toEqual({ 'cdk8s-noops.io/compose-service': 'DB' });
  });

  test('credentials move to a Secret read with secretKeyRef', () => {
    expect(find(docs, 'Secret', 'db-env').stringData).toEqual({ DB_PASS: 'xxxx' });
    expect(env(docs, 'db')).toEqual({ DB_USER: 'xxxx', DB_PASS: { secretKeyRef: { name: 'db-env', key: 'DB_PASS' } } });
  });

  test('depends_on and links wait for the dependency\'s port, once per dependency', () => {
    const init = workload(docs, 'ap').spec.template.spec.initContainers;
    expect(init).toHaveLength(1);
    expect(init[0].name).toBe('wait-for-db');
    expect(init[0].command[2]).toContain('nc -z -w 2 db 3306');
    expect(workload(docs, 'web').spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db']);
  });

  test('string commands are shell-split into args', () => {
    expect(container(docs, 'kvs').args).toEqual(['redis-server', '--appendonly', 'no']);
    expect(container(docs, 'ap').args).toEqual(['-listen=:2000', '-text=ap']);
  });

  test('container_name equal to the service name adds no extra Service', () => {
    expect(docs.filter((d) => d.kind === 'Service').map((d) => d.metadata.name).sort()).toEqual(['ap', 'db', 'kvs', 'web']);
  });
});

describe('ports', () => {
  test('short and long forms, ranges, protocols, host IPs and expose map to container and Service ports', () => {
    const { app, docs } = convert(`
services:
  dns:
    image: coredns/coredns:1.11.3
    ports:
      - "53:53/udp"
      - "53:53/tcp"
      - 9153
      - "127.0.0.1:8080:8080"
      - "[::1]:8081:8081"
      - "9000-9001:7000-7001"
      - { target: 6000, published: 16000, protocol: sctp, mode: host }
    expose: ["5000-5001", "8080"]
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(container(docs, 'dns').ports.map((p: any) => `${p.containerPort}/${p.protocol}`)).toEqual([
      '53/TCP', '9153/TCP', '8080/TCP', '8081/TCP', '7000/TCP', '7001/TCP', '5000/TCP', '5001/TCP', '53/UDP', '6000/SCTP',
    ]);
    // In-cluster clients use the container port, as on a Compose network: the Service port equals it.
    expect(find(docs, 'Service', 'dns').spec.ports[0]).toEqual({ name: 'tcp-53', port: 53, protocol: 'TCP', targetPort: 'tcp-53' });
    expect(app.services.dns.ports.find((p) => p.containerPort === 7001)).toMatchObject({ published: '9001', source: 'ports' });
    expect(app.services.dns.ports.find((p) => p.containerPort === 8080)).toMatchObject({ published: '8080', hostIp: '127.0.0.1' });
    expect(app.notes.some((n) => n.includes('publishes 127.0.0.1:8080 → 8080/TCP'))).toBe(true);
  });

  test('fails if a service listens on UDP only and has no healthcheck for readiness', () => {
    expect(() => convert('services:\n  dns:\n    image: \'coredns/coredns:1.11.3\'\n    ports: ["53:53/udp"]\n'))
      .toThrow(/docker-compose.yml:4 services.dns.ports service dns listens on 53\/UDP only, and a TCP readiness probe cannot check a UDP port; add a healthcheck/);
  });

  test('a service nobody addresses and without ports is a worker without Service', () => {
    const { app, docs } = convert('services:\n  worker: { image: \'busybox:1.36.1\', command: sleep 3600 }\n');
    expect(docs.filter((d) => d.kind === 'Service')).toEqual([]);
    expect(app.notes).toContain('service worker has no port and nobody addresses it: rendered as a worker without a Service');
  });

  test('options give a port to an addressed service whose image is unknown', () => {
    const { docs } = convert(`
services:
  api: { image: 'example/api:1.0', depends_on: [cache] }
  cache: { image: 'example/cache:2.0' }
`, { services: { cache: { ports: [{ containerPort: 7000, servicePort: 7000, name: 'tcp-cache' }] } } });
    expect(find(docs, 'Service', 'cache').spec.ports[0]).toMatchObject({ port: 7000, targetPort: 'tcp-cache' });
    expect(workload(docs, 'api').spec.template.spec.initContainers[0].command[2]).toContain('cache 7000');
  });

  test('options.services.X.port is served on the same Service port (not WebApp\'s 80), so cache:7000 keeps working', () => {
    const { docs } = convert(`
services:
  api: { image: 'example/api:1.0', depends_on: [cache], environment: { CACHE_ADDR: 'cache:7000' } }
  cache: { image: 'example/cache:2.0' }
`, { services: { cache: { port: 7000 } } });
    expect(find(docs, 'Service', 'cache').spec.ports).toEqual([{ name: 'tcp-7000', port: 7000, protocol: 'TCP', targetPort: 'tcp-7000' }]);
    expect(workload(docs, 'cache').spec.template.spec.containers[0].ports).toEqual([{ containerPort: 7000, name: 'tcp-7000', protocol: 'TCP' }]);
    expect(workload(docs, 'api').spec.template.spec.initContainers[0].command[2]).toContain('cache 7000');
  });

  test('fails if an addressed service has no port from ports, expose, image or options', () => {
    expect(() => convert(`
services:
  api: { image: 'example/api:1.0', environment: { CACHE_HOST: cache } }
  cache: { image: 'example/cache:2.0' }
`)).toThrow(/docker-compose.yml:4 services.cache service cache is addressed by api \(environment CACHE_HOST\) but has no port.*set options.services.cache.port \(or ports\), or add expose/);
  });

  test('fails if a port string is malformed', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27\'\n    ports: ["80:80:80:80"]\n'))
      .toThrow(/docker-compose.yml:4 services.web.ports\[0\] '80:80:80:80' is not a valid ports; use \[HOST_IP:\]/);
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27\'\n    ports: ["8000-8002:80-81"]\n'))
      .toThrow(/ports\[0\] '8000-8002:80-81' is not a valid ports/);
  });
});

describe('environment', () => {
  test('list and map forms, env_file, interpolation and host names of services', () => {
    const { docs } = convert(`
services:
  my_db: { image: 'postgres:16.4', environment: ["POSTGRES_USER=app", "POSTGRES_DB=\${DB_NAME:-shop}"] }
  web:
    image: 'nginx:1.27.3'
    expose: [8080]
    env_file: app.env
    environment:
      LOG_LEVEL: info
      PORT: 8080
      DEBUG: false
      PRICE: "$$5"
      DATABASE_URL: postgres://app@my_db:5432/shop
      REGION:
`, { variables: { REGION: 'eu-west-1' } });
    expect(env(docs, 'my-db')).toEqual({ POSTGRES_USER: 'app', POSTGRES_DB: 'shop' });
    expect(env(docs, 'web')).toEqual({
      LOG_LEVEL: 'info', // environment wins over env_file
      GREETING: 'hello world',
      API_TOKEN: { secretKeyRef: { name: 'web-env', key: 'API_TOKEN' } },
      EMPTY: '',
      PORT: '8080',
      DEBUG: 'false',
      PRICE: '$5',
      // my_db is not a DNS name: the reference is rewritten to the Service name.
      DATABASE_URL: 'postgres://app@my-db:5432/shop',
      REGION: 'eu-west-1',
    });
    expect(find(docs, 'Secret', 'web-env').stringData).toEqual({ API_TOKEN: 'file-token' });
  });

  test('an existing Secret keeps every credential out of the manifests', () => {
    const { app, docs } = convert(`
services:
  db: { image: 'mysql:8.4', environment: { MYSQL_PASSWORD: , MYSQL_ROOT_PASSWORD: , MYSQL_USER: app } }
  ap: { image: 'example/ap:1.0', environment: { DB_PASS: hunter2, DB_HOST: db, SESSION_SECRET: s3cr3t } }
`, { existingSecretName: 'shop-credentials', secretKeys: { DB_PASS: 'MYSQL_PASSWORD' } });
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(docs)).not.toMatch(/hunter2|s3cr3t/);
    expect(env(docs, 'ap').DB_PASS).toEqual({ secretKeyRef: { name: 'shop-credentials', key: 'MYSQL_PASSWORD' } });
    expect(env(docs, 'db').MYSQL_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'shop-credentials', key: 'MYSQL_ROOT_PASSWORD' } });
    expect(app.requiredSecretKeys).toEqual({ 'shop-credentials': ['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'SESSION_SECRET'] });
  });

  test('values read from an existing Secret need no variable: ${DB_PASSWORD} is not interpolated', () => {
    const { docs } = convert('services:\n  db:\n    image: \'mysql:8.4\'\n    environment: ["MYSQL_PASSWORD=${DB_PASSWORD}", "MYSQL_DATABASE=${DB_NAME:-shop}"]\n',
      { existingSecretName: 'creds' });
    expect(env(docs, 'db')).toEqual({ MYSQL_PASSWORD: { secretKeyRef: { name: 'creds', key: 'MYSQL_PASSWORD' } }, MYSQL_DATABASE: 'shop' });
  });

  test('the secret-looking name pattern is overridable; *_FILE paths never count', () => {
    const { docs } = convert(`
services:
  db: { image: 'mysql:8.4', environment: { MYSQL_PASSWORD_FILE: /run/secrets/db, MY_CREDENTIAL: abc, API_KEY: plain } }
`, { secretEnvPattern: /CREDENTIAL|PASSWORD/ });
    expect(env(docs, 'db')).toEqual({
      MYSQL_PASSWORD_FILE: '/run/secrets/db', MY_CREDENTIAL: { secretKeyRef: { name: 'db-env', key: 'MY_CREDENTIAL' } }, API_KEY: 'plain',
    });
  });

  test('fails if an environment entry has no value and no variable or existing Secret provides it', () => {
    expect(() => convert('services:\n  db:\n    image: \'mysql:8.4\'\n    environment:\n      MYSQL_PASSWORD:\n'))
      .toThrow(/docker-compose.yml:5 services.db.environment.MYSQL_PASSWORD environment MYSQL_PASSWORD has no value .*set existingSecretName/);
    expect(() => convert('services:\n  db:\n    image: \'mysql:8.4\'\n    environment: [REGION]\n'))
      .toThrow(/environment REGION has no value .*set variables.REGION/);
  });

  test('fails if a variable is unset and has no default', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:\${TAG}\'\n'))
      .toThrow(/docker-compose.yml:3 services.web.image: '\$\{TAG\}' names the unset variable TAG .*set variables.TAG/);
    expect(() => convert('services:\n  web:\n    image: \'nginx:\${TAG:?pin a tag}\'\n')).toThrow(/variable TAG is unset: pin a tag/);
  });

  test('fails if an env_file is missing', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    env_file: [missing.env]\n')).toThrow(/services.web.env_file\[0\] env_file 'missing.env' cannot be read/);
  });
});

describe('env_file syntax (the Compose env file rules, as compose-go parses them)', () => {
  /** The entries of an env file as { KEY: value }, failing the test if the text does not parse. */
  const parse = (text: string, format?: 'raw') => {
    const r = parseEnvFile(text, format);
    if (!Array.isArray(r)) throw new Error(`line ${r.line} ${r.problem}`);
    return Object.fromEntries(r.map((e: EnvFileEntry) => [e.key, e.value]));
  };
  const problem = (text: string) => {
    const r = parseEnvFile(text);
    return Array.isArray(r) ? r : `line ${r.line} ${r.problem}`;
  };

  test('lines starting with # (after blanks) are comments; blank lines are skipped', () => {
    expect(parse('# comment\n   # indented comment\n\n\t\nA=1\n')).toEqual({ A: '1' });
  });

  test('an inline comment of an unquoted value needs a space before #', () => {
    expect(parse('A=value # comment\nB=value#not-a-comment\nC=value #\n')).toEqual({ A: 'value', B: 'value#not-a-comment', C: 'value' });
    // the blanks after = are skipped first, so nothing precedes this # (compose-go reads it the same way)
    expect(parse('D= # no value\n')).toEqual({ D: '# no value' });
  });

  test('export before the name is dropped (exportFOO is a name)', () => {
    expect(parse('export A=1\nexport\tB=2\nexportC=3\n')).toEqual({ A: '1', B: '2', exportC: '3' });
  });

  test('KEY= is the empty string; KEY alone has no value (null)', () => {
    expect(parse('EMPTY=\nBARE\nQUOTED_EMPTY=""\n')).toEqual({ EMPTY: '', BARE: null, QUOTED_EMPTY: '' });
  });

  test('unquoted values are trimmed; blanks around = are allowed; KEY: VALUE (YAML style) too', () => {
    expect(parse('A =   spaced value   \nB: colon\nC=a=b:c\n')).toEqual({ A: 'spaced value', B: 'colon', C: 'a=b:c' });
    expect(parse('VAR-WITH-DASHES=1\nVAR.WITH.DOTS=2\na[1]=3\n')).toEqual({ 'VAR-WITH-DASHES': '1', 'VAR.WITH.DOTS': '2', 'a[1]': '3' });
  });

  test('single-quoted values are literal: no escapes but \\\', no interpolation, # kept', () => {
    const r = parseEnvFile("A='$HOME \\n ${X} # not a comment' # comment\nB='Let\\'s go!'\n") as EnvFileEntry[];
    expect(r).toEqual([
      { key: 'A', value: '$HOME \\n ${X} # not a comment', line: 1, interpolate: false },
      { key: 'B', value: 'Let\'s go!', line: 2, interpolate: false },
    ]);
  });

  test('double-quoted values honour \\n \\t \\r \\\\ \\" and octal escapes, keep others, and are interpolated', () => {
    const r = parseEnvFile('A="tab\\there \\"q\\" back\\\\slash \\x07 \\0123 # not a comment" # comment\n') as EnvFileEntry[];
    expect(r).toEqual([{ key: 'A', value: 'tab\there "q" back\\slash \\x07 S # not a comment', line: 1, interpolate: true }]);
    // \$ is a literal $: returned as $$, which interpolation turns into $
    expect(parse('A="\\$HOME"')).toEqual({ A: '$$HOME' });
  });

  test('octal escapes are compose-go\'s: \\0 and exactly three octal digits up to 0377, else kept as written', () => {
    expect(parse('A="\\0101\\0377"')).toEqual({ A: 'A\u00ff' });
    expect(parse('A="\\012|\\0400|\\09|\\0"')).toEqual({ A: '\\012|\\0400|\\09|\\0' });
  });

  test('quoted values may span lines; line numbers follow', () => {
    const r = parseEnvFile('A="first\nsecond"\nB=\'x\ny\'\nC=3\n') as EnvFileEntry[];
    expect(r.map((e) => [e.key, e.value, e.line])).toEqual([['A', 'first\nsecond', 1], ['B', 'x\ny', 3], ['C', '3', 5]]);
  });

  test('CRLF line endings and a UTF-8 BOM are accepted', () => {
    expect(parse('\uFEFFA=1\r\nB="2"\r\nC\r\n')).toEqual({ A: '1', B: '2', C: null });
  });

  test('fails on an unterminated quote, text after a closing quote, or a bad name', () => {
    expect(problem('A=1\nB="open\nC=3\n')).toBe('line 2 has an unterminated double-quoted value (no closing ")');
    expect(problem("B='open")).toBe('line 1 has an unterminated single-quoted value (no closing \')');
    expect(problem('A="x" y\n')).toBe('line 1 has \'y\' after the closing quote of A');
    expect(problem('lol$wut\n')).toBe('line 1 has the character \'$\' in the variable name \'lol$wut\'');
    expect(problem('MY VAR=1\n')).toBe('line 1 has a space in the variable name \'MY VAR\'');
    expect(problem('=value\n')).toBe('line 1 has no variable name before \'=\'');
  });

  test('format raw takes KEY=VALUE as is (docker run --env-file): no quotes, escapes, comments or interpolation', () => {
    const r = parseEnvFile('RAW="kept" # too\n  INDENTED=a b  \n# comment\nV=${X}\nBARE\n', 'raw') as EnvFileEntry[];
    expect(r).toEqual([
      { key: 'RAW', value: '"kept" # too', line: 1, interpolate: false },
      { key: 'INDENTED', value: 'a b  ', line: 2, interpolate: false },
      { key: 'V', value: '${X}', line: 4, interpolate: false },
      { key: 'BARE', value: null, line: 5, interpolate: false },
    ]);
  });
});

describe('env_file in a service', () => {
  const service = (envFile: string, extra = '') => `services:\n  web:\n    image: 'nginx:1.27.3'\n    expose: [8080]\n    env_file: ${envFile}\n${extra}`;

  test('every rule of the fixture reaches the container (interpolated like environment: variables only)', () => {
    const { docs } = convert(service('syntax.env'), { variables: { REGION: 'eu-west-1', FROM_SHELL: 'from-variables' } });
    expect(env(docs, 'web')).toEqual({
      EXPORTED: 'yes',
      EMPTY: '',
      FROM_SHELL: 'from-variables', // a bare KEY, like an environment entry without a value
      UNQUOTED: 'spaced value',
      INLINE: 'value',
      HASH: 'value#not-a-comment',
      SINGLE: '$HOME \\n ${UNSET_VAR}', // literal: the unset variable is not an error
      SINGLE_ESCAPED: 'Let\'s go!',
      DOUBLE: 'tab\there "quoted" back\\slash $literal # not a comment',
      MULTILINE: 'first\nsecond',
      INTERPOLATED: 'eu-west-1-default',
      DOUBLE_INTERPOLATED: 'eu-west-1 and $ and yes', // earlier entries of the file are variables too
      YAML_STYLE: 'colon',
    });
  });

  test('env_file values look variables up in variables, then the service\'s environment, then earlier entries (as Compose does)', () => {
    const { docs } = convert(service('lookup.env', '    environment: { SERVICE_VAR: from-environment, BOTH: from-environment }\n'), { variables: { BOTH: 'from-variables' } });
    expect(env(docs, 'web').USES).toBe('from-file/from-environment/from-variables');
  });

  test('fails if an env_file value names an unset variable, naming the file and line', () => {
    expect(() => convert(service('syntax.env'), { variables: { FROM_SHELL: 'x' } }))
      .toThrow(/docker-compose.yml:5 services.web.env_file env_file 'syntax.env' line 15: INTERPOLATED '\$\{REGION\}' names the unset variable REGION .*set variables.REGION/);
  });

  test('fails if a bare KEY of an env_file has no variable, naming the file and line (as environment does)', () => {
    expect(() => convert(service('syntax.env'), { variables: { REGION: 'r' } }))
      .toThrow(/docker-compose.yml:5 services.web.env_file env_file 'syntax.env' line 6: FROM_SHELL has no value \(Compose takes it from the shell\); set variables.FROM_SHELL/);
  });

  test('secret-looking env_file values read from an existing Secret are not interpolated and not written', () => {
    const { docs, app } = convert(service('secret.env'), { existingSecretName: 'creds' });
    expect(env(docs, 'web')).toEqual({ API_TOKEN: { secretKeyRef: { name: 'creds', key: 'API_TOKEN' } }, DB_PASSWORD: { secretKeyRef: { name: 'creds', key: 'DB_PASSWORD' } }, MODE: 'prod' });
    expect(app.requiredSecretKeys).toEqual({ creds: ['API_TOKEN', 'DB_PASSWORD'] });
  });

  test('long form: required: false skips a missing file (noted); format raw takes values as is', () => {
    const { docs, app } = convert(service('[{ path: missing.env, required: false }, { path: raw.env, format: raw }, app.env]'), { variables: { RAW_BARE: 'b' } });
    expect(env(docs, 'web')).toMatchObject({ RAW: '"kept as is" # no comment', INDENTED: 'a b  ', RAW_VAR: '${NOT_INTERPOLATED}', RAW_BARE: 'b', GREETING: 'hello world' });
    expect(app.notes).toContain(`web: env_file missing.env does not exist (looked in ${FIXTURES}) and is required: false; skipped, as Compose does`);
  });

  test('fails if a required long-form env_file is missing, or its format is unknown', () => {
    expect(() => convert(service('[{ path: missing.env }]'))).toThrow(/services.web.env_file\[0\] env_file 'missing.env' cannot be read .*required: false/);
    expect(() => convert(service('[{ path: app.env, format: json }]')))
      .toThrow(/docker-compose.yml:5 services.web.env_file\[0\].format env_file 'app.env' has format 'json', which Compose does not define; .*format: raw/);
  });

  test('fails if an env_file line cannot be parsed, naming the file and line', () => {
    expect(() => convert(service('bad.env'))).toThrow(/docker-compose.yml:5 services.web.env_file env_file 'bad.env' line 2 has an unterminated double-quoted value/);
  });
});

describe('command and entrypoint', () => {
  test('strings are split like Compose does (quotes honoured, no shell); lists are taken as is', () => {
    const { docs } = convert(`
services:
  job:
    image: 'alpine:3.20'
    entrypoint: /bin/sh -c
    command: ["echo \\"$$HOME\\" && ls", "*.txt"]
  redis:
    image: 'redis:7.4.1'
    command: redis-server --save "" --requirepass 'a b' --dir /data/$$x
`);
    expect(container(docs, 'job').command).toEqual(['/bin/sh', '-c']);
    expect(container(docs, 'job').args).toEqual(['echo "$HOME" && ls', '*.txt']);
    expect(container(docs, 'redis').args).toEqual(['redis-server', '--save', '', '--requirepass', 'a b', '--dir', '/data/$x']);
  });
});

describe('deploy, healthcheck, lifecycle and security', () => {
  const { docs } = convert(`
services:
  api:
    image: 'example/api:1.0'
    expose: [8080]
    user: "1000:3000"
    cap_add: [NET_BIND_SERVICE]
    cap_drop: [ALL]
    stop_grace_period: 1m30s
    restart: unless-stopped
    working_dir: /srv
    labels: { com.example.team: shop }
    deploy:
      replicas: 3
      resources:
        limits: { cpus: '0.5', memory: 64M }
        reservations: { cpus: '0.25' }
    healthcheck:
      test: curl -fsS http://localhost:8080/healthz
      interval: 15s
      timeout: 2s
      retries: 4
      start_period: 1m
  legacy:
    image: 'example/legacy:1.0'
    mem_limit: 1g
    mem_reservation: 768m
    cpus: 2
    read_only: false
    stop_grace_period: 3s
    healthcheck: { test: ["CMD", "/bin/check", "--quick"] }
`);

  test('schema-valid (snapshot)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'Deployment')).toMatchSnapshot();
  });

  test('deploy.replicas and deploy.resources (limits lower the default requests)', () => {
    expect(workload(docs, 'api').spec.replicas).toBe(3);
    expect(container(docs, 'api').resources).toEqual({ limits: { cpu: '500m', memory: '64Mi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '250m', memory: '64Mi', 'ephemeral-storage': '128Mi' } });
    expect(workload(docs, 'legacy').spec.replicas).toBe(1);
    expect(container(docs, 'legacy').resources).toEqual({ limits: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '100m', memory: '768Mi', 'ephemeral-storage': '128Mi' } });
  });

  test('healthcheck becomes readiness and (for start_period) startup probes; liveness is a more tolerant TCP check, not a copy', () => {
    const c = container(docs, 'api');
    const exec = { command: ['/bin/sh', '-c', 'curl -fsS http://localhost:8080/healthz'] };
    expect(c.readinessProbe).toEqual({ exec, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 4 });
    expect(c.startupProbe).toEqual({ exec, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 8 });
    // A failing healthcheck (e.g. a slow dependency) takes the pod out of the Service; only a process
    // that stops accepting connections for 3x the retries is restarted.
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 'tcp-8080' }, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 12 });
    // A service without a port has no main port to connect to: no liveness probe rather than a copy.
    expect(container(docs, 'legacy').readinessProbe).toEqual({ exec: { command: ['/bin/check', '--quick'] }, periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 });
    expect(container(docs, 'legacy').livenessProbe).toBeUndefined();
    expect(container(docs, 'legacy').startupProbe).toBeUndefined();
    for (const d of docs.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      for (const k of d.spec.template.spec.containers) {
        if (k.livenessProbe && k.readinessProbe) expect({ ...k.livenessProbe, periodSeconds: 0, failureThreshold: 0 }).not.toEqual({ ...k.readinessProbe, periodSeconds: 0, failureThreshold: 0 });
      }
    }
  });

  test('user, cap_add/cap_drop, read_only, stop_grace_period, working_dir, labels', () => {
    const api = container(docs, 'api');
    expect(api.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 3000, readOnlyRootFilesystem: true, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
    expect(api.workingDir).toBe('/srv');
    expect(workload(docs, 'api').spec.template.spec.terminationGracePeriodSeconds).toBe(90);
    expect(workload(docs, 'api').spec.template.metadata.annotations).toEqual({ 'com.example.team': 'shop' });
    expect(container(docs, 'legacy').securityContext.readOnlyRootFilesystem).toBe(false);
    expect(workload(docs, 'legacy').spec.template.spec.terminationGracePeriodSeconds).toBe(3);
    expect(container(docs, 'legacy').lifecycle).toBeUndefined();
  });

  test('fails if working_dir is not an absolute path (WebApp refuses it; the error points at the key)', () => {
    expect(() => convert('services:\n  a:\n    image: \'redis:7.4.1\'\n    working_dir: data\n'))
      .toThrow(/ComposeApp 'shop': docker-compose.yml:4 services.a.working_dir: WebApp 'a': workingDir 'data' is not an absolute path; use an absolute path such as '\/data'/);
  });

  test('fails if restart asks not to restart, unless allowRestartAlways', () => {
    const yaml = 'services:\n  once:\n    image: \'busybox:1.36.1\'\n    restart: "no"\n';
    expect(() => convert(yaml)).toThrow(/docker-compose.yml:4 services.once.restart restart 'no' asks not to restart .*allowRestartAlways: true/);
    expect(() => convert(yaml, { services: { once: { allowRestartAlways: true } } })).not.toThrow();
  });

  test('fails if user is a name', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    user: www-data\n'))
      .toThrow(/docker-compose.yml:4 services.web.user user 'www-data' is not numeric; .*options.services.web.runAsUser/);
  });

  test('fails if privileged, host namespaces, network_mode host or devices are used', () => {
    expect(() => convert('services:\n  x:\n    image: \'busybox:1.36.1\'\n    privileged: true\n')).toThrow(/docker-compose.yml:4 services.x.privileged privileged: true gives the container full access/);
    expect(() => convert('services:\n  x:\n    image: \'busybox:1.36.1\'\n    network_mode: host\n')).toThrow(/services.x.network_mode network_mode 'host' has no Kubernetes equivalent/);
    expect(() => convert('services:\n  x:\n    image: \'busybox:1.36.1\'\n    pid: host\n')).toThrow(/pid 'host' shares a host or container namespace/);
    expect(() => convert('services:\n  x:\n    image: \'busybox:1.36.1\'\n    devices: ["/dev/fuse"]\n')).toThrow(/devices \["\/dev\/fuse"\] maps host devices/);
  });

  test('fails if a service is build-only', () => {
    expect(() => convert('services:\n  app:\n    build: .\n')).toThrow(/docker-compose.yml:2 services.app service app has build but no image .*options.services.app.image/);
  });
});

describe('names: container_name, hostname, aliases, links', () => {
  const { app, docs } = convert(`
services:
  db:
    image: 'postgres:16.4'
    container_name: legacy-db
    hostname: pg
    networks:
      back: { aliases: [database] }
  api:
    image: 'example/api:1.0'
    links: ["db:sql"]
    networks: [back]
networks:
  back: {}
`);

  test('each extra name is a ClusterIP Service selecting the same pods', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
    for (const alias of ['legacy-db', 'pg', 'database', 'sql']) {
      const svc = find(docs, 'Service', alias);
      expect(svc.spec).toEqual({ type: 'ClusterIP', selector: { app: 'db' }, ports: [{ name: 'tcp-5432', port: 5432, protocol: 'TCP', targetPort: 'tcp-5432' }] });
    }
    expect(app.aliases).toEqual({ 'legacy-db': 'db', 'pg': 'db', 'database': 'db', 'sql': 'db' });
  });

  test('hostname is the pod\'s own host name (spec.hostname) and an extra Service: since Docker 20.10 other containers resolve it too', () => {
    expect(workload(docs, 'db').spec.template.spec.hostname).toBe('pg');
    expect(find(docs, 'Service', 'pg').metadata.annotations).toEqual({ 'cdk8s-noops.io/compose-service': 'db', 'cdk8s-noops.io/alias-of': 'db', 'cdk8s-noops.io/compose-name': 'pg' });
    expect(app.notes).toContain('pg is an extra Service selecting the pods of db (Compose hostname of db)');
  });

  test('hostname is not applied to a StatefulSet, whose controller names pod hosts after the pods (noted)', () => {
    const { docs: d, app: a } = convert('services:\n  db:\n    image: \'postgres:16.4\'\n    hostname: pg\n', { services: { db: { statefulSet: true } } });
    expect(workload(d, 'db').spec.template.spec.hostname).toBeUndefined();
    expect(a.notes).toContain('db: hostname pg is not applied: a StatefulSet names each pod\'s host after the pod (other services use db)');
  });

  test('fails if hostname is not a DNS label', () => {
    expect(() => convert('services:\n  a:\n    image: \'redis:7.4.1\'\n    hostname: a.b\n'))
      .toThrow(/docker-compose.yml:4 services.a.hostname hostname 'a.b' is not a DNS label/);
  });

  test('fails if an alias is another service\'s name', () => {
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', container_name: b }\n  b: { image: \'redis:7.4.1\' }\n'))
      .toThrow(/name 'b' of service a is already the name of service b/);
  });

  test('fails if two Compose names map to one Kubernetes name', () => {
    expect(() => convert('services:\n  my_db: { image: \'redis:7.4.1\' }\n  my-db: { image: \'redis:7.4.1\' }\n'))
      .toThrow(/services 'my_db' and 'my-db' both map to the Kubernetes name 'my-db'; set options.services.my-db.name/);
  });
});

describe('extra names that are not DNS names: container_name, hostname, network and links aliases', () => {
  const { app, docs } = convert(`
services:
  db:
    image: 'postgres:16.4'
    container_name: legacy_db
    hostname: PG_Main
    networks:
      back: { aliases: [db_alias] }
  api:
    image: 'example/api:1.0'
    expose: [9000]
    links: ["db:my_sql"]
    networks: [back]
    command: --db legacy_db:5432 --replica db_alias:5432
    environment:
      DB_HOST: legacy_db
      PG_URL: postgres://app@pg_main:5432/app_db
      ALIAS_ADDR: "db_alias:5432"
      SQL_SERVER: MY_SQL
      POSTGRES_DB: legacy_db
networks:
  back: {}
`);

  test('map like service names (my_db → my-db): Services, mapping and annotations report it', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'Service' || d.kind === 'Deployment')).toMatchSnapshot();
    expect(app.aliases).toEqual({ 'legacy-db': 'db', 'pg-main': 'db', 'db-alias': 'db', 'my-sql': 'db' });
    expect(app.aliasMapping).toEqual({ legacy_db: 'legacy-db', PG_Main: 'pg-main', db_alias: 'db-alias', my_sql: 'my-sql' });
    for (const [dns, written] of [['legacy-db', 'legacy_db'], ['pg-main', 'PG_Main'], ['db-alias', 'db_alias'], ['my-sql', 'my_sql']]) {
      const svc = find(docs, 'Service', dns);
      expect(svc.spec.selector).toEqual({ app: 'db' });
      expect(svc.metadata.annotations['cdk8s-noops.io/compose-name']).toBe(written);
    }
    expect(app.notes).toContain('container_name \'legacy_db\' of service db is the Service name legacy-db (DNS names are lowercase letters, digits and \'-\'; references to legacy_db in other services\' environment and commands are rewritten)');
    expect(app.notes).toContain('network alias \'db_alias\' of service db is the Service name db-alias (DNS names are lowercase letters, digits and \'-\'; references to db_alias in other services\' environment and commands are rewritten)');
  });

  test('the hostname is mapped for spec.hostname too', () => {
    expect(workload(docs, 'db').spec.template.spec.hostname).toBe('pg-main');
    expect(app.notes).toContain('db: hostname PG_Main is the pod\'s spec.hostname pg-main (its own host name, as in Compose)');
  });

  test('references to the original names in other services\' environment and commands are rewritten', () => {
    expect(env(docs, 'api')).toEqual({
      DB_HOST: 'legacy-db',
      PG_URL: 'postgres://app@pg-main:5432/app_db',
      ALIAS_ADDR: 'db-alias:5432',
      SQL_SERVER: 'my-sql',
      POSTGRES_DB: 'legacy_db', // not a host
    });
    expect(container(docs, 'api').args).toEqual(['--db', 'legacy-db:5432', '--replica', 'db-alias:5432']);
  });

  test('a hostname or container_name on a service without ports is no error: it gets no Service (noted) unless someone uses it', () => {
    const { docs: d, app: a } = convert('services:\n  worker: { image: \'example/worker:1.0\', hostname: celery_1 }\n');
    expect(workload(d, 'worker').spec.template.spec.hostname).toBe('celery-1');
    expect(d.filter((x) => x.kind === 'Service')).toEqual([]);
    expect(a.notes).toContain('hostname celery_1 of worker gets no Service: worker has no port');
    // container_name alike (often set only for `docker ps`): no Service unless someone uses the name.
    const { docs: c, app: ca } = convert('services:\n  worker: { image: \'example/worker:1.0\', container_name: celery_worker }\n');
    expect(c.filter((d) => d.kind === 'Service')).toEqual([]);
    expect(ca.notes).toContain('container_name celery_worker of worker gets no Service: worker has no port');
    expect(() => convert('services:\n  worker: { image: \'example/worker:1.0\', container_name: celery_worker }\n  api: { image: \'example/api:1.0\', environment: { BROKER_HOST: celery_worker } }\n'))
      .toThrow(/services.worker service worker is addressed by api \(environment BROKER_HOST\) but has no port/);
    expect(a.aliases).toEqual({});
    expect(() => convert('services:\n  worker: { image: \'example/worker:1.0\', hostname: celery_1 }\n  api: { image: \'example/api:1.0\', environment: { BROKER_HOST: celery_1 } }\n'))
      .toThrow(/services.worker service worker is addressed by api \(environment BROKER_HOST\) but has no port/);
  });

  test('fails if a mapped name is another service\'s name, naming the service, key and value', () => {
    expect(() => convert('services:\n  my-db: { image: \'redis:7.4.1\' }\n  cache: { image: \'redis:7.4.1\', container_name: my_db }\n'))
      .toThrow(/docker-compose.yml:3 services.cache.container_name container_name 'my_db' of service cache \(as the DNS name 'my-db'\) is already the name of service my-db; use another container_name/);
  });

  test('a hostname that is another service\'s name, or cannot be a Service name, stays the pod\'s own host name only (noted)', () => {
    // Compose accepts both; a hostname is often set for the container's own sake, so it is no error.
    const { docs: d, app: a } = convert('services:\n  my_db: { image: \'redis:7.4.1\' }\n  cache: { image: \'redis:7.4.1\', hostname: My-DB }\n  web: { image: \'nginx:1.27.3\', ports: [\'80:80\'], hostname: 1node }\n');
    expect(workload(d, 'cache').spec.template.spec.hostname).toBe('my-db');
    expect(workload(d, 'web').spec.template.spec.hostname).toBe('1node');
    expect(find(d, 'Service', 'my-db').spec.selector).toEqual({ app: 'my-db' });
    expect(find(d, 'Service', '1node')).toBeUndefined();
    expect(a.notes).toContain('docker-compose.yml:3 services.cache.hostname hostname \'My-DB\' of service cache is only its pod\'s own host name (spec.hostname): \'my-db\' is already the name of service my_db, so other services cannot reach cache by it');
    expect(a.notes).toContain('docker-compose.yml:4 services.web.hostname hostname \'1node\' of service web is only its pod\'s own host name (spec.hostname): \'1node\' cannot be a Service name (it does not start with a letter), so other services cannot reach web by it');
  });

  test('fails if a mapped name is another service\'s extra name', () => {
    expect(() => convert(`
services:
  a: { image: 'redis:7.4.1', container_name: shared_cache }
  b:
    image: 'redis:7.4.1'
    networks: { default: { aliases: [shared-cache] } }
`)).toThrow(/services.b.networks.default.aliases\[0\] network alias 'shared-cache' of service b is already the name of service a \(its container_name 'shared_cache'\); use another alias/);
  });

  test('fails if a name cannot be made a DNS-1035 label', () => {
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', container_name: 1st_cache }\n'))
      .toThrow(/docker-compose.yml:2 services.a.container_name container_name '1st_cache' of service a cannot be a Service name: it maps to '1st-cache', which does not start with a letter; use lowercase letters/);
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', networks: { default: { aliases: [__] } } }\n'))
      .toThrow(/network alias '__' of service a cannot be a Service name; use lowercase letters/);
  });
});

describe('volumes, tmpfs, secrets and configs', () => {
  const yaml = `
services:
  db:
    image: 'postgres:16.4'
    volumes:
      - pgdata:/var/lib/postgresql/data
      - /var/log/postgresql
    tmpfs: ["/run/lock:size=16m"]
    shm_size: 128m
    secrets:
      - db_password
      - { source: tls_key, target: server.key, mode: 0440 }
    configs:
      - source: app_conf
        target: /etc/app/app.conf
  web:
    image: 'nginx:1.27.3'
    expose: [8080]
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - type: tmpfs
        target: /var/cache/nginx
        tmpfs: { size: 64m }
volumes:
  pgdata: {}
secrets:
  db_password: { external: true }
  tls_key: { file: ./server.key }
configs:
  app_conf: { file: ./nginx.conf }
`;
  const { app, docs } = convert(yaml, {
    secrets: { tls_key: { secretName: 'shop-tls', key: 'tls.key' } },
    volumes: { pgdata: { size: '20Gi', storageClassName: 'gp3' } },
    services: { web: { bindMounts: BindMountPolicy.CONFIG_MAP } },
  });

  test('schema-valid (snapshot)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs.filter((d) => ['PersistentVolumeClaim', 'ConfigMap'].includes(d.kind))).toMatchSnapshot();
  });

  test('a named volume is a PersistentVolumeClaim and the Deployment is recreated, not rolled', () => {
    expect(find(docs, 'PersistentVolumeClaim', 'pgdata').spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } });
    const pod = workload(docs, 'db').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'pgdata-var-lib-postgresql-data', persistentVolumeClaim: { claimName: 'pgdata' } });
    expect(workload(docs, 'db').spec.strategy).toEqual({ type: 'Recreate' });
    expect(Object.keys(app.persistentVolumeClaims)).toEqual(['pgdata']);
  });

  test('anonymous volumes are emptyDirs; tmpfs and shm_size are memory emptyDirs', () => {
    const pod = workload(docs, 'db').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'anonymous-var-log-postgresql', emptyDir: { sizeLimit: '1Gi' } });
    expect(pod.volumes).toContainEqual({ name: 'tmpfs-run-lock', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } });
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '128Mi' } });
    expect(workload(docs, 'web').spec.template.spec.volumes).toContainEqual({ name: 'tmpfs-var-cache-nginx', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
  });

  test('secrets are Secret volumes at /run/secrets (existing Secrets only), configs ConfigMap volumes', () => {
    const pod = workload(docs, 'db').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secret-db-password', secret: { secretName: 'db-password', items: [{ key: 'db_password', path: 'db_password' }] } });
    expect(pod.volumes).toContainEqual({ name: 'secret-tls-key', secret: { secretName: 'shop-tls', items: [{ key: 'tls.key', path: 'tls.key' }], defaultMode: 0o440 } });
    expect(container(docs, 'db').volumeMounts).toEqual(expect.arrayContaining([
      { name: 'secret-db-password', mountPath: '/run/secrets/db_password', readOnly: true, subPath: 'db_password' },
      { name: 'secret-tls-key', mountPath: '/run/secrets/server.key', readOnly: true, subPath: 'tls.key' },
      { name: 'config-app-conf', mountPath: '/etc/app/app.conf', readOnly: true, subPath: 'nginx.conf' },
    ]));
    expect(find(docs, 'ConfigMap', 'shop-app-conf').data['nginx.conf']).toContain('listen 8080');
    expect(app.requiredSecretKeys).toEqual({ 'db-password': ['db_password'], 'shop-tls': ['tls.key'] });
  });

  test('a bind mount becomes a ConfigMap only with the explicit BindMountPolicy.CONFIG_MAP opt-in', () => {
    expect(container(docs, 'web').volumeMounts).toContainEqual({ name: 'bind-etc-nginx-nginx-conf', mountPath: '/etc/nginx/nginx.conf', readOnly: true, subPath: 'nginx.conf' });
    expect(find(docs, 'ConfigMap', 'web-etc-nginx-nginx-conf').data['nginx.conf']).toContain('listen 8080');
  });

  test('statefulSet: true renders a StatefulSet with volumeClaimTemplates', () => {
    const { docs: s } = convert(yaml, {
      secrets: { tls_key: { secretName: 'shop-tls' } },
      services: { db: { statefulSet: true, replicas: 3 }, web: { bindMounts: BindMountPolicy.EMPTY_DIR } },
    });
    expect(allSchemaProblems(s)).toEqual([]);
    const sts = workload(s, 'db');
    expect(sts.kind).toBe('StatefulSet');
    expect(sts.spec).toMatchObject({ replicas: 3, serviceName: 'db-headless', updateStrategy: { type: 'RollingUpdate' } });
    expect(sts.spec.strategy).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates[0]).toMatchObject({ metadata: { name: 'pgdata' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    expect(sts.spec.template.spec.volumes.some((v: any) => v.persistentVolumeClaim)).toBe(false);
    expect(container(s, 'db').volumeMounts).toContainEqual({ name: 'pgdata', mountPath: '/var/lib/postgresql/data' });
    expect(s.filter((d) => d.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(workload(s, 'web').spec.template.spec.volumes).toContainEqual({ name: 'bind-etc-nginx-nginx-conf', emptyDir: { sizeLimit: '1Gi' } });
  });

  test('the StatefulSet is the WebApp\'s own workload (props, not patches): its ApiObject has the kind StatefulSet', () => {
    const { app: a } = convert(yaml, {
      secrets: { tls_key: { secretName: 'shop-tls' } },
      services: { db: { statefulSet: true }, web: { bindMounts: BindMountPolicy.EMPTY_DIR } },
    });
    expect(a.services.db.workloadKind).toBe('StatefulSet');
    expect(a.services.db.webApp.workloadKind).toBe('StatefulSet');
    expect(a.services.db.webApp.workload.kind).toBe('StatefulSet');
    expect(a.services.web.webApp.workload.kind).toBe('Deployment');
  });

  test('fails if a host path is bind-mounted without an opt-in', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n'))
      .toThrow(/docker-compose.yml:4 services.web.volumes\[0\] bind mount of the host path '\/var\/run\/docker.sock' .*BindMountPolicy.CONFIG_MAP/);
  });

  test('fails if a secret would be read from a file into the manifests', () => {
    expect(() => convert(yaml, { services: { web: { bindMounts: BindMountPolicy.EMPTY_DIR } } }))
      .toThrow(/docker-compose.yml:\d+ secrets.tls_key secret 'tls_key' is read from the file '.\/server.key'; converting it would write the credential .*options.secrets.tls_key/);
  });

  test('fails if a ReadWriteOnce volume is shared or used by several replicas', () => {
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', volumes: ["d:/data"] }\n  b: { image: \'redis:7.4.1\', volumes: ["d:/data"] }\nvolumes:\n  d: {}\n'))
      .toThrow(/named volume 'd' is shared by a, b, but a ReadWriteOnce claim .*accessModes: \['ReadWriteMany'\]/);
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', volumes: ["d:/data"], deploy: { replicas: 2 } }\nvolumes:\n  d: {}\n'))
      .toThrow(/service a mounts a ReadWriteOnce volume but runs 2 replicas.*statefulSet: true/);
  });

  test('fails if a named volume is not declared', () => {
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', volumes: ["data:/data"] }\n'))
      .toThrow(/docker-compose.yml:2 services.a.volumes\[0\] volume 'data' is not declared under the top-level volumes:/);
  });
});

describe('networks', () => {
  const { docs } = convert(`
services:
  web: { image: 'nginx:1.27.3', ports: ["8080:8080"], networks: [front] }
  api: { image: 'example/api:1.0', expose: [9000], networks: [front, back] }
  db:  { image: 'postgres:16.4', networks: [back] }
  audit: { image: 'example/audit:1.0', expose: [7000], network_mode: bridge, networks: [side] }
networks:
  front: {}
  back: { internal: true }
  side: {}
`);

  test('only services sharing a network may connect (and the replicas of one service, since issue 16)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(allowedFrom(docs, 'api')).toEqual(['api', 'db', 'web']);
    expect(allowedFrom(docs, 'db')).toEqual(['api', 'db']);
    expect(allowedFrom(docs, 'audit')).toEqual(['audit']);
    // A published service stays reachable from anywhere, as its published Compose port was.
    expect(allowedFrom(docs, 'web')).toBe('anyone');
    // One policy per network (linear size), not one per service, and one admitting anyone to the published services.
    expect(docs.filter((d) => d.kind === 'NetworkPolicy').map((d) => d.metadata.name)).toEqual(['shop-network-back', 'shop-network-front', 'shop-network-side', 'shop-published']);
  });

  test('egress is isolated as on a Compose network: members, published services, DNS and the internet, not the rest of the cluster', () => {
    const pods = podLabelsByWorkload(docs);
    for (const [workload, labels] of pods) {
      const egress = docs.filter((d) => d.kind === 'NetworkPolicy' && d.spec.policyTypes.includes('Egress') && matchesSelector(d.spec.podSelector, labels));
      expect([workload, egress.length > 0]).toEqual([workload, true]);
    }
    const side = docs.find((d) => d.metadata?.name === 'shop-network-side');
    const members = side.spec.podSelector.matchLabels;
    expect(side.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: members } }] },
      { to: [{ podSelector: { matchExpressions: [{ key: expect.any(String), operator: 'Exists' }] } }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } },
        { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } }] },
    ]);
    // audit (side only) may reach its network and the published web, not api or db on other networks
    const reach = (from: string) => [...pods].filter(([, labels]) => side.spec.egress.slice(0, 2).some((r: any) => matchesSelector(r.to[0].podSelector, labels))
      && matchesSelector(side.spec.podSelector, pods.get(from)!)).map(([n]) => n).sort();
    expect(reach('audit')).not.toContain('db');
    expect(reach('audit')).toContain('web');
  });

  test('networkPolicies: false renders none', () => {
    const { docs: d } = convert('services:\n  a: { image: \'redis:7.4.1\' }\n', { networkPolicies: false });
    expect(d.filter((x) => x.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('fails if a service uses an undeclared network', () => {
    expect(() => convert('services:\n  a: { image: \'redis:7.4.1\', networks: [nope] }\n')).toThrow(/network 'nope' is not declared under the top-level networks:/);
  });
});

describe('depends_on', () => {
  test('long form waits for started and healthy dependencies, not for completed ones', () => {
    const { app, docs } = convert(`
services:
  migrate: { image: 'example/migrate:1.0', restart: on-failure }
  db: { image: 'postgres:16.4' }
  cache: { image: 'redis:7.4.1' }
  api:
    image: 'example/api:1.0'
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_started }
      migrate: { condition: service_completed_successfully }
`, { services: { migrate: { allowRestartAlways: true } } });
    expect(workload(docs, 'api').spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db', 'wait-for-cache']);
    expect(app.notes).toContain('api depends on migrate completing: Kubernetes has no start order for that; api is not made to wait');
  });

  test('waitForDependencies: false adds no init containers', () => {
    const { docs } = convert('services:\n  db: { image: \'redis:7.4.1\' }\n  api: { image: \'example/api:1.0\', depends_on: [db] }\n', { services: { api: { waitForDependencies: false } } });
    expect(workload(docs, 'api').spec.template.spec.initContainers).toBeUndefined();
  });

  test('fails if depends_on names an unknown service', () => {
    expect(() => convert('services:\n  api: { image: \'example/api:1.0\', depends_on: [db] }\n')).toThrow(/services.api.depends_on names 'db', which is not a service; use one of api/);
  });
});

describe('per-service options reach every WebApp prop', () => {
  test('replicas, autoscaling, serviceType, ingress, resources, env, probes...', () => {
    const { docs } = convert(`
services:
  web: { image: 'nginx:1.27.3', ports: ["8080:8080"], deploy: { replicas: 5 } }
  api: { image: 'example/api:1.0', expose: [9000], environment: { A: "1" } }
`, {
      defaults: { podAnnotations: { team: 'shop' } },
      services: {
        web: { serviceType: ServiceType.LOAD_BALANCER, autoscaling: { minReplicas: 2, maxReplicas: 6 }, ingress: { host: 'shop.example.com' } },
        api: { replicas: 2, resources: { cpu: { request: '50m', limit: null } }, env: { B: '2' }, name: 'backend' },
      },
    });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(find(docs, 'Service', 'web').spec.type).toBe('LoadBalancer');
    expect(workload(docs, 'web').spec.replicas).toBeUndefined();
    expect(find(docs, 'HorizontalPodAutoscaler', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(find(docs, 'Ingress', 'web').spec.rules[0].host).toBe('shop.example.com');
    expect(workload(docs, 'backend').spec.replicas).toBe(2);
    expect(container(docs, 'backend').resources).toEqual({ limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '128Mi' } });
    expect(env(docs, 'backend')).toEqual({ A: '1', B: '2' });
    expect(workload(docs, 'backend').spec.template.metadata.annotations).toEqual({ team: 'shop' });
  });

  test('fails if options name a service that does not exist', () => {
    expect(() => convert('services:\n  web: { image: \'nginx:1.27.3\' }\n', { services: { WEB: { replicas: 2 } } }))
      .toThrow(/options.services names 'WEB', which is not a service .*use one of web/);
  });

  test('WebApp errors name the Compose file and service', () => {
    expect(() => convert('services:\n  web:\n    image: nginx\n')).toThrow(/ComposeApp 'shop': docker-compose.yml:3 services.web.image: WebApp 'web': image 'nginx' has no tag/);
  });
});

describe('keys of newer Compose specification revisions', () => {
  test('top-level name, long-form port name/app_protocol, start_interval, config content, depends_on restart', () => {
    const { docs, warnings } = convert(`
name: webshop
services:
  web:
    image: 'nginx:1.27.3'
    ports: [{ target: 8080, published: "80", name: web, app_protocol: http }]
    depends_on: { api: { condition: service_started, restart: true } }
    configs: [site]
    healthcheck: { test: ["CMD", "true"], interval: 30s, start_period: 20s, start_interval: 5s }
  api: { image: 'example/api:1.0', expose: [9000] }
configs:
  site: { content: "hello" }
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(find(docs, 'Service', 'web').spec.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP', targetPort: 'web', appProtocol: 'http' }]);
    expect(find(docs, 'Service', 'web').metadata.labels['app.kubernetes.io/part-of']).toBe('webshop');
    expect(container(docs, 'web').startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 7 });
    expect(find(docs, 'ConfigMap', 'webshop-site').data).toEqual({ site: 'hello' });
    expect(container(docs, 'web').volumeMounts).toContainEqual({ name: 'config-site', mountPath: '/site', readOnly: true, subPath: 'site' });
    expect(warnings[0]).toMatch(/ignored: services.web.depends_on.api.restart \(line 7\)$/);
  });
});

describe('profiles', () => {
  test('services of inactive profiles are skipped', () => {
    const yaml = 'services:\n  web: { image: \'nginx:1.27.3\', expose: [80] }\n  debug: { image: \'busybox:1.36.1\', profiles: [debug] }\n';
    expect(Object.keys(convert(yaml).app.services)).toEqual(['web']);
    expect(Object.keys(convert(yaml, { profiles: ['debug'] }).app.services)).toEqual(['web', 'debug']);
  });
});

describe('parsing and validation errors point at file, line and key', () => {
  test('fails if the YAML is malformed', () => {
    expect(() => convert('services:\n  web:\n    image: [nginx\n')).toThrow(/ComposeApp 'shop': docker-compose.yml:\d+:\d+: invalid YAML/);
    expect(() => convert('services:\n  web: { image: a }\n  web: { image: b }\n')).toThrow(/docker-compose.yml:3:3: invalid YAML: Map keys must be unique/);
  });

  test('fails if a key is unknown to the Compose specification', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    portz: ["80"]\n'))
      .toThrow(/ComposeApp 'shop': docker-compose.yml:4 services.web.portz unknown key 'portz'; remove it or use one of deploy, build, .*ports/);
  });

  test('fails if a value has the wrong type or an invalid duration', () => {
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    deploy: { replicas: two }\n'))
      .toThrow(/docker-compose.yml:4 services.web.deploy.replicas is 'two' \(string\); use a integer/);
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    stop_grace_period: soon\n'))
      .toThrow(/docker-compose.yml:4 services.web.stop_grace_period 'soon' is not a valid duration; use a Compose duration/);
    expect(() => convert('services:\n  web:\n    image: \'nginx:1.27.3\'\n    depends_on: { db: { condition: started } }\n'))
      .toThrow(/services.web.depends_on.db.condition is 'started'; use one of 'service_started', 'service_healthy', 'service_completed_successfully'/);
  });

  test('fails if there are no services', () => {
    expect(() => convert('version: "3"\nservices: {}\n')).toThrow(/services has no services/);
  });

  test('fromObject validates too, naming the key path', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => ComposeApp.fromObject(chart, 'x', { services: { web: { image: 'nginx:1.27.3', restart: 5 } } }))
      .toThrow(/ComposeApp 'x': services.web.restart is 5 \(number\); use a string/);
  });

  test('fromFile reads the file and its relative paths', () => {
    const chart = new Chart(Testing.app(), 'c');
    const app = ComposeApp.fromFile(chart, 'x', path.join(FIXTURES, 'cli.yml'), { existingSecretName: 'creds' });
    expect(app.nameMapping).toEqual({ DB: 'db', web: 'web' });
    expect(() => ComposeApp.fromFile(new Chart(Testing.app(), 'c'), 'x', path.join(FIXTURES, 'nope.yml'))).toThrow(/nope.yml: cannot read the Compose file \(ENOENT\)/);
  });
});

test('fails if a service label is not a valid annotation key, pointing at labels', () => {
  expect(() => convert(`services:\n  web: { image: 'nginx:1.27.3', expose: [80], labels: { ${'a'.repeat(70)}: x } }\n`))
    .toThrow(/docker-compose.yml:2 services.web.labels: WebApp 'web': podAnnotations key 'a{70}' is not a valid annotation key/);
});

describe('ignored keys', () => {
  test('are listed in exactly one warning with their lines', () => {
    const { app, warnings } = convert(`
services:
  web:
    image: 'nginx:1.27.3'
    expose: [80]
    logging: { driver: json-file }
    stop_signal: SIGQUIT
    build: .
    deploy:
      placement: { constraints: ["node.role==worker"] }
    x-custom: kept-quiet
volumes:
  v: { driver: local }
`);
    expect(warnings).toEqual([
      'ComposeApp \'shop\': docker-compose.yml: these Compose keys have no Kubernetes equivalent and were ignored: '
      + 'services.web.build (line 8), services.web.logging (line 6), services.web.stop_signal (line 7), services.web.deploy.placement (line 10), volumes.v.driver (line 13)',
    ]);
    expect(app.ignoredKeys).toHaveLength(5);
  });

  test('no warning when nothing is ignored', () => {
    expect(convert('services:\n  web: { image: \'nginx:1.27.3\', expose: [80] }\n').warnings).toEqual([]);
  });
});

describe('review fixes (issue 6 review)', () => {
  test('a service exposed through an Ingress or a NodePort/LoadBalancer Service is not isolated, like a published port', () => {
    const { docs, app } = convert(`
services:
  web: { image: 'nginx:1.27.3', expose: [8080] }
  lb: { image: 'nginx:1.27.3', expose: [8080] }
  api: { image: 'example/api:1.0', expose: [9000] }
`, { services: { web: { ingress: { host: 'shop.example.com' } }, lb: { serviceType: ServiceType.LOAD_BALANCER } } });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(allowedFrom(docs, 'web')).toBe('anyone');
    expect(allowedFrom(docs, 'lb')).toBe('anyone');
    expect(allowedFrom(docs, 'api')).toEqual(['api', 'lb', 'web']);
    expect(app.notes).toContain('web is exposed through an Ingress, so its ingress is not isolated (like a published Compose port)');
  });

  test('a port published on the host\'s loopback only (127.0.0.1:8001:8001) opens nothing: the service stays isolated to its networks', () => {
    const { docs, app } = convert(`
services:
  admin: { image: 'nginx:1.27.3', ports: ["127.0.0.1:8001:8001", "[::1]:8002:8002"] }
  web: { image: 'nginx:1.27.3', ports: ["0.0.0.0:8080:8080"] }
  api: { image: 'example/api:1.0', expose: [9000] }
`);
    expect(allowedFrom(docs, 'admin')).toEqual(['admin', 'api', 'web']);
    expect(allowedFrom(docs, 'web')).toBe('anyone');
    expect(app.notes).toContain('admin publishes 127.0.0.1:8001, ::1:8002 on the host\'s loopback only, which no other machine reaches: its ingress stays isolated to its networks; use kubectl port-forward, or options.services.admin.ingress to expose it');
    expect(app.notes).toContain('web publishes ports, so its ingress is not isolated (like a published Compose port, anyone may connect)');
  });

  test('a ports entry without a host port ("3000", { target }) is published on an ephemeral host port, as Docker does', () => {
    // GIVEN services whose ports Compose publishes on a host port Docker picks, one on the loopback only
    const { docs, app } = convert(`
services:
  web: { image: 'nginx:1.27.3', ports: ["8080"] }
  api: { image: 'example/api:1.0', ports: [{ target: 9000 }] }
  admin: { image: 'nginx:1.27.3', ports: ["127.0.0.1::8001"] }
  db: { image: 'example/db:1.0', expose: [5432] }
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    // THEN they keep their in-cluster Service port, and anyone may connect, as to a published Compose port
    expect(find(docs, 'Service', 'web').spec.ports[0]).toMatchObject({ port: 8080 });
    expect(app.services.web.ports[0]).toMatchObject({ containerPort: 8080, published: '0' });
    expect(allowedFrom(docs, 'web')).toBe('anyone');
    expect(allowedFrom(docs, 'api')).toBe('anyone');
    expect(app.notes).toContain('web publishes an ephemeral host port → 8080/TCP: the Service web serves it on 8080 inside the cluster; expose it outside with options.services.web.ingress or serviceType');
    // AND the loopback-only one stays isolated; expose-only ports publish nothing
    expect(allowedFrom(docs, 'admin')).toEqual(['admin', 'api', 'db', 'web']);
    expect(app.notes).toContain('admin publishes an ephemeral port on 127.0.0.1 on the host\'s loopback only, which no other machine reaches: its ingress stays isolated to its networks; use kubectl port-forward, or options.services.admin.ingress to expose it');
    expect(app.services.db.ports[0].published).toBeUndefined();
  });

  test('wait-for init containers skip a dependency that listens on UDP only (nc -z speaks TCP), with a note', () => {
    const { docs, app } = convert(`
services:
  dns: { image: 'example/dns:1.0', expose: ["53/udp"], healthcheck: { test: ["CMD", "dig", "@127.0.0.1"] } }
  api: { image: 'example/api:1.0', expose: [9000], depends_on: [dns] }
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(workload(docs, 'api').spec.template.spec.initContainers).toBeUndefined();
    expect(app.notes).toContain('api does not wait for dns: it listens on 53/UDP only, and the wait-for check speaks TCP');
  });

  test('only URL authorities, host:port and values of host keys are hosts; a service\'s own env is never rewritten', () => {
    const { docs, app } = convert(`
services:
  app_db:
    image: 'postgres:16.4'
    environment: { POSTGRES_DB: app_db, PGHOST: app_db, SELF_URL: "postgres://app_db:5432/x" }
  worker: { image: 'example/worker:1.0' }
  api:
    image: 'example/api:1.0'
    expose: [9000]
    command: --db app_db --peer app_db:5432
    environment:
      POSTGRES_DB: app_db
      ROLE: worker
      PEER: "worker:7000"
      DB_HOST: app_db
      DB_HOSTS_LIST: app_db
      DATABASE_URL: postgres://u@app_db:5432/app_db
      PEERS: "app_db:5432,other:1"
      MONGO_URL: "mongodb://other:27017,app_db:27017/app_db?replicaSet=rs"
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(env(docs, 'app-db')).toEqual({ POSTGRES_DB: 'app_db', PGHOST: 'app_db', SELF_URL: 'postgres://app_db:5432/x' });
    expect(env(docs, 'api')).toEqual({
      POSTGRES_DB: 'app_db', // a database name, not a host
      ROLE: 'worker',
      PEER: 'worker:7000',
      DB_HOST: 'app-db',
      DB_HOSTS_LIST: 'app_db', // not a host key
      DATABASE_URL: 'postgres://u@app-db:5432/app_db', // the path is a database name
      PEERS: 'app-db:5432,other:1',
      MONGO_URL: 'mongodb://other:27017,app-db:27017/app_db?replicaSet=rs', // every host of a multi-host authority
    });
    expect(container(docs, 'api').args).toEqual(['--db', 'app_db', '--peer', 'app-db:5432']);
    // `ROLE: worker` is no host; `PEER: worker:7000` names the portless worker with a port: since issue 16
    // (the Kompose trap) worker gets a Service on that port instead of a note.
    expect(find(docs, 'Service', 'worker').spec.ports).toEqual([expect.objectContaining({ port: 7000, targetPort: 'tcp-7000' })]);
    expect(app.notes).toContain('service worker declares no port; its Service serves 7000, the port api (environment PEER) connects to (set options.services.worker.port if it listens elsewhere)');
  });

  test('fails if a host key names a service without a port', () => {
    expect(() => convert('services:\n  worker: { image: \'example/worker:1.0\' }\n  api: { image: \'example/api:1.0\', environment: { WORKER_ADDR: "worker" } }\n'))
      .toThrow(/docker-compose.yml:2 services.worker service worker is addressed by api \(environment WORKER_ADDR\) but has no port/);
    // With a port in the address (issue 16), that port is the Service's.
    const { docs } = convert('services:\n  worker: { image: \'example/worker:1.0\' }\n  api: { image: \'example/api:1.0\', environment: { WORKER_ADDR: "worker:7000" } }\n');
    expect(find(docs, 'Service', 'worker').spec.ports.map((p: any) => p.port)).toEqual([7000]);
  });

  test('commands are split on quotes and escapes only (no variable expansion); a literal $( is escaped for Kubernetes', () => {
    const { docs } = convert(`
services:
  job:
    image: 'alpine:3.20'
    entrypoint: /bin/sh -c
    command: sh -c "echo $\${FOO}bar \\"q\\" $$HOME" --x=$$(pwd) 'a  b' c\\ d
    environment: { STAMP: "$$(date)", PLAIN: "$$HOME" }
`);
    expect(container(docs, 'job').args).toEqual(['sh', '-c', 'echo ${FOO}bar "q" $HOME', '--x=$$(pwd)', 'a  b', 'c d']);
    expect(env(docs, 'job')).toEqual({ STAMP: '$$(date)', PLAIN: '$HOME' });
  });

  test('splitWords: single quotes literal, backslash escapes in double quotes and outside, whitespace separates', () => {
    expect(splitWords(`a 'b "c' "d \\"e\\" \\\\ \\x $V" f\\ g ''`)).toEqual(['a', 'b "c', 'd "e" \\ \\x $V', 'f g', '']);
    expect(splitWords('echo "unclosed')).toBe('has an unclosed double quote at character 6');
  });

  test('fails if a command has an unclosed quote', () => {
    expect(() => convert('services:\n  a:\n    image: \'alpine:3.20\'\n    command: sh -c "echo\n'))
      .toThrow(/docker-compose.yml:4 services.a.command command 'sh -c "echo' has an unclosed double quote/);
  });

  test('fails if one Service would get more than 100 ports, naming the entry', () => {
    expect(() => convert('services:\n  a:\n    image: \'example/a:1.0\'\n    expose: ["80", "10000-10100"]\n'))
      .toThrow(/docker-compose.yml:4 services.a.expose\[1\] '10000-10100' brings service a to more than 100 ports.*EndpointSlice/);
  });

  test('volume names that collide after DNS-safe conversion get a short stable hash suffix', () => {
    const { docs } = convert(`
services:
  app:
    image: 'example/app:1.0'
    volumes: [/app/.cache, /app/cache]
    secrets: [a_b, a-b]
secrets:
  a_b: { external: true }
  a-b: { external: true }
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    const names = workload(docs, 'app').spec.template.spec.volumes.map((v: any) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['anonymous-app-cache', 'secret-a-b']));
    expect(names.filter((x: string) => /^anonymous-app-cache-[0-9a-f]{6}$/.test(x) || /^secret-a-b-[0-9a-f]{6}$/.test(x))).toHaveLength(2);
  });

  test('fails if two configs would share one ConfigMap', () => {
    expect(() => convert(`
services:
  app: { image: 'example/app:1.0', configs: [app_conf, app-conf] }
configs:
  app_conf: { content: a }
  app-conf: { content: b }
`)).toThrow(/docker-compose.yml:6 configs.app-conf config app-conf and config app_conf both give the ConfigMap name 'shop-app-conf'/);
  });

  test('fails if two named volumes would share one PersistentVolumeClaim', () => {
    expect(() => convert(`
services:
  a: { image: 'example/a:1.0', volumes: ["db_data:/a"] }
  b: { image: 'example/b:1.0', volumes: ["db-data:/b"] }
volumes:
  db_data: {}
  db-data: {}
`)).toThrow(/docker-compose.yml:4 services.b.volumes\[0\] named volumes 'db_data' and 'db-data' both give the PersistentVolumeClaim name 'db-data'/);
  });

  test('fails if two named volumes would share one claim template of a StatefulSet', () => {
    expect(() => convert(`
services:
  a: { image: 'example/a:1.0', volumes: ["db_data:/a", "db-data:/b"] }
volumes:
  db_data: {}
  db-data: {}
`, { services: { a: { statefulSet: true } } })).toThrow(/docker-compose.yml:3 services.a.volumes\[1\] named volumes 'db_data' and 'db-data' both give the claim template name 'db-data'/);
  });

  test('fails if entrypoint or command is empty (Compose would clear the image\'s)', () => {
    expect(() => convert('services:\n  a:\n    image: \'alpine:3.20\'\n    entrypoint: []\n'))
      .toThrow(/docker-compose.yml:4 services.a.entrypoint entrypoint \[\] is empty.*give the entrypoint to run explicitly/);
    expect(() => convert('services:\n  a:\n    image: \'alpine:3.20\'\n    command: ""\n'))
      .toThrow(/docker-compose.yml:4 services.a.command command '' is empty/);
  });

  test('the one warning lists more ignored keys: network addresses, pids, restart timing, uid/gid, mount options', () => {
    const { warnings } = convert(`
services:
  web:
    image: 'nginx:1.27.3'
    expose: [80]
    networks:
      front: { ipv4_address: 172.16.0.10, priority: 100 }
    deploy:
      resources: { limits: { pids: 100 } }
      restart_policy: { condition: any, delay: 5s, max_attempts: 3, window: 30s }
    secrets: [{ source: s, uid: "100", gid: "100" }]
    volumes:
      - { type: volume, source: v, target: /v, volume: { nocopy: true } }
      - { type: tmpfs, target: /t, tmpfs: { mode: 1777 } }
networks:
  front: {}
volumes:
  v: {}
secrets:
  s: { external: true }
`);
    expect(warnings).toHaveLength(1);
    for (const k of ['services.web.deploy.resources.limits.pids (line 9)', 'services.web.deploy.restart_policy.delay (line 10)', 'services.web.deploy.restart_policy.max_attempts',
      'services.web.deploy.restart_policy.window', 'services.web.networks.front.ipv4_address (line 7)', 'services.web.networks.front.priority',
      'services.web.secrets.0.uid (line 11)', 'services.web.secrets.0.gid', 'services.web.volumes.0.volume.nocopy (line 13)', 'services.web.volumes.1.tmpfs.mode (line 14)']) {
      expect(warnings[0]).toContain(k);
    }
  });

  test('errors of WebApp calls after the constructor name the file, line and key', () => {
    expect(() => convert('services:\n  w:\n    image: \'example/worker:1.0\'\n', { services: { w: { ingress: { host: 'w.example.com' } } } }))
      .toThrow(/ComposeApp 'shop': docker-compose.yml:2 services.w: WebApp 'w': exposeViaIngress needs a Service/);
  });

  test('WebApp constructor errors point at the Compose key behind the prop', () => {
    expect(() => convert('services:\n  a:\n    image: \'alpine:3.20\'\n    user: "0"\n')).toThrow(/docker-compose.yml:4 services.a.user: WebApp 'a': runAsUser/);
    // A prop set in options is not in the file: the message points at the service.
    expect(() => convert('services:\n  a:\n    image: \'alpine:3.20\'\n', { services: { a: { image: 'alpine' } } }))
      .toThrow(/docker-compose.yml:2 services.a: WebApp 'a': image 'alpine' has no tag/);
  });
});

describe('gaps closed after the review of issue 6', () => {
  test('numbers and booleans written with a variable are converted back after interpolation, as Compose does', () => {
    const { docs } = convert(`
services:
  api:
    image: 'example/api:1.0'
    ports:
      - target: \${PORT:-8080}
    read_only: \${READ_ONLY:-false}
    deploy:
      replicas: \${REPLICAS}
    healthcheck:
      test: [CMD, /check]
      retries: \${RETRIES:-5}
      disable: \${NO_CHECK:-no}
`, { variables: { REPLICAS: '3' } });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(workload(docs, 'api').spec.replicas).toBe(3);
    expect(container(docs, 'api').ports).toEqual([{ containerPort: 8080, name: 'tcp-8080', protocol: 'TCP' }]);
    expect(container(docs, 'api').securityContext.readOnlyRootFilesystem).toBe(false);
    expect(container(docs, 'api').readinessProbe.failureThreshold).toBe(5);
    // Text that is no number stays text, and the schema says so.
    expect(() => convert('services:\n  api:\n    image: \'example/api:1.0\'\n    deploy: { replicas: "${N:-two}" }\n'))
      .toThrow(/docker-compose.yml:4 services.api.deploy.replicas is 'two' \(string\); use a integer/);
  });

  test('a healthcheck without test keeps the default probe and says why (Compose would run the image\'s HEALTHCHECK)', () => {
    const { docs, app } = convert('services:\n  api:\n    image: \'example/api:1.0\'\n    expose: [9000]\n    healthcheck: { interval: 5s, retries: 2 }\n');
    expect(container(docs, 'api').readinessProbe).toEqual({ tcpSocket: { port: 'tcp-9000' } });
    expect(app.notes).toContain('api: healthcheck has no test, so Compose runs the image\'s own HEALTHCHECK, which Kubernetes ignores; the WebApp\'s default probe is used (set options.services.api.readiness and liveness to check more)');
  });

  test('tmpfs options other than size are reported, not silently dropped', () => {
    const { docs, app } = convert('services:\n  api:\n    image: \'example/api:1.0\'\n    tmpfs: ["/run:size=64m,mode=1777,noexec"]\n');
    expect(workload(docs, 'api').spec.template.spec.volumes).toContainEqual({ name: 'tmpfs-run', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
    expect(app.notes).toContain('api: tmpfs /run options mode=1777,noexec are ignored: an emptyDir takes a size only (its files belong to the pod\'s user)');
  });
});

describe('resources under chart defaults', () => {
  test('a reservation above the library\'s default limit raises the limit, also when the chart sets only a default request', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WebAppDefaults } = require('../lib') as typeof import('../lib');
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    WebAppDefaults.set(chart, { resources: { cpu: { request: '50m' } } });
    ComposeApp.fromYaml(chart, 'shop', `
services:
  worker:
    image: 'example/worker:1.0'
    ports: ['8080']
    deploy: { resources: { reservations: { cpus: '2' } } }
`, { baseDir: FIXTURES, fileName: 'docker-compose.yml' });
    const docs = Testing.synth(chart);
    expect(container(docs, 'worker').resources.requests.cpu).toBe('2');
    expect(container(docs, 'worker').resources.limits.cpu).toBe('2');
  });
});

describe('portAdvice', () => {
  test('messages name the option by default, or the caller\'s own words (the CLI names its --port flag)', () => {
    const yaml = `
services:
  web:
    image: 'example/web:1.0'
    ports: ['8080:8080']
    depends_on: [db]
  db:
    image: 'example/db:1.0'
`;
    expect(() => convert(yaml)).toThrow(/service db is addressed by web \(depends_on\) but has no port: .*; set options\.services\.db\.port \(or ports\), or add expose/);
    expect(() => convert(yaml, { portAdvice: (s) => `pass --port ${s}=<port>` })).toThrow(/has no port: .*; pass --port db=<port>, or add expose/);
  });
});
