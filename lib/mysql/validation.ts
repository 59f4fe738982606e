// Checks shared by the MySqlBinding family: option shapes JavaScript callers may get wrong, the names
// every provider derives objects from, references to existing Secrets, and MySQL identifiers.
// Provider-specific checks live with their provider; Azure's (regions, resource groups, firewall rules)
// in ./azure.ts.

import { OBJECT_NAME_FIX } from '../core';
import { fail, isDns1035Label, isDns1123Subdomain, show } from '../core';
import { SecretKeyReference } from './service-catalog';

/** The longest base name a binding or server accepts (every object name derives from it). */
export const MAX_BASE_NAME = 46;

/** True for a non-null, non-array object (what JavaScript callers must pass as options). */
export function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks that an optional list prop is an array (JavaScript callers), returning it or `[]`. */
export function arrayProp<T>(owner: string, prop: string, value: T[] | undefined, example: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(owner, `${prop} ${show(value)} is not a list`, `pass an array, e.g. ${prop}: [${example}]`);
  return value;
}

/** The base of every object name of a binding or server: a DNS-1035 label of at most {@link MAX_BASE_NAME} characters. */
export function validateBaseName(owner: string, name: string): void {
  if (!isDns1035Label(name) || name.length > MAX_BASE_NAME) {
    fail(owner, `name ${show(name)} is not a DNS-1035 label of at most ${MAX_BASE_NAME} characters`,
      'use lowercase letters, digits and \'-\', starting with a letter (object names such as \'<name>-mysql-instance\' derive from it)');
  }
}


/**
 * The name of an object rendered or referred to (a DNS-1123 subdomain). `more.note` is said after the
 * problem, in parentheses; `more.fix` replaces the generic fix.
 */
export function validateObjectName(owner: string, prop: string, name: string, more: { readonly note?: string; readonly fix?: string } = {}): void {
  if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
    fail(owner, `${prop} ${show(name)} is not a Kubernetes object name${more.note ? ` (${more.note})` : ''}`, more.fix ?? OBJECT_NAME_FIX);
  }
}

/** A key of a Secret. */
export function validateSecretKey(owner: string, prop: string, key: string): void {
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(key)) fail(owner, `${prop} ${show(key)} is not a Secret key`, 'use letters, digits, \'-\', \'_\' and \'.\'');
}

/** A reference to a key of an existing Secret (required). */
export function validateSecretKeyRef(owner: string, prop: string, ref: SecretKeyReference | undefined): void {
  if (ref === undefined || ref === null) fail(owner, `${prop} is missing`, 'name an existing Secret and key, e.g. { name: \'mysql-admin\', key: \'password\' }');
  if (!isObject(ref)) fail(owner, `${prop} ${show(ref)} is not a Secret key reference`, 'name an existing Secret and key, e.g. { name: \'mysql-admin\', key: \'password\' }');
  validateObjectName(owner, `${prop}.name`, ref.name);
  validateSecretKey(owner, `${prop}.key`, ref.key);
}

/** A MySQL user name a broker creates (OSBA's admin and binding users). */
export function validateMySqlUser(owner: string, prop: string, user: string): void {
  if (typeof user !== 'string' || !/^[A-Za-z0-9_]{1,32}$/.test(user)) fail(owner, `${prop} ${show(user)} is not a MySQL user name`, 'use 1-32 letters, digits and \'_\'');
}

/** A database this library creates (in-cluster, ASO): portable, unquoted-safe names only. */
export function validateDatabaseName(owner: string, db: string): void {
  if (typeof db !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(db)) fail(owner, `database ${show(db)} is not a portable MySQL database name`, 'use 1-64 letters, digits and \'_\'');
}
