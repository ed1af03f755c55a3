// Public API of @rnnkit/tokenizers: Keras-style word tokenizer, character vocabularies, SentencePiece loading and training.
export {};
