import type { CallContext, HandlerTable } from './handler.js';
import { invalidInput, type Reply } from './replies.js';

/*
 * Application Management 2023-11-30. rotateApplicationClientSecret is grantless (scope
 * sellingpartnerapi::client_credential:rotation, checked by the router) and answers 204 with no
 * secret: Amazon delivers the new one to the app's SQS queue (spapi-facts §7). The emulator records
 * the request per app so tests can see it happened; the app's secret itself stays the same.
 */

function rotateApplicationClientSecret(ctx: CallContext): Reply {
  const app = ctx.state.options.apps.find((a) => a.clientId === ctx.caller.clientId);
  if (app?.rotationQueue === false) {
    throw invalidInput('Application is not enrolled for rotation notification. Register an SQS queue for the APPLICATION_OAUTH_CLIENT_NEW_SECRET notification first.');
  }
  ctx.state.rotationRequests.set(ctx.caller.clientId, (ctx.state.rotationRequests.get(ctx.caller.clientId) ?? 0) + 1);
  return { status: 204 };
}

export const applicationHandlers: HandlerTable = {
  'application_2023-11-30.rotateApplicationClientSecret': rotateApplicationClientSecret,
};
