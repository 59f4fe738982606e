// The keys of an existing credentials Secret the app reads its user and password from (external and
// in-cluster providers).

import { validateSecretKey } from './validation';

/** Keys of an existing credentials Secret. */
export interface CredentialKeys {
  /** Key of the user name. @default 'username' */
  readonly username?: string;
  /** Key of the password. @default 'password' */
  readonly password?: string;
}

/** The user name and password keys of `keys`, defaulted and validated. */
export function credentialKeys(owner: string, keys: CredentialKeys | undefined): { username: string; password: string } {
  const username = keys?.username ?? 'username';
  const password = keys?.password ?? 'password';
  validateSecretKey(owner, 'credentialKeys.username', username);
  validateSecretKey(owner, 'credentialKeys.password', password);
  return { username, password };
}
