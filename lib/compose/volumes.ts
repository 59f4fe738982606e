// A service's volumes: named volumes (PersistentVolumeClaims, or claim templates of a StatefulSet),
// anonymous volumes, tmpfs and shm (emptyDirs), and bind mounts (as the BindMountPolicy says).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { renderClaimSpec } from '../k8s';
import { Json, compact, manifest } from '../k8s-object';
import { isDns1123Subdomain, show, toDnsLabel } from '../core';
import { VolumeAccessMode, VolumeClaimTemplate, WebApp } from '../web-app';
import { ComposeConversion, KeyPath } from './context';
import { projectPath } from './files';
import { BindMountPolicy } from './props';
import { composeBytesToQuantity } from './values';

/** One `volumes` entry of a service. */
export interface VolumeMount {
  /** `named`: a top-level volume; `anonymous`: a container path alone; `bind`: a host path; `tmpfs`: memory. */
  readonly kind: 'named' | 'anonymous' | 'bind' | 'tmpfs';
  /** The volume name (named) or host path (bind). */
  readonly source?: string;
  /** The container path. */
  readonly target: string;
  /** Mounted read-only. */
  readonly readOnly: boolean;
  /** The tmpfs size (long syntax), as a Kubernetes quantity. */
  readonly size?: string;
  /** Where the entry is written. */
  readonly at: KeyPath;
}

/** The `tmpfs` entries of a service (`/run` or `/run:size=64m,mode=1777`). */
export function tmpfsEntries(service: Json): string[] {
  return service.tmpfs === undefined ? [] : [service.tmpfs].flat();
}

/**
 * The pod volume names of one service. Names are derived from paths and Compose names; a collision
 * gets a short stable hash suffix.
 */
export class VolumeNames {
  private readonly used = new Set<string>();

  /** A name not used yet, from `base` (cut to 63 characters), or with a hash of `origin` when taken. */
  public unique(base: string, origin: string): string {
    let v = base.slice(0, 63).replace(/-+$/, '');
    if (this.used.has(v)) v = `${base.slice(0, 56).replace(/-+$/, '')}-${createHash('sha256').update(origin).digest('hex').slice(0, 6)}`;
    this.used.add(v);
    return v;
  }

  /** Marks `name` as used (a claim template's name, which its mount uses as the volume name). */
  public reserve(name: string): void {
    this.used.add(name);
  }
}

/**
 * The `volumes` entries of service `n` (short or long syntax) as mounts; fails on a relative container
 * path, an undeclared named volume or a volume type with no Kubernetes equivalent.
 */
export function volumeMounts(ctx: ComposeConversion, n: string): VolumeMount[] {
  const s = ctx.service(n);
  const doc = ctx.source.data;
  return (s.volumes ?? []).map((v: string | Json, i: number) => {
    const at = ['services', n, 'volumes', i];
    let type: string;
    let src: string | undefined;
    let target: string;
    let readOnly = false;
    let size: string | undefined;
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length === 1) [target] = parts;
      else {
        [src, target] = parts;
        const mode = parts[2] ?? '';
        readOnly = mode.split(',').includes('ro');
      }
      type = src === undefined ? 'volume' : /^[./~]/.test(src) ? 'bind' : 'volume';
    } else {
      type = v.type;
      src = v.source;
      target = v.target;
      readOnly = v.read_only ?? false;
      if (v.tmpfs?.size !== undefined) size = composeBytesToQuantity(v.tmpfs.size);
    }
    if (!target || !target.startsWith('/')) ctx.err(at, `volume ${show(v)} has no absolute container path`, 'use SOURCE:/container/path[:ro]');
    if (type === 'volume' && src !== undefined) {
      if (!doc.volumes || !Object.prototype.hasOwnProperty.call(doc.volumes, src)) {
        ctx.err(at, `volume ${show(src)} is not declared under the top-level volumes:`, `add 'volumes: { ${src}: {} }' at the top level, or use a path such as ./${src} for a bind mount`);
      }
      return { kind: 'named' as const, source: src, target, readOnly, at };
    }
    if (type === 'volume') return { kind: 'anonymous' as const, target, readOnly, at };
    if (type === 'bind') return { kind: 'bind' as const, source: src, target, readOnly, at };
    if (type === 'tmpfs') return { kind: 'tmpfs' as const, target, readOnly, size, at };
    return ctx.err(at, `volume type ${show(type)} has no Kubernetes equivalent`, 'use a named volume, tmpfs, or remove it');
  });
}

/** The access modes of the named volume `source`: its options', else ReadWriteOnce. */
function accessModesOf(ctx: ComposeConversion, source: string): string[] {
  return ctx.props.volumes?.[source]?.accessModes ?? ['ReadWriteOnce'];
}

/**
 * The claim templates of a StatefulSet service with `mounts`: one per named volume, named after it
 * (the first volume wins a name two volumes give: {@link mountVolumes} then reports the clash where it
 * always did), with the volume's options (1Gi ReadWriteOnce by default).
 */
export function claimTemplates(ctx: ComposeConversion, mounts: readonly VolumeMount[]): VolumeClaimTemplate[] {
  const templates: VolumeClaimTemplate[] = [];
  for (const m of mounts) {
    if (m.kind !== 'named' || templates.some((t) => t.name === toDnsLabel(m.source!))) continue;
    const vo = ctx.props.volumes?.[m.source!] ?? {};
    templates.push(compact({
      name: toDnsLabel(m.source!),
      labels: ctx.objectLabels(),
      accessModes: accessModesOf(ctx, m.source!) as VolumeAccessMode[],
      storageClassName: vo.storageClassName,
      storage: vo.size ?? '1Gi',
    }));
  }
  return templates;
}

/**
 * True when a Deployment service with `mounts` mounts a ReadWriteOnce claim (a named volume without
 * ReadWriteMany): its pods cannot run side by side, and a rollout must stop the old pod first.
 */
export function mountsReadWriteOnceClaim(ctx: ComposeConversion, mounts: readonly VolumeMount[]): boolean {
  return mounts.some((m) => m.kind === 'named' && !accessModesOf(ctx, m.source!).includes('ReadWriteMany'));
}

/**
 * Mounts the volumes of service `n` into its WebApp: named volumes as PersistentVolumeClaims (rendered
 * once per volume, unless external or given) or, for a StatefulSet, as its claim templates (see
 * {@link claimTemplates}); anonymous volumes, tmpfs and shm as emptyDirs; bind mounts as the
 * BindMountPolicy says.
 */
export function mountVolumes(
  ctx: ComposeConversion, n: string, webApp: WebApp, mounts: readonly VolumeMount[], volumeUsers: ReadonlyMap<string, readonly string[]>,
  stateful: boolean, volumeNames: VolumeNames,
): void {
  const s = ctx.service(n);
  const at = (...k: Array<string | number>) => ['services', n, ...k];
  const pvcs = ctx.persistentVolumeClaims;
  const templateSources = new Map<string, string>();
  for (const m of mounts) {
    const volName = volumeNames.unique(toDnsLabel(`${m.kind === 'named' ? m.source : m.kind}-${m.target}`), `${m.kind}:${m.source ?? ''}:${m.target}`);
    if (m.kind === 'named') {
      const vo = ctx.props.volumes?.[m.source!] ?? {};
      const def = ctx.source.data.volumes[m.source!] ?? {};
      const accessModes = accessModesOf(ctx, m.source!);
      const users = volumeUsers.get(m.source!) ?? [];
      if (users.length > 1 && !accessModes.includes('ReadWriteMany') && !vo.existingClaimName) {
        ctx.err(m.at, `named volume ${show(m.source)} is shared by ${users.join(', ')}, but a ReadWriteOnce claim attaches to one node only`,
          `${ctx.advise({ option: 'accessModes', subject: m.source }, `set options.volumes.${m.source}.accessModes: ['ReadWriteMany']`)} (a StorageClass that supports it), or give each service its own volume`);
      }
      if (stateful) {
        const tplName = toDnsLabel(m.source!);
        const clash = templateSources.get(tplName);
        if (clash !== undefined && clash !== m.source) {
          ctx.err(m.at, `named volumes ${show(clash)} and ${show(m.source)} both give the claim template name ${show(tplName)}`, 'rename one of the volumes');
        }
        templateSources.set(tplName, m.source!);
        volumeNames.reserve(tplName);
        ctx.at(m.at, () => webApp.addVolumeMount(tplName, { mountPath: m.target, readOnly: m.readOnly || undefined }));
        continue;
      }
      const size = vo.size ?? '1Gi';
      const spec = renderClaimSpec({ accessModes: accessModes as VolumeAccessMode[], storageClassName: vo.storageClassName, storage: size });
      const external = def.external;
      const claimName = vo.existingClaimName ?? (external ? toDnsLabel((typeof external === 'object' && external.name) || def.name || m.source!) : toDnsLabel(def.name ?? m.source!));
      if (!external && !vo.existingClaimName && !pvcs[m.source!]) {
        const clash = Object.entries(pvcs).find(([, c]) => c.metadata.name === claimName);
        if (clash) {
          ctx.err(m.at, `named volumes ${show(clash[0])} and ${show(m.source)} both give the PersistentVolumeClaim name ${show(claimName)}`,
            `rename one of the volumes, or set a distinct name: under the top-level volumes.${m.source}`);
        }
        if (!isDns1123Subdomain(claimName)) ctx.err(m.at, `volume name ${show(m.source)} gives the claim name ${show(claimName)}`, ctx.advise({ option: 'existingClaimName', subject: m.source }, `set options.volumes.${m.source}.existingClaimName`));
        pvcs[m.source!] = manifest(ctx.scope, `volume-${m.source}`, 'v1', 'PersistentVolumeClaim', {
          name: claimName,
          namespace: ctx.namespace,
          labels: ctx.objectLabels(),
          annotations: { 'cdk8s-noops.io/compose-volume': m.source! },
          body: { spec },
        });
      }
      ctx.at(m.at, () => webApp.addVolume({ name: volName, persistentVolumeClaim: compact({ claimName, readOnly: m.readOnly || undefined }) }, { mountPath: m.target, readOnly: m.readOnly || undefined }));
    } else if (m.kind === 'anonymous') {
      ctx.at(m.at, () => webApp.addEmptyDir(volName, m.target));
      ctx.note(`${n}: anonymous volume ${m.target} is an emptyDir (its data lives as long as the pod)`);
    } else if (m.kind === 'tmpfs') {
      ctx.at(m.at, () => webApp.addEmptyDir(volName, m.target, { medium: 'Memory', sizeLimit: m.size }));
    } else {
      bindMount(ctx, n, webApp, m, volName);
    }
  }
  tmpfsEntries(s).forEach((t, i) => {
    const [target, opts] = t.split(':');
    const size = /(?:^|,)size=([^,]+)/.exec(opts ?? '')?.[1];
    const others = (opts ?? '').split(',').filter((x) => x !== '' && !x.startsWith('size='));
    if (others.length) ctx.note(`${n}: tmpfs ${target} options ${others.join(',')} are ignored: an emptyDir takes a size only (its files belong to the pod's user)`);
    const sizeLimit = size === undefined ? undefined : composeBytesToQuantity(size);
    if (size !== undefined && sizeLimit === undefined) ctx.err(at('tmpfs', ...(Array.isArray(s.tmpfs) ? [i] : [])), `tmpfs size ${show(size)} is not a byte value`, 'use e.g. size=64m');
    ctx.at(at('tmpfs', ...(Array.isArray(s.tmpfs) ? [i] : [])), () => webApp.addEmptyDir(volumeNames.unique(toDnsLabel(`tmpfs-${target}`), `tmpfs:${target}`), target, { medium: 'Memory', sizeLimit }));
  });
  if (s.shm_size !== undefined) {
    const sizeLimit = composeBytesToQuantity(s.shm_size);
    if (sizeLimit === undefined) ctx.err(at('shm_size'), `shm_size ${show(s.shm_size)} is not a byte value`, 'use e.g. \'256m\'');
    ctx.at(at('shm_size'), () => webApp.addEmptyDir(volumeNames.unique('dshm', 'shm'), '/dev/shm', { medium: 'Memory', sizeLimit }));
  }
}

/** What is wrong with the bind mount `m` when bind mounts are refused. */
export function bindMountProblem(m: VolumeMount): string {
  return `bind mount of the host path ${show(m.source)} at ${m.target} has no Kubernetes equivalent (the path does not exist on cluster nodes)`;
}

/** How to accept the bind mounts of service `n`. */
export function bindMountFix(ctx: ComposeConversion, n: string): string {
  return `use a named volume, or ${ctx.advise({ option: 'bindMounts', service: n },
    `set options.services.${n}.bindMounts to BindMountPolicy.CONFIG_MAP (configuration files) or BindMountPolicy.EMPTY_DIR (scratch data)`)}`;
  // (BindMountPolicy.IGNORE, for source code the image contains, is in the options' documentation and the CLI's help.)
}

/**
 * Mounts the bind mount `m` of service `n` as its {@link BindMountPolicy} says: an error (the default),
 * an emptyDir, or a ConfigMap of the host file (or of the files of the host directory).
 */
function bindMount(ctx: ComposeConversion, n: string, webApp: WebApp, m: VolumeMount, volName: string): void {
  const policy = ctx.opts(n).bindMounts ?? BindMountPolicy.ERROR;
  if (policy === BindMountPolicy.ERROR) ctx.err(m.at, bindMountProblem(m), bindMountFix(ctx, n));
  if (policy === BindMountPolicy.IGNORE) {
    ctx.note(`${n}: bind mount ${m.source} → ${m.target} is not mounted: the image's own ${m.target} is used (BindMountPolicy.IGNORE)`);
    return;
  }
  if (policy === BindMountPolicy.EMPTY_DIR) {
    ctx.at(m.at, () => webApp.addEmptyDir(volName, m.target));
    ctx.note(`${n}: bind mount ${m.source} → ${m.target} is an empty directory (BindMountPolicy.EMPTY_DIR)`);
    return;
  }
  const src = projectPath(ctx, m.at, m.source!, 'bind mount source') ?? path.resolve(ctx.baseDir, m.source!);
  let files: string[];
  let isDir: boolean;
  try {
    isDir = fs.statSync(src).isDirectory();
    files = isDir ? fs.readdirSync(src).filter((f) => fs.statSync(path.join(src, f)).isFile()).sort() : [path.basename(m.source!)];
  } catch {
    return ctx.err(m.at, `bind mount source ${show(m.source)} does not exist (looked at ${src})`, 'create it or fix the path (relative to the Compose file)');
  }
  const cmName = toDnsLabel(`${webApp.name}-${m.target}`);
  ctx.claimConfigMap(cmName, `bind mount ${m.source} → ${m.target} of ${n}`, m.at);
  const data: Record<string, string> = {};
  for (const f of files) {
    if (!/^[-._a-zA-Z0-9]+$/.test(f)) ctx.err(m.at, `file ${show(f)} in ${m.source} is not a valid ConfigMap key`, 'rename it (letters, digits, \'-\', \'_\', \'.\')');
    // A file of a directory may be a link out of the project: each one is checked.
    const real = isDir ? projectPath(ctx, m.at, path.join(m.source!, f), 'bind-mounted file') ?? path.join(src, f) : src;
    data[f] = fs.readFileSync(real, 'utf8');
  }
  ctx.configMaps[cmName] = manifest(ctx.scope, `bind-${n}-${m.target}`, 'v1', 'ConfigMap', {
    name: cmName, namespace: ctx.namespace,
    labels: ctx.objectLabels(),
    body: { data },
  });
  ctx.at(m.at, () => webApp.addVolume({ name: volName, configMap: { name: cmName } }, isDir ? { mountPath: m.target, readOnly: true } : { mountPath: m.target, readOnly: true, subPath: files[0] }));
  ctx.note(`${n}: bind mount ${m.source} → ${m.target} is ConfigMap ${cmName} (BindMountPolicy.CONFIG_MAP)`);
}
