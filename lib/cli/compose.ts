import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { Namespace } from '../namespace';
import { toDnsLabel } from '../core';
import { ComposeApp, ComposeProblems } from '../compose';
import { ComposeArgs, UsageError, flagAdvice, parseComposeArgs } from './compose-args';
import { composeVariables } from './compose-env';
import { CliIo, CONSOLE_IO, packageVersion } from './io';

const USAGE = `usage: cdk8s-noops compose <docker-compose.yml> [options]

Renders Kubernetes manifests for a docker-compose application (one file: <out>/<name>.k8s.yaml).
Every problem of the file is reported in one run, each with file:line and the flag that fixes it.

options:
  -o, --out <dir>|-         output directory, or - for stdout (default: dist)
  -f, --file <file>         the compose file (or give it as the argument)
  --name <name>             chart and file name (default: the compose file's name)
  -n, --namespace <ns>      render a Namespace and put every object in it (default: none)
  --existing-secret <name>  read secret-looking env values (*PASS*, *PWD*, *SECRET*, *TOKEN*, *KEY*,
                            *CREDENTIAL*, *PRIVATE*, *PEM*, *SALT*, URLs with user:password@) from this
                            existing Secret (default: <name>-credentials; the command to create it is printed)
  --write-secrets           write those values into Secrets in the manifests instead (throwaway clusters)
  --secret NAME=SECRET[:KEY]  the existing Secret behind the Compose secret NAME (repeatable)
  --var KEY=VALUE           a variable for \${KEY} interpolation, over the shell and .env (repeatable)
  --env-file <file>         read variables from this file instead of the .env beside the compose file
                            (repeatable; the shell environment wins over both, as in Docker Compose)
  --port SERVICE=PORT       the port of a service that declares none (no ports, no expose, no
                            well-known image) but that other services address (repeatable)
  --profile <name>          activate a Compose profile (repeatable)
  --replicas [SERVICE=]N    replicas of every service (or of one; the file's deploy.replicas otherwise)
  --controller [SERVICE=]deployment|statefulset
                            workload kind (statefulset: named volumes become volumeClaimTemplates)
  --image SERVICE=IMAGE     the image of a service (e.g. one with build: but no image:)
  --allow-mutable-image-tag[=SERVICE]
                            accept untagged and :latest images (every service, or one; repeatable)
  --allow-restart-always[=SERVICE]
                            run restart: "no" / on-failure services as Deployments anyway
  --bind-mounts [SERVICE=]configMap|emptyDir|ignore
                            bind mounts of host paths as ConfigMaps of the files, empty directories,
                            or not at all (the image's own content, e.g. for mounted source code)
  --allow-capabilities[=SERVICE]
                            accept cap_add beyond NET_BIND_SERVICE (needs a laxer Pod Security level)
  --run-as-user SERVICE=UID the numeric user of a service whose user: is a name
  --service-name SERVICE=NAME
                            the Kubernetes name of a service (default: its name made DNS-safe)
  --volume-size VOLUME=SIZE, --volume-access VOLUME=ReadWriteMany, --existing-claim VOLUME=CLAIM
                            a named volume's PersistentVolumeClaim (default 1Gi ReadWriteOnce, rendered)
  --ingress SERVICE=HOST    route HTTP for HOST to the service through an Ingress
  --service-type [SERVICE=]ClusterIP|NodePort|LoadBalancer
                            the Service type (default ClusterIP)
  --allow-outside           read env_file, configs and bind-mounted files outside the compose file's
                            directory (symbolic links resolved; refused by default)
  --no-network-policies     do not render NetworkPolicies
  -q, --quiet               print errors only (no notes, no warnings)
  --version                 the version of cdk8s-noops
  -h, --help                this help

exit codes: 0 rendered, 1 conversion problems (all listed; nothing written), 2 usage error`;

/**
 * The `cdk8s-noops compose` command line. Returns the exit code: 0 rendered, 1 conversion error, 2 usage error.
 *
 * @example
 * npx cdk8s-noops compose docker-compose.yml --out dist --existing-secret shop-credentials
 */
export function main(argv: string[], io: CliIo = CONSOLE_IO): number {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === undefined) {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'compose') {
    io.err(`cdk8s-noops: unknown command '${command}'; use 'compose'\n\n${USAGE}`);
    return 2;
  }
  let args: ComposeArgs;
  try {
    args = parseComposeArgs(rest);
    if (!args.help && !args.version) {
      if (args.file === undefined) throw new UsageError('give the compose file');
      if (args.out !== '-' && fs.existsSync(args.out) && !fs.statSync(args.out).isDirectory()) {
        throw new UsageError(`--out ${args.out} is a file, not a directory; give a directory (it is created if missing) or - for stdout`);
      }
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`cdk8s-noops compose: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.version) {
    io.out(packageVersion());
    return 0;
  }
  return convert(args, args.file!, io);
}

/** Converts `file` as `args` say and writes the manifest (or prints it for `--out -`). */
function convert(args: ComposeArgs, file: string, io: CliIo): number {
  const toStdout = args.out === '-';
  const info = (line: string) => {
    if (!args.quiet) io.err(line);
  };
  const chartName = toDnsLabel(args.name ?? projectName(file));
  try {
    const { variables, read } = composeVariables({ composeFile: file, envFiles: args.envFiles, shell: io.env ?? process.env, explicit: args.variables });
    for (const f of read) info(`note: variables read from ${f}`);
    const app = new App({ outdir: toStdout ? undefined : args.out, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const chart = new Chart(app, chartName, { namespace: args.namespace });
    if (args.namespace) new Namespace(chart, 'namespace', { name: args.namespace });
    // No credential is written unless asked: by default they are read from a Secret the user creates.
    const existingSecretName = args.options.existingSecretName ?? (args.writeSecrets ? undefined : `${chartName}-credentials`);
    const compose = ComposeApp.fromFile(chart, chartName, file, {
      ...args.options,
      existingSecretName,
      variables,
      onWarning: (m) => info(`warning: ${m}`),
      portAdvice: (service) => `pass --port ${service}=<port>`,
      fixAdvice: flagAdvice,
    });
    if (toStdout) {
      io.out(app.synthYaml().replace(/\n$/, ''));
    } else {
      fs.mkdirSync(args.out, { recursive: true });
      app.synth();
    }
    for (const note of compose.notes) info(`note: ${note}`);
    for (const [secret, keys] of Object.entries(compose.requiredSecretKeys)) {
      info(`create it: kubectl create secret generic ${secret}${args.namespace ? ` -n ${args.namespace}` : ''} ${keys.map((k) => `--from-literal=${k}=<value>`).join(' ')}`);
    }
    const summary = `${Object.keys(compose.services).length} services (${Object.entries(compose.nameMapping).map(([k, v]) => (k === v ? k : `${k} → ${v}`)).join(', ')})`;
    if (toStdout) info(`${file}: ${summary}`);
    else io.out(`${path.join(args.out, `${chartName}.k8s.yaml`)}: ${summary}`);
    return 0;
  } catch (e) {
    if (e instanceof ComposeProblems) {
      for (const p of e.problems) io.err(`error: ${p.message}`);
      io.err(`cdk8s-noops compose: ${e.problems.length} problems in ${file}; nothing written`);
    } else {
      io.err(`cdk8s-noops compose: ${(e as Error).message}`);
    }
    return 1;
  }
}

/**
 * The chart (and file) name: the Compose file's own name, unless it is one of Compose's default file
 * names (compose.yaml, docker-compose.yml...); then its top-level `name:` (the project's name in
 * Docker Compose), else `compose`.
 */
function projectName(file: string): string {
  const base = path.basename(file).replace(/\.(ya?ml)$/i, '');
  if (!/^(docker-)?compose$/i.test(base)) return base;
  try {
    const doc = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 1000 });
    if (typeof doc?.name === 'string' && doc.name) return doc.name;
  } catch {
    // the conversion reports an unreadable or invalid file
  }
  return 'compose';
}
