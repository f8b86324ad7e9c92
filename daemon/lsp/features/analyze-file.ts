import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DocumentStore } from '../documents';
import type { AnalyzeFileParams, AnalyzeFileResult, CurrencyFormat } from '../protocol';
import { hintLabel } from './format';

/**
 * tollgate/analyzeFile: a command asks for a file's prompts, including a kind the settings skip
 * (Markdown). An open document stays opted in; a closed one is analysed once and forgotten.
 */

/** Opts an open document in, or analyses a closed one once from its text (or from disk). */
export async function analyzeFile(
  params: AnalyzeFileParams,
  documents: DocumentStore,
  currency: CurrencyFormat,
  /** Called for a document opened only for this request, once it is closed again. */
  closed: (uri: string) => void,
): Promise<AnalyzeFileResult> {
  let temporary = false;
  if (!documents.optIn(params.uri)) {
    const text = params.text ?? (params.uri.startsWith('file:') ? await readFile(fileURLToPath(params.uri), 'utf8') : '');
    documents.open({ textDocument: { uri: params.uri, languageId: '', version: 0, text } });
    documents.optIn(params.uri);
    temporary = true;
  }
  try {
    const analysed = await documents.analysed(params.uri);
    if (!analysed) return { uri: params.uri, prompts: [] };
    const { document, results } = analysed;
    const prompts = results.sites.map((site, index) => {
      const estimate = results.estimates[index];
      if (!estimate) throw new Error('estimate missing');
      return {
        range: { start: document.positionAt(site.span.start), end: document.positionAt(site.span.end) },
        label: hintLabel(estimate, currency),
        model: site.model.display,
        tokens: estimate.tokens,
        lowerBound: estimate.lowerBound,
        inputUsd: estimate.input.known ? estimate.input.costUsd : null,
      };
    });
    return { uri: params.uri, prompts };
  } finally {
    if (temporary) {
      documents.close(params.uri);
      closed(params.uri);
    }
  }
}
