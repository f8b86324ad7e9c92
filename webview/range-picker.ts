import { el } from './dom';
import { RANGES, type RangeName, type WebviewToExtension } from './messages';

/** The range buttons: one pressed at a time; picking one asks the extension for that range's figures. */
export class RangePicker {
  readonly element = el('div', { class: 'range-picker', attrs: { role: 'group', 'aria-label': 'Range' } });
  private readonly buttons = new Map<RangeName, HTMLButtonElement>();

  constructor(onPick: (range: RangeName) => void, send: (message: WebviewToExtension) => void) {
    for (const range of Object.keys(RANGES) as RangeName[]) {
      const button = el('button', { text: range, title: `The last ${range}` });
      button.addEventListener('click', () => {
        onPick(range);
        send({ type: 'range', range });
      });
      this.buttons.set(range, button);
      this.element.append(button);
    }
  }

  render(picked: RangeName): void {
    for (const [range, button] of this.buttons) button.setAttribute('aria-pressed', String(range === picked));
  }
}
