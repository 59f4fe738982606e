// Architecture rule: props → validated model → rendered objects. A construct renders each field of its
// objects itself; it does not call `addJsonPatch` on objects it renders, nor edit another construct's
// objects with one. (`addJsonPatch` stays the users' escape hatch: see the WebApp escape-hatch test.)
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

// The one documented exception: StickyIngress's clientIp strategy on a backend that is not a WebApp
// (`backend: { service: anApiObject }`, a Service the user rendered) puts the session affinity onto that
// Service, because kube-proxy reads it from the Service alone. Editing the object the user handed over is
// the documented contract of that option (IServiceBackend, StickyStrategy.clientIp); a WebApp backend is
// asked through its API (setSessionAffinity) instead. Do not add to this list:
const ALLOWED = [
  'lib/sticky/client-ip.ts',
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The code of a TypeScript source without its comments (roughly: enough to ignore prose that names a method). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

test('no construct in lib/ calls addJsonPatch, except the files listed as handled elsewhere', () => {
  const calling = sources(LIB)
    .filter((f) => /\baddJsonPatch\s*\(/.test(code(fs.readFileSync(f, 'utf8'))))
    .map((f) => path.relative(path.join(LIB, '..'), f).split(path.sep).join('/'));
  expect(calling.filter((f) => !ALLOWED.includes(f))).toEqual([]);
});

test('the check finds a call (and not one in a comment)', () => {
  expect(/\baddJsonPatch\s*\(/.test(code('x.addJsonPatch(JsonPatch.add("/a", 1));'))).toBe(true);
  expect(/\baddJsonPatch\s*\(/.test(code('// x.addJsonPatch(p)\n/** addJsonPatch(p) */\nconst y = 1;'))).toBe(false);
});
