import { App } from 'cdk8s';
import { myversionGatewayApi } from '../apps/myversion-gateway-api';
import { Bundle } from '../lib/audit';
import { describeHttpRouteMatches, topology } from '../lib/review/topology';

// The review page's topology draws HTTPRoutes: their parents (Gateway, GAMMA Service), each rule's
// match and weight share, and the mirror.
test('myversion-gw user-v2: Gateway and Service → HTTPRoutes → version Services, with matches and weights', () => {
  const app = new App();
  myversionGatewayApi.build(app);
  const chart = app.charts.find((c) => c.node.id === 'myversion-gw-user-v2')!;
  const docs = chart.toJson().map((doc, index) => ({ file: '<memory>', index, doc }));
  const { edges } = topology(docs, new Bundle(docs));
  const routes = edges.filter((e) => e.kind === 'route').map((e) => `${e.from} → ${e.to}: ${e.label}`);
  expect(routes).toEqual([
    'Service/myversion-gw-user-v2/myversion → HTTPRoute/myversion-gw-user-v2/myversion: mesh (GAMMA)',
    'HTTPRoute/myversion-gw-user-v2/myversion → Service/myversion-gw-user-v2/myversion-v2: user-yoichi: header user ~ /yoichi/ · 100%',
    'HTTPRoute/myversion-gw-user-v2/myversion → Service/myversion-gw-user-v2/myversion-v1: default · 100%',
    'Gateway/myversion-gw-user-v2/public → HTTPRoute/myversion-gw-user-v2/myversion-gateway: gateway',
    'HTTPRoute/myversion-gw-user-v2/myversion-gateway → Service/myversion-gw-user-v2/myversion-v2: user-yoichi: header user ~ /yoichi/ · 100%',
    'HTTPRoute/myversion-gw-user-v2/myversion-gateway → Service/myversion-gw-user-v2/myversion-v1: default · 100%',
  ]);
});

test('describeHttpRouteMatches', () => {
  expect(describeHttpRouteMatches([{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x', value: '1' }] }, { method: 'GET' }]))
    .toBe('path prefix /api and header x = 1 or method GET');
  expect(describeHttpRouteMatches(undefined)).toBe('');
});
