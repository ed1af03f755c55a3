/** The recurrent cells the fused sequence ops implement. `rnn_*` is torch.nn.RNN with that nonlinearity. */
export type CellKind = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';

/** Gates per cell, in PyTorch's row order of weight_ih / weight_hh: LSTM i,f,g,o; GRU r,z,n; RNN one. */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Names used in error messages: what a user called. */
export function opName(cell: CellKind): string {
  return cell === 'lstm' ? 'lstmSequence' : cell === 'gru' ? 'gruSequence' : 'rnnSequence';
}
