// Where the app finds its credentials in an OSBA binding Secret once `secretTransforms` have renamed,
// added and removed keys.

import { fail, show } from '../core';
import { OSBA_MYSQL_SECRET_KEYS } from './osba-catalog';
import { SecretTransform } from './service-catalog';
import { arrayProp, isObject, validateSecretKey } from './validation';

/** The binding Secret's keys the app reads (the others, e.g. `uri`, may be overwritten or removed). */
const APP_KEYS = ['host', 'port', 'database', 'username', 'password'] as const;

/**
 * Follows the OSBA binding Secret's keys through `secretTransforms`: returns, for each credential key
 * the app needs, the key it ends up under. A transform may overwrite a key the app does not read (e.g.
 * `uri`), never one it reads.
 */
export function transformedKeys(owner: string, list: SecretTransform[] | undefined): Record<typeof APP_KEYS[number], string> {
  const transforms = arrayProp(owner, 'secretTransforms', list, '{ renameKey: { from: \'username\', to: \'user\' } }');
  // Each OSBA key, by the name the broker writes it under, mapped to the key it has now.
  const current: Record<string, string> = Object.fromEntries(OSBA_MYSQL_SECRET_KEYS.map((k) => [k, k]));
  const readByApp = (k: string) => (APP_KEYS as readonly string[]).includes(k);
  transforms.forEach((t, i) => {
    if (!isObject(t)) fail(owner, `secretTransforms[${i}] ${show(t)} is not a transform`, 'set exactly one of renameKey, addKey, addKeysFrom, removeKey');
    const set = (['renameKey', 'addKey', 'addKeysFrom', 'removeKey'] as const).filter((k) => t[k] !== undefined);
    if (set.length !== 1) fail(owner, `secretTransforms[${i}] sets ${set.length ? set.join(' and ') : 'nothing'}`, 'set exactly one of renameKey, addKey, addKeysFrom, removeKey');
    // A key the app reads, other than the one being renamed, must not be overwritten; any other key that
    // is overwritten is gone.
    const overwrite = (prop: string, key: string, from?: string) => {
      const hit = Object.entries(current).find(([k, v]) => v === key && v !== from && readByApp(k));
      if (hit) fail(owner, `secretTransforms[${i}].${prop} ${show(key)} would overwrite the key the app reads as ${show(hit[0])}`, 'use a key the app does not read');
      for (const [k, v] of Object.entries(current)) if (v === key && v !== from) delete current[k];
    };
    const field = (prop: string, value: unknown): Record<string, any> => {
      if (!isObject(value)) fail(owner, `secretTransforms[${i}].${prop} ${show(value)} is not an object`, `see SecretTransform, e.g. { ${prop}: ${prop === 'renameKey' ? '{ from: \'username\', to: \'user\' }' : '{ key: \'uri\' }'} }`);
      return value as Record<string, any>;
    };
    if (t.renameKey !== undefined) {
      const r = field('renameKey', t.renameKey);
      validateSecretKey(owner, `secretTransforms[${i}].renameKey.from`, r.from);
      validateSecretKey(owner, `secretTransforms[${i}].renameKey.to`, r.to);
      overwrite('renameKey.to', r.to, r.from);
      for (const [k, v] of Object.entries(current)) if (v === r.from) current[k] = r.to;
    }
    if (t.addKey !== undefined) {
      const a = field('addKey', t.addKey);
      validateSecretKey(owner, `secretTransforms[${i}].addKey.key`, a.key);
      overwrite('addKey.key', a.key);
    }
    if (t.removeKey !== undefined) {
      const r = field('removeKey', t.removeKey);
      validateSecretKey(owner, `secretTransforms[${i}].removeKey.key`, r.key);
      for (const [k, v] of Object.entries(current)) {
        if (v !== r.key) continue;
        if (readByApp(k)) {
          fail(owner, `secretTransforms remove the key ${show(v)} the app reads${v !== k ? ` as ${show(k)}` : ''} (secretTransforms[${i}].removeKey)`, `keep ${show(v)} (renaming it is fine)`);
        }
        delete current[k];
      }
    }
  });
  return { host: current.host, port: current.port, database: current.database, username: current.username, password: current.password };
}
