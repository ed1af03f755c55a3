// The only file that touches @sctg/sentencepiece-js (Google's SentencePiece C++ compiled to
// WebAssembly, the WASM inlined in its JS). It is loaded lazily so that users of the word tokenizer
// or character vocabularies never pay for it. Chosen over `sentencepiece-js` (installs process-wide
// uncaughtException/unhandledRejection handlers) and `@agnai/sentencepiece-js` (CommonJS, loads only
// from a file path): see packages/tokenizers/README.md.

/** The subset of the wrapper's API rnnkit uses (the package's own .d.ts types these as `any`). */
export interface WasmSentencePieceProcessor {
  loadFromB64StringModel(b64: string): Promise<void>;
  encodeIds(text: string): number[];
  encodePieces(text: string): string[];
  decodeIds(ids: number[]): string;
  processor: { status(): { ToString(): string; delete?(): void }; delete?(): void };
}

let modulePromise: Promise<{ SentencePieceProcessor: new () => WasmSentencePieceProcessor }> | undefined;

function bytesToBase64(bytes: Uint8Array): string {
  const NodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } })
    .Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A fresh WASM SentencePieceProcessor with the model loaded; throws with the C++ status if loading fails. */
export async function loadWasmProcessor(modelBytes: Uint8Array): Promise<WasmSentencePieceProcessor> {
  modulePromise ??= import('@sctg/sentencepiece-js') as unknown as Promise<{
    SentencePieceProcessor: new () => WasmSentencePieceProcessor;
  }>;
  const { SentencePieceProcessor } = await modulePromise;
  const processor = new SentencePieceProcessor();
  await processor.loadFromB64StringModel(bytesToBase64(modelBytes));
  // The wrapper ignores Load()'s status; a model it failed to load would silently encode to [].
  const status = processor.processor.status();
  const message = status.ToString();
  status.delete?.();
  if (message !== 'OK')
    throw new Error(`SentencePieceTokenizer: the SentencePiece library rejected the model: ${message}`);
  return processor;
}
