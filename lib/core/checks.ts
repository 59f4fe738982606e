// Shape checks for JavaScript callers: TypeScript rules these out, plain JavaScript (and YAML-fed
// wrappers) does not. A string where a list is expected would otherwise be spread into characters, a
// number where a string is expected renders a manifest the apiserver refuses, and an object where a
// list is expected crashes with a TypeError that names neither the construct nor the prop.
import { fail, show } from './errors';
import { DNS1123_LABEL_FIX, isDns1123Label } from './names';

/** The largest user or group id Kubernetes accepts (`runAsUser`, `runAsGroup`, `fsGroup`: int64 in the API, validated to int32). */
export const MAX_ID = 2147483647;

/**
 * The Linux capabilities a container may add (capabilities(7), without the `CAP_` prefix, as
 * Kubernetes spells them). `ALL` is not among them: adding every capability is what dropping ALL is for.
 */
export const LINUX_CAPABILITIES: readonly string[] = [
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN', 'DAC_OVERRIDE',
  'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN',
  'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYSLOG', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT',
  'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'WAKE_ALARM',
];

/**
 * Checks that `value` is a list of strings (`command`, `args`, `writablePaths`...). A single string is
 * refused with the list it was probably meant as; numbers are refused with their quoted form, since a
 * container's `args` must be strings.
 */
export function validateStringList(owner: string, prop: string, value: unknown, example: string): readonly string[] {
  if (typeof value === 'string') {
    fail(owner, `${prop} ${show(value)} is a string, not a list`,
      `pass a list, one entry per item, e.g. ${prop}: [${value.trim().split(/\s+/).filter((s) => s).map((w) => show(w)).join(', ')}]`, prop);
  }
  if (!Array.isArray(value)) fail(owner, `${prop} ${show(value)} is not a list`, `pass a list of strings, e.g. ${prop}: [${example}]`, prop);
  value.forEach((entry, i) => {
    if (typeof entry !== 'string') {
      const quoted = typeof entry === 'number' || typeof entry === 'boolean' ? `'${String(entry)}'` : `a string`;
      fail(owner, `${prop}[${i}] ${show(entry)} is not a string`, `write it as ${quoted}`, prop);
    }
  });
  return value as string[];
}

/** Checks that `value` is a list of objects (`ports`, `volumeClaimTemplates`...). */
export function validateObjectList(owner: string, prop: string, value: unknown, example: string): readonly object[] {
  if (!Array.isArray(value)) {
    const hint = value !== null && typeof value === 'object' ? ' (one object, not a list of them)' : '';
    fail(owner, `${prop} ${show(value)} is not a list${hint}`, `pass a list, e.g. ${prop}: [${example}]`, prop);
  }
  value.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      fail(owner, `${prop}[${i}] ${show(entry)} is not an object`, `pass objects, e.g. ${prop}: [${example}]`, prop);
    }
  });
  return value as object[];
}

/**
 * Checks a namespace (a DNS-1123 label). `source` says where it came from when it was not the
 * construct's own prop (e.g. `'the chart'`), so the user knows what to change.
 */
export function validateNamespace(owner: string, namespace: unknown, source?: string): void {
  if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
    const from = source ? ` (from ${source})` : '';
    fail(owner, `namespace ${show(namespace)}${from} is not a DNS-1123 label`,
      source ? `${DNS1123_LABEL_FIX}: change it on ${source}` : DNS1123_LABEL_FIX,
      source ? undefined : 'namespace');
  }
}

/**
 * Checks the namespace a construct renders into: its own `namespace` prop when given, else the one it
 * inherits from its chart (`inherited`), named as coming from the chart.
 */
export function validateNamespaceOf(owner: string, own: unknown, inherited: string | undefined): void {
  if (own !== undefined) validateNamespace(owner, own);
  else if (inherited !== undefined) validateNamespace(owner, inherited, 'the chart');
}

/** Checks a user or group id: an integer in 0-2147483647. */
export function validateId(owner: string, prop: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_ID) {
    fail(owner, `${prop} ${show(value)} is not an integer in 0-${MAX_ID}`,
      `use a numeric id in 0-${MAX_ID} (Kubernetes' limit), e.g. ${prop}: 10001`, prop);
  }
}

/** Checks capabilities to add: a list of Linux capability names, without `CAP_` and never `ALL`. */
export function validateCapabilities(owner: string, prop: string, value: unknown): readonly string[] {
  const caps = validateStringList(owner, prop, value, "'NET_BIND_SERVICE'");
  caps.forEach((cap, i) => {
    if (cap === 'ALL') {
      fail(owner, `${prop}[${i}] 'ALL' adds every capability back`,
        'name the capabilities the process needs (Pod Security "restricted" allows only NET_BIND_SERVICE)', prop);
    }
    const bare = cap.toUpperCase().replace(/^CAP_/, '');
    if (!LINUX_CAPABILITIES.includes(cap)) {
      const fix = LINUX_CAPABILITIES.includes(bare) ? `write it as '${bare}' (uppercase, without the CAP_ prefix)`
        : `use a Linux capability name from capabilities(7) without the CAP_ prefix, e.g. 'NET_BIND_SERVICE'`;
      fail(owner, `${prop}[${i}] ${show(cap)} is not a Linux capability`, fix, prop);
    }
  });
  return caps;
}
