import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { NlbJanitor, type NlbJanitorProps } from './nlb-janitor';

/** One janitor per account and region. */
export class NlbJanitorStack extends Stack {
  public readonly janitor: NlbJanitor;

  constructor(scope: Construct, id: string, props: StackProps & { janitor: NlbJanitorProps }) {
    super(scope, id, props);
    this.janitor = new NlbJanitor(this, 'Janitor', props.janitor);
  }
}
