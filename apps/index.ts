import { composeWebApDbKvs } from './compose-web-ap-db-kvs';
import { cotoami } from './cotoami';
import { guestbook } from './guestbook';
import { httpEcho } from './http-echo';
import { httpEchoCanary } from './http-echo-canary';
import { httpEchoExposed } from './http-echo-exposed';
import { httpEchoGateway } from './http-echo-gateway';
import { mysqlInCluster } from './mysql-in-cluster';
import { myversion } from './myversion';
import { myversionAmbient } from './myversion-ambient';
import { myversionGatewayApi } from './myversion-gateway-api';
import { myversionArgo } from './myversion-argo';
import { myversionArgoGatewayApi } from './myversion-argo-gateway-api';
import { myversionFlagger } from './myversion-flagger';
import { myversionFlaggerGatewayApi } from './myversion-flagger-gateway-api';
import { osbaMysql } from './osba-mysql';
import { rdsExternal } from './rds-external';
import { ExampleApp } from './registry';
import { stickyDebug } from './sticky-debug';
import { stickyGateway } from './sticky-gateway';
import { stickyMesh } from './sticky-mesh';

export type { ExampleApp } from './registry';

/** Every example app, in the order `npm run synth` renders them. */
export const EXAMPLE_APPS: readonly ExampleApp[] = [
  httpEcho,
  guestbook,
  osbaMysql,
  rdsExternal,
  mysqlInCluster,
  stickyDebug,
  stickyMesh,
  myversion,
  myversionFlagger,
  myversionArgo,
  httpEchoCanary,
  composeWebApDbKvs,
  cotoami,
  myversionGatewayApi,
  httpEchoGateway,
  myversionAmbient,
  stickyGateway,
  httpEchoExposed,
  myversionArgoGatewayApi,
  myversionFlaggerGatewayApi,
];
