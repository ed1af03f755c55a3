/** The recurrent cells `--model` chooses from; bi* are bidirectional. */
export const MODEL_KINDS = ['simple-rnn', 'lstm', 'gru', 'bilstm', 'bigru'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const OPTIMIZERS = ['rmsprop', 'adam'] as const;
export const POOLINGS = ['last', 'mean'] as const;

/** Everything that defines a classifier and how it is trained (stored in config.json and checkpoints). */
export interface ModelSettings {
  model: ModelKind;
  /** 'word': Keras's word tokenizer; 'bpe': a SentencePiece BPE model trained on the training split. */
  tokenizer: 'word' | 'bpe';
  vocab: number;
  embedding: number;
  hidden: number;
  layers: number;
  maxLength: number;
  /** Which end of a long text padSequences cuts: 'pre' (Keras's default) keeps the end, 'post' the start. */
  truncating: 'pre' | 'post';
  /** 'last': the recurrent layer's final state; 'mean': the average of its outputs over real tokens (Embedding maskZero). */
  pooling: (typeof POOLINGS)[number];
  /** Dropout rate before the output Dense (0: no Dropout layer). */
  dropout: number;
  optimizer: (typeof OPTIMIZERS)[number];
  lr: number;
  epochs: number;
  batchSize: number;
  validation: number;
  /** Early stopping on val_loss with the best weights kept; null: train all epochs. */
  patience: number | null;
  /** Batches of texts of similar length, each cut to its longest (fit's bucketByLength; needs mean pooling's mask). */
  bucketByLength: boolean;
}

/**
 * The classic Keras example, exactly: Embedding(10000, 32) → SimpleRNN(32) → Dense(1, sigmoid),
 * RMSprop (lr 1e-3), binary cross-entropy, fit(epochs=10, batch_size=128), validation 0.1, maxlen 500.
 * Any explicit `--model` starts from these settings with that cell.
 */
export const SEED_MODEL: Readonly<ModelSettings> = Object.freeze({
  model: 'simple-rnn',
  tokenizer: 'word',
  vocab: 10000,
  embedding: 32,
  hidden: 32,
  layers: 1,
  maxLength: 500,
  truncating: 'pre',
  pooling: 'last',
  dropout: 0,
  optimizer: 'rmsprop',
  lr: 1e-3,
  epochs: 10,
  batchSize: 128,
  validation: 0.1,
  patience: null,
  bucketByLength: false,
});

/**
 * The app's default model (`train` without --model): the one place to change it. Chosen by runs of the
 * app on SpamAssassin bodies (605 test emails, wasm, 2-core VM, 2026-12-02; apps/text-classifier/README.md):
 * seeds 1, 2, 3 reach 99.17%, 98.84%, 99.17% in 3.5–7 minutes. Batches of 32 texts of similar length
 * (bucketByLength) beat batches of 128 (98.68% for seeds 1 and 2) at about the same time per epoch.
 */
export const DEFAULT_MODEL: Readonly<ModelSettings> = Object.freeze({
  model: 'bilstm',
  tokenizer: 'word',
  vocab: 30000,
  embedding: 64,
  hidden: 64,
  layers: 1,
  maxLength: 800,
  truncating: 'post',
  pooling: 'mean',
  dropout: 0.3,
  optimizer: 'adam',
  lr: 1e-3,
  epochs: 10,
  batchSize: 32,
  validation: 0.1,
  patience: 3,
  bucketByLength: true,
});

/** `--quick`: a tiny model on a subset, for smoke tests (well under two minutes on two cores). */
export const QUICK_MODEL: Readonly<ModelSettings> = Object.freeze({
  model: 'gru',
  tokenizer: 'word',
  vocab: 4000,
  embedding: 16,
  hidden: 16,
  layers: 1,
  maxLength: 120,
  truncating: 'post',
  pooling: 'mean',
  dropout: 0,
  optimizer: 'adam',
  lr: 1e-2,
  epochs: 2,
  batchSize: 64,
  validation: 0.1,
  patience: null,
  bucketByLength: true,
});
/** Examples of each split `--quick` keeps. */
export const QUICK_SUBSET = Object.freeze({ train: 1600, validation: 200, test: 400 });

export const APP_KIND = 'rnnkit-classify';
