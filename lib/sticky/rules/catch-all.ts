import { show } from '../../core';
import { Derivation, ErrorCollector, Rule } from '../../registry';
import { STICKY_INGRESS_FACTS, StickyIngressFact } from '../facts';

/**
 * ingress-nginx uses one catch-all (a rules-less Ingress's defaultBackend) per class: the oldest. An
 * error for each StickyIngress after the first that renders the built-in 404 backend for a class.
 */
export const CATCH_ALL_CONFLICTS: Rule = new Derivation('second 404 catch-all of an Ingress class', (registry) => {
  const firstNotFound = new Map<string, StickyIngressFact>();
  const errors = new ErrorCollector();
  for (const [sticky, s] of registry.get(STICKY_INGRESS_FACTS)) {
    const className = s.routing.ingress?.className;
    if (!s.notFoundBackend || className === undefined) continue;
    const first = firstNotFound.get(className);
    if (!first) {
      firstNotFound.set(className, s);
      continue;
    }
    errors.add(sticky, `${s.owner}: DefaultBackend.notFound() renders a second catch-all Ingress for class ${show(className)} (the first is ${first.owner}'s): ingress-nginx uses only the oldest one, so which 404 backend answers depends on creation order; `
      + 'use DefaultBackend.notFound() once per Ingress class, and DefaultBackend.service(...) or none on the other StickyIngresses');
  }
  return errors.result;
});
