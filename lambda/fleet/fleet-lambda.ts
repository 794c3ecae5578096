import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { awsRequestHandler } from '../aws-clients';
import { createFleetHandler, FLEET_METRICS_NAMESPACE, readFleetConfig } from './fleet-handler';
import { FleetStore } from './fleet-store';

// Module scope: clients and logger are reused across warm invocations.
const ddb = new DynamoDBClient({ maxAttempts: 5, requestHandler: awsRequestHandler() });

export const handler = createFleetHandler({
  config: () => readFleetConfig(process.env),
  store: (config) => new FleetStore(ddb, config.tableName),
  sns: new SNSClient({ maxAttempts: 5, requestHandler: awsRequestHandler() }),
  metrics: new Metrics({ namespace: FLEET_METRICS_NAMESPACE, serviceName: 'nlb-janitor-fleet' }),
  clock: () => new Date(),
  logger: new Logger({ serviceName: 'nlb-janitor-fleet' }),
});
