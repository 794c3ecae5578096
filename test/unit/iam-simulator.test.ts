import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AuthorizationRequest,
  type Decision,
  evaluate,
  type PolicyStatement,
  resolveStatement,
} from '../support/iam-simulator';

// The evaluator the role's tests trust (test/infrastructure/janitor-iam.test.ts), held to
// the IAM User Guide's rules one row at a time. Sources:
// - evaluation: reference_policies_evaluation-logic.html (explicit Deny wins, Allow needed);
// - names: reference_policies_elements_condition.html — "Context key names are not
//   case-sensitive", and for aws:ResourceTag/tag-key "the condition matches a resource tag
//   key named TagKey1 or tagkey1, but not both"; values compare as the operator says;
// - missing keys: reference_policies_elements_condition_operators.html — a missing key makes
//   a condition false, but true for StringNotLike/ArnNotLike-style negated operators;
// - sets: reference_policies_condition-single-vs-multi-valued-context-keys.html — ForAllValues
//   is true when the request has no values.

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-web/0123456789abcdef';
const LB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-shop-web/0123456789abcdef';
const TG_PATTERN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/*/*';

const allow = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Sid: 'Allow',
  Effect: 'Allow',
  Action: 'elasticloadbalancing:DeleteTargetGroup',
  Resource: TG_PATTERN,
  ...extra,
});
const request = (extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  action: 'elasticloadbalancing:DeleteTargetGroup',
  resource: TG,
  ...extra,
});
const withCondition = (Condition: PolicyStatement['Condition']) => [allow({ Condition })];

type Row = [string, readonly PolicyStatement[], AuthorizationRequest, Decision['decision']];

const rows: Row[] = [
  ['no statement: implicitly denied', [], request(), 'implicit-deny'],
  ['a matching Allow', [allow()], request(), 'allowed'],
  [
    'actions match in any case',
    [allow({ Action: 'ElasticLoadBalancing:deletetargetgroup' })],
    request(),
    'allowed',
  ],
  ['an action wildcard', [allow({ Action: 'elasticloadbalancing:Delete*' })], request(), 'allowed'],
  [
    'an action wildcard does not reach another verb',
    [allow({ Action: 'elasticloadbalancing:Delete*' })],
    request({ action: 'elasticloadbalancing:AddTags' }),
    'implicit-deny',
  ],
  [
    '? stands for one character',
    [allow({ Action: 'elasticloadbalancing:DeleteTargetGrou?' })],
    request(),
    'allowed',
  ],
  [
    'NotAction allows everything else',
    [{ Effect: 'Allow', NotAction: 'elasticloadbalancing:DeleteLoadBalancer', Resource: '*' }],
    request(),
    'allowed',
  ],
  [
    'NotAction leaves out what it names',
    [{ Effect: 'Allow', NotAction: 'elasticloadbalancing:Delete*', Resource: '*' }],
    request(),
    'implicit-deny',
  ],
  ['a resource outside the pattern', [allow()], request({ resource: LB }), 'implicit-deny'],
  [
    'resources match case-sensitively',
    [allow({ Resource: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:TargetGroup/*/*' })],
    request(),
    'implicit-deny',
  ],
  [
    'a wildcard in one ARN segment does not reach across a colon',
    [allow({ Resource: 'arn:aws:elasticloadbalancing:eu-west-1:*:targetgroup/*/*' })],
    request({ resource: TG.replace('123456789012', '210987654321') }),
    'allowed',
  ],
  [
    'another account is another ARN',
    [allow()],
    request({ resource: TG.replace('123456789012', '210987654321') }),
    'implicit-deny',
  ],
  ['Resource * is everything', [allow({ Resource: '*' })], request({ resource: LB }), 'allowed'],
  [
    'an explicit Deny wins over an Allow',
    [allow(), { Sid: 'Deny', Effect: 'Deny', Action: 'elasticloadbalancing:*', Resource: '*' }],
    request(),
    'explicit-deny',
  ],
  [
    'a Deny that does not apply leaves the Allow',
    [allow(), { Effect: 'Deny', Action: 'elasticloadbalancing:DeleteLoadBalancer', Resource: '*' }],
    request(),
    'allowed',
  ],
  [
    'Null false: the tag is there',
    withCondition({ Null: { 'aws:ResourceTag/nlb-janitor/suspect-since': 'false' } }),
    request({ resourceTags: { 'nlb-janitor/suspect-since': '2026-12-01T00:00:00Z' } }),
    'allowed',
  ],
  [
    'Null false: the tag is missing',
    withCondition({ Null: { 'aws:ResourceTag/nlb-janitor/suspect-since': 'false' } }),
    request({ resourceTags: { 'elbv2.k8s.aws/cluster': 'prod' } }),
    'implicit-deny',
  ],
  [
    'Null true: the tag is missing',
    withCondition({ Null: { 'aws:ResourceTag/nlb-janitor/ignore': 'true' } }),
    request(),
    'allowed',
  ],
  [
    "the keys of one operator are ANDed: one of two tags isn't enough",
    withCondition({
      Null: {
        'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false',
        'aws:ResourceTag/nlb-janitor/suspect-since': 'false',
      },
    }),
    request({ resourceTags: { 'elbv2.k8s.aws/cluster': 'prod' } }),
    'implicit-deny',
  ],
  [
    'operators are ANDed too',
    withCondition({
      Null: { 'aws:ResourceTag/owner': 'false' },
      StringEquals: { 'aws:ResourceTag/owner': 'team-a' },
    }),
    request({ resourceTags: { owner: 'team-b' } }),
    'implicit-deny',
  ],
  [
    "a key's values are ORed",
    withCondition({ StringEquals: { 'aws:ResourceTag/owner': ['team-a', 'team-b'] } }),
    request({ resourceTags: { owner: 'team-b' } }),
    'allowed',
  ],
  [
    'the tag key of aws:ResourceTag matches in any case',
    withCondition({ Null: { 'aws:ResourceTag/nlb-janitor/ignore': 'false' } }),
    request({ resourceTags: { 'Nlb-Janitor/Ignore': 'true' } }),
    'allowed',
  ],
  [
    'the context key name matches in any case',
    withCondition({ StringEquals: { 'AWS:resourcetag/Owner': 'team-a' } }),
    request({ resourceTags: { owner: 'team-a' } }),
    'allowed',
  ],
  [
    'the tag value is case-sensitive for StringEquals',
    withCondition({ StringEquals: { 'aws:ResourceTag/nlb-janitor/ignore': 'true' } }),
    request({ resourceTags: { 'nlb-janitor/ignore': 'True' } }),
    'implicit-deny',
  ],
  [
    'and not for StringEqualsIgnoreCase',
    withCondition({ StringEqualsIgnoreCase: { 'aws:ResourceTag/nlb-janitor/ignore': 'true' } }),
    request({ resourceTags: { 'nlb-janitor/ignore': 'True' } }),
    'allowed',
  ],
  [
    'StringNotEquals holds on another value',
    withCondition({ StringNotEquals: { 'aws:ResourceTag/owner': 'team-a' } }),
    request({ resourceTags: { owner: 'team-b' } }),
    'allowed',
  ],
  [
    'StringNotEquals fails on the value',
    withCondition({ StringNotEquals: { 'aws:ResourceTag/owner': 'team-a' } }),
    request({ resourceTags: { owner: 'team-a' } }),
    'implicit-deny',
  ],
  [
    'a negated operator holds when the key is missing',
    withCondition({ StringNotEqualsIgnoreCase: { 'aws:ResourceTag/nlb-janitor/ignore': 'false' } }),
    request(),
    'allowed',
  ],
  [
    'a positive operator fails when the key is missing',
    withCondition({ StringEquals: { 'aws:ResourceTag/owner': 'team-a' } }),
    request(),
    'implicit-deny',
  ],
  [
    '…IfExists holds when the key is missing',
    withCondition({ StringEqualsIfExists: { 'aws:ResourceTag/owner': 'team-a' } }),
    request(),
    'allowed',
  ],
  [
    'StringLike with a wildcard',
    withCondition({ StringLike: { 'aws:ResourceTag/owner': 'team-*' } }),
    request({ resourceTags: { owner: 'team-b' } }),
    'allowed',
  ],
  [
    'StringLike is case-sensitive',
    withCondition({ StringLike: { 'aws:ResourceTag/owner': 'team-*' } }),
    request({ resourceTags: { owner: 'Team-b' } }),
    'implicit-deny',
  ],
  [
    'ForAllValues: every tag key in the set',
    withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }),
    request({ action: 'elasticloadbalancing:DeleteTargetGroup', requestTags: { a: '1', b: '2' } }),
    'allowed',
  ],
  [
    'ForAllValues: one tag key outside the set',
    withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }),
    request({ requestTags: { a: '1', c: '3' } }),
    'implicit-deny',
  ],
  [
    'ForAllValues holds for a request without tag keys (why policies add Null false)',
    withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }),
    request(),
    'allowed',
  ],
  [
    '…and Null false then refuses it',
    withCondition({
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] },
      Null: { 'aws:TagKeys': 'false' },
    }),
    request(),
    'implicit-deny',
  ],
  [
    'ForAllValues compares tag keys case-sensitively (they are values here)',
    withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['nlb-janitor/reason'] } }),
    request({ tagKeys: ['Nlb-Janitor/Reason'] }),
    'implicit-deny',
  ],
  [
    'ForAllValues:StringLike with a prefix',
    withCondition({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['nlb-janitor/said/*'] } }),
    request({ tagKeys: ['nlb-janitor/said/a', 'nlb-janitor/said/b'] }),
    'allowed',
  ],
  [
    'ForAnyValue: one tag key in the set',
    withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }),
    request({ requestTags: { a: '1', c: '3' } }),
    'allowed',
  ],
  [
    'ForAnyValue fails for a request without tag keys',
    withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }),
    request(),
    'implicit-deny',
  ],
  [
    'aws:RequestTag by key, in any case',
    withCondition({ StringEquals: { 'aws:RequestTag/Owner': 'team-a' } }),
    request({ requestTags: { owner: 'team-a' } }),
    'allowed',
  ],
  [
    'ArnLike on a context key',
    withCondition({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } }),
    request({ context: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:report' } }),
    'allowed',
  ],
  [
    'ArnLike does not match another account',
    withCondition({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } }),
    request({ context: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:210987654321:report' } }),
    'implicit-deny',
  ],
  [
    'Bool',
    withCondition({ Bool: { 'aws:SecureTransport': 'false' } }),
    request({ context: { 'aws:SecureTransport': true } }),
    'implicit-deny',
  ],
  [
    'Bool, matching',
    withCondition({ Bool: { 'aws:SecureTransport': 'true' } }),
    request({ context: { 'aws:SecureTransport': true } }),
    'allowed',
  ],
];

describe('the IAM evaluator for tests', () => {
  for (const [name, statements, input, expected] of rows) {
    it(`${name}: ${expected}`, () => {
      assert.equal(evaluate(statements, input).decision, expected);
    });
  }

  it('names the statements that decided', () => {
    const deny: PolicyStatement = { Sid: 'NeverDeleteIgnored', Effect: 'Deny', Action: '*', Resource: '*' };
    assert.deepEqual(evaluate([allow(), deny], request()), {
      decision: 'explicit-deny',
      by: ['NeverDeleteIgnored'],
    });
    assert.deepEqual(evaluate([allow()], request()), { decision: 'allowed', by: ['Allow'] });
  });

  const refusals: [string, readonly PolicyStatement[], AuthorizationRequest, RegExp][] = [
    [
      'an unknown operator',
      withCondition({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }),
      request(),
      /unknown condition operator NumericLessThan/,
    ],
    [
      'a misspelt operator',
      withCondition({ StringEqual: { 'aws:ResourceTag/a': 'b' } }),
      request(),
      /unknown condition operator StringEqual/,
    ],
    [
      'a multi-valued key without a set qualifier',
      withCondition({ StringEquals: { 'aws:TagKeys': 'a' } }),
      request({ tagKeys: ['a'] }),
      /needs ForAllValues: or ForAnyValue:/,
    ],
    [
      'a tag key present in two cases (IAM does not say which it takes)',
      [allow()],
      request({ resourceTags: { 'nlb-janitor/ignore': 'true', 'Nlb-Janitor/Ignore': 'false' } }),
      /in two cases/,
    ],
    [
      'a principal (a resource policy)',
      [{ ...allow(), Principal: { AWS: '*' } } as PolicyStatement],
      request(),
      /names a principal/,
    ],
    [
      'a Null that is neither true nor false',
      withCondition({ Null: { 'aws:ResourceTag/a': 'yes' } }),
      request(),
      /Null/,
    ],
  ];
  for (const [name, statements, input, message] of refusals) {
    it(`refuses to guess: ${name}`, () => {
      assert.throws(() => evaluate(statements, input), message);
    });
  }

  it("resolves a template's Fn::Join of pseudo parameters, and leaves other references unmatched", () => {
    const resolved = resolveStatement(
      {
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':sns:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':t',
              ],
            ],
          },
          { Ref: 'Topic' },
        ],
      },
      { partition: 'aws', region: 'eu-west-1', account: '123456789012' },
    );
    assert.deepEqual(resolved.Resource, ['arn:aws:sns:eu-west-1:123456789012:t', 'unresolved:Topic']);
    assert.throws(
      () =>
        resolveStatement(
          { Resource: { 'Fn::ImportValue': 'x' } },
          { partition: 'aws', region: 'r', account: 'a' },
        ),
      /cannot resolve Fn::ImportValue/,
    );
  });
});
