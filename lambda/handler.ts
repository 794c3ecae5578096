import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from './aws-clients';
import { createSweepHandler } from './sweep-handler';

// Module scope: clients and logger are reused across warm invocations.
export const handler = createSweepHandler({
  env: process.env,
  clients: createAwsClients(),
  logger: new Logger({ serviceName: 'nlb-janitor' }),
});
