import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceOf, withChildSlots } from '../k8s-object';
import { AppRegistry, OSBA_SECRETS, OSBA_SECRET_CONFLICTS, checkUniqueObjects, errorsFor } from '../registry';
import { fail, show, toDnsLabel, validateNamespaceOf } from '../core';
import { BUSYBOX_IMAGE, EnvValue, NetworkPeer, WebApp } from '../web-app';
import { planBind } from './bind-plan';
import { MySqlBindOptions, MySqlBindingProps, MySqlConnection, MySqlSetting } from './contract';
import { MySqlProvider } from './provider';
import { BindingContext } from './provisioner';
import { isObject, validateBaseName } from './validation';

/** The MySQL port (bound apps' egress to the in-cluster provider's pods). */
const MYSQL_PORT = 3306;

/**
 * A MySQL database for WebApps, with one contract across providers: whichever provider makes the
 * database (OSBA, Azure Service Operator, an external endpoint or a StatefulSet in the cluster),
 * {@link bindTo} gives the app `MYSQL_HOST`, `MYSQL_PORT`, `MYSQL_DATABASE`, `MYSQL_USER` and
 * `MYSQL_PASSWORD` from Secret and ConfigMap keys, never as literal values.
 *
 * @example
 * const db = new MySqlBinding(chart, 'example', {
 *   provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo' }),
 * });
 * db.bindTo(webApp); // env from the Secret 'example-mysql-secret'
 */
export class MySqlBinding extends Construct {
  /** Base of the object names. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** Which provider. */
  public readonly providerKind: MySqlProvider['kind'];
  /** Where each setting lives. */
  public readonly connection: MySqlConnection;
  /** The Secret the app reads (credentials; for OSBA every setting). */
  public readonly secretName: string;
  /** The ConfigMaps the app reads, if any (non-secret settings). */
  public readonly configMapNames: readonly string[];

  /** OSBA: the ServiceInstance. */
  public readonly serviceInstance?: ApiObject;
  /** OSBA: the ServiceBinding. */
  public readonly serviceBinding?: ApiObject;
  /** ASO: the FlexibleServer. */
  public readonly flexibleServer?: ApiObject;
  /** ASO: the FlexibleServersDatabase. */
  public readonly flexibleServersDatabase?: ApiObject;
  /** ASO: the FlexibleServersFirewallRules. */
  public readonly flexibleServersFirewallRules: readonly ApiObject[];
  /** ASO, external and in-cluster: the ConfigMap with the non-secret settings. */
  public readonly configMap?: ApiObject;
  /** external: the ExternalName Service; in-cluster: the headless Service. */
  public readonly service?: ApiObject;
  /** in-cluster: the StatefulSet. */
  public readonly statefulSet?: ApiObject;
  /** in-cluster with `isolate`: the NetworkPolicy that admits only bound apps. */
  public readonly networkPolicy?: ApiObject;

  private readonly owner: string;
  private readonly boundApps: WebApp[] = [];
  /** The apps that already wait for this database (one init container per app). */
  private readonly waitingApps = new Set<WebApp>();
  /** in-cluster: the labels of the MySQL pods (bound apps' egress peer). */
  private readonly databasePods?: Record<string, string>;
  /** OSBA, ASO, external: the database's port outside the cluster (bound apps' egress, to any address). */
  private readonly externalPort?: number;

  public constructor(scope: Construct, id: string, props: MySqlBindingProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    const p: Partial<MySqlBindingProps> = isObject(props) ? props : {};
    this.name = p.name ?? toDnsLabel(id);
    this.owner = `MySqlBinding '${this.name}'`;
    validateBaseName(this.owner, this.name);
    validateNamespaceOf(this.owner, p.namespace, namespaceOf(this));
    this.namespace = p.namespace ?? namespaceOf(this);
    if (!(p.provider instanceof MySqlProvider)) fail(this.owner, 'provider is missing', 'choose one with MySqlProvider.osba(), .azureServiceOperator(), .external() or .inCluster()');
    this.providerKind = p.provider.kind;
    const provisioner = p.provider._provisioner;
    const o = p.provider._options;
    if (!isObject(o)) {
      fail(this.owner, `MySqlProvider.${provisioner.factory}() was given ${show(o)} instead of an options object`, `pass the options, e.g. ${provisioner.example}`);
    }
    // Options, validated into the provider's model, then its objects rendered as this binding's children.
    const binding: BindingContext = { scope: this, name: this.name, owner: this.owner, namespace: p.namespace, boundApps: () => this.boundApps };
    const out = provisioner.render(binding, provisioner.model(binding, o));
    this.connection = out.connection;
    this.secretName = out.connection.password.name;
    this.configMapNames = [...new Set(Object.values(out.connection).filter((s) => s.kind === 'ConfigMap').map((s) => s.name))].sort();
    this.serviceInstance = out.serviceInstance;
    this.serviceBinding = out.serviceBinding;
    this.flexibleServer = out.flexibleServer;
    this.flexibleServersDatabase = out.flexibleServersDatabase;
    this.flexibleServersFirewallRules = out.flexibleServersFirewallRules ?? [];
    this.configMap = out.configMap;
    this.service = out.service;
    this.statefulSet = out.statefulSet;
    this.networkPolicy = out.networkPolicy;
    this.databasePods = out.databasePods;
    this.externalPort = out.externalPort;
    if (this.serviceBinding) {
      // OSBA: Service Catalog writes each ServiceBinding's credentials into a Secret the binding owns, so a
      // second OSBA binding with the same secretName in the same namespace (any chart of the app) fails:
      // reported on the later binding, naming the earlier one (lib/registry/rules/osba.ts).
      AppRegistry.of(this).register(OSBA_SECRETS, this, { namespace: this.namespace, secretName: this.secretName, name: this.name });
      this.node.addValidation({ validate: () => [...errorsFor(this, OSBA_SECRET_CONFLICTS)] });
    }
  }

  /** Every object this binding renders. */
  public get objects(): ApiObject[] {
    return [this.serviceInstance, this.serviceBinding, this.flexibleServer, this.flexibleServersDatabase, ...this.flexibleServersFirewallRules,
      this.configMap, this.service, this.statefulSet, this.networkPolicy].filter((o): o is ApiObject => o !== undefined);
  }

  /** The env value of one setting (a secretKeyRef or configMapKeyRef). */
  public envValue(setting: MySqlSetting): EnvValue {
    const s = this.connection[setting];
    return s.kind === 'Secret' ? EnvValue.fromSecret(s.name, s.key) : EnvValue.fromConfigMap(s.name, s.key);
  }

  /**
   * Gives `webApp` the connection settings as env vars read from Secret/ConfigMap keys, and optionally an
   * init container that waits for the database. The WebApp must live in the binding's namespace.
   *
   * Network policy: the app may reach the database even when its egress is isolated (WebApp's default
   * `networkIsolation`, {@link WebApp.isolate} with `egress: true`, or {@link WebApp.allowTo}), before or
   * after this call; an app whose egress is not isolated stays unisolated. In-cluster: the MySQL pods on
   * 3306. The other providers' databases are outside the cluster, at addresses only known at run time:
   * their port (3306, or the external provider's `port`) at any address; to narrow it, add
   * `app.allowTo(NetworkPeer.ipBlock('<database IP>/32'), 3306)` and opt out with `networkIsolation: false`
   * plus {@link WebApp.isolate}.
   */
  public bindTo(webApp: WebApp, options: MySqlBindOptions = {}): void {
    const plan = planBind({ name: this.name, namespace: this.namespace, owner: this.owner }, webApp, options);
    // Binding one database to one app twice (under two prefixes) needs only one wait: the second is skipped.
    const waitName = plan.waitContainerName;
    if (waitName !== undefined && !this.waitingApps.has(webApp)) {
      try {
        webApp.addInitContainer({
          name: waitName,
          image: BUSYBOX_IMAGE,
          env: { DB_HOST: this.envValue(MySqlSetting.HOST), DB_PORT: this.envValue(MySqlSetting.PORT) },
          command: ['sh', '-c', 'until nc -z -w 2 "$DB_HOST" "$DB_PORT"; do echo "waiting for $DB_HOST:$DB_PORT"; sleep 2; done'],
        });
      } catch (e) {
        fail(this.owner, `waitForDatabase cannot add the init container ${show(waitName)} to WebApp '${webApp.name}' (${(e as Error).message})`,
          'name it with bindTo(app, { waitForDatabase: true, waitContainerName: \'wait-for-orders-db\' })');
      }
      this.waitingApps.add(webApp);
    }
    for (const [setting, name] of plan.envNames) webApp.addEnv(name, this.envValue(setting));
    if (this.databasePods) webApp.allowToIfEgressIsolated(NetworkPeer.pods(this.databasePods), MYSQL_PORT);
    else if (this.externalPort !== undefined) webApp.allowToIfEgressIsolated(NetworkPeer.anywhere(), this.externalPort);
    if (!this.boundApps.includes(webApp)) this.boundApps.push(webApp);
  }
}
