// The flags of `cdk8s-noops compose`: parsed into ComposeApp options, and the flag that sets each
// option a message names (ComposeApp's fixAdvice), so that every fix a user reads is a flag to pass.
import { BindMountPolicy, ComposeAppOptions, ComposeFix, ComposeServiceOptions } from '../compose';
import { ServiceType } from '../web-app';

/** What `cdk8s-noops compose` was asked to do. */
export interface ComposeArgs {
  /** The Compose file. */
  readonly file?: string;
  /** Output directory, or `-` for stdout. */
  readonly out: string;
  /** Chart and file name. */
  readonly name?: string;
  /** Namespace to render and put every object in. */
  readonly namespace?: string;
  /** Files of variables (`--env-file`), read in order (a later one wins). */
  readonly envFiles: readonly string[];
  /** `--var` values (over every other source of variables). */
  readonly variables: Readonly<Record<string, string>>;
  /** Print errors only. */
  readonly quiet: boolean;
  /** Write secret-looking values into Secrets in the manifests (else they are read from an existing Secret). */
  readonly writeSecrets: boolean;
  /** Print the help. */
  readonly help: boolean;
  /** Print the version. */
  readonly version: boolean;
  /** The ComposeApp options the flags set. */
  readonly options: ComposeAppOptions;
}

/** A command-line mistake: exit code 2 with the usage. */
export class UsageError extends Error {}

const BIND_POLICIES: Readonly<Record<string, BindMountPolicy>> = {
  configmap: BindMountPolicy.CONFIG_MAP, emptydir: BindMountPolicy.EMPTY_DIR, ignore: BindMountPolicy.IGNORE, error: BindMountPolicy.ERROR,
};
const SERVICE_TYPES: Readonly<Record<string, ServiceType>> = {
  clusterip: ServiceType.CLUSTER_IP, nodeport: ServiceType.NODE_PORT, loadbalancer: ServiceType.LOAD_BALANCER, headless: ServiceType.HEADLESS,
};
const CONTROLLERS: Readonly<Record<string, boolean>> = { deployment: false, statefulset: true };
const ACCESS_MODES: Readonly<Record<string, string>> = { readwriteonce: 'ReadWriteOnce', readwritemany: 'ReadWriteMany', readonlymany: 'ReadOnlyMany', readwriteoncepod: 'ReadWriteOncePod' };

/** Parses the arguments after `compose`; throws {@link UsageError} on a mistake. */
export function parseComposeArgs(argv: readonly string[]): ComposeArgs {
  let file: string | undefined;
  let out = 'dist';
  let name: string | undefined;
  let namespace: string | undefined;
  let quiet = false;
  let writeSecrets = false;
  let help = false;
  let version = false;
  const envFiles: string[] = [];
  const variables: Record<string, string> = {};
  const profiles: string[] = [];
  const secrets: Record<string, { secretName: string; key?: string }> = {};
  const volumes: Record<string, Record<string, unknown>> = {};
  const services: Record<string, Record<string, unknown>> = {};
  const defaults: Record<string, unknown> = {};
  const app: Record<string, unknown> = {};
  /** Sets `key` for service `svc`, or for every service when `svc` is undefined. */
  const set = (svc: string | undefined, key: keyof ComposeServiceOptions, value: unknown) => {
    if (svc === undefined) defaults[key] = value;
    else (services[svc] ??= {})[key] = value;
  };
  /** `SERVICE=VALUE` (or `VALUE` for every service when `optionalService`). */
  const split = (flag: string, v: string, optionalService: boolean, example: string): [string | undefined, string] => {
    const eq = v.indexOf('=');
    if (eq > 0) return [v.slice(0, eq), v.slice(eq + 1)];
    if (optionalService && eq < 0) return [undefined, v];
    throw new UsageError(`${flag} ${v} is not SERVICE=VALUE (e.g. ${flag} ${example})`);
  };
  const oneOf = <T>(flag: string, v: string, table: Readonly<Record<string, T>>): T => {
    const t = table[v.toLowerCase()];
    if (t === undefined) throw new UsageError(`${flag} ${v}: use one of ${Object.keys(table).join(', ')} (any case)`);
    return t;
  };

  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h': case '--help': help = true; break;
      case '--version': case '-V': version = true; break;
      case '-q': case '--quiet': quiet = true; break;
      case '--write-secrets': writeSecrets = true; break;
      case '-f': case '--file': {
        const v = value();
        if (file !== undefined) throw new UsageError(`${arg} ${v}: one compose file at a time (already ${file})`);
        file = v;
        break;
      }
      case '-o': case '--out': out = value(); break;
      case '--name': name = value(); break;
      case '-n': case '--namespace': namespace = value(); break;
      case '--existing-secret': app.existingSecretName = value(); break;
      case '--profile': profiles.push(value()); break;
      case '--no-network-policies': app.networkPolicies = false; break;
      case '--allow-outside': app.allowOutside = true; break;
      case '--env-file': envFiles.push(value()); break;
      case '--var': {
        const v = value();
        const at = v.indexOf('=');
        if (at <= 0) throw new UsageError(`--var ${v} is not KEY=VALUE`);
        variables[v.slice(0, at)] = v.slice(at + 1);
        break;
      }
      case '--port': {
        const v = value();
        const m = /^([^=]+)=(\d+)$/.exec(v);
        const port = m ? Number(m[2]) : NaN;
        if (!m || port < 1 || port > 65535) throw new UsageError(`--port ${v} is not SERVICE=PORT with a port between 1 and 65535 (e.g. --port DB=3306)`);
        set(m[1], 'port', port);
        break;
      }
      case '--replicas': {
        const [svc, v] = split(arg, value(), true, 'web=3');
        if (!/^\d+$/.test(v)) throw new UsageError(`--replicas ${v} is not a number of replicas (e.g. --replicas 2 or --replicas web=3)`);
        set(svc, 'replicas', Number(v));
        break;
      }
      case '--controller': {
        const [svc, v] = split(arg, value(), true, 'db=statefulset');
        set(svc, 'statefulSet', oneOf(arg, v, CONTROLLERS));
        break;
      }
      case '--allow-mutable-image-tag': set(inline, 'allowMutableImageTag', true); break;
      case '--allow-restart-always': set(inline, 'allowRestartAlways', true); break;
      case '--allow-capabilities': set(inline, 'allowCapabilities', true); break;
      case '--bind-mounts': {
        const [svc, v] = split(arg, value(), true, 'web=configMap');
        set(svc, 'bindMounts', oneOf(arg, v, BIND_POLICIES));
        break;
      }
      case '--service-type': {
        const [svc, v] = split(arg, value(), true, 'web=LoadBalancer');
        set(svc, 'serviceType', oneOf(arg, v, SERVICE_TYPES));
        break;
      }
      case '--image': {
        const [svc, v] = split(arg, value(), false, 'web=registry.example.com/web:1.0');
        set(svc, 'image', v);
        break;
      }
      case '--run-as-user': {
        const [svc, v] = split(arg, value(), false, 'web=1000');
        if (!/^\d+$/.test(v)) throw new UsageError(`--run-as-user ${svc}=${v}: give a numeric uid (e.g. --run-as-user ${svc}=1000)`);
        set(svc, 'runAsUser', Number(v));
        break;
      }
      case '--ingress': {
        const [svc, host] = split(arg, value(), false, 'web=shop.example.com');
        set(svc, 'ingress', { host });
        break;
      }
      case '--service-name': {
        const [svc, v] = split(arg, value(), false, 'my_db=db');
        set(svc, 'name', v);
        break;
      }
      case '--volume-size': {
        const [vol, v] = split(arg, value(), false, 'db-data=10Gi');
        (volumes[vol!] ??= {}).size = v;
        break;
      }
      case '--volume-access': {
        const [vol, v] = split(arg, value(), false, 'uploads=ReadWriteMany');
        (volumes[vol!] ??= {}).accessModes = [oneOf(arg, v, ACCESS_MODES)];
        break;
      }
      case '--existing-claim': {
        const [vol, v] = split(arg, value(), false, 'db-data=shop-db-data');
        (volumes[vol!] ??= {}).existingClaimName = v;
        break;
      }
      case '--secret': {
        const v = value();
        const m = /^([^=]+)=([^:]+)(?::(.+))?$/.exec(v);
        if (!m) throw new UsageError(`--secret ${v} is not NAME=SECRET[:KEY] (e.g. --secret db_password=shop-credentials:db-password)`);
        secrets[m[1]] = m[3] ? { secretName: m[2], key: m[3] } : { secretName: m[2] };
        break;
      }
      default:
        if (inline !== undefined || arg.startsWith('-')) throw new UsageError(`unknown option ${argv[i]}`);
        if (file !== undefined) throw new UsageError(`unexpected argument ${arg} (one compose file at a time)`);
        file = arg;
    }
  }
  const options: ComposeAppOptions = {
    ...app,
    profiles,
    ...(Object.keys(secrets).length ? { secrets } : {}),
    ...(Object.keys(volumes).length ? { volumes } : {}),
    ...(Object.keys(services).length ? { services } : {}),
    ...(Object.keys(defaults).length ? { defaults } : {}),
  };
  if (writeSecrets && app.existingSecretName !== undefined) throw new UsageError('--write-secrets and --existing-secret exclude each other: the first writes the values into the manifests, the second reads them from a Secret');
  return { file, out, name, namespace, envFiles, variables, quiet, writeSecrets, help, version, options };
}

/** The flag that sets the option a message names: ComposeApp's `fixAdvice` for the command line. */
export function flagAdvice(fix: ComposeFix): string | undefined {
  const svc = fix.service ?? '<service>';
  switch (fix.option) {
    case 'allowMutableImageTag': return `pass --allow-mutable-image-tag=${svc} (or --allow-mutable-image-tag for every service)`;
    case 'allowRestartAlways': return `pass --allow-restart-always=${svc}`;
    case 'allowCapabilities': return `pass --allow-capabilities=${svc}`;
    case 'bindMounts': return `pass --bind-mounts ${svc}=configMap (configuration files), --bind-mounts ${svc}=emptyDir (scratch data) or --bind-mounts ${svc}=ignore (source code the image contains)`;
    case 'image': return `pass --image ${svc}=<image>`;
    case 'port': return `pass --port ${svc}=<port>`;
    case 'runAsUser': return `pass --run-as-user ${svc}=<uid>`;
    case 'variable': return `pass --var ${fix.subject}=..., set it in the shell, or write it in .env (or an --env-file)`;
    case 'existingSecretName': return 'pass --existing-secret <secret>';
    case 'secret': return `pass --secret ${fix.subject ?? '<name>'}=<secret>[:<key>]`;
    case 'profile': return `pass --profile ${fix.subject ?? '<profile>'}`;
    case 'statefulSet': return `pass --controller ${svc}=statefulset`;
    case 'ingress': return `pass --ingress ${svc}=<host>`;
    case 'serviceType': return `pass --service-type ${svc}=LoadBalancer`;
    case 'allowOutside': return 'pass --allow-outside';
    case 'name': return `pass --service-name ${svc}=<name>`;
    case 'accessModes': return `pass --volume-access ${fix.subject}=ReadWriteMany`;
    case 'existingClaimName': return `pass --existing-claim ${fix.subject}=<claim>`;
    default: return undefined;
  }
}
