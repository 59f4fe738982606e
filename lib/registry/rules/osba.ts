import { show } from '../../core/errors';
import { Derivation } from '../derivation';
import { OSBA_SECRETS, OSBA_SERVER_ALIASES } from '../facts';
import { ErrorCollector, Rule, groupBy } from '../rule';

/**
 * Two OSBA bindings writing the same Secret in one namespace (any chart of the app): Service Catalog
 * writes each ServiceBinding's credentials into a Secret the binding owns, so the second one fails.
 * Reported on every later binding (in registration order), naming the first.
 */
export const OSBA_SECRET_CONFLICTS: Rule = new Derivation('OSBA Secret written twice', (registry) => {
  const errors = new ErrorCollector();
  for (const [first, ...later] of groupBy(registry.facts(OSBA_SECRETS), (f) => `${f.namespace ?? ''}/${f.secretName}`).values()) {
    for (const { owner, fact } of later) {
      errors.add(owner, `MySqlBinding '${fact.name}': secretName ${show(fact.secretName)} is also the secretName of MySqlBinding '${first.fact.name}' (${first.owner.node.path}) `
        + `in namespace ${show(fact.namespace ?? '(kubectl context)')}, and Service Catalog fails the second ServiceBinding because the first one owns that Secret; `
        + 'give each binding its own secretName, or bind both apps to one MySqlBinding');
    }
  }
  return errors.result;
});

/**
 * Two OSBA DBMSs with one alias anywhere in the app (any chart or namespace): the alias is broker-wide,
 * and the broker rejects the second. Reported on every later server (in registration order), naming the first.
 */
export const OSBA_ALIAS_CONFLICTS: Rule = new Derivation('OSBA server alias used twice', (registry) => {
  const errors = new ErrorCollector();
  for (const [first, ...later] of groupBy(registry.facts(OSBA_SERVER_ALIASES), (f) => f.alias).values()) {
    for (const { owner, fact } of later) {
      errors.add(owner, `OsbaMySqlServer '${fact.name}': alias ${show(fact.alias)} is also the alias of OsbaMySqlServer '${first.fact.name}' (${first.owner.node.path}), `
        + 'and the broker rejects a second DBMS with an alias it already knows; give each server its own alias (e.g. a UUID), '
        + 'or share one server: bind each app\'s database to it with MySqlProvider.osbaDatabase(server)');
    }
  }
  return errors.result;
});
