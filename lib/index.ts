// The package's one entry point: it only re-exports what a CDK app uses.

export type { VpcLookup } from './app-context';
export { GATEWAY_READERS_GROUP, JANITOR_RUNTIME, NlbJanitor } from './nlb-janitor';
export type { ExistingReportTopic, NlbJanitorProps } from './nlb-janitor-props';
export { NlbJanitorStack, type NlbJanitorStackProps } from './nlb-janitor-stack';
export {
  MEMBER_PARAMETERS,
  MEMBER_ROLE_NAME_PREFIX,
  type MemberJanitorSettings,
  NlbJanitorMemberStack,
  type NlbJanitorMemberStackProps,
} from './organization/nlb-janitor-member-stack';
export {
  NlbJanitorOrganizationStack,
  type NlbJanitorOrganizationStackProps,
} from './organization/nlb-janitor-organization-stack';
export {
  addOrganizationStacks,
  type OrganizationStacks,
  type OrganizationStacksProps,
} from './organization/organization-app';
export {
  OrganizationCodeStack,
  type OrganizationCodeStackProps,
} from './organization/organization-code-stack';
export type { OrganizationProps } from './organization/organization-props';
