// What OSBA and Azure Service Operator servers share: Azure's rules for regions, resource groups,
// server names, tags and server firewall rules.

import { fail, isDns1123Label, parseIpv4, show } from '../core';
import { arrayProp, isObject } from './validation';

/** A server firewall rule: clients from `startIpAddress` to `endIpAddress` (inclusive, IPv4) may connect. */
export interface FirewallRule {
  /** Rule name (letters, digits, '-', '_' and '.', at most 128 characters). */
  readonly name: string;
  /** First allowed IPv4 address. */
  readonly startIpAddress: string;
  /** Last allowed IPv4 address (not lower than startIpAddress). */
  readonly endIpAddress: string;
}

/** An Azure region's programmatic name (required). */
export function validateLocation(owner: string, location: string | undefined): void {
  if (location === undefined || location === null || location === '') fail(owner, 'location is missing', 'set the Azure region, e.g. location: \'eastus\'');
  if (typeof location !== 'string' || !/^[a-z][a-z0-9]*$/.test(location)) fail(owner, `location ${show(location)} is not an Azure region name`, 'use the programmatic name in lowercase without spaces, e.g. \'eastus\' or \'westeurope\'');
}

/** An Azure resource group's name (required). */
export function validateResourceGroup(owner: string, rg: string | undefined): void {
  if (rg === undefined || rg === null || rg === '') fail(owner, 'resourceGroup is missing', 'set the Azure resource group, e.g. resourceGroup: \'demo\'');
  if (typeof rg !== 'string' || rg.length > 90 || !/^[-\p{L}\p{N}_.()]+$/u.test(rg) || rg.endsWith('.')) {
    fail(owner, `resourceGroup ${show(rg)} is not a valid Azure resource group name`, 'use 1-90 letters, digits, \'-\', \'_\', \'.\', \'(\' and \')\', not ending with \'.\'');
  }
}

/** The Azure name of a MySQL server (3-63 characters of a DNS label). */
export function validateServerName(owner: string, prop: string, name: string): void {
  if (typeof name !== 'string' || name.length < 3 || !isDns1123Label(name)) {
    fail(owner, `${prop} ${show(name)} is not a valid Azure MySQL server name`, 'use 3-63 lowercase letters, digits and \'-\', not starting or ending with \'-\'');
  }
}

/** Azure tags on a server. */
export function validateTags(owner: string, tags: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (!k || k.length > 512 || /[<>%&\\?/]/.test(k)) fail(owner, `tag name ${show(k)} is not a valid Azure tag name`, 'use at most 512 characters without < > % & \\ ? /');
    if (typeof v !== 'string' || v.length > 256) fail(owner, `tag ${show(k)} value ${show(v)} is not a string of at most 256 characters`, 'shorten the value');
  }
}

/** Server firewall rules (a list, each rule complete, named once, with start <= end); returns the list. */
export function validateFirewallRules(owner: string, list: FirewallRule[] | undefined): FirewallRule[] {
  const example = '{ name: \'office\', startIpAddress: \'203.0.113.10\', endIpAddress: \'203.0.113.20\' }';
  const rules = arrayProp(owner, 'firewallRules', list, example);
  const names = new Set<string>();
  rules.forEach((r, i) => {
    const at = `firewallRules[${i}]`;
    if (!isObject(r)) fail(owner, `${at} ${show(r)} is not a firewall rule`, `use ${example}`);
    for (const field of ['name', 'startIpAddress', 'endIpAddress'] as const) {
      if (r[field] === undefined || r[field] === null) fail(owner, `${at}.${field} is missing`, `set name, startIpAddress and endIpAddress, e.g. ${example}`);
    }
    if (typeof r.name !== 'string' || !/^[-\w.]{1,128}$/.test(r.name)) fail(owner, `${at}.name ${show(r.name)} is not a valid rule name`, 'use 1-128 letters, digits, \'-\', \'_\' and \'.\'');
    if (names.has(r.name)) fail(owner, `${at}.name ${show(r.name)} is used twice`, 'give every firewall rule its own name');
    names.add(r.name);
    const start = typeof r.startIpAddress === 'string' ? parseIpv4(r.startIpAddress) : undefined;
    const end = typeof r.endIpAddress === 'string' ? parseIpv4(r.endIpAddress) : undefined;
    if (start === undefined) fail(owner, `${at}.startIpAddress ${show(r.startIpAddress)} is not an IPv4 address`, 'use dotted IPv4 such as \'203.0.113.10\'');
    if (end === undefined) fail(owner, `${at}.endIpAddress ${show(r.endIpAddress)} is not an IPv4 address`, 'use dotted IPv4 such as \'203.0.113.20\'');
    if (start > end) fail(owner, `${at} starts at ${r.startIpAddress}, after its end ${r.endIpAddress}`, 'swap startIpAddress and endIpAddress');
  });
  return rules;
}
