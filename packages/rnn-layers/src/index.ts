// Public API of @rnnkit/rnn-layers: Fused SimpleRNN, LSTM and GRU with PyTorch semantics, plus Embedding, Dense and a Keras-style Sequential.
export {};
