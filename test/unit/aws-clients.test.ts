import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AWS_REQUEST_TIMEOUTS, awsRequestHandler, createAwsClients } from '../../lambda/aws-clients';

type Request = Parameters<NodeHttpHandler['handle']>[0];

/** A local server: `/ok` answers at once, `/silent` never does. */
function startServer(): Promise<{ server: Server; request: (path: string) => Request }> {
  const server = createServer((req, res) => {
    if (req.url === '/ok') res.end('ok');
    // /silent: the request is left open until the server closes.
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const request = (path: string) =>
        ({
          protocol: 'http:',
          hostname: '127.0.0.1',
          port,
          method: 'GET',
          path,
          headers: {},
          query: {},
        }) as Request;
      resolve({ server, request });
    });
  });
}

describe('AWS clients', () => {
  let local: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    local = await startServer();
  });
  after(() => {
    local.server.closeAllConnections();
    local.server.close();
  });

  it('every client carries the connection and request timeouts', async () => {
    const clients = createAwsClients();
    for (const [name, client] of Object.entries({
      elbv2: clients.elbv2,
      eks: clients.eks,
      sns: clients.sns,
      dynamodb: clients.dynamodb,
      events: await clients.eventsFor('arn:aws:events:us-east-1:111111111111:event-bus/fleet'),
    })) {
      const handler = client.config.requestHandler;
      assert.ok(handler instanceof NodeHttpHandler, `${name} uses a NodeHttpHandler`);
      // The handler resolves its options on its first request; then they can be read back.
      const { response } = await handler.handle(local.request('/ok'));
      response.body.resume();
      const { connectionTimeout, requestTimeout, throwOnRequestTimeout, socketTimeout } =
        handler.httpHandlerConfigs();
      assert.deepEqual(
        { connectionTimeout, requestTimeout, throwOnRequestTimeout, socketTimeout },
        {
          connectionTimeout: 5_000,
          requestTimeout: 15_000,
          throwOnRequestTimeout: true,
          socketTimeout: 15_000,
        },
        name,
      );
      client.destroy();
    }
    assert.deepEqual(AWS_REQUEST_TIMEOUTS, { connectionTimeoutMs: 5_000, requestTimeoutMs: 15_000 });
  });

  it('a call that gets no answer fails with a TimeoutError instead of waiting', async () => {
    const handler = awsRequestHandler({ connectionTimeoutMs: 1_000, requestTimeoutMs: 200 });
    const started = Date.now();
    await assert.rejects(handler.handle(local.request('/silent')), { name: 'TimeoutError' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 5_000, `gave up after ${elapsed} ms`);
    handler.destroy();
  });
});
