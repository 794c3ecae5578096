import {
  ELBV2_API_GROUP,
  type IngressClassParamsSummary,
  type IngressClassSummary,
} from './ingress-class-kind';
import type { IngressSummary } from './ingress-summary';

/** The controller name of the Load Balancer Controller's IngressClasses. */
export const LBC_INGRESS_CONTROLLER = 'ingress.k8s.aws/alb';

/**
 * The explicit IngressGroups an Ingress may be in, as the Load Balancer
 * Controller forms them (kubernetes-sigs/aws-load-balancer-controller
 * pkg/ingress/group_loader.go `loadGroupID`: "the group settings in associated
 * IngClassParams takes higher priority than group.name annotation"; the params
 * come from pkg/ingress/class_loader.go `Load`: the Ingress's
 * `spec.ingressClassName`, or the default IngressClass when it names none, whose
 * controller is `ingress.k8s.aws/alb` and whose `spec.parameters` name an
 * `elbv2.k8s.aws` IngressClassParams). The group its class's params name comes
 * first; its `group.name` annotation counts as well: the controller ignores the
 * class (and its params) of an Ingress that also carries the
 * `kubernetes.io/ingress.class` annotation, and whether that annotation is this
 * controller's depends on its `--ingress-class` flag, which the janitor cannot see.
 * One group too many can only keep a load balancer; one too few could delete a live one.
 */
export function ingressGroups(ingress: IngressSummary): string[] {
  const annotated = ingress.groupName === undefined ? [] : [ingress.groupName];
  return [...new Set([...(ingress.classGroups ?? []), ...annotated])];
}

/** Every Ingress with the groups its class's IngressClassParams put it in (see ingressGroups). */
export function withClassGroups(
  ingresses: ReadonlyMap<string, IngressSummary>,
  classes: ReadonlyMap<string, IngressClassSummary>,
  params: ReadonlyMap<string, IngressClassParamsSummary>,
): Map<string, IngressSummary> {
  const byName = new Map([...classes.values()].map((ingressClass) => [ingressClass.name, ingressClass]));
  const paramsByName = new Map([...params.values()].map((item) => [item.name, item]));
  const defaults = [...classes.values()].filter((ingressClass) => ingressClass.isDefault);
  const groupOf = (ingressClass: IngressClassSummary | undefined): string[] => {
    const parameters = ingressClass?.parameters;
    if (ingressClass?.controller !== LBC_INGRESS_CONTROLLER || parameters === undefined) return [];
    if (parameters.apiGroup !== ELBV2_API_GROUP || parameters.kind !== 'IngressClassParams') return [];
    const groupName = paramsByName.get(parameters.name)?.groupName;
    return groupName === undefined ? [] : [groupName];
  };
  const result = new Map<string, IngressSummary>();
  for (const [key, ingress] of ingresses) {
    // Kubernetes writes the default class into new Ingresses; older ones may still name none.
    const candidates =
      ingress.ingressClassName === undefined ? defaults : [byName.get(ingress.ingressClassName)];
    const classGroups = [...new Set(candidates.flatMap(groupOf))];
    result.set(key, classGroups.length === 0 ? ingress : { ...ingress, classGroups });
  }
  return result;
}
