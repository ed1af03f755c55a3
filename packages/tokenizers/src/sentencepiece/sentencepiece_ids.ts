import { resolveSpecialIds, type ModelProto } from './model_proto.js';

/** The vocabulary size and special ids of a loaded model, as the C++ processor reports them. */
export abstract class SentencePieceIds {
  readonly vocabSize: number;
  readonly unkId: number;
  /** -1 when the model has no <s> piece. */
  readonly bosId: number;
  /** -1 when the model has no </s> piece. */
  readonly eosId: number;
  /** -1 when the model has no pad piece (SentencePiece's default). */
  readonly padId: number;

  protected constructor(model: ModelProto) {
    this.vocabSize = model.pieces.length;
    ({
      unkId: this.unkId,
      bosId: this.bosId,
      eosId: this.eosId,
      padId: this.padId,
    } = resolveSpecialIds(model));
  }
}
