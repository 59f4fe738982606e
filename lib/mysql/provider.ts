// MySqlProvider: the factories that choose a provider. Each returns the provider's MySqlProvisioner with
// the options, which the binding validates when it is created.

import type { AzureServiceOperatorMySqlOptions } from './aso-options';
import { ASO } from './aso';
import { EXTERNAL, ExternalMySqlOptions } from './external';
import { IN_CLUSTER } from './in-cluster';
import type { InClusterMySqlOptions } from './in-cluster-options';
import { OSBA, OSBA_DATABASE, OsbaMySqlDatabaseOptions, OsbaMySqlOptions } from './osba';
import type { IOsbaMySqlServer } from './osba-server';
import type { MySqlProvisioner } from './provisioner';

/** Which provider makes the database, and how. Choose one with a static factory. */
export class MySqlProvider {
  /**
   * Open Service Broker for Azure: a ServiceInstance (class `azure-mysql-5-7`, plan `basic` by default)
   * and a ServiceBinding whose Secret (`<name>-mysql-secret`) holds host, port, database, username,
   * password, sslRequired, uri and tags.
   */
  public static osba(options: OsbaMySqlOptions): MySqlProvider {
    return new MySqlProvider(OSBA, options);
  }

  /** Open Service Broker for Azure: a database (class `azure-mysql-5-7-database`) on a shared DBMS, and a binding. */
  public static osbaDatabase(server: IOsbaMySqlServer, options: OsbaMySqlDatabaseOptions = {}): MySqlProvider {
    return new MySqlProvider(OSBA_DATABASE, { ...options, server });
  }

  /**
   * Azure Service Operator v2: a FlexibleServer with its admin password from an existing Secret, a
   * FlexibleServersDatabase and FlexibleServersFirewallRules; ASO writes the server's FQDN into the
   * ConfigMap `<name>-mysql-server` (key `host`).
   */
  public static azureServiceOperator(options: AzureServiceOperatorMySqlOptions): MySqlProvider {
    return new MySqlProvider(ASO, options);
  }

  /** A database outside the cluster (e.g. AWS RDS) behind an ExternalName Service, with credentials from an existing Secret. */
  public static external(options: ExternalMySqlOptions): MySqlProvider {
    return new MySqlProvider(EXTERNAL, options);
  }

  /** MySQL in the cluster: a one-replica StatefulSet with a headless Service and a data volume, credentials from an existing Secret. */
  public static inCluster(options: InClusterMySqlOptions): MySqlProvider {
    return new MySqlProvider(IN_CLUSTER, options);
  }

  /** Which provider. */
  public readonly kind: 'osba' | 'osbaDatabase' | 'aso' | 'external' | 'inCluster';

  private constructor(
    /**
     * How the binding validates the options and renders its objects.
     * @internal
     */
    public readonly _provisioner: MySqlProvisioner,
    /**
     * The factory's options, validated when the binding is created.
     * @internal
     */
    public readonly _options: any,
  ) {
    this.kind = _provisioner.kind;
  }
}
