import type * as NodeFs from 'node:fs/promises';

import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { assertWellFormedText } from '../text/well_formed.js';
import { decodeModelProto, type ModelProto, type ModelType } from './model_proto.js';
import { SentencePieceIds } from './sentencepiece_ids.js';
import { loadWasmProcessor, type WasmSentencePieceProcessor } from './wasm_processor.js';

export interface EncodeOptions {
  /** Prepend bosId (throws if the model has no <s>). Default false. */
  addBos?: boolean;
  /** Append eosId (throws if the model has no </s>). Default false. */
  addEos?: boolean;
}

const ENCODE_OPTIONS = optionKeys<EncodeOptions>({ addBos: true, addEos: true });

/**
 * A SentencePiece `.model` (unigram, BPE, word or char) run by the C++ library compiled to
 * WebAssembly, so ids equal those of Python's `sentencepiece` and `spm_encode`. Works in Node and
 * browsers; `fromFile` is the only Node-specific entry.
 */
export class SentencePieceTokenizer extends SentencePieceIds {
  readonly modelType: ModelType;
  private readonly pieceIds: Map<string, number>;
  private disposed = false;

  private constructor(
    /** The parsed model (pieces, scores, trainer and normalizer specs). */
    readonly model: ModelProto,
    private readonly processor: WasmSentencePieceProcessor,
  ) {
    super(model);
    this.modelType = model.trainerSpec.modelType ?? 'unigram';
    this.pieceIds = new Map(model.pieces.map((p, i) => [p.piece, i]));
  }

  /** Loads a serialised ModelProto (the bytes of a `.model` file). */
  static async fromBytes(modelBytes: Uint8Array | ArrayBuffer): Promise<SentencePieceTokenizer> {
    const bytes = modelBytes instanceof ArrayBuffer ? new Uint8Array(modelBytes) : modelBytes;
    const model = decodeModelProto(bytes); // validates first: the WASM wrapper reports nothing useful
    return new SentencePieceTokenizer(model, await loadWasmProcessor(bytes));
  }

  /** Node only: reads a `.model` file. `node:fs` is imported on demand so browser bundles never see it. */
  static async fromFile(path: string): Promise<SentencePieceTokenizer> {
    if (typeof path !== 'string' || path.length === 0)
      throw new TypeError(
        `SentencePieceTokenizer.fromFile: path must be a non-empty string, got ${JSON.stringify(path)}`,
      );
    const fsModule = 'node:fs/promises';
    const { readFile } = (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ fsModule
    )) as typeof NodeFs;
    return SentencePieceTokenizer.fromBytes(new Uint8Array(await readFile(path)));
  }

  /** Ids of `text`. Empty text gives []; lone surrogates throw (they have no UTF-8 form). */
  encode(text: string, options?: EncodeOptions): number[] {
    const checked = checkOptions('SentencePieceTokenizer.encode', options, ENCODE_OPTIONS);
    this.checkAlive('encode');
    assertWellFormedText(text, 'SentencePieceTokenizer.encode: text');
    return this.wrapSpecials(this.processor.encodeIds(text), checked);
  }

  /** Pieces of `text` (unknown characters appear as their surface text, as in the C++ library). */
  encodePieces(text: string): string[] {
    this.checkAlive('encodePieces');
    assertWellFormedText(text, 'SentencePieceTokenizer.encodePieces: text');
    return this.processor.encodePieces(text);
  }

  /** Text of `ids`; control ids (bos, eos, pad) decode to nothing, unknown ids to the unk surface ' ⁇ '. */
  decode(ids: readonly number[]): string {
    this.checkAlive('decode');
    if (!Array.isArray(ids))
      throw new TypeError(
        `SentencePieceTokenizer.decode: ids must be an array of integers, got ${typeof ids}`,
      );
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
        throw new RangeError(
          `SentencePieceTokenizer.decode: ids[${i}] = ${id} is not an id in [0, ${this.vocabSize})`,
        );
    });
    return this.processor.decodeIds([...ids]);
  }

  idToPiece(id: number): string {
    const entry = this.model.pieces[id];
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize || entry === undefined)
      throw new RangeError(`SentencePieceTokenizer.idToPiece: id ${id} is not in [0, ${this.vocabSize})`);
    return entry.piece;
  }

  /** Id of a piece, or unkId when the vocabulary does not have it (as in the C++ library). */
  pieceToId(piece: string): number {
    return this.pieceIds.get(piece) ?? this.unkId;
  }

  /** Frees the C++ processor. The WebAssembly instance itself is released by garbage collection. */
  dispose(): void {
    this.processor.processor.delete?.();
    this.disposed = true;
  }

  private checkAlive(method: string): void {
    if (this.disposed) throw new Error(`SentencePieceTokenizer.${method}: the tokenizer was disposed`);
  }

  private wrapSpecials(ids: number[], { addBos = false, addEos = false }: EncodeOptions): number[] {
    if (addBos) {
      if (this.bosId < 0)
        throw new Error('SentencePieceTokenizer.encode: addBos is set but the model has no <s> piece');
      ids.unshift(this.bosId);
    }
    if (addEos) {
      if (this.eosId < 0)
        throw new Error('SentencePieceTokenizer.encode: addEos is set but the model has no </s> piece');
      ids.push(this.eosId);
    }
    return ids;
  }
}
