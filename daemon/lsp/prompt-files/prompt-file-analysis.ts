import type { Analysis } from '../analyze/analysis';
import type { PromptSite } from '../analyze/site';
import { promptFileSites, type PromptFileKind } from './prompt-file';

/** Prompt files are small and have no syntax tree: each analysis reads the whole text again. */
export class PromptFileAnalysis implements Analysis {
  private cached: { source: string; defaultModel: string; sites: PromptSite[] } | undefined;

  constructor(private readonly kind: PromptFileKind) {}

  applyEdit(): void {
    this.cached = undefined;
  }

  step(): boolean {
    return true;
  }

  sites(source: string, defaultModel: string): PromptSite[] {
    if (this.cached?.source === source && this.cached.defaultModel === defaultModel) return this.cached.sites;
    const sites = promptFileSites(source, this.kind, defaultModel);
    this.cached = { source, defaultModel, sites };
    return sites;
  }

  dispose(): void {
    this.cached = undefined;
  }
}
