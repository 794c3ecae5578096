import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NlbJanitor, type NlbJanitorProps } from '../../lib/nlb-janitor';

export const ENV = { account: '123456789012', region: 'eu-west-1' };

/** A stack holding one janitor, and its template. */
export function synthJanitor(
  props: Partial<NlbJanitorProps> = {},
  configure?: (stack: Stack) => Partial<NlbJanitorProps>,
) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: ENV });
  const janitor = new NlbJanitor(stack, 'Janitor', {
    clusters: ['prod', 'staging'],
    ...props,
    ...configure?.(stack),
  });
  return { app, stack, janitor, template: Template.fromStack(stack) };
}

/**
 * Every statement of the janitor role's own policies: its default policy and, when that
 * outgrows IAM's inline size, the managed policies CDK splits the rest into
 * (`OverflowPolicy<n>`, attached to the role only).
 */
export function janitorRoleStatements(template: Template): Record<string, unknown>[] {
  const attached = { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^JanitorRole[0-9A-F]') }] } };
  return [
    ...Object.values(template.findResources('AWS::IAM::Policy', attached)),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy', attached)),
  ].flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}
