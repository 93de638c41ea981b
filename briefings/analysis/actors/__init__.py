"""Finding the actors an article names: gazetteer, lexicon, discovery, coreference."""
