/**
 * A small IAM policy evaluator for identity policies, for tests only: no real IAM runs
 * here and moto enforces none. It evaluates what the synthesized role's policies say,
 * following the IAM User Guide (reference_policies_evaluation-logic.html,
 * reference_policies_elements_condition.html, reference_policies_elements_condition_operators.html):
 * - an explicit Deny in any statement wins; otherwise an Allow is needed; otherwise denied;
 * - Action and NotAction match case-insensitively, with `*` and `?` wildcards;
 * - Resource and NotResource match ARNs case-sensitively, `*` and `?` within each
 *   colon-separated segment, the resource part as a whole;
 * - within a Condition every operator and every key must hold (AND), any of a key's
 *   values may match (OR);
 * - context key names are case-insensitive, and so is the tag key in
 *   `aws:ResourceTag/<key>` and `aws:RequestTag/<key>` ("the condition matches a resource
 *   tag key named TagKey1 or tagkey1, but not both"); values compare as the operator says;
 * - a missing key makes a condition false, but true for a negated operator
 *   (StringNotEquals…, ArnNotLike…) and for …IfExists; Null tests presence;
 * - ForAllValues holds when every request value matches (and for no values at all);
 *   ForAnyValue when at least one does.
 * What it does not know it refuses, so a test cannot pass by accident: an unknown
 * operator, a multi-valued key without a set qualifier, a tag key present in two cases,
 * a Principal (this is not a resource policy), an unresolvable intrinsic.
 */

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One API call as IAM sees it: who asks is the role; what, on what, with which context. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  /** The resource's tags: `aws:ResourceTag/<key>`. */
  readonly resourceTags?: Readonly<Record<string, string>>;
  /** Tags the request adds: `aws:RequestTag/<key>`, and their keys in `aws:TagKeys`. */
  readonly requestTags?: Readonly<Record<string, string>>;
  /** Tag keys the request names without values (RemoveTags, DeleteTags): `aws:TagKeys`. */
  readonly tagKeys?: readonly string[];
  /** Any other context key, by name: a string, a list (multi-valued) or a boolean. */
  readonly context?: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export type Decision =
  | { readonly decision: 'allowed'; readonly by: readonly string[] }
  | { readonly decision: 'explicit-deny'; readonly by: readonly string[] }
  | { readonly decision: 'implicit-deny' };

/** Evaluates one request against identity-policy statements (every policy of the role, merged). */
export function evaluate(statements: readonly PolicyStatement[], request: AuthorizationRequest): Decision {
  for (const statement of statements) {
    if ('Principal' in statement || 'NotPrincipal' in statement) {
      throw new Error(
        `statement ${statement.Sid ?? '?'} names a principal: this evaluates identity policies only`,
      );
    }
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      throw new Error(
        `statement ${statement.Sid ?? '?'}: unknown Effect ${JSON.stringify(statement.Effect)}`,
      );
    }
  }
  const context = requestContext(request);
  const applying = (effect: Effect) =>
    statements
      .map((statement, index) => ({ statement, name: statement.Sid ?? `#${index}` }))
      .filter(({ statement }) => statement.Effect === effect && applies(statement, request, context))
      .map(({ name }) => name);
  const denies = applying('Deny');
  if (denies.length > 0) return { decision: 'explicit-deny', by: denies };
  const allows = applying('Allow');
  if (allows.length > 0) return { decision: 'allowed', by: allows };
  return { decision: 'implicit-deny' };
}

/** True when the request is allowed. */
export function isAllowed(statements: readonly PolicyStatement[], request: AuthorizationRequest): boolean {
  return evaluate(statements, request).decision === 'allowed';
}

function applies(statement: PolicyStatement, request: AuthorizationRequest, context: Context): boolean {
  const matchesAction = (patterns: string | readonly string[]) =>
    list(patterns).some((pattern) => glob(pattern, 'i').test(request.action));
  if ((statement.Action === undefined) === (statement.NotAction === undefined)) {
    throw new Error(`statement ${statement.Sid ?? '?'} needs exactly one of Action and NotAction`);
  }
  const actionApplies =
    statement.Action !== undefined
      ? matchesAction(statement.Action)
      : !matchesAction(statement.NotAction ?? []);
  if (!actionApplies) return false;
  if (statement.Resource !== undefined) {
    if (!list(statement.Resource).some((pattern) => arnMatches(pattern, request.resource))) return false;
  } else if (statement.NotResource !== undefined) {
    if (list(statement.NotResource).some((pattern) => arnMatches(pattern, request.resource))) return false;
  } else {
    throw new Error(`statement ${statement.Sid ?? '?'} has no Resource`);
  }
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) =>
      conditionHolds(operator, key, list(values as never), context),
    ),
  );
}

// ---- the request context ----------------------------------------------------------

type ContextValue = { readonly values: readonly string[]; readonly multi: boolean };
/** Context keys by lower-cased name, as IAM compares names. */
type Context = ReadonlyMap<string, ContextValue>;

function requestContext(request: AuthorizationRequest): Context {
  const context = new Map<string, ContextValue>();
  const put = (name: string, value: ContextValue) => {
    const key = name.toLowerCase();
    if (context.has(key)) {
      // "matches a resource tag key named TagKey1 or tagkey1, but not both": which one IAM takes is not said.
      throw new Error(`the request holds ${name} in two cases: IAM's result is not defined for that`);
    }
    context.set(key, value);
  };
  for (const [key, value] of Object.entries(request.resourceTags ?? {})) {
    put(`aws:ResourceTag/${key}`, { values: [value], multi: false });
  }
  for (const [key, value] of Object.entries(request.requestTags ?? {})) {
    put(`aws:RequestTag/${key}`, { values: [value], multi: false });
  }
  const tagKeys = [...Object.keys(request.requestTags ?? {}), ...(request.tagKeys ?? [])];
  if (request.requestTags !== undefined || request.tagKeys !== undefined) {
    put('aws:TagKeys', { values: tagKeys, multi: true });
  }
  for (const [key, value] of Object.entries(request.context ?? {})) {
    put(
      key,
      typeof value === 'boolean'
        ? { values: [String(value)], multi: false }
        : Array.isArray(value)
          ? { values: value as string[], multi: true }
          : { values: [value as string], multi: false },
    );
  }
  return context;
}

// ---- conditions ---------------------------------------------------------------------

type Comparison = (policyValue: string, requestValue: string) => boolean;

const COMPARISONS: Readonly<Record<string, { readonly compare: Comparison; readonly negated: boolean }>> = {
  StringEquals: { compare: (p, r) => p === r, negated: false },
  StringNotEquals: { compare: (p, r) => p === r, negated: true },
  StringEqualsIgnoreCase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  StringLike: { compare: (p, r) => glob(p, '').test(r), negated: false },
  StringNotLike: { compare: (p, r) => glob(p, '').test(r), negated: true },
  ArnEquals: { compare: (p, r) => arnMatches(p, r), negated: false },
  ArnLike: { compare: (p, r) => arnMatches(p, r), negated: false },
  ArnNotEquals: { compare: (p, r) => arnMatches(p, r), negated: true },
  ArnNotLike: { compare: (p, r) => arnMatches(p, r), negated: true },
  Bool: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

function conditionHolds(
  operatorText: string,
  key: string,
  policyValues: readonly string[],
  context: Context,
): boolean {
  const found = context.get(key.toLowerCase());
  if (operatorText === 'Null') {
    const [expected, ...rest] = policyValues;
    if (rest.length > 0 || (expected !== 'true' && expected !== 'false')) {
      throw new Error(`Null on ${key} takes "true" or "false", not ${JSON.stringify(policyValues)}`);
    }
    // Null true: the key is absent (a multi-valued key with no values counts as absent).
    const absent = found === undefined || found.values.length === 0;
    return absent === (expected === 'true');
  }
  const qualifier = /^(ForAllValues|ForAnyValue):/.exec(operatorText)?.[1];
  const withoutQualifier = qualifier === undefined ? operatorText : operatorText.slice(qualifier.length + 1);
  const ifExists = withoutQualifier.endsWith('IfExists');
  const name = ifExists ? withoutQualifier.slice(0, -'IfExists'.length) : withoutQualifier;
  const operator = COMPARISONS[name];
  if (operator === undefined) throw new Error(`unknown condition operator ${operatorText}`);
  const matchesAny = (requestValue: string) =>
    policyValues.some((value) => operator.compare(value, requestValue));

  if (qualifier !== undefined) {
    const values = found?.values ?? [];
    if (qualifier === 'ForAllValues') {
      // True for no values at all: the reason policies pair it with Null false.
      return values.every((value) => (operator.negated ? !matchesAny(value) : matchesAny(value)));
    }
    if (values.length === 0) return false;
    return values.some((value) => (operator.negated ? !matchesAny(value) : matchesAny(value)));
  }
  if (found?.multi) {
    throw new Error(`${operatorText} on multi-valued ${key} needs ForAllValues: or ForAnyValue:`);
  }
  if (found === undefined) return ifExists || operator.negated;
  const [value = ''] = found.values;
  return operator.negated ? !matchesAny(value) : matchesAny(value);
}

// ---- matching -------------------------------------------------------------------------

function glob(pattern: string, flags: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}

/** An ARN against a policy's ARN pattern: each of the five leading segments on its own, the resource as a whole. */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const split = (text: string) => {
    const parts = text.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const want = split(pattern);
  const have = split(arn);
  if (want === undefined || have === undefined) return false;
  return want.every((segment, index) => glob(segment, '').test(have[index] ?? ''));
}

function list<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

// ---- templates ------------------------------------------------------------------------

/** What Ref and Fn::GetAtt resolve to: the pseudo parameters, and any logical ID a test names. */
export interface Intrinsics {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly refs?: Readonly<Record<string, string>>;
}

/**
 * A synthesized statement with its intrinsic functions resolved (Fn::Join of Refs to
 * AWS::Partition, AWS::Region, AWS::AccountId). A Ref or GetAtt of another resource
 * becomes `unresolved:<id>` unless the test names it, so it matches no real ARN.
 */
export function resolveStatement(statement: unknown, intrinsics: Intrinsics): PolicyStatement {
  return resolve(statement, intrinsics) as PolicyStatement;
}

function resolve(value: unknown, intrinsics: Intrinsics): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, intrinsics));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    const [name, argument] = first;
    switch (name) {
      case 'Ref': {
        const pseudo: Record<string, string> = {
          'AWS::Partition': intrinsics.partition,
          'AWS::Region': intrinsics.region,
          'AWS::AccountId': intrinsics.account,
          'AWS::URLSuffix': 'amazonaws.com',
        };
        const id = String(argument);
        return pseudo[id] ?? intrinsics.refs?.[id] ?? `unresolved:${id}`;
      }
      case 'Fn::GetAtt':
        return `unresolved:${(argument as string[]).join('.')}`;
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return parts.map((part) => String(resolve(part, intrinsics))).join(separator);
      }
      default:
        throw new Error(`cannot resolve ${name} in a policy`);
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item, intrinsics)]));
}
