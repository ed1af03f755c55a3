import {
  decodeMessage,
  encodeMessage,
  ProtobufError,
  type DecodedMessage,
  type MessageSpec,
} from './protobuf_wire.js';

// Field numbers from sentencepiece_model.proto (SentencePiece 0.1.9x / 0.2.x).

export type PieceType = 'normal' | 'unknown' | 'control' | 'user_defined' | 'unused' | 'byte';
const PIECE_TYPES: Record<number, PieceType> = {
  1: 'normal',
  2: 'unknown',
  3: 'control',
  4: 'user_defined',
  5: 'unused',
  6: 'byte',
};
const PIECE_TYPE_NUMBERS: Record<PieceType, number> = {
  normal: 1,
  unknown: 2,
  control: 3,
  user_defined: 4,
  unused: 5,
  byte: 6,
};
export type ModelType = 'unigram' | 'bpe' | 'word' | 'char';
const MODEL_TYPES: Record<number, ModelType> = { 1: 'unigram', 2: 'bpe', 3: 'word', 4: 'char' };
const MODEL_TYPE_NUMBERS: Record<ModelType, number> = { unigram: 1, bpe: 2, word: 3, char: 4 };

export interface SentencePieceEntry {
  piece: string;
  /** float32 score: log probability (unigram) or merge priority (BPE). */
  score: number;
  type: PieceType;
}

/** The TrainerSpec fields rnnkit reads or writes; absent fields take the proto defaults (see resolveSpecialIds). */
export interface TrainerSpec {
  modelType?: ModelType;
  vocabSize?: number;
  characterCoverage?: number;
  maxSentencepieceLength?: number;
  splitByUnicodeScript?: boolean;
  splitByWhitespace?: boolean;
  splitByNumber?: boolean;
  splitDigits?: boolean;
  treatWhitespaceAsSuffix?: boolean;
  allowWhitespaceOnlyPieces?: boolean;
  controlSymbols?: string[];
  userDefinedSymbols?: string[];
  byteFallback?: boolean;
  unkId?: number;
  bosId?: number;
  eosId?: number;
  padId?: number;
  unkPiece?: string;
  bosPiece?: string;
  eosPiece?: string;
  padPiece?: string;
  unkSurface?: string;
  numThreads?: number;
  inputSentenceSize?: number;
}

export interface NormalizerSpec {
  name?: string;
  precompiledCharsmap?: Uint8Array;
  addDummyPrefix?: boolean;
  removeExtraWhitespaces?: boolean;
  escapeWhitespaces?: boolean;
  normalizationRuleTsv?: string;
}

export interface ModelProto {
  pieces: SentencePieceEntry[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
  denormalizerSpec?: NormalizerSpec;
}

const PIECE: MessageSpec = {
  name: 'SentencePiece',
  fields: {
    1: { name: 'piece', kind: 'string' },
    2: { name: 'score', kind: 'float' },
    3: { name: 'type', kind: 'enum' },
  },
};
const TRAINER: MessageSpec = {
  name: 'TrainerSpec',
  fields: {
    3: { name: 'modelType', kind: 'enum' },
    4: { name: 'vocabSize', kind: 'int32' },
    10: { name: 'characterCoverage', kind: 'float' },
    11: { name: 'inputSentenceSize', kind: 'uint64' },
    16: { name: 'numThreads', kind: 'int32' },
    20: { name: 'maxSentencepieceLength', kind: 'int32' },
    21: { name: 'splitByUnicodeScript', kind: 'bool' },
    22: { name: 'splitByWhitespace', kind: 'bool' },
    23: { name: 'splitByNumber', kind: 'bool' },
    24: { name: 'treatWhitespaceAsSuffix', kind: 'bool' },
    25: { name: 'splitDigits', kind: 'bool' },
    26: { name: 'allowWhitespaceOnlyPieces', kind: 'bool' },
    30: { name: 'controlSymbols', kind: 'string', repeated: true },
    31: { name: 'userDefinedSymbols', kind: 'string', repeated: true },
    35: { name: 'byteFallback', kind: 'bool' },
    40: { name: 'unkId', kind: 'int32' },
    41: { name: 'bosId', kind: 'int32' },
    42: { name: 'eosId', kind: 'int32' },
    43: { name: 'padId', kind: 'int32' },
    44: { name: 'unkSurface', kind: 'string' },
    45: { name: 'unkPiece', kind: 'string' },
    46: { name: 'bosPiece', kind: 'string' },
    47: { name: 'eosPiece', kind: 'string' },
    48: { name: 'padPiece', kind: 'string' },
  },
};
const NORMALIZER: MessageSpec = {
  name: 'NormalizerSpec',
  fields: {
    1: { name: 'name', kind: 'string' },
    2: { name: 'precompiledCharsmap', kind: 'bytes' },
    3: { name: 'addDummyPrefix', kind: 'bool' },
    4: { name: 'removeExtraWhitespaces', kind: 'bool' },
    5: { name: 'escapeWhitespaces', kind: 'bool' },
    6: { name: 'normalizationRuleTsv', kind: 'string' },
  },
};
const MODEL: MessageSpec = {
  name: 'ModelProto',
  fields: {
    1: { name: 'pieces', kind: PIECE, repeated: true },
    2: { name: 'trainerSpec', kind: TRAINER },
    3: { name: 'normalizerSpec', kind: NORMALIZER },
    5: { name: 'denormalizerSpec', kind: NORMALIZER },
  },
};

function fail(message: string): never {
  throw new Error(`SentencePiece model: ${message}`);
}

function asBytes(input: Uint8Array | ArrayBuffer, label: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new TypeError(
    `${label} must be a Uint8Array or ArrayBuffer, got ${Object.prototype.toString.call(input)}`,
  );
}

/**
 * Parses a `.model` file (serialised ModelProto) and checks it the way the C++ loader does, so that a
 * corrupt or truncated file fails here with a message instead of inside WebAssembly.
 */
export function decodeModelProto(input: Uint8Array | ArrayBuffer): ModelProto {
  const bytes = asBytes(input, 'decodeModelProto: bytes');
  if (bytes.length === 0) fail('file is empty (0 bytes)');
  let raw: DecodedMessage;
  try {
    raw = decodeMessage(bytes, MODEL, 'ModelProto');
  } catch (error) {
    if (error instanceof ProtobufError)
      fail(`not a valid ModelProto (corrupt or truncated .model file?): ${error.message}`);
    throw error;
  }
  // Protobuf has no overall length, so a file cut between two fields still parses. SentencePiece
  // always writes pieces, then trainer_spec, then normalizer_spec: a missing spec means a cut file.
  if (raw.trainerSpec === undefined) fail('has no trainer_spec (truncated .model file?)');
  if (raw.normalizerSpec === undefined) fail('has no normalizer_spec (truncated .model file?)');
  const pieces = ((raw.pieces ?? []) as DecodedMessage[]).map((p, i): SentencePieceEntry => {
    const typeNumber = (p.type as number | undefined) ?? 1;
    const type = PIECE_TYPES[typeNumber];
    if (type === undefined) fail(`pieces[${i}] has unknown type ${typeNumber}`);
    return {
      piece: (p.piece as string | undefined) ?? '',
      score: (p.score as number | undefined) ?? 0,
      type,
    };
  });
  const trainer = { ...((raw.trainerSpec ?? {}) as DecodedMessage) };
  if (trainer.modelType !== undefined) {
    const t = MODEL_TYPES[trainer.modelType as number];
    if (t === undefined) fail(`trainer_spec.model_type ${trainer.modelType} is unknown`);
    trainer.modelType = t;
  }
  const model: ModelProto = {
    pieces,
    trainerSpec: trainer as TrainerSpec,
    normalizerSpec: (raw.normalizerSpec ?? {}) as NormalizerSpec,
    ...(raw.denormalizerSpec ? { denormalizerSpec: raw.denormalizerSpec as NormalizerSpec } : {}),
  };
  validateModelProto(model);
  return model;
}

/** The checks of SentencePiece's ModelInterface::InitializePieces, with messages that say what is wrong. */
export function validateModelProto(model: ModelProto): void {
  const { pieces } = model;
  if (pieces.length === 0) fail('has no pieces (corrupt or truncated .model file?)');
  const normal = new Set<string>();
  const reserved = new Set<string>();
  let unk = -1;
  pieces.forEach((p, i) => {
    if (p.piece.length === 0) fail(`pieces[${i}] is empty`);
    const set = p.type === 'normal' || p.type === 'user_defined' || p.type === 'unused' ? normal : reserved;
    if (set.has(p.piece)) fail(`piece ${JSON.stringify(p.piece)} is defined twice (second at id ${i})`);
    set.add(p.piece);
    if (p.type === 'unknown') {
      if (unk >= 0) fail(`has two unknown pieces (ids ${unk} and ${i})`);
      unk = i;
    }
    if (p.type === 'byte' && !model.trainerSpec.byteFallback)
      fail(`byte piece ${JSON.stringify(p.piece)} at id ${i} but trainer_spec.byte_fallback is false`);
  });
  if (unk < 0) fail('has no unknown piece (<unk>)');
  const modelType = model.trainerSpec.modelType ?? 'unigram';
  if (modelType !== 'unigram' && modelType !== 'bpe' && modelType !== 'word' && modelType !== 'char')
    fail(`model_type ${String(modelType)} is not supported`);
}

/** Serialises a ModelProto into `.model` bytes that the C++ library loads. */
export function encodeModelProto(model: ModelProto): Uint8Array {
  validateModelProto(model);
  const trainer: DecodedMessage = { ...model.trainerSpec };
  if (model.trainerSpec.modelType !== undefined)
    trainer.modelType = MODEL_TYPE_NUMBERS[model.trainerSpec.modelType];
  const message: DecodedMessage = {
    pieces: model.pieces.map((p) => ({
      piece: p.piece,
      score: p.score,
      ...(p.type === 'normal' ? {} : { type: PIECE_TYPE_NUMBERS[p.type] }),
    })),
    trainerSpec: trainer,
    normalizerSpec: { ...model.normalizerSpec },
    ...(model.denormalizerSpec ? { denormalizerSpec: { ...model.denormalizerSpec } } : {}),
  };
  return encodeMessage(message, MODEL);
}

export interface SpecialIds {
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
}

/** Special ids as the C++ processor reports them: the piece ids of <unk>, <s>, </s>, <pad> (-1 if absent). */
export function resolveSpecialIds(model: ModelProto): SpecialIds {
  const t = model.trainerSpec;
  const find = (piece: string, type: PieceType | null): number =>
    model.pieces.findIndex((p) => p.piece === piece && (type === null || p.type === type));
  return {
    unkId: model.pieces.findIndex((p) => p.type === 'unknown'),
    bosId: find(t.bosPiece ?? '<s>', 'control'),
    eosId: find(t.eosPiece ?? '</s>', 'control'),
    padId: find(t.padPiece ?? '<pad>', 'control'),
  };
}
