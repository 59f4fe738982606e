// `npm run review -- --against <git ref>` without a browser: the manifests of a git ref (committed, or
// rendered by the ref's own synth when git does not track them) and the per-object diff against them.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifests } from '../lib/audit/bundle';
import { Change, diffSynths, manifestsAtRef } from '../lib/review/diff';

const ROOT = path.resolve(__dirname, '..');

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const service = (port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: ${port}\n      targetPort: 8080\n`;
const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  mode: ${value}\n`;
const stream = (...docs: string[]) => docs.join('---\n');

/** A throw-away git repository; `commit()` commits everything and returns the commit id. */
function tempRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-diff-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    write: (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    },
    remove: (file: string) => fs.rmSync(path.join(dir, file)),
    commit: (message: string) => {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('manifestsAtRef(): committed manifests', () => {
  let repo: ReturnType<typeof tempRepo>;
  let first: string;
  beforeAll(() => {
    // GIVEN a repository whose dist/ is committed (as in a GitOps repository)
    repo = tempRepo();
    repo.write('dist/shop.k8s.yaml', stream(namespace, service(80), configMap('settings', 'blue'), configMap('legacy', 'enabled')));
    repo.write('dist/other.k8s.yaml', configMap('other', 'x'));
    repo.write('README.md', 'not a manifest\n');
    first = repo.commit('first synth');
    // WHEN the work tree changes: a port (changed), a new ConfigMap (added), one dropped (removed)
    repo.write('dist/shop.k8s.yaml', stream(namespace, service(8080), configMap('settings', 'blue'), configMap('feature', 'enabled')));
  });
  afterAll(() => repo.cleanup());

  test('the changed object is listed first, then added, removed and unchanged ones', () => {
    const before = manifestsAtRef('HEAD', ['dist'], { cwd: repo.dir });
    const after = loadManifests([path.join(repo.dir, 'dist')]);
    const diffs = diffSynths(before, after);
    expect(diffs.map((d) => [d.change, d.title])).toEqual([
      [Change.CHANGED, 'Service shop/web'],
      [Change.ADDED, 'ConfigMap shop/feature'],
      [Change.REMOVED, 'ConfigMap shop/legacy'],
      [Change.UNCHANGED, 'ConfigMap shop/other'],
      [Change.UNCHANGED, 'ConfigMap shop/settings'],
      [Change.UNCHANGED, 'Namespace default/shop'],
    ]);
    expect(diffs[0].lines.filter((l) => l.op !== ' ').map((l) => `${l.op}${l.text.trim()}`)).toEqual(['-port: 80', '+port: 8080']);
  });

  test('files are named as the targets are, so charts line up with the current manifests', () => {
    expect([...new Set(manifestsAtRef('main', ['dist'], { cwd: repo.dir }).map((d) => d.file))].sort()).toEqual(['dist/other.k8s.yaml', 'dist/shop.k8s.yaml']);
    const absolute = path.join(repo.dir, 'dist');
    expect(new Set(manifestsAtRef(first, [absolute], { cwd: path.join(repo.dir, 'dist') }).map((d) => d.file))).toEqual(new Set([path.join(absolute, 'shop.k8s.yaml'), path.join(absolute, 'other.k8s.yaml')]));
  });

  test('only the targets are read at the ref: one file stays one file', () => {
    const before = manifestsAtRef('HEAD', ['dist/shop.k8s.yaml'], { cwd: repo.dir });
    expect(before.map((d) => `${d.file}#${d.index} ${d.doc.kind}/${d.doc.metadata.name}`)).toEqual([
      'dist/shop.k8s.yaml#0 Namespace/shop', 'dist/shop.k8s.yaml#1 Service/web', 'dist/shop.k8s.yaml#2 ConfigMap/settings', 'dist/shop.k8s.yaml#3 ConfigMap/legacy',
    ]);
    const diffs = diffSynths(before, loadManifests([path.join(repo.dir, 'dist/shop.k8s.yaml')]));
    expect(diffs.filter((d) => d.change === Change.REMOVED).map((d) => d.title)).toEqual(['ConfigMap shop/legacy']); // not dist/other.k8s.yaml's objects
  });

  test('relative refs resolve like git does (HEAD~1, a tag)', () => {
    repo.write('dist/other.k8s.yaml', configMap('other', 'z'));
    const second = repo.commit('second synth');
    execFileSync('git', ['tag', 'v1', first], { cwd: repo.dir });
    const at = (ref: string) => manifestsAtRef(ref, ['dist/other.k8s.yaml'], { cwd: repo.dir })[0].doc.data.mode;
    expect([at('HEAD'), at('HEAD~1'), at('v1'), at(second)]).toEqual(['z', 'x', 'x', 'z']);
  });

  test('fails if the ref does not exist, naming the ref and the repository', () => {
    expect(() => manifestsAtRef('no-such-branch', ['dist'], { cwd: repo.dir })).toThrow(
      `--against 'no-such-branch' is neither a folder nor a commit, branch or tag of the git repository ${fs.realpathSync(repo.dir)}; pass a folder of manifests or a git ref such as main or HEAD~1`);
    expect(() => manifestsAtRef('--all', ['dist'], { cwd: repo.dir })).toThrow(/--against '--all' is neither a folder nor a commit/);
  });

  test('fails if a target is not committed at the ref and the ref has nothing to synthesize it with', () => {
    repo.write('out/new.yaml', configMap('new', 'z'));
    expect(() => manifestsAtRef('HEAD', ['out'], { cwd: repo.dir })).toThrow(
      "--against 'HEAD': 'out' is not committed at HEAD, and HEAD has no cdk8s.yaml to synthesize it; commit the manifests, or pass --against a folder of manifests");
  });

  test('fails if a committed target is a symbolic link out of the commit\'s tree', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-outside-'));
    const linked = tempRepo();
    try {
      fs.writeFileSync(path.join(outside, 'secret.yaml'), configMap('outside', 'leaked'));
      fs.symlinkSync(outside, path.join(linked.dir, 'manifests'));
      linked.commit('a symlink to a folder outside the repository');
      expect(() => manifestsAtRef('HEAD', ['manifests'], { cwd: linked.dir }))
        .toThrow("--against 'HEAD': 'manifests' is a symbolic link out of the commit's tree at HEAD; compare with a folder of manifests instead");
    } finally {
      linked.cleanup();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('fails if the folder is not in a git work tree', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-nogit-'));
    try {
      expect(() => manifestsAtRef('main', ['dist'], { cwd: dir })).toThrow(/^--against 'main' is not a folder, and .*noops-review-nogit-.* is not in a git work tree/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('manifestsAtRef(): a git-ignored dist/ is rendered by the ref\'s own synth', () => {
  let repo: ReturnType<typeof tempRepo>;
  // A stand-in for scripts/synth.js: empties dist/ and writes one chart per entry of app.json.
  const SYNTH = `const fs = require('fs');
const apps = JSON.parse(fs.readFileSync('app.json', 'utf8'));
fs.rmSync('dist', { recursive: true, force: true });
fs.mkdirSync('dist');
for (const [name, port] of Object.entries(apps)) {
  fs.writeFileSync('dist/' + name + '.k8s.yaml', 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: ' + name + '\\n  namespace: shop\\nspec:\\n  ports:\\n    - port: ' + port + '\\n');
}
`;
  const synth = () => execFileSync('node', ['scripts/synth.js'], { cwd: repo.dir });
  beforeAll(() => {
    repo = tempRepo();
    repo.write('.gitignore', 'dist/\n');
    repo.write('scripts/synth.js', SYNTH);
    repo.write('app.json', JSON.stringify({ web: 80, api: 81 }));
    repo.commit('app');
    repo.write('app.json', JSON.stringify({ web: 8080, api: 81, jobs: 82 }));
    synth();
  });
  afterAll(() => repo.cleanup());

  test('the ref\'s synth, not the work tree\'s dist/, is the "before"; the changed object comes first', () => {
    const before = manifestsAtRef('HEAD', ['dist'], { cwd: repo.dir });
    expect(before.map((d) => `${d.file} ${d.doc.spec.ports[0].port}`).sort()).toEqual(['dist/api.k8s.yaml 81', 'dist/web.k8s.yaml 80']);
    const diffs = diffSynths(before, loadManifests([path.join(repo.dir, 'dist')]));
    expect(diffs.map((d) => [d.change, d.title])).toEqual([
      [Change.CHANGED, 'Service shop/web'], [Change.ADDED, 'Service shop/jobs'], [Change.UNCHANGED, 'Service shop/api'],
    ]);
  });

  test('a target inside the synth output is restricted to that file; a chart that is new since the ref has no "before"', () => {
    expect(manifestsAtRef('HEAD', ['dist/web.k8s.yaml'], { cwd: repo.dir }).map((d) => d.file)).toEqual(['dist/web.k8s.yaml']);
    expect(manifestsAtRef('HEAD', ['dist/jobs.k8s.yaml'], { cwd: repo.dir })).toEqual([]);
  });

  test('a copy of the output outside the repository is compared with the whole synth', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-copy-'));
    try {
      expect(manifestsAtRef('HEAD', [copy], { cwd: repo.dir }).map((d) => d.file).sort()).toEqual([path.join(copy, 'api.k8s.yaml'), path.join(copy, 'web.k8s.yaml')]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('fails if the ref\'s synth fails, with its output', () => {
    repo.write('app.json', '{ not json');
    repo.commit('broken');
    expect(() => manifestsAtRef('HEAD', ['dist'], { cwd: repo.dir })).toThrow(/^--against 'HEAD': the synth of HEAD failed \(exit 1\):\n[\s\S]*SyntaxError/);
    expect(manifestsAtRef('HEAD~1', ['dist'], { cwd: repo.dir })).toHaveLength(2);
  });
});

describe('npm run review -- --against <git ref> (CLI)', () => {
  const review = (cwd: string, ...args: string[]) => spawnSync('node', [path.join(ROOT, 'bin/cdk8s-noops.js'), 'review', ...args], { cwd, encoding: 'utf8' });

  test('writes a page whose diff lists the changed object first', () => {
    const repo = tempRepo();
    try {
      repo.write('dist/shop.k8s.yaml', stream(namespace, service(80), configMap('settings', 'blue')));
      repo.commit('first synth');
      repo.write('dist/shop.k8s.yaml', stream(namespace, service(8080), configMap('settings', 'blue'), configMap('feature', 'enabled')));
      const run = review(repo.dir, 'dist', '--against', 'HEAD', '--out=page.html', '--policy=off');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const html = fs.readFileSync(path.join(repo.dir, 'page.html'), 'utf8');
      expect(html).toMatch(/Changes against HEAD<\/h2><p>1 changed, 1 added, 0 removed, 2 unchanged\./);
      const summaries = [...html.matchAll(/<details class="diff diff-(\w+)"[^>]*><summary><span class="badge">\w+<\/span> ([^<]+?) </g)].map((m) => [m[1], m[2]]);
      expect(summaries).toEqual([['changed', 'Service shop/web'], ['added', 'ConfigMap shop/feature']]);
    } finally {
      repo.cleanup();
    }
  });

  test('fails if --against is neither a path nor a git ref (exit 2), or has no value', () => {
    const run = review(ROOT, 'test/fixtures/audit/good.yaml', '--against=no-such-ref-8', '--out=/dev/null');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^review: --against 'no-such-ref-8' is neither a folder nor a commit, branch or tag of the git repository/);
    const bare = review(ROOT, 'test/fixtures/audit/good.yaml', '--against');
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/^review: --against needs a value/);
    const option = review(ROOT, 'test/fixtures/audit/good.yaml', '--out', '--against', 'HEAD');
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/^review: --out needs a value/);
  });

  test('--against a file compares with the manifests in it', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-file-')), 'page.html');
    try {
      const run = review(ROOT, 'test/fixtures/audit/vs-weights.yaml', '--against=test/fixtures/audit/good.yaml', `--out=${out}`, '--policy=off');
      expect(run.status).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toMatch(/<details class="diff diff-changed" open><summary><span class="badge">changed<\/span> VirtualService fixture\/shop /);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
