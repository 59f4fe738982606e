// MySqlBinding.bindTo's options validated into a plan: which env var gets each setting, and the name of
// the wait-for init container (if the app should wait).

import { DNS1123_LABEL_FIX, ENV_VAR_NAME_FIX } from '../core';
import { ENV_VAR_NAME, fail, isDns1123Label, show } from '../core';
import { WebApp } from '../web-app';
import { DEFAULT_MYSQL_ENV, MySqlBindOptions, MySqlSetting } from './contract';

/** What bindTo gives one WebApp. */
export interface BindPlan {
  /** The env var name of each setting, in MySqlSetting order. */
  readonly envNames: ReadonlyArray<readonly [MySqlSetting, string]>;
  /** The wait-for init container's name, when the app should wait for the database. */
  readonly waitContainerName?: string;
}

/** The binding as bindTo sees it. */
export interface BindingOfPlan {
  /** Base of the object names. */
  readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
  /** The subject of error messages. */
  readonly owner: string;
}

/** Validates bindTo's arguments (throwing the first problem) into what it adds to `webApp`. */
export function planBind(binding: BindingOfPlan, webApp: WebApp, options: MySqlBindOptions): BindPlan {
  const owner = binding.owner;
  if (!(webApp instanceof WebApp)) {
    fail(owner, `bindTo was given ${show(webApp)} instead of a WebApp`, 'pass the WebApp that reads the database, e.g. db.bindTo(web)');
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail(owner, `bindTo options ${show(options)} are not an options object`, 'pass e.g. { prefix: \'ORDERS_\', waitForDatabase: true }, or nothing');
  }
  if ((webApp.namespace ?? '') !== (binding.namespace ?? '')) {
    fail(owner, `WebApp '${webApp.name}' is in namespace ${show(webApp.namespace ?? '(kubectl context)')} but the binding's Secret is in ${show(binding.namespace ?? '(kubectl context)')}`,
      'pods can only read Secrets and ConfigMaps of their own namespace: create the binding in the WebApp\'s namespace');
  }
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string' || (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix))) {
    fail(owner, `bindTo prefix ${show(prefix)} would give invalid env var names such as ${show(`${prefix}${DEFAULT_MYSQL_ENV.host}`)}`,
      'start the prefix with a letter or \'_\' and use letters, digits and \'_\', e.g. prefix: \'ORDERS_\'');
  }
  for (const [setting, name] of Object.entries(options.envNames ?? {})) {
    if (!Object.values(MySqlSetting).includes(setting as MySqlSetting)) {
      fail(owner, `bindTo envNames.${setting} is not a setting`, `name one of ${Object.values(MySqlSetting).join(', ')}`);
    }
    if (name !== undefined && (typeof name !== 'string' || !ENV_VAR_NAME.test(name))) {
      fail(owner, `bindTo envNames.${setting} ${show(name)} is not a valid env var name`, ENV_VAR_NAME_FIX);
    }
  }
  const names = Object.values(MySqlSetting).map((s) => [s, options.envNames?.[s] ?? `${prefix}${DEFAULT_MYSQL_ENV[s]}`] as const);
  const seen = new Map<string, string>();
  for (const [setting, name] of names) {
    if (seen.has(name)) fail(owner, `env var ${show(name)} is given to both ${seen.get(name)} and ${setting}`, 'give every setting its own env var name');
    seen.set(name, setting);
  }
  const taken = names.filter(([, name]) => webApp.envNames.includes(name)).map(([, name]) => name);
  if (taken.length) {
    fail(owner, `WebApp '${webApp.name}' already sets env ${taken.map(show).join(', ')}`,
      'pass bindTo(app, { prefix: \'ORDERS_\' }) or envNames to use other names, or remove the app\'s own definition');
  }
  const waitName = options.waitContainerName ?? `wait-for-${binding.name}-mysql`.slice(0, 63).replace(/-+$/, '');
  if (options.waitContainerName !== undefined && (typeof waitName !== 'string' || !isDns1123Label(waitName))) {
    fail(owner, `bindTo waitContainerName ${show(waitName)} is not a container name`, `${DNS1123_LABEL_FIX}, e.g. 'wait-for-orders-db'`);
  }
  return { envNames: names, waitContainerName: options.waitForDatabase ? waitName : undefined };
}
