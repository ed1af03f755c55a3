// Public API of @rnnkit/datasets: Data set loaders (IMDB, Tatoeba, LJSpeech...), embedded offline defaults and batching.
export {};
