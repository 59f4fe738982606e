// docker-compose → Kubernetes: the public names of lib/compose. The conversion is split by concept:
//   props.ts     the props and results (ComposeAppProps, ComposeServiceOptions, ComposeServiceResult...)
//   app.ts       the ComposeApp construct: parse, then run the steps below in order
//   context.ts   the state of one conversion (source, options, notes) and its message helpers
//   problems.ts  every problem of a file reported at once (ComposeProblems)
//   include.ts   `include`: other Compose files merged in, each keeping its file and lines
//   extends.ts   `extends`: a service merged over the one it extends (Compose's merge rules)
//   checks.ts    keys refused (no Kubernetes equivalent) and keys ignored
//   names.ts     Kubernetes names, extra names (alias Services), references, wait-for init containers
//   config-refs.ts  addresses in mounted configuration files (nginx proxy_pass...) as references
//   listen.ts    the port a service without ports listens on, from its own environment
//   model.ts     one service's Compose keys as WebApp props (ports, resources, probes, command...)
//   jvm.ts       memory for a JVM heap flag (-Xmx) when the file sets none
//   env.ts       environment, credentials in Secrets, Compose secrets and configs
//   secret-refs.ts  secret variables in commands and healthchecks as references, never values
//   files.ts     host files read only inside the project directory (symbolic links resolved)
//   volumes.ts   named volumes, tmpfs, shm and bind mounts
//   workload.ts  a service's workload as WebApp props (StatefulSet, Recreate, hostname, working_dir)
//   networks.ts  Compose networks as NetworkPolicies (one per network, by a pod label)
//   service.ts   one service rendered from the above
//   parse.ts (compiled-schema.ts), ports.ts, values.ts: the Compose file format itself. Images' users, ports
//   and writable paths come from lib/core/image-profiles.ts, shared with WebApp and the in-cluster MySQL.
// The command line (cdk8s-noops compose) is a tool: lib/cli/compose.ts (flags: compose-args.ts,
// variables from .env and the shell: compose-env.ts).
export { ComposeApp } from './app';
export { BindMountPolicy } from './props';
export { ComposeProblems } from './problems';
export type {
  ComposeAppOptions, ComposeAppProps, ComposeFix, ComposeSecretSource, ComposeServiceOptions, ComposeServiceResult, ComposeVolumeOptions,
} from './props';
export { COMPOSE_SCHEMA_FILE, ComposeSource, validateComposeSchema } from './parse';
export { parseExposeEntry, parsePortEntry } from './ports';
export type { ComposePort } from './ports';
export { composeBytesToQuantity, composeCpusToQuantity, escapeKubernetesExpansion, parseComposeDuration, parseEnvFile, splitWords } from './values';
export type { EnvFileEntry, EnvFileProblem } from './values';
