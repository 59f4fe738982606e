import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { compact, manifest, namespaceOf, withChildSlots } from '../k8s-object';
import { AppRegistry, OSBA_ALIAS_CONFLICTS, OSBA_SERVER_ALIASES, checkUniqueObjects, errorsFor } from '../registry';
import { fail, show, toDnsLabel, validateNamespace } from '../core';
import { OsbaClassKind, checkClassAndPlan, validateAlias } from './osba-catalog';
import { OsbaMySqlServerOptions, parametersFrom, serverParameters } from './osba-parameters';
import { objectLabels } from './provisioner';
import { SERVICE_CATALOG_API_VERSION, ServiceInstanceSpec } from './service-catalog';
import { isObject, validateBaseName, validateObjectName } from './validation';

/** A DBMS provisioned through OSBA's DBMS-only class, identified by its alias. */
export interface IOsbaMySqlServer {
  /** The alias databases name as `parentAlias`. */
  readonly alias: string;
}

/** Properties of an {@link OsbaMySqlServer}. */
export interface OsbaMySqlServerProps extends OsbaMySqlServerOptions {
  /** Base of the ServiceInstance name. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace. @default - the chart's namespace */
  readonly namespace?: string;
  /** ServiceInstance name. @default '<name>-mysql-dbms-instance' */
  readonly instanceName?: string;
  /**
   * The broker-wide alias databases refer to (`parentAlias`). It must be unique in the broker, which
   * may serve several clusters, so there is no default: a UUID is the usual choice.
   */
  readonly alias: string;
  /** The broker's service class. @default 'azure-mysql-5-7-dbms' */
  readonly serviceClass?: string;
}

/**
 * An Azure Database for MySQL DBMS without a database, provisioned through OSBA's DBMS-only class
 * (`azure-mysql-5-7-dbms`), so several apps can each get a database on one server with
 * {@link MySqlProvider.osbaDatabase}. The class is not bindable.
 *
 * @example
 * const server = new OsbaMySqlServer(chart, 'shared', { location: 'eastus', resourceGroup: 'demo', alias: '71b6b6c4-5271-47d3-8188-51e69fba914e' });
 * new MySqlBinding(chart, 'orders', { provider: MySqlProvider.osbaDatabase(server) }).bindTo(orders);
 */
export class OsbaMySqlServer extends Construct implements IOsbaMySqlServer {
  /** A DBMS provisioned elsewhere (another app or cluster), by its alias. */
  public static fromAlias(alias: string): IOsbaMySqlServer {
    validateAlias('OsbaMySqlServer', 'alias', alias);
    return { alias };
  }

  /** The alias. */
  public readonly alias: string;
  /** Base name. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** The ServiceInstance. */
  public readonly serviceInstance: ApiObject;

  public constructor(scope: Construct, id: string, props: OsbaMySqlServerProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    if (!isObject(props)) {
      fail(`OsbaMySqlServer '${toDnsLabel(id)}'`, `props ${show(props)} are not an options object`,
        'pass e.g. { location: \'eastus\', resourceGroup: \'demo\', alias: \'71b6b6c4-5271-47d3-8188-51e69fba914e\' }');
    }
    this.name = props.name ?? toDnsLabel(id);
    const owner = `OsbaMySqlServer '${this.name}'`;
    validateBaseName(owner, this.name);
    if (props.namespace !== undefined) validateNamespace(owner, props.namespace);
    this.namespace = props.namespace ?? namespaceOf(this);
    const model = dbmsInstance(owner, this.name, props);
    this.alias = model.alias;
    this.serviceInstance = manifest(this, 'ServiceInstance', SERVICE_CATALOG_API_VERSION, 'ServiceInstance', {
      name: model.instanceName,
      namespace: props.namespace,
      labels: objectLabels(this.name),
      body: { spec: model.spec },
    });
    // The alias is broker-wide: a second DBMS with the same alias anywhere in the app (any chart or
    // namespace) is rejected by the broker. Reported on the later server, naming the earlier one
    // (lib/registry/rules/osba.ts).
    AppRegistry.of(this).register(OSBA_SERVER_ALIASES, this, { alias: this.alias, name: this.name });
    this.node.addValidation({ validate: () => [...errorsFor(this, OSBA_ALIAS_CONFLICTS)] });
  }
}

/** The validated ServiceInstance of a DBMS-only server. */
interface DbmsInstance {
  /** The broker-wide alias. */
  readonly alias: string;
  /** The ServiceInstance's name. */
  readonly instanceName: string;
  /** Its spec. */
  readonly spec: ServiceInstanceSpec;
}

/** Validates a server's props (after its name and namespace) into its ServiceInstance. */
function dbmsInstance(owner: string, name: string, props: OsbaMySqlServerProps): DbmsInstance {
  validateAlias(owner, 'alias', props.alias);
  const serviceClass = props.serviceClass ?? 'azure-mysql-5-7-dbms';
  const plan = props.plan ?? 'basic';
  const known = checkClassAndPlan(owner, serviceClass, plan, props.allowUnknownClassOrPlan ?? false);
  if (known && known.kind !== OsbaClassKind.DBMS) {
    fail(owner, `serviceClass ${show(serviceClass)} provisions ${known.kind}, not a DBMS only`, 'use \'azure-mysql-5-7-dbms\', or MySqlProvider.osba() for a DBMS with its database');
  }
  const instanceName = props.instanceName ?? `${name}-mysql-dbms-instance`;
  validateObjectName(owner, 'instanceName', instanceName);
  const spec: ServiceInstanceSpec = compact({
    clusterServiceClassExternalName: serviceClass,
    clusterServicePlanExternalName: plan,
    parameters: serverParameters(owner, props, plan, known !== undefined, { alias: props.alias }),
    parametersFrom: parametersFrom(owner, props.parametersFrom),
  });
  return { alias: props.alias, instanceName, spec };
}
