import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, randomUniform, SeededRandom, type OptionSchema } from '@rnnkit/tensor-core';
import { booleanOption } from '@rnnkit/tensor-core/internal';

import { gateCount, type CellKind } from '../ops/cell_kind.js';
import { seededDropout } from '../ops/dropout.js';
import { recurrentSequenceParts } from '../ops/recurrent_sequence.js';
import { swapLeadingAxes } from '../ops/swap_leading_axes.js';
import type { RecurrentWeights } from '../ops/sequence_types.js';
import { normalizeLengths } from '../ops/validate_sequence.js';
import {
  RECURRENT_APPLY_OPTIONS,
  RECURRENT_FORWARD_OPTIONS,
  RECURRENT_LAYER_OPTIONS,
  recurrentBareValueHint,
  type RecurrentApplyOptions,
  type RecurrentClassName,
  type RecurrentForwardOptions,
  type RecurrentLayerConfig,
  type RecurrentLayerOptions,
  type RecurrentOutput,
} from './recurrent_options.js';
import { RecurrentStream } from './recurrent_stream.js';
import { checkParameterBudget } from '../keras/parameter_budget.js';

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
let nextLayerId = 0;

/** The output sequence `run` returns when asked for one ('all' or 'sequence'). */
function requireOutput(fn: string, output: tf.Tensor | undefined): tf.Tensor {
  if (output === undefined) throw new Error(`${fn}: the recurrence returned no output sequence`);
  return output;
}

/**
 * tf.unstack along axis 0 by slices: tfjs's Unpack gradient breaks when there is a single output
 * (it receives one dy instead of an array), which a one-layer unidirectional h0 would hit.
 */
export function unstackStates(t: tf.Tensor): tf.Tensor[] {
  const [n = 0, ...rest] = t.shape;
  const out: tf.Tensor[] = [];
  for (let i = 0; i < n; i++)
    out.push(tf.reshape(tf.slice(t, [i, ...rest.map(() => 0)], [1, ...rest]), rest));
  return out;
}

function positiveInt(cls: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new Error(`${cls}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * Shared machinery of SimpleRNN, LSTM and GRU: PyTorch's torch.nn.RNNBase semantics on top of the
 * fused sequence ops (one op call per layer and direction).
 */
export abstract class RecurrentLayer {
  abstract readonly className: RecurrentClassName;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly returnSequences: boolean;
  readonly seed: number;
  protected readonly cell: CellKind;
  private size: number | undefined;
  private readonly variables = new Map<string, tf.Variable>();
  private readonly dropoutRandom: SeededRandom;
  private readonly uid = nextLayerId++;
  private disposed = false;
  /** The class name, readable during construction (subclasses set `className` only after super()). */
  private readonly ownerName: string;

  protected constructor(
    cell: CellKind,
    className: string,
    given: RecurrentLayerOptions,
    schema: OptionSchema = RECURRENT_LAYER_OPTIONS,
  ) {
    if (given === undefined)
      throw new TypeError(`${className}: options are required, e.g. new ${className}({ hiddenSize: 32 })`);
    const options = checkOptions(className, given, schema, {
      bareValueHint: recurrentBareValueHint(className),
    });
    this.ownerName = className;
    this.cell = cell;
    this.hiddenSize = positiveInt(className, 'hiddenSize', options.hiddenSize);
    this.numLayers = positiveInt(className, 'numLayers', options.numLayers ?? 1);
    this.bias = booleanOption(className, 'bias', options.bias, true);
    this.batchFirst = booleanOption(className, 'batchFirst', options.batchFirst, false);
    this.bidirectional = booleanOption(className, 'bidirectional', options.bidirectional, false);
    this.returnSequences = booleanOption(className, 'returnSequences', options.returnSequences, false);
    const dropout = options.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
      throw new Error(`${className}: dropout must be in [0, 1), got ${String(dropout)}`);
    }
    this.dropout = dropout;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    if (!Number.isInteger(seed))
      throw new Error(`${className}: seed must be an integer, got ${String(seed)}`);
    this.seed = seed;
    this.dropoutRandom = new SeededRandom(seed).fork();
    if (options.inputSize !== undefined && options.inputSize !== null) {
      this.build(positiveInt(className, 'inputSize', options.inputSize));
    }
  }

  /** Features per step, or undefined until the layer is built (first input or loadStateDict). */
  get inputSize(): number | undefined {
    return this.size;
  }

  get built(): boolean {
    return this.size !== undefined;
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Features per step of `output`: hiddenSize * numDirections. */
  get outputSize(): number {
    return this.hiddenSize * this.numDirections;
  }

  /** PyTorch parameter names and shapes, in named_parameters() order. */
  parameterShapes(inputSize: number): Array<[string, number[]]> {
    const g = gateCount(this.cell) * this.hiddenSize;
    const out: Array<[string, number[]]> = [];
    for (let l = 0; l < this.numLayers; l++) {
      const layerInput = l === 0 ? inputSize : this.outputSize;
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        out.push([`weight_ih${sfx}`, [g, layerInput]], [`weight_hh${sfx}`, [g, this.hiddenSize]]);
        if (this.bias) out.push([`bias_ih${sfx}`, [g]], [`bias_hh${sfx}`, [g]]);
      }
    }
    return out;
  }

  /** Creates the parameters, drawn like PyTorch: U(-1/sqrt(H), 1/sqrt(H)) from the layer's seed. */
  build(inputSize: number): void {
    this.assertAlive('build');
    positiveInt(this.className, 'inputSize', inputSize);
    if (this.size !== undefined) {
      if (this.size !== inputSize)
        throw new Error(
          `${this.className}.build: already built with inputSize ${this.size}, got ${inputSize}`,
        );
      return;
    }
    // Counted before the shapes are listed: numLayers from a hostile config could be in the billions.
    const [gates, directions, hidden] = [gateCount(this.cell), this.bidirectional ? 2 : 1, this.hiddenSize];
    const perDirection = (input: number) =>
      gates * hidden * (input + hidden) + (this.bias ? 2 * gates * hidden : 0);
    checkParameterBudget(
      this.ownerName,
      directions * (perDirection(inputSize) + (this.numLayers - 1) * perDirection(hidden * directions)),
    );
    const shapes = this.parameterShapes(inputSize);
    const k = 1 / Math.sqrt(this.hiddenSize);
    const random = new SeededRandom(this.seed);
    for (const [name, shape] of shapes) {
      const init = randomUniform(shape, -k, k, random);
      this.variables.set(name, tf.variable(init, true, `${this.className}_${this.uid}/${name}`));
      init.dispose();
    }
    this.size = inputSize;
  }

  /** The trainable tf.Variables in PyTorch's named_parameters() order ([] before the layer is built). */
  parameters(): tf.Variable[] {
    return [...this.variables.values()];
  }

  /** [PyTorch name, variable] pairs, in named_parameters() order. */
  namedParameters(): Array<[string, tf.Variable]> {
    return [...this.variables.entries()];
  }

  /** Copies of the parameters under PyTorch's state_dict names; the caller owns them. */
  stateDict(): Record<string, tf.Tensor> {
    this.assertAlive('stateDict');
    const out: Record<string, tf.Tensor> = {};
    for (const [name, v] of this.variables) out[name] = tf.clone(v);
    return out;
  }

  /**
   * Loads a PyTorch state_dict (e.g. from readSafetensors). Keys must match exactly; shapes are
   * checked before anything is written, so a failed load leaves the layer unchanged.
   */
  loadStateDict(state: Record<string, tf.Tensor>): void {
    const fn = `${this.className}.loadStateDict`;
    this.assertAlive('loadStateDict');
    if (state === null || typeof state !== 'object')
      throw new Error(`${fn}: state must be a Record<string, Tensor>`);
    let inputSize = this.size;
    if (inputSize === undefined) {
      const w = state['weight_ih_l0'];
      if (!(w instanceof tf.Tensor)) throw new Error(`${fn}: missing key "weight_ih_l0"`);
      const columns = w.shape[1];
      if (w.rank !== 2 || columns === undefined)
        throw new Error(`${fn}: "weight_ih_l0" must be 2-D, got shape ${fmt(w.shape)}`);
      inputSize = columns;
    }
    const expected = this.parameterShapes(inputSize);
    const names = new Set(expected.map(([n]) => n));
    for (const key of Object.keys(state)) {
      if (!names.has(key))
        throw new Error(`${fn}: unexpected key "${key}" (expected ${[...names].join(', ')})`);
    }
    const checked: Array<[string, tf.Tensor]> = [];
    for (const [name, shape] of expected) {
      const t = state[name];
      if (t === undefined) throw new Error(`${fn}: missing key "${name}"`);
      if (!(t instanceof tf.Tensor)) throw new Error(`${fn}: "${name}" must be a tf.Tensor`);
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new Error(`${fn}: "${name}" has shape ${fmt(t.shape)}, expected ${fmt(shape)}`);
      }
      checked.push([name, t]);
    }
    if (this.size === undefined) this.build(inputSize);
    for (const [name, t] of checked) {
      const variable = this.variables.get(name);
      if (variable === undefined) throw new Error(`${fn}: the layer has no variable "${name}"`);
      const value = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
      variable.assign(value);
      if (value !== t) value.dispose();
    }
  }

  /** JSON-safe options that rebuild this layer (see recurrentLayerFromConfig). */
  getConfig(): RecurrentLayerConfig {
    return {
      className: this.className,
      inputSize: this.size ?? null,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bias: this.bias,
      batchFirst: this.batchFirst,
      dropout: this.dropout,
      bidirectional: this.bidirectional,
      seed: this.seed,
      returnSequences: this.returnSequences,
    };
  }

  /**
   * Streaming helper for unidirectional layers: push chunks, the state is carried between them, and
   * the outputs equal one full pass. Equivalent to passing the previous chunk's hN/cN as h0/c0.
   */
  stream(): RecurrentStream {
    this.assertAlive('stream');
    return new RecurrentStream(this);
  }

  /** Frees the parameters. The layer cannot be used afterwards. */
  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
    this.disposed = true;
  }

  /**
   * PyTorch forward: x [time, batch, inputSize] ([batch, time, inputSize] when batchFirst).
   * Returns output, hN (and cN for LSTM) with PyTorch's shapes.
   */
  forward(x: tf.Tensor, given?: RecurrentForwardOptions): RecurrentOutput {
    const fn = `${this.className}.forward`;
    const options = checkOptions(fn, given, RECURRENT_FORWARD_OPTIONS);
    this.assertAlive('forward');
    const layout = this.batchFirst ? '[batch, time, inputSize]' : '[time, batch, inputSize]';
    const [d0, d1] = this.checkInput(fn, x, layout);
    const [time, batch] = this.batchFirst ? [d1, d0] : [d0, d1];
    const result = tf.tidy(() => {
      const xt = this.batchFirst ? swapLeadingAxes(x) : x;
      const r = this.run(fn, xt, time, batch, options, 'all');
      const sequence = requireOutput(fn, r.output);
      const output = this.batchFirst ? swapLeadingAxes(sequence) : sequence;
      const hN = tf.stack(r.hN);
      return (r.cN.length > 0 ? { output, hN, cN: tf.stack(r.cN) } : { output, hN }) as tf.TensorContainer;
    });
    return result as unknown as RecurrentOutput;
  }

  /**
   * Keras-style call: x is always [batch, time, features]. Returns [batch, time, outputSize] when
   * returnSequences, else [batch, outputSize]: the last layer's state after each sequence's last valid
   * step (forward and backward halves concatenated when bidirectional, like Keras' Bidirectional).
   */
  apply(x: tf.Tensor, given?: RecurrentApplyOptions): tf.Tensor {
    const fn = `${this.className}.apply`;
    const options = checkOptions(fn, given, RECURRENT_APPLY_OPTIONS);
    this.assertAlive('apply');
    const [batch, time] = this.checkInput(fn, x, '[batch, time, features]', true);
    return tf.tidy(() => {
      const want = this.returnSequences ? 'sequence' : 'lastState';
      const r = this.run(
        fn,
        swapLeadingAxes(x),
        time,
        batch,
        { training: options.training, lengths: options.lengths },
        want,
      );
      if (this.returnSequences) return swapLeadingAxes(requireOutput(fn, r.output));
      const [onlyDirection] = r.hN;
      // the last layer's directions
      return r.hN.length === 1 && onlyDirection !== undefined ? onlyDirection : tf.concat(r.hN, 1);
    });
  }

  protected assertAlive(method: string): void {
    if (this.disposed) throw new Error(`${this.className}.${method}: the layer has been disposed`);
  }

  /** Checks x (rank 3, float32, non-empty, inputSize features) and returns its shape. */
  private checkInput(fn: string, x: tf.Tensor, layout: string, keras = false): [number, number, number] {
    if (!(x instanceof tf.Tensor)) throw new Error(`${fn}: x must be a tf.Tensor`);
    const [d0, d1, features] = x.shape;
    if (x.rank !== 3 || d0 === undefined || d1 === undefined || features === undefined)
      throw new Error(`${fn}: x must be rank 3 ${layout}, got shape ${fmt(x.shape)}`);
    if (x.dtype !== 'float32') throw new Error(`${fn}: x must be float32, got ${x.dtype}`);
    if (d0 === 0 || d1 === 0)
      throw new Error(`${fn}: x must have time >= 1 and batch >= 1, got shape ${fmt(x.shape)}`);
    if (this.size === undefined) this.build(features);
    else if (features !== this.size) {
      throw new Error(
        `${fn}: x.shape[2] = ${features} does not match inputSize = ${this.size}${keras ? '' : ` (x is ${layout})`}`,
      );
    }
    return [d0, d1, features];
  }

  private checkState(fn: string, name: string, t: tf.Tensor | undefined, batch: number): void {
    if (t === undefined) return;
    const shape = [this.numLayers * this.numDirections, batch, this.hiddenSize];
    if (!(t instanceof tf.Tensor)) throw new Error(`${fn}: ${name} must be a tf.Tensor`);
    if (t.shape.length !== 3 || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(
        `${fn}: ${name} must have shape ${fmt(shape)} [numLayers * numDirections, batch, hiddenSize], got ${fmt(t.shape)}`,
      );
    }
  }

  private weightsOf(layer: number, direction: number): RecurrentWeights {
    const sfx = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
    const v = this.variables;
    const required = (name: string): tf.Variable => {
      const variable = v.get(name);
      if (variable === undefined)
        throw new Error(`${this.className}: no variable "${name}" (the layer is not built yet)`);
      return variable;
    };
    return {
      weightIh: required(`weight_ih${sfx}`),
      weightHh: required(`weight_hh${sfx}`),
      biasIh: v.get(`bias_ih${sfx}`),
      biasHh: v.get(`bias_hh${sfx}`),
    };
  }

  /**
   * Time-major core: xt is [time, batch, inputSize]. `want`: 'all' (the output sequence and every
   * layer-direction's final states, PyTorch's forward), 'sequence' (the output sequence only) or
   * 'lastState' (the last layer's final hidden states only). Results nobody wants are not produced
   * as differentiable outputs, so training does not fill zero gradients for them on the host.
   */
  private run(
    fn: string,
    xt: tf.Tensor,
    time: number,
    batch: number,
    options: RecurrentForwardOptions,
    want: 'all' | 'sequence' | 'lastState',
  ) {
    const { h0, c0 } = options;
    this.checkState(fn, 'h0', h0, batch);
    if (this.cell === 'lstm') this.checkState(fn, 'c0', c0, batch);
    else if (c0 !== undefined) throw new Error(`${fn}: c0 is only for LSTM`);
    // Validated here so errors name this layer; the op gets the checked values.
    const checked = normalizeLengths(fn, options.lengths, batch, time);
    const lengths = Array.isArray(checked) ? (checked.length > 0 ? checked : undefined) : options.lengths;
    if (!Array.isArray(checked)) checked.dispose();
    const training = options.training === true;
    const dirs = this.numDirections;
    // tf.fill runs on the device (tf.zeros would upload a host array at every call on webgpu).
    const zeros = tf.fill([batch, this.hiddenSize], 0);
    const h0s = h0 ? unstackStates(h0) : undefined;
    const c0s = c0 ? unstackStates(c0) : undefined;
    const hN: tf.Tensor[] = [];
    const cN: tf.Tensor[] = [];
    let input = xt;
    for (let l = 0; l < this.numLayers; l++) {
      const last = l === this.numLayers - 1;
      const wanted = {
        output: want !== 'lastState' || !last,
        hN: want === 'all' || (want === 'lastState' && last),
        cN: want === 'all',
      };
      const outs: tf.Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const i = l * dirs + d;
        const r = recurrentSequenceParts(
          this.cell,
          input,
          this.weightsOf(l, d),
          h0s?.[i] ?? zeros,
          this.cell === 'lstm' ? (c0s?.[i] ?? zeros) : undefined,
          { lengths, reverse: d === 1 },
          wanted,
        );
        if (r.output) outs.push(r.output);
        if (r.hN) hN.push(r.hN);
        if (r.cN) cN.push(r.cN);
      }
      if (!wanted.output) return { output: undefined, hN, cN };
      const [onlyOut] = outs;
      input = outs.length === 1 && onlyOut !== undefined ? onlyOut : tf.concat(outs, 2);
      if (training && this.dropout > 0 && !last) input = this.applyDropout(input);
    }
    return { output: input, hN, cN };
  }

  /** Where the between-layer dropout stream stands (see Layer.randomState). */
  randomState(): number[] {
    return this.dropoutRandom.getState();
  }

  setRandomState(state: readonly number[]): void {
    this.dropoutRandom.setState(state);
  }

  /** Inverted dropout, its mask a function of the seed and the call (the same on every backend). */
  private applyDropout(t: tf.Tensor): tf.Tensor {
    return seededDropout(t, this.dropout, this.dropoutRandom.nextUint32());
  }
}
