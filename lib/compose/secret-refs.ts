// Credentials outside the environment: a secret-looking variable interpolated into a command, an
// entrypoint or a healthcheck is not written there as its value. It becomes a reference to the
// container's own environment variable of that name (read from a Secret): `$(NAME)` in a command
// (Kubernetes expands it), `${NAME}` in a probe (the container's shell expands it).

/** The interpolation result that marks a reference to the secret variable `name` (never written out). */
export function secretRefToken(name: string): string {
  return `\u0000secret:${name}\u0000`;
}

/** A reference; not global (a global RegExp carries `lastIndex` state): {@link tokens} makes one per use. */
const TOKEN = /\u0000secret:([A-Za-z_][A-Za-z0-9_]*)\u0000/;
const tokens = () => new RegExp(TOKEN, 'g');

/** The secret variables `text` refers to. */
export function secretRefsIn(text: string): string[] {
  return [...text.matchAll(tokens())].map((m) => m[1]);
}

/** `text` with its references as Kubernetes dependent environment variables: `$(NAME)`. */
export function kubernetesSecretRefs(text: string): string {
  return text.replace(tokens(), (_m, name: string) => `$(${name})`);
}

/** `text` with its references as shell variables: `${NAME}`. */
export function shellSecretRefs(text: string): string {
  return text.replace(tokens(), (_m, name: string) => `\${${name}}`);
}

/**
 * A command (no shell) whose words refer to secret variables, as a `/bin/sh -c` command line that
 * expands them: each word single-quoted, each reference a double-quoted `${NAME}`.
 */
export function shellCommandWithSecretRefs(words: readonly string[]): string[] {
  const quote = (w: string) => w.split(TOKEN).map((part, i) => (i % 2 === 1 ? `"\${${part}}"` : part === '' ? '' : `'${part.replace(/'/g, '\'\\\'\'')}'`)).join('') || '\'\'';
  return ['/bin/sh', '-c', words.map(quote).join(' ')];
}

/** True when `value` holds a URL with a password (`scheme://user:password@host`). */
export function hasUrlCredentials(value: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i.test(value);
}
