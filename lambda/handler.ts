import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAwsClients } from './aws-clients';
import { METRICS_NAMESPACE } from './report/sweep-metrics';
import { createSweepHandler } from './sweep-handler';

// Module scope: clients and logger are reused across warm invocations.
export const handler = createSweepHandler({
  env: process.env,
  clients: createAwsClients(),
  logger: new Logger({ serviceName: 'nlb-janitor' }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'nlb-janitor' }),
});
