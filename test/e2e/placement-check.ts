import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './tools';

/**
 * Every Tollgate hint is where the user can see it without scrolling: inside the editor's visible
 * area. The fixture's onboardingPrompt is one line wider than the editor, so a hint placed at the
 * end of its line (where hints went before) would be out of view; the check first proves that the
 * line really is wider than the editor, so that it could fail.
 */
export async function hintsInView(page: Page, suiteHints: string[] | undefined): Promise<string> {
  if (!suiteHints) throw new Error('the suite read no hints');
  const editor = await page.locator('.editor-instance .overflow-guard').first().boundingBox();
  if (!editor) throw new Error('no editor on the page');
  const longLine = page.locator('.editor-instance .view-line', { hasText: 'export const onboardingPrompt' }).first();
  await longLine.waitFor({ timeout: 30_000 });
  // The line's last piece of code (its closing quote and semicolon) lies beyond the editor's right edge.
  const lineEnd = await longLine.locator('span span').last().boundingBox();
  const editorRight = editor.x + editor.width;
  if (!lineEnd || lineEnd.x + lineEnd.width <= editorRight) throw new Error(`the long line is not wider than the editor (ends at ${lineEnd ? lineEnd.x + lineEnd.width : '?'}, editor ends at ${editorRight})`);
  const placed: string[] = [];
  for (const label of suiteHints) {
    // The innermost span with the label's text is the hint (the DOM writes spaces as U+00A0).
    const pattern = new RegExp(label.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0]'));
    const hint = page.locator('.editor-instance .view-line span:not(:has(span))', { hasText: pattern }).first();
    await hint.waitFor({ timeout: 30_000 });
    const box = await hint.boundingBox();
    if (!box) throw new Error(`hint "${label}" has no box`);
    const inside = box.x >= editor.x && box.x + box.width <= editorRight && box.y >= editor.y && box.y + box.height <= editor.y + editor.height;
    if (!inside) {
      await page.screenshot({ path: join(ARTIFACTS, 'hint-out-of-view.png') });
      throw new Error(`hint "${label}" at x ${Math.round(box.x)}-${Math.round(box.x + box.width)}, outside the editor (x ${Math.round(editor.x)}-${Math.round(editorRight)})`);
    }
    placed.push(`${Math.round(box.x)}-${Math.round(box.x + box.width)}`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'hints-in-view.png') });
  return `${suiteHints.length} hints inside x ${Math.round(editor.x)}-${Math.round(editorRight)} (${placed.join(', ')}); the long line runs to x ${Math.round(lineEnd.x + lineEnd.width)}`;
}
