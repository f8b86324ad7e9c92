/**
 * Guards against pathological input. The hint server runs inside the editor's process tree and
 * must stay responsive on generated files, minified bundles and giant string literals: every
 * cap below trades completeness for a bounded amount of work, and every cut is shown as an
 * unknown span (a lower bound), never silently dropped.
 */

/** Documents longer than this are not analysed at all (a 20 MB bundle is not where prompts live). */
export const MAX_DOCUMENT_CHARS = 2_000_000;

/** Text considered per prompt; the rest is an unknown span ("≥"). */
export const MAX_PROMPT_CHARS = 200_000;

/** Prompt sites reported per file (inlay hints, lenses); extra ones are ignored. */
export const MAX_SITES_PER_FILE = 2_000;

/** String constants remembered per file for resolving identifiers. */
export const MAX_BINDINGS_PER_FILE = 20_000;

/** Syntax nodes visited when reading one value (an options object, a messages array). */
export const MAX_VALUE_NODES = 4_000;

/** Nesting followed when reading values and resolving constants (one level is the minimum). */
export const MAX_VALUE_DEPTH = 12;
export const MAX_RESOLVE_DEPTH = 4;

/**
 * Work is done in slices of this many milliseconds; between slices the server yields to the
 * event loop so requests and cancellations are handled even while a huge file is parsed.
 */
export const SLICE_MS = 12;

/** Rows queried per slice on a full-file scan. */
export const ROWS_PER_QUERY_SLICE = 2_500;
