import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InlayHint, Position } from 'vscode-languageserver-protocol';
import { expectedLabel, markerPosition } from './helpers/expected';
import { FIXTURE_PROMPTS } from './helpers/fixture-prompts';
import { FIXTURES, labelOf, startTestServer, type TestServer } from './helpers/lsp-client';

/**
 * Incremental sync: didChange with ranges updates the server's tree and re-reads only what the
 * edit touched. The hints must change exactly where the text changed, move with the text
 * elsewhere, and always equal what a fresh analysis of the same text gives.
 */

type Hint = { position: Position; label: string };

function simplify(hints: InlayHint[]): Hint[] {
  return hints
    .map((hint) => ({ position: hint.position, label: labelOf(hint) }))
    .sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/** A document the test edits in step with the server, to send ranges and compute positions. */
class EditedDocument {
  readonly document: TextDocument;
  constructor(
    private readonly server: TestServer,
    readonly uri: string,
    text: string,
  ) {
    this.document = TextDocument.create(uri, 'typescript', 1, text);
  }

  get text(): string {
    return this.document.getText();
  }

  /** Replaces [start, end) (offsets) with `text`, on both sides. */
  async replace(start: number, end: number, text: string): Promise<void> {
    const range = { start: this.document.positionAt(start), end: this.document.positionAt(end) };
    const version = this.document.version + 1;
    TextDocument.update(this.document, [{ range, text }], version);
    await this.server.change(this.uri, version, [{ range, text }]);
  }

  async insertAfter(anchor: string, text: string): Promise<void> {
    const at = this.text.indexOf(anchor);
    assert.ok(at >= 0, anchor);
    await this.replace(at + anchor.length, at + anchor.length, text);
  }
}

function chatLiteral(extra: string) {
  const prompt = FIXTURE_PROMPTS['openai.ts']?.prompts.find((candidate) => candidate.id === 'chat-literal');
  assert.ok(prompt);
  return { ...prompt, messages: prompt.messages.map((message) => (message.role === 'user' ? { ...message, content: message.content + extra } : message)) };
}

describe('hint server: incremental edits', function () {
  this.timeout(120_000);
  let server: TestServer;
  const original = readFileSync(join(FIXTURES, 'openai.ts'), 'utf8');

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('an edit inside one prompt changes that hint only', async () => {
    const uri = 'file:///edits/one-prompt.ts';
    await server.open(uri, 'typescript', original);
    const doc = new EditedDocument(server, uri, original);
    const before = simplify(await server.inlayHints(uri));
    await doc.insertAfter('Make it calm.', ' Rhyme it, please.');
    const after = simplify(await server.inlayHints(uri));

    const at = markerPosition(original, 'chat-literal');
    const changed = after.filter((hint, index) => JSON.stringify(hint) !== JSON.stringify(before[index]));
    assert.deepEqual(changed, [{ position: at, label: expectedLabel(chatLiteral(' Rhyme it, please.')) }]);
    assert.equal(after.length, before.length);
    await server.close(uri);
  });

  it('a line inserted above moves every hint down one line, labels unchanged', async () => {
    const uri = 'file:///edits/shift.ts';
    await server.open(uri, 'typescript', original);
    const doc = new EditedDocument(server, uri, original);
    const before = simplify(await server.inlayHints(uri));
    await doc.replace(0, 0, '// a new first line\n');
    const after = simplify(await server.inlayHints(uri));
    assert.deepEqual(
      after,
      before.map((hint) => ({ ...hint, position: { line: hint.position.line + 1, character: hint.position.character } })),
    );
    await server.close(uri);
  });

  it('editing a constant updates every prompt that uses it', async () => {
    const uri = 'file:///edits/constant.ts';
    await server.open(uri, 'typescript', original);
    const doc = new EditedDocument(server, uri, original);
    const before = simplify(await server.inlayHints(uri));
    const sentence = 'two sentences at most.';
    const at = doc.text.indexOf(sentence);
    await doc.replace(at, at + sentence.length, 'three short sentences at most, with one example each.');
    const after = simplify(await server.inlayHints(uri));
    const changedLines = after.filter((hint, index) => hint.label !== before[index]?.label).map((hint) => hint.position.line);
    assert.deepEqual(changedLines, [markerPosition(original, 'system-prompt').line, markerPosition(original, 'chat-template').line]);
    await server.close(uri);
  });

  it('several changes in one notification are applied in order', async () => {
    const uri = 'file:///edits/batch.ts';
    await server.open(uri, 'typescript', original);
    const reference = TextDocument.create(uri, 'typescript', 1, original);
    const first = original.indexOf('Make it calm.') + 'Make it calm.'.length;
    const second = original.indexOf('Count from one to ten in French.') + 'Count from one'.length;
    // The second range is in the text left by the first change (which adds a line).
    const changes = [
      { range: { start: reference.positionAt(first), end: reference.positionAt(first) }, text: '\\nAnd rhyme.' },
      { range: { start: reference.positionAt(second + 1), end: reference.positionAt(second + 1) }, text: '' },
    ];
    TextDocument.update(reference, changes, 2);
    await server.change(uri, 2, changes);
    const incremental = simplify(await server.inlayHints(uri));
    const fresh = 'file:///edits/batch-fresh.ts';
    await server.open(fresh, 'typescript', reference.getText());
    assert.deepEqual(incremental, simplify(await server.inlayHints(fresh)));
    assert.ok(incremental.some((hint) => hint.label === expectedLabel(chatLiteral('\nAnd rhyme.'))));
    await server.close(uri);
    await server.close(fresh);
  });

  for (const [file, languageId, grammar] of [
    ['openai.ts', 'typescript', 'typescript'],
    ['openai_app.py', 'python', 'python'],
    ['langchain.js', 'javascript', 'javascript'],
  ] as const) {
    it(`${file}: random edits (typing, deleting, breaking the syntax) and their undo keep the hints equal to a fresh analysis`, async () => {
      // tree-sitter only promises the same tree as a fresh parse for text without syntax errors
      // (error recovery may differ), so the comparison is made whenever the text is valid, and
      // after every round of edits is undone.
      const parser = await testParser(grammar);
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const uri = `file:///edits/random-${file}`;
      await server.open(uri, languageId, text);
      const initial = simplify(await server.inlayHints(uri));
      const doc = new EditedDocument(server, uri, text);
      const random = seeded(file.length * 7919);
      const pieces = ['a', ' ', '\n', '"', "'", '`', '(', ')', '{', '}', ',', 'prompt', '${x}', 'é', '🙂'];
      let validChecks = 0;
      const compareWithFresh = async (label: string): Promise<void> => {
        const fresh = `file:///edits/fresh-${file}`;
        await server.open(fresh, languageId, doc.text);
        assert.deepEqual(simplify(await server.inlayHints(uri)), simplify(await server.inlayHints(fresh)), `${label}; server stderr: ${server.stderr()}`);
        await server.close(fresh);
      };
      for (let round = 0; round < 10; round++) {
        const undo: Array<{ start: number; length: number; removed: string }> = [];
        for (let step = 0; step < 8; step++) {
          let start = Math.floor(random() * doc.text.length);
          let end = random() < 0.6 ? start : Math.min(doc.text.length, start + 1 + Math.floor(random() * 4));
          const inserted = start === end ? (pieces[Math.floor(random() * pieces.length)] as string) : '';
          // An editor never splits a surrogate pair.
          if (/[\uDC00-\uDFFF]/.test(doc.text[start] ?? '')) start--;
          if (/[\uDC00-\uDFFF]/.test(doc.text[end] ?? '')) end++;
          undo.push({ start, length: inserted.length, removed: doc.text.slice(start, end) });
          await doc.replace(start, end, inserted);
          if (!hasSyntaxError(parser, doc.text)) {
            validChecks++;
            await compareWithFresh(`round ${round} step ${step}`);
          } else assert.ok(Array.isArray(await server.inlayHints(uri)), 'answers while the syntax is broken');
        }
        for (const { start, length, removed } of undo.reverse()) await doc.replace(start, start + length, removed);
        assert.equal(doc.text, text);
        assert.deepEqual(simplify(await server.inlayHints(uri)), initial, `after undoing round ${round}`);
      }
      assert.ok(validChecks >= 10, `compared ${validChecks} valid states`);
      await server.close(uri);
    });
  }
});

async function testParser(grammar: string): Promise<Parser> {
  const dir = join(require.resolve('@vscode/tree-sitter-wasm/package.json'), '..', 'wasm');
  await Parser.init({ locateFile: (name: string) => join(dir, name) });
  const parser = new Parser();
  parser.setLanguage(await Language.load(join(dir, `tree-sitter-${grammar}.wasm`)));
  return parser;
}

function hasSyntaxError(parser: Parser, text: string): boolean {
  const tree = parser.parse(text);
  const broken = tree?.rootNode.hasError ?? true;
  tree?.delete();
  return broken;
}

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
