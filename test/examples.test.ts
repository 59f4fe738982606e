import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, YamlOutputType } from 'cdk8s';
import { EXAMPLE_APPS } from '../apps';
import { allSchemaProblems } from './support/schema';

// Every example app synthesizes, every document is schema-valid (unknown fields rejected), and the
// output is byte-for-byte deterministic. One snapshot per chart (reviewed like code).
describe.each(EXAMPLE_APPS.map((e) => [e.name, e] as const))('example app %s', (_name, example) => {
  const app = Testing.app();
  example.build(app);

  test('renders at least one chart', () => {
    expect(app.charts.length).toBeGreaterThan(0);
  });

  test.each(app.charts.map((c) => [c.node.id, c] as const))('chart %s: every document is schema-valid', (_id, chart) => {
    const docs = Testing.synth(chart);
    expect(docs.length).toBeGreaterThan(0);
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs).toMatchSnapshot();
  });
});

test('npm run synth output is deterministic: two synths give byte-identical files', () => {
  const render = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-synth-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    for (const e of EXAMPLE_APPS) e.build(app);
    app.synth();
    const files = fs.readdirSync(outdir).sort();
    const out = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
    fs.rmSync(outdir, { recursive: true, force: true });
    return out;
  };
  const first = render();
  expect(Object.keys(first).length).toBeGreaterThanOrEqual(EXAMPLE_APPS.length);
  expect(render()).toEqual(first);
});
