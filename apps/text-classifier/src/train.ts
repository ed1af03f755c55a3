import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { type Command } from 'commander';
import {
  CONFIG_FILE,
  UsageError,
  addCommonOptions,
  choiceOption,
  confusionMatrixSpec,
  createLogger,
  installInterruptHandler,
  integerArgument,
  jsonLine,
  loadCheckpoint,
  numberArgument,
  openModelDirectory,
  renderChart,
  saveCheckpoint,
  selectBackend,
  trainingCurvesSpec,
  writeModelDirectory,
  type CommonOptions,
  type Logger,
} from '@rnnkit/app-kit';
import { EarlyStopping, type EpochLogs, type FitCallbacks, type Sequential } from '@rnnkit/rnn-layers';

import { predictProbabilities, type ClassifierConfig } from './classifier_directory.js';
import { DATASETS, loadData, type DataSettings, type LoadedData } from './data.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';
import { buildClassifier, createOptimizer, lossFor, usesMask } from './model.js';
import {
  APP_KIND,
  DEFAULT_MODEL,
  MODEL_KINDS,
  OPTIMIZERS,
  POOLINGS,
  QUICK_MODEL,
  QUICK_SUBSET,
  SEED_MODEL,
  type ModelSettings,
} from './settings.js';
import { TOKENIZERS, encodeTexts, fitTextEncoder, type TextEncoder } from './text_encoder.js';

interface TrainFlags extends CommonOptions {
  out: string;
  resume?: string;
  model?: ModelSettings['model'];
  tokenizer?: ModelSettings['tokenizer'];
  vocab?: number;
  embedding?: number;
  hidden?: number;
  layers?: number;
  maxLength?: number;
  truncating?: 'pre' | 'post';
  pooling?: ModelSettings['pooling'];
  dropout?: number;
  optimizer?: ModelSettings['optimizer'];
  lr?: number;
  epochs?: number;
  batchSize?: number;
  validation?: number;
  patience?: number;
  bucketByLength?: boolean;
  dataset: (typeof DATASETS)[number];
  dataDir?: string;
  headers?: 'keep' | 'strip';
  train?: string;
  test?: string;
  textColumn: string;
  labelColumn: string;
}

/** What a run is: stored in checkpoints so that `--resume` repeats it exactly. */
interface TrainRun {
  settings: ModelSettings;
  data: DataSettings;
  seed: number;
  out: string;
}

/**
 * The settings of a run: --quick's tiny model, or the default model without --model, or the Keras seed
 * model's settings with the chosen cell; then every explicitly given option on top.
 */
export function resolveSettings(flags: Partial<TrainFlags>): ModelSettings {
  const base = flags.quick ? QUICK_MODEL : flags.model === undefined ? DEFAULT_MODEL : SEED_MODEL;
  const settings: ModelSettings = { ...base };
  for (const key of Object.keys(base) as Array<keyof ModelSettings>) {
    const value = flags[key as keyof TrainFlags];
    if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value;
  }
  // Padding can be cut only where the mask makes it inert: bucketing follows --pooling unless asked for.
  if (!usesMask(settings)) {
    if (flags.bucketByLength === true)
      throw new UsageError(
        '--bucket-by-length needs --pooling mean (padding is cut only where it is masked)',
      );
    settings.bucketByLength = false;
  }
  return settings;
}

export function addTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description(
      "train a classifier (default: the app's default model on the embedded SpamAssassin corpus) and write a model directory",
    )
    .option('--out <dir>', 'model directory to write', 'models/classifier')
    .option('--resume <dir>', 'continue the interrupted run whose model directory (with checkpoints/) is DIR')
    .addOption(
      choiceOption(
        '--model <kind>',
        `recurrent cell; given, the other defaults are the Keras seed model's (${describe(SEED_MODEL)}); without it: ${describe(DEFAULT_MODEL)}`,
        MODEL_KINDS,
      ),
    )
    .addOption(
      choiceOption(
        '--tokenizer <kind>',
        "'word' (Keras's word tokenizer) or 'bpe' (a SentencePiece BPE model trained on the training split)",
        TOKENIZERS,
      ),
    )
    .option('--vocab <n>', 'vocabulary size (words or BPE pieces, index 0 is padding)', integerArgument(3))
    .option('--embedding <n>', 'embedding size', integerArgument(1))
    .option('--hidden <n>', 'recurrent hidden size (per direction)', integerArgument(1))
    .option('--layers <n>', 'stacked recurrent layers', integerArgument(1, 16))
    .option('--max-length <n>', 'tokens kept per text', integerArgument(1))
    .addOption(
      choiceOption(
        '--truncating <end>',
        "cut long texts at the 'pre' (keep the end) or 'post' end (keep the start)",
        ['pre', 'post'],
      ),
    )
    .addOption(choiceOption('--pooling <kind>', "'last' state or 'mean' over real tokens", POOLINGS))
    .option(
      '--dropout <rate>',
      'dropout before the output layer',
      numberArgument({ low: 0, high: 1, inclusiveLow: true }),
    )
    .addOption(choiceOption('--optimizer <name>', 'optimizer', OPTIMIZERS))
    .option('--lr <rate>', 'learning rate', numberArgument({ low: 0, high: 10 }))
    .option('--epochs <n>', 'epochs', integerArgument(1))
    .option('--batch-size <n>', 'batch size', integerArgument(1))
    .option(
      '--validation <fraction>',
      'fraction of the training data held out for validation',
      numberArgument({ low: 0, high: 1 }),
    )
    .option(
      '--patience <n>',
      'stop after N epochs without a lower val_loss, keeping the best weights',
      integerArgument(0),
    )
    .option(
      '--bucket-by-length',
      'batch texts of similar length together, each batch cut to its longest (needs --pooling mean)',
    )
    .option('--no-bucket-by-length', 'batch texts at random, every batch padded to --max-length')
    .addOption(
      choiceOption(
        '--dataset <name>',
        "'spamassassin' (embedded, headers stripped) or 'imdb' (needs --data-dir); ignored with --train",
        DATASETS,
        'spamassassin',
      ),
    )
    .addOption(
      choiceOption(
        '--headers <mode>',
        "for --dataset spamassassin: 'strip' the email headers (default: bodies only) or 'keep' them",
        ['keep', 'strip'],
      ),
    )
    .option(
      '--data-dir <dir>',
      "for --dataset imdb: an aclImdb/ tree, or a folder with Keras's imdb.npz and imdb_word_index.json",
    )
    .option('--train <file>', 'training data: CSV, TSV or JSONL with a text and a label column')
    .option('--test <file>', 'test data in the same format (default: 10% of --train)')
    .option('--text-column <name>', 'column (or JSON key) of the text', 'text')
    .option('--label-column <name>', 'column (or JSON key) of the label', 'label');
  addCommonOptions(command).action(async (flags: TrainFlags) => {
    await train(flags);
  });
}

function describe(s: ModelSettings): string {
  return `${s.model} tokenizer ${s.tokenizer} vocab ${s.vocab} embedding ${s.embedding} hidden ${s.hidden} layers ${s.layers} max-length ${s.maxLength} pooling ${s.pooling} dropout ${s.dropout} ${s.optimizer} lr ${s.lr} epochs ${s.epochs} batch ${s.batchSize} validation ${s.validation} patience ${s.patience ?? 'none'}${s.bucketByLength ? ' bucket-by-length' : ''}`;
}

/** Refuses to replace a directory that another app (or no rnnkit app) wrote. */
async function checkOutDirectory(out: string): Promise<void> {
  const info = await stat(out).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(`--out ${out}: exists and is not a directory`);
  const hasConfig = await stat(join(out, CONFIG_FILE)).then(
    () => true,
    () => false,
  );
  if (hasConfig)
    await openModelDirectory(out, APP_KIND).catch((error: Error) => {
      throw new UsageError(error.message.replace(/^--model/, '--out'));
    });
}

/** The data settings of a new run from its flags. */
function dataSettings(flags: TrainFlags, settings: ModelSettings): DataSettings {
  if (flags.test && !flags.train)
    throw new UsageError('--test needs --train (the data sets have their own test splits)');
  if (flags.dataDir && (flags.train || flags.dataset !== 'imdb'))
    throw new UsageError('--data-dir goes with --dataset imdb');
  if (flags.headers && (flags.train || flags.dataset !== 'spamassassin'))
    throw new UsageError('--headers goes with --dataset spamassassin');
  if (flags.train) {
    return {
      dataset: 'file',
      train: flags.train,
      test: flags.test ?? null,
      textColumn: flags.textColumn,
      labelColumn: flags.labelColumn,
      validation: settings.validation,
      testFraction: 0.1,
    };
  }
  const subset = flags.quick ? { ...QUICK_SUBSET } : null;
  if (flags.dataset === 'imdb') {
    if (!flags.dataDir)
      throw new UsageError(
        "--dataset imdb needs --data-dir DIR (an aclImdb/ tree, or a folder with Keras's imdb.npz and imdb_word_index.json)",
      );
    return { dataset: 'imdb', dataDir: flags.dataDir, validation: settings.validation, subset };
  }
  return {
    dataset: 'spamassassin',
    headers: flags.headers ?? 'strip',
    validation: settings.validation,
    test: 0.1,
    subset,
  };
}

async function train(flags: TrainFlags): Promise<void> {
  const log = createLogger(flags);
  let run: TrainRun;
  let resumed: Awaited<ReturnType<typeof loadCheckpoint<TrainRun>>> | null = null;
  if (flags.resume) {
    resumed = await loadCheckpoint<TrainRun>(flags.resume, APP_KIND);
    run = { ...resumed.state.run, out: flags.resume };
  } else {
    const settings = resolveSettings(flags);
    run = { settings, data: dataSettings(flags, settings), seed: flags.seed, out: flags.out };
    await checkOutDirectory(run.out);
  }
  const { settings } = run;
  const backend = await selectBackend(flags);
  const started = Date.now();
  const data = await loadData(run.data);
  log.info(
    `data: ${data.train.length} training, ${data.validation.length} validation and ${data.test.length} test examples, labels ${data.labels.join(', ')}; backend ${backend.name}`,
    {
      event: 'data',
      train: data.train.length,
      validation: data.validation.length,
      test: data.test.length,
      labels: data.labels,
      backend: backend.name,
    },
  );
  if (settings.patience !== null && data.validation.length === 0)
    throw new UsageError('--patience needs validation data (--validation > 0 and enough examples)');

  // The tokenizer sees the training split only: validation and test texts stay unseen.
  const encoder = await fitTextEncoder(
    data.train.map((e) => e.text),
    settings,
  );
  const encode = (examples: LoadedData['train']) =>
    encodeTexts(
      encoder,
      examples.map((e) => e.text),
      settings,
    );
  const labelCount = data.labels.length;
  const model = resumed ? resumed.model : buildClassifier(settings, labelCount, run.seed);
  const optimizer = createOptimizer(settings);
  const earlyStopping =
    settings.patience === null
      ? null
      : new EarlyStopping({ monitor: 'val_loss', patience: settings.patience, restoreBestWeights: true });
  const initialEpoch = resumed?.state.epoch ?? 0;
  const history: Record<string, number[]> = Object.fromEntries(
    Object.entries(resumed?.state.history ?? {}).map(([k, v]) => [k, [...v]]),
  );
  let checkpointed = initialEpoch;
  const interrupt = installInterruptHandler(
    () =>
      `interrupted; nothing half-written. ${checkpointed > 0 ? `Resume with: rnnkit-classify train --resume ${run.out}` : 'No epoch had finished, so there is no checkpoint to resume from.'}`,
  );
  try {
    if (resumed) {
      await resumed.restoreOptimizer(optimizer);
      if (earlyStopping) resumed.restoreEarlyStopping(earlyStopping);
    }
    model.compile({ optimizer, loss: lossFor(labelCount), metrics: ['acc'] });
    const checkpoints: FitCallbacks = {
      onEpochEnd: async (epoch: number, logs: EpochLogs) => {
        for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
        await interrupt.guard(() =>
          saveCheckpoint<TrainRun>(
            run.out,
            model,
            optimizer,
            { app: APP_KIND, epoch: epoch + 1, run, history },
            earlyStopping ? { earlyStopping } : {},
          ),
        );
        checkpointed = epoch + 1;
        if (log.json) log.info(`epoch ${epoch + 1}`, { event: 'epoch', epoch: epoch + 1, ...logs });
      },
    };
    // Early stopping first: the checkpoint then records its counters after this epoch.
    const callbacks: FitCallbacks[] = earlyStopping ? [earlyStopping, checkpoints] : [checkpoints];
    await model.fit(
      encode(data.train),
      data.train.map((e) => e.label),
      {
        epochs: settings.epochs,
        initialEpoch,
        batchSize: settings.batchSize,
        seed: run.seed,
        bucketByLength: settings.bucketByLength,
        callbacks,
        verbose: log.showsProgress ? 1 : 0,
        ...(data.validation.length > 0
          ? {
              validationData: [encode(data.validation), data.validation.map((e) => e.label)] as [
                number[][],
                number[],
              ],
            }
          : {}),
      },
    );
    const metrics = await testMetrics(model, encoder, data, settings);
    const minutes = (Date.now() - started) / 60000;
    const curves = await renderChart(trainingCurvesSpec(history, `Training curves (${settings.model})`));
    const confusion = await renderChart(
      confusionMatrixSpec(
        metrics.confusionMatrix,
        data.labels,
        `Confusion matrix (test, accuracy ${(metrics.accuracy * 100).toFixed(2)}%)`,
      ),
    );
    const config: ClassifierConfig = {
      model: settings,
      seed: run.seed,
      labels: data.labels,
      tokenizer: { kind: encoder.kind, file: encoder.fileName, vocab: settings.vocab },
      data: run.data,
    };
    await interrupt.guard(() =>
      writeModelDirectory(run.out, APP_KIND, model, config, {
        [encoder.fileName]: encoder.serialize(),
        'metrics.json': `${JSON.stringify({ ...metrics, backend: backend.name, trainMinutes: minutes }, null, 2)}\n`,
        'history.json': `${JSON.stringify(history, null, 2)}\n`,
        'training-curves.svg': curves.svg,
        'training-curves.png': curves.png,
        'confusion-matrix.svg': confusion.svg,
        'confusion-matrix.png': confusion.png,
      }),
    );
    report(metrics, flags, log, run.out, minutes);
  } finally {
    interrupt.dispose();
    encoder.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

async function testMetrics(
  model: Sequential,
  encoder: TextEncoder,
  data: LoadedData,
  settings: ModelSettings,
): Promise<ClassificationMetrics> {
  const x = encodeTexts(
    encoder,
    data.test.map((e) => e.text),
    settings,
  );
  const probabilities = await predictProbabilities(model, x);
  return classificationMetrics(
    probabilities,
    data.test.map((e) => e.label),
    data.labels,
  );
}

export function report(
  metrics: ClassificationMetrics,
  flags: { json: boolean },
  log: Logger,
  out: string | null,
  minutes?: number,
): void {
  if (flags.json) {
    process.stdout.write(
      jsonLine({
        ...metrics,
        ...(out ? { modelDir: out } : {}),
        ...(minutes !== undefined ? { minutes } : {}),
      }),
    );
    return;
  }
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  process.stdout.write(
    `test accuracy: ${pct(metrics.accuracy)} (${metrics.examples} examples; majority class ${pct(metrics.majorityClassAccuracy)})\n`,
  );
  log.info(
    `macro F1 ${metrics.macro.f1.toFixed(4)}${metrics.rocAuc !== undefined ? `, ROC AUC ${metrics.rocAuc.toFixed(4)}` : ''}${minutes !== undefined ? `, ${minutes.toFixed(2)} min` : ''}${out ? `; model written to ${out}` : ''}`,
  );
}
