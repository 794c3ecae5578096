import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
