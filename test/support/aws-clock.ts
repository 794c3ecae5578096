import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

interface DatedHandler {
  handle(request: unknown, options?: unknown): Promise<{ response: { headers: Record<string, string> } }>;
}

/**
 * Makes the client's answers carry `clock`'s time in their `Date` header, as if
 * AWS's clock moved with the scenario: for tests that step a sweep days ahead
 * (a promise coming due) rather than backdating its tags. The janitor's clock
 * check compares the host clock with that header (lambda/sweep/clock-check.ts),
 * and moto answers with the real time. Returns what undoes it; the world is
 * shared by the tests of a file, so undo it in `finally`.
 */
export function awsAnswersAt(client: ElasticLoadBalancingV2Client, clock: () => Date): () => void {
  const handler = client.config.requestHandler as unknown as DatedHandler;
  const original = handler.handle.bind(handler);
  handler.handle = async (request, options) => {
    const answer = await original(request, options);
    answer.response.headers.date = clock().toUTCString();
    return answer;
  };
  return () => {
    handler.handle = original;
  };
}
