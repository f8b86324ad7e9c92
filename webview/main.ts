import 'uplot/dist/uPlot.min.css';
import './panel.css';
import type { ExtensionToWebview, WebviewToExtension } from './messages';
import { PanelView, type PanelState } from './view';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * The usage panel's entry. State survives the view being hidden and shown (getState/setState),
 * so it paints at once from the last figures, then asks the extension for fresh ones.
 */
const vscode = acquireVsCodeApi();
let state: PanelState = vscode.getState() ?? { gateway: { kind: 'starting' }, live: [] };
const view = new PanelView(
  document.getElementById('app')!,
  (message) => vscode.postMessage(message),
  (range) => {
    update({ ...state, range });
    vscode.postMessage({ type: 'calls', filter: state.filter ?? {} });
  },
  (filter) => update({ ...state, filter }),
);
view.render(state);

function update(next: PanelState): void {
  state = next;
  vscode.setState(state);
  view.render(state);
}

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  update(reduce(state, event.data));
  // A filter picked outside the panel (a CodeLens click): read its calls.
  if (event.data.type === 'filter') vscode.postMessage({ type: 'calls', filter: event.data.filter });
});
vscode.postMessage({ type: 'ready' });
// The extension starts at 24 hours; a range picked before the view was hidden is asked for again.
if (state.range) vscode.postMessage({ type: 'range', range: state.range });
vscode.postMessage({ type: 'calls', filter: state.filter ?? {} });

function reduce(current: PanelState, message: ExtensionToWebview): PanelState {
  switch (message.type) {
    case 'snapshot':
      // The snapshot's recent list includes what the live feed brought before it.
      return { ...current, snapshot: message.snapshot, currency: message.currency, live: current.live.filter((r) => r.ts > message.snapshot.at) };
    case 'request':
      return { ...current, live: [message.request, ...current.live].slice(0, 25) };
    case 'gateway':
      return { ...current, gateway: message.gateway };
    case 'filter':
      return { ...current, filter: message.filter, calls: undefined };
    case 'range':
      return { ...current, rangeData: message.data };
    case 'calls': {
      const page = message.page;
      // A page of another range or filter (an answer still in flight) is dropped.
      if (page.range !== (current.range ?? '24h') || JSON.stringify(page.filter) !== JSON.stringify(current.filter ?? {})) return current;
      const earlier = page.append && current.calls ? current.calls.requests : [];
      return { ...current, calls: { ...page, requests: [...earlier, ...page.requests] } };
    }
    default:
      return current;
  }
}
