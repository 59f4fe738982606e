// The renderers of lib/k8s that several constructs share: each gives what the construct that had it
// first renders, so that the others (and that construct itself) can switch to it without a change in output.
import { Chart, Testing } from 'cdk8s';
import { Resources, SeccompProfile, WebApp, WebAppProps } from '../lib';
import {
  VolumeAccessMode, mergeResourceRange, mergeResources, renderClaimSpec, renderClaimTemplate, renderPodSecurityContext, restrictedPodSecurity,
} from '../lib/k8s';

describe('restrictedPodSecurity', () => {
  const podSecurityOf = (props: Partial<WebAppProps>) => {
    const c = new Chart(Testing.app(), 'test');
    new WebApp(c, 'web', { image: 'hashicorp/http-echo:1.0', port: 5678, ...props });
    return Testing.synth(c).find((d) => d.kind === 'Deployment').spec.template.spec.securityContext;
  };

  // GIVEN WebApp security props, WHEN the same options go to restrictedPodSecurity, THEN the pod securityContext is the WebApp's
  test.each<[string, Partial<WebAppProps>]>([
    ['defaults', {}],
    ['own uid', { runAsUser: 20000 }],
    ['own uid and gid', { runAsUser: 20000, runAsGroup: 30000 }],
    ['fsGroup', { fsGroup: 40000 }],
    ['root, image user', { allowRunAsRoot: true }],
    ['root, own uid', { allowRunAsRoot: true, runAsUser: 0 }],
    ['root, image user, fsGroup', { allowRunAsRoot: true, fsGroup: 2000 }],
    ['localhost seccomp', { seccompProfile: SeccompProfile.localhost('profiles/app.json') }],
  ])('%s', (_, props) => {
    const model = restrictedPodSecurity({
      runAsUser: props.runAsUser, runAsGroup: props.runAsGroup, fsGroup: props.fsGroup, allowRunAsRoot: props.allowRunAsRoot, seccompProfile: props.seccompProfile,
    });
    expect(renderPodSecurityContext(model)).toEqual(podSecurityOf(props));
  });

  test('fsGroupChangePolicy and sysctls are passed through', () => {
    expect(renderPodSecurityContext(restrictedPodSecurity({ runAsUser: 999, runAsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', sysctls: [{ name: 'a', value: '1' }] }))).toEqual({
      fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', runAsGroup: 999, runAsNonRoot: true, runAsUser: 999,
      seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'a', value: '1' }],
    });
  });
});

describe('mergeResources', () => {
  const base: Resources = { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '256Mi' } };

  // GIVEN overrides of every kind, THEN they are merged field by field (undefined keeps the base's, null removes a limit)
  test.each<[string, Resources, Resources]>([
    ['nothing', {}, base],
    ['a request', { cpu: { request: '500m' } }, { ...base, cpu: { request: '500m', limit: '1' } }],
    ['a limit removed', { cpu: { limit: null } }, { ...base, cpu: { request: '100m', limit: null } }],
    ['undefined fields', { cpu: { request: undefined, limit: '2' }, memory: undefined }, { ...base, cpu: { request: '100m', limit: '2' } }],
    ['a new resource', { ephemeralStorage: { request: '1Gi' } }, { ...base, ephemeralStorage: { request: '1Gi' } }],
  ])('%s', (_, over, merged) => {
    expect(mergeResources(base, over)).toStrictEqual(merged);
  });

  test('one range', () => {
    expect(mergeResourceRange({ request: '1', limit: '2' }, { limit: null })).toEqual({ request: '1', limit: null });
    expect(mergeResourceRange(undefined, undefined)).toBeUndefined();
  });
});

test('renderClaimSpec is the spec of renderClaimTemplate', () => {
  const claim = { accessModes: [VolumeAccessMode.READ_WRITE_ONCE], storageClassName: 'fast', storage: '5Gi' };
  expect(renderClaimSpec(claim)).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } });
  expect(renderClaimTemplate({ name: 'data', ...claim }).spec).toEqual(renderClaimSpec(claim));
});
