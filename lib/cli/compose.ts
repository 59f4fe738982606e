import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { Namespace } from '../namespace';
import { toDnsLabel } from '../core';
import { ComposeApp } from '../compose';
import { CliIo, CONSOLE_IO } from './io';

const USAGE = `usage: cdk8s-noops compose <docker-compose.yml> [options]

Renders Kubernetes manifests for a docker-compose application (one file: <out>/<name>.k8s.yaml).

options:
  --out <dir>               output directory (default: dist)
  --name <name>             chart and file name (default: the compose file's name)
  --namespace <ns>          render a Namespace and put every object in it (default: none)
  --existing-secret <name>  read secret-looking env values (*PASS*, *SECRET*, *TOKEN*, *KEY*) from this
                            existing Secret instead of writing them into the manifests
  --var KEY=VALUE           a variable for \${KEY} interpolation (repeatable; the shell environment is not read)
  --port SERVICE=PORT       the port of a service that declares none (no ports, no expose, no
                            well-known image) but that other services address (repeatable)
  --profile <name>          activate a Compose profile (repeatable)
  --no-network-policies     do not render NetworkPolicies
  -h, --help                this help`;

/**
 * The `cdk8s-noops` command line. Returns the exit code: 0 rendered, 1 conversion error, 2 usage error.
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
  let file: string | undefined;
  let out = 'dist';
  let name: string | undefined;
  let namespace: string | undefined;
  let existingSecret: string | undefined;
  let networkPolicies = true;
  const variables: Record<string, string> = {};
  const profiles: string[] = [];
  const ports: Record<string, { port: number }> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '-h' || arg === '--help') {
        io.out(USAGE);
        return 0;
      } else if (arg === '--out') out = value();
      else if (arg === '--name') name = value();
      else if (arg === '--namespace') namespace = value();
      else if (arg === '--existing-secret') existingSecret = value();
      else if (arg === '--profile') profiles.push(value());
      else if (arg === '--no-network-policies') networkPolicies = false;
      else if (arg === '--var') {
        const v = value();
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--var ${v} is not KEY=VALUE`);
        variables[v.slice(0, eq)] = v.slice(eq + 1);
      } else if (arg === '--port') {
        const v = value();
        const m = /^([^=]+)=(\d+)$/.exec(v);
        const port = m ? Number(m[2]) : NaN;
        if (!m || port < 1 || port > 65535) throw new UsageError(`--port ${v} is not SERVICE=PORT with a port between 1 and 65535 (e.g. --port DB=3306)`);
        ports[m[1]] = { port };
      } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
      else if (file === undefined) file = arg;
      else throw new UsageError(`unexpected argument ${arg} (one compose file at a time)`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.err(`cdk8s-noops compose: ${e.message}\n\n${USAGE}`);
      return 2;
    }
  }
  if (file === undefined) {
    io.err(`cdk8s-noops compose: give the compose file\n\n${USAGE}`);
    return 2;
  }
  const chartName = toDnsLabel(name ?? path.basename(file).replace(/\.(ya?ml)$/i, '').replace(/^docker-compose$|^compose$/, 'compose'));
  try {
    fs.mkdirSync(out, { recursive: true });
    const app = new App({ outdir: out, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const chart = new Chart(app, chartName, { namespace });
    if (namespace) new Namespace(chart, 'namespace', { name: namespace });
    const compose = ComposeApp.fromFile(chart, chartName, file, {
      existingSecretName: existingSecret,
      variables,
      profiles,
      networkPolicies,
      services: ports,
      onWarning: (m) => io.err(`warning: ${m}`),
      portAdvice: (service) => `pass --port ${service}=<port>`,
    });
    app.synth();
    for (const note of compose.notes) io.err(`note: ${note}`);
    io.out(`${path.join(out, `${chartName}.k8s.yaml`)}: ${Object.keys(compose.services).length} services (${Object.entries(compose.nameMapping).map(([k, v]) => (k === v ? k : `${k} → ${v}`)).join(', ')})`);
    return 0;
  } catch (e) {
    io.err(`cdk8s-noops compose: ${(e as Error).message}`);
    return 1;
  }
}

class UsageError extends Error {}
