import { el, replaceChildren } from './dom';
import type { GatewayView, WebviewToExtension } from './messages';

/**
 * What to do first when the gateway has logged no call yet: point an SDK at it. The token is not
 * shown here; "Copy environment" puts the whole environment on the clipboard.
 */
export class EmptyState {
  readonly element = el('section', { id: 'empty', class: 'empty', attrs: { 'aria-label': 'Getting started' } });

  constructor(private readonly send: (message: WebviewToExtension) => void) {}

  render(gateway: GatewayView, hasCalls: boolean): void {
    this.element.hidden = hasCalls || gateway.kind !== 'up';
    if (this.element.hidden || gateway.kind !== 'up') return;
    const copy = el('button', { text: 'Copy environment', title: 'Tollgate: Copy Environment for Terminal' });
    copy.addEventListener('click', () => this.send({ type: 'run', command: 'tollgate.copyEnvironment' }));
    replaceChildren(this.element, [
      el('h2', { text: 'No calls yet' }),
      el('p', { text: `The gateway listens on ${gateway.url}. Send your SDK there: copy the environment into a terminal, or set the base URL in code.` }),
      copy,
      el('pre', { text: `OPENAI_BASE_URL=${gateway.url}/v1\nANTHROPIC_BASE_URL=${gateway.url}` }),
      el('pre', { text: `new OpenAI({ baseURL: '${gateway.url}/v1' })` }),
    ]);
  }
}
