// A service's environment, secrets and configs: env_file and environment entries, credentials moved to
// Secrets, and the Compose `secrets` and `configs` mounted as files.
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Json, compact, manifest } from '../k8s-object';
import { show, toDnsLabel } from '../core';
import { EnvValue, WebApp } from '../web-app';
import { ComposeConversion, KeyPath } from './context';
import { readProjectFile } from './files';
import { hasUrlCredentials } from './secret-refs';
import { interpolateString } from './parse';
import { environmentEntries, escapeKubernetesExpansion, parseEnvFile } from './values';
import { VolumeNames } from './volumes';

/** One environment variable of a service: from `env_file` or `environment`, with where it was written. */
export interface EnvEntry {
  /** The variable's name. */
  readonly key: string;
  /** `null`: no value given (Compose takes it from the shell). */
  readonly value: string | null;
  /** Key path for `file:line` in messages. */
  readonly at: KeyPath;
  /** `environment KEY` or `env_file 'app.env' line 3: KEY`, for messages. */
  readonly label: string;
}

/**
 * True when the environment variable `key` counts as a credential: its name matches the
 * `secretEnvPattern` and is not a `_FILE` path to a mounted secret.
 */
export function isSecretEnv(pattern: RegExp, key: string): boolean {
  return pattern.test(key) && !/_FILE$/.test(key);
}

/**
 * env_file entries then environment entries (environment wins), each with its key path and a label
 * for messages. env_file values are interpolated like the Compose file, from `variables` (never the
 * process environment), then, as Compose does, the service's `environment` and the env file entries
 * read before; not when single-quoted, `format: raw`, or secret-looking and read from an existing
 * Secret (then the value is never used).
 */
export function serviceEnvironment(ctx: ComposeConversion, n: string): EnvEntry[] {
  const s = ctx.service(n);
  const o = ctx.opts(n);
  const pattern = ctx.secretEnvPattern;
  const existing = o.existingSecretName ?? ctx.props.existingSecretName;
  const out = new Map<string, EnvEntry>();
  const isUnused = (key: string) => existing !== undefined && isSecretEnv(pattern, key);
  // Compose interpolates env_file values with its environment, then the service's `environment`,
  // then the entries of its env files read before (compose-go WithServicesEnvironmentResolved).
  const fileVars: Record<string, string> = {};
  const serviceVars: Record<string, string> = {};
  for (const [k, v] of environmentEntries(s.environment)) if (v !== null && !isUnused(k)) serviceVars[k] = v;
  const files: Array<string | Json> = s.env_file === undefined ? [] : [s.env_file].flat();
  files.forEach((item, i) => {
    const at = ['services', n, 'env_file', ...(Array.isArray(s.env_file) ? [i] : [])];
    const spec: Json = typeof item === 'string' ? { path: item } : item;
    const f: string = spec.path;
    const required = spec.required === undefined || spec.required === true || spec.required === 'true';
    if (spec.format !== undefined && spec.format !== 'raw') {
      ctx.err([...at, 'format'], `env_file ${show(f)} has format ${show(spec.format)}, which Compose does not define`,
        'remove format (Compose\'s env file syntax) or use format: raw (KEY=VALUE lines taken as is)');
    }
    const file = readProjectFile(ctx, at, f, 'env_file');
    if (!file) {
      if (!required) {
        ctx.note(`${n}: env_file ${f} does not exist (looked in ${ctx.baseDir}) and is required: false; skipped, as Compose does`);
        return;
      }
      ctx.err(at, `env_file ${show(f)} cannot be read (looked in ${ctx.baseDir})`, 'create the file, fix the path (relative to the Compose file), or mark it optional: { path: ..., required: false }');
    }
    const entries = parseEnvFile(file.text, spec.format);
    if (!Array.isArray(entries)) ctx.err(at, `env_file ${show(f)} line ${entries.line} ${entries.problem}`, 'fix that line (see the env file syntax of Compose: KEY=VALUE, # comments)');
    for (const e of entries) {
      const label = `env_file ${show(f)} line ${e.line}: ${e.key}`;
      let value = e.value;
      if (value !== null && e.interpolate && !isUnused(e.key)) {
        value = interpolateString(value, { ...fileVars, ...serviceVars, ...ctx.props.variables }, (problem, fix) => ctx.err(at, `${label} ${problem}`, fix));
      }
      if (value !== null) fileVars[e.key] = value;
      out.set(e.key, { key: e.key, value, at, label });
    }
  });
  environmentEntries(s.environment).forEach(([k, v], i) => {
    out.set(k, { key: k, value: v, at: ['services', n, 'environment', ...(Array.isArray(s.environment) ? [i] : [k])], label: `environment ${k}` });
  });
  return [...out.values()];
}

/** A service's environment as WebApp env values, and the Secret holding its credentials, if one is rendered. */
export interface RenderedEnvironment {
  /** Variable name → literal value or Secret reference. */
  readonly env: Record<string, string | EnvValue>;
  /** The Secret `<name>-env` holding the secret-looking values, unless they come from an existing Secret. */
  readonly envSecret?: ApiObject;
}

/**
 * Renders the environment `env` of service `n` (Kubernetes name `name`): literal values (host names
 * rewritten by `rewrite`, `$` escaped), secret-looking ones from the existing Secret when one is
 * configured, else from a Secret `<name>-env` rendered with their values. Fails on a value Compose
 * would take from the shell when no variable gives it.
 */
export function renderEnvironment(
  ctx: ComposeConversion, n: string, name: string, env: readonly EnvEntry[], rewrite: (value: string, key?: string) => string,
): RenderedEnvironment {
  const o = ctx.opts(n);
  const pattern = ctx.secretEnvPattern;
  const existing = o.existingSecretName ?? ctx.props.existingSecretName;
  const envSecretName = `${name}-env`;
  const secretData: Record<string, string> = {};
  const envProps: Record<string, string | EnvValue> = {};
  for (const { key: k, value: v, at: where, label } of env) {
    const secret = isSecretEnv(pattern, k) || (v !== null && hasUrlCredentials(v));
    if (secret && existing) {
      const key = ctx.props.secretKeys?.[k] ?? k;
      envProps[k] = EnvValue.fromSecret(existing, key);
      ctx.requireSecretKey(existing, key);
      continue;
    }
    const value = v ?? ctx.props.variables?.[k];
    if (value === undefined) {
      ctx.err(where, `${label} has no value (Compose takes it from the shell)`,
        secret ? `${ctx.advise({ option: 'existingSecretName' }, 'set existingSecretName (CLI: --existing-secret)')} to read it from an existing Secret, or ${ctx.advise({ option: 'variable', subject: k }, `variables.${k}`)}`
          : `${ctx.advise({ option: 'variable', subject: k }, `set variables.${k} (CLI: --var ${k}=...)`)} or give it a value`);
    }
    if (secret) {
      secretData[k] = rewrite(value, k);
      envProps[k] = EnvValue.fromSecret(envSecretName, k);
    } else {
      envProps[k] = escapeKubernetesExpansion(rewrite(value, k));
    }
  }
  let envSecret: ApiObject | undefined;
  if (Object.keys(secretData).length) {
    envSecret = manifest(ctx.scope, `${n}-env`, 'v1', 'Secret', {
      name: envSecretName,
      namespace: ctx.namespace,
      labels: ctx.objectLabels(name),
      body: { type: 'Opaque', stringData: secretData },
    });
    ctx.note(`secret-looking environment of ${n} (${Object.keys(secretData).join(', ')}) is in Secret ${envSecretName}, which is written to the manifests; ${ctx.advise({ option: 'existingSecretName' }, 'set existingSecretName')} to keep credentials out of them`);
  }
  return { env: envProps, envSecret };
}

/**
 * Mounts the Compose `secrets` (from existing Secrets) and `configs` (ConfigMaps, rendered from a
 * file or `content`, or existing when `external`) of service `n` into its WebApp.
 */
export function mountSecretsAndConfigs(ctx: ComposeConversion, n: string, webApp: WebApp, volumeNames: VolumeNames): void {
  const s = ctx.service(n);
  const doc = ctx.source.data;
  for (const kind of ['secrets', 'configs'] as const) {
    (s[kind] ?? []).forEach((ref: string | Json, i: number) => {
      const at = ['services', n, kind, i];
      const src = typeof ref === 'string' ? ref : ref.source;
      const def = doc[kind]?.[src];
      if (!def) ctx.err(at, `${kind.slice(0, -1)} ${show(src)} is not declared under the top-level ${kind}:`, `declare it: ${kind}: { ${src}: { external: true } }`);
      const targetRaw = typeof ref === 'string' ? undefined : ref.target;
      const target = kind === 'secrets'
        ? (targetRaw?.startsWith('/') ? targetRaw : `/run/secrets/${targetRaw ?? src}`)
        : (targetRaw ?? `/${src}`);
      let mode: number | undefined = typeof ref === 'string' ? undefined : ref.mode;
      // Compose reads `mode: 0440` as octal (YAML 1.1); YAML 1.2 would read decimal 440.
      const rawMode = ctx.source.raw([...at, 'mode']);
      if (rawMode !== undefined && /^0[0-7]+$/.test(rawMode)) mode = parseInt(rawMode, 8);
      if (mode !== undefined && (!Number.isInteger(mode) || mode < 0 || mode > 0o777)) {
        ctx.err([...at, 'mode'], `mode ${show(mode)} is not a file mode between 0 and 0777`, 'write it in octal, e.g. 0440');
      }
      const volName = volumeNames.unique(toDnsLabel(`${kind.slice(0, -1)}-${src}`), `${kind}:${src}:${target}`);
      if (kind === 'secrets') {
        const given = ctx.props.secrets?.[src];
        const external = def.external;
        if (!given && !external) {
          ctx.err(['secrets', src], `secret ${show(src)} is read from ${def.file ? `the file ${show(def.file)}` : 'outside Kubernetes'}; converting it would write the credential into the manifests`,
            `create a Kubernetes Secret and ${ctx.advise({ option: 'secret', subject: src }, `set options.secrets.${src} = { secretName: '...', key: '...' }`)} (or mark the Compose secret external: true)`);
        }
        const secretName = given?.secretName ?? toDnsLabel((typeof external === 'object' && external.name) || def.name || src);
        const key = given?.key ?? src;
        ctx.requireSecretKey(secretName, key);
        ctx.at(at, () => webApp.addVolume({ name: volName, secret: compact({ secretName, items: [{ key, path: key }], defaultMode: mode }) }, { mountPath: target, readOnly: true, subPath: key }));
      } else {
        let cmName: string;
        let key: string;
        if (def.external) {
          cmName = toDnsLabel((typeof def.external === 'object' && def.external.name) || def.name || src);
          key = src;
        } else {
          let text: string;
          if (typeof def.content === 'string') {
            text = def.content;
            key = src.replace(/[^-._a-zA-Z0-9]/g, '-');
          } else {
            if (!def.file) ctx.err(['configs', src], `config ${show(src)} has no file or content`, 'set file:, content: or external: true');
            const file = readProjectFile(ctx, ['configs', src, 'file'], def.file, 'config file');
            if (!file) ctx.err(['configs', src, 'file'], `config file ${show(def.file)} cannot be read (looked in ${ctx.baseDir})`, 'create the file or fix the path');
            text = file.text;
            key = path.basename(def.file).replace(/[^-._a-zA-Z0-9]/g, '-');
          }
          cmName = toDnsLabel(`${ctx.partOf}-${src}`);
          ctx.claimConfigMap(cmName, `config ${src}`, ['configs', src]);
          ctx.configMaps[cmName] ??= manifest(ctx.scope, `config-${src}`, 'v1', 'ConfigMap', {
            name: cmName, namespace: ctx.namespace,
            labels: ctx.objectLabels(),
            annotations: { 'cdk8s-noops.io/compose-config': src },
            body: { data: { [key]: text } },
          });
        }
        ctx.at(at, () => webApp.addVolume({ name: volName, configMap: compact({ name: cmName, items: [{ key, path: key }], defaultMode: mode }) }, { mountPath: target, readOnly: true, subPath: key }));
      }
    });
  }
}
