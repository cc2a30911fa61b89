import { randomUUID } from 'node:crypto';
import type { Destination } from './destination-store.js';
import type { CallContext, HandlerTable } from './handler.js';
import { ErrorReply, invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Notifications API v1 destinations. These calls are grantless: the destinations belong to the
 * application (client id), not to a seller.
 */

const SQS_ARN = /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(?:\.fifo)?$/;

function getDestinations(ctx: CallContext): Reply {
  return { status: 200, body: { payload: ctx.state.destinations.list(ctx.caller.clientId) } };
}

function createDestination(ctx: CallContext): Reply {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  const { name, resourceSpecification } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') throw invalidInput('name is required.');
  if (typeof resourceSpecification !== 'object' || resourceSpecification === null) throw invalidInput('resourceSpecification is required.');
  const { sqs, eventBridge } = resourceSpecification as Record<string, unknown>;
  if ((sqs === undefined) === (eventBridge === undefined)) throw invalidInput('resourceSpecification needs exactly one of sqs and eventBridge.');
  let resource: Destination['resource'];
  if (sqs !== undefined) {
    const arn = (sqs as Record<string, unknown> | null)?.['arn'];
    if (typeof arn !== 'string' || !SQS_ARN.test(arn)) throw invalidInput('sqs.arn must be an SQS queue ARN.');
    resource = { sqs: { arn } };
  } else {
    const spec = (eventBridge ?? {}) as Record<string, unknown>;
    const { region, accountId } = spec;
    if (typeof region !== 'string' || typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) {
      throw invalidInput('eventBridge needs a region and a 12-digit accountId.');
    }
    resource = { eventBridge: { name: `aws.partner/sellingpartnerapi.amazon.com/${accountId}/${name}`, region, accountId } };
  }
  const list = ctx.state.destinations.list(ctx.caller.clientId);
  const key = JSON.stringify(resource);
  if (list.some((d) => JSON.stringify(d.resource) === key)) throw new ErrorReply(409, 'Conflict', 'A destination for this resource already exists.');
  const destination: Destination = { destinationId: randomUUID(), name, resource };
  list.push(destination);
  return { status: 200, body: { payload: destination } };
}

function findDestination(ctx: CallContext): { list: Destination[]; index: number } {
  const list = ctx.state.destinations.list(ctx.caller.clientId);
  const id = ctx.pathParams['destinationId'] ?? '';
  const index = list.findIndex((d) => d.destinationId === id);
  if (index < 0) throw notFound(`Destination ${id} was not found.`);
  return { list, index };
}

function getDestination(ctx: CallContext): Reply {
  const { list, index } = findDestination(ctx);
  return { status: 200, body: { payload: list[index] } };
}

function deleteDestination(ctx: CallContext): Reply {
  const { list, index } = findDestination(ctx);
  list.splice(index, 1);
  return { status: 200, body: {} };
}

export const notificationsHandlers: HandlerTable = {
  'notifications.getDestinations': getDestinations,
  'notifications.createDestination': createDestination,
  'notifications.getDestination': getDestination,
  'notifications.deleteDestination': deleteDestination,
};
