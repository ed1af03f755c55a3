import { readFile } from 'node:fs/promises';

import { type Command } from 'commander';
import {
  UsageError,
  addCommonOptions,
  createLogger,
  jsonLine,
  selectBackend,
  type CommonOptions,
} from '@rnnkit/app-kit';

import { openClassifier, predictProbabilities, type ClassifierConfig } from './classifier_directory.js';
import { loadData, readLabelFile, type Example } from './data.js';
import { argmax, classificationMetrics } from './metrics.js';
import { encodeTexts } from './text_encoder.js';
import { report } from './train.js';

interface EvaluateFlags extends CommonOptions {
  model: string;
  test?: string;
}

interface PredictFlags extends CommonOptions {
  model: string;
  file?: string;
}

export function addEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      'accuracy, precision, recall, F1, ROC AUC and confusion matrix of a trained model on its stored test split or --test FILE',
    )
    .requiredOption('--model <dir>', 'model directory written by train')
    .option('--test <file>', 'test data (CSV, TSV or JSONL, with the columns the model was trained on)');
  addCommonOptions(command, { quick: false }).action(async (flags: EvaluateFlags) => {
    const log = createLogger(flags);
    await selectBackend(flags);
    const { directory, network, encoder } = await openClassifier(flags.model);
    try {
      const { config } = directory;
      const test = flags.test ? await loadTestFile(flags.test, config) : (await loadData(config.data)).test;
      const x = encodeTexts(
        encoder,
        test.map((e) => e.text),
        config.model,
      );
      const probabilities = await predictProbabilities(network, x);
      report(
        classificationMetrics(
          probabilities,
          test.map((e) => e.label),
          config.labels,
        ),
        flags,
        log,
        null,
      );
    } finally {
      network.dispose();
      encoder.dispose();
    }
  });
}

/** `evaluate --test FILE`: its examples with the model's label indices (a label the model does not know is an error). */
async function loadTestFile(file: string, config: ClassifierConfig): Promise<Example[]> {
  const columns = config.data.dataset === 'file' ? config.data : { textColumn: 'text', labelColumn: 'label' };
  const data = await readLabelFile('--test', file, columns.textColumn, columns.labelColumn);
  const missing = data.labels.filter((l) => !config.labels.includes(l));
  if (missing.length > 0)
    throw new UsageError(
      `--test ${file}: labels ${missing.join(', ')} are not among the model's (${config.labels.join(', ')})`,
    );
  return data.examples.map((e) => {
    const name = data.labels[e.label];
    if (name === undefined) throw new Error(`--test ${file}: example label index ${e.label} has no name`);
    return { text: e.text, label: config.labels.indexOf(name) };
  });
}

async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

export function addPredictCommand(program: Command): void {
  const command = program
    .command('predict')
    .description(
      'label and probability of each text: from arguments, --file (one per line) or standard input (one per line)',
    )
    .argument('[text...]', 'texts to classify')
    .requiredOption('--model <dir>', 'model directory written by train')
    .option('--file <file>', 'read texts from FILE, one per line');
  addCommonOptions(command, { quick: false }).action(async (texts: string[], flags: PredictFlags) => {
    await selectBackend(flags);
    const { directory, network, encoder } = await openClassifier(flags.model);
    let inputs = texts;
    if (flags.file) {
      const content = await readFile(flags.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`--file ${flags.file}: cannot read it (${error.code ?? error.message})`);
      });
      inputs = [...inputs, ...content.split(/\r?\n/).filter((line) => line.trim() !== '')];
    }
    if (inputs.length === 0 && !flags.file) inputs = await readStdinLines();
    if (inputs.length === 0)
      throw new UsageError(
        'predict: no texts (give them as arguments, with --file, or one per line on standard input)',
      );
    const { labels } = directory.config;
    const probabilities = await predictProbabilities(
      network,
      encodeTexts(encoder, inputs, directory.config.model),
    );
    network.dispose();
    encoder.dispose();
    let out = '';
    probabilities.forEach((p, i) => {
      const best = argmax(p);
      const probability = p[best];
      if (probability === undefined) throw new Error(`no probabilities for input ${i}`);
      out += flags.json
        ? jsonLine({
            text: inputs[i],
            label: labels[best],
            probability,
            probabilities: Object.fromEntries(labels.map((l, c) => [l, p[c]])),
          })
        : `${labels[best]}\t${probability.toFixed(4)}\n`;
    });
    process.stdout.write(out);
  });
}
