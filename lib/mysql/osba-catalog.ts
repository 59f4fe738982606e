// Open Service Broker for Azure (OSBA) facts: the MySQL service classes and plans current releases
// offer, the keys of the Secret a binding writes, and the broker's naming rules.

import { fail, show } from '../core';

/** The keys of the Secret an OSBA `azure-mysql*` ServiceBinding writes. */
export const OSBA_MYSQL_SECRET_KEYS: readonly string[] = ['host', 'port', 'database', 'username', 'password', 'sslRequired', 'uri', 'tags'];

/** What an OSBA MySQL service class provisions. */
export enum OsbaClassKind { ALL_IN_ONE = 'DBMS and database', DBMS = 'DBMS only', DATABASE = 'database only' }

/** A service class: what it provisions and its plans. */
export interface OsbaClass { readonly kind: OsbaClassKind; readonly plans: readonly string[] }

const SERVER_PLANS: readonly string[] = ['basic', 'general-purpose', 'memory-optimized'];
/** The MySQL service classes of current OSBA releases (docs/modules/mysql.md). */
const OSBA_CLASSES: Readonly<Record<string, OsbaClass>> = {
  'azure-mysql-5-7': { kind: OsbaClassKind.ALL_IN_ONE, plans: SERVER_PLANS },
  'azure-mysql-5-7-dbms': { kind: OsbaClassKind.DBMS, plans: SERVER_PLANS },
  'azure-mysql-5-7-database': { kind: OsbaClassKind.DATABASE, plans: ['database'] },
};

/** Per-plan limits of the OSBA MySQL server plans. */
export const PLAN_LIMITS: Readonly<Record<string, { readonly cores: readonly number[]; readonly maxStorageGb: number; readonly backupRedundancy: boolean }>> = {
  'basic': { cores: [1, 2], maxStorageGb: 1048, backupRedundancy: false },
  'general-purpose': { cores: [2, 4, 8, 16, 32], maxStorageGb: 2048, backupRedundancy: true },
  'memory-optimized': { cores: [2, 4, 8, 16], maxStorageGb: 2048, backupRedundancy: true },
};

/** The known class of `serviceClass` if `plan` is one of its plans; `undefined` for a class or plan accepted through `allowUnknown`. */
export function checkClassAndPlan(owner: string, serviceClass: string, plan: string, allowUnknown: boolean): OsbaClass | undefined {
  const known = OSBA_CLASSES[serviceClass];
  if (!known) {
    if (!allowUnknown) {
      fail(owner, `serviceClass ${show(serviceClass)} is not an OSBA MySQL class (${Object.keys(OSBA_CLASSES).join(', ')})`,
        'use one of those, or set allowUnknownClassOrPlan: true for a custom broker or an older OSBA release');
    }
    if (!serviceClass || !/^[-\w.]+$/.test(serviceClass)) fail(owner, `serviceClass ${show(serviceClass)} is not a class name`, 'use the broker\'s external class name');
    if (!plan || !/^[-\w.]+$/.test(plan)) fail(owner, `plan ${show(plan)} is not a plan name`, 'use the broker\'s external plan name');
    return undefined;
  }
  if (!known.plans.includes(plan)) {
    if (!allowUnknown) fail(owner, `plan ${show(plan)} is not a plan of ${serviceClass} (${known.plans.join(', ')})`, 'use one of those, or set allowUnknownClassOrPlan: true for a custom broker');
    if (!/^[-\w.]+$/.test(plan)) fail(owner, `plan ${show(plan)} is not a plan name`, 'use the broker\'s external plan name');
    return undefined;
  }
  return known;
}

/** OSBA's database-only classes of every release (`azure-mysql-database`, `azure-mysql-5-7-database`, ...). */
export const DATABASE_ONLY_CLASS = /^azure-mysql.*-database$/;

/** Rejects a DBMS-only class where a binding is rendered (such classes are not bindable). */
export function checkBindable(owner: string, serviceClass: string, known: OsbaClass | undefined): void {
  if (known?.kind === OsbaClassKind.DBMS || /^azure-mysql.*-dbms$/.test(serviceClass)) {
    fail(owner, `serviceClass ${show(serviceClass)} provisions a DBMS only and is not bindable`,
      'create the DBMS with new OsbaMySqlServer(...) and bind a database on it with MySqlProvider.osbaDatabase(server)');
  }
}

/** A broker alias (`alias` of a DBMS, `parentAlias` of its databases). */
export function validateAlias(owner: string, prop: string, alias: string): void {
  if (typeof alias !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9_.]{0,127}$/.test(alias)) {
    fail(owner, `${prop} ${show(alias)} is not a broker alias`, 'use letters, digits, \'-\', \'_\' and \'.\' (a UUID such as \'71b6b6c4-5271-47d3-8188-51e69fba914e\' is the usual choice)');
  }
}
