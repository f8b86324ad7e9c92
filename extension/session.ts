import type { GatewayConnection, GatewaySupervisor } from './daemon';
import type { HintsClient } from './hints-client';
import { LiveFeed } from './live-feed';
import type { UsagePanel } from './panel';
import { Scope } from './scope';
import type { ProviderKeys } from './secrets';
import type { UsageModel } from './usage';

export interface SessionDeps {
  supervisor: GatewaySupervisor;
  keys: ProviderKeys;
  usage: UsageModel;
  panel: UsagePanel;
  hints: HintsClient;
}

/**
 * Everything that lives as long as one gateway: its live feed and what listens to it. Created
 * when a gateway (first, or restarted) connects; disposed when the next one does. A fresh gateway
 * holds no pushed keys, so they are pushed again here.
 */
export function startGatewaySession(connection: GatewayConnection, deps: SessionDeps): Scope {
  const scope = new Scope();
  const live = scope.push(new LiveFeed(connection.api, () => void deps.supervisor.check()));
  scope.push(
    live.onRequest((request) => {
      deps.usage.noteRequest(request);
      deps.panel.relayRequest(request);
      deps.hints.requestLogged();
    }),
  );
  void deps.keys.pushAll(connection.api);
  deps.hints.setGateway({ port: connection.state.port, token: connection.state.token });
  deps.usage.setGateway(connection.api);
  return scope;
}
