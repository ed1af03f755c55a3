// Public API of @rnnkit/seq2seq: Attention encoder-decoder, beam search, CTC loss and decoders, BLEU/chrF/WER/CER.
export {};
