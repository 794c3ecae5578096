import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type IngressClassParamsSummary,
  type IngressClassSummary,
  parseIngressClass,
  parseIngressClassParams,
} from '../../lambda/kubernetes/ingress-class-kind';
import { ingressGroups, withClassGroups } from '../../lambda/kubernetes/ingress-groups';
import type { IngressSummary } from '../../lambda/kubernetes/ingress-summary';

const LBC = 'ingress.k8s.aws/alb';
const PARAMS = (name: string) => ({ apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name });

function ingressClass(name: string, overrides: Partial<IngressClassSummary> = {}): IngressClassSummary {
  return { namespace: '', name, controller: LBC, parameters: undefined, isDefault: false, ...overrides };
}
function params(name: string, groupName: string | undefined): IngressClassParamsSummary {
  return { namespace: '', name, groupName };
}
function ingress(overrides: Partial<IngressSummary> = {}): IngressSummary {
  return {
    namespace: 'shop',
    name: 'web',
    groupName: undefined,
    ingressClassName: 'alb-public',
    ingressHostnames: [],
    ...overrides,
  };
}

describe('the IngressGroups of an Ingress, as the Load Balancer Controller forms them', () => {
  const allParams = [params('public-params', 'public'), params('bare', undefined)];
  const cases: { name: string; ingress: IngressSummary; classes: IngressClassSummary[]; groups: string[] }[] =
    [
      {
        name: "its class's IngressClassParams name a group",
        ingress: ingress(),
        classes: [ingressClass('alb-public', { parameters: PARAMS('public-params') })],
        groups: ['public'],
      },
      {
        name: "the params' group first, its annotation's as well",
        ingress: ingress({ groupName: 'shared' }),
        classes: [ingressClass('alb-public', { parameters: PARAMS('public-params') })],
        groups: ['public', 'shared'],
      },
      {
        name: 'params without a group: the annotation',
        ingress: ingress({ groupName: 'shared' }),
        classes: [ingressClass('alb-public', { parameters: PARAMS('bare') })],
        groups: ['shared'],
      },
      {
        name: 'a class of another controller: its params are not the LBC’s',
        ingress: ingress(),
        classes: [
          ingressClass('alb-public', {
            controller: 'k8s.io/ingress-nginx',
            parameters: PARAMS('public-params'),
          }),
        ],
        groups: [],
      },
      {
        name: 'parameters of another API group',
        ingress: ingress(),
        classes: [
          ingressClass('alb-public', { parameters: { ...PARAMS('public-params'), apiGroup: 'example.com' } }),
        ],
        groups: [],
      },
      {
        name: 'params that do not exist: the annotation only',
        ingress: ingress({ groupName: 'shared' }),
        classes: [ingressClass('alb-public', { parameters: PARAMS('missing') })],
        groups: ['shared'],
      },
      {
        name: 'a class that does not exist',
        ingress: ingress({ ingressClassName: 'nope' }),
        classes: [ingressClass('alb-public', { parameters: PARAMS('public-params') })],
        groups: [],
      },
      {
        name: 'no class named: the default class’s params',
        ingress: ingress({ ingressClassName: undefined }),
        classes: [ingressClass('alb-public', { parameters: PARAMS('public-params'), isDefault: true })],
        groups: ['public'],
      },
      {
        name: 'no class named and no default class',
        ingress: ingress({ ingressClassName: undefined, groupName: 'shared' }),
        classes: [ingressClass('alb-public', { parameters: PARAMS('public-params') })],
        groups: ['shared'],
      },
    ];
  for (const { name, ingress: item, classes, groups } of cases) {
    it(`${name}: ${JSON.stringify(groups)}`, () => {
      const resolved = withClassGroups(
        new Map([['shop/web', item]]),
        new Map(classes.map((c) => [`/${c.name}`, c])),
        new Map(allParams.map((p) => [`/${p.name}`, p])),
      ).get('shop/web');
      assert.ok(resolved);
      assert.deepEqual(ingressGroups(resolved), groups);
    });
  }
});

describe('parseIngressClass and parseIngressClassParams', () => {
  it('read the controller, the parameters, the default annotation and the group name', () => {
    assert.deepEqual(
      parseIngressClass({
        metadata: { name: 'alb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
        spec: { controller: LBC, parameters: PARAMS('p') },
      }),
      { namespace: '', name: 'alb', controller: LBC, parameters: PARAMS('p'), isDefault: true },
    );
    assert.deepEqual(
      parseIngressClassParams({ metadata: { name: 'p' }, spec: { group: { name: 'public' } } }),
      {
        namespace: '',
        name: 'p',
        groupName: 'public',
      },
    );
    assert.deepEqual(parseIngressClassParams({ metadata: { name: 'p' }, spec: { scheme: 'internal' } }), {
      namespace: '',
      name: 'p',
      groupName: undefined,
    });
  });

  const unusableClasses: [string, unknown][] = [
    ['no name', { metadata: {}, spec: { controller: LBC } }],
    ['no controller', { metadata: { name: 'alb' }, spec: {} }],
    [
      'parameters without a name',
      { metadata: { name: 'alb' }, spec: { controller: LBC, parameters: { kind: 'X' } } },
    ],
    [
      'an apiGroup that is not a string',
      { metadata: { name: 'alb' }, spec: { controller: LBC, parameters: { ...PARAMS('p'), apiGroup: 3 } } },
    ],
    [
      'annotations that are not strings',
      { metadata: { name: 'alb', annotations: { a: 1 } }, spec: { controller: LBC } },
    ],
  ];
  for (const [name, item] of unusableClasses) {
    it(`an IngressClass with ${name} is unusable`, () => assert.equal(parseIngressClass(item), undefined));
  }
  const unusableParams: [string, unknown][] = [
    ['no name', { metadata: {}, spec: {} }],
    ['a group name that is not a string', { metadata: { name: 'p' }, spec: { group: { name: 7 } } }],
    ['a group that is not an object', { metadata: { name: 'p' }, spec: { group: 'public' } }],
  ];
  for (const [name, item] of unusableParams) {
    it(`an IngressClassParams with ${name} is unusable`, () =>
      assert.equal(parseIngressClassParams(item), undefined));
  }
});
