// The app registry (lib/registry): one per App, on its root construct; constructs register typed facts,
// rules derive their errors from them, and nothing is cached for longer than what it depends on.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { MySqlBinding, MySqlProvider, NoopsApp, WebApp } from '../lib';
import { addTreeValidation, jsonOf } from '../lib/k8s-object';
import { ObjectIdentity } from '../lib/registry';

const IMAGE = 'hashicorp/http-echo:1.0';
const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));

describe('results are reused only while what they depend on is unchanged', () => {
  test('an object added between two synths of the same synchronous job is checked by the second', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    expect(() => Testing.synth(chart)).not.toThrow();
    new ApiObject(chart, 'x', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } });
    expect(() => Testing.synth(chart)).toThrow(/duplicate object: Service 'web' \(no namespace\) is rendered by both 'c\/web\/Service' and 'c\/x'/);
  });

  test('a typed fact registered between two synths of the same job is checked by the second', () => {
    const app = Testing.app();
    const osba = (secretName: string) => MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', secretName });
    new MySqlBinding(new Chart(app, 'a', { namespace: 'shop' }), 'orders', { provider: osba('shop-mysql') });
    expect(() => app.synth()).not.toThrow();
    new MySqlBinding(new Chart(app, 'b', { namespace: 'shop' }), 'billing', { provider: osba('shop-mysql') });
    expect(() => app.synth()).toThrow(/\[b\/billing\] MySqlBinding 'billing': secretName 'shop-mysql' is also the secretName of MySqlBinding 'orders' \(a\/orders\)/);
  });

  test('a tree validation (addTreeValidation) sees content changed between two synths of the same job', () => {
    // GIVEN a family check that reads a hand-written object's rendered labels
    class Watcher extends Construct {}
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    addTreeValidation(Watcher, new Watcher(chart, 'w'), (_members, objects) =>
      objects.filter((o) => jsonOf(o)?.metadata?.labels?.broken === 'yes').map((o) => `${o.node.path} is broken`));
    expect(() => Testing.synth(chart)).not.toThrow();
    // WHEN only its content changes (no construct added)
    cm.addJsonPatch(JsonPatch.add('/metadata/labels', { broken: 'yes' }));
    // THEN the next synth runs the check again
    expect(() => Testing.synth(chart)).toThrow(/\[c\/w\] c\/cm is broken/);
  });
});

describe('the app-wide duplicate-object rule sees every API object', () => {
  test('a hand-written ApiObject clashing with a WebApp\'s Service is reported, on the first construct registered', () => {
    const app = new NoopsApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    new ApiObject(new Chart(app, 'legacy', { namespace: 'shop' }), 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [c/web] duplicate object: Service \'web\' in namespace \'shop\' is rendered by both \'c/web/Service\' and \'legacy/svc\', with different content; '
      + 'the apiserver sees one object, so applying both keeps only the last. Give one of them another name or namespace');
  });

  test('an identical copy is named as such; an object whose name is a token is skipped', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const props = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } };
    new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    new ApiObject(chart, 'one', props);
    new ApiObject(chart, 'two', props);
    expect(() => app.synth()).toThrow(/\[c\/web\] duplicate object: ConfigMap 'cfg' \(no namespace\) is rendered twice, identically, by 'c\/one' and 'c\/two'; render it once/);
    expect(ObjectIdentity.of(new ApiObject(new Chart(Testing.app(), 'x'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: { token: 1 } as any } }))).toBeUndefined();
  });
});
