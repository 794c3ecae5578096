import { type Environment, Stage } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { sweepIntervalOf } from './fleet-summaries';
import { type MemberJanitorSettings, NlbJanitorMemberStack } from './nlb-janitor-member-stack';
import { NlbJanitorOrganizationStack } from './nlb-janitor-organization-stack';
import { OrganizationCodeStack } from './organization-code-stack';
import type { OrganizationProps } from './organization-props';
import { validateOrganizationProps } from './organization-props';

export interface OrganizationStacksProps {
  readonly organization: OrganizationProps;
  /** What every member janitor shares (grace period, limits, schedule). */
  readonly janitor?: MemberJanitorSettings;
  /** The administrator account, and the region of its stack and of the central topic. */
  readonly env: Environment;
}

export interface OrganizationStacks {
  readonly administrator: NlbJanitorOrganizationStack;
  /** One per target region, in the administrator account: the code members of that region use. */
  readonly code: readonly OrganizationCodeStack[];
  readonly member: NlbJanitorMemberStack;
}

/**
 * Organization mode: the member template in a Stage of its own (`cdk deploy --all`
 * deploys only top-level stacks; the StackSet deploys the member), a code stack per
 * target region, and the administrator stack that depends on them.
 */
export function addOrganizationStacks(scope: Construct, props: OrganizationStacksProps): OrganizationStacks {
  validateOrganizationProps(props.organization);
  const code = props.organization.targetRegions.map(
    (region) =>
      new OrganizationCodeStack(scope, `NlbJanitorCode-${region}`, {
        env: { account: props.env.account, region },
        description: `nlb-janitor: the handler bundle organization members in ${region} run`,
        organizationId: props.organization.organizationId,
      }),
  );
  const codeKeys = new Set(code.map((stack) => stack.codeKey));
  const [codeKey] = codeKeys;
  if (codeKey === undefined || codeKeys.size !== 1) {
    throw new Error(`the handler bundle differs between regions: ${[...codeKeys].join(', ')}`);
  }

  const memberStage = new Stage(scope, 'NlbJanitorMember');
  const member = new NlbJanitorMemberStack(memberStage, 'NlbJanitorMember', {
    description: 'nlb-janitor: the janitor of one account and region, deployed by the organization StackSet',
    janitor: props.janitor,
  });
  // The member is synthesized first: the administrator's StackSet carries its template.
  const memberTemplate = memberStage.synth().getStackByName(member.stackName).template as unknown;

  const administrator = new NlbJanitorOrganizationStack(scope, 'NlbJanitorOrganization', {
    env: props.env,
    description: 'nlb-janitor: the organization StackSet, the central report topic and the fleet dashboard',
    organization: props.organization,
    memberTemplate,
    codeKey,
    memberSweepInterval: sweepIntervalOf(props.janitor?.schedule),
  });
  // The code must be in every region before a member is created there.
  for (const stack of code) administrator.addStackDependency(stack);
  return { administrator, code, member };
}
