// Addresses in the configuration files a service mounts (a Compose config, or a bind-mounted file read
// into a ConfigMap): `proxy_pass http://backend:8000;` in an nginx.conf, `targets: ['node:9100']` in a
// prometheus.yml. The services they name need a Service on that port, as if an environment value named it.
import * as fs from 'fs';
import * as path from 'path';
import { Json } from '../k8s-object';
import { ComposeConversion } from './context';
import { projectPath, readProjectFile } from './files';
import { BindMountPolicy } from './props';
import { VolumeMount } from './volumes';

/** The most bytes of one file that are scanned for addresses. */
const MAX_SCAN = 1024 * 1024;

/**
 * The texts of the configuration files service `n` mounts and the conversion will read: its Compose
 * configs (`file` or `content`) and, under {@link BindMountPolicy.CONFIG_MAP}, its bind-mounted files.
 * Quotes become spaces, so that `'node:9100'` reads as a `host:port` word.
 */
export function mountedConfigTexts(ctx: ComposeConversion, n: string, mounts: readonly VolumeMount[]): Array<{ readonly label: string; readonly text: string }> {
  const out: Array<{ label: string; text: string }> = [];
  const add = (label: string, text: string) => out.push({ label, text: text.slice(0, MAX_SCAN).replace(/['"`]/g, ' ') });
  const doc = ctx.source.data;
  (ctx.service(n).configs ?? []).forEach((ref: string | Json) => {
    const src = typeof ref === 'string' ? ref : ref.source;
    const def = doc.configs?.[src];
    if (!def || def.external) return;
    if (typeof def.content === 'string') add(`config ${src}`, def.content);
    else if (typeof def.file === 'string') {
      const file = readProjectFile(ctx, ['configs', src, 'file'], def.file, 'config file');
      if (file) add(`config file ${def.file}`, file.text);
    }
  });
  if ((ctx.opts(n).bindMounts ?? BindMountPolicy.ERROR) === BindMountPolicy.CONFIG_MAP) {
    for (const m of mounts) {
      if (m.kind !== 'bind' || !m.source) continue;
      const src = path.resolve(ctx.baseDir, m.source);
      // The same checks, in the same words, as when the mount is rendered.
      if (projectPath(ctx, m.at, m.source, 'bind mount source') === undefined) continue; // reported when rendered
      const isDir = fs.statSync(src).isDirectory();
      const files = isDir ? fs.readdirSync(src).map((f) => path.join(m.source!, f)) : [m.source];
      for (const f of files) {
        const file = readProjectFile(ctx, m.at, f, isDir ? 'bind-mounted file' : 'bind mount source');
        if (file) add(`bind-mounted ${f}`, file.text);
      }
    }
  }
  return out;
}
