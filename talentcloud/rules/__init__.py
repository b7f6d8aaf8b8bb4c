"""The rule language every eligibility question is asked in (architecture.md, rule 13): typed facts that the
apps declare (``<app>/facts.py``: ``FACTS``), rules as data over them, their evaluation with reasons (Kleene's
three-valued logic) and their compilation to one SQL expression. A platform package: it imports no domain app,
so every app may declare facts and ask questions; the policies app builds its calculator, sweep and editor on
it."""
