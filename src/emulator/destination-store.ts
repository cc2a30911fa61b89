/** A Notifications API destination as createDestination stored it. */
export interface Destination {
  destinationId: string;
  name: string;
  resource: { sqs: { arn: string } } | { eventBridge: { name: string; region: string; accountId: string } };
}

/** Destinations per application (client id): they belong to the app, not to a seller. */
export class DestinationStore {
  private readonly byApp = new Map<string, Destination[]>();

  list(clientId: string): Destination[] {
    let list = this.byApp.get(clientId);
    if (!list) {
      list = [];
      this.byApp.set(clientId, list);
    }
    return list;
  }
}
