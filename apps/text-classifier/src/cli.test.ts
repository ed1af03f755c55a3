import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/main.js', import.meta.url));

interface Result {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  options: { input?: string; onStderr?: (text: string, kill: () => void) => void } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      options.onStderr?.(stderr, () => child.kill('SIGINT'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnnkit-classify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A small separable CSV: positive words vs negative words, with shared filler. */
function csv(rows: number, seed = 1): string {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const pos = ['good', 'great', 'fine', 'nice', 'happy'];
  const neg = ['bad', 'awful', 'poor', 'sad', 'ugly'];
  const filler = ['the', 'a', 'movie', 'was', 'really', 'quite', 'plot'];
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const label = next() < 0.5 ? 'neg' : 'pos';
    const words = Array.from({ length: 6 + Math.floor(next() * 6) }, () =>
      next() < 0.4 ? (label === 'pos' ? pos : neg)[Math.floor(next() * 5)] : filler[Math.floor(next() * 7)],
    );
    lines.push(`${words.join(' ')},${label}`);
  }
  return `${lines.join('\n')}\n`;
}

/** TINY, learning fast: enough epochs and a high rate for a few hundred examples. */
const FAST = ['--optimizer', 'adam', '--lr', '0.03', '--epochs', '8'];
const TINY = [
  '--model',
  'gru',
  '--vocab',
  '30',
  '--embedding',
  '4',
  '--hidden',
  '4',
  '--max-length',
  '12',
  '--batch-size',
  '32',
  '--backend',
  'cpu',
  '--quiet',
];

describe('rnnkit-classify train --quick', () => {
  it('beats the majority class on SpamAssassin, then evaluate --json and predict read the saved model', async () => {
    const train = await cli(['train', '--quick', '--out', 'quick', '--json', '--quiet']);
    expect(train.code, train.stderr).toBe(0);
    const metrics = JSON.parse(train.stdout);
    expect(metrics.accuracy).toBeGreaterThan(metrics.majorityClassAccuracy + 0.1);
    for (const f of [
      'config.json',
      'weights.safetensors',
      'tokenizer.json',
      'metrics.json',
      'history.json',
      'training-curves.svg',
      'training-curves.png',
      'confusion-matrix.svg',
      'confusion-matrix.png',
    ]) {
      expect((await stat(join(dir, 'quick', f))).size, f).toBeGreaterThan(0);
    }
    const config = JSON.parse(await readFile(join(dir, 'quick', 'config.json'), 'utf8'));
    expect(config.app).toBe('rnnkit-classify');
    expect(config.labels).toEqual(['ham', 'spam']);

    const evaluate = await cli(['evaluate', '--model', 'quick', '--json']);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    const evaluated = JSON.parse(evaluate.stdout);
    expect(evaluated.accuracy).toBeCloseTo(metrics.accuracy, 6);
    expect(evaluated.rocAuc).toBeGreaterThan(0.9);
    expect(evaluated.confusionMatrix).toEqual(metrics.confusionMatrix);

    const predict = await cli([
      'predict',
      '--model',
      'quick',
      'hello, lunch tomorrow?',
      'buy cheap meds now, click here',
    ]);
    expect(predict.code, predict.stderr).toBe(0);
    const lines = predict.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^(ham|spam)\t(0|1)\.\d{4}$/);

    const stdin = await cli(['predict', '--model', 'quick', '--json'], { input: 'one text\nanother text\n' });
    expect(stdin.code, stdin.stderr).toBe(0);
    const records = stdin.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.text)).toEqual(['one text', 'another text']);
    expect(records[0].probability).toBeGreaterThanOrEqual(0.5);
  }, 120_000);
});

describe('tokenizers and data sets', () => {
  it('--tokenizer bpe trains a SentencePiece model on the training split; predict reads it back', async () => {
    await writeFile(join(dir, 'bpe.csv'), csv(400, 5));
    const train = await cli([
      'train',
      '--train',
      'bpe.csv',
      '--tokenizer',
      'bpe',
      ...FAST,
      '--out',
      'bpe',
      '--json',
      ...TINY.map((a) => (a === '30' ? '60' : a)),
    ]);
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout).accuracy).toBeGreaterThan(0.8);
    const config = JSON.parse(await readFile(join(dir, 'bpe', 'config.json'), 'utf8'));
    expect(config.tokenizer).toEqual({ kind: 'bpe', file: 'tokenizer.model', vocab: 60 });
    expect((await stat(join(dir, 'bpe', 'tokenizer.model'))).size).toBeGreaterThan(100);
    const predict = await cli([
      'predict',
      '--model',
      'bpe',
      '--json',
      'good great nice movie',
      'bad awful ugly plot',
    ]);
    expect(predict.code, predict.stderr).toBe(0);
    expect(
      predict.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).label),
    ).toEqual(['pos', 'neg']);
  }, 60_000);

  it('--dataset imdb reads an aclImdb/ tree (train and test splits, labels from pos/neg)', async () => {
    const words = { pos: ['wonderful', 'great', 'loved'], neg: ['terrible', 'boring', 'hated'] };
    for (const split of ['train', 'test']) {
      for (const label of ['pos', 'neg'] as const) {
        await mkdir(join(dir, 'imdb', 'aclImdb', split, label), { recursive: true });
        for (let i = 0; i < (split === 'train' ? 150 : 40); i++) {
          const text = `this film was ${words[label][i % 3]} and the cast ${words[label][(i + 1) % 3]}<br /><br />really`;
          await writeFile(
            join(dir, 'imdb', 'aclImdb', split, label, `${i}_${label === 'pos' ? 8 : 2}.txt`),
            text,
          );
        }
      }
    }
    const train = await cli([
      'train',
      '--dataset',
      'imdb',
      '--data-dir',
      'imdb',
      ...FAST,
      '--out',
      'imdb-model',
      '--json',
      ...TINY,
    ]);
    expect(train.code, train.stderr).toBe(0);
    const metrics = JSON.parse(train.stdout);
    expect(metrics.examples).toBe(80);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    const config = JSON.parse(await readFile(join(dir, 'imdb-model', 'config.json'), 'utf8'));
    expect(config.labels).toEqual(['negative', 'positive']);
    expect(config.data).toMatchObject({ dataset: 'imdb', dataDir: 'imdb' });
    const evaluate = await cli(['evaluate', '--model', 'imdb-model', '--json']);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    expect(JSON.parse(evaluate.stdout).accuracy).toBeCloseTo(metrics.accuracy, 6);
  }, 60_000);
});

describe('bad input: exit code 2, a message naming the problem, nothing overwritten', () => {
  let existing = '';
  beforeAll(async () => {
    await writeFile(join(dir, 'data.csv'), csv(120));
    await writeFile(join(dir, 'empty.csv'), '');
    await writeFile(join(dir, 'one-class.csv'), 'text,label\ngood movie,pos\nnice plot,pos\nfine,pos\n');
    const made = await cli(['train', '--train', 'data.csv', '--epochs', '1', '--out', 'existing', ...TINY]);
    expect(made.code, made.stderr).toBe(0);
    existing = await readFile(join(dir, 'existing', 'config.json'), 'utf8');
  }, 60_000);
  const cases: Array<[string, string[], RegExp]> = [
    ['a missing data file', ['--train', 'nope.csv'], /--train nope\.csv: cannot read .*ENOENT/],
    ['an empty data file', ['--train', 'empty.csv'], /--train empty\.csv: .*(no examples|empty)/i],
    [
      'a missing column',
      ['--train', 'data.csv', '--text-column', 'body'],
      /--train data\.csv: .*no column 'body'/,
    ],
    ['a label column with one class', ['--train', 'one-class.csv'], /single class \('pos'\)/],
    ['an unknown option', ['--train', 'data.csv', '--bogus'], /unknown option '--bogus'/],
    ['--epochs 0', ['--train', 'data.csv', '--epochs', '0'], /--epochs.*expected a whole number >= 1/],
    ['--dataset imdb without --data-dir', ['--dataset', 'imdb'], /--dataset imdb needs --data-dir DIR/],
    [
      'a --data-dir that does not exist',
      ['--dataset', 'imdb', '--data-dir', 'no-such-dir'],
      /--data-dir no-such-dir: no such directory/,
    ],
    [
      'a --data-dir without IMDB data',
      ['--dataset', 'imdb', '--data-dir', '.'],
      /--data-dir \.: holds neither an aclImdb\/ tree .* nor Keras's imdb\.npz/,
    ],
    [
      '--bucket-by-length without a mask',
      ['--train', 'data.csv', '--bucket-by-length'],
      /--bucket-by-length needs --pooling mean/,
    ],
    [
      '--headers with a data file',
      ['--train', 'data.csv', '--headers', 'keep'],
      /--headers goes with --dataset spamassassin/,
    ],
    [
      'an unknown --tokenizer',
      ['--train', 'data.csv', '--tokenizer', 'char'],
      /--tokenizer.*'char' is not one of word, bpe|argument 'char' is invalid/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`train with ${what}`, async () => {
      const r = await cli(['train', ...args, '--out', 'existing', ...TINY]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(await readFile(join(dir, 'existing', 'config.json'), 'utf8')).toBe(existing);
    });
  }

  it('a --model directory from another app, or with a truncated weights file', async () => {
    await mkdir(join(dir, 'other'), { recursive: true });
    await writeFile(
      join(dir, 'other', 'config.json'),
      JSON.stringify({ app: 'rnnkit-translate', network: { weightsSha256: 'x' } }),
    );
    const other = await cli(['predict', '--model', 'other', 'text']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /--model other: config\.json was written by rnnkit-translate, not rnnkit-classify/,
    );
    const intoOther = await cli(['train', '--train', 'data.csv', '--out', 'other', ...TINY]);
    expect(intoOther.code).toBe(2);
    expect(intoOther.stderr).toMatch(/--out other: .*rnnkit-translate/);

    await cli(['train', '--train', 'data.csv', '--epochs', '1', '--out', 'truncated', ...TINY]);
    const weights = join(dir, 'truncated', 'weights.safetensors');
    await truncate(weights, (await stat(weights)).size - 10);
    for (const command of [
      ['evaluate', '--model', 'truncated'],
      ['predict', '--model', 'truncated', 'some text'],
    ]) {
      const r = await cli(command);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--model truncated: weights\.safetensors/);
    }
  }, 60_000);
});

describe('checkpoints and --resume', () => {
  it("Ctrl-C after an epoch says how to resume, and the resumed run ends with the uninterrupted run's weights", async () => {
    await writeFile(join(dir, 'resume.csv'), csv(1500, 7));
    // Dropout, masking, bucketing and early stopping included: their random streams and counters are checkpointed too.
    const run = [
      'train',
      '--train',
      'resume.csv',
      '--epochs',
      '4',
      '--seed',
      '3',
      '--pooling',
      'mean',
      '--bucket-by-length',
      '--dropout',
      '0.3',
      '--patience',
      '2',
      ...TINY.filter((a) => a !== '--quiet'),
    ];
    const whole = await cli([...run, '--out', 'whole']);
    expect(whole.code, whole.stderr).toBe(0);

    let sent = false;
    const interrupted = await cli([...run, '--out', 'resumed'], {
      onStderr: (text, kill) => {
        if (!sent && /Epoch 2\/4/.test(text)) {
          sent = true;
          kill();
        }
      },
    });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toMatch(
      /nothing half-written\. Resume with: rnnkit-classify train --resume resumed/,
    );
    await expect(stat(join(dir, 'resumed', 'config.json'))).rejects.toThrow();
    const state = JSON.parse(await readFile(join(dir, 'resumed', 'checkpoints', 'state.json'), 'utf8'));
    expect(state.epoch).toBeGreaterThanOrEqual(1);
    expect(state.epoch).toBeLessThan(4);

    const resumed = await cli(['train', '--resume', 'resumed', '--backend', 'cpu', '--quiet', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await readFile(join(dir, 'resumed', 'weights.safetensors'))).toEqual(
      await readFile(join(dir, 'whole', 'weights.safetensors')),
    );
    const history = JSON.parse(await readFile(join(dir, 'resumed', 'history.json'), 'utf8'));
    expect(history.loss).toEqual(JSON.parse(await readFile(join(dir, 'whole', 'history.json'), 'utf8')).loss);
  }, 90_000);
});
