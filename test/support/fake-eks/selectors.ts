import { badRequest, StatusError } from './kubernetes-status';
import type { ObjectJson } from './object-store';

export type ObjectPredicate = (object: ObjectJson) => boolean;

// Only the generic field labels every kind supports (pkg/apis/core/v1 conversion for Services);
// other fields are answered "field label not supported", as on clusters before Kubernetes 1.31.
const FIELDS: Readonly<Record<string, (service: ObjectJson) => string>> = {
  'metadata.name': (service) => service.metadata.name,
  'metadata.namespace': (service) => service.metadata.namespace ?? '',
};

/** Parses `fieldSelector`: comma-separated `field=value`, `field==value` or `field!=value`. */
export function parseFieldSelector(selector: string): ObjectPredicate {
  const tests = terms(selector).map((term) => {
    const requirement = /^([^!=]+)(!=|==|=)([^!=]*)$/.exec(term);
    if (requirement === null) {
      throw new StatusError(badRequest(`invalid selector: '${selector}'; can't understand '${term}'`));
    }
    const [, field = '', operator, value] = requirement;
    const read = FIELDS[field];
    if (read === undefined) throw new StatusError(badRequest(`field label not supported: ${field}`));
    return (service: ObjectJson) => (read(service) === value) === (operator !== '!=');
  });
  return (service) => tests.every((test) => test(service));
}

/**
 * Parses `labelSelector` in its equality-based form: `key=value`, `key==value`,
 * `key!=value`, `key` (exists) and `!key`. The set-based form (`in`, `notin`) is
 * beyond this fake and answered 400.
 */
export function parseLabelSelector(selector: string): ObjectPredicate {
  const tests = terms(selector).map((term) => {
    const requirement = /^(!?)([A-Za-z0-9._/-]+)(?:(!=|==|=)([A-Za-z0-9._-]*))?$/.exec(term);
    if (requirement === null) {
      throw new StatusError(
        badRequest(`unable to parse requirement: '${term}' (the fake supports equality and existence only)`),
      );
    }
    const [, negation, key = '', operator, value] = requirement;
    if (negation === '!' && operator !== undefined) {
      throw new StatusError(badRequest(`unable to parse requirement: '${term}'`));
    }
    return (service: ObjectJson) => {
      const actual = service.metadata.labels?.[key];
      if (operator === undefined) return (actual !== undefined) === (negation !== '!');
      // As in k8s.io/apimachinery labels: != also matches objects without the label.
      return operator === '!=' ? actual !== value : actual === value;
    };
  });
  return (service) => tests.every((test) => test(service));
}

function terms(selector: string): string[] {
  return selector
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '');
}
