"""One home for the language: tokens, stemming, stopwords and the English → Swedish glossary.

Used alike by retrieval, the classifier and the offline assistant:

* :mod:`assistant.lang.text`: normalising and tokenising, the Snowball stemmer (one per thread),
  compound splitting, numbers, telling English from Swedish.
* :mod:`assistant.lang.stopwords`: the function words and the purpose-specific additions.
* :mod:`assistant.lang.glossary`: English question words → the reports' Swedish words.
* :mod:`assistant.lang.lexicon`: the reports' Swedish terms → English, to gloss quotes for
  English questions.
"""
